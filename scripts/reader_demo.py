"""A throwaway library with the seed article and entities, for screenshots and timing.

Entities come from the real recogniser when core.ner offers one; otherwise from a small list
of the seed's names (so the reader can be shown before the NER pipeline lands).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.library import Library
from core.models import EntitySpan

SEED = ROOT / "seeds" / "uk-eu-defence-talks.txt"
NAMES = {
    "PERSON": ["Keir Starmer", "Starmer", "Maroš Šefčovič", "Šefčovič", "Ursula von der Leyen",
               "Donald Trump", "Trump", "Stella Creasy", "Nick Thomas-Symonds",
               "Valdis Dombrovskis", "Rachel Reeves", "Peter Kyle", "Marco Rubio"],
    "ORG": ["EU", "NATO", "European Commission", "Foreign Office", "Labor",
            "European Labor Movement", "EU-UK Association Council"],
    "GPE": ["Britain", "UK", "London", "Brussels", "France", "Paris", "Germany", "Ukraine",
            "Belgium", "Beijing", "Washington", "Greenland", "US", "Canada", "United Kingdom"],
    "LOC": ["Europe"],
    "NORP": ["European", "French", "British", "Russian"],
    "DATE": ["Friday", "next week", "November 2025", "December", "May last year", "Monday",
             "Wednesday", "next year", "45 years"],
    "MONEY": ["€150bn", "£130bn", "90 billion euro", "approximately 2 billion euros",
              "hundreds of millions"],
    "EVENT": ["Brexit"],
}


def list_entities(text: str) -> list[EntitySpan]:
    taken = [False] * len(text)
    out = []
    cands = sorted(((n, lab) for lab, ns in NAMES.items() for n in ns), key=lambda x: -len(x[0]))
    for name, label in cands:
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                out.append(EntitySpan(m.start(), m.end(), label, name, "demo"))
    return sorted(out, key=lambda e: e.start)


def add_entities(lib: Library, aid: int) -> None:
    art = lib.article(aid)
    try:
        rec = lib.recogniser()
        spans = next(iter(rec.recognise_many([art.text])))
        name, version = rec.name, rec.version
    except Exception:  # noqa: BLE001 — the NER pipeline may not be there yet
        spans, name, version = list_entities(art.text), "demo", "1"
    lib._store.replace_entities(aid, spans, name, version, art.content_hash)


def demo_library(path: Path | str) -> tuple[Library, int]:
    from core.importers import load_source
    lib = Library(path, seed=False)
    doc = load_source(str(SEED))
    aid = lib.add_document(doc).article_id
    assert aid is not None
    add_entities(lib, aid)
    return lib, aid
