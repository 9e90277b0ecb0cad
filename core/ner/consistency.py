"""Document-level consistency: one name, one label, everywhere in an article.

1. A bare surname after a full PERSON name ("Starmer" after "Keir Starmer") is that PERSON,
   whether the model left it untagged or gave it another label.
2. Untagged repeats of a tagged name get the name's label (multi-word names always;
   single words only when the word never appears in lower case in the article, so
   "Secure" the fund is repeated but "secure" the adjective is not).
3. The same string with different labels takes the majority label (ties: the label of
   a longer-context occurrence is unknown, so the first one wins).
4. An acronym in parentheses right after a name, "Security Action for Europe (SAFE)",
   takes the name's label, and so do its repeats.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from core.ner import lists

Span = tuple[int, int, str]
_PROPAGATE = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
_TITLES = set(lists.TITLES)
_NAME_PART = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*$")


class _Occupied:
    """The spans' intervals, for "does [s, e) overlap any?" in O(log n): rebuilding the list
    of spans per candidate occurrence was quadratic (a name-dense 200 KB text: 35 s)."""

    def __init__(self, keys) -> None:
        self._items: list[tuple[int, int]] = sorted(keys)
        self._maxlen = max((e - s for s, e in self._items), default=0) + 1

    def overlaps(self, s: int, e: int) -> bool:
        items = self._items
        for i in range(bisect.bisect_left(items, (s - self._maxlen + 1,)), len(items)):
            a, b = items[i]
            if a >= e:
                return False
            if b > s:
                return True
        return False

    def add(self, s: int, e: int) -> None:
        bisect.insort(self._items, (s, e))
        self._maxlen = max(self._maxlen, e - s + 1)


def _occurrences(text: str, phrase: str):
    # whole-word, case-sensitive; "Starmer's" counts, "Starmerism" doesn't
    pat = re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-]|[’']?\w\w)")
    for m in pat.finditer(text):
        yield m.start(), m.end()


def harmonise(text: str, spans: list[Span]) -> list[Span]:
    spans = sorted(spans)
    by_start = {(s, e): lab for s, e, lab in spans}

    # 1. surnames of full person names
    surnames: dict[str, str] = {}
    for s, e, lab in spans:
        if lab != "PERSON":
            continue
        parts = text[s:e].split()
        if len(parts) >= 2:
            last = parts[-1]
            if _NAME_PART.match(last) and last not in _TITLES and len(last) >= 2:
                surnames[last] = "PERSON"
                if len(parts) >= 3 and parts[-2][:1].islower():  # "Ursula von der Leyen"
                    surnames[" ".join(p for p in parts[1:])] = "PERSON"
    occupied = _Occupied(by_start)
    for name in surnames:
        for s, e in _occurrences(text, name):
            key = (s, e)
            if key in by_start:
                if by_start[key] != "PERSON":
                    by_start[key] = "PERSON"
                continue
            if not occupied.overlaps(s, e):
                by_start[key] = "PERSON"
                occupied.add(s, e)

    # 3. majority label per string
    labels_of: dict[str, Counter] = defaultdict(Counter)
    first_label: dict[str, str] = {}
    for (s, e), lab in sorted(by_start.items()):
        t = text[s:e]
        labels_of[t][lab] += 1
        first_label.setdefault(t, lab)
    for (s, e), lab in list(by_start.items()):
        t = text[s:e]
        c = labels_of[t]
        if len(c) > 1 and lab in _PROPAGATE:
            top = c.most_common()
            best = top[0][0] if top[0][1] > top[1][1] else first_label[t]
            if best in _PROPAGATE:
                by_start[(s, e)] = best

    # 4. acronyms in parentheses after a name
    for (s, e), lab in sorted(by_start.items()):
        if lab not in ("ORG", "GPE", "LOC", "FAC", "EVENT"):
            continue
        m = re.match(r" \(([A-Z][A-Za-z]{1,9})\)", text[e:e + 14])
        words = text[s:e].split()
        if m and len(words) >= 2 and m.group(1)[0].upper() == words[0][0].upper():
            a, b = e + 2, e + 2 + len(m.group(1))
            if not occupied.overlaps(a, b):
                by_start[(a, b)] = lab
                occupied.add(a, b)

    # 2. untagged repeats
    names: Counter[tuple[str, str]] = Counter()
    for (s, e), lab in by_start.items():
        if lab in _PROPAGATE:
            names[(text[s:e], lab)] += 1
    lower = text.lower()
    for (t, lab) in names:
        if len(t) < 2 or t in _TITLES:
            continue
        if " " not in t:
            # single word: skip if it occurs in lower case in the article
            if re.search(r"(?<![\w-])" + re.escape(t.lower()) + r"(?![\w-])", text):
                continue
            if not t[:1].isupper():
                continue
        for s, e in _occurrences(text, t):
            if (s, e) in by_start:
                continue
            if not occupied.overlaps(s, e):
                by_start[(s, e)] = lab
                occupied.add(s, e)
    _ = lower
    return sorted((s, e, lab) for (s, e), lab in by_start.items())
