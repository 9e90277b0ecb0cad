"""File ▸ Export…: choose what (this article or the whole library), the format and the folder;
the export runs on a worker and the status bar offers to open the folder when it is done."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.library import Library
from ui.runner import Task, TaskManager
from ui.window.settings import Settings

FORMATS = [("markdown", "Markdown (Obsidian-friendly)"), ("json", "W3C Web Annotation JSON")]


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget, settings: Settings, article_title: str | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Notes and Highlights")
        self.setAccessibleName("Export notes and highlights")
        self.current = QRadioButton(f"This article: {article_title}" if article_title
                                    else "This article", self)
        self.current.setEnabled(article_title is not None)
        self.everything = QRadioButton("The whole library (one file per article, plus an index)",
                                       self)
        (self.current if article_title else self.everything).setChecked(True)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Export format")
        for key, label in FORMATS:
            self.format.addItem(label, key)
        self.format.setCurrentIndex([k for k, _ in FORMATS].index(settings.export_format()))
        self.folder = QLineEdit(settings.export_dir() or str(Path.home() / "Commonplace export"),
                                self)
        self.folder.setAccessibleName("Export folder")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Folder:", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.current)
        lay.addWidget(self.everything)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if d:
            self.folder.setText(d)

    def choice(self) -> tuple[bool, str, Path]:
        """(whole library?, format, folder)."""
        return (self.everything.isChecked(), self.format.currentData(),
                Path(self.folder.text()).expanduser())


class ExportController:
    def __init__(self, window: QWidget, tasks: TaskManager, settings: Settings,
                 library: Callable[[], Library | None], current_article: Callable[[], int | None],
                 status: Callable[[str, int], None]) -> None:
        self.window, self.tasks, self.settings = window, tasks, settings
        self.library, self.current_article, self.status = library, current_article, status
        self.last_folder: Path | None = None

    def run_dialog(self) -> None:
        lib = self.library()
        if lib is None:
            return
        aid = self.current_article()
        title = lib.summary(aid).title if aid is not None else None
        dlg = ExportDialog(self.window, self.settings, title)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        whole, fmt, folder = dlg.choice()
        self.start(lib, None if whole else [aid], fmt, folder)

    def start(self, lib: Library, article_ids: list[int] | None, fmt: str, folder: Path) -> Task:
        from core.export import export_library
        self.settings.set_export_dir(str(folder))
        self.settings.set_export_format(fmt)
        task = Task(export_library, lib, folder, article_ids, fmt=fmt,
                    label=f"Exporting to {folder.name}…", progress_kw=None, cancel_kw=None)
        return self.tasks.start(task, lambda paths: self._done(folder, paths), self._failed)

    def _done(self, folder: Path, paths: list[Path]) -> None:
        self.last_folder = folder
        self.status(f"Exported {len(paths)} file(s) to {folder}", 10000)

    def _failed(self, error: BaseException) -> None:
        self.status(f"Export failed: {error}", 15000)

    def open_folder(self) -> None:
        if self.last_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_folder)))
