"""Placing another app's highlights on an article's text, and mapping its colours.

A quote is placed verbatim (the first occurrence at or after the previous highlight when it
repeats: exports list highlights in reading order), then with typography and whitespace
folded, then by core.anchors' fuzzy resolution; one that cannot be placed comes back as an
orphan anchor (0, 0, quote), which the caller stores and lists, never drops.
"""
from __future__ import annotations

import re
import unicodedata

from core import anchors
from core.importers.app_exports import Highlight
from core.models import Anchor
from core.palette import DEFAULT_COLOUR, NAMES

_COLOURS = {"yellow": "yellow", "orange": "yellow", "green": "green", "blue": "blue",
            "red": "pink", "pink": "pink", "purple": "purple", "violet": "purple"}

def colour(app_colour: str) -> str:
    """An app's highlight colour name → our palette's ("red" → "pink"); default yellow."""
    c = _COLOURS.get((app_colour or "").strip().lower(), "")
    return c if c in NAMES else DEFAULT_COLOUR


# -- placing highlights ---------------------------------------------------------------------------
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-",
                       "—": "-", "‐": "-", "\u00a0": " ", "…": "...", "*": None, "_": None})


def _folded(s: str) -> tuple[str, list[int]]:
    """Casefolded, typography folded, whitespace collapsed; with each char's original offset."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(s):
        t = unicodedata.normalize("NFKC", ch).translate(_FOLD).casefold()
        if not t:
            continue
        if t.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i)
            space = False
        for c in t:
            out.append(c)
            where.append(i)
    return "".join(out), where


class Placer:
    """Places an article's highlights in order on its text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._fold: tuple[str, list[int]] | None = None
        self.cursor = 0

    def place(self, h: Highlight) -> Anchor:
        """An anchor at the passage, or an orphan anchor (0, 0, quote) if it cannot be placed."""
        q = unicodedata.normalize("NFC", re.sub(r"\s+", " ", h.quote).strip())
        span = self._exact(q) or self._loose(q) or self._fuzzy(q, h)
        if span is None:
            return Anchor(0, 0, q, h.prefix[-anchors.CONTEXT:], h.suffix[:anchors.CONTEXT])
        self.cursor = span[0]
        return anchors.make_anchor(self.text, *span)

    def _exact(self, q: str) -> tuple[int, int] | None:
        pos = self.text.find(q, self.cursor)
        if pos < 0:
            pos = self.text.find(q)
        return (pos, pos + len(q)) if pos >= 0 and q else None

    def _loose(self, q: str) -> tuple[int, int] | None:
        if self._fold is None:
            self._fold = _folded(self.text)
        folded, where = self._fold
        fq, _ = _folded(q)
        if len(fq) < 3:
            return None
        start_f = next((i for i, w in enumerate(where) if w >= self.cursor), 0)
        pos = folded.find(fq, start_f)
        if pos < 0:
            pos = folded.find(fq)
        if pos < 0:
            return None
        return where[pos], where[pos + len(fq) - 1] + 1

    def _fuzzy(self, q: str, h: Highlight) -> tuple[int, int] | None:
        r = anchors.resolve(self.text, Anchor(self.cursor, self.cursor + len(q), q,
                                              h.prefix[-anchors.CONTEXT:],
                                              h.suffix[:anchors.CONTEXT]))
        return None if r.orphaned else (r.start, r.end)
