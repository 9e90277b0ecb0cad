"""The main window: library list (left), reader (centre), entities and notes (right), search
field in the toolbar, background work in the status bar.

The window is built and shown before any library exists; `open_library` then opens it on a
worker and the reader and side panels are installed when it arrives. Dock shells exist from
the start so the saved layout can be restored before the first paint.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from ui.entities.recogniser import RecogniserController
from ui.library.exporting import ExportController
from ui.library.importing import ImportController
from ui.library.panel import LibraryPanel
from ui.library.sources import SourcesController
from ui.runner import ProgressStatus, Task, TaskManager
from ui.search.popup import SearchController, SearchField, SearchPopup
from ui.window import session
from ui.window.layout import FocusMode, PanelGuard
from ui.window.live import LiveLibrary
from ui.window.menus import build_menus
from ui.window.settings import DEFAULT_FONT_PT, Settings, clamp_font
from ui.window.upkeep import UpkeepController

if TYPE_CHECKING:
    from core.library import Library
    from ui.entities.panel import EntitiesPanel
    from ui.events import AppEvents
    from ui.notes.panel import NotesPanel
    from ui.reader.view import ReaderView


class MainWindow(QMainWindow):
    libraryReady = Signal()  # opening settled: list filled and first article shown, or failed
    articleShown = Signal(int)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.library: Library | None = None
        self.readonly = False
        self.reader: ReaderView | None = None
        self.entities_panel: EntitiesPanel | None = None
        self.notes_panel: NotesPanel | None = None
        self.setWindowTitle("Commonplace")
        self.setAccessibleName("Commonplace")
        self.setAcceptDrops(True)
        self.tasks = TaskManager(self)
        self.backup_timer = QTimer(self, interval=3_600_000)
        self.tasks.unhandled.connect(lambda label, e: self.show_message(f"{label} failed: {e}"))

        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName("Reading area")
        self.placeholder = QLabel("Opening library…", self.stack)
        self.placeholder.setAccessibleName("Reading area status")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack.addWidget(self.placeholder)
        self.setCentralWidget(self.stack)

        self.library_panel = LibraryPanel(self)
        self.library_panel.set_sort(self.settings.sort_key())
        self.library_panel.articleSelected.connect(self.show_article)
        self.library_panel.sortChanged.connect(self.settings.set_sort_key)
        self.library_dock = self._dock("libraryDock", "Library", self.library_panel,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        self.entities_dock = self._dock("entitiesDock", "Entities", None,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.notes_dock = self._dock("notesDock", "Notes", None,
                                     Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.notes_dock, self.entities_dock)
        self.entities_dock.raise_()

        self.toolbar = QToolBar("Search", self)
        self.toolbar.setObjectName("searchToolbar")
        self.toolbar.setAccessibleName("Search toolbar")
        self.toolbar.setMovable(False)
        self.search_field = SearchField(self.toolbar)
        for w in (_spacer(self.toolbar), self.search_field, _spacer(self.toolbar)):
            self.toolbar.addWidget(w)  # spacers centre the field over the reader
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.search_popup = SearchPopup(self)
        self.search = SearchController(self.search_field, self.search_popup, self)
        self.search.openRequested.connect(self.open_search_hit)
        self.upkeep = UpkeepController(self, self.tasks, self.search, lambda: self.library,
                                       lambda: self.readonly, self.show_message)
        self.backup_timer.timeout.connect(self.upkeep.daily_backup)
        self.events: AppEvents | None = None  # of the open library
        self._list_refresh = QTimer(self, singleShot=True, interval=300)
        self._list_refresh.timeout.connect(self.refresh_list)

        self.imports = ImportController(self, self.tasks, lambda: self.library)
        self.exports = ExportController(
            self, self.tasks, self.settings, lambda: self.library,
            lambda: self.reader.current_article_id() if self.reader else None,
            lambda text, ms: self.statusBar().showMessage(text, ms))
        self.recognisers = RecogniserController(self, self.tasks, lambda: self.library,
                                                self.show_message,
                                                self.upkeep.start_recognition)
        self.imports.message.connect(self.show_message)
        self.imports.imported.connect(self._after_import)
        self.sources = SourcesController(self, self.tasks, lambda: self.library, self.imports)

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Library mode")
        self.statusBar().setAccessibleName("Status bar")
        self.statusBar().addPermanentWidget(self.status_label)
        self.statusBar().addPermanentWidget(ProgressStatus(self.tasks, self))
        paste = QShortcut(QKeySequence.StandardKey.Paste, self)
        paste.activated.connect(self._paste_shortcut)

        self.theme = self.settings.theme()
        self.font_pt = self.settings.font_size()
        self.panel_guard = PanelGuard(self)  # side panels give way to the reading column
        self.focus_mode = FocusMode(self, self.panel_guard)
        self.menus = build_menus(self)
        self.live = LiveLibrary(self)  # triage, tags, notebook, progress, live refresh
        # a bound method, not a lambda: Qt drops the connection when this window is destroyed
        QApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.resize(1400, 900)
        self._restore_layout()
        self.set_theme(self.theme, save=False)
        if self.settings.focus_mode():  # once shown: what is hidden before that is not known
            QTimer.singleShot(0, self, lambda: self.focus_mode.set_active(True))

    # -- construction helpers ----------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget | None,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        if widget is None:
            widget = QLabel("", dock)
            widget.setAccessibleName(f"{title} (waiting for the library)")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _restore_layout(self) -> None:
        geo, state = self.settings.geometry(), self.settings.window_state()
        if geo is not None:
            self.restoreGeometry(geo)
        if state is None or not self.restoreState(state):
            self.resizeDocks([self.library_dock, self.entities_dock], [320, 330],
                             Qt.Orientation.Horizontal)

    # -- opening the library -----------------------------------------------------------------
    def open_library(self, path: str | None = None) -> Task:
        first = session.is_first_run(path)
        label = "Setting up your library (first run)" if first else "Opening library"
        self.placeholder.setText(label + "…")
        self.library_panel.set_status(label + "…")
        task = Task(session.open_library, path, label=label, progress_kw=None, cancel_kw=None)
        return self.tasks.start(task, self._library_opened, self._library_failed)

    def _library_failed(self, error: BaseException) -> None:
        self._library_opened(session.OpenOutcome(None, problem=str(error)))

    def _library_opened(self, outcome: session.OpenOutcome) -> None:
        self.library, self.readonly = outcome.library, outcome.readonly
        if outcome.problem:
            self._problem_dialog(outcome)
        if self.library is None:
            self.placeholder.setText("No library is open.\n\n" + outcome.problem)
            self.library_panel.set_status("The library could not be opened.")
            self.search.set_search(None, "No library is open.")
            self.libraryReady.emit()
            return
        self.status_label.setText("Read-only" if self.readonly else "")
        self.imports.set_enabled(not self.readonly)
        self.menus.set_library_actions(not self.readonly)
        self._install_reader(self.library)
        self.live.library_opened()
        last = self.settings.last_article()
        if last is None or not self.library_panel.model.contains(last):
            last = self.library_panel.model.article_id(0)
        self.show_article(last)
        self.focus_reader()
        if outcome.notice:
            self.show_message(outcome.notice)
        self.libraryReady.emit()
        self.upkeep.start_index_check()
        if not self.readonly:
            # A rolling daily copy in the library's backups/ folder; the call is a no-op once
            # today's copy exists, so checking hourly costs nothing for a window left open.
            self.backup_timer.start()
            QTimer.singleShot(60_000, self, self.upkeep.daily_backup)  # context: dies with the window

    def _problem_dialog(self, outcome: session.OpenOutcome) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Commonplace", "", parent=self)
        box.setAccessibleName("Library problem")
        if outcome.library is not None:
            box.setText("The library is open read-only.")
            box.setInformativeText(f"{outcome.problem}\n\nYou can read, search and export, "
                                   "but imports and notes cannot be saved.")
        else:
            box.setText("The library could not be opened.")
            box.setInformativeText(outcome.problem)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, does not block the event loop
        self.problem_box = box

    def _install_reader(self, library: Library) -> None:
        try:
            from ui.entities.panel import EntitiesPanel
            from ui.notes.panel import NotesPanel
            from ui.reader.view import ReaderView
        except ImportError as e:
            self.placeholder.setText(f"The reader is not available ({e}).")
            return
        from ui.events import events_for
        self.events = events = events_for(library)
        events.articlesChanged.connect(lambda _ids: self._list_refresh.start())
        events.libraryReplaced.connect(self._list_refresh.start)
        events.annotationsChanged.connect(self.refresh_notes_count)
        self.reader = reader = ReaderView(library, self.stack)
        reader.hidden_labels = self.settings.hidden_labels()  # legend chips left off
        reader.setAccessibleName(reader.accessibleName() or "Reader")
        self.focus_mode.adopt(reader.header)
        self.stack.addWidget(reader)
        self.stack.setCurrentWidget(reader)
        reader.set_theme(self.resolved_theme)
        reader.set_font_size(self.font_pt)
        reader.searchEntityRequested.connect(self.search_for)
        reader.importLinkRequested.connect(self._import_link)
        reader.stepRequested.connect(self.library_panel.step)  # n / p in the reader
        self.entities_panel = EntitiesPanel(reader, self.entities_dock)
        self.entities_dock.setWidget(self.entities_panel)
        self.notes_panel = notes = NotesPanel(library, reader, self.notes_dock)
        self.notes_dock.setWidget(notes)
        notes.saveProblem.connect(self.show_message)
        notes.set_readonly(self.readonly)
        # Writing a note or clicking a highlight should show the Notes tab, not leave it behind
        # the Entities tab while the keystrokes go to an editor the user cannot see.
        reader.annotationCreated.connect(
            lambda _id, write: self._show_notes(True) if write else None)
        reader.annotationActivated.connect(lambda _id: self._show_notes())
        # Undo/redo of note deletions lives in the Edit menu too, not only on Ctrl+Z in the panel.
        edit = self.menus.edit_menu
        first = edit.actions()[0]  # never empty: build_menus puts "Find in Article…" there
        notes.undo_action.setText("&Undo Note Change")
        notes.redo_action.setText("&Redo Note Change")
        edit.insertActions(first, [notes.undo_action, notes.redo_action])
        edit.insertSeparator(first)
        self.entity_actions = __import__("ui.entities.actions", fromlist=["install"]).install(self)
        self.search.entityRequested.connect(self.entity_actions.open_page)

    def _show_notes(self, focus_editor: bool = False) -> None:
        self.notes_dock.show()
        self.notes_dock.raise_()
        # the panel's own setFocus fails while its tab is hidden
        if focus_editor and self.notes_panel is not None:
            self.notes_panel.md.editor.setFocus()

    # -- articles ----------------------------------------------------------------------------
    def show_article(self, article_id: int | None, restore_scroll: bool = True) -> None:
        if self.reader is None:
            return
        self._save_scroll()
        self.reader.show_article(article_id)
        self.settings.set_last_article(article_id)
        self.library_panel.select_article(article_id)
        s = self.library_panel.model.summary(article_id) if article_id else None
        self.setWindowTitle(f"{s.title} — Commonplace" if s else "Commonplace")
        if article_id and restore_scroll:
            pos = self.settings.scroll_position(article_id) or \
                self.live.saved_position(article_id)  # the library's copy travels with it
            if pos:
                QTimer.singleShot(0, lambda: self._restore_scroll(article_id, pos))
        if article_id:
            self.articleShown.emit(article_id)

    def _restore_scroll(self, article_id: int, pos: int) -> None:
        if self.reader is not None and self.reader.current_article_id() == article_id:
            self.reader.set_scroll_position(pos)

    def reload_current(self) -> None:
        """Show the current article again (new entities), keeping the reading position."""
        if self.reader is None or self.reader.current_article_id() is None:
            return
        pos = self.reader.scroll_position()
        self.reader.show_article(self.reader.current_article_id())
        self.reader.set_scroll_position(pos)

    def _save_scroll(self) -> None:
        if self.reader is None:
            return
        aid = self.reader.current_article_id()
        if aid is not None:
            self.settings.set_scroll_position(aid, self.reader.scroll_position())
            self.live.save_progress(aid)

    def open_search_hit(self, hit, terms: list[str]) -> None:
        self.show_article(hit.article_id, restore_scroll=False)
        if self.reader is None or self.library is None:  # the reader comes with the library
            return
        self.reader.mark_terms(terms)
        if hit.kind == "annotation" and hit.annotation_id:
            for r in self.library.annotations(hit.article_id):
                if r.annotation.id == hit.annotation_id and r.resolution \
                        and not r.resolution.orphaned:
                    self.reader.scroll_to_range(r.resolution.start, r.resolution.end)
                    break
        self.reader.setFocus()

    def refresh_notes_count(self, article_id: int) -> None:
        if self.library is not None:
            self.library_panel.update_notes_count(article_id,
                                                  session.notes_count(self.library, article_id))

    def search_for(self, query: str) -> None:
        self.search_field.setText(query)
        self.focus_search()
        self.search.run_now()

    def refresh_list(self) -> None:
        """Re-read the library list after a change of articles (here, on a worker, or in
        another process), keeping the selection: the view's ids come from SQLite indexes in
        a few milliseconds and rows are read only as they are painted."""
        if self.library is not None:
            self.live.refresh()

    def _import_link(self, url: str) -> None:
        """A link imported from the reader joins the library; the open article stays open."""
        self.imports.import_sources([url])

    def _after_import(self, results: list) -> None:
        self.live.after_import(results)  # the reader stays; the status bar offers "Open"

    # -- focus, theme, font ------------------------------------------------------------------
    def focus_search(self) -> None:
        self.focus_mode.set_active(False)  # asking for a panel or the search leaves focus mode
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def focus_dock(self, dock: QDockWidget) -> None:
        self.focus_mode.set_active(False)
        dock.show()
        dock.raise_()
        w = dock.widget()
        target = getattr(w, "view", None) or w
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_reader(self) -> None:
        (self.reader or self.placeholder).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_theme(self, name: str, save: bool = True) -> None:
        from ui.theme.palette import apply_theme
        self.theme = name
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # a widget exists, so the app is a QApplication
        self.resolved_theme = apply_theme(app, name)
        if self.reader is not None:
            self.reader.set_theme(self.resolved_theme)
        if save:
            self.settings.set_theme(name)
        self.menus.check_theme(name)

    def _system_scheme_changed(self, _scheme) -> None:
        if self.theme == "system":
            self.set_theme("system", save=False)

    def set_font_size(self, pt: int) -> None:
        self.font_pt = clamp_font(pt)
        if self.reader is not None:
            self.reader.set_font_size(self.font_pt)
        self.settings.set_font_size(self.font_pt)
        self.panel_guard.schedule()  # larger text needs a wider column
        self.show_message(f"Text size {self.font_pt} pt")

    def zoom(self, delta: int) -> None:
        self.set_font_size(DEFAULT_FONT_PT if delta == 0 else self.font_pt + delta)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # -- events ------------------------------------------------------------------------------
    def _paste_shortcut(self) -> None:
        """Ctrl+V outside text fields (they take it first), the read-only reader included:
        import the link on the clipboard."""
        if self.imports.act_paste.isEnabled():
            self.imports.paste_url()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.imports.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self.imports.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.imports.drop(event.mimeData()):
            event.acceptProposedAction()

    def keyPressEvent(self, e) -> None:
        if e.key() == Qt.Key.Key_Escape and self.focus_mode.active:
            self.focus_mode.set_active(False)  # Esc, as well as F11, leaves focus mode
            return
        super().keyPressEvent(e)

    def event(self, e: QEvent) -> bool:
        if e.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest) and \
                self.search_popup.isVisible():
            QTimer.singleShot(0, lambda: self.search_popup.place(self.search_field))
        return super().event(e)

    def save_state(self) -> None:
        self.settings.set_geometry(self.saveGeometry())
        # the layout the user chose, not focus mode's or the panels collapsed for room
        shown = [] if self.focus_mode.active else self.panel_guard.shown_for_saving()
        self.settings.set_window_state(self.focus_mode.state or self.saveState())
        for d in shown:
            d.setVisible(False)
        if self.reader is not None:
            self.settings.set_hidden_labels(self.reader.hidden_labels)
        self._save_scroll()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.notes_panel is not None:
            self.notes_panel.flush()  # the last keystrokes of a note are saved before closing
            self.notes_panel.lane.wait(10000)
            self.upkeep.rescue_unsaved_notes(self.notes_panel.unsaved(),
                                             self.settings.q.fileName())
        self.save_state()
        self.live.stop()
        self.tasks.cancel_all()
        self.tasks.wait(10000)
        self.search.wait(5000)
        if self.library is not None:
            if self.events is not None:
                self.events.detach()
            self.library.close()
            self.library = None
        super().closeEvent(event)


def _spacer(parent: QWidget) -> QWidget:
    w = QWidget(parent)
    w.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return w
