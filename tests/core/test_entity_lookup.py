"""The entity a search names (the search field's entity row): names as typed, entity
filters, aliases, non-ASCII case, and rows stored before entities had a lookup key."""
from __future__ import annotations

import sqlite3

import pytest

from core.library import Library
from core.models import Document, EntitySpan
from core.text import TextBuilder


def _add(lib: Library, title: str, text: str, names: list[tuple[str, str]]) -> int:
    b = TextBuilder()
    b.add_block("paragraph", text)
    aid = lib.add_document(Document(text=b.text, blocks=b.blocks, links=b.links,
                                    title=title)).article_id
    spans = []
    for name, label in names:
        start = b.text.index(name)
        spans.append(EntitySpan(start, start + len(name), label, name))
    h = lib._store.con.execute("SELECT content_hash FROM articles WHERE id=?", (aid,)).fetchone()[0]
    assert lib._store.replace_entities(aid, spans, "test", "1", h)
    return aid


@pytest.fixture
def lib(tmp_path):
    lib = Library(tmp_path / "lib", seed=False)
    _add(lib, "Derby", "Arsenal beat Chelsea at the Emirates on Sunday.",
         [("Arsenal", "ORG"), ("Chelsea", "ORG")])
    _add(lib, "Cup", "Chelsea reached the final after a late goal in Lisbon.",
         [("Chelsea", "ORG"), ("Lisbon", "GPE")])
    _add(lib, "Profile", "Chelsea Clinton spoke in Chelsea, a district of London.",
         [("Chelsea Clinton", "PERSON"), ("Chelsea", "GPE"), ("London", "GPE")])
    _add(lib, "Talks", "Maroš Šefčovič met ministers from the UK and Britain's allies.",
         [("Maroš Šefčovič", "PERSON"), ("UK", "GPE"), ("Britain", "GPE")])
    yield lib
    lib.close()


def test_a_name_as_typed_finds_the_label_most_articles_give_it(lib):
    assert lib.entity_lookup("chelsea") == {"name": "Chelsea", "label": "ORG", "articles": 2}
    assert lib.entity_lookup("  CHELSEA ") == {"name": "Chelsea", "label": "ORG", "articles": 2}


def test_an_entity_filter_picks_its_type(lib):
    assert lib.entity_lookup("place:chelsea") == {"name": "Chelsea", "label": "GPE", "articles": 1}
    assert lib.entity_lookup('person:"chelsea clinton"')["articles"] == 1
    assert lib.entity_lookup("person:lisbon") is None


def test_aliases_lead_to_the_canonical_name(lib):
    found = lib.entity_lookup("united kingdom")
    assert found == {"name": "United Kingdom", "label": "GPE", "articles": 1}
    lib.merge_entity_names("Arsenal", "Arsenal FC")
    assert lib.entity_lookup("arsenal fc")["articles"] == 1


def test_non_ascii_names_match_in_any_case(lib):
    assert lib.entity_lookup("maroš šefčovič")["name"] == "Maroš Šefčovič"
    assert lib.entity_page("MAROŠ ŠEFČOVIČ")["articles"]


def test_sentences_and_queries_with_syntax_name_no_entity(lib):
    for q in ("Chelsea reached the final after a late goal", "chelsea AND lisbon:x", "", "  ",
              'title:"cup"', "nobody"):
        assert lib.entity_lookup(q) is None, q


def test_rows_stored_without_a_key_are_backfilled_and_still_found(tmp_path, lib):
    # an older app (schema before 1009) stores no key: the migration fills it; rows an older
    # app adds later (key left empty) are still matched
    lib._store.con.execute("UPDATE entities SET key='' WHERE text='Lisbon'")
    assert lib.entity_lookup("lisbon") == {"name": "Lisbon", "label": "GPE", "articles": 1}
    from core.migrations import MIGRATIONS
    backfill = dict(MIGRATIONS)[1010]
    assert callable(backfill)
    con = sqlite3.connect(lib._store.path)
    backfill(con)
    con.commit()
    assert con.execute("SELECT key FROM entities WHERE text='Lisbon'").fetchone()[0] == "lisbon"
    con.close()
