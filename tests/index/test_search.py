"""Search behaviour through the Library facade (the path the CLI and GUI use)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.library import Library
from core.models import Document, EntitySpan
from core.text import TextBuilder
from tests.conftest import SEED


def seed_doc() -> Document:
    title, body = SEED.read_text(encoding="utf-8").split("\n\n", 1)
    b = TextBuilder()
    for p in body.split("\n"):
        b.add_block("paragraph", p)
    return Document(text=b.text, blocks=b.blocks, title=title, site="The Guardian",
                    published="2025-05-16")


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    lib = Library(tmp_path_factory.mktemp("lib"), seed=False)
    r = lib.add_document(seed_doc())
    b = TextBuilder()
    b.add_block("paragraph", "Markets fell in Tokyo as the yen rose against the dollar.")
    lib.add_document(Document(text=b.text, blocks=b.blocks, title="Yen rises",
                              published="2004-02-01"))
    art = lib.article(r.article_id)
    i = art.text.index("Keir Starmer")
    lib._store.replace_entities(art.id, [EntitySpan(i, i + 12, "PERSON", "Keir Starmer", "t")],
                               "t", "1", art.content_hash)
    lib.annotate(r.article_id, quote="youth mobility", note="Compare with the *Erasmus* scheme")
    lib.ensure_index()
    yield lib
    lib.close()


def titles(lib, q):
    return [h.title for h in lib.search(q).hits]


def test_accent_folding_finds_and_marks_sefcovic(lib):
    hits = lib.search("sefcovic").hits
    assert hits and hits[0].title.startswith("UK and EU")
    assert "<mark>Šefčovič</mark>" in hits[0].snippet_html


@pytest.mark.parametrize("q", ['"single market"', "title:defence", "talk AND fisheries",
                               "person:starmer", "entity:starmer", "starm*",
                               "published:[2025-01-01 to 2025-12-31]", "site:guardian"])
def test_query_syntax(lib, q):
    assert any(t.startswith("UK and EU") for t in titles(lib, q)), q


def test_not_excludes(lib):
    assert not any(t.startswith("UK and EU") for t in titles(lib, "markets NOT brussels"))
    assert "Yen rises" in titles(lib, "markets NOT brussels")


def test_stemming(lib):
    assert "Yen rises" in titles(lib, "market")


def test_note_hits_say_so(lib):
    hits = lib.search("erasmus").hits
    assert hits and hits[0].kind == "annotation" and hits[0].annotation_id
    assert "<mark>Erasmus</mark>" in hits[0].snippet_html


def test_snippet_is_escaped_html(lib):
    for h in lib.search("defence").hits:
        assert "<script" not in h.snippet_html


@pytest.mark.parametrize("q", ["title:(", '"unclosed', "AND", "NOT", "(((", "field:", "*",
                               "[to", "published:[x to", "a:b:c", "\\", "~~", "^"])
def test_malformed_queries_never_raise(lib, q):
    lib.search(q)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_any_query_returns_a_result(lib, q):
    res = lib.search(q)
    assert isinstance(res.hits, list)


def test_index_rebuilds_when_missing(tmp_path):
    import shutil
    lib = Library(tmp_path / "l", seed=False)
    lib.add_document(seed_doc())
    lib.ensure_index()
    lib.close()
    shutil.rmtree(tmp_path / "l" / "index")
    lib = Library(tmp_path / "l", seed=False)
    assert lib._indexing.index.needs_rebuild
    assert lib.search("sefcovic").hits == []  # a read never rebuilds…
    assert lib.index_needs_rebuild()
    lib.ensure_index()  # …the owner of the library does, on a worker
    assert lib.search("sefcovic").hits
    lib.close()


def test_index_rebuilds_when_garbled(tmp_path):
    lib = Library(tmp_path / "l", seed=False)
    lib.add_document(seed_doc())
    lib.ensure_index()
    lib.close()
    for f in (tmp_path / "l" / "index").iterdir():
        if f.suffix in (".toc", ".seg") or f.name.endswith(".trm"):
            f.write_bytes(b"\x00garbage" * 10)
    lib = Library(tmp_path / "l", seed=False)
    lib.ensure_index()
    assert lib.search("sefcovic").hits
    assert lib.check() == []
    lib.close()


def test_index_rebuilds_on_version_change(tmp_path):
    lib = Library(tmp_path / "l", seed=False)
    lib.add_document(seed_doc())
    lib.ensure_index()
    lib.close()
    (tmp_path / "l" / "index" / "VERSION").write_text("0")
    lib = Library(tmp_path / "l", seed=False)
    assert lib._indexing.index.needs_rebuild
    lib.ensure_index()
    assert lib.search("sefcovic").hits
    lib.close()


def test_field_only_matches_still_mark_the_snippet(lib):
    [hit] = [h for h in lib.search("person:starmer").hits if h.title.startswith("UK and EU")]
    assert "<mark>Starmer</mark>" in hit.snippet_html
