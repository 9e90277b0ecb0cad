"""Evidence for a name's label in articles about products (technology, games, films, music).

In such articles most capitalised names are products, programs, games, titles and brands
("Messenger", "Quake", "Blue Planet"), which a news-trained model readily calls people or
places. A PERSON or GPE/LOC there is kept only when the article gives evidence for it;
without evidence the label is dropped, because no label is better than a wrong one.

- PERSON: a given name first ("Ada Byrne"), an initial ("J. Smith"), an honorific or role
  word before any mention ("Mr Byrne", "analyst Tom Byrne"), a speech verb next to it
  ("Byrne said", "said Byrne"), an age ("Byrne, 42,"), or the surname of such a name.
- GPE/LOC: a known place (the gazetteer or the wider list of towns and regions built from
  GeoNames), or a compass word + a known place ("north Wales").
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from core.ner import lists, rules

Span = tuple[int, int, str]

# Words that mark an article about technology or games, and about films, music or TV; such
# an article names several different ones, often.
_TECH_CUES = re.compile(
    r"\b(?:software|computers?|PCs?|consoles?|gamers?|games?|gaming|gameplay|video ?games?|"
    r"online|website|web|internet|net|broadband|download(?:s|ed|ing)?|digital|gadgets?|"
    r"technology|hi-tech|virus|viruses|hackers?|program|programs|device|devices|"
    r"processor|chips?|browser|file-sharing|blogs?|bloggers?|apps?|platforms?|wireless|"
    r"e-?mail|handsets?|DVDs?|players?|users?|titles?|sequel|franchise|release[ds]?|"
    r"developer|publisher|brand|brands|edition|version)\b"
)
_MEDIA_CUES = re.compile(
    r"\b(?:film|films|movie|movies|album|albums|single|chart|novel|trailer|studio|"
    r"box office|cinema|starring|actor|actress|Oscars?|nominated|nominations?|comedy|drama|"
    r"documentary|musical|band|songs?|singer|TV|series|sitcom|premiere|soundtrack|award|"
    r"awards|audiences?|viewers|sequel|director|stage|theatre|show)\b"
)
_MIN_KINDS, _MIN_TOTAL, _MIN_SHORT, _MIN_DENSITY = 5, 10, 6, 1.5

_HONORIFIC = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Rev|President|Senator|"
    r"Governor|Mayor|King|Queen|Prince|Princess|Judge|Justice|Coach|Captain|Inspector|"
    r"Detective|Sgt|Cllr|St|Saint)\.?"
    r"|\b(?i:analyst|director|chairman|chairwoman|chairperson|editor|spokesman|spokeswoman|"
    r"spokesperson|founder|co-founder|boss|manager|designer|producer|actor|actress|"
    r"singer|author|writer|executive|researcher|scientist|engineer|presenter|minister|"
    r"secretary|officer|professor|leader|president|son|daughter|wife|husband|brother|"
    r"sister|colleague|expert|consultant|economist|lawyer|judge|artist|musician|comedian|"
    r"novelist|journalist|reporter|columnist|student|teacher|doctor|girlfriend|boyfriend|"
    r"friend|father|mother|aka|alias|nicknamed|called|named))"
    r"\s+(?:[A-Z][\w'’.-]+\s+){0,2}$"
)
_SAID_AFTER = re.compile(
    r"^(?:[’']s)?,?\s+(?:said|says|told|added|explained|argued|believes|believed|thinks|"
    r"predicted|predicts|warned|admitted|insisted|claimed|wrote|recalled|noted|agreed|"
    r"himself|herself|has said|had said|was quoted)\b|^,\s+(?:who\b|\d{1,3},)")
_ROLE_AFTER = re.compile(
    r"^,\s+(?:an?\s+|the\s+|its\s+|our\s+)?(?:[a-z-]+\s+)?(?:analyst|director|chairman|chairwoman|"
    r"editor|spokesman|spokeswoman|spokesperson|founder|co-founder|boss|manager|designer|"
    r"producer|executive|researcher|scientist|engineer|head|chief|president|professor|"
    r"lecturer|expert|consultant|author|creator|programmer|member|partner|vice-president)\b"
    r"|^,\s+\d{1,3},")  # an age
_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+) $")
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|according to|asked|added)\s+$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
# Given names left out of the gazetteer's list because they are also words or places.
_GIVEN_TOO = frozenset({"Bill", "Bob", "Mark", "Ray", "Guy", "Art", "Will", "Grace", "Hope",
                        "Joy", "Faith", "Rose", "Dawn", "Chase", "Miles", "Lee", "Ali", "Al",
                        "Christian", "Victoria", "Florence", "Sydney", "Virginia", "Jordan",
                        "Georgia", "Chad", "Maya", "Carolina", "Young", "Israel", "Sha",
                        "George", "Charlotte", "Eugene", "Madison", "Rich", "Hunter", "Rusty"})
# Name particles that are also words ("Van Persie", "De Gea")
_PARTICLES = frozenset({"Van", "Von", "De", "Del", "Della", "Di", "Da", "Du", "Le", "La", "Mac",
                        "Al", "El", "Bin", "Ben", "Abu", "Ibn", "Ter", "Ten", "Dos", "Das"})
_COMPASS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern",
                      "Western", "Central", "north", "south", "east", "west", "northern",
                      "southern", "eastern", "western", "central", "north-east", "north-west",
                      "south-east", "south-west", "North-East", "North-West", "South-East",
                      "South-West", "Greater", "Upper", "Lower", "Inner", "Outer", "mainland",
                      "rural", "downtown", "New"})


def article_kind(text: str, sport: int = 0) -> str | None:
    """"tech" (technology, games), "media" (films, music, TV) or None. `sport` is the text's
    sport score (cleanup.sport_score): a match report mentions "award", "show" and "TV" too,
    so the kind must have at least twice as many cue words as the report has sports words."""
    words = max(1, min(len(text.split()), 3000))
    for kind, cues in (("tech", _TECH_CUES), ("media", _MEDIA_CUES)):
        found = cues.findall(text, 0, 20_000)
        # a short piece names fewer cues: _MIN_SHORT of them at _MIN_DENSITY per 100 words do
        # (on the BBC folders: tech articles found 290 -> 313 of 401, entertainment 195 -> 225
        # of 386, while business/politics/sport called tech or media went 4 -> 9 of 1,438)
        enough = len(found) >= _MIN_TOTAL or (
            len(found) >= _MIN_SHORT and len(found) * 100 / words >= _MIN_DENSITY)
        if len({w.lower() for w in found}) >= _MIN_KINDS and enough:
            return kind if len(found) >= 2 * sport else None
    return None


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Every place name we know: the gazetteer's places plus the wider PLACES list (towns
    over 15,000 people, counties, regions), which is evidence only, never a span source."""
    out = {" ".join(k) for k, v in rules.gazetteer().entries.items() if v in ("GPE", "LOC")}
    out |= set(lists.COUNTRY_ALIASES) | set(lists.GPE_EXTRA) | set(lists.LOC)
    try:
        with open(rules.GAZETTEER_PATH, encoding="utf-8") as f:
            out |= set(json.load(f).get("PLACES", []))
    except OSError:
        pass
    return frozenset(out)


def _is_known_place(phrase: str, places: frozenset[str]) -> bool:
    if phrase in places:
        return True
    head, of, rest = phrase.partition(" of ")
    if of and head in _GEO_HEADS and _is_known_place(rest, places):
        return True  # "Republic of Ireland", "Gulf of Mexico"
    words = phrase.split()
    if len(words) >= 2 and words[0] in _COMPASS and " ".join(words[1:]) in places:
        return True
    return phrase.startswith("the ") and phrase[4:] in places


def _person_evidence(text: str, spans: list[Span], lenient: bool, speech: bool) -> set[str]:
    """Surnames (last words) of the names that the article shows to be people; `lenient`:
    every name that looks like a name counts; `speech`: a speech verb counts (not in
    technology articles, where firms and products "say" and "tell" too)."""
    names = rules.first_names()
    common = rules.common_words()
    ok: set[str] = set()
    for s, e, lab in spans:
        if lab != "PERSON":
            continue
        words = text[s:e].split()
        if len(words) >= 2 and not (len(words[-1]) > 1 and words[-1].isupper()) \
                and (words[0] in names or words[0] in _GIVEN_TOO or _INITIAL.match(words[0])
                                or any(_INITIAL.match(w) for w in words[1:-1])
                                or lenient and _namelike(text[s:e], common, names)):
            ok.add(words[-1])
            continue
        m = _WORD_BEFORE.search(text, max(0, s - 20), s)
        if m and (m.group(1) in names or m.group(1) in _GIVEN_TOO):
            ok.add(words[-1])  # "Gareth Stone" where the model tagged only "Stone"
            continue
        if _HONORIFIC.search(text, max(0, s - 60), s) or _ROLE_AFTER.match(text[e:e + 40]) \
                or speech and (_SAID_AFTER.match(text[e:e + 20])
                               or _SAID_BEFORE.search(text, max(0, s - 16), s)):
            ok.add(words[-1])
    return ok


def _wordlike(phrase: str, common: frozenset[str], names: frozenset[str]) -> bool:
    """A name that starts with an ordinary word ("Doom", "Star Wars", "National Treasure"),
    not with a given name."""
    first = phrase.split()[0]
    return first not in _COMPASS and first not in _PARTICLES and first.lower() in common and first not in names and first not in _GIVEN_TOO


_GEO_HEADS = frozenset({
    "City", "Town", "Village", "Valley", "Island", "Islands", "Isles", "Bay", "Coast", "Hills",
    "Mountains", "Mountain", "Lake", "River", "Sea", "Ocean", "Gulf", "Province", "State",
    "County", "Region", "Republic", "Kingdom", "Peninsula", "Desert", "Strait", "Canal",
    "Forest", "Beach", "Heights", "Springs", "Falls", "Harbour", "Harbor", "Point", "Cape",
    "Park", "Highlands", "Plain", "Plains", "Delta", "Basin", "Territory", "Territories",
    "District", "Borough", "Estate", "Square", "Gardens", "Green", "Hill", "Wood", "End",
    "North", "South", "East", "West", "Northwest", "Northeast", "Southwest", "Southeast",
    "Midwest"}) | rules.FAC_HEADS


def _common_tail(phrase: str, common: frozenset[str]) -> bool:
    """A several-word "place" ending in an ordinary word that is not a place word
    ("London Interbank Offered Rate", "Tokyo Health")."""
    words = phrase.split()
    return len(words) >= 2 and words[-1].lower() in common and words[-1] not in _GEO_HEADS


def _namelike(phrase: str, common: frozenset[str], names: frozenset[str]) -> bool:
    """Looks like a person's name: a given name first, or no ordinary word in it
    ("Zach Braff" but not "Jungle Fever")."""
    words = phrase.split()
    return len(words) >= 2 and (words[0] in names or words[0] in _GIVEN_TOO
                                or not any(w.lower() in common and w not in _PARTICLES
                                           for w in words))


_OPEN_QUOTE = re.compile(r"[“\"‘'](?:The |A |An )?$")
_CLOSE_QUOTE = frozenset("”\"’'")


def _quoted_title(text: str, s: int, e: int) -> bool:
    """A name of several words that fills a pair of quotes ("“Rivers of Glass”") is the title
    of a work, not a person, place or organisation."""
    return " " in text[s:e] and e < len(text) and text[e] in _CLOSE_QUOTE \
        and not text[e + 1:e + 2].isalnum() and bool(_OPEN_QUOTE.search(text, max(0, s - 5), s))


def drop_unsupported(text: str, spans: list[Span], kind: str | None = None) -> list[Span]:
    """Drop titles in quotes, and PERSON and GPE/LOC labels that have no evidence: in a
    technology article all of them; in a film/music article places and the people whose names do not look like
    names; elsewhere those whose name starts with an ordinary word."""
    common = rules.common_words()
    names = rules.first_names()
    people: set[str] | None = None
    places = known_places()
    out: list[Span] = []
    for s, e, lab in spans:
        phrase = text[s:e]
        if lab in ("PERSON", "ORG", "GPE", "LOC", "FAC") and _quoted_title(text, s, e) \
                and not (lab == "ORG" and phrase.split()[-1] in rules.ORG_HEADS) \
                and not (lab in ("GPE", "LOC") and _is_known_place(phrase, places)):
            continue
        if lab == "PERSON" and (kind == "tech" or _wordlike(phrase, common, names)
                                or kind == "media" and not _namelike(phrase, common, names)):
            if people is None:
                people = _person_evidence(text, spans, kind == "media", kind != "tech")
            if phrase.split()[-1] not in people:
                continue
        if lab in ("GPE", "LOC") and (kind or _wordlike(phrase, common, names)
                                      or _common_tail(phrase, common)) \
                and not _is_known_place(phrase, places):
            continue
        out.append((s, e, lab))
    return out
