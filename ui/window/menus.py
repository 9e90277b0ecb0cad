"""The menu bar: File, Edit, View, Go, Help. Platform-standard keys where Qt has them, so
shortcuts follow each desktop's conventions (Ctrl+O, Ctrl+F, Ctrl+Q/⌘Q, zoom keys)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

SK = QKeySequence.StandardKey
THEME_LABELS = (("system", "Follow &System"), ("light", "&Light"), ("dark", "&Dark"),
                ("sepia", "&Sepia"))

# The F1 sheet: every key the window and the reader answer to.
SHORTCUTS = [
    ("Ctrl+K", "Search articles and notes"), ("Ctrl+F", "Find in the article"),
    ("Alt+↓ / Alt+↑", "Next / previous article"),
    ("n / p", "Next / previous article (in the reader)"),
    ("Ctrl+1 … Ctrl+4", "Focus library, reader, notes, entities"), ("Ctrl+5", "Notebook"),
    ("Space / Shift+Space", "Page down / up in the reader"),
    ("PageDown / PageUp, ↓ / ↑", "Scroll the reader"), ("j / k", "Scroll down / up a line"),
    ("Home / End, Ctrl+Home / Ctrl+End", "Top / end of the article"),
    ("F7", "Caret browsing: a text cursor; Shift+arrows select text"),
    ("F11, Esc", "Focus mode: only the text / bring the panels back"),
    ("1 … 5", "Highlight the selection in colour 1–5"),
    ("Ctrl+Alt+N", "Add a note to the selection"),
    ("F3 / Shift+F3, Esc", "Next / previous match; close the find bar"),
    ("Ctrl+Shift+E", "Show or hide entity highlights"),
    ("E / Shift+E", "Archive / move to the Inbox"),
    ("Del / Shift+Del", "Move to the Trash / restore"),
    ("Shift+R / Shift+U", "Mark read / unread"), ("Shift+T", "Add a tag"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
    ("Ctrl+O", "Import files"), ("Ctrl+Shift+O", "Import from the web"),
    ("Ctrl+V", "Paste a link to import (outside text fields)"),
    ("Ctrl+E", "Export notes and highlights"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "Text size"), ("F1", "This list"), ("Ctrl+Q", "Quit"),
]


class Menus:
    def __init__(self, w: MainWindow) -> None:
        self.w = w
        mb = w.menuBar()
        mb.setAccessibleName("Menu bar")

        def act(text: str, slot, keys=None, tip: str = "") -> QAction:
            a = QAction(text, w)
            if keys is not None:
                seqs: list[QKeySequence] = []
                for k in keys if isinstance(keys, list) else [keys]:
                    seqs += [QKeySequence(k)] if isinstance(k, str) else QKeySequence.keyBindings(k)
                a.setShortcuts(list(dict.fromkeys(seqs)))
            a.setStatusTip(tip or text.replace("&", "").rstrip("…"))
            a.triggered.connect(slot)
            return a

        f = mb.addMenu("&File")
        for a in w.imports.actions[:3]:
            f.addAction(a)
        for a in w.sources.file_actions:  # other apps' exports, feeds, saved links
            f.addAction(a)
        f.addSeparator()
        self.export = act("&Export Notes and Highlights…", w.exports.run_dialog,
                          ["Ctrl+E"], tip="Export to Markdown files or W3C annotation JSON")
        f.addAction(self.export)
        f.addAction(act("Open E&xport Folder", w.exports.open_folder,
                        tip="Show the folder of the last export"))
        f.addSeparator()
        self.reindex = act("Rebuild Search &Index", self._reindex,
                           tip="Rebuild the search index from the library")
        self.recognise = act("&Recognise Entities", lambda: w.upkeep.start_recognition(),
                             tip="Find people, places and organisations where not done yet")
        f.addAction(self.reindex)
        f.addAction(self.recognise)
        self.choose_recogniser = act("Entity Recogniser…", w.recognisers.run_dialog,
                                     tip="Built-in, rules only, or an installed spaCy pipeline")
        f.addAction(self.choose_recogniser)
        self.store_images = act("Store Article &Images", self._toggle_images,
                                tip="Keep an imported article's pictures in the library (off: "
                                "text and captions only)")
        self.store_images.setCheckable(True)
        f.addAction(self.store_images)
        f.addSeparator()
        f.addAction(act("&Quit", w.close, SK.Quit))

        e = mb.addMenu("&Edit")
        self.edit_menu = e
        e.addAction(act("&Find in Article…",
                        lambda: w.reader.find_in_article() if w.reader else None, SK.Find))
        e.addAction(w.imports.act_paste)

        v = mb.addMenu("&View")
        for dock in (w.library_dock, w.entities_dock, w.notes_dock):
            v.addAction(dock.toggleViewAction())
        v.addAction(w.imports.problems.toggleViewAction())
        v.addSeparator()
        tm = v.addMenu("&Theme")
        self.theme_group = QActionGroup(w)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in THEME_LABELS:
            a = QAction(label, w, checkable=True)
            a.triggered.connect(lambda _=False, k=key: w.set_theme(k))
            self.theme_group.addAction(a)
            tm.addAction(a)
            self.theme_actions[key] = a
        v.addSeparator()
        v.addAction(act("&Larger Text", lambda: w.zoom(+1), [SK.ZoomIn, "Ctrl+="]))
        v.addAction(act("&Smaller Text", lambda: w.zoom(-1), [SK.ZoomOut]))
        v.addAction(act("&Actual Size", lambda: w.zoom(0), ["Ctrl+0"]))
        v.addSeparator()
        v.addAction(act("&Caret Browsing", self._caret, ["F7"],
                        tip="A text cursor in the reader: Shift+arrows select, 1–5 highlight"))
        v.addAction(w.focus_mode.action)

        g = mb.addMenu("&Go")
        g.addAction(act("&Next Article", lambda: w.library_panel.step(+1), ["Alt+Down"]))
        g.addAction(act("&Previous Article", lambda: w.library_panel.step(-1), ["Alt+Up"]))
        g.addSeparator()
        g.addAction(act("&Search", w.focus_search, ["Ctrl+K"]))
        g.addAction(act("&Library", lambda: w.focus_dock(w.library_dock), ["Ctrl+1"]))
        g.addAction(act("&Reader", w.focus_reader, ["Ctrl+2"]))
        g.addAction(act("N&otes", lambda: w.focus_dock(w.notes_dock), ["Ctrl+3"]))
        g.addAction(act("&Entities", lambda: w.focus_dock(w.entities_dock), ["Ctrl+4"]))

        h = mb.addMenu("&Help")
        h.addAction(act("&Keyboard Shortcuts", self._shortcuts, SK.HelpContents))
        h.addAction(act("&About Commonplace", self._about))
        self.set_library_actions(False)

    def set_library_actions(self, writable: bool) -> None:
        self.reindex.setEnabled(self.w.library is not None)
        self.export.setEnabled(self.w.library is not None)
        self.recognise.setEnabled(writable)
        self.choose_recogniser.setEnabled(writable)
        self.store_images.setEnabled(writable)
        self.store_images.setChecked(self.w.library is not None and self.w.library.store_images)

    def _toggle_images(self, on: bool) -> None:
        lib = self.w.library
        if lib is not None and not self.w.readonly:
            from ui.runner import lane_for
            lane_for(lib).submit(lib.set_store_images, bool(on),
                                 on_error=lambda e: self.w.show_message(
                                     f"Could not change the setting: {e}"))

    def _caret(self) -> None:
        """F7 anywhere: toggle the reader's caret and give it the keys."""
        r = self.w.reader
        if r is not None:
            from ui.reader.keys import toggle_caret
            toggle_caret(r)
            self.w.focus_reader()

    def check_theme(self, name: str) -> None:
        a = self.theme_actions.get(name)
        if a is not None:
            a.setChecked(True)

    def _reindex(self) -> None:
        from ui.runner import Task
        lib = self.w.library
        if lib is None:
            return
        self.w.search.set_search(None, "The search index is being rebuilt…")
        task = Task(lib.reindex, label="Rebuilding search index…", cancel_kw=None)
        self.w.tasks.start(task, self._reindexed, self.w.upkeep.index_failed)

    def _reindexed(self, n: int) -> None:
        self.w.show_message(f"Indexed {n} items.")
        self.w.upkeep.index_ready()

    def _shortcuts(self) -> None:
        rows = SHORTCUTS
        text = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          f"<table>{text}</table>", parent=self.w)
        box.setAccessibleName("Keyboard shortcuts")
        box.open()

    def _about(self) -> None:
        QMessageBox.about(self.w, "About Commonplace",
                          "<b>Commonplace</b><br>A local-first reader's notebook: articles, "
                          "entity highlights, passage notes and full-text search.")


def build_menus(w: MainWindow) -> Menus:
    return Menus(w)
