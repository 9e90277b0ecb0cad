"""Plain text, Markdown and the front door (expand_sources, load_source) on local files."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core import importers
from core.errors import ImportFailed
from core.importers import Source, expand_sources, load_source
from core.importers.markdown_doc import parse_markdown, split_front_matter
from core.importers.plain import parse_plain, split_sections

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"


def _span_texts(doc, kind=None):
    return [doc.text[s.start:s.end] for s in doc.blocks if kind is None or s.kind == kind]


# --- plain text ---------------------------------------------------------------------------------

def test_plain_title_line_and_blocks():
    d = load_source(str(FIXTURES / "plain.txt"))
    assert d.title == "Ministers agree new rail timetable"
    assert not d.text.startswith("Ministers")
    assert _span_texts(d, "list_item") == ["more trains", "later services"]
    assert d.source_path == str((FIXTURES / "plain.txt").resolve()) and d.url == ""


def test_plain_without_title_line_uses_file_name():
    d = load_source(str(FIXTURES / "untitled.txt"))
    assert d.title == "Untitled"
    assert d.text.startswith("This text has no title line.")


def test_plain_title_sections_move_to_tags():
    d = parse_plain("Seals return | Wildlife | Devon\n\nBody text here.")
    assert (d.title, d.tags) == ("Seals return", ["Wildlife", "Devon"])
    # a long tail is part of the headline, not a section
    assert split_sections("Q&A | What the new rules mean for renters, landlords and agents") == \
        ("Q&A | What the new rules mean for renters, landlords and agents", [])


def test_plain_sentence_first_line_is_not_a_title():
    d = parse_plain("This is a sentence.\n\nAnother one.", name="notes.txt")
    assert d.title == "Notes" and d.text.startswith("This is a sentence.")


def test_latin1_file_decodes_pound_sign():
    d = load_source(str(FIXTURES / "latin1.txt"))
    assert d.title == "Café prices rise" and "£3.20" in d.text


# --- markdown -----------------------------------------------------------------------------------

def test_markdown_front_matter_and_blocks():
    d = load_source(str(FIXTURES / "note.md"))
    assert d.title == "Reading notes on the estuary survey"
    assert d.author == "Jane Marlow, Sam Ortiz"
    assert d.url == "https://www.coastgazette.example/news/seals-return"  # canonical form
    assert d.published == "2024-03-14" and d.language == "en"
    assert d.tags == ["wildlife", "devon"]
    assert not d.text.startswith("Reading notes")  # the H1 repeating the title is dropped
    assert _span_texts(d, "heading") == ["Reasons"]
    assert _span_texts(d, "quote") == ["Seals are a very good sign."]
    assert _span_texts(d, "list_item") == ["cleaner water", "fewer boats", "especially jet skis"]
    assert _span_texts(d, "code") == ['print("counted")']
    assert "alert" not in d.text and "Raw HTML block" in d.text
    assert "2024 | 11" in _span_texts(d)
    links = {d.text[s.start:s.end]: s.attrs["href"] for s in d.links}
    assert links["the trust"] == "https://wildlife.example/trust"
    assert links["a relative page"].startswith("https://www.coastgazette.example/")


def test_markdown_title_from_h1_and_unsafe_links_dropped():
    d = parse_markdown("# The Title\n\nText with [bad](javascript:alert(1)) and "
                       "[mail](mailto:a@b.example).\n")
    assert d.title == "The Title" and d.text == "Text with bad and mail."
    assert [s.attrs["href"] for s in d.links] == ["mailto:a@b.example"]


@pytest.mark.parametrize("fm", [
    "---\ntitle: [unclosed\n---\nBody.\n",  # YAML error
    "---\n- a list\n---\nBody.\n",  # not a mapping
    "---\ntitle: {nested: map}\ndate: not a date\ntags: 7\n---\nBody.\n",
])
def test_markdown_bad_front_matter_is_ignored(fm):
    d = parse_markdown(fm, name="x.md")
    assert d.text == "Body." and d.published == ""


def test_yaml_alias_bomb_is_not_expanded():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=False)) + "title: *i\ntags: *i\nauthor: *i\n---\nBody\n"
    meta, body = split_front_matter(bomb)
    assert meta["title"] == "" and meta["tags"] == [] and body == "Body\n"


# --- front door ---------------------------------------------------------------------------------

def test_expand_sources_folders_urls_and_errors(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("# Z\n\nz")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "c.HTML").write_text("<p>c</p>")
    (tmp_path / "skip.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text("h")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "image.png").write_bytes(b"\x89PNG")
    got = expand_sources([str(tmp_path), "https://example.org/a", str(tmp_path / "a.txt"),
                          str(empty), "/no/such/place", "ftp://example.org/x", ""])
    assert got[:3] == [Source(str(tmp_path / "a.txt")), Source(str(tmp_path / "b" / "z.md")),
                       Source(str(tmp_path / "c.HTML"))]
    assert got[3] == Source("https://example.org/a")
    assert got[4].error == f"no articles found in {empty} (looked for .txt, .md, .html, .pdf, .epub)"
    assert got[5].error == "no such file or folder: /no/such/place"
    assert "unsupported URL scheme ftp" in got[6].error
    assert len(got) == 7  # the repeated a.txt appears once; the empty string is ignored


def test_expand_sources_file_uri(tmp_path):
    f = tmp_path / "my note.md"
    f.write_text("hi")
    assert expand_sources([f.as_uri()]) == [Source(str(f))]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_expand_sources_survives_symlink_loop(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    os.symlink(tmp_path, tmp_path / "loop")
    assert expand_sources([str(tmp_path)]) == [Source(str(tmp_path / "a.txt"))]


def test_load_source_errors(tmp_path, monkeypatch):
    (tmp_path / "doc.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(ImportFailed, match=r"^unsupported file type \.docx$"):
        load_source(str(tmp_path / "doc.docx"))
    (tmp_path / "empty.txt").write_bytes(b"  \n\n ")
    with pytest.raises(ImportFailed, match="^empty file$"):
        load_source(str(tmp_path / "empty.txt"))
    with pytest.raises(ImportFailed, match="no such file"):
        load_source(str(tmp_path / "missing.md"))
    shutil.copy(FIXTURES / "image.txt", tmp_path / "photo.txt")
    with pytest.raises(ImportFailed, match=r"photo.txt looks like a binary file \(PNG image\)"):
        load_source(str(tmp_path / "photo.txt"))
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200_000_000)
    with pytest.raises(ImportFailed, match=r"^too large: 200 MB \(limit 50 MB\)$"):
        load_source(str(big))


def test_unexpected_parser_errors_are_wrapped(monkeypatch):
    def boom(*_a, **_k):
        raise KeyError("surprise")
    monkeypatch.setattr(importers, "parse_plain", boom)
    with pytest.raises(ImportFailed, match=r"could not read plain.txt: KeyError"):
        load_source(str(FIXTURES / "plain.txt"))


def test_html_file_with_meta_charset(tmp_path):
    body = "<p>" + "Le café coûte trois euros dans le centre-ville, dit-on. " * 5 + "</p>"
    page = f'<html><head><meta charset="iso-8859-1"><title>Café</title></head><body>' \
           f"<article>{body}{body}</article></body></html>"
    (tmp_path / "p.html").write_bytes(page.encode("latin-1"))
    d = load_source(str(tmp_path / "p.html"))
    assert "café coûte" in d.text and d.title == "Café"


def test_importers_are_qt_free_and_light():
    import subprocess
    import sys

    code = ("import sys, core.importers; "
            "print(sorted(m for m in ('PySide6', 'httpx', 'trafilatura') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"  # trafilatura loads on first HTML import, not at startup
