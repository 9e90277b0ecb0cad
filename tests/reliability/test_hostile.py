"""Hostile and broken input (corpus in tests/hostile/, big cases made at test time): each gets
a clear one-line error or a safe result, nothing crashes, a failed import leaves the library
unchanged, and importing + storing + reading + exporting opens no socket."""
from __future__ import annotations

import os
import re
import signal
import socket
import time
from pathlib import Path

import pytest

from core.errors import ImportFailed
from core.importers import MAX_FILE_BYTES, load_source
from core.library import Library
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "hostile"

# file → None (imports; checked for safety) or a regex its ImportFailed message must match.
EXPECT: dict[str, str | None] = {
    "image-named.txt": r"looks like a binary file \(PNG image\)",
    "pdf-named.md": r"looks like a binary file \(PDF document\)",
    "elf-named.html": r"looks like a binary file \(executable\)",
    "zip-named.txt": r"looks like a binary file \(ZIP",
    "control-soup.txt": r"looks like a binary file",
    "empty.txt": r"^empty file$",
    "whitespace-only.md": r"^empty file$",
    "empty-body.html": r"^no article text found$",
    "invalid-utf8.txt": None,
    "mixed-encodings.txt": None,
    "utf16-no-bom.txt": None,
    "bidi-and-controls.txt": None,
    "script-and-handlers.html": None,
    "billion-laughs.html": None,
    "external-entity.html": None,
    "path-title.md": None,
    "reserved-name.md": None,
    "separators-title.md": None,
    "aux-dot.txt": None,
    "note-with-script.md": None,
    "yaml-bomb.md": None,
}
_BAD_WORDS = ("alert(", "document.cookie", "evil.example", "tracker.example", "onerror",
              "onload", "<script", "root:x:0", "lollollol")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_corpus_is_complete():
    assert {p.name for p in HOSTILE.iterdir() if p.name != "ABOUT"} == set(EXPECT)


def _check_safe(doc, html: bool) -> None:
    assert doc.text.strip() and doc.title.strip()
    if html:  # script bodies and remote resources are dropped
        for bad in _BAD_WORDS:        # (a Markdown file may *say* "javascript:" as text)
            assert bad not in doc.text and bad not in doc.title, bad
    assert not _CONTROL.search(doc.text) and not _CONTROL.search(doc.title)
    for link in doc.links:
        assert link.attrs["href"].split(":", 1)[0] in ("http", "https", "mailto")
        assert "evil" not in link.attrs["href"] and "tracker" not in link.attrs["href"]
    for s in [*doc.blocks, *doc.links]:
        assert 0 <= s.start < s.end <= len(doc.text)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_each_hostile_file_fails_clearly_or_imports_safely(name):
    t = time.monotonic()
    want = EXPECT[name]
    if want is None:
        _check_safe(load_source(str(HOSTILE / name)), name.endswith(".html"))
    else:
        with pytest.raises(ImportFailed) as e:
            load_source(str(HOSTILE / name))
        msg = str(e.value)
        assert re.search(want, msg) and "\n" not in msg and len(msg) < 200, msg
    assert time.monotonic() - t < 5


def test_hostile_folder_through_the_library_stores_only_the_good(tmp_path):
    with Library(tmp_path / "lib", seed=False) as lib:
        results = lib.import_sources([str(HOSTILE)], recognise=False)
        by_name = {Path(r.source).name: r for r in results}
        assert set(by_name) == set(EXPECT)
        for name, want in EXPECT.items():
            r = by_name[name]
            if want is None:
                assert r.status in ("imported", "duplicate"), (name, r.error)
            else:
                assert r.status == "failed" and re.search(want, r.error), (name, r.error)
        html_ids = {r.article_id for n, r in by_name.items() if n.endswith(".html")}
        for a in lib.articles():
            _check_safe(lib.article(a.id), a.id in html_ids)
        assert lib.check() == []


def _big_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name → (path, expected error regex), all made cheaply: sparse, streamed or special."""
    out = {}
    sparse = tmp / "sparse-200mb.txt"
    with open(sparse, "wb") as fh:
        fh.truncate(200_000_000)
    out["sparse"] = (sparse, r"too large: 200 MB \(limit 50 MB\)")
    just = tmp / "just-over.md"
    with open(just, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    out["just over the cap"] = (just, r"too large")
    nested = tmp / "nested-divs.html"
    p = "<p>Harbour seals returned to the estuary this spring, more pups than ever.</p>"
    with open(nested, "w") as fh:
        fh.write("<html><body>" + "<div>" * 100_000 + p * 2 + "</div>" * 100_000 + "</body></html>")
    out["100k nested divs"] = (nested, r"no article text found|too deeply nested")
    d = tmp / "folder.txt"
    d.mkdir()
    out["a folder named .txt"] = (d, r"not a regular file")
    if hasattr(os, "mkfifo"):
        fifo = tmp / "pipe.txt"
        os.mkfifo(fifo)
        out["a FIFO (would block forever if read)"] = (fifo, r"not a regular file")
    if Path("/dev/zero").exists():
        z = tmp / "zero.txt"
        z.symlink_to("/dev/zero")
        out["symlink to /dev/zero"] = (z, r"not a regular file")
    dangling = tmp / "dangling.html"
    dangling.symlink_to(tmp / "nowhere.html")
    out["dangling symlink"] = (dangling, r"no such file")
    return out


def test_big_and_special_files_are_refused_quickly(tmp_path):
    def _timeout(*_):
        raise TimeoutError("import blocked")
    old = signal.signal(signal.SIGALRM, _timeout) if hasattr(signal, "SIGALRM") else None
    try:
        for what, (path, want) in _big_files(tmp_path).items():
            if old is not None:
                signal.alarm(10)
            t = time.monotonic()
            with pytest.raises(ImportFailed) as e:
                load_source(str(path))
            assert re.search(want, str(e.value)), (what, str(e.value))
            assert time.monotonic() - t < 5, what
    finally:
        if old is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)


def test_huge_single_line_imports_within_limits(tmp_path):
    f = tmp_path / "one-line.txt"
    f.write_text("Long line\n\n" + "word " * 1_000_000, encoding="utf-8")  # 5 MB, no newline
    t = time.monotonic()
    d = load_source(str(f))
    assert len(d.text) > 4_000_000 and time.monotonic() - t < 20


def test_failed_imports_leave_the_library_unchanged(tmp_path, capsys):
    from cli import run
    lib = str(tmp_path / "lib")
    assert run(["--library", lib, "import", "--no-entities",
                str(HOSTILE / "mixed-encodings.txt")]) == 0
    capsys.readouterr()

    def snapshot():
        assert run(["--library", lib, "--json", "list"]) == 0
        listing = capsys.readouterr().out
        import sqlite3
        con = sqlite3.connect(Path(lib) / "library.sqlite")
        dump = list(con.iterdump())
        con.close()
        return listing, dump

    before = snapshot()
    bad = [str(HOSTILE / n) for n, want in EXPECT.items() if want] + [
        str(p) for p, _ in _big_files(tmp_path).values()] + [str(tmp_path / "missing.txt")]
    assert run(["--library", lib, "import", "--no-entities", *bad]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert out.count("failed ") == len(bad)
    assert snapshot() == before


# -- the reader never touches the network -------------------------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(name):
        def f(*a, **k):
            attempts.append(name)
            raise AssertionError(f"network use: socket.{name}")
        return f
    for name in ("socket", "create_connection", "getaddrinfo", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_import_store_read_export_open_no_socket(tmp_path, no_network):
    with Library(tmp_path / "lib", seed=False) as lib:
        sources = [str(HOSTILE / n) for n, want in EXPECT.items() if want is None]
        results = lib.import_sources(sources, recognise=True)
        assert all(r.status in ("imported", "duplicate") for r in results)
        for a in lib.articles():
            art = lib.article(a.id)
            lib.entities(a.id)
            ann = lib.annotate(a.id, start=0, end=min(5, len(art.text)),
                               note=(HOSTILE / "note-with-script.md").read_text())
            lib.annotations(a.id)
            lib.update_annotation(ann.id, note=ann.note + " edited")
        lib.search("harbour seals")
        lib.check()
        try:
            from core.export import export_library
        except ImportError:
            pass
        else:
            export_library(lib, tmp_path / "out")
            export_library(lib, tmp_path / "json", fmt="json")
        try:
            from core.notes_html import note_to_html
        except ImportError:
            pass
        else:
            note_to_html((HOSTILE / "note-with-script.md").read_text())
    assert no_network == []


# -- notes preview and export ---------------------------------------------------------------------

def test_note_with_raw_html_and_scripts_renders_safely():
    notes_html = pytest.importorskip("core.notes_html")
    html = notes_html.note_to_html((HOSTILE / "note-with-script.md").read_text())
    low = html.lower()
    for bad in ("<script", "<iframe", "<img", "<style", "onerror", "onclick", "javascript:",
                "data:", "tracker.example", "evil.example"):
        assert bad not in low, bad
    assert 'href="https://good.example/"' in html


_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def test_export_writes_only_inside_the_folder_with_safe_names(tmp_path):
    export = pytest.importorskip("core.export")
    out = tmp_path / "out"
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.import_sources([str(HOSTILE)], recognise=False)
        titles = [a.title for a in lib.articles()]
        assert "../../../etc/passwd" in titles and "CON" in titles
        before = {p for p in tmp_path.rglob("*")}
        written = export.export_library(lib, out)
        written += export.export_library(lib, tmp_path / "json", fmt="json")
    for p in written:
        assert p.resolve().parent in (out.resolve(), (tmp_path / "json").resolve())
        stem = p.stem
        assert not re.search(r'[/\\:*?"<>|\x00-\x1f]', p.name), p.name
        assert not _RESERVED.match(stem) and not stem.endswith((".", " ")), p.name
    new = {p for p in tmp_path.rglob("*")} - before
    assert all(str(p).startswith((str(out), str(tmp_path / "json"))) for p in new), new


def test_export_refuses_a_symlink_planted_in_the_folder(tmp_path):
    export = pytest.importorskip("core.export")
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.import_sources([str(HOSTILE / "path-title.md")], recognise=False)
        name = export.safe_filename(lib.articles()[0].title) + ".md"
        (out / name).symlink_to(victim)
        try:
            export.export_library(lib, out)
        except export.ExportError as e:
            assert "outside" in str(e)
    assert victim.read_text() == "precious"


def test_export_file_names_carry_no_bidi_overrides(tmp_path):
    export = pytest.importorskip("core.export")
    name = export.safe_filename("invoice\u202egpj.exe")
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", name), repr(name)
