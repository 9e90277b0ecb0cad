"""Layout for reading (issue #14, item 6): the column keeps ≥ 55 characters a line as the window
shrinks, focus mode hides everything but the text and puts it all back, late entity chips do
not move the text, and a restored reading position puts the same line at the top."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from core.library import Library
from core.models import Document
from core.text import TextBuilder
from tests.ui.conftest import open_window, reader_entities
from ui.reader.render import column_width_px
from ui.runner import allow_gui_thread_writes


def long_doc(title: str, n: int = 60) -> Document:
    b = TextBuilder()
    b.add_block("heading", title)
    for i in range(n):
        b.add_block("paragraph", f"Paragraph {i}: Keir Starmer met ministers in London and "
                                 f"Brussels on Friday to talk about the EU, trade and energy; "
                                 f"the talks ran long and the notes ran longer still ({i}).")
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title,
                    site="example.org", published="2026-01-30")


@pytest.fixture
def long_library(tmp_path):
    with allow_gui_thread_writes():
        lib = Library(tmp_path / "lib", seed=False)
        ids = [lib.add_document(long_doc(t)).article_id
               for t in ("Defence talks resume", "Trade talks stall")]
        lib.ensure_index()
    path = lib.path
    lib.close()
    return path, ids


@pytest.fixture
def win(qtbot, long_library, no_ner):
    w = open_window(qtbot, long_library[0])
    yield w
    w.close()


def column_chars(w) -> float:
    """Characters a line in the reading column, by the body font's average character width."""
    r = w.reader
    margin = r.browser.document().rootFrame().frameFormat().leftMargin()
    return (r.browser.viewport().width() - 2 * margin) / (column_width_px(r.font_size()) / 68)


def resize(qtbot, w, width: int, height: int) -> None:
    w.resize(width, height)
    qtbot.wait(150)  # the guard runs after the window's layout, then looks once more


def right_docks(w):
    return [w.notes_dock, w.entities_dock]


def test_column_keeps_55_characters_at_1000x700_and_panels_come_back(win, qtbot):
    w = win
    resize(qtbot, w, 1400, 900)
    assert all(d.isVisible() for d in [w.library_dock, w.entities_dock])
    assert column_chars(w) >= 55
    resize(qtbot, w, 1000, 700)
    assert column_chars(w) >= 55
    assert w.library_dock.isVisible()  # the right-hand panels give way first
    assert all(d.isHidden() for d in right_docks(w))
    resize(qtbot, w, 1400, 900)
    assert w.entities_dock.isVisible() and not w.notes_dock.isHidden()
    assert column_chars(w) >= 55


def test_user_can_still_open_a_collapsed_panel(win, qtbot):
    w = win
    resize(qtbot, w, 1000, 700)
    assert w.entities_dock.isHidden()
    w.entities_dock.toggleViewAction().trigger()  # View ▸ Entities
    qtbot.wait(50)
    assert w.entities_dock.isVisible()
    w.focus_dock(w.notes_dock)  # Ctrl+3
    qtbot.wait(50)
    assert w.notes_dock.isVisible()


def test_a_panel_the_user_closed_stays_closed_when_the_window_grows(win, qtbot):
    w = win
    resize(qtbot, w, 1400, 900)
    for d in right_docks(w):
        d.close()
    resize(qtbot, w, 800, 600)
    resize(qtbot, w, 1400, 900)
    assert all(d.isHidden() for d in right_docks(w))
    assert w.library_dock.isVisible()


def test_a_wide_window_changes_nothing(win, qtbot):
    w = win
    resize(qtbot, w, 1500, 950)
    before = [(d.isVisible(), d.width()) for d in [w.library_dock, *right_docks(w)]]
    resize(qtbot, w, 1600, 1000)
    resize(qtbot, w, 1500, 950)
    assert [(d.isVisible(), d.width()) for d in [w.library_dock, *right_docks(w)]] == before
    assert not w.panel_guard.collapsed and not w.panel_guard.wanted


def _chrome(w):
    return [w.library_dock, w.notes_dock, w.entities_dock, w.toolbar, w.menuBar(),
            w.statusBar(), w.reader.header]


def test_focus_mode_hides_everything_but_the_text_and_restores_it(win, qtbot):
    w = win
    resize(qtbot, w, 1400, 900)
    w.notes_dock.raise_()
    qtbot.wait(50)
    before = [(x.isVisible(), x.width()) for x in _chrome(w)]
    browser = w.reader.browser
    browser.setFocus()
    qtbot.keyClick(browser, Qt.Key.Key_F11)
    assert w.focus_mode.active
    assert not any(x.isVisible() for x in _chrome(w))
    assert w.reader.browser.isVisible()
    qtbot.wait(50)
    assert w.centralWidget().width() == w.width()
    assert column_chars(w) >= 55
    qtbot.keyClick(browser, Qt.Key.Key_Escape)
    assert not w.focus_mode.active
    qtbot.wait(50)
    assert [(x.isVisible(), x.width()) for x in _chrome(w)] == before
    qtbot.keyClick(browser, Qt.Key.Key_F11)
    assert w.focus_mode.active
    qtbot.keyClick(browser, Qt.Key.Key_F11)  # the same key brings them back too
    qtbot.wait(50)
    assert not w.focus_mode.active and [(x.isVisible(), x.width()) for x in _chrome(w)] == before


def test_shortcuts_work_in_focus_mode_with_the_menu_bar_hidden(win, qtbot):
    w = win
    w.focus_mode.set_active(True)
    pt = w.font_pt
    qtbot.keyClick(w.reader.browser, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert w.font_pt == pt + 1 and w.focus_mode.active
    qtbot.keyClick(w.reader.browser, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert not w.focus_mode.active  # the search needs its field: focus mode ends
    assert w.toolbar.isVisible() and w.library_dock.isVisible()


def test_focus_mode_is_remembered_and_the_saved_layout_is_the_users(qtbot, long_library, no_ner):
    w = open_window(qtbot, long_library[0])
    w.focus_mode.set_active(True)
    w.close()
    w2 = open_window(qtbot, long_library[0])
    assert w2.focus_mode.active
    assert not w2.reader.header.isVisible() and not w2.library_dock.isVisible()
    w2.focus_mode.set_active(False)
    resize(qtbot, w2, 1400, 900)  # the offscreen screen is 800 px wide: restored smaller
    assert w2.library_dock.isVisible() and w2.entities_dock.isVisible()
    assert w2.reader.header.isVisible()
    w2.close()


def _first_line(w) -> tuple[int, int]:
    """(canonical offset of the first visible line's start, its y in window coordinates)."""
    r = w.reader
    x = int(r.browser.document().rootFrame().frameFormat().leftMargin()) + 2
    c = r.browser.cursorForPosition(QPoint(x, 2))
    c.movePosition(QTextCursor.MoveOperation.StartOfLine)
    y = r.browser.viewport().mapTo(w, r.browser.cursorRect(c).topLeft()).y()
    return r.omap.to_text(c.position()), y


def test_entities_arriving_later_do_not_move_the_text(win, qtbot, long_library):
    w = win
    resize(qtbot, w, 1000, 700)
    aid = w.reader.current_article_id()
    assert not w.reader.entities()
    sb = w.reader.browser.verticalScrollBar()
    sb.setValue(sb.maximum() // 3)
    qtbot.wait(50)
    before = _first_line(w)
    art = w.library.article(aid)
    with allow_gui_thread_writes():  # what recognition on a worker does, seconds later
        w.library._store.replace_entities(aid, reader_entities(art.text), "test", "1",
                                          art.content_hash)
    w.events.entitiesChanged.emit(aid)
    qtbot.wait(100)
    assert w.reader.legend.chips  # the chips arrived
    assert w.reader.legend.height() <= w.reader.legend.sizeHint().height()  # one row
    assert _first_line(w) == before


def test_chip_bar_is_one_row_with_the_rest_behind_more(win, qtbot):
    w = win
    resize(qtbot, w, 1000, 700)
    counts = {lab: 12 for lab in ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "MONEY",
                                  "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "FAC")}
    legend = w.reader.legend
    h = legend.height()
    legend.set_counts(counts, set())
    qtbot.wait(50)
    assert legend.height() == h
    shown = [c for c in legend.chips.values() if c.isVisible()]
    assert 0 < len(shown) < len(counts) and legend.more.isVisible()
    assert legend.more.text() == f"+{len(counts) - len(shown)}"
    assert {c.geometry().top() for c in shown} == {shown[0].geometry().top()}  # one row
    assert all(c.geometry().right() < legend.more.geometry().left() for c in shown)
    legend.more_menu.aboutToShow.emit()  # the hidden ones are in the menu, and toggle there
    acts = legend.more_menu.actions()
    assert len(acts) == len(legend.overflow)
    acts[0].setChecked(False)
    assert not legend.chips[legend.overflow[0]].isChecked()


def test_restored_position_puts_the_same_line_at_the_top(qtbot, long_library, no_ner):
    path, ids = long_library
    w = open_window(qtbot, path)
    w.show_article(ids[1])
    qtbot.wait(50)
    text = w.reader.article.text
    target = text.index("Paragraph 37:")
    w.reader.set_scroll_position(target)
    qtbot.wait(50)
    offset, _y = _first_line(w)
    assert offset == target
    w.close()
    w2 = open_window(qtbot, path)  # the last article, at the line it was left
    qtbot.wait(100)
    assert w2.reader.current_article_id() == ids[1]
    assert _line_at_top(w2, target)
    w2.close()


def _line_at_top(w, offset: int) -> bool:
    r = w.reader
    c = QTextCursor(r.browser.document())
    c.setPosition(r.omap.to_doc(offset))
    rect = r.browser.cursorRect(c)
    return abs(rect.top()) < rect.height()  # within one line


def test_position_set_right_after_showing_survives_lazy_layout(win, qtbot, long_library):
    """Qt lays a long document out in steps; a position set at once used to be clamped to the
    scroll range known so far, landing paragraphs early."""
    w = win
    r = w.reader
    r.show_article(long_library[1][0])
    target = r.article.text.index("Paragraph 33:")
    r.set_scroll_position(target)
    qtbot.wait(200)
    assert _line_at_top(w, target)
    resize(qtbot, w, 1100, 760)  # a narrower column re-flows the text; the line stays on top
    assert _line_at_top(w, target)
    r.set_font_size(r.font_size() + 3)
    qtbot.wait(50)
    assert _line_at_top(w, target)


class _Holder:
    def __init__(self, reader) -> None:
        self.reader = reader


def test_the_top_line_stays_when_the_column_reflows_or_chips_arrive(reader, qtbot):
    """The old pixel position drifted more than a paragraph after the column narrowed."""
    target = reader.article.text.index("Filler paragraph 20")
    reader.set_scroll_position(target)
    qtbot.wait(50)
    assert _line_at_top(_Holder(reader), target)
    reader.resize(560, 600)
    qtbot.wait(100)
    assert _line_at_top(_Holder(reader), target)
    reader.legend.set_counts({"PERSON": 3, "GPE": 4, "ORG": 5, "DATE": 2, "NORP": 1,
                              "MONEY": 3, "LOC": 1}, set())
    qtbot.wait(100)
    assert _line_at_top(_Holder(reader), target)
    assert reader.scroll_position() == target


def test_scrolling_by_hand_moves_the_anchor(reader, qtbot):
    sb = reader.browser.verticalScrollBar()
    sb.setValue(sb.maximum() // 2)
    qtbot.wait(20)
    pos = reader.scroll_position()
    assert reader.anchor.offset == pos > 0
    reader.resize(600, 600)
    qtbot.wait(100)
    assert _line_at_top(_Holder(reader), pos)
    sb.setValue(0)
    assert reader.anchor.offset is None


def test_focus_mode_is_in_the_view_menu_and_the_shortcut_sheet(win):
    from ui.window.menus import SHORTCUTS
    view = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    assert win.focus_mode.action in view.actions()
    assert win.focus_mode.action.shortcut().toString() == "F11"
    assert any("F11" in keys and "Esc" in keys for keys, _what in SHORTCUTS)
    taken = [k for keys, _w in SHORTCUTS if keys != "F11, Esc" for k in keys.split()]
    assert "F11" not in taken and "F11," not in taken  # no other key of the sheet clashes


def test_a_notice_floats_over_the_text_without_moving_it(win, qtbot):
    w = win
    resize(qtbot, w, 1000, 700)
    sb = w.reader.browser.verticalScrollBar()
    sb.setValue(sb.maximum() // 3)
    qtbot.wait(50)
    before, geometry = _first_line(w), w.reader.browser.geometry()
    w.focus_mode.set_active(True)  # shows "Focus mode: F11 or Esc brings the panels back."
    qtbot.wait(50)
    assert w.reader.notice.isVisible() and "F11" in w.reader.notice.text()
    top_before = _first_line(w)
    w.reader.show_notice("A second notice, long enough to wrap onto another line " * 3)
    qtbot.wait(50)
    assert _first_line(w) == top_before
    notice = w.reader.notice.geometry()
    assert w.reader.browser.geometry().contains(notice.topLeft())  # over the text
    w.focus_mode.set_active(False)
    qtbot.wait(50)
    # the same line is on top again (the anchor aligns it to the top edge)
    assert w.reader.browser.geometry() == geometry and _first_line(w)[0] == before[0]
