"""Entity names for readers: plain type names, label groups, aliases and merging of mentions.

Pure functions, no I/O (the library keeps the user's alias table; this decides what it means):
- DISPLAY_NAMES: "Places" rather than "GPE" on chips, tooltips and panels.
- canonical(): "UK", "U.K." and "Britain" are "United Kingdom" (built-in aliases, overridden by
  the user's: a user alias to itself splits a name off its built-in group).
- group_mentions(): within one article a surname joins the full name ("Starmer" joins
  "Keir Starmer") and aliases join their canonical name; one group per entity.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.models import EntitySpan

# label -> (singular, plural) for chips, tooltips, panels and menus
DISPLAY_NAMES: dict[str, tuple[str, str]] = {
    "PERSON": ("Person", "People"),
    "ORG": ("Organisation", "Organisations"),
    "GPE": ("Place", "Places"),
    "LOC": ("Region", "Regions & seas"),
    "FAC": ("Building or facility", "Buildings & facilities"),
    "NORP": ("Nationality or group", "Nationalities & groups"),
    "EVENT": ("Event", "Events"),
    "LAW": ("Law or treaty", "Laws & treaties"),
    "DATE": ("Date", "Dates"),
    "MONEY": ("Money", "Money"),
    "PERCENT": ("Percentage", "Percentages"),
    "PRODUCT": ("Product", "Products"),
    "WORK_OF_ART": ("Work", "Works"),
}
# Labels a reader treats as one kind (GPE and LOC are both "places", as the index has it).
LABEL_GROUPS: dict[str, str] = {"GPE": "place", "LOC": "place", "FAC": "place"}
# --type values the CLI and the entity page accept, mapped to labels
TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",), "people": ("PERSON",), "org": ("ORG",), "organisation": ("ORG",),
    "organization": ("ORG",), "place": ("GPE", "LOC", "FAC"), "gpe": ("GPE",), "loc": ("LOC",),
    "fac": ("FAC",), "norp": ("NORP",), "group": ("NORP",), "event": ("EVENT",), "law": ("LAW",),
    "date": ("DATE",), "money": ("MONEY",), "percent": ("PERCENT",), "product": ("PRODUCT",),
    "work_of_art": ("WORK_OF_ART",), "work": ("WORK_OF_ART",),
}

_BUILTIN_GROUPS: dict[str, tuple[str, ...]] = {
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom"),
    "United States": ("US", "U.S.", "USA", "U.S.A.", "America", "United States",
                      "United States of America"),
    "European Union": ("EU", "E.U.", "European Union"),
    "United Nations": ("UN", "U.N.", "United Nations"),
    "NATO": ("NATO", "Nato"),
    "Manchester United": ("Manchester United", "Man Utd", "Man United"),
    "Manchester City": ("Manchester City", "Man City"),
    "Netherlands": ("Netherlands", "Holland"),
    "Myanmar": ("Myanmar", "Burma"),
    "World Health Organization": ("WHO", "World Health Organization", "World Health Organisation"),
    "International Monetary Fund": ("IMF", "International Monetary Fund"),
}
BUILTIN_ALIASES: dict[str, str] = {a: canon for canon, names in _BUILTIN_GROUPS.items()
                                   for a in names}
_FOLDED = {a.casefold(): canon for a, canon in BUILTIN_ALIASES.items()}


def display_name(label: str, plural: bool = False) -> str:
    """"Places" for GPE; an unknown label is shown as it is."""
    names = DISPLAY_NAMES.get(label)
    return (names[1] if plural else names[0]) if names else label


def label_group(label: str) -> str:
    return LABEL_GROUPS.get(label, label)


def canonical(name: str, user: Mapping[str, str] | None = None) -> str:
    """The name an alias stands for: the user's table first, then the built-in one."""
    if user and name in user:
        return user[name]
    return BUILTIN_ALIASES.get(name) or _FOLDED.get(name.casefold(), name)


def alias_names(canon: str, user: Mapping[str, str] | None = None,
                seen: Iterable[str] = ()) -> set[str]:
    """Every name that resolves to ``canon`` (built-in, user and ``seen`` names)."""
    cands = set(BUILTIN_ALIASES) | set(user or {}) | set(seen) | {canon}
    return {n for n in cands if canonical(n, user) == canon} | {canon}


def alias_groups(user: Mapping[str, str] | None = None) -> dict[str, set[str]]:
    """canonical name -> every alias of it (built-in and the user's)."""
    out: dict[str, set[str]] = {}
    for n in set(BUILTIN_ALIASES) | set(user or {}):
        out.setdefault(canonical(n, user), set()).add(n)
    return out


@dataclass
class EntityGroup:
    """One entity in one article: its canonical name, label and every mention of it."""

    name: str
    label: str
    mentions: list[EntitySpan] = field(default_factory=list)

    @property
    def variants(self) -> list[str]:
        out: list[str] = []
        for m in self.mentions:
            if m.text not in out:
                out.append(m.text)
        return out


def group_mentions(spans: Iterable[EntitySpan],
                   user: Mapping[str, str] | None = None) -> list[EntityGroup]:
    """Group an article's mentions: aliases by canonical name; a one-word PERSON that is the
    last word of exactly one longer PERSON name in the article joins that name. Groups are in
    order of first mention."""
    spans = list(spans)
    full: dict[str, set[str]] = {}
    for s in spans:
        words = s.text.split()
        if s.label == "PERSON" and len(words) >= 2:
            full.setdefault(words[-1], set()).add(canonical(s.text, user))
    groups: dict[tuple[str, str], EntityGroup] = {}
    for s in spans:
        name = canonical(s.text, user)
        if s.label == "PERSON" and " " not in s.text and len(full.get(s.text, ())) == 1:
            name = next(iter(full[s.text]))
        key = (label_group(s.label), name)
        g = groups.get(key)
        if g is None:
            g = groups[key] = EntityGroup(name, s.label)
        g.mentions.append(s)
    return list(groups.values())
