"""Load run on loopback: p50/p95 latency and requests/s for the main incident paths.

Usage: python bench/run.py [--incidents 100000] [--concurrency 8] [--requests 800]
Uses DATABASE_URL when set (the targets in docs/performance.md are for PostgreSQL), else SQLite.
Starts its own gunicorn on 127.0.0.1, sends a bounded number of requests, and stops it.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent


# What people type while logging an incident: the suggestion scenario cycles through them.
SUGGEST_TEXTS = [
    "vpn disconnects every few minutes after login",
    "outlook inbox not updating",
    "printer jam on the second floor",
    "wifi signal drops in meeting room",
    "erp invoice posting error",
    "password expired cannot login",
    "laptop battery does not charge on the dock",
    "teams meeting audio and camera not working",
    "mailbox full cannot send",
    "browser crash after update",
    "打印机卡纸 无法打印",
    "vpn 无法连接 频繁断开",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args, capture=False):
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True, capture_output=capture, text=True)  # noqa: S603
    return result.stdout if capture else None


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def last_page(port, path, headers) -> int:
    """The number of the last page of a list (1 when it is empty)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    count = json.loads(conn.getresponse().read())["count"]
    conn.close()
    return max(1, -(-count // 25))


def run_scenario(port, name, method, path_fn, headers, body_fn, total, concurrency):
    latencies, errors = [], []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = body_fn(i) if body_fn else None
            start = time.perf_counter()
            try:
                conn.request(method, path_fn(i), body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = str(exc)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status in (200, 201):
                    latencies.append(elapsed)
                else:
                    errors.append(status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {
        "scenario": name,
        "requests": total,
        "errors": len(errors),
        "error_sample": [str(e) for e in errors[:3]],
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "req_per_s": round(len(latencies) / wall, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument(
        "--known-errors", type=int, default=10_000, help="published known errors for the suggestion scenario"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers: one per core measured best here"
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--output", default=str(ROOT / "var" / "bench.json"))
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    args = parser.parse_args()

    env_db = os.environ.get("DATABASE_URL", "SQLite (var/itsm.sqlite3)")
    print(f"database: {env_db.split('@')[-1]}")
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    info = json.loads(
        manage(
            "generate_load_data",
            "--incidents",
            str(args.incidents),
            "--known-errors",
            str(args.known_errors),
            "--json",
            capture=True,
        )
        .strip()
        .splitlines()[-1]
    )
    print(f"data: {info}")

    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "itsm.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, "ITSM_LOG_LEVEL": "WARNING"},
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.2)
        token, session, team = info["token"], info["session"], info["team"]
        api = {"Authorization": f"Token {token}", "Accept": "application/json"}
        page = {"Cookie": f"sessionid={session}"}
        list_filter = (
            f"/api/v1/incidents/?state=in_progress&assignment_group={team}&ordering=sla_due_at&page_size=25"
        )
        list_path = (
            f"{list_filter}&page={min(3, last_page(port, list_filter, api))}"  # page 3 if there is one
        )
        queue_path = "/incidents/?queue=open"
        create_headers = {**api, "Content-Type": "application/json"}

        def create_body(i):
            return json.dumps(
                {"title": f"Bench incident {i}", "impact": 2, "urgency": 2, "service": info["service"]}
            )

        def suggest_path(i):
            text = SUGGEST_TEXTS[i % len(SUGGEST_TEXTS)]
            return f"/api/v1/known-errors/?q={urllib.parse.quote_plus(text)}&page_size=10"

        # Reads first: the create scenario's inserts wake autovacuum, which would slow what follows.
        scenarios = [
            ("incident list API (state+team, SLA due, page 3 of 25)", "GET", lambda i: list_path, api, None),
            ("agent queue page", "GET", lambda i: queue_path, page, None),
        ]
        # Two Chinese characters, a whole word, which trigrams cannot serve (core/text_search.py).
        search_path = "/api/v1/incidents/?q=" + urllib.parse.quote("打印") + "&page_size=25"
        scenarios.append(
            ("incident search, a two-character Chinese word", "GET", lambda i: search_path, api, None)
        )
        if info.get("suggest_path"):
            scenarios.append(("known-error suggestions (12 texts in turn)", "GET", suggest_path, api, None))
        scenarios.append(
            (
                "incident create API (with SLA clocks and audit)",
                "POST",
                lambda i: "/api/v1/incidents/",
                create_headers,
                create_body,
            )
        )
        results = []
        scenarios = [s for s in scenarios if args.only.lower() in s[0].lower()]
        for name, method, path_fn, headers, body_fn in scenarios:
            run_scenario(
                port, name, method, path_fn, headers, body_fn, min(40, args.requests), args.concurrency
            )  # warm-up
            results.append(
                run_scenario(port, name, method, path_fn, headers, body_fn, args.requests, args.concurrency)
            )
        print(
            f"\nconcurrency {args.concurrency}, {args.requests} requests per scenario, {args.workers} gunicorn workers"
        )
        print(f"{'scenario':58} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7}")
        for r in results:
            print(
                f"{r['scenario']:58} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['req_per_s']:>8} {r['errors']:>7}"
            )
            if r["errors"]:
                print(f"    e.g. {r['error_sample']}")
        Path(args.output).write_text(json.dumps({"data": info, "results": results}, indent=2))
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
