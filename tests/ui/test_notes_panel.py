"""Notes panel: create from a selection, click to scroll, debounced saving, delete + undo,
orphans flagged and re-attached, article notes, keyboard highlighting."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from core.models import Anchor
from ui.notes.model import ORPHAN_TEXT, NotesModel, status_of
from ui.notes.panel import SAVE_DELAY_MS, NotesPanel


@pytest.fixture
def panel(qtbot, reader, reader_lib):
    lib, _ = reader_lib
    p = NotesPanel(lib, reader)
    qtbot.addWidget(p)
    p.resize(380, 600)
    p.show()
    return p


def _passage_visible(reader, start: int, end: int) -> bool:
    c = QTextCursor(reader.browser.document())
    c.setPosition(reader.omap.to_doc(start))
    top = reader.browser.cursorRect(c)
    c.setPosition(reader.omap.to_doc(end))
    bottom = reader.browser.cursorRect(c)
    vp = reader.browser.viewport().rect()
    return vp.contains(top) and vp.contains(bottom)


def test_select_add_note_panel_shows_click_scrolls(reader, panel, qtbot):
    text = reader.article.text
    s = text.index("Filler paragraph 35")
    e = s + len("Filler paragraph 35 about nothing much")
    reader.select_range(s, e)
    qtbot.keyClick(reader.browser, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert panel.model.rowCount() == 1
    ra = panel.model.items[0]
    assert ra.annotation.anchor.exact == text[s:e]
    assert panel.current_annotation_id() == ra.annotation.id
    assert panel.md.editor.hasFocus() or not panel.window().isActiveWindow()
    reader.set_scroll_position(0)
    assert not _passage_visible(reader, s, e)
    rect = panel.list.visualRect(panel.model.index(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert _passage_visible(reader, s, e)
    assert reader._flash.state() == reader._flash.State.Running


def test_number_keys_highlight_selection_in_palette_colour(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    s = reader.article.text.index("Energy")
    reader.select_range(s, s + 6)
    with qtbot.waitSignal(reader.annotationsChanged):
        qtbot.keyClick(reader.browser, Qt.Key.Key_2)
    anns = lib.annotations(aid)
    assert len(anns) == 1 and anns[0].annotation.color == reader.palette_colors[1].key
    assert [x.cursor.selectedText() for x in reader._layers.layers["highlights"]] == ["Energy"]
    qtbot.keyClick(reader.browser, Qt.Key.Key_3)  # no selection any more: nothing happens
    assert len(lib.annotations(aid)) == 1


def test_clicking_a_highlight_selects_it_in_the_panel(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    text = reader.article.text
    a1 = lib.annotate(aid, quote="Trade with the EU", color="yellow")
    a2 = lib.annotate(aid, quote="The final passage", color="blue")
    reader.reload_annotations()
    panel.load_article(aid)
    s = text.index("Trade with")
    c = QTextCursor(reader.browser.document())
    c.setPosition(reader.omap.to_doc(s) + 2)
    qtbot.mouseClick(reader.browser.viewport(), Qt.MouseButton.LeftButton,
                     pos=reader.browser.cursorRect(c).center())
    assert panel.current_annotation_id() == a1.id
    assert a2.id != a1.id


def test_typing_saves_after_debounce_and_on_switch(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    ann = lib.annotate(aid, quote="Trade with the EU", color="yellow")
    panel.load_article(aid)
    panel.select_annotation(ann.id)
    qtbot.keyClicks(panel.md.editor, "Hello **world**")
    assert lib.store.annotation(ann.id).note == ""  # not yet: debounced
    qtbot.waitUntil(lambda: lib.store.annotation(ann.id).note == "Hello **world**",
                    timeout=SAVE_DELAY_MS * 4)
    qtbot.keyClicks(panel.md.editor, "!")
    reader.show_article(aid)  # re-showing (new entities, say) flushes at once…
    assert lib.store.annotation(ann.id).note == "Hello **world**!"
    # …and leaves the editor alone: same text, cursor still at the end
    assert panel.md.markdown() == "Hello **world**!"
    assert panel.md.editor.textCursor().position() == len("Hello **world**!")
    assert "world" in panel.md.preview.toPlainText()
    other = lib.annotate(aid, quote="Energy", color="blue")
    panel.load_article(aid)
    panel.select_annotation(other.id)
    qtbot.keyClicks(panel.md.editor, "second")
    panel.select_annotation(ann.id)  # switching annotation saves the other one at once
    assert lib.store.annotation(other.id).note == "second"


def test_delete_and_undo_restores(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    ann = lib.annotate(aid, quote="Trade with the EU", color="green", note="keep me",
                       tags=["t"])
    panel.load_article(aid)
    panel.select_annotation(ann.id)
    with qtbot.waitSignal(panel.annotationsChanged):
        panel.delete_btn.click()
    assert lib.annotations(aid) == [] and panel.model.rowCount() == 0
    assert reader._layers.layers["highlights"] == []
    panel.activateWindow()
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = lib.annotations(aid)
    assert [r.annotation.note for r in back] == ["keep me"] and back[0].annotation.id == ann.id
    assert panel.model.rowCount() == 1 and len(reader._layers.layers["highlights"]) == 1
    assert panel.undo_action.isEnabled() is False and panel.redo_action.isEnabled()


def test_orphan_flagged_and_reattached(reader, panel, reader_lib):
    lib, aid = reader_lib
    ann = lib.annotate(aid, quote="Trade with the EU", color="pink")
    lib.store.update_annotation(ann.id, anchor=Anchor(0, 5, "words no longer here", "", ""))
    panel.load_article(aid)
    ra = panel.model.items[0]
    assert status_of(ra) == "orphaned"
    assert panel.model.data(panel.model.index(0), Qt.ItemDataRole.ToolTipRole) == ORPHAN_TEXT
    panel.select_annotation(ann.id)
    assert panel.orphan_label.isVisibleTo(panel) and panel.reattach_btn.isVisibleTo(panel)
    assert not panel.reattach_btn.isEnabled()
    s = reader.article.text.index("Energy")
    reader.select_range(s, s + 6)
    assert panel.reattach_btn.isEnabled()
    panel.reattach_btn.click()
    r = lib.annotations(aid)[0]
    assert r.resolution.status == "exact" and r.annotation.anchor.exact == "Energy"
    assert not panel.orphan_label.isVisibleTo(panel)


def test_article_note_and_empty_ones_are_dropped(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    ann = panel.add_article_note()
    assert ann.anchor is None and panel.current_annotation_id() == ann.id
    qtbot.keyClicks(panel.md.editor, "About the whole piece")
    panel.flush()
    empty = panel.add_article_note()
    panel.load_article(None)  # leaving the article drops the empty one
    notes = [r.annotation for r in lib.annotations(aid)]
    assert [n.note for n in notes] == ["About the whole piece"] and empty.id not in [
        n.id for n in notes]


def test_colour_change_repaints_reader(reader, panel, reader_lib):
    lib, aid = reader_lib
    ann = lib.annotate(aid, quote="Trade with the EU", color="yellow")
    panel.load_article(aid)
    panel.select_annotation(ann.id)
    key = reader.palette_colors[2].key
    panel.color_buttons[key].click()
    assert lib.store.annotation(ann.id).color == key


def test_notes_model_contract(qtmodeltester, reader_lib):
    lib, aid = reader_lib
    lib.annotate(aid, quote="Trade with the EU", color="yellow")
    lib.annotate(aid, note="article")
    m = NotesModel()
    m.set_items(lib.annotations(aid))
    qtmodeltester.check(m, force_py=True)


def test_preview_loads_nothing_remote(panel):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument
    panel.md.set_markdown("![x](https://evil.example/t.gif) <img src='http://evil.example/a'>")
    assert panel.md.preview.loadResource(QTextDocument.ResourceType.ImageResource.value,
                                         QUrl("https://evil.example/t.gif")) is None


def test_preview_renders_sanitised_markdown(panel):
    panel.md.set_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    html = panel.md.preview.toHtml()
    assert "font-weight:700" in html.replace(" ", "") or "font-weight:600" in html.replace(" ", "")
    assert "alert(1)</script>" not in html and "javascript:" not in html


def test_palette_comes_from_core_with_meanings(reader):
    keys = [c.key for c in reader.palette_colors]
    assert keys[:2] == ["yellow", "green"]
    assert reader.palette_colors[0].name.startswith("Yellow — ")


def test_context_menu_highlights_selection(reader, panel, reader_lib):
    from ui.reader.menu import build_menu
    lib, aid = reader_lib
    s = reader.article.text.index("Energy")
    reader.select_range(s, s + 6)
    c = QTextCursor(reader.browser.document())
    c.setPosition(reader.omap.to_doc(s) + 1)
    menu = build_menu(reader, reader.browser.cursorRect(c).center())
    sub = next(a.menu() for a in menu.actions() if a.text() == "Highlight")
    sub.actions()[2].trigger()
    assert [r.annotation.color for r in lib.annotations(aid)] == ["blue"]
    assert panel.model.rowCount() == 1


def test_a_failing_save_keeps_the_note_and_retries(reader, panel, reader_lib, qtbot,
                                                   monkeypatch):
    """A busy or full library must not cost the user what they typed."""
    import ui.notes.panel as np_mod
    from core.errors import LibraryError
    lib, aid = reader_lib
    ann = lib.annotate(aid, quote="Trade with the EU", color="yellow")
    panel.load_article(aid)
    panel.select_annotation(ann.id)
    real = lib.update_annotation
    calls = {"n": 0}

    def flaky(ann_id, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise LibraryError("the library is busy in another Commonplace window")
        return real(ann_id, **kw)

    monkeypatch.setattr(lib, "update_annotation", flaky)
    monkeypatch.setattr(np_mod, "RETRY_DELAY_MS", 50)
    problems = []
    panel.saveProblem.connect(problems.append)
    qtbot.keyClicks(panel.md.editor, "my precious thought")
    panel.flush()
    assert problems and panel.unsaved() == {ann.id: "my precious thought"}
    qtbot.waitUntil(lambda: lib.store.annotation(ann.id).note == "my precious thought",
                    timeout=3000)
    assert panel.unsaved() == {}


def test_creating_a_highlight_can_be_undone_and_redone(reader, panel, reader_lib, qtbot):
    lib, aid = reader_lib
    panel.load_article(aid)
    text = lib.article(aid).text
    start = text.index("Trade with the EU")
    reader.select_range(start, start + len("Trade with the EU"))
    ann = reader.highlight_selection("yellow")
    assert ann is not None and [r.annotation.id for r in lib.annotations(aid)] == [ann.id]
    panel.undo_stack.undo()
    assert lib.annotations(aid) == []
    panel.undo_stack.redo()
    assert [r.annotation.id for r in lib.annotations(aid)] == [ann.id]
