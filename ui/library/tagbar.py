"""The article's tags over the reader: one button per tag (click ✕ to remove) and a field that
completes from the library's tags (Enter adds). Changes go through the triage controller, so
each is one undoable step."""
from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class TagBar(QWidget):
    addRequested = Signal(int, str)     # article id, tag
    removeRequested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleTags")
        self.setAccessibleName("Article tags")
        self.article_id: int | None = None
        self.tags: list[str] = []
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(8, 3, 8, 3)
        self._lay.setSpacing(4)
        self.label = QLabel("Tags:", self)
        self._lay.addWidget(self.label)
        self._chips: list[QToolButton] = []
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Add a tag…")
        self.edit.setAccessibleName("Add a tag")
        self.edit.setMaximumWidth(220)
        self.names = QStringListModel(self)
        self.completer = QCompleter(self.names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(self.completer)
        self.edit.returnPressed.connect(self._add)
        self._lay.addWidget(self.edit)
        self._lay.addStretch(1)
        self.readonly = False

    def set_article(self, article_id: int | None, tags: list[str]) -> None:
        self.article_id, self.tags = article_id, list(tags)
        for c in self._chips:
            self._lay.removeWidget(c)
            c.hide()  # not painted again before the deferred delete runs
            c.deleteLater()
        self._chips = []
        for i, t in enumerate(self.tags):
            b = QToolButton(self)
            b.setText(f"{t}  ✕")
            b.setAccessibleName(f"Tag {t}")
            b.setToolTip(f"Remove the tag “{t}” (click); the library list filters by tags too")
            b.setAutoRaise(True)
            b.setEnabled(not self.readonly)
            b.clicked.connect(lambda _=False, tag=t: self._remove(tag))
            self._lay.insertWidget(1 + i, b)
            self._chips.append(b)
        self.edit.setEnabled(article_id is not None and not self.readonly)
        self.setVisible(article_id is not None)

    def set_names(self, names: list[str]) -> None:
        self.names.setStringList(names)

    def chip_texts(self) -> list[str]:
        return [c.text().removesuffix("  ✕") for c in self._chips]

    def _add(self) -> None:
        tag = self.edit.text().strip()
        if tag and self.article_id is not None:
            self.edit.clear()
            self.addRequested.emit(self.article_id, tag)

    def _remove(self, tag: str) -> None:
        if self.article_id is not None:
            self.removeRequested.emit(self.article_id, tag)
