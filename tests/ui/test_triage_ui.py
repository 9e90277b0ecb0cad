"""Issue 12 in the window: triage keys, undo, multi-select, tags, the notebook, live refresh."""
from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt

from tests.conftest import ROOT
from tests.ui.conftest import settle
from ui.runner import allow_gui_thread_writes


def ids_in_view(w) -> list[int]:
    m = w.library_panel.model
    return [m.article_id(r) for r in range(m.rowCount())]


def focus_list(w, qtbot):
    w.focus_dock(w.library_dock)
    qtbot.waitUntil(lambda: w.library_panel.view.hasFocus(), timeout=2000)


def test_opens_on_the_inbox_with_lazy_rows(window):
    panel = window.library_panel
    assert panel.viewbar.view() == "inbox"
    assert panel.model.rowCount() == 3
    assert panel.viewbar.view_box.currentText() == "Inbox (3)"
    detail = panel.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 5)
    assert "min" in detail  # reading time on every row


def test_archive_key_then_undo_from_the_edit_menu(window, qtbot):
    w = window
    focus_list(w, qtbot)
    first = w.reader.current_article_id()
    assert w.library_panel.selected_ids() == [first]
    qtbot.keyClick(w.library_panel.view, Qt.Key.Key_E)
    settle(qtbot, w.library)
    assert first not in ids_in_view(w)
    assert w.library.summary(first).state == "archive"
    assert w.reader.current_article_id() != first  # moved on to the next article
    undo = w.live.triage.undo_action
    assert undo in w.menus.edit_menu.actions() and undo.isEnabled()
    assert "Archive 1 article" in undo.text()
    undo.trigger()
    settle(qtbot, w.library)
    assert w.library.summary(first).state == "inbox"
    assert first in ids_in_view(w)


def test_delete_key_trashes_and_restores_whole(window, qtbot):
    w, lib = window, window.library
    aid = w.reader.current_article_id()
    with allow_gui_thread_writes():
        ann = lib.annotate(aid, quote=lib.article(aid).text.split()[1], note="mine", color="green")
    before = lib._store.annotations(aid)
    focus_list(w, qtbot)
    qtbot.keyClick(w.library_panel.view, Qt.Key.Key_Delete)
    settle(qtbot, w.library)
    assert lib.summary(aid).trashed_at
    w.library_panel.viewbar.set_view("trash")
    assert ids_in_view(w) == [aid]
    assert all(h.article_id != aid for h in lib.search("mine").hits)
    w.live.triage.undo_action.trigger()
    settle(qtbot, w.library)
    assert lib.summary(aid).trashed_at is None and lib._store.annotations(aid) == before
    assert ids_in_view(w) == []
    assert any(h.annotation_id == ann.id for h in lib.search("mine").hits)


def test_multi_select_archive_read_and_undo(window, qtbot):
    w = window
    panel = w.library_panel
    focus_list(w, qtbot)
    sm = panel.view.selectionModel()
    sm.select(panel.model.index(0, 0), sm.SelectionFlag.Select)
    sm.select(panel.model.index(1, 0), sm.SelectionFlag.Select)
    chosen = panel.selected_ids()
    assert len(chosen) == 2
    qtbot.keyClick(panel.view, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, w.library)
    assert all(w.library.summary(i).read_at for i in chosen)
    for r in range(2):
        sm.select(panel.model.index(r, 0), sm.SelectionFlag.Select)
    qtbot.keyClick(panel.view, Qt.Key.Key_E)
    settle(qtbot, w.library)
    assert [w.library.summary(i).state for i in chosen] == ["archive", "archive"]
    assert len(ids_in_view(w)) == 1
    w.live.triage.undo_action.trigger()
    settle(qtbot, w.library)
    assert set(chosen) <= set(ids_in_view(w)) and len(ids_in_view(w)) == 3
    assert [w.library.summary(i).state for i in chosen] == ["inbox", "inbox"]
    w.live.triage.undo_action.trigger()  # then the read mark
    settle(qtbot, w.library)
    assert not any(w.library.summary(i).read_at for i in chosen)
    w.live.triage.redo_action.trigger()
    settle(qtbot, w.library)
    assert all(w.library.summary(i).read_at for i in chosen)


def test_typing_e_in_a_text_field_does_not_archive(window, qtbot):
    w = window
    aid = w.reader.current_article_id()
    w.library_panel.filter_edit.setFocus()
    qtbot.keyClicks(w.library_panel.filter_edit, "e")
    assert w.library.summary(aid).state == "inbox"
    assert w.library_panel.filter_edit.text() == "e"


def test_tag_bar_adds_with_completion_removes_and_filters(window, qtbot):
    w, lib = window, window.library
    ids = lib.list_ids("all")
    with allow_gui_thread_writes():
        lib.tag_articles(ids[1:], add=["Defence policy"])
    w.live.external_change()
    w.library_panel.refresh_choices()
    aid = w.reader.current_article_id()
    bar = w.live.tagbar
    assert bar.isVisible() and bar.article_id == aid
    bar.edit.setFocus()
    qtbot.keyClicks(bar.edit, "defe")
    bar.completer.setCompletionPrefix("defe")
    assert bar.completer.currentCompletion() == "Defence policy"
    bar.edit.setText(bar.completer.currentCompletion())
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    settle(qtbot, w.library)
    assert lib.summary(aid).tags == ["Defence policy"]
    assert bar.chip_texts() == ["Defence policy"]
    w.library_panel.viewbar.set_tag("Defence policy")
    assert sorted(ids_in_view(w)) == sorted(ids)
    bar._chips[0].click()
    settle(qtbot, w.library)
    assert lib.summary(aid).tags == []
    assert aid not in ids_in_view(w)
    w.live.triage.undo_action.trigger()
    settle(qtbot, w.library)
    assert lib.summary(aid).tags == ["Defence policy"] and bar.chip_texts() == ["Defence policy"]


def test_notebook_filters_and_click_through(window, qtbot):
    w, lib = window, window.library
    ids = lib.list_ids("all")
    with allow_gui_thread_writes():
        a = lib.annotate(ids[0], quote=lib.article(ids[0]).text.split()[2], color="green",
                         note="**strong** evidence", tags=["proof"])
    with allow_gui_thread_writes():
        lib.annotate(ids[1], quote=lib.article(ids[1]).text.split()[1], color="yellow")
    with allow_gui_thread_writes():
        lib.annotate(ids[2], note="an article note")
    w.live.act_notebook.trigger()
    nb = w.live.notebook
    assert w.stack.currentWidget() is nb
    assert nb.model.rowCount() == 3 and "3 highlights" in nb.count_label.text()
    nb.colour.setCurrentIndex(nb.colour.findData("green"))
    qtbot.waitUntil(lambda: nb.model.rowCount() == 1, timeout=2000)
    assert nb.colour.currentText().endswith("evidence")
    nb.colour.setCurrentIndex(0)
    nb.words.setText("article note")
    nb.apply()
    assert nb.model.rowCount() == 1
    assert nb.model.entry(0).quote is None
    nb.words.clear()
    nb.tag.setCurrentText("proof")
    nb.apply()
    assert [e.id for e in nb.model.entries] == [a.id]
    nb.since.setText("not a date")
    qtbot.wait(250)
    assert [e.id for e in nb.model.entries] == [a.id]  # a bad date changes nothing
    nb.since.clear()
    nb.apply()
    rect = nb.list.visualRect(nb.model.index(0, 0))
    qtbot.mouseClick(nb.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.stack.currentWidget() is w.reader
    assert w.reader.current_article_id() == ids[0]


def test_another_process_importing_shows_up_in_the_open_window(window, qtbot, tmp_path):
    w = window
    src = tmp_path / "incoming"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text(f"Harbour report {i}\n\nThe harbour at dawn, day {i}, "
                                      "with boats coming in and nets drying on the quay.\n",
                                      encoding="utf-8")
    reading = w.reader.current_article_id()
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--library",
                        str(w.library.path), "import", str(src), "--no-entities", "--tag",
                        "harbour"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    # ~0.5 s when the machine is idle; generous for a loaded test machine
    qtbot.waitUntil(lambda: w.library_panel.model.rowCount() == 6, timeout=15000)
    assert w.reader.current_article_id() == reading
    assert "Inbox (6)" == w.library_panel.viewbar.view_box.currentText()
    qtbot.waitUntil(lambda: w.library_panel.viewbar.tag_box.findData("harbour") >= 0,
                    timeout=4000)


def test_reading_progress_is_saved_and_shown(window, qtbot):
    from tests.ui.conftest import make_doc
    w, lib = window, window.library
    other = w.reader.current_article_id()
    with allow_gui_thread_writes():
        long_id = lib.add_document(make_doc("A long read", [
            f"Paragraph {i} of a long article about tides, long enough to wrap in the reader."
            for i in range(120)])).article_id
    w.live.external_change()
    w.show_article(long_id)
    sb = w.reader.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: sb.maximum() > 0, timeout=3000)
    sb.setValue(sb.maximum() // 2)
    w.show_article(other)  # leaving an article saves where the reader was
    settle(qtbot, w.library)
    half = lib.summary(long_id).progress
    assert 25 <= half <= 75, half
    assert lib.summary(long_id).status == "in progress"
    model = w.library_panel.model
    qtbot.waitUntil(lambda: f"{half}% read" in model.index(model.row_of(long_id), 0).data(
        Qt.ItemDataRole.UserRole + 5), timeout=3000)  # the list follows the change record
    w.show_article(long_id)
    sb.setValue(sb.maximum())
    w.show_article(other)
    settle(qtbot, w.library)
    assert lib.summary(long_id).progress == 100


def test_typing_survives_another_process_changing_the_same_article(window, qtbot):
    w, lib = window, window.library
    aid = w.reader.current_article_id()
    word = lib.article(aid).text.split()[1]
    with allow_gui_thread_writes():
        ann = lib.annotate(aid, quote=word, color="yellow")
    w.live.external_change()
    w.notes_panel.select_annotation(ann.id)
    editor = w.notes_panel.md.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "typed while another process writes")
    assert w.notes_panel.unsaved()  # not saved yet
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--library", str(lib.path),
                        "annotate", str(aid), "--note", "from the command line"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    qtbot.waitUntil(lambda: w.notes_panel.model.rowCount() == 2, timeout=15000)
    assert lib._store.annotation(ann.id).note == "typed while another process writes"
    assert editor.toPlainText() == "typed while another process writes"
    assert w.reader.current_article_id() == aid


def test_the_window_skips_its_own_commits_but_not_another_writers(window, qtbot):
    from core.library import Library
    w = window
    seen: list[int] = []
    w.live.watcher.changed.connect(lambda: seen.append(1))
    aid = w.reader.current_article_id()
    qtbot.wait(1200)  # the watcher has its starting point
    seen.clear()
    for i in range(3):  # own writes, through the window's lane
        assert w.live.triage.tag([aid], add=[f"mine-{i}"])
        settle(qtbot, w.library)
    qtbot.wait(1200)  # two polls
    assert seen == []  # the change events already showed them
    with allow_gui_thread_writes():  # another writer (as another process would be)
        other = Library(w.library.path, seed=False)
        try:
            other.tag_articles([aid], add=["elsewhere"])
        finally:
            other.close()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
