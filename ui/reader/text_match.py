"""Accent- and case-insensitive matching in canonical text, returning canonical offsets.

Folding can change length (ß → ss, "é" → "e" + dropped mark), so the folded string carries an
origin table: folded index → canonical offset. Matches are found in the folded string and mapped
back, so "sefcovic" marks "Šefčovič" exactly. Qt-free, so it is trivially testable.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    d = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in d if not unicodedata.combining(c)).casefold()


class FoldedText:
    def __init__(self, text: str) -> None:
        parts: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            f = ch.lower() if ch.isascii() else _fold_char(ch)
            parts.append(f)
            origin.extend([i] * len(f))
        self.text = text
        self.folded = "".join(parts)
        self.origin = origin

    def _span(self, fs: int, fe: int) -> tuple[int, int]:
        return self.origin[fs], self.origin[fe - 1] + 1

    def find_all(self, query: str) -> list[tuple[int, int]]:
        """Every occurrence of `query` (plain substring, folded)."""
        q = fold(query)
        if not q.strip():
            return []
        out, pos = [], self.folded.find(q)
        while pos >= 0:
            out.append(self._span(pos, pos + len(q)))
            pos = self.folded.find(q, pos + len(q))
        return out

    def find_terms(self, terms: list[str]) -> list[tuple[int, int]]:
        """Words starting with any term (search terms may be stems: "defenc" → "defence"),
        whole words marked; phrases match as phrases. Sorted, non-overlapping."""
        pats = set()
        for t in terms:
            f = fold(t).strip()
            if f:
                words = f.split()
                for last in _variants(words[-1]):
                    pats.add(r"\s+".join(re.escape(w) for w in [*words[:-1], last]))
        if not pats:
            return []
        rx = re.compile(r"\b(?:" + "|".join(sorted(pats, key=len, reverse=True)) + r")\w*")
        return [self._span(m.start(), m.end()) for m in rx.finditer(self.folded)]


_SUFFIXES = ("ies", "es", "s", "ing", "ed", "ly", "i", "e")


def _variants(word: str) -> set[str]:
    """The word and light stems of it, so a query word or an index stem ("germani",
    "defences") still marks the article's spelling ("Germany", "defence")."""
    out = {word}
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            out.add(word[:-len(suf)])
    return out


def fold(s: str) -> str:
    return "".join(ch.lower() if ch.isascii() else _fold_char(ch) for ch in s)
