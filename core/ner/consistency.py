"""Document-level consistency: one name, one label, everywhere in an article.

1. A bare surname of a full PERSON name ("Starmer" after "Keir Starmer") untagged by the
   model is that PERSON; tagged otherwise, the surname counts as evidence in the vote.
2. Untagged repeats of a tagged name get the name's label (multi-word names always;
   single words only when the word never appears in lower case in the article, so
   "Secure" the fund is repeated but "secure" the adjective is not).
3. The same string with different labels: each mention's label is weighed with the local
   evidence around it; a mention is relabelled only when the other label clearly wins and
   it has no evidence of its own (a first guess is never simply copied).
4. An acronym in parentheses right after a name, "Security Action for Europe (SAFE)",
   takes the name's label, and so do its repeats.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from core.ner import lists, rules

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


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"


def _occurs_as_word(text: str, word: str) -> bool:
    """`word` occurs in `text` with no word character or hyphen on either side (the regex
    this replaces, one per name, cost more than the rest of the step)."""
    n = len(word)
    i = text.find(word)
    while i != -1:
        if not (i and _is_word_char(text[i - 1])) and not (i + n < len(text) and _is_word_char(text[i + n])):
            return True
        i = text.find(word, i + 1)
    return False


def _occurrences(text: str, phrase: str):
    """Whole-word, case-sensitive occurrences: "Starmer's" counts, "Starmerism" doesn't.
    (str.find with boundary checks: a regex per phrase thrashed re's compile cache.)"""
    n = len(phrase)
    i = text.find(phrase)
    while i != -1:
        j = i + n
        before = text[i - 1] if i else " "
        ok = not (before.isalnum() or before in "_-")
        if ok and j < len(text):
            after = text[j]
            if after.isalnum() or after in "_-":
                ok = False
            elif after in "'’" and len(text[j + 1:j + 3]) == 2 and \
                    all(c.isalnum() or c == "_" for c in text[j + 1:j + 3]):
                ok = False
        if ok:
            yield i, j
        i = text.find(phrase, i + 1)


_CUE_BEFORE = {
    "PERSON": re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|President|Prof|Professor|"
                         r"Senator|Judge|Coach)\.? $"),
    "ORG": re.compile(r"\b(?:shares (?:in|of)|stake in|chief executive of|boss of|"
                      r"spokes(?:man|woman|person) for|analysts at|owned by|firm|company|"
                      r"group|carmaker|retailer|bank|airline|club|giant|maker|think[ -]tank|"
                      r"charity|watchdog|regulator|broadcaster|newspaper|website|studio|"
                      r"label|consultancy|supermarket|manufacturer) $", re.I),
}
_CUE_AFTER = {
    "ORG": re.compile(r"^(?:, (?:the|a|an) [\w -]{0,40}?(?:group|company|firm|bank|carmaker|retailer|"
                      r"airline|maker|giant|operator|chain|insurer|lender|club|think[ -]tank|"
                      r"charity|union|agency|watchdog|regulator|broadcaster|newspaper|"
                      r"website|studio|label|consultancy|manufacturer|supermarket)\b|"
                      r"[’']s? (?:shares|profits?|sales|chief|boss|board|revenues?|"
                      r"stock|customers|brand|products)|,? (?:Inc|Corp|Ltd|plc|PLC|LLC|AG)\b|"
                      r" (?:shares|stock)\b)"),
    "PERSON": re.compile(r"^,? (?:aged \d|\d\d,|who (?:is|was) (?:a|the) )"),
}


_ORG_GENERIC = {"The", "Group", "Bank", "International", "Company", "Inc", "Corp", "Ltd", "Party",
                "National", "United", "Council", "Association", "University", "Times", "News"}


def _cue(text: str, s: int, e: int, lab: str) -> bool:
    """Local evidence for ``lab`` right around [s, e)."""
    before, after = _CUE_BEFORE.get(lab), _CUE_AFTER.get(lab)
    return bool(before and before.search(text, max(0, s - 30), s)
                or after and after.match(text[e:e + 30]))


def harmonise(text: str, spans: list[Span]) -> list[Span]:
    # 0. local evidence first ("Mr X", "shares in X", "X, the ... group"): it fixes that
    # mention and counts three times in the vote below
    cued: set[tuple[int, int]] = set()
    fixed = []
    for s, e, lab in sorted(spans):
        if lab in _PROPAGATE:
            cue = next((c for c in ("ORG", "PERSON") if _cue(text, s, e, c)), None)
            if cue:
                lab = cue
                cued.add((s, e))
        fixed.append((s, e, lab))
    spans = fixed
    by_start = {(s, e): lab for s, e, lab in spans}

    # 1. surnames of full person names: evidence for PERSON, not a verdict
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
                continue
            if not occupied.overlaps(s, e) and not _cue(text, s, e, "ORG"):
                by_start[key] = "PERSON"
                occupied.add(s, e)

    # 3. one label per string, weighed: each mention votes for its label, a mention with
    # local evidence (a title, a legal suffix, "shares in") votes three times, a surname
    # of a full name in the article votes for PERSON. A mention changes label only when
    # the other label clearly wins and the mention has no evidence of its own.
    votes: dict[str, Counter[str]] = defaultdict(Counter)  # label -> weight (floats)
    full_words = {w for (a, b), lb in by_start.items() if lb == "PERSON"
                  for w in text[a:b].split()[1:] if " " in text[a:b]}
    for (s, e), lab in list(by_start.items()):
        t = text[s:e]
        w: float = 1.0
        if " " not in t and rules.gazetteer_label(t) is None:
            # a one-word name the lists do not know: the model's place or person guess for it
            # is weak evidence (a person's surname comes with a given name somewhere)
            if lab in ("GPE", "LOC") or lab == "PERSON" and t not in full_words \
                    and t not in rules.first_names():
                w = 0.5
        if (s, e) in cued:
            w = 3
        votes[t][lab] += w  # type: ignore[assignment]  # Counter of float weights
    # a single word that is the head or tail of a longer ORG here ("Skis Rossignol",
    # "Marsh & McLennan") is evidence for ORG, as a surname is for PERSON
    org_parts: Counter[str] = Counter()
    for (s, e), lab in by_start.items():
        words = text[s:e].split()
        if lab == "ORG" and len(words) >= 2:
            for part in (words[0], words[-1]):
                if _NAME_PART.match(part) and part not in _ORG_GENERIC:
                    org_parts[part] += 1
    for t in votes:
        if t in surnames:
            votes[t]["PERSON"] += 2
        if " " not in t and org_parts[t] and t not in surnames and rules.gazetteer_label(t) is None:
            votes[t]["ORG"] += 3
        if " " not in t and t in rules.first_names() and rules.gazetteer_label(t) is None \
                and not votes[t]["ORG"] and (votes[t]["GPE"] or votes[t]["LOC"]):
            votes[t]["PERSON"] += 2  # "Gloria" is a given name, not a town
    for (s, e), lab in list(by_start.items()):
        t = text[s:e]
        c = votes[t]
        if lab not in _PROPAGATE or (s, e) in cued:
            continue
        if t in surnames and lab in ("GPE", "LOC", "NORP"):
            by_start[(s, e)] = "PERSON"  # "Gebrselassie" after "Haile Gebrselassie"
            continue
        if len(c) < 2:
            continue
        best, n = c.most_common(1)[0]
        if best != lab and best in _PROPAGATE and n >= 1.5 * c[lab] and n >= 2:
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
            if _occurs_as_word(text, t.lower()):
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
