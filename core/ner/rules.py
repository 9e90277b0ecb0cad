"""The rules layer: patterns (MONEY, PERCENT, DATE), gazetteers (GPE, LOC, NORP, ORG) and
the merge of rule spans with a statistical model's spans. Character offsets throughout.

No spaCy here: gazetteers are matched on a light regex word split, so the rules also run
when no model can be loaded (the rules-only fallback).
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from functools import lru_cache

from core.ner import lists

RULES_VERSION = "3"
RESOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "ner")
GAZETTEER_PATH = os.path.join(RESOURCES, "gazetteer.json")

Span = tuple[int, int, str]  # (start, end, label)

# ------------------------------------------------------------------ patterns
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|"
           "Nov\\.?|Dec\\.?")
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUM = r"\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = (r"(?:\s?(?:bn|m|mn|k|tn|trillion|billion|million|thousand|hundred)\b)")
_CUR_SYM = r"[$€£¥₹₽]|US\$|A\$|C\$|HK\$|NZ\$|R\$"
_CUR_WORD = (r"(?:euros?|dollars?|pounds?(?: sterling)?|yen|yuan|renminbi|rupees?|roubles?|"
             r"rubles?|francs?|pesos?|cents?|pence|p\b|krona|kronor|kroner|won|lira|shekels?|"
             r"dinars?|riyals?|rand|naira|bitcoins?)")
_CUR_CODE = r"(?:USD|EUR|GBP|JPY|CNY|CHF|CAD|AUD|INR|RUB)"

MONEY_RE = re.compile(
    rf"(?:(?:{_CUR_SYM})\s?(?:{_NUM}){_SCALE}?"
    rf"|{_CUR_CODE}\s?(?:{_NUM}){_SCALE}?"
    rf"|(?:about |around |approximately |some |nearly |almost |over |more than |less than |up to )?"
    rf"(?:{_NUM}){_SCALE}?\s(?:(?:US|Australian|Canadian|Hong Kong|Singapore|New Zealand) )?"
    rf"{_CUR_WORD}"
    rf"|(?:{_NUM}){_SCALE}?\s?{_CUR_CODE}\b"
    rf"|(?:hundreds|tens|billions|millions|thousands) of (?:millions|billions|thousands )?"
    rf"(?:of )?(?:{_CUR_WORD}))"
)
PERCENT_RE = re.compile(rf"(?:{_NUM})\s?(?:%|per ?cent\b|percent\b|percentage points?\b)")
DATE_RE = re.compile(
    rf"\b(?:(?:{_DAYS}),?\s)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{_MONTHS})(?:,?\s\d{{4}})?"
    rf"|(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?"
    rf"|(?:early |late |mid-|mid )?(?:{_MONTHS})(?:\s(?:of\s)?\d{{4}})"
    rf"|(?:{_DAYS})(?:\s(?:morning|afternoon|evening|night))?"
    rf"|(?:(?:last|next|this|earlier this|later this) (?:week|month|year|spring|summer|autumn|fall|winter|decade|century))"
    rf"|(?:(?:last|next|this) (?:{_DAYS}|January|February|March|April|June|July|August|September|October|November|December))"
    rf"|(?:the )?(?:(?:early|late|mid-)\s?)?(?:19|20)\d0s"
    rf"|(?:in |since |by |until |from |of |during )(?:19|20)\d\d(?=\b)"
    rf"|(?:19|20)\d\d[-–](?:19|20)?\d\d"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|yesterday|today|tomorrow)\b"
)
_DATE_LEAD = re.compile(r"^(?:in|since|by|until|from|of|during) ")
# A month name alone ("May") is too ambiguous; "March" as a verb etc. Handled by the model.


def pattern_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for m in MONEY_RE.finditer(text):
        s, e = m.span()
        frag = m.group(0)
        lead = re.match(r"(?:about|around|approximately|some|nearly|almost|over|more than|"
                        r"less than|up to) ", frag)
        if lead:  # OntoNotes keeps "about" inside MONEY; we keep it too for "about $5m"
            pass
        out.append((s, e, "MONEY"))
    for m in PERCENT_RE.finditer(text):
        out.append((m.start(), m.end(), "PERCENT"))
    for m in DATE_RE.finditer(text):
        s, e = m.span()
        lead = _DATE_LEAD.match(m.group(0))
        if lead:
            s += lead.end()
        out.append((s, e, "DATE"))
    return _drop_overlaps(out)


def _drop_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the earliest, then longest, of overlapping spans."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if out and s[0] < out[-1][1]:
            continue
        out.append(s)
    return out


# ------------------------------------------------------------------ gazetteers
_WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-ț][\wÀ-ÖØ-öø-ÿĀ-žȘ-ț.'’&-]*|\d+|\S")


class Gazetteer:
    """Case-sensitive phrase lookup over a word split; longest match first."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries: dict[tuple[str, ...], str] = {}
        self.max_len = 1
        for phrase, label in entries.items():
            key = tuple(self._words(phrase))
            if not key:
                continue
            self.entries[key] = label
            self.max_len = max(self.max_len, len(key))
        self.first = {k[0] for k in self.entries}

    @staticmethod
    def _words(s: str) -> list[str]:
        return [m.group(0).rstrip(".'’") or m.group(0) for m in _WORD_RE.finditer(s)]

    def find(self, text: str) -> list[Span]:
        toks = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(text)]
        # a word like "Britain's" or "EU." -> strip trailing punctuation / possessive
        norm: list[tuple[int, int, str]] = []
        for s, e, w in toks:
            for suf in ("'s", "’s"):
                if w.endswith(suf) and len(w) > len(suf):
                    w, e = w[: -len(suf)], e - len(suf)
                    break
            stripped = w.rstrip(".'’-")
            if stripped and stripped != w and w not in ("U.S.", "U.K.", "U.N.", "U.S.A."):
                e -= len(w) - len(stripped)
                w = stripped
            elif w in ("U.S.", "U.K.", "U.N.", "U.S.A."):
                pass
            norm.append((s, e, w))
        out: list[Span] = []
        i = 0
        n = len(norm)
        while i < n:
            w = norm[i][2]
            if w not in self.first:
                i += 1
                continue
            hit = None
            for L in range(min(self.max_len, n - i), 0, -1):
                key = tuple(t[2] for t in norm[i:i + L])
                lab = self.entries.get(key)
                if lab:
                    # the words must be adjacent in text (single spaces / hyphen)
                    gap_ok = all(
                        text[norm[k][1]:norm[k + 1][0]] in (" ", "-", "")
                        for k in range(i, i + L - 1)
                    )
                    if gap_ok:
                        hit = (norm[i][0], norm[i + L - 1][1], lab, L)
                        break
            if hit:
                out.append(hit[:3])
                i += hit[3]
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    entries: dict[str, str] = {}
    try:
        with open(GAZETTEER_PATH, encoding="utf-8") as f:
            data = json.load(f)
        for lab in ("GPE", "LOC"):
            for name in data.get(lab, []):
                entries[name] = lab
    except OSError:
        pass  # gazetteer missing: hand lists only
    for name in lists.COUNTRY_ALIASES + lists.GPE_EXTRA:
        entries[name] = "GPE"
    for name in lists.LOC:
        entries[name] = "LOC"
    for name in lists.NORP:
        entries[name] = "NORP"
    for name in lists.ORG:
        entries[name] = "ORG"
    for name in lists.NOT_ENTITIES:
        if entries.get(name) in ("GPE", "LOC") and name not in lists.GPE_EXTRA:
            del entries[name]
    for name in ("the Netherlands",):
        entries.pop(name, None)
    return Gazetteer(entries)


def gazetteer_spans(text: str) -> list[Span]:
    return gazetteer().find(text)


def gazetteer_label(phrase: str) -> str | None:
    g = gazetteer()
    return g.entries.get(tuple(g._words(phrase)))


# ------------------------------------------------------------------ title stripping
_TITLE_WORDS = set(lists.TITLES) | {
    "Minister", "Foreign", "Secretary", "Vice", "Home", "Defence", "Defense", "Health",
    "Trade", "Shadow", "Former", "Labour", "Tory", "Conservative",
}
_LEAD_DET = re.compile(r"^(?:the|The|THE)\s+")


def clean_span(text: str, s: int, e: int, label: str) -> tuple[int, int] | None:
    """Trim determiners, titles (PERSON), trailing possessives and punctuation."""
    frag = text[s:e]
    m = _LEAD_DET.match(frag)
    if m and label not in ("DATE", "MONEY", "PERCENT", "EVENT", "WORK_OF_ART", "LAW"):
        s += m.end()
    if label == "PERSON":
        while True:
            m = re.match(r"([A-Z][A-Za-z.]*)\s+", text[s:e])
            if m and m.group(1) in _TITLE_WORDS and s + m.end() < e:
                s += m.end()
            else:
                break
    frag = text[s:e]
    for suf in ("'s", "’s", "'", "’"):
        if frag.endswith(suf) and len(frag) > len(suf) + 1 and label != "MONEY":
            e -= len(suf)
            frag = text[s:e]
            break
    while e > s and text[e - 1] in " ,;:!?\"“”‘()[]–—-" :
        e -= 1
    while s < e and text[s] in " ,;:!?\"“”‘’()[]–—-" :
        s += 1
    if e <= s:
        return None
    return s, e


# ------------------------------------------------------------------ merge
def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def merge(text: str, model: list[Span], patterns: list[Span], gaz: list[Span]) -> list[Span]:
    """Combine model spans with rule spans. Policy (see docs/decisions.md):
    MONEY/PERCENT patterns win over anything they overlap; DATE patterns fill gaps;
    a gazetteer entry equal to a model span relabels it (unless the model says PERSON);
    a gazetteer span covering model spans entirely replaces them when it is longer;
    otherwise a gazetteer span fills gaps only.
    """
    spans = [s for s in model]
    for p in patterns:
        if p[2] in ("MONEY", "PERCENT"):
            spans = [s for s in spans if not _overlaps(s, p) or s[2] in ("MONEY",) and s[0] <= p[0] and s[1] >= p[1]]
            if not any(_overlaps(s, p) for s in spans):
                spans.append(p)
    for p in patterns:
        if p[2] == "DATE":
            over = [s for s in spans if _overlaps(s, p)]
            if not over:
                spans.append(p)
            elif all(s[2] == "DATE" and p[0] <= s[0] and s[1] <= p[1] for s in over):
                spans = [s for s in spans if s not in over] + [p]
    for g in gaz:
        over = [s for s in spans if _overlaps(s, g)]
        if not over:
            spans.append(g)
            continue
        same = [s for s in over if s[0] == g[0] and s[1] == g[1]]
        if same:
            s = same[0]
            if s[2] != g[2] and s[2] not in ("PERSON", "MONEY", "PERCENT", "DATE", "EVENT"):
                spans[spans.index(s)] = g
            continue
        if all(g[0] <= s[0] and s[1] <= g[1] for s in over) and g[2] in ("ORG", "GPE", "LOC") \
                and all(s[2] not in ("MONEY", "PERCENT", "DATE") for s in over):
            spans = [s for s in spans if s not in over] + [g]
    return _drop_overlaps(spans)
