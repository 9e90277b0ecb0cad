"""Scope chips in the search popup: All / Articles / Notes / Highlights, the same as typing
`in:articles`, `in:notes` or `in:highlights`, without the syntax."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

SCOPES = [("All", ""), ("Articles", "in:articles"), ("Notes", "in:notes"),
          ("Highlights", "in:highlights")]


class ScopeChips(QWidget):
    changed = Signal(str)  # the scope words to put before the query ("" = all)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Search scope")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 0, 8, 2)
        lay.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for i, (label, _scope) in enumerate(SCOPES):
            b = QToolButton(self)
            b.setText(label)
            b.setCheckable(True)
            b.setAutoRaise(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the search field
            b.setAccessibleName(f"Search {label.lower()}")
            self.group.addButton(b, i)
            lay.addWidget(b)
        lay.addStretch(1)
        self.group.button(0).setChecked(True)
        self.group.idClicked.connect(lambda i: self.changed.emit(SCOPES[i][1]))

    def scope(self) -> str:
        return SCOPES[max(0, self.group.checkedId())][1]

    def select(self, index: int) -> None:
        self.group.button(index).click()
