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
from core.ner.spanset import SpanSet

RULES_VERSION = "11"
RESOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "ner")
GAZETTEER_PATH = os.path.join(RESOURCES, "gazetteer.json")

Span = tuple[int, int, str]  # (start, end, label)

# ------------------------------------------------------------------ patterns
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|"
           "Nov\\.?|Dec\\.?")
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUM = r"\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = (r"(?:\s?(?:bn|m|mn|mln|bln|k|tn|trillion|billion|million|thousand|hundred)\b)")
_CUR_SYM = r"[$€£¥₹₽]|US\$|A\$|C\$|HK\$|NZ\$|R\$"
_CUR_WORD = (r"(?:stg|dlrs?|lire|marks|euros?|dollars?|pounds?(?: sterling)?|yen|yuan|renminbi|rupees?|roubles?|"
             r"rubles?|francs?|pesos?|cents?|pence|p\b|krona|kronor|kroner|won|lira|shekels?|"
             r"dinars?|riyals?|rand|naira|bitcoins?)")
_CUR_CODE = r"(?:USD|EUR|GBP|JPY|CNY|CHF|CAD|AUD|INR|RUB)"

_QUAL = (r"(?:(?:[Aa]bout|[Aa]round|as much as|as little as|Up to|Some|approximately|roughly|some|nearly|almost|over|under|more than|"
         r"less than|fewer than|up to|at least|an estimated|just over|just under) )?")
MONEY_RE = re.compile(
    rf"{_QUAL}(?:(?:{_CUR_SYM})\s?(?:{_NUM}){_SCALE}?"
    rf"|{_CUR_CODE}\s?(?:{_NUM}){_SCALE}?"
    rf"|(?:{_NUM}){_SCALE}?\s(?:(?:US|Australian|Canadian|Hong Kong|Singapore|New Zealand) )?"
    rf"{_CUR_WORD}"
    rf"|(?:{_NUM}){_SCALE}?\s?{_CUR_CODE}\b"
    rf"|(?:hundreds|tens|billions|millions|thousands) of (?:millions|billions|thousands )?"
    rf"(?:of )?(?:{_CUR_WORD}))"
)
_NUM_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
PERCENT_RE = re.compile(rf"{_QUAL}(?:{_NUM}|{_NUM_WORD})\s?(?:%|per ?cent\b|percent\b|pct\b|percentage points?\b)")
_NUMW = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)"
DATE_RE = re.compile(
    rf"\b(?:(?:{_DAYS}),?\s)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{_MONTHS})(?:,?\s\d{{4}})?"
    rf"|(?:{_MONTHS})\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?"
    rf"|(?:early |late |mid-|mid )?(?:{_MONTHS})(?:\s(?:of\s)?\d{{4}})"
    rf"|(?:{_DAYS})(?:\s(?:morning|afternoon|evening|night))?"
    rf"|(?:(?:January|February|March|April|May|June|July|August|September|October|November|December) (?:last|next|this) year)"
    rf"|(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this|the past|the last|the next|the coming) (?:week|month|year|spring|summer|autumn|fall|winter|decade|century|weekend))"
    rf"|(?:[Ee]arly|[Ll]ate|[Mm]id-) ?(?:19|20)\d\d(?![-–%\d])"
    rf"|(?:(?:(?:at least|more than|less than|almost|nearly|about|around|up to) )?(?:{_NUMW}(?:(?: or | to |[–-]){_NUMW})?|a hundred|several|a few|many)(?:-| )(?:years?|months?|weeks?|days?|decades?|centuries)(?:-old| ago| earlier| later| old)?)"
    rf"|(?:the )?(?:first|second|third|fourth|final|last) (?:half|quarter)(?: of (?:the year|(?:19|20)\d\d))?"
    rf"|(?:the )?(?:end|start|beginning|middle) of (?:the |this |next |last )?(?:year|month|week|decade|century|season|(?:19|20)\d\d)"
    rf"|(?:(?:last|next|this) (?:{_DAYS}|January|February|March|April|June|July|August|September|October|November|December))"
    rf"|(?:the )?(?:(?:early|late|mid-)\s?)?(?:19|20)\d0s"
    rf"|(?:the )?(?:(?:early|late|mid-)\s?)?(?:Twenties|Thirties|Forties|Fifties|Sixties|Seventies|Eighties|Nineties)"
    rf"|(?:in |since |by |until |from |of |during |its |their |the |before |after )(?:19|20)\d\d(?=\b)(?![-–%]|\.\d| (?:people|troops|votes|members|km|miles|metres))"
    rf"|(?:19|20)\d\d[-–](?:19|20)?\d\d"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:the )?(?:next|past|last|previous|coming|first|final) (?:(?:few|several|couple of|\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|two to three|three to four) )?(?:years|months|weeks|days|decades)"
    rf"|(?:\d{{1,3}}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)-(?:year|month|week|day)(?:-old)?(?=[\s,.;:)-])"
    rf"|(?:this|last|next) season|the weekend|(?:this|that) time of (?:the )?year|year-end|year's end"
    rf"|yesterday|today|tomorrow)\b"
)
_DATE_LEAD = re.compile(r"^(?:in|since|by|until|from|of|during|its|their|the|before|after) (?=\d)")
# A month name alone ("May") is too ambiguous; "March" as a verb etc. Handled by the model.


_MONEY_HINT = re.compile(r"\d|(?:hundreds|tens|billions|millions|thousands) of")


def pattern_spans(text: str) -> list[Span]:
    out: list[Span] = []
    # Cheap necessary conditions first: most lines hold no amount and no percentage.
    money = _MONEY_HINT.search(text) is not None
    percent = "%" in text or "cent" in text or "pct" in text or "percentage" in text
    for m in MONEY_RE.finditer(text) if money else ():
        s, e = m.span()
        frag = m.group(0)
        lead = re.match(r"(?:about|around|approximately|some|nearly|almost|over|more than|"
                        r"less than|up to) ", frag)
        if lead:  # OntoNotes keeps "about" inside MONEY; we keep it too for "about $5m"
            pass
        out.append((s, e, "MONEY"))
    for m in PERCENT_RE.finditer(text) if percent else ():
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


# Names with particles ("Ursula von der Leyen", "Ludwig van Beethoven"): the model often
# splits them.
PERSON_PARTICLE_RE = re.compile(
    r"\b[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)? (?:(?:von|van|de|der|den|da|di|du|del|della|la|le|bin|ibn|al|el|dos|das|ter|zu)[ -]){1,3}[A-Z][\w’'-]+"
)


def particle_names(text: str) -> list[Span]:
    out = []
    for m in PERSON_PARTICLE_RE.finditer(text):
        if m.group(0).split()[0] in ("The", "In", "On", "At", "For", "From", "By"):
            continue
        out.append((m.start(), m.end(), "PERSON"))
    return out


ORG_HEADS = {"Party", "Council", "Commission", "Ministry", "Office", "University", "Bank",
             "Agency", "Union", "Association", "Company", "Group", "Inc", "Ltd", "Corp",
             "Corporation", "Institute", "Foundation", "Department", "Committee", "Court",
             "Parliament", "Movement", "Organisation", "Organization", "Federation", "Police",
             "Army", "Navy", "Authority", "Service", "Board", "Club", "College", "School",
             "Society", "League", "Alliance", "Front", "Trust", "Fund", "Network", "Times",
             "Post", "News", "Press", "Airlines", "Airways", "Bureau", "Secretariat", "Assembly",
             "Congress", "Senate", "Cabinet", "Forces", "Guard", "Unit", "Team",
             "Labs", "Holdings", "Partners", "Systems", "Technologies", "Industries", "Motors",
             "Capital", "Records", "Studios", "Pictures", "Museum"}
FAC_HEADS = {"Street", "Road", "Avenue", "Bridge", "Airport", "Station", "Stadium", "Hospital",
             "Square", "Tower", "Palace", "Castle", "Cathedral", "Abbey", "Mosque", "Church",
             "Centre", "Center", "Arena", "Prison", "Highway", "Tunnel", "Dam", "Hall", "Lane",
             "Building", "Terminal", "Port", "Harbour", "Harbor", "Base"}
LAW_HEADS = {"Act", "Treaty", "Agreement", "Accord", "Accords", "Convention", "Protocol",
             "Amendment", "Directive", "Regulation", "Charter", "Bill"}
EVENT_HEADS = {"War", "Olympics", "Games", "Cup", "Championship", "Championships", "Summit",
               "Festival", "Revolution", "Crisis", "Election", "Referendum", "Conference",
               "Expo", "Marathon", "Tournament", "Open"}
_CONNECT_RE = re.compile(r" (?:of|for|on|and) (?:the )?$")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    try:
        with open(GAZETTEER_PATH, encoding="utf-8") as f:
            return frozenset(json.load(f).get("FIRST_NAMES", []))
    except OSError:
        return frozenset()


_NAME_SEQ = re.compile(r"\b([A-Z][a-z]+)((?: (?:[A-Z]\.|[A-Z][\w’'-]*[a-z][\w’'-]*)){1,2})")
_SAID = re.compile(r"^[’']?s? (?:said|says|told|added|wrote|argued|insisted|warned|"
                   r"explained|who|has|had|is|was)\b")
_PLACE_PREP = re.compile(r"\b(?:in|at|from|to|near|across|outside|into|towards|via)\s$")


def name_spans(text: str, known: list[Span]) -> list[Span]:
    """Untagged "Given-name Surname" sequences (given names from the census list)."""
    names = first_names()
    out = []
    for m in _NAME_SEQ.finditer(text):
        if m.group(1) not in names:
            continue
        words = m.group(0).split()
        if words[-1].rstrip("’'s") in ORG_HEADS or words[-1] in FAC_HEADS:
            continue
        s, e = m.start(), m.end()
        r = clean_span(text, s, e, "PERSON")
        if r and not any(a < r[1] and r[0] < b for a, b, _ in known):
            out.append((r[0], r[1], "PERSON"))
    return out


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    try:
        with open(GAZETTEER_PATH, encoding="utf-8") as f:
            return frozenset(json.load(f).get("COMMON_WORDS", []))
    except OSError:
        return frozenset()


_BARE_DATE_OK = {"today", "yesterday", "tomorrow", "tonight"}
_SENT_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[“\"]\s*)$")


def _doubtful(text: str, s: int, e: int, lab: str, lower_words: set[str]) -> bool:
    """A model span that is most likely an ordinary word: a bare lower-case DATE word
    ("the day"), or a capitalised sentence-initial word that the article also uses in
    lower case ("Defense is not on the agenda ... defense talks")."""
    frag = text[s:e]
    if lab == "DATE" and frag.islower() and " " not in frag and frag not in _BARE_DATE_OK \
            and "-" not in frag and not any(c.isdigit() for c in frag):
        return True
    if " " in frag or frag.isupper() or lab in ("DATE", "MONEY", "PERCENT"):
        return False
    if (frag.lower() in lower_words or frag.lower() in common_words()) \
            and _SENT_START.search(text[max(0, s - 3):s]):
        return (frag,) not in gazetteer().entries
    return False


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame)\.? (?=[A-Z])")
_TRAILING_ROLE = re.compile(r" (?:Director|Minister|Secretary|President|Chairman|Chairwoman|"
                            r"Spokesman|Spokeswoman|Commissioner|Chief|Leader|MP|MEP|CEO)$")


_PERSON_TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "President",
    "Senator", "Sen", "Rep", "Governor", "Gov", "Mayor", "Chancellor", "Minister", "Secretary",
    "Commissioner", "Administrator", "Ambassador", "Judge", "Pope", "King", "Queen", "Prince",
    "Princess", "Lord", "Lady", "Archbishop", "Bishop", "Cardinal", "Rabbi", "Imam", "Sheikh",
    "Ayatollah", "Coach", "Captain", "Colonel", "Lieutenant", "Sergeant", "Detective",
    "Inspector", "Premier", "Speaker", "Director", "Spokesman", "Spokeswoman", "Envoy",
)
_TITLE_NAME_RE = re.compile(
    r"\b(?:" + "|".join(_PERSON_TITLES) + r")\.?((?: (?:[A-Z]\.|[A-Z][\w’'-]+)){1,3})"
)
_NOT_NAME_WORDS = set(_PERSON_TITLES) | {"General", "Minister", "Secretary", "Prime", "Vice",
                                          "Deputy", "Foreign", "Home", "Chief", "Executive",
                                          "Officer", "State", "Justice", "Council", "Of"}


def titled_names(text: str) -> list[Span]:
    """"Professor Cres Eastman", "Prime Minister Keir Starmer" -> the name is a PERSON."""
    out = []
    gaz = gazetteer().entries
    for m in _TITLE_NAME_RE.finditer(text):
        words = m.group(1).split()
        start = m.start(1) + 1
        while words and words[0].rstrip(".") in _NOT_NAME_WORDS:
            start += len(words[0]) + 1
            words.pop(0)
        if not words or words[-1].rstrip("’'s") in ORG_HEADS or words[-1] in FAC_HEADS:
            continue
        if len(words) == 1 and (words[0],) in gaz:
            continue  # "President Biden" yes; "Minister Britain" no
        e = start + len(" ".join(words))
        r = clean_span(text, start, e, "PERSON")
        if r:
            out.append((r[0], r[1], "PERSON"))
    return out


def refine(text: str, spans: list[Span], lower_words: set[str] | None = None) -> list[Span]:
    """Head words decide the type of a model span ("... Club" is an ORG, "... Street" a
    FAC); an ORG joined by "of/for" to a following name is one ORG ("Bank of England",
    "Security Action for Europe"); names with particles are one PERSON."""
    if lower_words is None:
        lower_words = set(re.findall(r"\b[a-z][a-z-]+\b", text))
    spans = sorted(x for x in spans if not _doubtful(text, x[0], x[1], x[2], lower_words))
    out: list[Span] = []
    names = first_names()
    gaz = gazetteer().entries
    for s, e, lab in spans:
        m = _HONORIFIC.match(text[s:e])
        if m and lab != "PERSON":  # "Ms Pugh" is a person whatever the model said
            s, lab = s + m.end(), "PERSON"
        if lab in ("ORG", "GPE", "LOC", "FAC") and len(text[s:e].split()) >= 3:
            m = _TRAILING_ROLE.search(text[s:e])
            if m:
                e = s + m.start()
        words = text[s:e].split()
        last = words[-1] if words else ""
        if lab in ("GPE", "LOC", "ORG", "NORP", "FAC") and 2 <= len(words) <= 3 \
                and words[0] in names and last not in ORG_HEADS and last not in FAC_HEADS \
                and all(w[:1].isupper() for w in words) and tuple(words) not in gaz or lab in ("GPE", "LOC") and len(words) == 1 and (words[0],) not in gaz \
                and not words[0].isupper() and _SAID.match(text[e:e + 12]) \
                and not _PLACE_PREP.search(text[max(0, s - 8):s]):
            lab = "PERSON"
        if len(text[s:e].split()) >= 2 and lab in ("PERSON", "GPE", "LOC", "FAC", "ORG", "NORP"):
            if last in LAW_HEADS and lab in ("ORG", "PERSON", "GPE", "EVENT"):
                lab = "LAW"
            elif last in EVENT_HEADS and lab in ("ORG", "PERSON", "GPE", "LOC") and last != "Open":
                lab = "EVENT"
            elif last in ORG_HEADS and lab != "ORG" and last != "Museum":
                lab = "ORG"
            elif last in FAC_HEADS and lab in ("PERSON", "GPE", "ORG") and last not in ("Hall", "Centre", "Center", "Base"):
                lab = "FAC"
        out.append((s, e, lab))
    # ORG + of/for + name
    merged: list[Span] = []
    for sp in out:
        if merged:
            ps, pe, plab = merged[-1]
            gap = text[pe:sp[0]]
            if plab == "ORG" and sp[2] in ("GPE", "LOC", "ORG") and gap in (" of ", " for ", " of the ", " for the ") \
                    and text[ps:pe].split()[-1] not in ("MP", "MPs", "MEP", "MEPs", "Minister", "Secretary") \
                    and (len(text[ps:pe].split()) >= 2 or text[ps:pe].split()[-1] in ORG_HEADS):
                merged[-1] = (ps, sp[1], "ORG")
                continue
        merged.append(sp)
    merged = merged + name_spans(text, merged)
    for p in titled_names(text):
        over = [x for x in merged if x[0] < p[1] and p[0] < x[1]]
        if not over:
            merged.append(p)
        elif all(x[2] != "PERSON" and x[2] not in ("DATE", "MONEY", "PERCENT")
                 and x[0] >= p[0] and x[1] <= p[1] for x in over):
            merged = [x for x in merged if x not in over] + [p]
    for p in particle_names(text):
        over = [x for x in merged if x[0] < p[1] and p[0] < x[1]]
        if any(x[2] in ("DATE", "MONEY", "PERCENT") for x in over):
            continue
        keep = []
        for x in over:
            if x[0] < p[0]:  # "Keir Starmer and Ursula" -> "Keir Starmer"
                left = re.sub(r"(?:,| and| &)\s*$", "", text[x[0]:p[0]].rstrip())
                if left.strip() and left.rstrip() != text[x[0]:p[0]].rstrip():
                    keep.append((x[0], x[0] + len(left.rstrip()), x[2]))
        merged = [x for x in merged if x not in over] + keep + [p]
    return sorted(merged)


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
                if "-" in w:
                    out.extend(self._hyphen_parts(norm[i][0], w))
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


    def _hyphen_parts(self, start: int, word: str) -> list[Span]:
        """Places and groups inside a hyphenated word: "Paris-based", "Israeli-Palestinian",
        "US-led" (OntoNotes marks the name part); every other part must be lower case or a
        name too, so "Coca-Cola" gives nothing."""
        parts = word.split("-")
        labels = [self.entries.get((p,)) for p in parts]
        if not any(lab in ("GPE", "LOC", "NORP") for lab in labels) or not all(
                lab or p.islower() for p, lab in zip(parts, labels, strict=True)):
            return []
        out: list[Span] = []
        pos = start
        for p, lab in zip(parts, labels, strict=True):
            if lab in ("GPE", "LOC", "NORP"):
                out.append((pos, pos + len(p), lab))
            pos += len(p) + 1
        return out


@lru_cache(maxsize=1)
def curated() -> frozenset[str]:
    """Names from the hand-kept lists (aliases, capitals, regions, groups, organisations):
    checked by hand, so they outrank a model's PERSON guess for the same words."""
    return frozenset(lists.COUNTRY_ALIASES + lists.GPE_EXTRA + lists.LOC + lists.NORP + lists.ORG
                     + lists.EVENT) - {"Trump"}


@lru_cache(maxsize=1)
def companies() -> frozenset[str]:
    """Listed-company names from the built gazetteer (they outrank a model's PERSON guess)."""
    try:
        with open(GAZETTEER_PATH, encoding="utf-8") as f:
            return frozenset(json.load(f).get("ORG", []))
    except OSError:
        return frozenset()


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    entries: dict[str, str] = {}
    try:
        with open(GAZETTEER_PATH, encoding="utf-8") as f:
            data = json.load(f)
        for lab in ("GPE", "LOC", "ORG"):
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
    for name in lists.EVENT:
        entries[name] = "EVENT"
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
    "Trade", "Shadow", "Former", "Labour", "Tory", "Conservative", "Treasurer", "Chief",
    "Executive", "Coach", "Manager", "Captain", "Striker", "Attorney", "Economist", "Analyst",
}
_ROLE_ONLY = set(lists.TITLES) - {"Leader", "Speaker", "Chair", "General", "Justice", "Saint"}
_LEAD_DET = re.compile(r"^(?:the|The|THE)\s+")
_LEAD_LOWER = re.compile(r"(?:[a-z][a-z-]*\s+)+(?=[A-Z])")


def clean_span(text: str, s: int, e: int, label: str) -> tuple[int, int] | None:
    """Trim determiners, titles (PERSON), trailing possessives and punctuation."""
    frag = text[s:e]
    if frag.split() and all(w.rstrip(".,") in _ROLE_ONLY or w in ("MP", "MPs", "MEP", "MEPs")
                            for w in frag.split()):
        return None
    m = re.search(r"[\[\]{}]", frag)
    if m:  # "Museum of Flight CEO] Bonnie Dunbar": brackets end a name
        if m.start() == 0:
            return None
        e = s + m.start()
        frag = text[s:e]
    if label in ("ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"):
        # "Apple's Siri", "BBC’s Andrew Marr Show": the owner is the entity
        m = re.search(r"[’']s\s", frag)
        if m and m.start() > 0:
            e = s + m.start()
            frag = text[s:e]
        m = re.search(r"(?:\s(?:of|for|and|the|&|de|von|van))+$", frag)
        if m:
            e = s + m.start()
            frag = text[s:e]
    m = _LEAD_DET.match(frag)
    if m and label not in ("DATE", "MONEY", "PERCENT", "EVENT", "WORK_OF_ART", "LAW"):
        s += m.end()
    if label in ("GPE", "LOC", "FAC"):  # "south-east Delhi", "mainland China": the name only
        m = _LEAD_LOWER.match(text, s, e)
        if m:
            s = m.end()
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
    while e > s and (text[e - 1] in " ,;:!?\"“”‘()[]–—-|/•·*#<>"
                     or (text[e - 1] == "." and label != "MONEY" and not re.search(r"(?:\b[A-Z]\.|[A-Z]\.[A-Z]\.)$", text[s:e]))):
        e -= 1
    while s < e and text[s] in " ,;:!?\"“”‘’()[]–—-|/•·*#>":
        s += 1
    if e <= s:
        return None
    return s, e


# ------------------------------------------------------------------ merge
_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir)\.? $")
def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_DATE_WORD = re.compile(rf"\d|\b(?:{_MONTHS}|{_DAYS}|\w+ties)\b")


def merge(text: str, model: list[Span], patterns: list[Span], gaz: list[Span]) -> list[Span]:
    """Combine model spans with rule spans. Policy (see docs/decisions.md):
    MONEY/PERCENT patterns win over anything they overlap; DATE patterns fill gaps;
    a gazetteer entry equal to a model span relabels it (unless the model says PERSON);
    a gazetteer span covering model spans entirely replaces them when it is longer;
    otherwise a gazetteer span fills gaps only.
    """
    spans = SpanSet(model)
    for p in patterns:
        if p[2] in ("MONEY", "PERCENT"):
            for it in spans.overlapping(p):
                if not (it[3] == "MONEY" and it[0] <= p[0] and it[1] >= p[1]):
                    spans.remove(it)
            if not spans.overlapping(p):
                spans.add(p)
    for p in patterns:
        if p[2] == "DATE":
            over = spans.overlapping(p)
            if not over:
                spans.add(p)
            elif all(it[3] == "DATE" or it[3] in ("ORG", "PERSON", "GPE", "EVENT") and p[0] <= it[0]
                     and it[1] <= p[1] and _DATE_WORD.search(text, it[0], it[1]) for it in over):
                # "3rd of November" as ORG, "Sixties" as PERSON: the date pattern wins
                for it in over:
                    spans.remove(it)
                spans.add(p)
    for g in gaz:
        over = spans.overlapping(g)
        if not over:
            if g[2] != "EVENT" or " " in text[g[0]:g[1]] or text[g[0]:g[1]] == "Brexit":
                spans.add(g)
            continue
        same = [it for it in over if it[0] == g[0] and it[1] == g[1]]
        if same:
            it = same[0]
            if it[3] != g[2] and (it[3] not in ("PERSON", "MONEY", "PERCENT", "DATE", "EVENT", "LAW")
                                  or it[3] == "PERSON" and (g[2] == "ORG" and text[g[0]:g[1]] in companies()
                                                            or text[g[0]:g[1]] in curated())
                                  and not _HONORIFIC_BEFORE.search(text, max(0, g[0] - 6), g[0])):
                spans.remove(it)
                spans.add(g, seq=it[2])  # replaced in place: keeps its position
            continue
        if all(g[0] <= it[0] and it[1] <= g[1] for it in over) and g[2] in ("ORG", "GPE", "LOC") \
                and all(it[3] not in ("MONEY", "PERCENT", "DATE") for it in over):
            for it in over:
                spans.remove(it)
            spans.add(g)
    return _drop_overlaps(spans.spans())


def merge_clubs(text: str, spans: list[Span], clubs: list[Span]) -> list[Span]:
    """Sports clubs (found only in sports reports) are ORG: they relabel an equal span,
    replace the spans they contain ("Leverkusen" in "Bayer Leverkusen") and fill gaps;
    they never cut into a longer name ("Buckingham Palace"), but a span joining two names
    with "and" ("Arsenal and Celtic") is split."""
    for c in clubs:
        for sp in [x for x in spans if x[0] <= c[0] and c[1] <= x[1] and (x[0], x[1]) != c[:2]]:
            t = text[sp[0]:sp[1]]
            if " and " in t and gazetteer_label(t) is None:
                cut = sp[0] + t.index(" and ")
                spans = [x for x in spans if x != sp] + [(sp[0], cut, sp[2]), (cut + 5, sp[1], sp[2])]
    for c in clubs:
        over = [s for s in spans if _overlaps(s, c)]
        if over and not all(c[0] <= s[0] and s[1] <= c[1] and s[2] not in ("DATE", "MONEY", "PERCENT")
                            for s in over):
            continue
        spans = [s for s in spans if s not in over] + [c]
    return sorted(spans)


# ------------------------------------------------------------------ heuristics (rules-only mode)
_ORG_HEADS = {"Party", "Council", "Commission", "Ministry", "Office", "University", "Bank",
              "Agency", "Union", "Association", "Company", "Group", "Inc", "Ltd", "Corp",
              "Corporation", "Institute", "Foundation", "Department", "Committee", "Court",
              "Parliament", "Movement", "Organisation", "Organization", "Federation", "Police",
              "Army", "Navy", "Times", "Post", "News", "Authority", "Service", "Board"}
_CAP_SEQ = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'.-]+|of|for|and|the|von|van|de|der|la)(?:\s(?:[A-Z][\w’'.-]+|of|for|and|the|von|van|de|der|la))*"
)


def heuristic_spans(text: str, known: list[Span]) -> list[Span]:
    """Capitalised sequences: title + name -> PERSON; "... Council" -> ORG;
    two or three capitalised words elsewhere (not sentence-initial) -> PERSON."""
    out: list[Span] = []
    for m in _CAP_SEQ.finditer(text):
        words = m.group(0).split()
        while words and words[-1] in ("of", "for", "and", "the", "von", "van", "de", "der", "la"):
            words.pop()
        while words and words[0] in ("of", "for", "and", "the", "von", "van", "de", "der", "la", "The"):
            words.pop(0)
        if not words:
            continue
        s = text.index(words[0], m.start())
        e = s + len(" ".join(words))
        if text[s:e] != " ".join(words):
            continue
        if any(a < e and s < b for a, b, _ in known):
            continue
        if words[0].rstrip(".") in {t.rstrip(".") for t in lists.TITLES} and len(words) >= 2:
            r = clean_span(text, s, e, "PERSON")
            if r:
                out.append((r[0], r[1], "PERSON"))
            continue
        if words[-1].rstrip(".,") in _ORG_HEADS and len(words) >= 2:
            r = clean_span(text, s, e, "ORG")
            if r:
                out.append((r[0], r[1], "ORG"))
            continue
        sentence_start = s == 0 or re.search(r"[.!?:“\"\n]\s*$", text[max(0, s - 3):s]) is not None
        if 2 <= len(words) <= 3 and not sentence_start and all(w[:1].isupper() for w in words):
            r = clean_span(text, s, e, "PERSON")
            if r:
                out.append((r[0], r[1], "PERSON"))
    return out
