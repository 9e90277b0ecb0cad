"""Issue 16 items 7-10: a damaged, emptied or unreadable library is never written to, never
silently replaced; every failure is one line; migrations from two processes do not race."""
from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli import run
from core.errors import LibraryDamaged, LibraryError
from core.library import Library
from core.migrations import CURRENT_VERSION, MIGRATIONS
from core.models import Document
from core.text import TextBuilder

ROOT = Path(__file__).resolve().parents[2]


def _doc(title: str, text: str) -> Document:
    b = TextBuilder()
    for para in text.split("\n\n"):
        b.add_block("paragraph", para)
    return Document(text=b.text, blocks=b.blocks, title=title)


def _fill(d: Path, n: int = 40) -> None:
    rng = random.Random(7)
    words = "harbour seal council budget river archive storm treaty market reader".split()
    with Library(d, seed=False) as lib:
        for i in range(n):
            text = "\n\n".join(" ".join(rng.choice(words) for _ in range(120)) for _ in range(6))
            r = lib.add_document(_doc(f"Article {i}", f"Article {i} {text}"))
            lib.annotate(r.article_id, note=f"note {i}")
        lib.maybe_daily_backup(today="2026-01-01")


def _damage(db: Path, seed: int = 1) -> None:
    """4 KB of garbage over a page in the middle of the file (a checkpointed database)."""
    size = db.stat().st_size
    page = 4096
    off = (size // 2) // page * page
    with open(db, "r+b") as fh:
        fh.seek(off)
        fh.write(random.Random(seed).randbytes(page))


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def damaged(tmp_path):
    d = tmp_path / "lib"
    _fill(d)
    db = d / "library.sqlite"
    _damage(db)
    con = sqlite3.connect(db)  # precondition: SQLite itself sees the damage
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check")]
        assert rows != ["ok"]
    except sqlite3.DatabaseError:
        pass
    finally:
        con.close()
    return d


def _one_line_error(err: str) -> None:
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines and all(ln.startswith("commonplace: ") for ln in lines), err


def test_check_reports_damage_and_says_how_to_restore(damaged, capsys):
    code, out, err = _cli(capsys, "--library", str(damaged), "check")
    assert code == 1
    assert "Traceback" not in out + err
    assert "sqlite:" in out and "backups" in out and "restore" in out


def test_annotate_never_writes_into_a_damaged_file(damaged, capsys):
    db = damaged / "library.sqlite"
    before = _sha(db)
    code, _, err = _cli(capsys, "--library", str(damaged), "annotate", "1", "--note", "new")
    assert code == 1
    _one_line_error(err)
    assert "damaged" in err and "backups" in err
    assert _sha(db) == before
    assert not (damaged / "library.sqlite-wal").exists() or \
        (damaged / "library.sqlite-wal").stat().st_size == 0


def test_once_seen_damaged_it_opens_read_only_everywhere(damaged, capsys):
    _cli(capsys, "--library", str(damaged), "check")
    db = damaged / "library.sqlite"
    before = _sha(db)
    lib = Library(damaged, seed=False)
    try:
        assert lib.readonly and "damaged" in lib.readonly_notice
        assert "backups" in lib.readonly_notice and "\n" not in lib.readonly_notice
        with pytest.raises(LibraryError):
            lib.annotate(1, note="x")
    finally:
        lib.close()
    for cmd in (["list"], ["show", "1"], ["search", "harbour"], ["annotate", "2", "--note", "y"],
                ["import", str(ROOT / "seeds")], ["reindex"]):
        code, out, err = _cli(capsys, "--library", str(damaged), *cmd)
        assert "Traceback" not in err
        assert "damaged" in err  # the notice or the refusal, one line each
        if cmd[0] in ("annotate", "import", "reindex"):
            assert code != 0
    assert _sha(db) == before


def test_the_window_opens_it_read_only_with_the_reason(damaged, capsys):
    _cli(capsys, "--library", str(damaged), "check")
    from ui.window.session import open_library
    out = open_library(damaged)
    try:
        assert out.library is not None and out.readonly
        assert "damaged" in out.problem and "backups" in out.problem
    finally:
        out.library.close()


def test_restore_brings_a_damaged_library_back(damaged, capsys):
    _cli(capsys, "--library", str(damaged), "check")
    backup = next((damaged / "backups").glob("library-*.sqlite.gz"))
    code, out, err = _cli(capsys, "--library", str(damaged), "restore", "--from", str(backup))
    assert code == 0, err
    assert not (damaged / "library.sqlite.damaged").exists()
    assert list((damaged / "backups").glob("before-restore-*.sqlite.gz"))  # damaged bytes kept
    with Library(damaged, seed=False) as lib:
        assert not lib.readonly and lib.check() == []
        assert len(lib.articles()) == 40
        assert lib.search("harbour").total > 0
        lib.annotate(1, note="after restore")


def test_damage_found_by_a_read_becomes_one_line(tmp_path):
    d = tmp_path / "lib"
    _fill(d)
    db = d / "library.sqlite"
    con = sqlite3.connect(db)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='articles'").fetchone()[0]
    con.close()
    with open(db, "r+b") as fh:  # the articles table's root page: every read of it fails
        fh.seek((root - 1) * 4096)
        fh.write(b"\xff" * 64)
    lib = Library(d, seed=False)
    try:
        with pytest.raises(LibraryDamaged, match="damaged.*backups"):
            lib.articles()
        with pytest.raises(LibraryDamaged):
            lib.annotate(1, note="x")
    finally:
        lib.close()
    assert (d / "library.sqlite.damaged").exists()


# -- item 8: an empty database file beside an index and backups ---------------------------------

def test_zero_byte_database_is_refused_not_taken_for_new(tmp_path, capsys):
    d = tmp_path / "lib"
    _fill(d, 3)
    with Library(d, seed=False) as lib:
        lib.ensure_index()
    index_before = {p.name: _sha(p) for p in (d / "index").rglob("*") if p.is_file()}
    backups_before = sorted(p.name for p in (d / "backups").iterdir())
    (d / "library.sqlite").write_bytes(b"")
    for name in ("library.sqlite-wal", "library.sqlite-shm"):
        (d / name).unlink(missing_ok=True)
    code, _, err = _cli(capsys, "--library", str(d), "check")
    assert code == 1
    _one_line_error(err)
    assert "empty" in err and "restore" in err and "backups" in err
    with pytest.raises(LibraryError, match="empty"):
        Library(d)
    assert (d / "library.sqlite").stat().st_size == 0  # no seed, no schema written
    assert {p.name: _sha(p) for p in (d / "index").rglob("*") if p.is_file()} == index_before
    assert sorted(p.name for p in (d / "backups").iterdir()) == backups_before
    # and restore is the way out
    backup = next((d / "backups").glob("library-*.sqlite.gz"))
    code, _, err = _cli(capsys, "--library", str(d), "restore", "--from", str(backup))
    assert code == 0, err
    with Library(d, seed=False) as lib:
        assert len(lib.articles()) == 3 and lib.check() == []


def test_a_brand_new_folder_still_becomes_a_library(tmp_path):
    d = tmp_path / "new"
    d.mkdir()
    (d / "library.sqlite").write_bytes(b"")  # empty file, no index, no backups: new
    with Library(d, seed=False) as lib:
        assert lib.articles() == []


def test_emptied_library_does_not_rotate_good_backups_out(tmp_path):
    d = tmp_path / "lib"
    _fill(d, 2)
    with Library(d, seed=False) as lib:
        for a in lib.articles():
            lib.delete_article(a.id)
        assert lib.maybe_daily_backup(today="2026-01-02") is None
    assert [p.name for p in (d / "backups").iterdir()] == ["library-2026-01-01.sqlite.gz"]


# -- item 9: not a regular file; files vanishing under a live process -------------------------

def test_database_symlinked_to_dev_null(tmp_path, capsys):
    d = tmp_path / "lib"
    d.mkdir()
    (d / "library.sqlite").symlink_to("/dev/null")
    for cmd in (["list"], ["check"], ["annotate", "1", "--note", "x"]):
        code, _, err = _cli(capsys, "--library", str(d), *cmd)
        assert code == 1
        _one_line_error(err)
        assert "not a regular file" in err


def test_wal_deleted_under_a_writer_gives_one_line_errors(tmp_path, capsys):
    d = tmp_path / "lib"
    _fill(d, 2)
    lib = Library(d, seed=False)
    try:
        lib.annotate(1, note="first")
        (d / "library.sqlite-wal").unlink()
        (d / "library.sqlite-shm").unlink(missing_ok=True)
        for _ in range(3):
            try:
                lib.annotate(1, note="second")
                lib.articles()
            except LibraryError as e:
                assert "\n" not in str(e)
        code, _, err = _cli(capsys, "--library", str(d), "list")
        assert "Traceback" not in err
    finally:
        lib.close()


# -- item 10: migrations from several processes at once -----------------------------------------

def make_old_library(d: Path) -> None:
    """A library at the first schema version, with one article and a note (as an older
    Commonplace left it)."""
    d.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(d / "library.sqlite")
    v, sql = MIGRATIONS[0]
    con.executescript(sql)
    con.execute("INSERT INTO articles (uuid, title, added, updated, content_hash, text)"
                " VALUES ('u1', 'Old', '2020', '2020', 'h1', 'Old harbour text')")
    con.execute("INSERT INTO annotations (uuid, article_id, created, updated, note)"
                " VALUES ('n1', 1, '2020', '2020', 'old note')")
    con.execute(f"PRAGMA user_version = {v}")
    con.commit()
    con.close()


_OPENER = """
import sys
from core.library import Library
lib = Library(sys.argv[1], seed=False)
lib.ensure_index()
print(lib._store.version, len(lib.articles()), lib.search("harbour").total)
lib.close()
"""


@pytest.mark.parametrize("procs", [4])
def test_concurrent_migrations_do_not_race(tmp_path, procs):
    d = tmp_path / "old"
    make_old_library(d)
    ps = [subprocess.Popen([sys.executable, "-c", _OPENER, str(d)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
          for _ in range(procs)]
    outs = [p.communicate(timeout=120) for p in ps]
    for p, (out, err) in zip(ps, outs, strict=True):
        assert p.returncode == 0, err.decode()
        assert out.decode().split() == [str(CURRENT_VERSION), "1", "1"], err.decode()
    with Library(d, seed=False) as lib:
        assert lib.check() == []
        assert lib._store.version == CURRENT_VERSION
    assert len(list(d.glob("library.sqlite.before-v*.bak"))) == 1  # migrated exactly once


def test_leftover_restore_files_of_dead_processes_are_swept(tmp_path):
    d = tmp_path / "lib"
    _fill(d, 1)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    left = d / "backups" / f".restore-{dead}.sqlite"
    left.write_bytes(b"x" * 1000)
    mine = d / "backups" / f".restore-{os.getpid()}.sqlite"  # a live process's: kept
    mine.write_bytes(b"y")
    Library(d, seed=False).close()
    assert not left.exists() and mine.exists()


def test_index_is_not_rebuilt_from_a_store_that_lost_its_articles(tmp_path, capsys):
    d = tmp_path / "lib"
    _fill(d, 3)
    with Library(d, seed=False) as lib:
        lib.ensure_index()
    blank = tmp_path / "blank"
    Library(blank, seed=False).close()  # a valid but empty library put in its place
    for name in ("library.sqlite-wal", "library.sqlite-shm"):
        (d / name).unlink(missing_ok=True)
    (d / "library.sqlite").write_bytes((blank / "library.sqlite").read_bytes())
    with Library(d, seed=False) as lib:
        held = lib._indexing.index.doc_count()
        assert held == 6
        problems = lib.check(repair=True)
        assert any("holds 6 documents" in p and "backups" in p for p in problems)
        with pytest.raises(LibraryError, match="not rebuilding"):
            lib.reindex()
        assert lib._indexing.index.doc_count() == held  # the last copy of the texts is still there
    code, _, err = _cli(capsys, "--library", str(d), "reindex")
    assert code == 1 and "--force" in err
    code, _, err = _cli(capsys, "--library", str(d), "reindex", "--force")
    assert code == 0, err
