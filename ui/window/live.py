"""The window's library life: triage and tags (with undo), the Notebook, reading progress,
imports that do not steal the reader, and a window that stays live when another process (a
CLI import, another window, a restore) changes the library.

Liveness: a worker thread polls SQLite's `PRAGMA data_version` on its own read-only connection
twice a second; the number changes whenever another connection commits. Commits this window
made itself (counted by the library's commit counter) are already shown through the app's
change events and are skipped; for anything else the GUI thread
re-reads the list's ids, the counts, the notebook and — if it changed — the open article and
its notes. The notes panel saves what was typed before it reloads, so nothing typed is lost.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QFileDialog, QMenu, QPushButton

from core.errors import CommonplaceError
from ui.library.tagbar import TagBar
from ui.library.triage import TriageController
from ui.notebook.view import NotebookView
from ui.runner import lane_for

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

POLL_S = 0.5


class DataVersionWatcher(QObject):
    """Emits `changed` (on the GUI thread) when another connection commits to the library."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, db_path, own: Callable[[int, int], bool] | None = None) -> None:
        """``own(after, upto)`` says whether commits after..upto were all this process's."""
        self.stop()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(str(db_path), self._stop, own),
                                        name="library-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    def _run(self, path: str, stop: threading.Event,
             own: Callable[[int, int], bool] | None) -> None:
        """Poll until stopped. A connection that fails (busy disk, file replaced by a restore)
        is reopened on the next tick rather than ending the watch. The counter is read after
        data_version, so a commit the version shows is never past the counter's number."""
        con, last, counted = None, None, -1
        while True:
            if con is None:
                try:
                    con = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, timeout=1,
                                          check_same_thread=False)
                    last = None
                except sqlite3.Error:
                    con = None
            if con is not None:
                try:
                    v = con.execute("PRAGMA data_version").fetchone()[0]
                    n = _commit_number(con)
                except sqlite3.Error:
                    con.close()
                    con = None
                else:
                    ours = own is not None and counted >= 0 and own(counted, n)
                    counted = n
                    if last is not None and v != last and not ours:
                        try:
                            self.changed.emit()
                        except RuntimeError:  # the window went away
                            break
                    last = v
            if stop.wait(POLL_S):
                break
        if con is not None:
            con.close()


def _commit_number(con: sqlite3.Connection) -> int:
    try:
        row = con.execute("SELECT n FROM commit_counter WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a library from before the counter
        return -1
    return int(row[0]) if row else -1


def _ignore_refused(e: BaseException) -> None:
    """A reading position the library refused (article gone, busy file) is not worth a word;
    anything else is a bug and is raised."""
    if not isinstance(e, CommonplaceError):
        raise e


class LiveLibrary(QObject):
    def __init__(self, w: MainWindow) -> None:
        super().__init__(w)
        self.w = w
        self.triage = TriageController(w)
        self.triage.changed.connect(self.after_change)
        self.triage.message.connect(w.show_message)
        self.watcher = DataVersionWatcher(self)
        self.watcher.changed.connect(self.external_change)
        self.tagbar: TagBar | None = None
        self.notebook = NotebookView(w.stack)
        self.notebook.hide()
        w.stack.addWidget(self.notebook)
        self.notebook.openRequested.connect(self.open_annotation)
        self.notebook.closeRequested.connect(self.show_reader)
        self.notebook.message.connect(w.show_message)
        self.notebook.exportRequested.connect(self.export_articles)
        self._seen: tuple | None = None
        # tag/site lists are re-read at most every 1.5 s while another process keeps writing
        self._choices_timer = QTimer(self, singleShot=True, interval=1500)
        self._choices_timer.timeout.connect(w.library_panel.refresh_choices)
        self._open_btn: QPushButton | None = None
        self.act_notebook = QAction("&Notebook", w, shortcut=QKeySequence("Ctrl+5"))
        self.act_notebook.triggered.connect(self.show_notebook)
        self.act_tag_folders = QAction("Tag Imports with &Folder Names", w, checkable=True)
        self.act_tag_folders.setChecked(w.settings.q.value("import/tag_folders", "false")
                                        in ("true", True))
        self.act_tag_folders.toggled.connect(self._tag_folders)
        self._tag_folders(self.act_tag_folders.isChecked())
        mb = w.menuBar()
        menus = {a.text(): a.menu() for a in mb.actions()}
        go = next(a for a in mb.actions() if a.text() == "&Go")
        mb.insertMenu(go, self.triage.menu)
        edit = w.menus.edit_menu
        first = edit.actions()[0]  # never empty: build_menus puts "Find in Article…" there
        edit.insertActions(first, [self.triage.undo_action, self.triage.redo_action])
        edit.insertSeparator(first)
        go_menu, file_menu = menus["&Go"], menus["&File"]
        assert isinstance(go_menu, QMenu) and isinstance(file_menu, QMenu)
        go_menu.addAction(self.act_notebook)
        file_menu.insertAction(file_menu.actions()[3], self.act_tag_folders)

    # -- opening -----------------------------------------------------------------------------
    def library_opened(self) -> None:
        w, lib = self.w, self.w.library
        if lib is None:
            return
        w.library_panel.set_library(lib, w.settings.library_view())
        w.library_panel.viewChanged.connect(w.settings.set_library_view)
        self.triage.set_enabled(not w.readonly)
        self.triage.attach(w.library_panel.view)
        if w.reader is not None:
            self.triage.attach(w.reader)
            self.tagbar = TagBar(w.reader)
            self.tagbar.readonly = w.readonly
            lay = w.reader.header.layout()
            assert isinstance(lay, QBoxLayout)  # the bars over the text stack vertically
            lay.insertWidget(0, self.tagbar)
            self.tagbar.addRequested.connect(lambda aid, t: self.triage.tag([aid], add=[t]))
            self.tagbar.removeRequested.connect(lambda aid, t: self.triage.tag([aid],
                                                                               remove=[t]))
            w.articleShown.connect(self._article_shown)
            if w.notes_panel is not None:  # Ctrl+Z in the reader: the latest change, any stack
                from ui.window.undo_order import UndoOrder
                self.undo_order = UndoOrder(self, self.triage.stack, w.notes_panel.undo_stack)
                w.reader.historyRequested.connect(
                    lambda d: self.undo_order.undo() if d < 0 else self.undo_order.redo())
            self._article_shown(w.reader.current_article_id())
        if not lib.readonly:
            from core.library import DB_NAME
            self.watcher.start(lib.path / DB_NAME, lib.only_own_commits)

    def stop(self) -> None:
        """Closing: stop watching, and let the last writes (the reading position saved on
        the way out, a triage action in flight) reach the library before it closes."""
        self.watcher.stop()
        if self.w.library is not None:
            lane_for(self.w.library).wait(10000)

    # -- after a change ----------------------------------------------------------------------
    def refresh(self) -> None:
        """App events said articles changed (an import, a restore, a worker's write): the
        list, its counts and choices, and an open notebook follow."""
        panel = self.w.library_panel
        if panel.model.library is None:
            return
        panel.refresh()
        if not self._choices_timer.isActive():
            self._choices_timer.start()
        if self.notebook.isVisible():
            self.notebook.refresh()

    def after_change(self, ids: list[int]) -> None:
        """Our own triage/tag change: the list follows, and if the article being read left
        the view, the next one in the list is shown."""
        w, panel = self.w, self.w.library_panel
        current = w.reader.current_article_id() if w.reader else None
        row = panel.model.row_of(current)
        panel.refresh(keep=[])
        panel.refresh_choices()
        if current is not None and not panel.model.contains(current) and \
                panel.model.rowCount() and row >= 0:
            nxt = panel.model.article_id(min(row, panel.model.rowCount() - 1))
            w.show_article(nxt)
        else:
            self._article_shown(current)
        if self.notebook.isVisible() or not ids:
            self.notebook.refresh()

    def external_change(self) -> None:
        """Another connection committed: re-read what the window shows."""
        w = self.w
        if w.library is None:
            return
        w.library_panel.refresh()
        if not self._choices_timer.isActive():
            self._choices_timer.start()
        if self.notebook.isVisible():
            self.notebook.refresh()
        aid = w.reader.current_article_id() if w.reader else None
        if aid is None:
            return
        try:
            s = w.library.summary(aid)
        except CommonplaceError:  # deleted for good elsewhere
            w.show_article(None)
            return
        seen = (s.updated, s.notes_count, tuple(s.tags))
        if self._seen is not None and seen != self._seen:
            if w.notes_panel is not None:
                w.notes_panel.load_article(aid)  # saves typed text first, keeps the editor
            if s.updated != self._seen[0] or s.notes_count != self._seen[1]:
                w.reload_current()
        self._article_shown(aid)

    def _article_shown(self, aid) -> None:
        if self.w.library is None:
            return
        s = self.w.library.summary(aid) if aid else None
        self._seen = (s.updated, s.notes_count, tuple(s.tags)) if s else None
        if self.tagbar is not None:
            self.tagbar.set_names([t for t, _n in self.w.library.all_tags()])
            self.tagbar.set_article(aid, s.tags if s else [])
        if self.w.stack.currentWidget() is self.notebook and aid:
            self.show_reader()

    # -- reading progress --------------------------------------------------------------------
    def saved_position(self, aid: int) -> int:
        try:
            return self.w.library.reading_position(aid) if self.w.library else 0
        except CommonplaceError:
            return 0

    def save_progress(self, aid: int) -> None:
        r, lib = self.w.reader, self.w.library
        if r is None or lib is None or lib.readonly or not r.omap.blocks:
            return
        r.ensure_layout()  # hit tests below the laid-out part of a long text say "the end"
        vp = r.browser.viewport()
        x = int(r.browser.document().rootFrame().frameFormat().leftMargin()) + 2
        bottom = r.browser.cursorForPosition(QPoint(x, max(0, vp.height() - 2))).position()
        sb = r.browser.verticalScrollBar()
        read_to = r.omap.to_text(bottom) if bottom >= r.omap.body_doc_start else 0
        if sb.value() >= sb.maximum() and sb.value() > 0:
            read_to = len(r.article.text) if r.article else read_to  # scrolled to the end
        lane_for(lib).submit(lib.set_reading_position, aid, r.scroll_position(),
                             read_to if sb.value() else 0, on_error=_ignore_refused)

    # -- imports -----------------------------------------------------------------------------
    def after_import(self, results: list) -> None:
        """The reader stays on its article; the status bar offers to open what came in."""
        new = [r.article_id for r in results if r.status in ("imported", "updated")
               and r.article_id]
        self.w.library_panel.refresh()
        self.w.library_panel.refresh_choices()
        if self.notebook.lib is not None:
            self.notebook.refresh_choices()
        if new:  # (entities were recognised on the import road itself)
            self._offer_open(new[0], len(new))

    def _offer_open(self, aid: int, n: int) -> None:
        sb = self.w.statusBar()
        if self._open_btn is not None:
            sb.removeWidget(self._open_btn)
            self._open_btn.deleteLater()
        btn = QPushButton("Open", sb)
        btn.setAccessibleName("Open the imported article")
        btn.setFlat(True)

        def open_it() -> None:
            self.w.show_article(aid)
            self._drop_open(btn)
        btn.clicked.connect(open_it)
        sb.addWidget(btn)
        self._open_btn = btn
        sb.showMessage(f"Imported {n} article(s)", 15000)
        QTimer.singleShot(15000, btn, lambda: self._drop_open(btn))

    def _drop_open(self, btn: QPushButton) -> None:
        if self._open_btn is btn:
            self.w.statusBar().removeWidget(btn)
            btn.deleteLater()
            self._open_btn = None

    def _tag_folders(self, on: bool) -> None:
        self.w.imports.tag_folders = on
        self.w.settings.q.setValue("import/tag_folders", "true" if on else "false")

    # -- notebook ----------------------------------------------------------------------------
    def show_notebook(self) -> None:
        if self.w.library is None:
            return
        if self.notebook.lib is not self.w.library:  # first time: filled when first shown
            self.notebook.set_library(self.w.library)
        else:
            self.notebook.refresh()
        self.w.stack.setCurrentWidget(self.notebook)
        self.notebook.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_reader(self) -> None:
        if self.w.reader is not None:
            self.w.stack.setCurrentWidget(self.w.reader)

    def open_annotation(self, article_id: int, annotation_id: int) -> None:
        self.show_reader()
        hit = SimpleNamespace(article_id=article_id, kind="annotation",
                              annotation_id=annotation_id)
        self.w.open_search_hit(hit, [])

    def export_articles(self, ids: list[int]) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Export the notebook's articles to",
                                                  self.w.settings.export_dir())
        if folder and self.w.library is not None:
            from pathlib import Path
            self.w.exports.start(self.w.library, ids, self.w.settings.export_format(),
                                 Path(folder))
