"""The index outbox: sequence numbers let index writers work without the store's write lock,
and a change made while the index is being written is never cleared unindexed."""
import threading
import time

from core.library import Library
from core.models import Document
from core.text import TextBuilder


def doc(title: str, text: str) -> Document:
    b = TextBuilder()
    b.add_block("paragraph", text)
    return Document(text=b.text, blocks=b.blocks, title=title)


def test_change_made_during_a_rebuild_reaches_the_index(tmp_path, monkeypatch):
    lib = Library(tmp_path / "l", seed=False)
    aid = lib.add_document(doc("A", "alpha beta gamma")).article_id
    ann = lib.annotate(aid, quote="beta", note="first thought")
    lib.ensure_index()
    real_docs = lib._indexing._all_index_docs
    started, release = threading.Event(), threading.Event()

    def slow_docs():
        for d in real_docs():
            started.set()
            release.wait(5)
            yield d

    monkeypatch.setattr(lib._indexing, "_all_index_docs", slow_docs)
    t = threading.Thread(target=lib.reindex)
    t.start()
    assert started.wait(5)
    # The store takes the change at once (its write lock is not held by the rebuild)…
    t0 = time.monotonic()
    lib._store.update_annotation(ann.id, note="second thought")
    assert time.monotonic() - t0 < 1.0
    release.set()
    t.join(10)
    monkeypatch.setattr(lib._indexing, "_all_index_docs", real_docs)
    # …and the rebuild, which may have read the old note, does not clear its outbox entry.
    assert ("annotation", ann.id) in lib._store.pending_index()
    lib.sync_index()
    assert [h.annotation_id for h in lib.search("second").hits] == [ann.id]
    assert lib.search("first").hits == [] or all(h.kind == "article"
                                                 for h in lib.search("first").hits)
    assert lib.check() == []
    lib.close()


def test_clear_leaves_entries_changed_since_the_snapshot(tmp_path):
    lib = Library(tmp_path / "l", seed=False)
    with lib._store.write() as con:  # a store write whose index entry is not yet applied
        aid = lib._store.insert_article(con, doc("A", "alpha"), "hash-a", "uuid-a")
    snap = lib._store.pending_snapshot()
    assert [(k, i) for k, i, _ in snap] == [("article", aid)]
    lib._store.set_tags(aid, ["x"])  # re-enqueues the same article with a new sequence number
    lib._store.clear_pending(snap)
    assert lib._store.pending_index() == [("article", aid)]
    lib._store.clear_pending(lib._store.pending_snapshot())
    assert lib._store.pending_index() == []
    lib.close()


def test_a_second_index_writer_waits_for_the_first(tmp_path):
    import pytest

    from index import IndexBusy
    lib = Library(tmp_path / "l", seed=False)
    lib.add_document(doc("A", "alpha"))
    lib.ensure_index()
    other = Library(tmp_path / "l", seed=False)
    with lib._indexing.index.exclusive():
        with pytest.raises(IndexBusy), other._indexing.index.exclusive(timeout=0.2):
            pass
        other.annotate(1, quote="alpha", note="queued")  # store write goes through
        assert other._store.pending_index()  # …its index update waits in the outbox
    other.sync_index()
    assert other._store.pending_index() == []
    assert other.search("queued").hits
    other.close()
    lib.close()


def test_an_edit_does_not_wait_for_a_rebuild_in_progress(tmp_path):
    """A note saved (on the GUI thread) while this process rebuilds the index returns at once;
    its entry stays queued and the next sync indexes it."""
    lib = Library(tmp_path / "l", seed=False)
    aid = lib.add_document(doc("A", "alpha beta")).article_id
    ann = lib.annotate(aid, quote="beta", note="before")
    lib.ensure_index()
    with lib._indexing._index_lock:  # what reindex/import hold for their whole run
        t0 = time.monotonic()
        lib.update_annotation(ann.id, note="during the rebuild")
        assert time.monotonic() - t0 < 1.0
        assert ("annotation", ann.id) in lib._store.pending_index()
    lib.sync_index()
    assert [h.annotation_id for h in lib.search("rebuild").hits] == [ann.id]
    lib.close()


def test_a_batch_publishes_one_change_and_syncs_once(tmp_path):
    lib = Library(tmp_path / "l", seed=False)
    seen = []
    lib.subscribe(seen.append)
    with lib.batch():
        ids = [lib.add_document(doc(f"T{i}", f"walrus number{i}")).article_id for i in range(5)]
        assert seen == [] and len(lib._store.pending_index()) == 5  # nothing synced yet
    assert len(seen) == 1 and seen[0].articles == frozenset(ids)
    assert lib._store.pending_index() == []
    assert lib.search("walrus").total == 5
    lib.close()


def test_an_isolated_rebuild_runs_in_a_child_process_and_keeps_edits_made_meanwhile(tmp_path):
    from core.config import Config
    lib = Library(tmp_path / "l", seed=False, config=Config(isolated_rebuilds=True))
    aid = lib.add_document(doc("A", "alpha beta")).article_id
    ann = lib.annotate(aid, quote="beta", note="before the rebuild")
    lib.sync_index()
    seen = []
    n = lib._indexing.reindex(lambda done, total, label: seen.append(done))
    assert n == 2 and lib.search("before").total == 1
    assert lib.check(repair=False) == []
    # an edit made while the child builds stays in the outbox and reaches the index after
    with lib._indexing._index_lock:
        lib.update_annotation(ann.id, note="during the rebuild: narwhal")
    lib.sync_index()
    assert [h.annotation_id for h in lib.search("narwhal").hits] == [ann.id]
    lib.close()
