"""Issue 16 items 11-12: restore reads only regular SQLite files with a capped output and
cleans up; `backup --out` never replaces a special file, the live database or (without
--force) any file."""
from __future__ import annotations

import gzip
import os
import zlib

import pytest

from cli import run
from core import backups
from core.library import Library
from core.models import Document
from core.text import TextBuilder


def _doc(title: str, text: str) -> Document:
    b = TextBuilder()
    b.add_block("paragraph", text)
    return Document(text=b.text, blocks=b.blocks, title=title)


@pytest.fixture
def lib_dir(tmp_path):
    d = tmp_path / "lib"
    with Library(d, seed=False) as lib:
        lib.add_document(_doc("Seals", "Harbour seals returned to the estuary this spring."))
    return d


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _titles(d) -> list[str]:
    with Library(d, seed=False) as lib:
        return [a.title for a in lib.articles()]


def _no_leftovers(d) -> None:
    assert not list(d.rglob(".restore-*")) and not list(d.rglob("*.tmp"))


def _zeros_gzip(path, mb: int) -> None:
    """A gzip of `mb` MB of zeros, streamed (the file stays small)."""
    with gzip.open(path, "wb", compresslevel=9) as fh:
        block = b"\0" * (1 << 20)
        for _ in range(mb):
            fh.write(block)


def test_gzip_of_zeros_is_refused_before_writing_much(lib_dir, tmp_path, capsys, monkeypatch):
    bomb = tmp_path / "bomb.sqlite.gz"
    _zeros_gzip(bomb, 64)  # not a library: the header check stops it at the first bytes
    code, _, err = _cli(capsys, "--library", str(lib_dir), "restore", "--from", str(bomb))
    assert code == 1 and "not an SQLite file" in err and "Traceback" not in err
    _no_leftovers(lib_dir)
    assert _titles(lib_dir) == ["Seals"]


def test_gzip_bomb_with_a_sqlite_header_is_capped(lib_dir, tmp_path, capsys, monkeypatch):
    bomb = tmp_path / "bomb2.sqlite.gz"
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(bomb, "wb") as fh:
        fh.write(comp.compress(b"SQLite format 3\x00"))
        block = b"\0" * (1 << 20)
        for _ in range(40):
            fh.write(comp.compress(block))
        fh.write(comp.flush())
    monkeypatch.setattr(backups, "_MIN_CAP", 8 * 1024 * 1024)  # the cap, scaled down for a test
    written = []
    real_open = open

    def spy_open(path, mode="r", *a, **k):  # how much the restore writes before stopping
        f = real_open(path, mode, *a, **k)
        if "w" in mode and ".restore-" in str(path):
            written.append(path)
        return f
    monkeypatch.setattr("builtins.open", spy_open)
    code, _, err = _cli(capsys, "--library", str(lib_dir), "restore", "--from", str(bomb))
    assert code == 1 and "unpacks to more than" in err, err
    assert written  # it did start, and stopped at the cap (the file is gone)
    _no_leftovers(lib_dir)
    assert _titles(lib_dir) == ["Seals"]


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "folder"])
def test_restore_from_non_regular_files_is_refused_at_once(lib_dir, tmp_path, capsys, special):
    if special == "fifo":
        src = tmp_path / "pipe.sqlite"
        os.mkfifo(src)  # opening it would block forever
    elif special == "folder":
        src = tmp_path / "dir.sqlite"
        src.mkdir()
    else:
        src = special
    code, _, err = _cli(capsys, "--library", str(lib_dir), "restore", "--from", str(src))
    assert code == 1 and "not a regular file" in err
    _no_leftovers(lib_dir)
    assert _titles(lib_dir) == ["Seals"]


def test_safety_copies_are_pruned_like_daily_ones(lib_dir, tmp_path, capsys):
    bak = tmp_path / "b.sqlite"
    assert _cli(capsys, "--library", str(lib_dir), "backup", "--out", str(bak))[0] == 0
    for _ in range(backups.SAFETY_KEEP + 4):
        assert _cli(capsys, "--library", str(lib_dir), "restore", "--from", str(bak))[0] == 0
    kept = list((lib_dir / "backups").glob("before-restore-*.sqlite.gz"))
    assert len(kept) == backups.SAFETY_KEEP


def test_backup_refuses_fifo_live_database_and_existing_files(lib_dir, tmp_path, capsys):
    db = lib_dir / "library.sqlite"
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    for target, why in ((fifo, "not a regular file"), ("/dev/full", "not a regular file"),
                        (db, "own database"), (lib_dir / "library.sqlite-wal", "own database")):
        code, _, err = _cli(capsys, "--library", str(lib_dir), "backup", "--out", str(target))
        assert code == 1 and why in err, (target, err)
    assert fifo.exists() and not fifo.is_file()
    assert os.path.exists("/dev/full") and not os.path.isfile("/dev/full")
    assert _titles(lib_dir) == ["Seals"]
    existing = tmp_path / "keep.sqlite"
    existing.write_bytes(b"precious")
    code, _, err = _cli(capsys, "--library", str(lib_dir), "backup", "--out", str(existing))
    assert code == 1 and "--force" in err and existing.read_bytes() == b"precious"
    code, _, err = _cli(capsys, "--library", str(lib_dir), "backup", "--out", str(existing),
                        "--force")
    assert code == 0, err
    assert existing.read_bytes()[:16] == b"SQLite format 3\x00"


def test_backup_through_a_symlink_is_refused(lib_dir, tmp_path, capsys):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "link.sqlite"
    link.symlink_to(target)
    code, _, err = _cli(capsys, "--library", str(lib_dir), "backup", "--out", str(link),
                        "--force")
    assert code == 1 and target.read_text() == "keep me"


def test_torture_concurrent_migrations_and_restores_one_round():
    """`make torture` runs 20 rounds of each; one round here keeps the harness honest."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "scripts" / "torture.py"
    spec = importlib.util.spec_from_file_location("torture_script", path)
    torture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(torture)
    lines: list[str] = []
    assert torture.migrations(1, log=lines.append)["failures"] == 0, lines
    assert torture.restores(1, seed=1, log=lines.append)["failures"] == 0, lines
