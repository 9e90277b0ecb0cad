"""Backups: `backup`/`restore` on the CLI, Library.maybe_daily_backup's rolling copies."""
from __future__ import annotations

import gzip
import json
import shutil
import sqlite3

import pytest

from cli import run
from core.errors import LibraryError
from core.library import Library
from core.models import Document
from core.storage import validate_library_file
from core.text import TextBuilder


def _doc(title: str, text: str) -> Document:
    b = TextBuilder()
    b.add_block("paragraph", text)
    return Document(text=b.text, blocks=b.blocks, title=title)


@pytest.fixture
def lib_dir(tmp_path):
    d = tmp_path / "lib"
    with Library(d, seed=False) as lib:
        r = lib.add_document(_doc("Seals", "Harbour seals returned to the estuary this spring."))
        lib.annotate(r.article_id, quote="Harbour seals", note="keep: *first* note 🙂")
    return d


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _listing(capsys, lib_dir) -> str:
    code, out, _ = _cli(capsys, "--library", str(lib_dir), "--json", "list")
    assert code == 0
    return out


def test_backup_then_restore_round_trip(lib_dir, tmp_path, capsys):
    bak = tmp_path / "b.sqlite"
    assert _cli(capsys, "--library", str(lib_dir), "backup", "--out", str(bak))[0] == 0
    assert validate_library_file(bak) > 0
    with Library(lib_dir, seed=False) as lib:  # changes after the backup
        r = lib.add_document(_doc("Later", "A later article about the council budget vote."))
        lib.annotate(r.article_id, note="later note")
        other = Library(lib_dir, seed=False)  # a second instance stays open during restore
        code, out, err = _cli(capsys, "--library", str(lib_dir), "restore", "--from", str(bak))
        assert code == 0, err
        assert "restored 1 articles" in out
        assert [a.title for a in other.articles()] == ["Seals"]  # sees the restored library
        other.close()
    with Library(lib_dir, seed=False) as lib:
        assert [a.title for a in lib.articles()] == ["Seals"]
        notes = [r.annotation.note for r in lib.annotations(lib.articles()[0].id)]
        assert notes == ["keep: *first* note 🙂"]
        assert lib._store.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.check() == []
        assert [h.kind for h in lib.search("first").hits] == ["annotation"]
        assert not lib.search("budget").hits
        safety = list((lib_dir / "backups").glob("before-restore-*.sqlite.gz"))
    assert len(safety) == 1  # the replaced library was kept, and holds the later article
    plain = tmp_path / "safety.sqlite"
    plain.write_bytes(gzip.decompress(safety[0].read_bytes()))
    titles = {r[0] for r in sqlite3.connect(plain).execute("SELECT title FROM articles")}
    assert titles == {"Seals", "Later"}


def _not_sqlite(p):
    p.write_bytes(b"hello, not a database" * 50)


def _other_sqlite(p):
    sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.commit()


def _newer_major(p):
    with Library(p.parent / "newer", seed=False) as lib:
        lib.backup_to(p)
    con = sqlite3.connect(p)
    con.execute("PRAGMA user_version = 2000")
    con.commit()
    con.close()


def _garbled(p, at: int):
    with Library(p.parent / "dmg", seed=False) as lib:
        lib.add_document(_doc("x", "some words " * 2000))
        lib.backup_to(p)
    data = bytearray(p.read_bytes())
    for off in range(4096 * 2, len(data), 4096):  # every page past the schema
        data[off + at: off + at + 200] = b"\xff" * 200
    p.write_bytes(bytes(data))


def _damaged_pages(p):
    _garbled(p, 0)  # b-tree page headers: integrity_check fails


def _damaged_text(p):
    _garbled(p, 300)  # cell contents: pages sound, text not UTF-8


def _bad_gzip(p):
    p.write_bytes(b"\x1f\x8b" + b"\x00" * 100)


@pytest.mark.parametrize("make, why", [
    (_not_sqlite, "not a Commonplace library"), (_other_sqlite, "not a Commonplace library"),
    (_newer_major, "schema 2.x"), (_damaged_pages, "damaged|not a usable"),
    (_damaged_text, "damaged"),
    (_bad_gzip, "cannot read backup"), (None, "cannot read|No such file"),
])
def test_restore_refuses_bad_files_and_changes_nothing(lib_dir, tmp_path, capsys, make, why):
    bad = tmp_path / "bad.sqlite"
    if make:
        make(bad)
    before = _listing(capsys, lib_dir)
    code, out, err = _cli(capsys, "--library", str(lib_dir), "restore", "--from", str(bad))
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert __import__("re").search(why, err), err
    assert _listing(capsys, lib_dir) == before
    assert not list((lib_dir / "backups").glob("before-restore-*"))
    assert not list((lib_dir / "backups").glob(".restore-*"))


def test_restore_from_a_gzipped_daily_backup(lib_dir):
    with Library(lib_dir, seed=False) as lib:
        daily = lib.maybe_daily_backup()
        lib.delete_article(lib.articles()[0].id)
        assert lib.articles() == []
        lib.restore(daily)
        assert [a.title for a in lib.articles()] == ["Seals"]
        assert lib.check() == []


def test_daily_backup_once_a_day_keeps_seven(lib_dir):
    with Library(lib_dir, seed=False) as lib:
        first = lib.maybe_daily_backup(today="2025-03-01")
        assert first and first.name == "library-2025-03-01.sqlite.gz"
        assert lib.maybe_daily_backup(today="2025-03-01") is None  # once a day
        for day in range(2, 11):
            assert lib.maybe_daily_backup(today=f"2025-03-{day:02d}")
        names = sorted(p.name for p in (lib_dir / "backups").iterdir())
    assert names == [f"library-2025-03-{d:02d}.sqlite.gz" for d in range(4, 11)]
    plain = lib_dir / "check.sqlite"
    plain.write_bytes(gzip.decompress((lib_dir / "backups" / names[-1]).read_bytes()))
    assert validate_library_file(plain) > 0
    assert sqlite3.connect(plain).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_daily_backup_skipped_when_read_only(lib_dir):
    with Library(lib_dir, seed=False, readonly=True) as lib:
        assert lib.maybe_daily_backup() is None
        with pytest.raises(LibraryError, match="read-only"):
            lib.restore(lib_dir / "library.sqlite")
    assert not (lib_dir / "backups").exists()


def test_backup_to_an_unwritable_place_says_so(lib_dir, tmp_path, capsys):
    code, out, err = _cli(capsys, "--library", str(lib_dir), "backup", "--out",
                          str(tmp_path / "no" / "such" / "dir" / "b.sqlite"))
    assert code == 1 and "could not write the backup" in err and "Traceback" not in err
    assert not list((tmp_path / "no").glob("**/*")) if (tmp_path / "no").exists() else True


def test_backup_json(lib_dir, tmp_path, capsys):
    code, out, _ = _cli(capsys, "--library", str(lib_dir), "--json", "backup", "--out",
                        str(tmp_path / "b.sqlite"))
    assert code == 0 and json.loads(out)["backup"].endswith("b.sqlite")
    shutil.copy(tmp_path / "b.sqlite", tmp_path / "c.sqlite")
    code, out, _ = _cli(capsys, "--library", str(lib_dir), "--json", "restore", "--from",
                        str(tmp_path / "c.sqlite"))
    assert code == 0 and json.loads(out)["articles"] == 1
