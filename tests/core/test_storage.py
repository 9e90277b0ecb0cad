import sqlite3

import pytest

from core.errors import LibraryError, NotFound
from core.library import Library
from core.migrations import CURRENT_VERSION
from core.models import Document, EntitySpan
from core.storage import Store
from core.text import TextBuilder


def make_doc(title="A title", paras=("First paragraph about Brussels.", "Second one."), url=""):
    b = TextBuilder()
    for p in paras:
        b.add_block("paragraph", p)
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title, url=url,
                    tags=["eu", "defence"])


@pytest.fixture
def lib(tmp_path):
    lib = Library(tmp_path / "lib", seed=False)
    yield lib
    lib.close()


def test_new_library_has_current_schema_with_wal_and_foreign_keys(lib):
    assert lib._store.version == CURRENT_VERSION
    assert lib._store.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert lib._store.con.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_article_round_trip_keeps_text_blocks_and_tags(lib):
    doc = make_doc()
    res = lib.add_document(doc)
    assert res.status == "imported"
    art = lib.article(res.article_id)
    assert art.text == doc.text
    assert art.blocks == doc.blocks
    assert sorted(art.tags) == ["defence", "eu"]
    assert [art.text[b.start:b.end] for b in art.blocks] == [
        "First paragraph about Brussels.", "Second one."]


def test_duplicate_content_changes_nothing(lib):
    first = lib.add_document(make_doc())
    again = lib.add_document(make_doc(title="Other title"))
    assert again.status == "duplicate" and again.article_id == first.article_id
    assert lib._store.count_articles() == 1


def test_same_url_new_text_updates_and_reanchors(lib):
    r = lib.add_document(make_doc(url="https://example.org/a"))
    ann = lib.annotate(r.article_id, quote="about Brussels", note="where")
    changed = make_doc(url="https://example.org/a",
                       paras=("A new lead paragraph.", "First paragraph about Brussels.",
                              "Second one."))
    upd = lib.add_document(changed)
    assert upd.status == "updated" and upd.article_id == r.article_id
    [res] = lib.annotations(r.article_id)
    text = lib.article(r.article_id).text
    assert text[res.resolution.start:res.resolution.end] == "about Brussels"
    assert res.annotation.note == "where" and res.annotation.id == ann.id


def test_entities_replaced_only_for_matching_text(lib):
    r = lib.add_document(make_doc())
    art = lib.article(r.article_id)
    span = EntitySpan(22, 30, "GPE", "Brussels", "test")
    assert lib._store.replace_entities(art.id, [span], "test", "1", art.content_hash)
    assert lib.entities(art.id) == [span]
    assert not lib._store.replace_entities(art.id, [], "test", "1", "stale-hash")
    assert lib.entities(art.id) == [span]


def test_deleting_article_cascades(lib):
    r = lib.add_document(make_doc())
    lib.annotate(r.article_id, quote="Second", note="x")
    lib.delete_article(r.article_id)
    assert lib._store.count_articles() == 0
    assert lib.annotation_ids() == []
    with pytest.raises(NotFound):
        lib.article(r.article_id)


def test_failed_transaction_leaves_nothing(lib):
    with pytest.raises(RuntimeError), lib._store.write() as con:
        lib._store.insert_article(con, make_doc(), "h", "u-1")
        raise RuntimeError("boom")
    assert lib._store.count_articles() == 0


def test_newer_major_version_is_refused(tmp_path):
    path = tmp_path / "library.sqlite"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 2000")
    con.close()
    with pytest.raises(LibraryError, match="newer Commonplace"):
        Store(path)


def test_upgrade_makes_a_backup_first(tmp_path, monkeypatch):
    import core.migrations as m
    path = tmp_path / "library.sqlite"
    Store(path).close()
    extra = (CURRENT_VERSION + 1, "CREATE TABLE extra_thing (x INTEGER)")
    monkeypatch.setattr("core.db.MIGRATIONS", m.MIGRATIONS + [extra])
    s = Store(path)
    assert s.version == CURRENT_VERSION + 1
    backup = tmp_path / f"library.sqlite.before-v{CURRENT_VERSION + 1}.bak"
    assert backup.exists()
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION


def test_not_a_database_gives_clear_error(tmp_path):
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="not a Commonplace library"):
        Store(path)


def test_annotation_delete_and_restore(lib):
    r = lib.add_document(make_doc())
    ann = lib.annotate(r.article_id, quote="Second one", note="**bold**", color="yellow")
    gone = lib.delete_article if False else lib.delete_annotation(ann.id)
    assert lib.annotations(r.article_id) == []
    back = lib.restore_annotation(gone)
    assert back.id == ann.id and back.note == "**bold**"
    assert lib.search("bold").hits[0].annotation_id == ann.id


def test_check_repairs_index_drift(lib):
    r = lib.add_document(make_doc())
    lib.sync_index()
    assert lib.check() == []
    lib._indexing.index.apply([], [("article", r.article_id)])  # simulate an index that lost a document
    assert lib.check(repair=False) == ["search index does not match the store"]
    assert lib.check(repair=True) == []


def test_migrations_are_in_increasing_order():
    """A step listed out of order would be skipped on a new library (each applies only when
    its version is above the file's)."""
    from core.migrations import CURRENT_VERSION, MIGRATIONS
    versions = [v for v, _ in MIGRATIONS]
    assert versions == sorted(set(versions)) and CURRENT_VERSION == versions[-1]


def test_commit_counter_tells_own_commits_from_another_writers(tmp_path):
    a = Library(tmp_path / "lib", seed=False)
    b = Library(tmp_path / "lib", seed=False)
    try:
        def number():
            return a._store.con.execute("SELECT n FROM commit_counter").fetchone()[0]
        start = number()
        a.add_document(make_doc())
        mine = number()
        assert mine > start and a.only_own_commits(start, mine)
        assert not b.only_own_commits(start, mine)
        b.add_document(make_doc(title="Other", paras=["Another text entirely."]))
        theirs = number()
        assert not a.only_own_commits(start, theirs)  # one of them was b's
        assert b.only_own_commits(mine, theirs)
        assert not a.only_own_commits(theirs, theirs)  # the file changed, the counter did not
        with pytest.raises(RuntimeError):  # a transaction rolled back leaves no number behind
            with a._store.write() as con:
                con.execute("UPDATE articles SET title='x'")
                raise RuntimeError("abandoned")
        assert number() == theirs
        assert not a.only_own_commits(theirs, theirs + 1)
    finally:
        a.close()
        b.close()
