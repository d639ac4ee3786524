"""Text → search tokens, the same for indexing known errors, ranking suggestions and finding recurrences.

Latin text becomes lower-cased word stems (light suffix stripping) minus stop words. Chinese (and other
CJK) text has no spaces, so each run of CJK characters becomes its overlapping character bigrams, and a
one-character run becomes that character: "VPN老是掉线" → vpn, 老是, 是掉, 掉线. Pure Python, no
dictionaries to install, so SQLite and PostgreSQL index exactly the same tokens.
"""

import re
import unicodedata

# Words that say nothing about the fault. Stemmed forms are checked too (see _is_stop).
STOP_WORDS = frozenset(
    """
    a about above after again all also am an and any are as at be been before being but by can cannot
    cant could did didnt do does doesnt doing done dont down during each either every few for from get
    gets getting got had has have having he her here hers him his how i if im in into is isnt it its
    just keep keeps kept me more most my myself no nor not now of off on once only or other our out
    over own please same she should so some still such than thanks thank that the their them then
    there these they this those through to too under until up very via was wasnt we were what when
    where which while who why will with wont would you your yours hi hello dear regards today
    yesterday morning always again anyone someone something anything everything
    issue issues problem problems report reported reporting help need needs
    """.split()
)
# Frequent Chinese function-word bigrams that would otherwise match everything.
CJK_STOP = frozenset(
    """
    我的 你的 我们 你们 他们 这个 那个 什么 怎么 为什么 一下 一直 已经 还是 可以 现在 今天 时候
    请问 问题 出现 老是 总是 经常 一个 没有 不能 无法 不了 的时 时候 了一
    """.split()
)

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:['\-][a-z0-9]+)*")
_CJK_RUN = re.compile(rf"[{_CJK}]+")

# Longest first; (suffix, replacement, minimum stem length left).
_SUFFIXES = (
    ("ational", "ate", 3),
    ("ies", "y", 2),
    ("sses", "ss", 2),
    ("ingly", "", 3),
    ("edly", "", 3),
    ("tion", "t", 3),
    ("ing", "", 3),
    ("ness", "", 3),
    ("ment", "", 4),
    ("ed", "", 3),
    ("ly", "", 4),
    ("es", "", 3),
    ("s", "", 3),
)
_KEEP_S = ("ss", "us", "is", "os")


def stem(word: str) -> str:
    """A light English stemmer: updating/updated/updates → updat, jammed/jams → jam, drops → drop."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement, min_left in _SUFFIXES:
        if not word.endswith(suffix):
            continue
        if suffix == "s" and word.endswith(_KEEP_S):
            break
        base = word[: -len(suffix)]
        if len(base) < min_left:
            break
        word = base + replacement
        break
    # Double final consonant from -ing/-ed (stopped → stopp → stop), silent final e (update → updat).
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouslz":
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _is_stop(word: str) -> bool:
    return word in STOP_WORDS


def tokenize(text: str) -> list[str]:
    """Tokens in order of appearance, with repeats (term frequency counts for ranking)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for run in _RUN.findall(text):
        if _CJK_RUN.fullmatch(run):
            if len(run) == 1:
                tokens.append(run)
                continue
            tokens.extend(
                bigram for bigram in (run[i : i + 2] for i in range(len(run) - 1)) if bigram not in CJK_STOP
            )
            continue
        word = run.replace("'", "").replace("-", "")  # wi-fi → wifi, e-mail → email, can't → cant
        if _is_stop(word) or (len(word) < 2 and not word.isdigit()):
            continue
        stemmed = stem(word)
        if not _is_stop(stemmed):
            tokens.append(stemmed)
    return tokens


def token_string(text: str) -> str:
    """What the known error's search column stores: tokens separated and framed by spaces.

    The framing lets SQLite find a whole token with LIKE '% tok %'; PostgreSQL's
    to_tsvector('simple', ...) splits on the same spaces.
    """
    tokens = tokenize(text)
    return f" {' '.join(tokens)} " if tokens else ""


def unique_terms(text: str, *, limit: int = 40) -> list[str]:
    """Distinct tokens in order of first appearance (a query uses each term once)."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        seen.setdefault(token, None)
        if len(seen) >= limit:
            break
    return list(seen)
