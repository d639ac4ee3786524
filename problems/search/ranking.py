"""Rank published known errors against typed text: one scoring definition for every database.

relevance = BM25(query terms, known error tokens) × (1 + 0.5·[same service] + 0.25·[same category])

  BM25 = Σ over query terms t found in the known error:
           idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·len/avg_len)),   k1 = 1.2, b = 0.75
  idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
  N, df, avg_len are taken over all published known errors; tf and len over the known error's tokens.

Only the way candidates are found differs. PostgreSQL: df of every term comes from the GIN index on the
stored search_vector (to_tsvector('simple', search_tokens), migration 0003) in one statement; then an OR tsquery of the rarer terms (see
candidate_terms) selects candidates through the same index, ordered by ts_rank (SearchRank) and cut at
CANDIDATE_LIMIT. SQLite: LIKE '% term %' filters on the same token column, and df is counted over those
candidates (every known error holding a term is one). Both then score the candidates in Python with the
formula above, so on a KEDB of normal size both rank the same way; at tens of thousands of known errors
PostgreSQL bounds the work by leaving out the most common terms when selecting candidates.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models import BooleanField as BooleanOutput
from django.db.models.expressions import RawSQL

from problems.models import Problem
from problems.search.tokenize import unique_terms

K1 = 1.2
B = 0.75
SERVICE_BOOST = 0.5
CATEGORY_BOOST = 0.25
CANDIDATE_LIMIT = 100
MAX_CANDIDATE_ROWS = 2000
MAX_QUERY_TERMS = 40
# Drop weak tails: a result under this share of the best result's relevance is noise.
RELATIVE_FLOOR = 0.2


@dataclass(frozen=True)
class Match:
    problem_id: int
    relevance: float
    matched_terms: tuple[str, ...]
    service_match: bool = False
    category_match: bool = False


@dataclass
class CorpusStats:
    count: int
    avg_length: float
    document_frequency: dict[str, int] = field(default_factory=dict)


def idf(*, count: int, df: int) -> float:
    return math.log(1 + (count - df + 0.5) / (df + 0.5))


def bm25(
    terms: list[str], doc: Counter, doc_length: int, stats: CorpusStats
) -> tuple[float, tuple[str, ...]]:
    score, matched = 0.0, []
    avg = stats.avg_length or 1.0
    for term in terms:
        tf = doc.get(term, 0)
        if not tf:
            continue
        weight = idf(count=stats.count, df=stats.document_frequency.get(term, 0))
        score += weight * tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc_length / avg))
        matched.append(term)
    return score, tuple(matched)


def relevance(text_score: float, *, service_match: bool, category_match: bool) -> float:
    return text_score * (1 + SERVICE_BOOST * service_match + CATEGORY_BOOST * category_match)


def published_known_errors() -> QuerySet[Problem]:
    return Problem.objects.filter(published_at__isnull=False)


def _token_vector():
    # The stored, GIN-indexed vector of search_tokens (a generated column, PostgreSQL only: migration 0003).
    column = f'"{Problem._meta.db_table}"."search_vector"'
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611 - a constant, no input


def _or_query(terms: list[str]) -> SearchQuery:
    # Tokens are [a-z0-9]+ or CJK characters only, so joining them is a safe raw tsquery.
    return SearchQuery(" | ".join(terms), search_type="raw", config="simple")


# df of each term, valid while the published corpus is unchanged (same size and newest change): typing
# sessions and popular symptoms ask for the same terms again and again, and each count scans an index.
_df_cache: dict[str, int] = {}
_df_corpus: tuple = ()
DF_CACHE_SIZE = 50_000


def df_cache_clear() -> None:
    global _df_corpus
    _df_cache.clear()
    _df_corpus = ()


def _postgres_statistics(terms: list[str]) -> tuple[int, float, dict[str, int]]:
    """N, average length and the df of every term; N, average and the corpus fingerprint come from one
    index-only scan, and only the terms not counted since the corpus last changed are counted."""
    global _df_corpus
    table = Problem._meta.db_table
    published = f"FROM {table} WHERE published_at IS NOT NULL"  # noqa: S608 - table name is ours
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), AVG(search_token_count), MAX(updated_at) {published}")  # noqa: S608
        count, avg_length, newest = cursor.fetchone()
        corpus = (connection.alias, count, newest)
        if corpus != _df_corpus or len(_df_cache) > DF_CACHE_SIZE:
            df_cache_clear()
            _df_corpus = corpus
        missing = [t for t in terms if t not in _df_cache]
        if missing:
            counts = ", ".join(
                f"(SELECT COUNT(*) {published} AND search_vector @@ to_tsquery('simple'::regconfig, %s))"
                for _ in missing
            )
            cursor.execute(f"SELECT {counts}", missing)  # noqa: S608 - placeholders only
            _df_cache.update(zip(missing, cursor.fetchone(), strict=True))
    return count, float(avg_length or 1), {t: _df_cache[t] for t in terms}


def candidate_terms(terms: list[str], frequencies: dict[str, int]) -> list[str]:
    """The terms that select candidates: the rarest first, while the rows they match stay under
    MAX_CANDIDATE_ROWS (ts_rank parses every matched row). Very common terms still count in the score;
    they only stop widening the net. On a small KEDB every term takes part."""
    present = sorted((t for t in terms if frequencies.get(t)), key=lambda t: (frequencies[t], terms.index(t)))
    chosen, rows = [], 0
    for term in present:
        if chosen and rows + frequencies[term] > MAX_CANDIDATE_ROWS:
            break
        chosen.append(term)
        rows += frequencies[term]
    return chosen


def _postgres_candidates(base: QuerySet, terms: list[str], frequencies: dict[str, int]) -> list[dict]:
    selecting = candidate_terms(terms, frequencies)
    if not selecting:
        return []
    vector, query = _token_vector(), _or_query(selecting)
    return list(
        base.annotate(document=vector, text_rank=SearchRank(vector, query))
        .filter(document=query)
        .order_by("-text_rank", "id")
        .values("id", "search_tokens", "search_token_count", "category_id", "service_match")[:CANDIDATE_LIMIT]
    )


def _fallback_candidates(base: QuerySet, terms: list[str]) -> tuple[list[dict], dict[str, int]]:
    condition = Q()
    for term in terms:
        condition |= Q(search_tokens__contains=f" {term} ")
    rows = list(
        base.filter(condition)
        .order_by("id")
        .values("id", "search_tokens", "search_token_count", "category_id", "service_match")
    )
    frequencies = Counter()
    for row in rows:
        present = set(row["search_tokens"].split())
        frequencies.update(term for term in terms if term in present)
    return rows, dict(frequencies)


def rank_known_errors(
    *,
    text: str,
    service_id: int | None = None,
    category_ids: tuple[int, ...] = (),
    limit: int = 10,
    queryset: QuerySet[Problem] | None = None,
) -> list[Match]:
    """Published known errors that match the text, best first, with the terms that matched."""
    terms = unique_terms(text, limit=MAX_QUERY_TERMS)
    if not terms:
        return []
    base = published_known_errors() if queryset is None else queryset
    if connection.vendor == "postgresql":
        count, avg_length, frequencies = _postgres_statistics(terms)
    else:
        totals = base.aggregate(count=Count("*"), avg_length=Avg("search_token_count"))
        count, avg_length = totals["count"], float(totals["avg_length"] or 1)
    if not count:
        return []
    if service_id:
        through = Problem.services.through
        base = base.annotate(
            service_match=Exists(through.objects.filter(problem_id=OuterRef("pk"), service_id=service_id))
        )
    else:
        base = base.annotate(service_match=Value(False, output_field=BooleanOutput()))
    if connection.vendor == "postgresql":
        rows = _postgres_candidates(base, terms, frequencies)
    else:
        rows, frequencies = _fallback_candidates(base, terms)
    stats = CorpusStats(count=count, avg_length=avg_length, document_frequency=frequencies)
    categories = {c for c in category_ids if c}
    matches = []
    for row in rows:
        tokens = row["search_tokens"].split()
        text_score, matched = bm25(terms, Counter(tokens), row["search_token_count"] or len(tokens), stats)
        if not matched:
            continue
        category_match = row["category_id"] in categories
        matches.append(
            Match(
                problem_id=row["id"],
                relevance=round(
                    relevance(
                        text_score, service_match=bool(row["service_match"]), category_match=category_match
                    ),
                    6,
                ),
                matched_terms=matched,
                service_match=bool(row["service_match"]),
                category_match=category_match,
            )
        )
    matches.sort(key=lambda m: (-m.relevance, m.problem_id))
    if matches:
        floor = matches[0].relevance * RELATIVE_FLOOR
        matches = [m for m in matches if m.relevance >= floor]
    return matches[:limit]
