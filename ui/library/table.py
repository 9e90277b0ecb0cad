"""The library list's view: a one-column QTableView with fixed-height rows and no headers.

Why not QListView: on every reset QListView lays out each row itself, asking the (Python)
model about every row — ~50 ms of CPU for a 20,000-article view. A table's rows are header
sections of one fixed size, so a reset costs a few milliseconds and only the visible rows are
ever asked for. It keeps QListView's `uniformItemSizes()` so callers can check that property.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)


class ArticleTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        vh = self.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setMinimumSectionSize(1)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

    def uniformItemSizes(self) -> bool:
        return True  # every row is one fixed-height header section

    def fit_rows(self) -> None:
        """Row height from the delegate (two lines of text), for the current font."""
        opt = QStyleOptionViewItem()
        opt.initFrom(self)
        opt.font = self.font()
        d = self.itemDelegate()
        h = d.sizeHint(opt, QModelIndex()).height()
        self.verticalHeader().setDefaultSectionSize(max(h, 1))

    def setItemDelegate(self, delegate) -> None:
        super().setItemDelegate(delegate)
        self.fit_rows()

    def changeEvent(self, e) -> None:
        super().changeEvent(e)
        if e.type() == QEvent.Type.FontChange:
            self.fit_rows()
