"""Reader: drag selections snap to whole words (Alt keeps characters); link actions."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextCursor

from ui.reader.links import word_bounds


def test_word_bounds():
    t = "the possibility that Keir Starmer's stre-ngth don't"
    s, e = t.index("ossibility"), t.index("Starmer") + 3
    assert t[slice(*word_bounds(t, s, e))] == "possibility that Keir Starmer's"
    s = t.index("stre")
    assert t[slice(*word_bounds(t, s + 1, s + 6))] == "stre-ngth"
    assert word_bounds(t, 4, 15) == (4, 15)  # already whole words: unchanged
    assert word_bounds(t, 5, 5) == (5, 5)


def _drag(qtbot, reader, a: int, b: int, modifier=Qt.KeyboardModifier.NoModifier):
    vp = reader.browser.viewport()

    def point(off: int) -> QPoint:
        c = QTextCursor(reader.browser.document())
        c.setPosition(reader.omap.to_doc(off))
        return reader.browser.cursorRect(c).center()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, modifier, point(a))
    qtbot.mouseMove(vp, point(b))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, modifier, point(b))


def _first_long_word(text: str) -> int:
    import re
    return re.search(r"\b[A-Za-z]{8,}\b", text).start()


def test_drag_snaps_to_words_and_alt_drag_keeps_characters(qtbot, reader):
    text = reader.article.text
    w = _first_long_word(text)
    end = text.index(" ", w + 12) + 3  # ends three letters into a later word
    _drag(qtbot, reader, w + 2, end)
    s, e = reader.selection_range()
    assert s == w and text[e - 1].isalnum() and not text[e].isalnum()
    reader.browser.setTextCursor(QTextCursor(reader.browser.document()))  # (a press inside a
    _drag(qtbot, reader, w + 2, end, Qt.KeyboardModifier.AltModifier)  # selection drags it)
    assert reader.selection_range() == (w + 2, end)


def test_link_actions(qtbot, reader, monkeypatch):
    from ui.reader import links
    from ui.reader.view import QDesktopServices
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda u: False)  # no browser here
    assert not links.open_in_browser(reader, "https://ec.example/a")
    assert reader.notice.isVisibleTo(reader) and "No web browser" in reader.notice.text()
    links.copy_link(reader, "https://ec.example/a")
    assert QGuiApplication.clipboard().text() == "https://ec.example/a"
    with qtbot.waitSignal(reader.importLinkRequested) as sig:
        links.import_link(reader, "https://ec.example/b")
    assert sig.args == ["https://ec.example/b"]
    with qtbot.assertNotEmitted(reader.importLinkRequested):
        links.import_link(reader, "javascript:alert(1)")
    reader.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))  # never opened, no notice


def test_file_menu_turns_image_storing_off_and_on(window):
    from ui.runner import lane_for
    act = window.menus.store_images
    assert act.isEnabled() and act.isChecked() and window.library.store_images
    act.trigger()
    lane_for(window.library).wait()
    assert not act.isChecked() and not window.library.store_images
    act.trigger()
    lane_for(window.library).wait()
    assert window.library.store_images
