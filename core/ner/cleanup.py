"""Span clean-up that the model and the rules cannot do alone (character offsets throughout).

- blocks: a line is a block (a heading, a paragraph, a list item); no entity may cross one.
- fragments: spans that are not whole words ("ve" of "we've"), have no letters or digits
  ("_", "--"), or are lower-case names ("the day" as PERSON).
- scores and numbers glued to names ("Henman 6-3", "Man City 0-2 Man Utd") are cut off.
- legal suffixes ("Inc.", "Corp.", "Ltd", "plc") are kept inside and make the span an ORG.
- ALL-CAPS headings ("FRANCE WINS") get no model entities: case carries no evidence there.
- a single common English word the model called a place ("Safe", "Man") is dropped.
- sports clubs named in a sports report are ORG ("Chelsea" the club, not a person).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from core.ner import lists_orgs
from core.ner.rules import first_names

Span = tuple[int, int, str]
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"})
_BLOCK_RE = re.compile(r"[^\n]+")
_CONTRACTION_TAILS = frozenset({"s", "t", "d", "m", "ve", "ll", "re", "nt"})
_DIGIT_WORD = re.compile(r"(?<!\S)\(?\d[\d,.:/–-]*\)?(?!\S)")
_SUFFIX_RE = re.compile(
    r"(?:,\s)?\s?(?:(?:and|&) Co\.? (?:Ltd\.?|Inc\.?|plc)|(?:and|&) Co\b\.?|Inc\.|Inc\b|Corp\.|Corp\b|Co\.|Ltd\.?|Ltd\b|plc\b|Plc\b|PLC\b|LLC\b|LLP\b|GmbH\b|"
    r"AG\b|NV\b|N\.V\.|S\.A\.|SA\b|SpA\b|Bros\.|Holdings\b|Group\b)"
)


def blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line; entities live inside one of these."""
    return [(m.start(), m.end()) for m in _BLOCK_RE.finditer(text) if m.group(0).strip()]


def is_caps_block(block: str) -> bool:
    """A heading in capitals: at least two words, letters all upper case."""
    if not block.isupper():  # fast path: most lines have a lower-case letter
        return False
    letters = [c for c in block if c.isalpha()]
    return len(letters) >= 4 and len(block.split()) >= 2 and all(c.isupper() for c in letters)


# Abbreviations that are ordinary nouns or post-nominal letters, never names on their own.
NOT_NAMES = frozenset({"IQ", "VAT", "GDP", "CEO", "CFO", "HIV", "DNA", "TV", "PC", "PR", "UFO",
                       "OK", "QC", "KC", "SC", "OBE", "MBE", "CBE", "KBE", "PhD", "MSc", "BSc",
                       "LLB", "RIP", "FAQ", "PIN", "ATM", "SUV", "URL", "USB", "AI"})
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


def is_fragment(text: str, s: int, e: int, lab: str) -> bool:
    """Not a whole-word, meaningful entity."""
    frag = text[s:e]
    if lab in NAME_LABELS and (frag in NOT_NAMES or _PLURAL_ACRONYM.match(frag)):
        return True  # "IQ", "QC" after a name, "PSPs" and "MPs" (common nouns)
    if not re.search(r"[^\W_]", frag):
        return True  # only punctuation, underscores or spaces
    if s > 0 and (text[s - 1].isalnum() or (text[s - 1] in "'’" and s > 1 and text[s - 2].isalpha())):
        return True  # starts inside a word or after an apostrophe ("ve" of "we've")
    if e < len(text) and text[e].isalnum() and frag[-1].isalnum():
        return True  # ends inside a word
    if frag.lower() in _CONTRACTION_TAILS:
        return True
    if lab in NAME_LABELS and not re.search(r"[A-Z0-9À-ÖØ-ÞĀ-Ž]", frag):
        return True  # a name with no capital at all ("the day", "ll")
    return False


def cut_numbers(text: str, s: int, e: int, lab: str) -> list[Span]:
    """Split a name span at scores and numbers ("Man City 0-2 Man Utd" -> two ORGs,
    "Henman 6-3" -> "Henman"). ORG and EVENT keep a number that is part of the name
    ("G7", "Euro 2024") unless it looks like a score (two numbers joined)."""
    if lab not in NAME_LABELS:
        return [(s, e, lab)]
    m = re.match(r"\d[\d,.]*\s+(?=[A-Z])", text[s:e])
    if m:  # "200,000 PSPs": a count is not part of a name
        s += m.end()
    frag = text[s:e]
    if lab in ("ORG", "EVENT", "LAW", "FAC"):
        cuts = [m for m in _DIGIT_WORD.finditer(frag) if re.search(r"\d\s*[-–:]\s*\d", m.group(0))]
    else:
        cuts = list(_DIGIT_WORD.finditer(frag))
    if not cuts:
        return [(s, e, lab)]
    out: list[Span] = []
    pos = 0
    for m in cuts + [None]:
        end = m.start() if m else len(frag)
        piece = frag[pos:end]
        a = s + pos + (len(piece) - len(piece.lstrip()))
        b = s + pos + len(piece.rstrip())
        if b > a and re.search(r"[A-Za-zÀ-ÿ]", text[a:b]):
            out.append((a, b, lab))
        if m:
            pos = m.end()
    return out


def extend_legal_suffix(text: str, s: int, e: int, lab: str) -> Span:
    """"Acme Corp" + "." -> "Acme Corp.", "Foo" + " Inc." -> ORG "Foo Inc.": OntoNotes keeps
    the suffix inside the organisation's name."""
    if lab not in ("ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"):
        return s, e, lab
    if e < len(text) and text[e] == "." and text[s:e].split()[-1] in lists_orgs.LEGAL_SUFFIXES:
        return s, e + 1, "ORG"
    m = _SUFFIX_RE.match(text, e)
    if m and (m.end() >= len(text) or not text[m.end()].isalnum()):
        word = m.group(0).strip(" ,")
        if word in ("Group", "Holdings") and lab != "ORG":
            return s, e, lab
        return s, m.end(), "ORG"
    if text[s:e].split()[-1].rstrip(".") in lists_orgs.LEGAL_SUFFIX_WORDS:
        return s, e, "ORG"
    return s, e, lab


def _common(word: str, common: frozenset[str]) -> bool:
    return word.lower() in common and not word.isupper()


def common_word_place(text: str, s: int, e: int, lab: str, common: frozenset[str],
                      in_gazetteer: bool) -> bool:
    """A single ordinary English word ("Safe", "Online", "Man") called a place or a person
    by the model (a person only without a title before it and when it is not a given name)."""
    frag = text[s:e]
    if " " in frag or in_gazetteer or not _common(frag, common):
        return False
    if lab in ("GPE", "LOC"):
        return True
    return lab == "PERSON" and frag not in first_names() \
        and not re.search(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Miss|Lord|Lady)\.? $", text[max(0, s - 6):s])


_SPORT_CUES = re.compile(
    r"\b(?:striker|midfielder|defender|goalkeeper|keeper|manager|boss|Premiership|Premier League|"
    r"league|Cup|match|matches|fixture|goals?|penalty|referee|tries|scrum|football|rugby|"
    r"side|squad|title|rivals|draw|beat|clean sheet|equaliser|relegation|promotion|"
    r"Champions League|kick-off|half-time|semi-final|quarter-final|fans|stadium|season|"
    r"Euro 20\d\d|World Cup|transfer|sponsorship|replica shirts?|kit)\b"
)
_SCORE = re.compile(r"\b\d{1,2}-\d{1,2}\b")


def sport_score(text: str) -> int:
    """How much of a sports report the text is: sports words, a score counting double."""
    return len(_SPORT_CUES.findall(text, 0, 20_000)) + 2 * len(_SCORE.findall(text, 0, 20_000))


def is_sport(text: str) -> bool:
    """A team-sports report or an article about clubs (decides whether "Liverpool" is the
    club): several different football/rugby words (a score counts double), or two clubs
    named, or one club with a sports word ("a £2m move from Chelsea ... Euro 2004")."""
    found = _SPORT_CUES.findall(text, 0, 20_000)
    total = len(found) + 2 * len(_SCORE.findall(text, 0, 20_000))
    if len({w.lower() for w in found}) >= 3 and total >= 4:
        return True
    clubs = {m.group(0) for m in lists_orgs.club_regex().finditer(text, 0, 20_000)
             if m.group(0) in lists_orgs.NON_PLACE_CLUBS}
    return len(clubs) >= 2 or bool(clubs) and total >= 1


def club_spans(text: str, blocks_: Iterable[tuple[int, int]]) -> list[Span]:
    """Club names in a sports report, as ORG ("Chelsea", "Man Utd", "Bayer Leverkusen").
    A club named after its city is the club unless the text says "in <city>"."""
    out: list[Span] = []
    for bs, be in blocks_:
        for m in lists_orgs.club_regex().finditer(text, bs, be):
            name = m.group(0)
            if name in lists_orgs.CITY_CLUBS and re.search(r"\b(?:in|near|of|outside|across)\s$",
                                                            text[max(bs, m.start() - 8):m.start()]):
                continue
            out.append((m.start(), m.end(), "ORG"))
    return out


def ground_spans(text: str) -> list[Span]:
    """Sports grounds named in a sports report, as FAC ("Old Trafford", "Murrayfield")."""
    return [(m.start(), m.end(), "FAC") for m in lists_orgs.ground_regex().finditer(text)]


def clip_to_blocks(spans: Iterable[Span], text: str) -> list[Span]:
    """Safety net: a span containing a line break keeps only its first line's part."""
    out = []
    for s, e, lab in spans:
        nl = text.find("\n", s, e)
        if nl != -1:
            e = nl
            while e > s and text[e - 1] in " \t\r,;:":
                e -= 1
        if e > s:
            out.append((s, e, lab))
    return out


_DATE_WORD = re.compile(
    r"(?:\b(?:1[5-9]|20)\d\d\b|\d0s\b|[A-Z][a-z]+day|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|"
    r"year|month|week|day|decade|centur|spring|summer|autumn|fall|winter|morning|evening|night|"
    r"season|quarter|half|time|hour|minute|ago|today|tomorrow|tonight|yesterday|weekend|era|(?:twen|thir|for|fif|six|seven|eigh|nine)ties\b|"
    r"\b\d{1,2}/\d{1,2}\b|\d{4}-\d\d)", re.I)


def fix_date(text: str, s: int, e: int) -> tuple[int, int] | None:
    """"16 of" -> None, "couple of" -> None: a DATE needs a date word or a year."""
    while True:
        m = re.search(r"\s+(?:of|the|and|to|in|on|at)$", text[s:e])
        if not m:
            break
        e = s + m.start()
    if e <= s or not _DATE_WORD.search(text[s:e]):
        return None
    return s, e


def list_people(text: str, spans: list[Span], known: set[str]) -> list[Span]:
    """In a comma list of people (a team sheet), a one-word name between two PERSONs that
    is not a known place or organisation is a PERSON too ("Carroll, Ferdinand, Brown")."""
    out = list(spans)
    for i in range(1, len(out) - 1):
        (_ps, pe, pl), (s, e, lab), (ns, _ne, nl) = out[i - 1], out[i], out[i + 1]
        if lab in ("GPE", "ORG", "LOC", "NORP") and pl == nl == "PERSON" and " " not in text[s:e] \
                and text[pe:s].strip() in (",", ";") and text[e:ns].strip() in (",", ";", "and") \
                and text[s:e] not in known:
            out[i] = (s, e, "PERSON")
    return out


def tidy(text: str, spans: list[Span]) -> list[Span]:
    """The last pass over a document's spans: blocks, numbers, fragments, legal suffixes."""
    out: list[Span] = []
    for s, e, lab in clip_to_blocks(spans, text):
        if lab in NAME_LABELS and "(" in text[s + 1:e] and ")" not in text[s:e]:
            e = text.index("(", s + 1, e)  # "British National Party(BNP": the bracket ends it
            while e > s and text[e - 1] == " ":
                e -= 1
        if lab in NAME_LABELS and ("|" in text[s:e] or " • " in text[s:e]):
            e = min(i for i in (text.find("|", s, e), text.find(" • ", s, e)) if i >= 0)
            while e > s and text[e - 1] == " ":  # "Ann Lee | Oslo": a separator ends a name
                e -= 1
            if e <= s:
                continue
        if lab == "DATE":
            r = fix_date(text, s, e)
            if r:
                out.append((r[0], r[1], lab))
            continue
        for a, b, lb in cut_numbers(text, s, e, lab):
            a, b, lb = extend_legal_suffix(text, a, b, lb)
            if "\n" in text[a:b] or is_fragment(text, a, b, lb):
                continue
            out.append((a, b, lb))
    return out
