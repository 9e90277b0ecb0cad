"""Passage anchors (W3C TextPositionSelector + TextQuoteSelector) and re-anchoring.

Resolution order, as Hypothesis does it: the stored offsets if the text there is still the quote;
else the best exact occurrence of the quote scored by context and distance; else a fuzzy match of
quote + context; else the annotation is orphaned (kept, listed, never attached elsewhere).

Scores use Hypothesis's weights (quote 50, prefix 20, suffix 20, position 2), normalised to 0..1.
Unlike Hypothesis, which takes the best match it can find, this module would rather orphan an
annotation than attach it to the wrong passage:

* an exact occurrence is taken only when its context agrees on at least one side (prefix or
  suffix ≥ CONTEXT_SUPPORT similar), or it sits at the stored offsets, or it is the quote's only
  occurrence and the quote is long enough (≥ UNIQUE_MIN_LEN) to be a passage rather than a word;
* a fuzzy match needs a quote of ≥ FUZZY_MIN_LEN characters, ≥ FUZZY_MIN_QUOTE_SIM similarity to
  the quote, context agreeing on at least one side, and no rival elsewhere that fits as well.

The fuzzy search is bounded: exact occurrences of chunks of the quote and of the prefix's tail and
the suffix's head are seeds; around the best few seed clusters the quote is searched as an
approximate substring (Myers' bit-parallel algorithm, as Hypothesis's client does), so a
50k-character article costs milliseconds, not a scan of every window. (rapidfuzz was tried: its
alignments are global, so ties put a match's ends in the wrong place, and it was no faster here.)
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from core.models import Anchor

CONTEXT = 32
W_QUOTE, W_PREFIX, W_SUFFIX, W_POS = 50, 20, 20, 2
_W_TOTAL = W_QUOTE + W_PREFIX + W_SUFFIX + W_POS

CONTEXT_SUPPORT = 0.5        # a side of the context "agrees" at or above this similarity
UNIQUE_MIN_LEN = 20          # an exact occurrence without context must be unique and this long
FUZZY_MIN_LEN = 12           # shorter quotes are never placed fuzzily (too easy to hit a wrong word)
FUZZY_MIN_QUOTE_SIM = 0.75   # at most a quarter of the quote may have changed
AMBIGUITY = 0.02             # rival fuzzy matches closer than this (0..1, position ignored) → orphan
MAX_OCCURRENCES = 2000       # more exact occurrences than this: only those near the old place count
MAX_SEED_HITS = 16           # a seed chunk occurring more often than this says nothing; skipped
MAX_SEED_CHUNKS = 32
MAX_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Resolution:
    start: int
    end: int
    status: str  # "exact" | "moved" | "fuzzy" | "orphaned"
    score: float = 1.0  # 0..1 confidence (Hypothesis-weighted); 0 for an orphan

    @property
    def orphaned(self) -> bool:
        return self.status == "orphaned"


ORPHANED = Resolution(0, 0, "orphaned", 0.0)


def _myers(pattern: str, text: str, search: bool) -> list[int]:
    """Myers' bit-parallel edit distance (J. ACM 1999), the algorithm Hypothesis's client uses.

    Returns, for every end offset j = 1..len(text), the edit distance between `pattern` and the
    best-matching text[i:j] (search=True: any i, an approximate substring match) or text[:j]
    (search=False: plain edit distance). Python's big integers make the pattern length unbounded.
    """
    m = len(pattern)
    if m == 0:
        return [0] * len(text) if search else list(range(1, len(text) + 1))
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, c in enumerate(pattern):
        peq[c] = peq.get(c, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    carry = 0 if search else 1
    out = []
    for c in text:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        out.append(score)
    return out


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    if not b:
        return len(a)
    return _myers(a, b, search=False)[-1]


def similarity(a: str, b: str) -> float:
    """Normalised Levenshtein similarity, 0..1 (1 = equal): 1 - distance / longer length."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return 1.0 - edit_distance(a, b) / max(len(a), len(b))


def make_anchor(text: str, start: int, end: int) -> Anchor:
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"passage {start}-{end} lies outside the text (length {len(text)})")
    return Anchor(start, end, text[start:end], text[max(0, start - CONTEXT):start],
                  text[end:end + CONTEXT])


def find_quote(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the n-th (1-based) occurrence of `quote` (NFC-normalised, like the text);
    ValueError with a clear reason."""
    quote = unicodedata.normalize("NFC", quote or "")
    if not quote.strip():
        raise ValueError("the quote is empty")
    if occurrence < 1:
        raise ValueError("occurrence counts from 1")
    pos = -1
    for _ in range(occurrence):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            count = text.count(quote)
            if count == 0:
                raise ValueError(f"the quote {quote[:40]!r} does not occur in the article")
            raise ValueError(f"the quote occurs {count} time(s); occurrence {occurrence} asked")
    return pos, pos + len(quote)


# -- scoring -------------------------------------------------------------------------------------
def _prefix_sim(text: str, start: int, a: Anchor) -> float:
    if not a.prefix:  # the passage began the text
        return 1.0 if start == 0 else 0.0
    return similarity(a.prefix, text[max(0, start - len(a.prefix)):start])


def _suffix_sim(text: str, end: int, a: Anchor) -> float:
    if not a.suffix:  # the passage ended the text
        return 1.0 if end == len(text) else 0.0
    return similarity(a.suffix, text[end:end + len(a.suffix)])


def _content(qs: float, ps: float, ss: float) -> float:
    """How well a place matches the quote and its context, position ignored (0..1)."""
    return (W_QUOTE * qs + W_PREFIX * ps + W_SUFFIX * ss) / (_W_TOTAL - W_POS)


def _score(qs: float, ps: float, ss: float, start: int, a: Anchor, n: int) -> float:
    pos = 1.0 - min(1.0, abs(start - a.start) / max(1, n))
    return (W_QUOTE * qs + W_PREFIX * ps + W_SUFFIX * ss + W_POS * pos) / _W_TOTAL


# -- resolution ----------------------------------------------------------------------------------
def resolve(text: str, a: Anchor) -> Resolution:
    """Where the anchored passage is in `text` now, or orphaned. Never raises."""
    q = a.exact
    if not q:
        return ORPHANED
    n = len(text)
    at_offsets = 0 <= a.start < a.end <= n and text[a.start:a.end] == q
    if at_offsets and _prefix_sim(text, a.start, a) == 1.0 and _suffix_sim(text, a.end, a) == 1.0:
        return Resolution(a.start, a.end, "exact", 1.0)
    occ, complete = _occurrences(text, q, a.start)
    exact, rivals = _best_exact(text, a, occ, complete, at_offsets)
    if exact is not None:
        return exact
    if complete and len(occ) == 1:
        # The quote is still there, once, but nothing says it is the passage; an edited copy
        # elsewhere would be even less certain.
        return ORPHANED
    fuzzy = _fuzzy(text, a, rivals)
    return fuzzy if fuzzy is not None else ORPHANED


def _occurrences(text: str, q: str, around: int) -> tuple[list[int], bool]:
    """Start offsets of `q`; if there are very many, only those near `around` (complete=False)."""
    total = text.count(q)
    lo, hi, complete = 0, len(text), True
    if total > MAX_OCCURRENCES:
        span = max(4096, 64 * len(q))
        lo, hi, complete = max(0, around - span), min(len(text), around + span), False
    out = []
    pos = text.find(q, lo, hi)
    while pos >= 0:
        out.append(pos)
        pos = text.find(q, pos + 1, hi)
    return out, complete


def _best_exact(text: str, a: Anchor, occ: list[int], complete: bool,
                at_offsets: bool) -> tuple[Resolution | None, list[float]]:
    """The best context-supported verbatim occurrence; else None and the content scores of the
    unsupported occurrences (a fuzzy match has to beat them)."""
    q = a.exact
    unique_long = complete and len(occ) == 1 and len(q) >= UNIQUE_MIN_LEN
    best: tuple[float, int] | None = None
    rivals: list[float] = []
    for s in occ:
        ps, ss = _prefix_sim(text, s, a), _suffix_sim(text, s + len(q), a)
        supported = ps >= CONTEXT_SUPPORT or ss >= CONTEXT_SUPPORT or \
            (at_offsets and s == a.start) or unique_long
        if not supported:
            rivals.append(_content(1.0, ps, ss))
            continue
        sc = _score(1.0, ps, ss, s, a, len(text))
        if best is None or sc > best[0]:
            best = (sc, s)
    if best is None:
        return None, rivals
    sc, s = best
    status = "exact" if s == a.start else "moved"
    return Resolution(s, s + len(q), status, round(sc, 4)), rivals


def _find_all(text: str, sub: str, limit: int) -> list[int] | None:
    """Up to `limit` occurrences; None if there are more (the substring is not distinctive)."""
    out: list[int] = []
    pos = text.find(sub)
    while pos >= 0:
        if len(out) == limit:
            return None
        out.append(pos)
        pos = text.find(sub, pos + 1)
    return out


def _seed_starts(text: str, a: Anchor) -> list[int]:
    """Candidate start offsets voted for by exact hits of quote chunks and context ends."""
    q = a.exact
    g = max(4, min(16, len(q) // 4))
    offsets = list(range(0, len(q) - g + 1, g))
    if len(offsets) > MAX_SEED_CHUNKS:
        step = len(offsets) / MAX_SEED_CHUNKS
        offsets = [offsets[int(i * step)] for i in range(MAX_SEED_CHUNKS)]
    starts: list[int] = []
    for off in offsets:
        chunk = q[off:off + g]
        if not chunk.strip():
            continue
        hits = _find_all(text, chunk, MAX_SEED_HITS)
        if hits:
            starts += [h - off for h in hits]
    if len(a.prefix) >= 4:
        tail = a.prefix[-g:]
        hits = _find_all(text, tail, MAX_SEED_HITS)
        if hits:
            starts += [h + len(tail) for h in hits]
    if len(a.suffix) >= 4:
        head = a.suffix[:g]
        hits = _find_all(text, head, MAX_SEED_HITS)
        if hits:
            starts += [h - len(q) for h in hits]
    return starts


def _clusters(starts: list[int], a: Anchor) -> list[int]:
    """Group nearby seed starts; the best-voted groups' medians, most votes first."""
    if not starts:
        return []
    tol = max(4, len(a.exact) // 4)
    starts.sort()
    groups: list[list[int]] = [[starts[0]]]
    for s in starts[1:]:
        if s - groups[-1][0] <= tol:
            groups[-1].append(s)
        else:
            groups.append([s])
    ranked = sorted(groups, key=lambda g: (-len(g), abs(g[len(g) // 2] - a.start)))
    return [g[len(g) // 2] for g in ranked[:MAX_CANDIDATES]]


def _nearest(positions: list[int], want: int, k: int = 3) -> list[int]:
    return sorted(positions, key=lambda x: (abs(x - want), x))[:k]


def _align(text: str, a: Anchor, center: int) -> tuple[int, int, float] | None:
    """The span of `text` near `center` that best matches the quote as an approximate substring:
    fewest edits, ties broken by how well the context agrees. Returns (start, end, quote
    similarity), or None if no span there is similar enough to the quote."""
    q = a.exact
    slack = max(8, len(q) // 4 + 4)
    lo = max(0, center - slack)
    hi = min(len(text), center + len(q) + slack)
    if hi <= lo:
        return None
    window = text[lo:hi]
    fwd = _myers(q, window, search=True)
    k = min(fwd)
    if k > (1.0 - FUZZY_MIN_QUOTE_SIM) * len(q):
        return None
    ends = _nearest([j + 1 for j, d in enumerate(fwd) if d == k], center + len(q) - lo)
    # starts: the same search run backwards (reversed quote over the reversed window)
    rev = _myers(q[::-1], window[::-1], search=True)
    kr = min(rev)
    starts = _nearest([len(window) - (j + 1) for j, d in enumerate(rev) if d == kr], center - lo)
    best = None
    for s in starts:
        for e in ends:
            if e <= s:
                continue
            qs = similarity(q, window[s:e])
            c = _content(qs, _prefix_sim(text, lo + s, a), _suffix_sim(text, lo + e, a))
            if best is None or c > best[0]:
                best = (c, lo + s, lo + e, qs)
    return None if best is None else best[1:]


def _fuzzy(text: str, a: Anchor, rivals: list[float]) -> Resolution | None:
    q = a.exact
    if len(q) < FUZZY_MIN_LEN or not text:
        return None
    found: dict[tuple[int, int], tuple[float, float]] = {}
    for center in _clusters(_seed_starts(text, a), a):
        got = _align(text, a, center)
        if got is None or got[:2] in found:
            continue
        s, e, qs = got
        span = (s, e)
        if qs < FUZZY_MIN_QUOTE_SIM:
            continue
        ps, ss = _prefix_sim(text, s, a), _suffix_sim(text, e, a)
        if ps < CONTEXT_SUPPORT and ss < CONTEXT_SUPPORT:
            continue
        content = _content(qs, ps, ss)
        found[span] = (_score(qs, ps, ss, s, a, len(text)), content)
    if not found:
        return None
    ranked = sorted(found.items(), key=lambda kv: -kv[1][0])
    (bs, be), (best_score, best_content) = ranked[0]
    for (s, e), (_, content) in ranked[1:]:
        overlaps = s < be and bs < e
        if not overlaps and best_content - content < AMBIGUITY:
            return None  # two places fit about equally well: do not guess
    if any(best_content - r < AMBIGUITY for r in rivals):
        return None  # a verbatim copy of the quote fits as well
    return Resolution(bs, be, "fuzzy", round(best_score, 4))
