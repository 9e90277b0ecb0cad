"""An ordered set of entity spans with a fast "which spans overlap this one?" query, for the
rules' merge (which used to filter the whole list for every rule span: quadratic)."""
from __future__ import annotations

import bisect
from collections.abc import Iterable

Span = tuple[int, int, str]


class SpanSet:
    """Spans in insertion order with an "overlapping p" query in O(log n + k): `merge` used
    to filter the whole list per rule span, quadratic on entity-dense texts (a 200 KB article
    of names took 40 s). Entries are (start, end, seq, label); seq keeps the list order the
    policy's tie-breaks depend on."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self._items: list[tuple[int, int, int, str]] = []
        self._seq = 0
        self._maxlen = 1
        for sp in spans:
            self.add(sp)

    def add(self, sp: Span, seq: int | None = None) -> None:
        if seq is None:
            seq, self._seq = self._seq, self._seq + 1
        bisect.insort(self._items, (sp[0], sp[1], seq, sp[2]))
        self._maxlen = max(self._maxlen, sp[1] - sp[0])

    def overlapping(self, p: Span) -> list[tuple[int, int, int, str]]:
        """Entries overlapping p (as `_overlaps`), in insertion order."""
        lo = bisect.bisect_left(self._items, (p[0] - self._maxlen + 1,))
        out = []
        items = self._items
        for i in range(lo, len(items)):
            it = items[i]
            if it[0] >= p[1]:
                break
            if it[1] > p[0]:
                out.append(it)
        return sorted(out, key=lambda it: it[2])

    def remove(self, it: tuple[int, int, int, str]) -> None:
        del self._items[bisect.bisect_left(self._items, it)]

    def spans(self) -> list[Span]:
        return [(s, e, lab) for s, e, _, lab in sorted(self._items, key=lambda it: it[2])]
