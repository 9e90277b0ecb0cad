"""Faults: a damaged index, a stale or held index lock, a full disk, a read-only library.
The index is derived and repairs itself without ever touching the store; a failed write says
why in one line and loses nothing already saved; a read-only library still reads and searches."""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import time

import pytest

from core.errors import LibraryError
from core.library import Library
from core.models import Document
from core.text import TextBuilder
from tests.conftest import ROOT


def _doc(title: str, text: str) -> Document:
    b = TextBuilder()
    b.add_block("paragraph", text)
    return Document(text=b.text, blocks=b.blocks, title=title)


def _make(d):
    lib = Library(d, seed=False)
    r = lib.add_document(_doc("Seals", "Harbour seals returned to the Šefčovič estuary."))
    lib.annotate(r.article_id, quote="Harbour seals", note="first note, saved")
    lib.ensure_index()
    return lib


def _store_state(d) -> tuple[str, list[str]]:
    """Hash of the closed database file plus its full SQL dump."""
    import sqlite3
    db = d / "library.sqlite"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    dump = list(con.iterdump())
    con.close()
    return hashlib.sha256(db.read_bytes()).hexdigest(), dump


# -- index damage ---------------------------------------------------------------------------

def _truncate(ix):
    for f in ix.iterdir():
        if f.is_file() and f.name != "VERSION":
            with open(f, "r+b") as fh:
                fh.truncate(f.stat().st_size // 3)


def _empty_files(ix):
    for f in ix.iterdir():
        if f.is_file():
            f.write_bytes(b"")


def _delete_segments(ix):
    for f in ix.glob("*.seg"):
        f.unlink()


def _delete_toc(ix):
    for f in ix.glob("*.toc"):
        f.unlink()


def _replace_with_file(ix):
    shutil.rmtree(ix)
    ix.write_bytes(b"not a folder")


def _garble_all(ix):
    for f in ix.iterdir():
        if f.is_file():
            f.write_bytes(os.urandom(f.stat().st_size or 64))


@pytest.mark.parametrize("damage", [_truncate, _empty_files, _delete_segments, _delete_toc,
                                    _replace_with_file, _garble_all])
def test_damaged_index_is_rebuilt_and_the_store_is_untouched(tmp_path, damage):
    d = tmp_path / "lib"
    _make(d).close()
    before = _store_state(d)
    damage(d / "index")
    with Library(d, seed=False) as lib:
        lib.ensure_index()  # what the CLI's search and the window's upkeep do on opening
        assert [h.kind for h in lib.search("sefcovic").hits] == ["article"]
        assert [h.kind for h in lib.search("notes:saved").hits] == ["annotation"]
        assert lib.check() == []
    assert _store_state(d) == before  # repair rebuilt the index, not a byte of the store


def test_stale_write_lock_file_is_ignored(tmp_path):
    d = tmp_path / "lib"
    _make(d).close()
    (d / "index" / "MAIN_WRITELOCK").write_bytes(b"")  # left behind by a killed process
    with Library(d, seed=False) as lib:
        ann = lib.annotate(1, note="after a crash, mentioning walruses")
        assert lib._store.pending_index() == []  # indexed at once: the lock was not held
        assert [h.annotation_id for h in lib.search("walruses").hits] == [ann.id]
        assert lib.check() == []


_HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="holds the lock with fcntl")
def test_index_lock_held_by_a_hung_process_delays_indexing_but_loses_nothing(tmp_path):
    d = tmp_path / "lib"
    _make(d).close()
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK,
                               str(d / "index" / "MAIN_WRITELOCK")], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        with Library(d, seed=False) as lib:
            orig = lib._indexing.index.apply
            lib._indexing.index.apply = lambda u, dl, timeout=0.2: orig(u, dl, timeout=timeout)
            t = time.monotonic()
            ann = lib.annotate(1, note="saved while the index was locked: narwhals")
            assert time.monotonic() - t < 5
            assert lib.annotation(ann.id).note.endswith("narwhals")  # the store has it
            assert ("annotation", ann.id) in lib._store.pending_index()  # outbox keeps it
            assert "not updated yet" in lib.index_notice
            holder.kill()
            holder.wait()
            lib.sync_index()  # the window's upkeep timer, or the next change, does this
            assert [h.annotation_id for h in lib.search("narwhals").hits] == [ann.id]
            assert lib._store.pending_index() == []
    finally:
        holder.kill()
        holder.wait()


def test_index_disk_full_keeps_the_note_and_catches_up(tmp_path):
    d = tmp_path / "lib"
    with _make(d) as lib:
        orig = lib._indexing.index.apply

        def full(*a, **k):
            raise OSError(errno.ENOSPC, "No space left on device")
        lib._indexing.index.apply = full
        ann = lib.annotate(1, note="written while the index disk was full: puffins")
        assert lib.annotation(ann.id).note.endswith("puffins")
        assert lib.search("puffins").hits == []  # not yet searchable, but no exception
        lib._indexing.index.apply = orig
        lib.sync_index()
        assert [h.annotation_id for h in lib.search("puffins").hits] == [ann.id]


def test_index_folder_unwritable_search_still_works_from_memory(tmp_path, monkeypatch):
    d = tmp_path / "lib"
    _make(d).close()
    shutil.rmtree(d / "index")
    from index.search import SearchIndex

    def no_space(self, docs, progress=None):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(SearchIndex, "rebuild", no_space)
    with Library(d, seed=False) as lib:
        lib.ensure_index()
        assert [h.kind for h in lib.search("sefcovic").hits] == ["article"]
        assert lib._indexing.index.in_memory and "could not be rebuilt" in lib.index_notice
        with pytest.raises(LibraryError, match="index could not be rebuilt: No space"):
            lib.reindex()


# -- disk full (SQLITE_FULL via max_page_count) -----------------------------------------------

def test_disk_full_fails_clearly_and_keeps_what_was_saved(tmp_path):
    d = tmp_path / "lib"
    with _make(d) as lib:
        before = [(a.id, a.title) for a in lib.articles()]
        notes_before = [r.annotation.note for r in lib.annotations(1)]
        con = lib._store.con
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
        big = _doc("Big", " ".join(f"word{i}" for i in range(60000)))
        with pytest.raises(LibraryError, match="the disk is full; the change was not saved"):
            lib.add_document(big)
        with pytest.raises(LibraryError, match="disk is full"):
            lib.annotate(1, note="x" * 200_000)
        assert [(a.id, a.title) for a in lib.articles()] == before
        assert [r.annotation.note for r in lib.annotations(1)] == notes_before
        assert lib.search("sefcovic").hits  # reading and searching go on
        assert lib._store.integrity_problems() == []
        con.execute("PRAGMA max_page_count = 1073741823")  # space freed
        assert lib.add_document(big).status == "imported"
        assert lib.check() == []


def test_disk_full_through_the_cli_is_one_line(tmp_path, capsys, monkeypatch):
    import cli
    from core.storage import Store
    d = tmp_path / "lib"
    _make(d).close()
    orig = Store._connect

    def tiny(self):
        con = orig(self)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
        return con
    monkeypatch.setattr(Store, "_connect", tiny)
    src = tmp_path / "big.txt"
    src.write_text("Big one\n\n" + " ".join(f"w{i}" for i in range(80000)), encoding="utf-8")
    code = cli.run(["--library", str(d), "import", "--no-entities", str(src)])
    out, err = capsys.readouterr()
    assert code == 1 and "disk is full" in out and "Traceback" not in out + err
    code = cli.run(["--library", str(d), "annotate", "1", "--note", "n" * 300_000])
    out, err = capsys.readouterr()
    assert code == 1 and err.strip() == ("commonplace: the disk is full; the change was not "
                                         "saved (nothing already saved was lost)")


# -- read-only library ----------------------------------------------------------------------

def test_readonly_mode_reads_and_searches_and_writes_nothing(tmp_path):
    d = tmp_path / "lib"
    _make(d).close()
    shutil.rmtree(d / "index")  # even the index cannot be rebuilt on disk
    # SQLite may leave empty -wal/-shm files beside a WAL database it read; nothing else.
    listing = sorted(p.name for p in d.iterdir() if not p.name.endswith(("-wal", "-shm")))
    state = _store_state(d)
    with Library(d, seed=False, readonly=True) as lib:
        assert [a.title for a in lib.articles()] == ["Seals"]
        assert [h.kind for h in lib.search("sefcovic").hits] == ["article"]
        assert lib.check() == []
        for write in (lambda: lib.annotate(1, note="x"), lambda: lib.delete_article(1),
                      lambda: lib.add_document(_doc("New", "new words here")),
                      lambda: lib.update_annotation(1, note="changed")):
            with pytest.raises(LibraryError, match="read-only"):
                write()
        assert lib.import_sources([str(ROOT / "seeds")], recognise=False)[0].status == "failed"
    assert sorted(p.name for p in d.iterdir()
                  if not p.name.endswith(("-wal", "-shm"))) == listing
    assert _store_state(d) == state


_RO_CHILD = r"""
import sys
sys.path.insert(0, sys.argv[2])
from core.library import Library
from core.errors import LibraryError
lib = Library(sys.argv[1], seed=False)
print("readonly", lib.readonly, lib.readonly_notice)
print("titles", [a.title for a in lib.articles()])
print("hits", len(lib.search("sefcovic").hits))
try:
    lib.annotate(1, note="x")
except LibraryError as e:
    print("write", e)
print("check", lib.check())
"""


def _as_unprivileged() -> list[str] | None:
    """A command prefix under which file modes apply (root ignores them)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner",
            "--inh-caps", "-all", "--"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_readonly_folder_opens_read_only_and_keeps_running(tmp_path):
    prefix = _as_unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: chmod would not stop writes")
    d = tmp_path / "lib"
    _make(d).close()
    state = _store_state(d)
    os.chmod(d / "library.sqlite", 0o444)
    os.chmod(d, 0o555)
    try:
        r = subprocess.run([*prefix, sys.executable, "-c", _RO_CHILD, str(d), str(ROOT)],
                           capture_output=True, text=True, timeout=60)
        cli = subprocess.run([*prefix, sys.executable, "main.py", "--library", str(d),
                              "annotate", "1", "--note", "x"], capture_output=True, text=True,
                             cwd=ROOT, timeout=60)
    finally:
        os.chmod(d, 0o755)
        os.chmod(d / "library.sqlite", 0o644)
    assert r.returncode == 0, r.stderr
    lines = dict(line.split(" ", 1) for line in r.stdout.splitlines())
    assert lines["readonly"].startswith("True the library folder is read-only")
    assert lines["titles"] == "['Seals']" and lines["hits"] == "1"
    assert "read-only" in lines["write"] and lines["check"] == "[]"
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    notice, refusal = cli.stderr.strip().splitlines()  # the notice on opening, then the refusal
    assert "opened read-only" in notice and "changes cannot be saved" in refusal
    assert _store_state(d) == state
