"""Snippets: the best one or two passages of a text around the query's terms, HTML-escaped,
matched words in <mark>.

Whoosh's highlighter runs the full analyzer (tokenizer, folding, stop list, stemmer) over the
whole text of every hit shown. Here the text is split with the index's own token pattern and
each distinct word is analysed once per process (a dict lookup afterwards), which is the same
result, since the analyzer's filters look at one token at a time. Only the hits shown get
snippets.
"""
from __future__ import annotations

import enum
import heapq
import html
import re
from collections.abc import Callable
from typing import Final

from index.schema import _TOKENS, text_analyzer

MAXCHARS = 220
SURROUND = 60
TOP = 2
MAX_MATCHES = 40  # enough to choose good passages; long texts are not scanned to the end
_TOKEN = re.compile(_TOKENS)
_WS = re.compile(r"\s+")
_CACHE_MAX = 200_000


class Normaliser:
    """word → the term the index stores for it (or None for a stop word), memoised."""

    def __init__(self, analyzer=None) -> None:
        self._ana = analyzer or text_analyzer()
        self._cache: dict[str, str | None] = {}

    def __call__(self, word: str) -> str | None:
        got = self._cache.get(word, _MISSING)
        if got is not _MISSING:
            return got
        toks = [t.text for t in self._ana(word)]
        got = toks[0] if len(toks) == 1 else (None if not toks else "\x00".join(toks))
        if len(self._cache) > _CACHE_MAX:
            self._cache.clear()
        self._cache[word] = got
        return got


class _Missing(enum.Enum):
    """A cache-miss sentinel that mypy can narrow away with `is`."""
    MISSING = enum.auto()


_MISSING: Final = _Missing.MISSING
_default: Normaliser | None = None


def normaliser() -> Normaliser:
    global _default
    if _default is None:
        _default = Normaliser()
    return _default


def snippet(text: str, terms: set[str] | frozenset[str],
            norm: Callable[[str], str | None] | None = None, *, maxchars: int = MAXCHARS,
            surround: int = SURROUND, top: int = TOP) -> str:
    """HTML: up to `top` passages joined by " … ", or "" when no term occurs in the text."""
    if not text or not terms:
        return ""
    norm = norm or normaliser()
    hits: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        n = norm(m.group())
        if n is not None and n in terms:
            hits.append((m.start(), m.end(), n))
            if len(hits) >= MAX_MATCHES:
                break
    if not hits:
        return ""
    span = max(maxchars - 2 * surround, 1)
    frags = []
    i = 0
    while i < len(hits):
        s0 = hits[i][0]
        j = i
        while j + 1 < len(hits) and hits[j + 1][1] - s0 <= span:
            j += 1
        group = hits[i:j + 1]
        score = 10 * len({h[2] for h in group}) + len(group)
        frags.append((score, -s0, group))
        i = j + 1
    best = heapq.nlargest(top, frags)
    best.sort(key=lambda f: -f[1])
    return _WS.sub(" ", " … ".join(_render(text, g, surround) for _, _, g in best))


def _render(text: str, group: list[tuple[int, int, str]], surround: int) -> str:
    start = max(0, group[0][0] - surround)
    end = min(len(text), group[-1][1] + surround)
    if start > 0:  # begin and end on word boundaries
        sp = text.find(" ", start, group[0][0])
        start = sp + 1 if sp != -1 else start
    if end < len(text):
        sp = text.rfind(" ", group[-1][1], end)
        end = sp if sp != -1 else end
    out, pos = [], start
    for a, b, _ in group:
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    return "".join(out)
