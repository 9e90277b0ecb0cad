"""PDF import: structure from a paper built with reportlab, and hostile PDFs refused cleanly."""
from __future__ import annotations

import time

import pytest

from core.errors import ImportFailed
from core.importers import expand_sources, load_source
from core.importers.pdf import parse_pdf
from core.library import Library
from tests.core.pdf_fixtures import make_book, make_manual, make_paper, make_scanned


def _blocks(doc, kind=None):
    return [doc.text[b.start:b.end] for b in doc.blocks if kind is None or b.kind == kind]


def test_paper_structure(tmp_path):
    pdf = tmp_path / "paper.pdf"
    expected = make_paper(pdf, pages=3)
    doc = load_source(str(pdf))
    assert doc.title == "Reading in Layers" and doc.author == "Ada Example"
    assert _blocks(doc, "heading") == ["Section 1", "Section 2", "Section 3"]
    # every paragraph is one block, hyphenated line ends joined ("recog-" + "nised")
    assert _blocks(doc, "paragraph") == expected
    assert doc.text.count("recognised") == 3 and "recog-" not in doc.text
    # running header and page numbers are gone; the title is not repeated in the text
    assert "Journal of Careful Reading" not in doc.text
    assert not any(b.strip().isdigit() for b in _blocks(doc))
    assert not doc.text.startswith("Reading in Layers")
    assert doc.source_path == str(pdf.resolve())


def test_page_break_ends_a_block(tmp_path):
    pdf = tmp_path / "book.pdf"
    make_book(pdf, pages=3)
    doc = load_source(str(pdf))
    heads = [b for b in doc.blocks if b.kind == "heading"]
    assert [doc.text[b.start:b.end] for b in heads] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert doc.title == "A Long Book"


def test_lists_code_and_chapter_running_heads(tmp_path):
    pdf = tmp_path / "manual.pdf"
    make_manual(pdf)
    doc = load_source(str(pdf))
    assert "Chapter" not in doc.text  # running heads change per chapter, still dropped
    items = _blocks(doc, "list_item")
    assert items[:2] == ["The first point is short.", "The second point is long enough that it "
                         "wraps onto a second line, indented under the text of the bullet."]
    assert len(items) == 12
    assert _blocks(doc, "code") == ["run --fast input.txt"] * 6
    assert _blocks(doc, "paragraph")[1] == \
        "That command reads the input quickly and writes nothing."


def test_tight_margins_keep_the_first_line_of_every_page(tmp_path):
    from reportlab.pdfgen import canvas
    pdf = tmp_path / "tight.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(612, 792))
    for p in range(4):
        c.setFont("Times-Roman", 11)
        for k in range(50):  # from 20 pt below the top edge: inside the header zone
            c.drawString(36, 772 - k * 14, f"Page {p} line {k} says something worth keeping.")
        c.showPage()
    c.save()
    doc = load_source(str(pdf))
    for p in range(4):
        assert f"Page {p} line 0 says" in doc.text and f"Page {p} line 49 says" in doc.text


def test_two_columns_read_left_then_right(tmp_path):
    import textwrap

    from reportlab.pdfgen import canvas
    pdf = tmp_path / "cols.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(612, 792))
    c.setFont("Times-Roman", 10)
    paras = [f"Column paragraph {n} " + "words that fill the narrow column " * 4 for n in range(4)]
    for col, x in ((paras[:2], 50), (paras[2:], 320)):
        y = 700
        for p in col:
            for ln in textwrap.wrap(p, 45):
                c.drawString(x, y, ln)
                y -= 12
            y -= 10
    c.showPage()
    c.save()
    got = _blocks(load_source(str(pdf)), "paragraph")
    assert [g.split(" words")[0] for g in got] == [f"Column paragraph {n}" for n in range(4)]
    assert got == [" ".join(p.split()) for p in paras]


def test_junk_metadata_title_falls_back_to_first_page(tmp_path):
    pdf = tmp_path / "x.pdf"
    make_paper(pdf, pages=1, meta_title="Microsoft Word - draft7.docx")
    assert load_source(str(pdf)).title == "Reading in Layers"


def test_author_from_first_page_when_metadata_has_none(tmp_path):
    pdf = tmp_path / "x.pdf"
    make_paper(pdf, pages=1, author="")
    doc = load_source(str(pdf))
    assert doc.author == ""  # the line under the title is a section heading here, not names
    pdf2 = tmp_path / "y.pdf"
    make_paper(pdf2, pages=1, author="Ada Example and Bo Li", meta_author="")
    assert load_source(str(pdf2)).author == "Ada Example and Bo Li"


def test_scanned_pdf_gets_a_clear_message(tmp_path):
    pdf = tmp_path / "scan.pdf"
    make_scanned(pdf)
    with pytest.raises(ImportFailed, match="no text layer"):
        load_source(str(pdf))


def test_encrypted_pdf_refused(tmp_path):
    pdf = tmp_path / "secret.pdf"
    make_paper(pdf, pages=1, encrypt="hunter2")
    with pytest.raises(ImportFailed, match="password-protected"):
        load_source(str(pdf))


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + b"\x00garbage" * 100,
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
    b"not a pdf at all, just text",
])
def test_broken_pdfs_fail_with_one_line(data):
    with pytest.raises(ImportFailed) as e:
        parse_pdf(data)
    assert "\n" not in str(e.value) and str(e.value)


def _hand_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF with a correct xref table from raw object bodies (1-based numbers)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_page_count_bomb_refused_quickly():
    data = _hand_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Kids [3 0 R] /Count 50000000 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])
    t = time.monotonic()
    with pytest.raises(ImportFailed):
        parse_pdf(data)
    assert time.monotonic() - t < 10


def test_deep_nesting_is_bounded():
    deep = b"[" * 200_000 + b"]" * 200_000
    data = _hand_pdf([b"<< /Type /Catalog /Pages 2 0 R /Deep " + deep + b" >>",
                      b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])
    with pytest.raises(ImportFailed):  # no text (or unreadable): either way a clean refusal
        parse_pdf(data)


def test_library_import_and_reimport(tmp_path):
    pdf = tmp_path / "paper.pdf"
    make_paper(pdf, pages=2)
    assert expand_sources([str(tmp_path)])[0].source == str(pdf.resolve())
    with Library(tmp_path / "lib", seed=False) as lib:
        first = lib.import_sources([str(pdf)], recognise=False)
        assert first[0].status == "imported" and first[0].title == "Reading in Layers"
        again = lib.import_sources([str(pdf)], recognise=False)
        assert again[0].status == "duplicate"
        bad = tmp_path / "bad.pdf"
        bad.write_bytes(b"%PDF-1.7\n\x00\x01broken")
        n = lib._store.count_articles()
        res = lib.import_sources([str(bad)], recognise=False)
        assert res[0].status == "failed" and "PDF" in res[0].error
        assert lib._store.count_articles() == n


def test_pdf_from_a_url(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    pdf = tmp_path / "paper.pdf"
    make_paper(pdf, pages=1)
    data = pdf.read_bytes()

    class H(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        doc = load_source(f"http://127.0.0.1:{httpd.server_port}/papers/7")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert doc.title == "Reading in Layers" and doc.url.endswith("/papers/7")
    assert doc.site == "127.0.0.1" and "recognised" in doc.text
