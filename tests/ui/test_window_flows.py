"""Flows across panels: notes counts, note hits, Ctrl+V routing, entity search requests."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.library.model import DetailRole
from ui.runner import allow_gui_thread_writes


def _article_id(window, title: str) -> int:
    return next(s.id for s in window.library.articles() if s.title == title)


def test_notes_count_follows_annotations(window):
    aid = _article_id(window, "Apple harvest record")
    with allow_gui_thread_writes():  # the test's own set-up
        window.library.annotate(aid, quote="record apple harvest", note="check the figures")
    window.reader.annotationsChanged.emit(aid)
    m = window.library_panel.model
    assert "1 note" in m.index(m.row_of(aid), 0).data(DetailRole)


def test_a_note_hit_opens_the_article_at_the_passage(window, qtbot):
    aid = _article_id(window, "Apple harvest record")
    with allow_gui_thread_writes():  # the test's own set-up
        window.library.annotate(aid, quote="warm spring", note="orchards and climate")
    ranges: list[tuple[int, int]] = []
    window.reader.scroll_to_range = lambda s, e, flash=True: ranges.append((s, e))
    window.focus_search()
    QTest.keyClicks(window.search_field, "climate")
    qtbot.waitUntil(lambda: any(h.kind == "annotation" for h in window.search_popup.model.hits),
                    timeout=5000)
    row = next(i for i, h in enumerate(window.search_popup.model.hits) if h.kind == "annotation")
    window.search.open_row(row)
    text = window.library.article(aid).text
    assert window.reader.current_article_id() == aid
    assert [text[s:e] for s, e in ranges] == ["warm spring"]


def test_ctrl_v_imports_a_link_outside_text_fields_the_read_only_reader_included(window,
                                                                                monkeypatch):
    started: list[list[str]] = []
    monkeypatch.setattr(window.imports, "import_sources", lambda s: started.append(s))
    QGuiApplication.clipboard().setText("look: https://example.com/story")
    window.library_panel.view.setFocus()
    QTest.keyClick(window.library_panel.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert started == [["https://example.com/story"]]
    window.focus_reader()
    QTest.keyClick(window.focusWidget() or window.reader, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier)
    assert len(started) == 2  # the reader cannot be pasted into: the link is imported
    window.search_field.setFocus()
    QTest.keyClick(window.search_field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(started) == 2  # a text field pastes into itself
    assert "example.com" in window.search_field.text()


def test_entity_search_request_fills_the_search_field(window, qtbot):
    window.reader.searchEntityRequested.emit('"Šefčovič"')
    assert window.search_field.text() == '"Šefčovič"'
    assert window.search_field.hasFocus()
    qtbot.waitUntil(lambda: window.search_popup.model.rowCount() == 1, timeout=5000)


def test_adding_a_note_brings_the_notes_tab_forward_with_the_editor_focused(window, qtbot):
    window.entities_dock.raise_()
    reader = window.reader
    art_id = reader.current_article_id()
    assert art_id is not None
    text = window.library.article(art_id).text
    reader.select_range(0, min(20, len(text)))
    with qtbot.waitSignal(reader.annotationCreated):
        reader.add_note_to_selection()
    qtbot.waitUntil(lambda: not window.notes_dock.visibleRegion().isEmpty())
    assert QApplication.focusWidget() is window.notes_panel.md.editor
