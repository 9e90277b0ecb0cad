"""index.fast must agree with Whoosh's own searcher: same matches, same count, same order
(up to ties), and fall back for what it does not do."""
import pytest

from core.library import Library
from core.models import Document, EntitySpan
from core.text import TextBuilder
from index.fast import Unsupported
from index.searching import QueryEngine
from index.snippets import snippet

TEXTS = [
    ("Oil prices rise", "Oil prices rose sharply as OPEC cut output. Analysts said oil could rise."),
    ("Interest rates", "The bank raised interest rates. Rates on savings said to rise."),
    ("Prime minister speaks", "The prime minister said the United States would talk trade."),
    ("Markets", "Markets fell in Tokyo as the yen rose; marketing firms complained."),
    ("Computers", "Computer makers and component suppliers compete for companies."),
    ("Šefčovič visit", "Maroš Šefčovič met ministers in Brussels about the single market."),
    ("Bank profit", "The bank said profit rose; the bank expects more profit next year."),
    ("Japan bank", "A Japanese bank in Japan said profit fell."),
]
QUERIES = ["oil", "bank", "rates", "said", "bank profit", "oil prices", '"interest rates"',
           '"prime minister"', '"said the united"', "comp*", "mark*", "title:oil",
           "person:sefcovic", "sefcovic", "bank NOT japan", "oil OR rates", "markets",
           'title:"bank profit"', "tags:economy", "nosuchword", "oil AND nosuchword",
           "o?l", "bank o?l", "oil added:[2000-01-01 to 2100-01-01]",
           "published:[2000-01-01 to 2100-01-01]"]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    lib = Library(tmp_path_factory.mktemp("fastlib"), seed=False)
    for i, (title, text) in enumerate(TEXTS):
        b = TextBuilder()
        b.add_block("paragraph", text)
        r = lib.add_document(Document(text=b.text, blocks=b.blocks, title=title,
                                      tags=["economy"] if i % 2 else []))
        if "Šefčovič" in text:
            art = lib.article(r.article_id)
            k = art.text.index("Maroš")
            lib._store.replace_entities(art.id, [EntitySpan(k, k + 14, "PERSON", "Maroš Šefčovič")],
                                       "t", "1", art.content_hash)
    lib.ensure_index()
    # a second segment and a deletion, so offsets and deleted documents are exercised
    lib.annotate(1, quote="OPEC", note="check the oil figures")
    lib.delete_article(4)
    yield lib
    lib.close()


@pytest.mark.parametrize("q", QUERIES)
def test_fast_path_agrees_with_whoosh(lib, q):
    ix = lib._indexing.index
    s, fast = ix._get_searchers()
    assert fast is not None
    pq, _ = ix.parse(q)
    top, total, _leaves = fast.search(pq, 50)
    found = QueryEngine(s, fast, s.schema).whoosh_search(pq, 50, None, q)
    assert found is not None
    wdocs, wtotal, _, _ = found
    assert total == wtotal
    assert {d for d, _ in top} == {d for d, _ in wdocs}
    if top and "*" not in q:  # prefixes: Whoosh scores them as constants, we by BM25
        assert top[0][1] == pytest.approx(max(sc for _, sc in wdocs), rel=0.35)


def test_kinds_filter(lib):
    hits = lib.search("oil", kinds=["annotation"]).hits
    assert hits and all(h.kind == "annotation" for h in hits)


def test_unsupported_falls_back(lib):
    ix = lib._indexing.index
    _s, fast = ix._get_searchers()
    for q in ("NOT oil", "*"):
        pq, _ = ix.parse(q)
        with pytest.raises(Unsupported):
            fast.search(pq, 10)
        lib.search(q)
    assert lib.search("oil OR *").hits


def test_snippet_marks_and_escapes():
    text = "Talks on <defence> in Brussels; talk of talking & more talks."
    out = snippet(text, {"talk"})
    assert "<mark>Talks</mark>" in out and "<mark>talking</mark>" in out
    assert "&lt;defence&gt;" in out and "&amp;" in out
    assert snippet(text, {"nothing"}) == ""


def test_parallel_rebuild_matches(lib, monkeypatch):
    import index.search as isearch
    before = {h.article_id for h in lib.search("bank").hits}
    monkeypatch.setattr(isearch, "PARALLEL_REBUILD_MIN", 1)
    assert isearch.rebuild_procs(5) >= 1
    n = lib._indexing.index.rebuild(lib._indexing._all_index_docs(), procs=2)
    assert n == len(lib._indexing.index.keys())
    assert {h.article_id for h in lib.search("bank").hits} == before


def test_parallel_rebuild_failure_falls_back(lib, monkeypatch):
    import index.search as isearch

    def broken(*a, **k):
        raise isearch.ParallelBuildFailed("simulated")
    monkeypatch.setattr(isearch, "rebuild_procs", lambda n: 2)
    real = lib._indexing.index.rebuild
    monkeypatch.setattr(lib._indexing.index, "rebuild",
                        lambda docs, prog=None, procs=1: broken() if procs > 1 else real(docs, prog))
    assert lib.reindex() == len(lib._indexing.index.keys())
    assert "parallel" in lib.index_notice
    assert lib.search("bank").hits
