"""Getting articles in: File ▸ Import, drag and drop, pasting a link.

Every route ends in `ImportController.import_sources`, which runs `Library.import_sources` as a
background task. Failures are listed in a dock ("source: reason"), never in message boxes: a
batch of 200 files with 3 bad ones should not mean 3 dialogs to click through.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.models import ImportResult
from ui.runner import Task, TaskManager

if TYPE_CHECKING:
    from core.library import Library

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
FILE_FILTER = ("Articles (*.txt *.md *.markdown *.html *.htm *.xhtml *.pdf *.epub);;"
               "Other apps' exports (*.csv *.json *.zip *.html);;All files (*)")


def urls_in_text(text: str) -> list[str]:
    return [u.rstrip(".,;)]}>") for u in _URL.findall(text or "")]


def sources_from_mime(mime: QMimeData) -> list[str]:
    """Local files/folders as paths, web links as URLs; plain text is searched for links."""
    out: list[str] = []
    if mime.hasUrls():
        for url in mime.urls():
            if url.isLocalFile():
                out.append(url.toLocalFile())
            elif url.scheme() in ("http", "https"):
                out.append(url.toString())
    if not out and mime.hasText():
        out = urls_in_text(mime.text())
    return list(dict.fromkeys(out))


def _short(sources: list[str]) -> str:
    if len(sources) > 1:
        return f"{len(sources)} sources"
    src = sources[0]
    return src if _URL.match(src) else (PurePath(src).name or src)


class ImportProblemsDock(QDockWidget):
    """Dismissible list of "source: reason" lines from the last imports."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Import problems", parent)
        self.setObjectName("importProblemsDock")
        self.setAccessibleName("Import problems")
        body = QWidget(self)
        self.summary = QLabel(body)
        self.summary.setAccessibleName("Import problems summary")
        self.summary.setWordWrap(True)
        self.list = QListWidget(body)
        self.list.setAccessibleName("Import problems list")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        clear = QPushButton("Clear", body)
        clear.setAccessibleName("Clear import problems")
        clear.clicked.connect(self.clear)
        dismiss = QPushButton("Dismiss", body)
        dismiss.setAccessibleName("Dismiss import problems")
        dismiss.clicked.connect(self.hide)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(clear)
        row.addWidget(dismiss)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(6, 4, 6, 6)
        lay.addLayout(row)
        lay.addWidget(self.list, 1)
        self.setWidget(body)

    def add_failures(self, failures: list[ImportResult]) -> None:
        if not failures:
            return
        for r in failures:
            self.list.addItem(f"{r.source}: {r.error or 'failed'}")
        self.list.scrollToBottom()
        n = self.list.count()
        self.summary.setText(f"{n} source{'s' if n != 1 else ''} could not be imported.")
        was_hidden = self.isHidden()
        self.show()
        self.raise_()
        win = self.parentWidget()
        if was_hidden and isinstance(win, QMainWindow) and not self.isFloating():
            rows = min(max(n, 2), 6)  # as tall as a few lines, never half the window
            height = self.summary.sizeHint().height() + rows * self.list.fontMetrics().height() + 40
            win.resizeDocks([self], [height], Qt.Orientation.Vertical)

    def clear(self) -> None:
        self.list.clear()
        self.hide()


class UrlDialog(QDialog):
    """One or more links, one per line."""

    def __init__(self, parent: QWidget | None = None, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Import from the web")
        self.setAccessibleName("Import from the web")
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName("Links to import, one per line")
        self.edit.setPlaceholderText("https://example.com/article\n(one link per line)")
        self.edit.setPlainText(initial)
        self.edit.setTabChangesFocus(True)
        label = QLabel("&Links (one per line):", self)
        label.setBuddy(self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.edit)
        lay.addWidget(buttons)
        self.resize(520, 220)

    def urls(self) -> list[str]:
        return urls_in_text(self.edit.toPlainText())


class ImportController(QObject):
    """Owns the import actions and the problems dock; `imported(results)` after each batch."""

    imported = Signal(list)
    message = Signal(str)  # one-line status-bar summary

    def __init__(self, window: QMainWindow, tasks: TaskManager,
                 library: Callable[[], Library | None]) -> None:
        super().__init__(window)
        self.window, self.tasks, self._library = window, tasks, library
        self.problems = ImportProblemsDock(window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problems.hide()
        self.act_files = QAction("&Import Files…", self)
        self.act_files.setShortcut(QKeySequence.StandardKey.Open)
        self.act_files.triggered.connect(self.choose_files)
        self.act_folder = QAction("Import &Folder…", self)
        self.act_folder.triggered.connect(self.choose_folder)
        self.act_url = QAction("Import from the &Web…", self)
        self.act_url.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.act_url.triggered.connect(self.ask_urls)
        # The label shows Ctrl+V; the key itself is a window shortcut that defers to text fields
        # and the reader (see MainWindow), so the menu item carries no shortcut of its own.
        self.act_paste = QAction("&Paste Link\tCtrl+V", self)
        self.act_paste.triggered.connect(self.paste_url)
        self.actions = [self.act_files, self.act_folder, self.act_url, self.act_paste]
        self.tag_folders = False  # File ▸ Tag Imports with Folder Names
        for a in self.actions:
            a.setStatusTip(a.text().replace("&", "").split("\t")[0])
        self.set_enabled(False)

    def set_enabled(self, on: bool) -> None:
        for a in self.actions:
            a.setEnabled(on)

    # -- routes in ---------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import files", "", FILE_FILTER)
        if paths:
            self.import_sources(paths)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "Import a folder")
        if path:
            self.import_sources([path])

    def ask_urls(self, initial: str = "") -> UrlDialog:
        dlg = UrlDialog(self.window, initial if isinstance(initial, str) else "")
        dlg.accepted.connect(lambda: self.import_sources(dlg.urls()))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    def paste_url(self) -> bool:
        urls = urls_in_text(QGuiApplication.clipboard().text())
        if not urls:
            self.message.emit("The clipboard holds no web link to import.")
            return False
        self.import_sources(urls)
        return True

    def accepts(self, mime: QMimeData) -> bool:
        return self.act_files.isEnabled() and bool(sources_from_mime(mime))

    def drop(self, mime: QMimeData) -> bool:
        sources = sources_from_mime(mime)
        if not sources or not self.act_files.isEnabled():
            return False
        self.import_sources(sources)
        return True

    # -- the work ----------------------------------------------------------------------------
    def import_sources(self, sources: list[str]) -> Task | None:
        lib = self._library()
        if lib is None or not sources:
            return None
        # The one import road: store, then recognise entities, then index — the same phases,
        # progress and cancel as `main.py import`; new articles are listed as they land.
        task = Task(lib.import_sources, list(sources), label=f"Importing {_short(sources)}",
                    tag_folders=self.tag_folders)
        return self.tasks.start(task, self._done, self._failed)

    def _done(self, results: list[ImportResult]) -> None:
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts = [f"{counts[k]} {k}" for k in ("imported", "updated", "duplicate", "failed")
                 if counts.get(k)]
        notes = [r.error for r in results if r.status in ("imported", "updated")
                 and "image " in r.error and " skipped: " in r.error]
        tail = f" — {notes[0]}" if notes else ""  # pictures skipped: said, never a failure
        self.message.emit("Import: " + (", ".join(parts) if parts else "nothing to import")
                          + tail)
        failures = [r for r in results if r.status == "failed"]
        if failures:
            self.problems.add_failures(failures)
        self.imported.emit(results)

    def _failed(self, error: BaseException) -> None:
        self.problems.add_failures([ImportResult("import", "failed", error=str(error))])
        self.message.emit(f"Import stopped: {error}")
