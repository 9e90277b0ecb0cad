"""View ▸ Entity Recogniser…: choose the built-in recogniser, rules only, or any spaCy pipeline
installed on this machine (e.g. en_core_web_trf) or a pipeline folder. The choice is stored in
the library; a pipeline that does not load is refused with its reason and nothing changes."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.library import Library
from ui.runner import Task, TaskManager

BUILTIN, RULES, OTHER = "", "rules", "\x00other"


class RecogniserDialog(QDialog):
    def __init__(self, parent: QWidget, current: str, installed: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Entity Recogniser")
        self.setAccessibleName("Entity recogniser")
        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Recogniser")
        self.choice.addItem("Built-in (trained model + rules, offline)", BUILTIN)
        self.choice.addItem("Rules only (fastest, less accurate)", RULES)
        for name in installed:
            self.choice.addItem(f"spaCy pipeline: {name}", name)
        self.choice.addItem("Another spaCy pipeline (name or folder)…", OTHER)
        self.other = QLineEdit(self)
        self.other.setAccessibleName("spaCy pipeline name or folder")
        self.other.setPlaceholderText("e.g. en_core_web_trf or /path/to/pipeline")
        self.browse = QPushButton("Folder…", self)
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.other, 1)
        row.addWidget(self.browse)
        known = [self.choice.itemData(i) for i in range(self.choice.count())]
        if current in known:
            self.choice.setCurrentIndex(known.index(current))
        else:
            self.choice.setCurrentIndex(self.choice.count() - 1)
            self.other.setText(current)
        self.choice.currentIndexChanged.connect(self._sync)
        form = QFormLayout()
        form.addRow("Recogniser:", self.choice)
        form.addRow("Pipeline:", row)
        note = QLabel("Changing the recogniser re-recognises every article in the background. "
                      "Your corrections are kept.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(buttons)
        self._sync()

    def _sync(self) -> None:
        other = self.choice.currentData() == OTHER
        self.other.setEnabled(other)
        self.browse.setEnabled(other)

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "spaCy pipeline folder")
        if d:
            self.other.setText(d)

    def selected(self) -> str:
        data = self.choice.currentData()
        return self.other.text().strip() if data == OTHER else data


class RecogniserController:
    def __init__(self, window: QWidget, tasks: TaskManager,
                 library: Callable[[], Library | None], status: Callable[[str], None],
                 recognise_all: Callable[[], object]) -> None:
        self.window, self.tasks, self.library = window, tasks, library
        self.status, self.recognise_all = status, recognise_all

    def run_dialog(self) -> None:
        lib = self.library()
        if lib is None:
            return
        from core.ner import installed_pipelines  # imports spaCy: not on the GUI thread
        task = Task(installed_pipelines, label="Looking for spaCy pipelines…",
                    progress_kw=None, cancel_kw=None)
        self.tasks.start(task, lambda names: self._ask(lib, names),
                         lambda e: self._ask(lib, []))

    def _ask(self, lib: Library, installed: list[str]) -> None:
        dlg = RecogniserDialog(self.window, lib.ner_pipeline(), installed)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        self.choose(lib, dlg.selected())

    def choose(self, lib: Library, name: str) -> Task:
        """Loading a pipeline can take seconds (transformers): off the GUI thread."""
        task = Task(lib.set_ner_pipeline, name, label="Loading the entity recogniser…",
                    progress_kw=None, cancel_kw=None)
        return self.tasks.start(task, lambda _: self._chosen(name),
                                lambda e: self.status(f"Recogniser not changed: {e}"))

    def _chosen(self, name: str) -> None:
        self.status(f"Entity recogniser: {name or 'built-in'}; re-recognising articles…")
        self.recognise_all()
