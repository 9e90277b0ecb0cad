"""Issue 14, item 4: reading from the keyboard — scrolling once the reader has focus, caret
browsing to select and highlight, n/p between articles, Ctrl+Z/Ctrl+V in the reader, the sheet."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import settle

K, M = Qt.Key, Qt.KeyboardModifier


def focused_reader(qtbot, r):
    r.activateWindow()
    r.setFocus()  # as Go ▸ Reader does: the view hands the focus to its text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is r.browser, timeout=3000)
    return r.browser


def test_keys_scroll_the_text_once_the_reader_has_focus(reader, qtbot):
    b = focused_reader(qtbot, reader)
    sb = b.verticalScrollBar()
    assert sb.maximum() > 0 and sb.value() == 0
    steps = [(K.Key_Space, M.NoModifier, "down"), (K.Key_Space, M.ShiftModifier, "up"),
             (K.Key_PageDown, M.NoModifier, "down"), (K.Key_PageUp, M.NoModifier, "up"),
             (K.Key_J, M.NoModifier, "down"), (K.Key_K, M.NoModifier, "up"),
             (K.Key_Down, M.NoModifier, "down"), (K.Key_Up, M.NoModifier, "up")]
    for key, mods, way in steps:
        if way == "up":
            sb.setValue(sb.maximum() // 2)
        before = sb.value()
        qtbot.keyClick(QApplication.focusWidget(), key, mods)
        assert (sb.value() > before) if way == "down" else (sb.value() < before), (key, mods)
    qtbot.keyClick(b, K.Key_End)
    assert sb.value() == sb.maximum()
    qtbot.keyClick(b, K.Key_Home)
    assert sb.value() == 0
    qtbot.keyClick(b, K.Key_End, M.ControlModifier)
    assert sb.value() == sb.maximum()
    qtbot.keyClick(b, K.Key_Home, M.ControlModifier)
    assert sb.value() == 0


def test_caret_browsing_selects_with_shift_arrows_and_a_number_highlights(reader, reader_lib,
                                                                         qtbot):
    lib, aid = reader_lib
    b = focused_reader(qtbot, reader)
    assert not b.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    qtbot.keyClick(b, K.Key_F7)
    assert b.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    start = reader.article.text.index("London")
    c = b.textCursor()
    c.setPosition(reader.omap.to_doc(start))
    b.setTextCursor(c)
    for _ in range(len("London")):
        qtbot.keyClick(b, K.Key_Right, M.ShiftModifier)
    assert reader.selection_range() == (start, start + len("London"))
    qtbot.keyClick(b, K.Key_1)
    settle(qtbot, lib)
    got = [(r.resolution.start, r.resolution.end, r.annotation.color)
           for r in lib.annotations(aid) if r.resolution]
    assert got == [(start, start + len("London"), reader.palette_colors[0].key)]
    qtbot.keyClick(b, K.Key_F7)  # off again: arrows scroll, no caret
    assert not b.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard


def test_ctrl_2_gives_the_text_the_keys_and_n_p_step_through_the_list(window, qtbot):
    w = window
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    w.focus_dock(w.library_dock)
    qtbot.waitUntil(lambda: w.library_panel.view.hasFocus(), timeout=2000)
    qtbot.keyClick(w.library_panel.view, K.Key_2, M.ControlModifier)  # Go ▸ Reader
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.browser, timeout=2000)
    m = w.library_panel.model
    ids = [m.article_id(r) for r in range(m.rowCount())]
    assert w.reader.current_article_id() == ids[0]
    qtbot.keyClick(w.reader.browser, K.Key_N)
    assert w.reader.current_article_id() == ids[1]
    qtbot.keyClick(w.reader.browser, K.Key_N)
    qtbot.keyClick(w.reader.browser, K.Key_N)  # the last one stays
    assert w.reader.current_article_id() == ids[2]
    qtbot.keyClick(w.reader.browser, K.Key_P)
    assert w.reader.current_article_id() == ids[1]
    assert QApplication.focusWidget() is w.reader.browser  # still reading


def test_ctrl_z_and_ctrl_v_work_while_the_reader_has_focus(window, qtbot, monkeypatch):
    w = window
    w.activateWindow()
    w.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.browser, timeout=3000)
    first = w.reader.current_article_id()
    qtbot.keyClick(w.reader.browser, K.Key_E)  # archive the open article
    settle(qtbot, w.library)
    assert w.library.summary(first).state == "archive"
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Z, M.ControlModifier)
    settle(qtbot, w.library)
    assert w.library.summary(first).state == "inbox"
    pasted: list[bool] = []
    monkeypatch.setattr(w.imports, "paste_url", lambda: pasted.append(True))
    w.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.browser, timeout=3000)
    qtbot.keyClick(w.reader.browser, K.Key_V, M.ControlModifier)
    assert pasted == [True]


def test_the_shortcut_sheet_lists_the_reading_keys(window, qtbot):
    w = window
    w.menus._shortcuts()
    box = next(b for b in w.findChildren(QMessageBox)
               if b.accessibleName() == "Keyboard shortcuts")
    text = box.text()
    for key in ("1 … 5", "Ctrl+Alt+N", "Ctrl+E", "F7", "n / p", "j / k", "Space",
                "Ctrl+Z", "Ctrl+V", "Ctrl+K", "Ctrl+Shift+E", "Ctrl+5"):
        assert f"<b>{key}" in text, key
    box.close()


def test_ctrl_z_in_the_reader_undoes_the_latest_change_of_either_kind(window, qtbot):
    w = window
    w.activateWindow()
    w.focus_reader()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.browser, timeout=3000)
    b, lib, aid = w.reader.browser, w.library, w.reader.current_article_id()
    word = lib.article(aid).text.split()[1]
    start = lib.article(aid).text.index(word)
    w.reader.select_range(start, start + len(word))
    qtbot.keyClick(b, K.Key_2)  # a highlight (the notes panel's undo stack)
    settle(qtbot, lib)
    assert len(lib.annotations(aid)) == 1
    qtbot.keyClick(b, K.Key_Z, M.ControlModifier)
    settle(qtbot, lib)
    assert lib.annotations(aid) == []
    qtbot.keyClick(b, K.Key_Z, M.ControlModifier | M.ShiftModifier)  # redo brings it back
    settle(qtbot, lib)
    assert len(lib.annotations(aid)) == 1
    qtbot.keyClick(b, K.Key_E)  # then an archive (the triage stack): undone first
    settle(qtbot, lib)
    assert lib.summary(aid).state == "archive"
    w.focus_reader()
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Z, M.ControlModifier)
    settle(qtbot, lib)
    assert lib.summary(aid).state == "inbox" and len(lib.annotations(aid)) == 1
    qtbot.keyClick(QApplication.focusWidget(), K.Key_Z, M.ControlModifier)
    settle(qtbot, lib)
    assert lib.annotations(aid) == []


def test_f7_from_the_list_turns_on_the_reader_caret_and_focuses_it(window, qtbot):
    w = window
    w.activateWindow()
    w.focus_dock(w.library_dock)
    qtbot.waitUntil(lambda: w.library_panel.view.hasFocus(), timeout=3000)
    qtbot.keyClick(w.library_panel.view, K.Key_F7)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.reader.browser, timeout=2000)
    assert w.reader.browser.textInteractionFlags() & \
        Qt.TextInteractionFlag.TextSelectableByKeyboard
    qtbot.keyClick(w.reader.browser, K.Key_F7)  # the same key turns it off
    assert not w.reader.browser.textInteractionFlags() & \
        Qt.TextInteractionFlag.TextSelectableByKeyboard
