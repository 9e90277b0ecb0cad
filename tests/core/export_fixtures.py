"""A small, fully deterministic library for export tests (fixed uuids, clock and entities), built
from seeds/uk-eu-defence-talks.txt without the NER model or the importers."""
from __future__ import annotations

import itertools
from pathlib import Path

from core.library import Library
from core.models import Document, EntitySpan
from core.text import blocks_from_plain
from tests.conftest import SEED

TITLE = "UK and EU to explore renewed talks on defence cooperation"
URL = "https://www.theguardian.com/politics/2026/jan/16/uk-eu-defence-talks"
ENTITIES = [("PERSON", "Keir Starmer"), ("PERSON", "Maroš Šefčovič"), ("ORG", "EU"),
            ("GPE", "Britain"), ("GPE", "London"), ("GPE", "France"), ("GPE", "Germany"),
            ("GPE", "Brussels"), ("NORP", "European"), ("MONEY", "€150bn"), ("GPE", "UK")]


def deterministic(monkeypatch) -> None:
    """uuid4 and the store's clock become counters, so exports are byte-for-byte repeatable."""
    import uuid

    import core.library
    import core.storage
    ids = itertools.count(1)
    ticks = itertools.count(0)
    monkeypatch.setattr(core.library.uuidlib, "uuid4",
                        lambda: uuid.UUID(int=(next(ids) * 0x1111_1111 << 96) + 0xC0FFEE))

    def clock() -> str:
        n = next(ticks)
        return f"2026-01-20T09:{n // 60 % 60:02d}:{n % 60:02d}.000Z"
    monkeypatch.setattr(core.storage, "now_iso", clock)


def seed_document(title: str = TITLE, url: str = URL) -> Document:
    raw = SEED.read_text(encoding="utf-8")
    _, _, body = raw.partition("\n")
    b = blocks_from_plain(body)
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title, author="",
                    site="The Guardian", url=url, published="2026-01-16",
                    tags=["Defence policy", "EU"])


def add_entities(lib: Library, aid: int) -> None:
    art = lib.article(aid)
    spans = []
    for label, name in ENTITIES:
        pos = art.text.find(name)
        while pos >= 0:
            spans.append(EntitySpan(pos, pos + len(name), label, name, "test"))
            pos = art.text.find(name, pos + len(name))
    spans.sort(key=lambda s: (s.start, s.end))
    assert lib._store.replace_entities(aid, spans, "test", "1", art.content_hash)


def build_seed_library(path: Path) -> tuple[Library, int]:
    """The seed article with entities, two overlapping highlights, a passage note with hostile
    content, an article note and a colourless highlight."""
    lib = Library(path, seed=False)
    aid = lib.add_document(seed_document()).article_id
    add_entities(lib, aid)
    lib.annotate(aid, quote="Germany does not want any preconditions.", color="yellow",
                 note="The crux: **Berlin** wants no strings attached.\n\n- see [the EU "
                      "page](https://europa.eu/)\n- compare with Safe")
    lib.annotate(aid, quote="EU trade commissioner Maroš Šefčovič will hold talks in London "
                 "next week", color="blue", tags=["people"])
    lib.annotate(aid, quote="Maroš Šefčovič", color="green")  # overlaps the one above
    lib.annotate(aid, quote="€150bn (£130bn)", note="Check: *which* exchange rate?")
    lib.annotate(aid, note="Article note: follow the Safe negotiations.\n\n<b>raw html</b>",
                 tags=["follow-up"])
    return lib, aid
