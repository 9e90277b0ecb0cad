"""Issue 16 items 13-19 (the small ones): each with its reproduction."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import run
from core.errors import CommonplaceError
from core.importers import expand_sources, load_source
from core.library import Library

ROOT = Path(__file__).resolve().parents[2]
PROSE = ("Harbour seals returned to the estuary this spring, the council said on Monday. "
         "Volunteers counted the pups along the northern sandbanks. ") * 4


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- item 16 -------------------------------------------------------------------------------------

def test_non_utf8_file_name_imports_and_json_stays_utf8(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    name = b"caf\xe9-report.txt"  # Latin-1 bytes: not UTF-8
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(PROSE.encode())
    r = subprocess.run([sys.executable, "main.py", "--library", str(tmp_path / "lib"), "--json",
                        "import", "--no-entities", str(folder)], cwd=ROOT, capture_output=True)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    data = json.loads(r.stdout.decode("utf-8"))  # strict: valid UTF-8
    assert data["counts"]["imported"] == 1, data
    titles = [x["title"] for x in data["results"]]
    assert any(t.startswith("Caf") and "report" in t for t in titles)


def test_huge_ids_are_usage_errors_not_tracebacks(tmp_path, capsys):
    lib = str(tmp_path / "lib")
    for cmd in (["show", str(2 ** 64)], ["notes", str(2 ** 63)], ["delete-note", str(2 ** 70)],
                ["annotate", str(2 ** 64), "--note", "x"]):
        code, _, err = _cli(capsys, "--library", lib, *cmd)
        assert code == 2 and "no article" in err and "Traceback" not in err


@pytest.mark.parametrize("src", ["/dev/zero", "fifo"])
def test_note_file_must_be_a_regular_file(tmp_path, capsys, src):
    if src == "fifo":
        src = str(tmp_path / "pipe")
        os.mkfifo(src)
    lib = str(tmp_path / "lib")
    code, _, err = _cli(capsys, "--library", lib, "annotate", "1", "--note-file", src)
    assert code == 1 and "not a regular file" in err


def test_note_file_is_capped(tmp_path, capsys, monkeypatch):
    import cli.commands
    monkeypatch.setattr(cli.commands, "MAX_NOTE_BYTES", 1000)
    big = tmp_path / "big.md"
    big.write_text("x" * 2000)
    code, _, err = _cli(capsys, "--library", str(tmp_path / "lib"), "annotate", "1",
                        "--note-file", str(big))
    assert code == 1 and "too long" in err


# -- item 18 -------------------------------------------------------------------------------------

def _drop_caps(cmd: list[str]) -> list[str] | None:
    """Run as root, permission bits do not bind; drop the capabilities that bypass them."""
    if os.geteuid() != 0:
        return cmd
    from shutil import which
    if not which("setpriv"):
        return None
    return ["setpriv", "--inh-caps=-dac_override,-dac_read_search,-fowner",
            "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]


def test_unreadable_folder_says_permission_denied(tmp_path):
    top = tmp_path / "top"
    (top / "closed").mkdir(parents=True)
    (top / "open.txt").write_text(PROSE)
    (top / "closed" / "hidden.txt").write_text(PROSE)
    os.chmod(top / "closed", 0)
    code = ("import json,sys; from core.importers import expand_sources; "
            "print(json.dumps(expand_sources(sys.argv[1:])))")
    cmd = _drop_caps([sys.executable, "-c", code, str(top), str(top / "closed")])
    if cmd is None:
        pytest.skip("running as root without setpriv: permissions cannot be enforced")
    try:
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    finally:
        os.chmod(top / "closed", 0o755)
    assert r.returncode == 0, r.stderr
    entries = json.loads(r.stdout)
    errors = [e for _, e in entries if e]
    assert any(e.startswith("permission denied") and "closed" in e for e in errors)
    assert not any("no articles found" in e for e in errors)
    assert any(s.endswith("open.txt") and not e for s, e in entries)


def test_correct_refuses_unknown_labels(tmp_path, capsys):
    with Library(tmp_path / "lib", seed=False) as lib:
        from core.models import Document
        from core.text import TextBuilder
        b = TextBuilder()
        b.add_block("paragraph", PROSE)
        aid = lib.add_document(Document(text=b.text, blocks=b.blocks, title="Seals")).article_id
        with pytest.raises(CommonplaceError, match="unknown label"):
            lib.correct_entity(aid, "add", 0, 7, "<script>")
        lib.correct_entity(aid, "add", 0, 7, "org")  # a known label, any case: accepted
    code, _, err = _cli(capsys, "--library", str(tmp_path / "lib"), "correct", str(aid), "add",
                        "--start", "0", "--end", "7", "--label", "<script>")
    assert code == 1 and "unknown label" in err


def test_bidi_override_is_not_kept_in_titles(tmp_path):
    p = tmp_path / "note.md"
    p.write_text("---\ntitle: \"Invoice \u202egnp.exe\"\n---\n\n" + PROSE, encoding="utf-8")
    assert "\u202e" not in load_source(str(p)).title
    h = tmp_path / "page.html"
    h.write_text(f"<html><head><title>Report \u202etxt.exe</title></head><body><article>"
                 f"<p>{PROSE}</p></article></body></html>", encoding="utf-8")
    assert "\u202e" not in load_source(str(h)).title


def test_expand_sources_still_reports_plain_missing_things(tmp_path):
    (tmp_path / "empty").mkdir()
    [(src, err)] = expand_sources([str(tmp_path / "empty")])
    assert "no articles found" in err


# -- items 13-15: deep nesting keeps the text ------------------------------------------------------

@pytest.mark.parametrize("depth", [21, 25, 200])
def test_deep_markdown_quote_keeps_its_text(depth):
    from core.importers.markdown_doc import parse_markdown
    d = parse_markdown(">" * depth + " the deep words\n\nand the paragraph after")
    assert "the deep words" in d.text and "and the paragraph after" in d.text


@pytest.mark.parametrize("depth", [12, 60, 300])
def test_deeply_nested_list_keeps_every_item(depth):
    from core.importers.markdown_doc import parse_markdown
    md = "\n".join("  " * i + f"- item{i}" for i in range(depth)) + "\n\ntail paragraph"
    d = parse_markdown(md)
    assert all(f"item{i}" in d.text for i in range(depth))
    assert "tail paragraph" in d.text


def test_note_preview_of_a_list_800_deep():
    from core.notes_html import note_to_html
    note = "\n".join("    " * i + f"- n{i}" for i in range(800))
    import time
    t = time.process_time()
    html = note_to_html(note)
    assert time.process_time() - t < 5  # was 15 s per keystroke, or a RecursionError
    assert "n0" in html and "n799" in html and "<script" not in html


def test_front_matter_nested_20000_deep_drops_only_the_metadata(tmp_path):
    p = tmp_path / "deep.md"
    p.write_text("---\ntitle: " + "[" * 20_000 + "\n---\n\n" + PROSE, encoding="utf-8")
    d = load_source(str(p))
    assert "Harbour seals" in d.text and d.title == "Deep"


# -- item 17: declared charset checked against the bytes; HTML sniffed ---------------------------

@pytest.fixture
def page_server():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    page = ("<html><head><title>Café prices</title></head><body><article><h1>Café prices</h1>"
            f"<p>{PROSE} Crème brûlée costs €5.</p></article></body></html>").encode()

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            ctype = {"/utf16": "text/html; charset=utf-16", "/garbage": "garbage",
                     "/as-text": "text/plain; charset=utf-8"}[self.path]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    srv.server_close()


def test_wrong_utf16_label_on_a_utf8_page(page_server):
    d = load_source(page_server + "/utf16", timeout=5)
    assert "Crème brûlée costs €5" in d.text and d.title == "Café prices"


@pytest.mark.parametrize("path", ["/garbage", "/as-text"])
def test_html_behind_a_wrong_content_type_is_read_as_html(page_server, path):
    d = load_source(page_server + path, timeout=5)
    assert "<p>" not in d.text and "<html" not in d.text and "Harbour seals" in d.text


def test_declared_utf16_without_nuls_is_not_believed():
    from core.importers.encoding import decode_bytes
    data = "Crème brûlée, naïve café".encode()
    assert decode_bytes(data, "utf-16") == "Crème brûlée, naïve café"
    real = "Crème brûlée".encode("utf-16-le")
    assert decode_bytes(real, "utf-16-le") == "Crème brûlée"


# -- item 19: a re-run of a folder import does not parse what it already stored -----------------

def test_rerun_folder_import_parses_only_new_or_changed_files(tmp_path, monkeypatch):
    import time

    import core.importers as imp
    folder = tmp_path / "src"
    folder.mkdir()
    for i in range(6):
        (folder / f"a{i}.txt").write_text(f"Article {i}\n\n{PROSE} Number {i}.")
    parsed: list[str] = []
    real = imp.load_source

    def counting(src, **kw):
        parsed.append(Path(src).name)
        return real(src, **kw)
    monkeypatch.setattr(imp, "load_source", counting)
    with Library(tmp_path / "lib", seed=False) as lib:
        first = lib.import_sources([str(folder)], recognise=False)
        assert [r.status for r in first] == ["imported"] * 6 and len(parsed) == 6
        parsed.clear()
        time.sleep(0.05)
        (folder / "a2.txt").write_text(f"Article 2\n\n{PROSE} Changed.")  # modified since
        (folder / "new.txt").write_text(f"New\n\n{PROSE} Fresh.")
        again = lib.import_sources([str(folder)], recognise=False)
        assert sorted(parsed) == ["a2.txt", "new.txt"]  # only these were read and parsed
        by = {Path(r.source).name: r for r in again}
        assert by["a0.txt"].status == "duplicate" and "unchanged" in by["a0.txt"].error
        assert by["new.txt"].status == "imported"
        assert len(lib.articles()) == 8  # a2's new text is a new article (no URL to match)
