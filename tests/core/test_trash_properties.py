"""Property: moving articles to the trash and restoring them (by undelete or by undo) gives back
the same article — text, metadata, tags, state, read mark — with the same annotations and
anchors, and puts them back in search; while trashed they are out of search and the notebook."""
import itertools
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.library import Library
from core.models import Document, Span

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
WORDS = st.text("abcdefghij", min_size=2, max_size=7)
_counter = itertools.count()

anns = st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 30),
                          st.sampled_from(["", "yellow", "green", "pink"]),
                          st.text(max_size=30), st.lists(WORDS, max_size=2)), max_size=5)
articles = st.lists(st.tuples(st.lists(WORDS, min_size=5, max_size=60).map(" ".join),
                              st.lists(WORDS, max_size=3), anns,
                              st.sampled_from(["archive", "read", "none"])),
                    min_size=1, max_size=4)


def snapshot(lib: Library, aid: int):
    a = lib.article(aid)
    s = lib.summary(aid)
    return (a, (s.state, s.read_at, s.progress, s.tags, s.notes_count),
            lib._store.annotations(aid), [(r.resolution.start, r.resolution.end)
                                         if r.resolution else None
                                         for r in lib.annotations(aid)])


def build(lib: Library, spec) -> list[int]:
    ids = []
    for text, tags, notes, state in spec:
        n = next(_counter)
        body = f"unique{n}x {text}"
        doc = Document(text=body, blocks=[Span(0, len(body), "paragraph")],
                       title=f"Article {n}", tags=tags)
        aid = lib.add_document(doc).article_id
        for at, length, colour, note, atags in notes:
            s = at % len(body)
            e = min(len(body), s + length)
            if body[s:e].strip():
                lib.annotate(aid, start=s, end=e, color=colour, note=note, tags=atags)
        if state == "archive":
            lib.archive([aid])
        elif state == "read":
            lib.mark_read([aid])
        lib.set_reading_position(aid, len(body) // 3)
        ids.append(aid)
    return ids


@SETTINGS
@given(articles, st.booleans())
def test_trash_then_restore_gives_back_the_same_articles(spec, by_undo):
    with tempfile.TemporaryDirectory() as d, Library(d, seed=False) as lib:
        ids = build(lib, spec)
        before = {aid: snapshot(lib, aid) for aid in ids}
        change = lib.trash(ids)
        assert sorted(lib.list_ids("trash")) == sorted(ids)
        assert lib.list_ids("all") == [] and lib.notebook() == []
        for aid in ids:
            word = before[aid][0].text.split()[0]
            assert not any(h.article_id == aid for h in lib.search(word).hits)
            assert lib._store.annotations(aid) == before[aid][2]  # kept while in the trash
        if by_undo:
            lib.undo(change)
        else:
            lib.undelete(ids)
        assert lib.list_ids("trash") == []
        for aid in ids:
            assert snapshot(lib, aid) == before[aid]
            word = before[aid][0].text.split()[0]
            assert any(h.article_id == aid for h in lib.search(word).hits)
        assert lib.check() == []
