"""Reader: exact offset map, safe rendering, reading position, themes, search terms, find bar."""
from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from core.models import Document
from core.text import TextBuilder


def test_every_block_round_trips(reader):
    art = reader.article
    doc = reader.browser.document()
    assert len(reader.omap.blocks) == len(art.blocks)
    for blk in art.blocks:
        p = reader.omap.to_doc(blk.start)
        qblock = doc.findBlock(p)
        assert qblock.position() == p, blk
        assert qblock.text() == art.text[blk.start:blk.end]
        for off in range(blk.start, blk.end + 1):
            assert reader.omap.to_text(reader.omap.to_doc(off)) == off


def test_offsets_exact_after_astral_characters(reader):
    """😀 is two positions in Qt; the entity after it must still land on the right text."""
    art = reader.article
    s = art.text.index("EU.")
    c = reader.browser.textCursor()
    c.setPosition(reader.omap.to_doc(s))
    c.setPosition(reader.omap.to_doc(s + 2), c.MoveMode.KeepAnchor)
    assert c.selectedText() == "EU"
    reader.browser.setTextCursor(c)
    assert reader.selection_range() == (s, s + 2)


def test_selection_maps_back_to_text(reader):
    art = reader.article
    s = art.text.index("Maroš Šefčovič")
    reader.select_range(s, s + 14)
    assert reader.browser.textCursor().selectedText() == "Maroš Šefčovič"
    assert reader.selection_range() == (s, s + 14)


def test_header_shows_metadata_and_header_is_not_text(reader):
    plain = reader.browser.toPlainText()
    assert plain.startswith("UK and EU talks")
    assert "A. Writer · example.org · 2026-01-30" in plain
    assert reader.omap.to_text(0) == 0  # a header position clamps to the text's start


def _hostile_doc() -> Document:
    b = TextBuilder()
    b.add_block("paragraph", "<script>alert('x')</script> <img src=\"http://evil.example/a.png\">")
    b.add_block("paragraph", [("click ", None), ("here", "javascript:alert(1)"), (" or ", None),
                              ("there", "https://ok.example/"), (" ", None),
                              ("file", "file:///etc/passwd")])
    b.add_block("paragraph", "![x](https://evil.example/track.gif) <iframe src=//evil.example>")
    return Document(text=b.text, blocks=b.blocks, links=b.links, title="<b>Title</b>",
                    url="javascript:alert(2)")


def test_hostile_article_renders_as_text_and_opens_no_socket(qtbot, tmp_path, monkeypatch):
    from core.library import Library
    from ui.reader.view import ReaderView
    lib = Library(tmp_path / "lib", seed=False)
    aid = lib.add_document(_hostile_doc()).article_id

    def no_socket(*a, **k):
        raise AssertionError("the reader tried to open a socket")
    r = ReaderView(lib)
    qtbot.addWidget(r)
    r.resize(800, 600)
    monkeypatch.setattr(socket, "socket", no_socket)
    r.show()
    r.show_article(aid)
    r.browser.viewport().repaint()
    plain = r.browser.toPlainText()
    assert "<script>alert('x')</script>" in plain and "<b>Title</b>" in plain
    assert "<iframe src=//evil.example>" in plain
    hrefs, images = [], 0
    block = r.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            f = it.fragment().charFormat()
            images += f.isImageFormat()
            if f.isAnchor():
                hrefs.append(f.anchorHref())
            it += 1
        block = block.next()
    assert images == 0
    assert hrefs == ["https://ok.example/"]  # javascript: and file: links stay plain text
    for url in ("http://evil.example/a.png", "file:///etc/passwd", "data:image/png;base64,AA"):
        assert r.browser.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                      QUrl(url)) is None
    lib.close()


def test_links_open_in_system_browser_only_for_http(reader, monkeypatch):
    from ui.reader import view as reader_mod
    opened = []
    monkeypatch.setattr(reader_mod.QDesktopServices, "openUrl", lambda u: opened.append(u))
    reader.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    reader.browser.anchorClicked.emit(QUrl("https://ec.example/"))
    assert [u.toString() for u in opened] == ["https://ec.example/"]


def test_column_stays_readable_width(reader, qtbot):
    reader.resize(1600, 600)
    qtbot.wait(10)
    fmt = reader.browser.document().rootFrame().frameFormat()
    column = reader.browser.viewport().width() - fmt.leftMargin() - fmt.rightMargin()
    assert 450 < column < 800
    assert abs(fmt.leftMargin() - fmt.rightMargin()) < 1


def test_scroll_position_round_trip_and_survives_font_size(reader):
    text = reader.article.text
    target = text.index("Filler paragraph 25")
    reader.set_scroll_position(target)
    pos = reader.scroll_position()
    assert abs(pos - target) < 120
    reader.set_font_size(20)
    assert reader.font_size() == 20
    assert abs(reader.scroll_position() - target) < 200
    reader.set_theme("dark")
    assert abs(reader.scroll_position() - target) < 200
    reader.set_scroll_position(0)
    assert reader.browser.verticalScrollBar().value() == 0


@pytest.mark.parametrize("theme", ["light", "dark", "sepia"])
def test_themes_apply(reader, theme):
    reader.set_theme(theme)
    assert reader.theme_name() == theme
    assert reader.browser.extraSelections()  # layers rebuilt after re-rendering


def test_mark_terms_is_accent_and_case_insensitive_and_scrolls(reader):
    reader.mark_terms(["sefcovic", "germani"])  # stem-like prefix of "Germany"
    marked = [s.cursor.selectedText() for s in reader._layers.layers["search"]]
    assert marked == ["Šefčovič", "Germany"]


def test_find_bar_steps_and_closes(reader, qtbot):
    from PySide6.QtCore import Qt
    reader.find_in_article()
    assert reader.find_bar.isVisible()
    qtbot.keyClicks(reader.find_bar.edit, "filler paragraph 3")
    assert reader.find_bar.count.text().endswith("of 11")  # 3, 30–39
    first = reader._find_i
    qtbot.keyClick(reader.find_bar.edit, Qt.Key.Key_Return)
    assert reader._find_i == first + 1
    qtbot.keyClick(reader.find_bar.edit, Qt.Key.Key_Escape)
    assert not reader.find_bar.isVisible()
    assert reader._layers.layers["find"] == []


def test_show_none_clears(reader):
    reader.show_article(None)
    assert reader.current_article_id() is None
    assert reader.browser.toPlainText() == ""
