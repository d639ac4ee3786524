"""Demo service requests (the catalogue itself is demo.catalogue). Idempotent: the catalogue is
updated in place by name, the request history is written once.

The requests: ~110 over the last 90 days from the demo business users (and a few agents), approved or
rejected, worked task by task, fulfilled automatically, reopened, cancelled, rated and closed, with
fulfilment times that differ by item; and open work now: approvals waiting for `manager` and `cab`,
fulfilment tasks in the teams of `agent`, Guest Wi-Fi requests whose webhook failed three times and was
handed to a person, and a password reset fulfilled automatically a few minutes ago.

Needs demo.people (users, line managers, teams, services) and demo.sla (the request SLA policy) first.
"""

import random
from collections import defaultdict
from contextlib import nullcontext
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from approvals.models import ApprovalState
from approvals.services import approval_decide
from core.services.notifications import notifications_suppressed
from demo.catalogue import ITEMS, load_catalogue
from org.models import Service, Team
from requests_catalog import fulfilment, lifecycle
from requests_catalog.choices import OPEN_TASK_STATES, Automation, State
from requests_catalog.models import CatalogCategory, CatalogItem, ServiceRequest
from sla.services import sla_scan

AUTO_CLOSE_DAYS = 5  # requests_auto_close's default, run hourly by beat
FOLLOW_UP, FALLBACK = "<follow-up>", "<automation fallback>"


# --- writing history -----------------------------------------------------------------------------------

AGENT_HOURS = (1, 16)  # UTC: the desk follows the sun from Shanghai's morning to Berlin's afternoon
OFFICE_HOURS = {  # UTC hours of each demo time zone's working day
    "Asia/Shanghai": (1, 10),
    "Asia/Kolkata": (4, 13),
    "Europe/Paris": (7, 16),
    "Europe/Berlin": (7, 16),
    "Europe/London": (8, 17),
    "America/New_York": (13, 22),
}


def _into_hours(t, hours):
    start, end = hours
    while True:
        if t.weekday() < 5:
            opening = t.replace(hour=start, minute=0, second=0, microsecond=0)
            if t < opening:
                return opening
            if t < t.replace(hour=end, minute=0, second=0, microsecond=0):
                return t
        t = (t + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _work(t, hours: float, window=AGENT_HOURS):
    """`hours` of working time after t, counted only on weekdays inside the window."""
    remaining = timedelta(hours=hours)
    t = _into_hours(t, window)
    while True:
        closing = t.replace(hour=window[1], minute=0, second=0, microsecond=0)
        if t + remaining <= closing:
            return t + remaining
        remaining -= closing - t
        t = _into_hours(closing, window)


class Ctx:
    """What the stories need: people, their languages and hours, team members, items and approvers."""

    def __init__(self, items: dict[str, CatalogItem]):
        self.items = items
        self.users = {u.username: u for u in User.objects.select_related("profile")}
        self.by_pk = {u.pk: u for u in self.users.values()}
        self.members = {t.pk: sorted(t.members.all(), key=lambda u: u.username) for t in Team.objects.all()}
        self.services = {s.name: s for s in Service.objects.all()}
        self.templates = {
            item.pk: list(item.task_templates.all().order_by("step", "id")) for item in items.values()
        }
        self.hours = {
            (spec["name"], t["title"]): t["hours"] for spec in ITEMS for t in spec["tasks"]
        }  # demo durations
        self.groups = defaultdict(list)
        for user in self.users.values():
            for name in user.groups.values_list("name", flat=True):
                self.groups[name].append(user)

    def __getitem__(self, username: str) -> User:
        return self.users[username]

    def zh(self, user) -> bool:
        profile = getattr(user, "profile", None)
        return bool(profile and profile.language.startswith("zh"))

    def window(self, user) -> tuple[int, int]:
        profile = getattr(user, "profile", None)
        return OFFICE_HOURS.get(profile.timezone if profile else "", AGENT_HOURS)

    def approvers(self, item, requester) -> list:
        """Who decides each approval step of the item for this requester (as lifecycle asks them)."""
        result = []
        for step in lifecycle.approval_steps(item, requester):
            if step.get("users"):
                result.append(self.by_pk[step["users"][0]])
            else:
                candidates = [u for u in self.groups[step["group"]] if u.pk != requester.pk]
                result.append(next((u for u in candidates if u.username == "manager"), candidates[0]))
        return result


# texts in English and Chinese: (en, zh)
REJECTIONS = {
    "Standard laptop": (
        "Your laptop is under three years old; please log an incident if it is faulty.",
        "你的电脑使用不到三年，如有故障请提交事件单。",
    ),
    "Developer workstation": (
        "A standard laptop with the cloud build farm covers this; let's talk first.",
        "标准笔记本配合云端编译即可满足，我们先沟通一下。",
    ),
    "Software installation": (
        "For occasional use please borrow a licence from the shared pool.",
        "偶尔使用请借用部门共享许可证。",
    ),
    "Mobile phone": (
        "This year phones go to on-call staff only.",
        "今年公司手机只配发给值班人员。",
    ),
    "Shared mailbox": ("A Teams channel fits this better.", "这个需求用 Teams 频道更合适。"),
    "New employee onboarding": (
        "The hire is postponed; order again when HR confirms the start date.",
        "入职推迟，人事确认日期后请重新申请。",
    ),
    "Access to a file share": (
        "This share needs the finance director's sign-off; ask your manager.",
        "该共享盘需要财务总监签字，请联系你的经理。",
    ),
}
APPROVALS = (["OK.", "Approved.", "Fine, go ahead.", ""], ["同意。", "批准。", "可以。", ""])
REOPENS = {
    "Standard laptop": (
        "Something is missing: the docking station was not in the box.",
        "缺少东西：没有收到扩展坞。",
    ),
    "Developer workstation": (
        "Something is missing: Docker is not installed.",
        "缺少东西：没有安装 Docker。",
    ),
    "Software installation": ("The licence is not activated yet.", "许可证还没有激活。"),
    "Monitor & peripherals": (
        "Something is missing: only one of the two monitors arrived.",
        "缺少东西：两台显示器只收到一台。",
    ),
    "New employee onboarding": (
        "Something is missing: the new starter has no ERP account.",
        "缺少东西：新员工没有 ERP 账号。",
    ),
}
REOPEN_DEFAULT = ("Something is missing: it does not work for me yet.", "还缺少东西：我这里仍然无法使用。")
CANCELS = (
    ["No longer needed.", "Ordered by mistake.", "A colleague lent me one."],
    ["不需要了。", "下错单了。", "同事借给我了。"],
)
NUDGES = (
    ["Any news on this?", "Could this be done before Friday?", "Do you need anything from me?"],
    ["请问现在进度如何？", "能否在周五前完成？", "需要我提供什么信息吗？"],
)
REPLIES = (
    ["On it, you will have it by tomorrow.", "Ordered today; we will tell you when it arrives."],
    ["正在处理，明天前完成。", "今天已下单，到货后通知您。"],
)
RATING_COMMENTS = (
    ["Quick and easy, thanks!", "Exactly what I needed.", "Took longer than promised.", "", ""],
    ["很快，谢谢！", "服务很好。", "比预期慢了一些。", "", ""],
)
HARDWARE = ("Standard laptop", "Developer workstation", "Mobile phone", "Monitor & peripherals")
SUPPLIER_NOTES = [
    "Out of stock: ordered from the supplier, delivery promised for next week.",
    "Backordered at the distributor; chased them twice.",
    "缺货，已向供应商下单，预计下周到货。",
]
LOCATIONS = {"alice": "Paris 2F", "bob": "New York 12F", "manager": "Berlin 4F", "admin": "London 1F"}
KEYBOARDS = {"alice": "fr", "bob": "us", "manager": "de", "admin": "uk"}


def _desk(rng, user) -> str:
    return f"{LOCATIONS.get(user.username, '上海 5F')}-{rng.choice('ABC')}{rng.randint(1, 40):02d}"


def _person(user) -> str:
    """Chinese names family name first, without a space."""
    if user.last_name and not user.last_name.isascii():
        return f"{user.last_name}{user.first_name}"
    return user.get_full_name() or user.get_username()


def _tag(rng) -> str:
    return f"IT-{rng.randint(1000, 29999):05d}"


def _answers(rng, ctx: Ctx, item, who, day) -> dict:
    """Plausible answers a person gives on `day`, in their language."""
    zh, name = ctx.zh(who), item.name
    colleagues = [ctx[u] for u in ("alice", "bob", "wangfang", "liuyang") if u != who.username]
    if name == "Standard laptop":
        reason = rng.choice(["replacement", "replacement", "new_joiner", "additional"])
        answers = {"reason": reason, "keyboard": "cn" if zh else KEYBOARDS.get(who.username, "us")}
        if reason == "replacement":
            answers["old_asset_tag"] = _tag(rng)
        if rng.random() < 0.4:
            answers.update(needs_dock=True, desk=_desk(rng, who))
        if rng.random() < 0.5:
            answers["needed_by"] = (day + timedelta(days=rng.randint(3, 14))).isoformat()
        return answers
    if name == "Developer workstation":
        answers = {
            "os": rng.choice(["linux", "linux", "windows", "macos"]),
            "ram_gb": rng.choice([32, 64, 64, 128]),
            "justification": "需要在本地编译大型 C++ 项目并运行多个容器，标准笔记本太慢。"
            if zh
            else "Full builds of the ERP integration take 40 minutes on my laptop; containers need more RAM.",
        }
        if rng.random() < 0.5:
            answers["gpu"] = True
            answers["gpu_use"] = (
                "训练产品缺陷检测模型（PyTorch），笔记本显存不够。"
                if zh
                else "Training the invoice-classification model (PyTorch) on real data."
            )
        return answers
    if name == "Software installation":
        software = rng.choice(["visio", "visio", "project", "acrobat", "autocad", "tableau", "other"])
        answers = {
            "software": software,
            "asset_tag": _tag(rng),
            "reason": rng.choice(
                ["需要画网络拓扑图和流程图。", "需要编辑供应商的 PDF 合同。", "做月度销售分析报表。"]
            )
            if zh
            else rng.choice(
                [
                    "Process diagrams for the ERP roll-out.",
                    "I edit and sign supplier contracts as PDF.",
                    "Monthly sales dashboards for the team.",
                ]
            ),
        }
        if software == "other":
            answers["other_name"] = rng.choice(["XMind 2024", "SnagIt 2024", "Notepad++ 8.6"])
        return answers
    if name == "VPN access":
        answers = {"purpose": rng.choice(["remote", "remote", "travel", "on_call"])}
        if answers["purpose"] == "travel":
            answers["until"] = (day + timedelta(days=rng.randint(5, 20))).isoformat()
        return answers
    if name == "Password reset":
        return (
            {"note": "账号被锁定了。" if zh else "Locked out after the holidays."}
            if rng.random() < 0.3
            else {}
        )
    if name == "New employee onboarding":
        answers = {
            "full_name": rng.choice(["张伟", "李娜", "陈静", "周杰"])
            if zh
            else rng.choice(["Emma Laurent", "Lucas Moreau", "Olivia Brown", "Noah Fischer"]),
            "start_date": (day + timedelta(days=rng.randint(7, 14))).isoformat(),
            "department": rng.choice(["finance", "sales", "engineering", "operations"]),
            "job_title": rng.choice(["测试工程师", "采购专员", "财务分析师"])
            if zh
            else rng.choice(["Account manager", "Financial analyst", "Software engineer"]),
            "manager": who.pk,
            "equipment": rng.choice([["laptop"], ["laptop", "monitor"], ["laptop", "monitor", "headset"]]),
        }
        if rng.random() < 0.5:
            answers.update(erp=True, erp_role=rng.choice(["viewer", "purchaser"]))
        return answers
    if name == "Offboarding":
        answers = {
            "leaver": rng.choice(["Tom Becker", "Sophie Dubois", "王磊", "Jack Wilson"]),
            "employee_id": f"E{rng.randint(100000, 299999)}",
            "last_day": (day + timedelta(days=rng.randint(3, 20))).isoformat(),
            "equipment": rng.choice(
                [["laptop", "badge"], ["laptop", "phone", "badge"], ["laptop", "monitor"]]
            ),
            "mailbox": rng.choice(["forward", "shared", "delete"]),
        }
        if answers["mailbox"] == "forward":
            answers["forward_to"] = who.pk
        return answers
    if name == "Shared mailbox":
        return rng.choice(
            [
                {"address": "sh-procurement", "display_name": "上海采购部 Shanghai Procurement"},
                {"address": "sales-emea", "display_name": "Sales EMEA"},
                {"address": "events.team", "display_name": "Events team"},
            ]
        ) | {
            "members": "\n".join(_person(c) for c in colleagues[:2]),
            "size_gb": rng.choice([10, 20, 50]),
        }
    if name == "Distribution list membership":
        return {
            "list_address": rng.choice(
                ["all-shanghai@example.com", "all-paris@example.com", "erp-keyusers@example.com"]
            ),
            "action": rng.choice(["add", "add", "add", "remove"]),
            "person": rng.choice([who, *colleagues]).pk,
        }
    if name == "Mobile phone":
        answers = {"model": rng.choice(["iphone", "android"]), "roaming": rng.random() < 0.3}
        if rng.random() < 0.5:
            answers.update(
                keep_number=True,
                number=f"+86 13{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
                if zh
                else f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            )
        return answers
    if name == "Monitor & peripherals":
        return {
            "items": rng.choice(
                [["monitor"], ["monitor", "dock"], ["headset"], ["keyboard", "mouse"], ["webcam"]]
            ),
            "quantity": rng.choice([1, 1, 1, 2]),
            "desk": _desk(rng, who),
        }
    if name == "Meeting-room AV support":
        room = "yangtze" if zh else {"alice": "amazon", "bob": "hudson"}.get(who.username, "boardroom")
        answers = {
            "room": room,
            "meeting_date": (day + timedelta(days=rng.randint(0, 3))).isoformat(),
            "help": rng.choice([["video"], ["video", "test"], ["test", "onsite"]]),
            "attendees": rng.randint(4, 30),
        }
        if rng.random() < 0.7:
            answers.update(remote=True, platform="tencent" if zh else rng.choice(["teams", "zoom"]))
        return answers
    if name == "Access to a file share":
        share = rng.choice(["finance", "projects", "hr-policies", "sales"])
        return {
            "service": ctx.services[rng.choice(["File shares", "File shares", "ERP", "HR system"])].pk,
            "path": f"\\\\nas-01\\{share}",
            "access": rng.choice(["read", "modify"]),
            "for_user": rng.choice([who, who, *colleagues]).pk,
        }
    if name == "Data restore from backup":
        return {
            "what": rng.choice([r"\\nas-01\projects\2026-Q1 预算.xlsx", r"\\nas-01\sales\客户名单"])
            if zh
            else rng.choice(
                [r"\\nas-01\finance\Budget 2026.xlsx", r"\\nas-01\projects\Launch plan (folder)"]
            ),
            "restore_from": (day - timedelta(days=rng.randint(1, 20))).isoformat(),
            "target": rng.choice(["alongside", "alongside", "overwrite"]),
            "deadline": rng.random() < 0.3,
        }
    if name == "Guest Wi-Fi voucher":
        return {
            "guest_name": rng.choice(["李明", "Jonas Weber", "Sara Rossi"]),
            "company": rng.choice(["Contoso GmbH", "华为技术", "Fabrikam S.p.A."]),
            "visit_date": day.isoformat(),
            "days": rng.choice([1, 1, 2, 3]),
        }
    if name == "Budget approval tool licence":
        return {"cost_centre": f"CC-{rng.randint(1000, 9999)}", "role": rng.choice(["planner", "approver"])}
    raise ValueError(name)


class Story:
    """One request: who ordered what when, then what happened to it (time, kind, details)."""

    def __init__(self, item, who, at, answers, actor=None):
        self.item, self.who, self.at, self.answers, self.actor = item, who, at, answers, actor
        self.plan: list[tuple] = []
        self.expect = State.FULFILLING

    def add(self, t, kind: str, **data) -> None:
        self.plan.append((t, kind, data))

    @property
    def last(self):
        return max([self.at, *(t for t, _kind, _data in self.plan)])


def _steps(ctx: Ctx, item) -> list[list]:
    by_step = defaultdict(list)
    for template in ctx.templates[item.pk]:
        by_step[template.step].append(template)
    return [by_step[step] for step in sorted(by_step)]


def _do_task(rng, ctx, story, title, team_id, t, hours, *, delay: float = 0, notes: str = ""):
    """A team member picks the task up and finishes it; `delay` working hours waiting for someone else."""
    agent = rng.choice(ctx.members[team_id])
    start = _work(t, rng.uniform(0.1, 2.0))
    done = _work(start, rng.uniform(*hours) + delay)
    story.add(start, "task", title=title, state="in_progress", actor=agent)
    story.add(done, "task", title=title, state="done", actor=agent, notes=notes)
    return done


def _automation_runs(story, fails: bool):
    """Automation attempts right after the order; a failing one retries after the backoff, then hands over."""
    t = story.at + timedelta(seconds=5)
    story.add(t, "automation")
    if not fails:
        return t
    for delay in fulfilment.AUTOMATION_BACKOFF_SECONDS[: fulfilment.AUTOMATION_MAX_ATTEMPTS - 1]:
        t += timedelta(seconds=delay + 5)
        story.add(t, "automation")
    return t


def _history_story(rng, ctx: Ctx, item, who, at, now, actor=None) -> Story:
    """What typically happens to an order of this item, with times that suit the item."""
    zh = ctx.zh(who)
    story = Story(item, who, at, _answers(rng, ctx, item, who, timezone.localdate(at)), actor=actor)
    t = at
    if item.requires_approval:
        if rng.random() < 0.04:
            withdrawn = _work(t, rng.uniform(1, 20), ctx.window(who))
            story.add(withdrawn, "move", actor=who, state="cancelled", reason=rng.choice(CANCELS[zh]))
            story.expect = State.CANCELLED
            return story
        approvers = ctx.approvers(item, who)
        reject = rng.randrange(len(approvers)) if rng.random() < 0.15 else None
        for index, approver in enumerate(approvers):
            t = _work(t, rng.uniform(0.2, 7), ctx.window(approver))
            if index == reject:
                comment = REJECTIONS.get(item.name, ("Not in this quarter's budget.", "本季度没有预算。"))
                story.add(
                    t, "decide", approver=approver, decision="rejected", comment=comment[ctx.zh(approver)]
                )
                story.expect = State.REJECTED
                return story
            comment = rng.choice(APPROVALS[ctx.zh(approver)])
            story.add(t, "decide", approver=approver, decision="approved", comment=comment)
    if item.automation == Automation.WEBHOOK:
        t = _automation_runs(story, fails=True)
        t = _do_task(rng, ctx, story, FALLBACK, item.fulfilment_team_id, t, (0.2, 1))
    elif item.is_automated:
        t = at + timedelta(seconds=rng.randint(20, 240))
        story.add(t, "automation")
    else:
        first_start = None
        last_team = item.fulfilment_team_id
        # Hardware is sometimes out of stock: the first task waits days for the supplier (the SLA may breach).
        out_of_stock = item.name in HARDWARE and rng.random() < 0.25
        for number, step in enumerate(_steps(ctx, item)):
            ends = []
            for tpl in step:
                waits = out_of_stock and number == 0
                ends.append(
                    _do_task(
                        rng,
                        ctx,
                        story,
                        tpl.title,
                        tpl.team_id,
                        t,
                        ctx.hours[(item.name, tpl.title)],
                        delay=rng.uniform(50, 110) if waits else 0,
                        notes=rng.choice(SUPPLIER_NOTES) if waits else "",
                    )
                )
            first_start = first_start or min(p[0] for p in story.plan if p[1] == "task")
            last_team = step[0].team_id
            t = max(ends)
        if rng.random() < 0.03:  # withdrawn while people were working on it
            cancel_at = first_start + (t - first_start) * rng.uniform(0.2, 0.8)
            story.plan = [p for p in story.plan if p[0] < cancel_at]
            story.add(cancel_at, "move", actor=who, state="cancelled", reason=rng.choice(CANCELS[zh]))
            story.expect = State.CANCELLED
            return story
        if rng.random() < 0.15:
            nudge = first_start + timedelta(hours=rng.uniform(2, 20))
            if nudge < t - timedelta(hours=2):
                story.add(nudge, "comment", actor=who, body=rng.choice(NUDGES[zh]))
                worker = next(p[2]["actor"] for p in story.plan if p[1] == "task")
                reply = nudge + timedelta(minutes=rng.randint(10, 90))
                reply = min(reply, t - timedelta(minutes=30))
                story.add(reply, "comment", actor=worker, body=rng.choice(REPLIES[zh]))
        if rng.random() < 0.07:  # "something is missing": reopened, a person follows up
            t += timedelta(hours=rng.uniform(2, 30))
            story.add(
                t, "move", actor=who, state="fulfilling", reason=REOPENS.get(item.name, REOPEN_DEFAULT)[zh]
            )
            t = _do_task(rng, ctx, story, FOLLOW_UP, last_team, t, (0.5, 4))
    fulfilled = t
    story.expect = State.FULFILLED
    # After the delivery: the requester may rate and confirm; otherwise the hourly sweep closes it.
    late = (fulfilled - at) > timedelta(hours=item.delivery_hours)
    if rng.random() < 0.6:
        weights = [20, 30, 25, 15, 10] if late else [55, 30, 10, 3, 2]
        rating = rng.choices([5, 4, 3, 2, 1], weights=weights)[0]
        rated = fulfilled + timedelta(hours=rng.uniform(0.3, 30))
        if rated < now:
            story.add(rated, "rate", rating=rating, comment=rng.choice(RATING_COMMENTS[zh]))
    if rng.random() < 0.45:
        closed = fulfilled + timedelta(hours=rng.uniform(1, 60))
        if closed < now:
            story.add(closed, "move", actor=who, state="closed")
            story.expect = State.CLOSED
    if story.expect != State.CLOSED:
        swept = fulfilled + timedelta(days=AUTO_CLOSE_DAYS, minutes=rng.randint(1, 59))
        if swept < now:
            story.add(swept, "autoclose")
            story.expect = State.CLOSED
    return story


def _pending_task(request, title):
    tasks = request.tasks.filter(state__in=OPEN_TASK_STATES)
    if title == FOLLOW_UP:
        tasks = tasks.filter(template__isnull=True, is_automation_fallback=False)
    elif title == FALLBACK:
        tasks = tasks.filter(is_automation_fallback=True)
    else:
        tasks = tasks.filter(title=title)
    task = tasks.order_by("-id").first()
    if task is None or task.state == "pending":
        raise RuntimeError(f"{request.number}: no open task “{title}”")
    return task


def _apply(request, t, kind, data) -> None:
    if kind == "decide":
        approval = request.approval_requests.get(state=ApprovalState.PENDING)
        approval_decide(request=approval, at=t, **data)  # the request reacts after the commit
    elif kind == "task":
        task = _pending_task(request, data["title"])
        fulfilment.task_transition(actor=data["actor"], task=task, state=data["state"], at=t)
    elif kind == "move":
        lifecycle.request_transition(request=request, at=t, **data)
    elif kind == "comment":
        lifecycle.request_comment_add(request=request, at=t, **data)
    elif kind == "autoclose":
        lifecycle.requests_auto_close(days=AUTO_CLOSE_DAYS, now=t)
    elif kind == "rate":
        request.refresh_from_db()
        lifecycle.request_rate(actor=request.requester, request=request, at=t, **data)
    else:
        raise ValueError(kind)


def _write(story: Story) -> ServiceRequest:
    """Order through the portal's service, then replay what happened, in time order."""
    automation = [t for t, kind, _data in story.plan if kind == "automation"]
    if automation and story.item.requires_approval:
        raise ValueError("automated demo items are ordered without approval (their runs follow the order)")
    # Relative date limits ("today") count from story.at: request_submit checks answers as of that day.
    # One transaction with the automation runs: the run the order queues (Celery, after the commit)
    # finds the automation already done and skips, instead of running it again at today's time.
    with transaction.atomic():
        request = lifecycle.request_submit(
            actor=story.actor or story.who,
            requester=story.who,
            item=story.item,
            answers=story.answers,
            at=story.at,
        )
        for t in automation:
            fulfilment.automation_run(request_id=request.pk, now=t)
    for t, kind, data in sorted((p for p in story.plan if p[1] != "automation"), key=lambda p: p[0]):
        _apply(request, t, kind, data)
    request.refresh_from_db()
    if request.state != story.expect:
        raise RuntimeError(
            f"{request.number} ({story.item.name}) is {request.state}, expected {story.expect}"
        )
    return request


# item name, how many in the history, who orders it (besides the four business users)
HISTORY = [
    ("Password reset", 16, ["agent"]),
    ("Monitor & peripherals", 11, ["netops", "dba"]),
    ("Software installation", 11, ["netops", "dba"]),
    ("VPN access", 9, ["netops"]),
    ("Standard laptop", 9, []),
    ("Distribution list membership", 7, []),
    ("Meeting-room AV support", 7, []),
    ("Access to a file share", 7, []),
    ("Data restore from backup", 5, []),
    ("Mobile phone", 5, []),
    ("New employee onboarding", 5, ["manager"]),
    ("Shared mailbox", 4, []),
    ("Offboarding", 4, ["manager"]),
    ("Developer workstation", 4, []),
    ("Guest Wi-Fi voucher", 2, []),
]
BUSINESS_USERS = ["alice", "bob", "wangfang", "liuyang"]


def _history(rng, ctx: Ctx, now) -> list[Story]:
    orders = []
    for name, count, extra in HISTORY:
        for _ in range(count):
            who = rng.choice(BUSINESS_USERS + extra)
            orders.append((name, who))
    orders += [("Budget approval tool licence", "manager"), ("Budget approval tool licence", "admin")]
    stories = []
    for name, username in orders:
        item, who = ctx.items[name], ctx[username]
        actor = None
        if username == "agent":  # a password reset taken on the phone for a business user
            who, actor = ctx[rng.choice(BUSINESS_USERS)], ctx["agent"]
        slow = item.requires_approval or item.delivery_hours >= 48
        latest = 9 if slow else 1
        # Busier lately: some of the quick ones are from the last days (fulfilled, not yet confirmed).
        day = now - timedelta(days=rng.uniform(latest, 5 if not slow and rng.random() < 0.15 else 90))
        window = ctx.window(who)
        for _attempt in range(6):
            opening = _into_hours(day.replace(hour=0, minute=0, second=0, microsecond=0), window)
            at = opening + timedelta(minutes=rng.randint(0, (window[1] - window[0]) * 60 - 1))
            story = _history_story(rng, ctx, item, who, at, now, actor=actor)
            if story.last < now - timedelta(minutes=30):
                stories.append(story)
                break
            day -= timedelta(days=7)  # would still be running today: place it a week earlier
    return stories


def _open_work(ctx: Ctx, now) -> list[Story]:
    """What the demo users find waiting today, written out one by one."""
    today = timezone.localdate(now)

    def ago(hours: float):
        return now - timedelta(hours=hours)

    def day(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    u, items, stories = ctx, ctx.items, []

    def story(item, who, at, answers, *actions, actor=None):
        s = Story(items[item], u[who], at, answers, actor=u[actor] if actor else None)
        for t, kind, data in actions:
            s.add(t, kind, **data)
        stories.append(s)
        return s

    def task(t, title, state, who):
        return (t, "task", {"title": title, "state": state, "actor": u[who]})

    def approve(t, who, comment=""):
        return (t, "decide", {"approver": u[who], "decision": "approved", "comment": comment})

    # Waiting for approval: `manager` (alice's and bob's line manager), `cab` (wangfang's and liuyang's).
    laptop = {
        "reason": "replacement",
        "old_asset_tag": "IT-01873",
        "keyboard": "fr",
        "needs_dock": True,
        "desk": "Paris 2F-14",
        "needed_by": day(10),
    }
    story("Standard laptop", "alice", ago(3), laptop).expect = State.AWAITING_APPROVAL
    phone = {"model": "iphone", "keep_number": True, "number": "+1 212 555 0147", "roaming": True}
    story("Mobile phone", "bob", ago(26), phone).expect = State.AWAITING_APPROVAL
    mailbox = {
        "address": "sh-procurement",
        "display_name": "上海采购部 Shanghai Procurement",
        "members": "王芳\n刘洋\n赵磊",
        "size_gb": 20,
    }
    story("Shared mailbox", "wangfang", ago(5), mailbox).expect = State.AWAITING_APPROVAL
    workstation = {
        "os": "linux",
        "ram_gb": 64,
        "gpu": True,
        "gpu_use": "训练产品缺陷检测模型（PyTorch），笔记本显存不够。",
        "justification": "需要在本地编译大型 C++ 项目并运行多个容器，标准笔记本太慢。",
    }
    story("Developer workstation", "liuyang", ago(28), workstation).expect = State.AWAITING_APPROVAL
    story(
        "Developer workstation",
        "bob",
        ago(30),
        {
            "os": "windows",
            "ram_gb": 64,
            "justification": "Full builds of the ERP integration take 40 minutes on my laptop.",
        },
        approve(ago(22), "manager", "Approved from my side; it is in the team's budget."),
    ).expect = State.AWAITING_APPROVAL  # now with the item owner, `admin`

    # Being fulfilled: tasks in the teams of `agent` (Service Desk, Network Operations, End-User Computing).
    onboarding = {
        "full_name": "张伟",
        "start_date": day(4),
        "department": "engineering",
        "job_title": "测试工程师",
        "manager": u["wangfang"].pk,
        "equipment": ["laptop", "monitor", "headset"],
        "erp": True,
        "erp_role": "viewer",
    }
    story(
        "New employee onboarding",
        "wangfang",
        ago(72),
        onboarding,
        approve(ago(70), "cab", "同意。"),
        task(ago(68), "Create accounts and mailbox", "in_progress", "cab"),
        task(ago(63), "Create accounts and mailbox", "done", "cab"),
        task(ago(5), "Prepare the laptop and equipment", "in_progress", "agent"),
    )
    story(
        "Standard laptop",
        "alice",
        ago(50),
        {"reason": "new_joiner", "keyboard": "fr", "needed_by": day(3)},
        approve(ago(47), "manager", "OK."),
        task(ago(45), "Pick a laptop from stock or order one", "in_progress", "deskside"),
        task(ago(24), "Pick a laptop from stock or order one", "done", "deskside"),
        task(ago(2), "Install the standard image and encrypt the disk", "in_progress", "agent"),
    )
    story(
        "Monitor & peripherals",
        "bob",
        ago(5),
        {"items": ["monitor", "dock"], "quantity": 1, "desk": "New York 12F-07"},
    )
    story(
        "Meeting-room AV support",
        "liuyang",
        ago(2),
        {
            "room": "yangtze",
            "meeting_date": day(1),
            "help": ["video", "test"],
            "attendees": 12,
            "remote": True,
            "platform": "tencent",
        },
        task(ago(1), "Check and prepare the room", "in_progress", "agent"),
    )
    story(
        "Mobile phone",
        "wangfang",
        ago(22),
        {"model": "android", "roaming": False},
        approve(ago(20), "cab"),
    )
    story(
        "Offboarding",
        "manager",
        ago(26),
        {
            "leaver": "Tom Becker",
            "employee_id": "E204518",
            "last_day": day(2),
            "equipment": ["laptop", "badge"],
            "mailbox": "forward",
            "forward_to": u["manager"].pk,
        },
        task(ago(20), "Disable accounts on the last day", "in_progress", "cab"),
    )
    reopened = {**laptop, "old_asset_tag": "IT-02264", "keyboard": "us", "desk": "New York 12F-07"}
    reopened.pop("needed_by")
    story(
        "Standard laptop",
        "bob",
        ago(6 * 24),
        reopened,
        approve(ago(6 * 24 - 2), "manager", "OK."),
        task(ago(6 * 24 - 4), "Pick a laptop from stock or order one", "in_progress", "deskside"),
        task(ago(5 * 24), "Pick a laptop from stock or order one", "done", "deskside"),
        task(ago(5 * 24 - 1), "Install the standard image and encrypt the disk", "in_progress", "agent"),
        task(ago(5 * 24 - 5), "Install the standard image and encrypt the disk", "done", "agent"),
        task(ago(4 * 24), "Deliver and collect the old laptop", "in_progress", "agent"),
        task(ago(2 * 24), "Deliver and collect the old laptop", "done", "agent"),
        (
            ago(20),
            "move",
            {"actor": u["bob"], "state": "fulfilling", "reason": REOPENS["Standard laptop"][0]},
        ),
    )
    story(
        "Software installation",
        "liuyang",
        ago(26),
        {"software": "visio", "asset_tag": "IT-20931", "reason": "需要画网络拓扑图和流程图。"},
        approve(ago(24), "cab", "同意，从共享池分配。"),
        task(ago(22), "Assign a licence", "in_progress", "dba"),
        task(ago(6), "Assign a licence", "done", "dba"),
    )

    # The guest portal is down: the webhook failed three times and the requests went to Network Operations.
    for who, hours, guest, started in (
        ("alice", 50 / 60, {"guest_name": "Jonas Weber", "company": "Contoso GmbH", "days": 2}, None),
        ("wangfang", 3, {"guest_name": "李明", "company": "华为技术", "days": 1}, 2.5),
    ):
        s = story("Guest Wi-Fi voucher", who, ago(hours), {**guest, "visit_date": day(0)})
        _automation_runs(s, fails=True)
        if started:
            s.add(ago(started), "task", title=FALLBACK, state="in_progress", actor=u["netops"])

    # A password reset fulfilled automatically a few minutes ago.
    s = story("Password reset", "liuyang", ago(6 / 60), {})
    s.add(s.at + timedelta(seconds=35), "automation")
    s.expect = State.FULFILLED
    return stories


def load(stdout) -> None:
    admin = User.objects.get(username="admin")
    items, changed = load_catalogue(admin)
    categories = CatalogCategory.objects.count()
    summary = f"  requests: {len(items)} catalogue items in {categories} categories"
    if ServiceRequest.objects.exists():
        stdout.write(
            f"{summary} ({changed} updated), {ServiceRequest.objects.count()} requests already there"
        )
        return
    rng = random.Random(20260302)  # noqa: S311 - demo data, reproducible
    now = timezone.now()
    ctx = Ctx(items)
    # The history is written quietly; today's open work notifies as it would (approvers, the teams
    # with tasks, Network Operations for the failed automation). All in order of submission, so the
    # request numbers follow time.
    stories = [(s, True) for s in _history(rng, ctx, now)] + [(s, False) for s in _open_work(ctx, now)]
    for story, quiet in sorted(stories, key=lambda pair: pair[0].at):
        with notifications_suppressed() if quiet else nullcontext():
            _write(story)
    with notifications_suppressed():
        sla_scan()  # warnings and breaches of the history, recorded without flooding inboxes
    counts = dict.fromkeys(State.values, 0)
    for state in ServiceRequest.objects.values_list("state", flat=True):
        counts[state] += 1
    stdout.write(
        f"{summary}, {sum(counts.values())} requests over the last 90 days "
        f"({counts[State.AWAITING_APPROVAL]} awaiting approval, {counts[State.FULFILLING]} being fulfilled)"
    )
