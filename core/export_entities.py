"""Which entities an exported article lists in its front matter, and the entity notes a vault
export can write (`Entities/<name>.md`, one per person, organisation, place… with links back to
the articles that mention it).

Recognisers are noisy: the same name under two labels, "Starmer" beside "Keir Starmer", a
mention that is a fragment. Export keeps what a reader would trust: one type per name (the label
most of its mentions carry), a surname folded into the one full name it belongs to, only names
mentioned at least MIN_MENTIONS times (or added by the user), no spans over a full stop or of
function words alone ("The"), at most PER_GROUP per type, most mentioned first.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.models import EntitySpan

ENTITY_GROUPS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
                 "FAC": "place", "NORP": "group", "EVENT": "event", "LAW": "law",
                 "WORK_OF_ART": "work", "PRODUCT": "product"}
GROUP_ORDER = ("person", "org", "place", "group", "event", "law", "work", "product")
# front-matter keys: flat lists are what Obsidian's Properties view and Dataview handle well
GROUP_KEYS = {"person": "people", "org": "organisations", "place": "places", "group": "groups",
              "event": "events", "law": "laws", "work": "works", "product": "products"}
GROUP_TITLES = {"person": "Person", "org": "Organisation", "place": "Place",
                "group": "Group or nationality", "event": "Event", "law": "Law",
                "work": "Work", "product": "Product"}
PER_GROUP = 10
MIN_MENTIONS = 2

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(slots=True)
class Entity:
    name: str                      # the most used spelling
    group: str                     # person, org, place, ...
    mentions: int
    first: int                     # offset of the first mention (ties keep reading order)
    user: bool = False             # added or confirmed by the user


@dataclass(slots=True)
class _Acc:
    first: int
    mentions: int = 0
    user: bool = False
    labels: Counter = field(default_factory=Counter)
    spellings: Counter = field(default_factory=Counter)


_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "co", "inc", "ltd", "corp", "gen",
                  "col", "lt", "sgt", "capt", "rev", "prof", "gov", "sen", "rep", "mt", "ft",
                  "no", "vol", "dept", "univ", "bros", "messrs", "hon", "maj", "adm", "cmdr"}


_FUNCTION_WORDS = set("""a an the it its this that these those he she they we i you his her our
their but and or if in on at of for to as by with from after before when while there here what
who how why where yes no not all some any one two new""".split())


def _crosses_sentence(name: str) -> bool:
    """A span that runs over a full stop ("Clearswift. It"): a word of two or more letters,
    not a known abbreviation or a dotted one (U.S.), ends in ". " inside the name."""
    for m in re.finditer(r"(\S+)\. ", name):
        word = m.group(1)
        if len(word) >= 2 and "." not in word and word.casefold() not in _ABBREVIATIONS:
            return True
    return False


def _clean(text: str) -> str:
    name = " ".join(text.split())
    name = _POSSESSIVE.sub("", name)
    name = _EDGE.sub("", name)
    return name[4:] if name.startswith("the ") else name  # "the BBC" → "BBC"; not "The Hague"


def _key(name: str) -> str:
    k = name.casefold()
    return k[4:] if k.startswith("the ") else k


def pick_entities(spans: Iterable[EntitySpan], per_group: int = PER_GROUP,
                  min_mentions: int = MIN_MENTIONS) -> dict[str, list[Entity]]:
    """The article's confident entities by group (GROUP_ORDER), each name once."""
    acc: dict[str, _Acc] = {}
    for s in spans:
        g = ENTITY_GROUPS.get(s.label.upper())
        name = _clean(s.text)
        if not g or len(name) < 2 or name[0].islower() or _crosses_sentence(name) \
                or all(w in _FUNCTION_WORDS for w in name.casefold().split()):
            continue  # "minister", "Clearswift. It", "The": fragments, not names
        a = acc.setdefault(_key(name), _Acc(first=s.start))
        a.mentions += 1
        a.user = a.user or s.source == "user"
        a.labels[g] += 1
        a.spellings[name] += 1

    def group_of(a: _Acc) -> str:
        # most mentions; a tie goes to the group order (person before org before place...)
        return max(a.labels.items(), key=lambda kv: (kv[1], -GROUP_ORDER.index(kv[0])))[0]

    # a one-word mention ("Starmer", "Baikal") joins the single longer name it is the first or
    # last word of ("Keir Starmer", "Baikal Finance Group") when it has that name's type or
    # was taken for a person (the usual mistake); with two candidates it is left alone
    longer = {k: group_of(a) for k, a in acc.items() if " " in k}
    for k in [k for k in acc if " " not in k]:
        owners = [p for p in longer if p.split(" ")[-1] == k or p.split(" ")[0] == k]
        if len(owners) != 1 or group_of(acc[k]) not in ("person", longer[owners[0]]):
            continue
        short, full = acc.pop(k), acc[owners[0]]
        full.mentions += short.mentions
        full.user = full.user or short.user
        full.first = min(full.first, short.first)
        full.labels[longer[owners[0]]] += short.mentions

    out: dict[str, list[Entity]] = {}
    for a in acc.values():
        if a.mentions < min_mentions and not a.user:
            continue
        name = max(a.spellings.items(), key=lambda kv: kv[1])[0]
        g = group_of(a)
        out.setdefault(g, []).append(Entity(name, g, a.mentions, a.first, a.user))
    return {g: sorted(out[g], key=lambda e: (-e.mentions, e.first))[:per_group]
            for g in GROUP_ORDER if g in out}


def wikilink(stem: str, text: str = "", folder: str = "") -> str:
    """An Obsidian link to a note by its file stem (and folder, so a note of the same name
    elsewhere is not hit), showing `text` when it differs; `[`, `]`, `|` cannot be in a link."""
    target = f"{folder}/{stem}" if folder else stem
    alias = re.sub(r"\s+", " ", re.sub(r"[\[\]|]", " ", html.unescape(text))).strip()
    return f"[[{target}|{alias}]]" if alias and alias != target else f"[[{target}]]"


def entity_front_matter(ents: dict[str, list[Entity]],
                        links: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Front-matter keys (people, places, ...) for the picked entities; with `links` (entity
    key → wikilink) each name is a link to its entity note."""
    fm: dict[str, list[str]] = {}
    for g, items in ents.items():
        fm[GROUP_KEYS[g]] = [links[_key(e.name)] if links else e.name for e in items]
    return fm


def entity_key(name: str) -> str:
    return _key(name)


@dataclass(slots=True)
class EntityNote:
    """One entity across the export: its name, type, and the articles mentioning it."""
    name: str
    groups: Counter = field(default_factory=Counter)
    articles: list[tuple[str, str, int]] = field(default_factory=list)  # (stem, title, n)

    @property
    def group(self) -> str:
        return max(self.groups.items(), key=lambda kv: (kv[1], -GROUP_ORDER.index(kv[0])))[0]


def entity_note_body(note: EntityNote, wikilink, begin: str, end: str) -> Sequence[str]:
    """The managed region of an entity note: what it is and where it is mentioned."""
    n = len(note.articles)
    lines = [begin, "", f"# {note.name}", "",
             f"{GROUP_TITLES[note.group]} · mentioned in {n} exported article{'s' * (n != 1)}",
             ""]
    rows = sorted(note.articles, key=lambda a: (-a[2], a[1].casefold(), a[0]))
    lines += [f"- {wikilink(stem, title)} — {k} mention{'s' * (k != 1)}"
              for stem, title, k in rows]
    return [*lines, "", end]
