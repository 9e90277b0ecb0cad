"""Passage anchors (W3C TextPositionSelector + TextQuoteSelector) and re-anchoring.

Resolution order, as Hypothesis does it: the stored offsets if the text there is still the quote;
else the best exact occurrence of the quote scored by context and distance; else a fuzzy match of
quote + context; else the annotation is orphaned (kept, listed, never attached elsewhere).
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from core.models import Anchor

CONTEXT = 32


@dataclass(frozen=True, slots=True)
class Resolution:
    start: int
    end: int
    status: str  # "exact" | "moved" | "fuzzy" | "orphaned"

    @property
    def orphaned(self) -> bool:
        return self.status == "orphaned"


def make_anchor(text: str, start: int, end: int) -> Anchor:
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"passage {start}-{end} lies outside the text (length {len(text)})")
    return Anchor(start, end, text[start:end], text[max(0, start - CONTEXT):start],
                  text[end:end + CONTEXT])


def find_quote(text: str, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the n-th (1-based) occurrence of `quote`; ValueError with a clear reason."""
    if not quote:
        raise ValueError("the quote is empty")
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            count = text.count(quote)
            if count == 0:
                raise ValueError(f"the quote {quote[:40]!r} does not occur in the article")
            raise ValueError(f"the quote occurs {count} time(s); occurrence {occurrence} asked")
    return pos, pos + len(quote)


def _context_score(text: str, start: int, end: int, a: Anchor) -> float:
    pre = text[max(0, start - len(a.prefix)):start]
    suf = text[end:end + len(a.suffix)]
    score = 0.0
    if a.prefix:
        score += 20 * SequenceMatcher(None, pre, a.prefix, autojunk=False).ratio()
    if a.suffix:
        score += 20 * SequenceMatcher(None, suf, a.suffix, autojunk=False).ratio()
    return score


def resolve(text: str, a: Anchor) -> Resolution:
    if not a.exact:
        return Resolution(0, 0, "orphaned")
    if 0 <= a.start < a.end <= len(text) and text[a.start:a.end] == a.exact:
        return Resolution(a.start, a.end, "exact")
    best, best_score = None, -1.0
    pos = text.find(a.exact)
    n = 0
    while pos >= 0 and n < 1000:
        score = (_context_score(text, pos, pos + len(a.exact), a)
                 - 2 * abs(pos - a.start) / max(1, len(text)))
        if score > best_score:
            best, best_score = pos, score
        pos = text.find(a.exact, pos + 1)
        n += 1
    if best is not None:
        return Resolution(best, best + len(a.exact), "moved")
    fuzzy = _fuzzy(text, a)
    return fuzzy if fuzzy else Resolution(0, 0, "orphaned")


def _fuzzy(text: str, a: Anchor) -> Resolution | None:
    """Best window near the old position whose text is ≥ 85 % similar to the quote, with the
    context agreeing; short quotes are never fuzzily placed (too easy to land on the wrong word)."""
    q = a.exact
    if len(q) < 12:
        return None
    best = None
    best_score = 0.0
    step = max(1, len(q) // 8)
    lo = 0
    for start in range(lo, max(1, len(text) - len(q) // 2), step):
        window = text[start:start + len(q)]
        sm = SequenceMatcher(None, window, q, autojunk=False)
        if sm.quick_ratio() < 0.85:
            continue
        r = sm.ratio()
        if r < 0.85:
            continue
        # refine edges by trying small shifts
        for ds in range(-step, step + 1):
            for de in range(-step, step + 1):
                s, e = start + ds, start + len(q) + de
                if 0 <= s < e <= len(text):
                    rr = SequenceMatcher(None, text[s:e], q, autojunk=False).ratio()
                    score = 50 * rr + _context_score(text, s, e, a) \
                        - 2 * abs(s - a.start) / max(1, len(text))
                    if rr >= 0.85 and score > best_score:
                        best, best_score = (s, e), score
    if best is None:
        return None
    return Resolution(best[0], best[1], "fuzzy")
