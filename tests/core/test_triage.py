"""Reading states, tags, list views and the notebook in the core (issue 12)."""
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import CommonplaceError
from core.library import Library
from tests.ui.conftest import make_doc


@pytest.fixture
def lib(tmp_path):
    lib = Library(tmp_path / "lib", seed=False)
    for i, (site, pub) in enumerate((("a.example", "2020-01-01"), ("b.example", ""),
                                     ("a.example", "2024-06-01"))):
        lib.add_document(make_doc(f"Title {'CBA'[i]}", [f"Body {i} about rivers and tides."],
                                  site=site, published=pub))
    yield lib
    lib.close()


def test_views_sorts_and_counts(lib):
    a, b, c = sorted(lib.list_ids("all"))
    assert lib.list_ids("all", order="title") == [c, b, a]  # A, B, C
    # published, falling back to the day added (today) for b
    assert lib.list_ids("all", order="published") == [b, c, a]
    lib.set_reading_position(a, 0, 10_000)
    assert lib.list_ids("all", order="progress")[0] == a
    assert lib.summaries([a])[0].progress == 100
    lib.archive([b])
    lib.trash([c])
    assert lib.view_counts() == {"inbox": 1, "archive": 1, "all": 2, "trash": 1, "notes": 0}
    assert lib.list_ids("inbox") == [a] and lib.list_ids("archive") == [b]
    assert lib.list_ids("all", site="A.EXAMPLE") == [a]
    assert lib.list_ids("all", words="title b") == [b]
    lib.annotate(a, quote="rivers")
    assert lib.list_ids("notes") == [a]
    with pytest.raises(CommonplaceError):
        lib.list_ids("bogus")


def test_undo_returns_redo_and_changes_nothing_else(lib):
    a = lib.list_ids("all")[0]
    before = lib.summaries([a])[0]
    change = lib.mark_read([a])
    read = lib.summaries([a])[0]
    assert read.status == "read" and read.read_at
    redo = lib.undo(change)
    assert lib.summaries([a])[0] == before
    lib.undo(redo)
    assert lib.summaries([a])[0] == read


def test_tags_rename_merge_and_tags_search(lib):
    a, b, c = sorted(lib.list_ids("all"))
    lib.tag_articles([a, b], add=["Rivers", "old"])
    assert sorted(h.article_id for h in lib.search("tags:rivers").hits) == [a, b]
    ch = lib.rename_tag("Rivers", "Water")
    assert lib.all_tags() == [("old", 2), ("Water", 2)]
    assert sorted(h.article_id for h in lib.search("tags:water").hits) == [a, b]
    assert lib.search("tags:rivers").hits == []
    lib.tag_articles([c], add=["sea"])
    lib.merge_tags(["sea", "old"], "Water")
    assert lib.all_tags() == [("Water", 3)]
    lib.undo(ch)  # undo puts back the tags each article had before the rename
    assert lib.summaries([a])[0].tags == ["old", "Rivers"]
    with pytest.raises(CommonplaceError):
        lib.rename_tag("nope", "x")
    with pytest.raises(CommonplaceError):
        lib.tag_articles([a], add=["bad\ttag"])


def test_trash_older_than_30_days_is_emptied_on_open(tmp_path, lib):
    a, b, c = sorted(lib.list_ids("all"))
    lib.trash([a, b])
    old = (datetime.now(UTC) - timedelta(days=31)).isoformat().replace("+00:00", "Z")
    with lib._store.write() as con:
        con.execute("UPDATE articles SET trashed_at=? WHERE id=?", (old, a))
    lib.close()
    with Library(tmp_path / "lib", seed=False) as again:
        assert again.list_ids("trash") == [b]
        assert again._store.article_ids(include_trashed=True) == [b, c]
        assert again.check() == []


def test_import_tags_folders_and_tags_duplicates(tmp_path, lib):
    root = tmp_path / "news"
    (root / "sport" / "football").mkdir(parents=True)
    (root / "top.txt").write_text("Top story\n\nA story at the top level.\n", encoding="utf-8")
    (root / "sport" / "football" / "m.txt").write_text("Match\n\nA match report.\n",
                                                       encoding="utf-8")
    res = lib.import_sources([str(root)], tag_folders=True, tags=["inbox-zero"],
                             recognise=False)
    tags = {lib.article(r.article_id).title: lib.article(r.article_id).tags for r in res}
    assert tags == {"Top story": ["inbox-zero"],
                    "Match": ["football", "inbox-zero", "sport"]}
    again = lib.import_sources([str(root / "top.txt")], tags=["later"], recognise=False)
    assert again[0].status == "duplicate"
    assert lib.article(again[0].article_id).tags == ["inbox-zero", "later"]


def test_notebook_pages_count_and_order(lib):
    a, b, _c = sorted(lib.list_ids("all"))
    ids = [lib.annotate(a if i % 2 else b, note=f"note {i}", color="blue").id for i in range(7)]
    assert lib.notebook_count() == 7
    newest = [e.id for e in lib.notebook()]
    assert newest == sorted(ids, reverse=True)
    assert [e.id for e in lib.notebook(limit=3)] + [e.id for e in lib.notebook(limit=3,
                                                                               offset=3)] \
        + [e.id for e in lib.notebook(limit=3, offset=6)] == newest
    by_article = lib.notebook(order="article")
    assert [e.article_title for e in by_article] == sorted(e.article_title for e in by_article)
    with pytest.raises(CommonplaceError):
        lib.notebook(order="sideways")
    with pytest.raises(CommonplaceError):
        lib.notebook(meaning="no such meaning")


def test_every_triage_action_publishes_a_change_record(lib):
    """The window refreshes from change records: triage, tags, progress and emptying the trash
    each publish one naming the articles, with index work only when the index must change."""
    seen = []
    lib.subscribe(seen.append)
    a, b, _c = sorted(lib.list_ids("all"))

    def last():
        return seen.pop() if seen else None
    lib.archive([a])
    ch = last()
    assert ch.articles == {a} and not ch.index_pending  # the index holds no state
    lib.archive([a])
    assert last() is None  # nothing changed, nothing published
    undo = lib.trash([a, b])
    ch = last()
    assert ch.articles == {a, b} and ch.index_pending  # trashed articles leave search
    lib.undo(undo)
    assert last().articles == {a, b}
    lib.tag_articles([b], add=["x"])
    assert last().articles == {b}
    lib.rename_tag("x", "y")
    assert last().articles == {b}
    lib.set_reading_position(a, 5)
    assert last().articles == {a}
    lib.trash([b])
    last()
    assert lib.empty_trash() == 1 and last().articles == {b}
