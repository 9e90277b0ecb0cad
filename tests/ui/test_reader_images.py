"""Reader: article pictures come from the library (never an address), scaled to the column,
with captions as text; offsets stay exact around them; no socket is opened."""
from __future__ import annotations

import socket
import struct
import zlib

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from core.importers.images import judge
from core.models import Document
from core.text import TextBuilder


def _png(w: int, h: int) -> bytes:
    raw = b"".join(b"\x00" + b"\x00\x80\xff" * w for _ in range(h))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _doc() -> Document:
    wide, small = judge(_png(2400, 600)), judge(_png(160, 100))
    b = TextBuilder()
    b.add_block("paragraph", "Before the pictures.")
    b.add_block("image", "A wide harbour at dawn.",
                {"image": wide.name, "alt": "harbour", "src": "http://evil.example/w.png"})
    b.add_block("image", "\ufffc", {"image": small.name, "alt": "a crane"})
    b.add_block("image", "\ufffc", {"image": "0" * 64 + ".png", "alt": "gone"})
    b.add_block("paragraph", "After the pictures.")
    return Document(text=b.text, blocks=b.blocks, title="Pictures",
                    images={wide.name: wide, small.name: small})


def _image_formats(browser):
    out = []
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            f = it.fragment().charFormat()
            if f.isImageFormat():
                out.append(f.toImageFormat())
            it += 1
        block = block.next()
    return out


def test_pictures_render_from_the_library_with_no_socket(qtbot, tmp_path, monkeypatch):
    from core.library import Library
    from ui.reader.render import column_width_px
    from ui.reader.view import ReaderView
    from ui.runner import allow_gui_thread_writes
    lib = Library(tmp_path / "lib", seed=False)
    with allow_gui_thread_writes():  # the test's own set-up
        aid = lib.add_document(_doc()).article_id

    def no_socket(*a, **k):
        raise AssertionError("the reader tried to open a socket")
    r = ReaderView(lib)
    qtbot.addWidget(r)
    r.resize(900, 700)
    monkeypatch.setattr(socket, "socket", no_socket)
    r.show()
    r.show_article(aid)
    r.browser.viewport().repaint()
    fmts = _image_formats(r.browser)
    assert len(fmts) == 2  # the missing picture shows a placeholder character instead
    assert all(f.name().startswith("commonplace-image:") for f in fmts)
    col = column_width_px(r._pt)
    w0 = fmts[0].width()  # scaled to the column (a few pixels inside it), aspect kept
    assert col - 10 < w0 <= col and abs(fmts[0].height() - w0 / 4) < 1
    assert fmts[1].width() == 160  # small pictures are never enlarged
    plain = r.browser.toPlainText()
    assert "A wide harbour at dawn." in plain
    for url in ("http://evil.example/w.png", "file:///etc/passwd"):
        assert r.browser.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                      QUrl(url)) is None
    # offsets stay exact across the pictures: every block maps back to itself
    art = r.article
    for blk in art.blocks:
        for off in (blk.start, blk.end):
            assert r.omap.to_text(r.omap.to_doc(off)) == off
    c = r.browser.textCursor()
    after = art.text.index("After")
    c.setPosition(r.omap.to_doc(after))
    assert r.browser.document().findBlock(c.position()).text() == "After the pictures."
    lib.close()


def test_data_tables_render_as_tables_with_exact_offsets(qtbot, tmp_path):
    from PySide6.QtGui import QTextCursor

    from core.importers import load_source
    from core.library import Library
    from ui.reader.view import ReaderView
    pages = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
    doc = load_source(str(pages / "tables.html"), images=False)
    assert any(b.kind == "cell" for b in doc.blocks)
    from ui.runner import allow_gui_thread_writes
    lib = Library(tmp_path / "lib", seed=False)
    with allow_gui_thread_writes():
        aid = lib.add_document(doc).article_id
    r = ReaderView(lib)
    qtbot.addWidget(r)
    r.resize(900, 700)
    r.show_article(aid)
    art = r.article
    qdoc = r.browser.document()
    tables = set()
    for blk in art.blocks:
        p = r.omap.to_doc(blk.start)
        qblock = qdoc.findBlock(p)
        assert qblock.position() == p and qblock.text() == art.text[blk.start:blk.end], blk
        c = QTextCursor(qdoc)
        c.setPosition(p)
        if blk.kind == "cell":
            assert c.currentTable() is not None
            tables.add(c.currentTable().firstPosition())
            cell = c.currentTable().cellAt(p)
            assert (cell.row(), cell.column()) == (blk.attrs["row"], blk.attrs["col"])
        else:
            assert c.currentTable() is None
    assert len(tables) == 2
    assert " | " not in r.browser.toPlainText()
    lib.close()


def test_epub_pictures_show_in_the_reader_with_alt_and_caption(qtbot, tmp_path):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    from core.library import Library
    from tests.core.test_epub_images import make_book
    from ui.reader.view import ReaderView
    from ui.runner import allow_gui_thread_writes
    pic = QImage(320, 200, QImage.Format.Format_RGB32)
    pic.fill(QColor("teal"))
    raw = QByteArray()
    buf = QBuffer(raw)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    pic.save(buf, "JPG")
    lib = Library(tmp_path / "lib", seed=False)
    book = make_book(tmp_path / "h.epub", jpeg=bytes(raw.data()))
    with allow_gui_thread_writes():  # the test's own set-up
        res = lib.import_sources([str(book)], recognise=False)
    r = ReaderView(lib)
    qtbot.addWidget(r)
    r.resize(900, 700)
    r.show()
    r.show_article(res[0].article_id)
    fmts = _image_formats(r.browser)
    assert [f.toolTip() for f in fmts] == ["Harbours, the cover", "A map of the quay", "a gull"]
    assert "The quay in 1850, after the survey." in r.browser.toPlainText()
    lib.close()
