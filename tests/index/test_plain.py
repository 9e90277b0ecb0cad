"""Plain text means what people mean: headlines, questions, stop words, punctuation, notes
first, typos, scopes, paging. Fixtures are generated here (tests/index/newsgen.py)."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.library import Library
from core.models import Document
from core.text import TextBuilder
from tests.index.newsgen import articles

ARTS = articles()
EXTRA = [
    ("The Who play the Saltmarsh festival", "The band The Who closed the festival."),
    ("Drama club stages Hamlet", "The famous line, to be or not to be, opened the evening."),
    ("Pier repairs begin", "Work on the pier begins; the trust said work would take weeks."),
]
NOTE = "Key point: the harbour levy should fund the lifeboat station"


def _doc(title, text, published=""):
    b = TextBuilder()
    b.add_block("paragraph", text)
    return Document(text=b.text, blocks=b.blocks, title=title, published=published)


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    lib = Library(tmp_path_factory.mktemp("plainlib"), seed=False)
    ids = []
    for a in ARTS:
        ids.append(lib.add_document(_doc(a["title"], a["body"], a["published"])).article_id)
    for title, text in EXTRA:
        lib.add_document(_doc(title, text))
    lib.ids = ids
    target = ids[5]
    lib.note_id = lib.annotate(target, quote=ARTS[5]["who"], note=NOTE, color="yellow").id
    lib.highlight_id = lib.annotate(ids[7], quote=ARTS[7]["who"]).id
    lib.ensure_index()
    yield lib
    lib.close()


def first(lib, q):
    hits = lib.search(q, limit=5).hits
    assert hits, q
    return hits[0]


def test_every_headline_finds_its_article_first(lib):
    misses = [a["title"] for a, aid in zip(ARTS, lib.ids, strict=True)
              if first(lib, a["title"]).article_id != aid]
    assert not misses, misses[:5]


def test_headline_without_stop_words_or_punctuation_too(lib):
    for a, aid in list(zip(ARTS, lib.ids, strict=True))[:40]:
        q = re.sub(r"\b(the|a|in|of|on|for|about|over)\b|[.!?]", " ", a["title"], flags=re.I)
        assert first(lib, q).article_id == aid, q


def test_question_finds_its_article_first(lib):
    for a, aid in list(zip(ARTS, lib.ids, strict=True))[:40]:
        q = f"Why do {a['who'].lower()} {a['verb']} {a['what']}?"
        hit = first(lib, q)
        assert hit.article_id == aid and hit.kind == "article" or \
            (hit.kind == "annotation" and hit.article_id == aid), q


def test_stop_words_are_never_required(lib):
    w = ARTS[0]
    for q in (f"talks on {w['where']}", f"the {w['where']} of the", f"{w['where']}."):
        assert lib.search(q).total > 0, q


def test_end_punctuation_is_punctuation(lib):
    base = lib.search("ferry fares").total
    for q in ("ferry fares?", "ferry fares.", "ferry, fares!", "ferry fares;"):
        r = lib.search(q)
        assert r.total == base and not r.fallback, q


def test_all_words_rank_before_some(lib):
    res = lib.search("tram plans Lowmere", limit=50)
    have_all = [("tram" in h.matched_terms and "lowmer" in h.matched_terms) for h in res.hits]
    assert any(have_all)
    # once a hit lacks a word, no later hit has them all
    assert have_all == sorted(have_all, reverse=True)


def test_stop_word_queries_find_their_phrase(lib):
    assert first(lib, "The Who").title == "The Who play the Saltmarsh festival"
    assert first(lib, "to be or not to be").title == "Drama club stages Hamlet"


def test_note_first_and_labelled(lib):
    hit = first(lib, "harbour levy should fund the lifeboat station")
    assert hit.kind == "annotation" and hit.annotation_id == lib.note_id
    assert hit.label == "Note" and "lifeboat" in hit.snippet_html
    hit = first(lib, "key point")
    assert hit.annotation_id == lib.note_id


def test_scopes(lib):
    notes = lib.search("in:notes harbour").hits
    assert notes and all(h.label == "Note" for h in notes)
    hl = lib.search(f"in:highlights {ARTS[7]['who']}").hits
    assert hl and all(h.label == "Highlight" for h in hl)
    arts = lib.search("in:articles harbour levy", limit=100).hits
    assert arts and all(h.kind == "article" for h in arts)
    assert {h.label for h in lib.search("in:notes").hits} == {"Note"}
    assert lib.search("color:yellow lifeboat").hits[0].annotation_id == lib.note_id
    assert lib.search("color:purple lifeboat").total == 0
    assert lib.search('color:"key point" lifeboat').hits[0].annotation_id == lib.note_id


def test_misspelt_query_is_corrected(lib):
    r = lib.search("lifebaot station")
    assert r.corrected == "lifeboat station" and r.suggestion == "lifebaot station"
    assert r.hits and r.hits[0].annotation_id == lib.note_id
    assert lib.search("lifeboat station").corrected == ""


def test_explicit_syntax_keeps_meaning(lib):
    assert lib.search('"harbour levy" AND Eastbrook').total <= lib.search("harbour levy").total
    assert lib.search('"levy harbour"').total == 0
    r = lib.search("title:pier repairs")
    assert r.hits[0].title == "Pier repairs begin"
    assert all(h.title.lower().count("pier") for h in r.hits)
    assert lib.search("ferr*").total == lib.search("ferry").total
    assert lib.search("tram NOT Lowmere").total < lib.search("tram").total


def test_phrase_marked_as_one_unit(lib):
    hit = first(lib, '"harbour levy"')
    assert "<mark>harbour levy</mark>" in hit.snippet_html


def test_offset_limit_and_date_sort(lib):
    everything = lib.search("council", limit=500).hits
    page = lib.search("council", limit=5, offset=5).hits
    assert [h.article_id for h in page] == [h.article_id for h in everything[5:10]]
    by_date = lib.search("council", limit=500, sort="date").hits
    dates = [h.published for h in by_date if h.published]
    assert dates == sorted(dates, reverse=True)
    assert {h.article_id for h in by_date} == {h.article_id for h in everything}


VOCAB = sorted({w.lower() for a in ARTS for w in re.findall(r"[A-Za-z]+", a["body"])})
NOISE = st.text(alphabet="xqzjkv", min_size=3, max_size=8)
SEP = st.sampled_from([" ", "  ", ", ", ". ", "? ", "! ", "; "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(VOCAB), before=st.lists(NOISE, max_size=3),
       after=st.lists(NOISE, max_size=3), sep=SEP, cap=st.booleans())
def test_any_library_word_finds_something(lib, word, before, after, sep, cap):
    w = word.capitalize() if cap else word
    q = sep.join([*before, w, *after]) + sep.strip()
    assert lib.search(q).total >= 1, q


def test_snippet_marks_a_phrase_with_its_stop_words_as_one_unit(lib):
    hit = first(lib, '"closure of the pier"')
    assert "<mark>closure of the pier</mark>" in hit.snippet_html
    hit = first(lib, "pier closure")
    assert "<mark>the</mark>" not in hit.snippet_html
