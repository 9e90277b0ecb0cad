"""The notebook's rows: a page-at-a-time model over `Library.notebook` (200 entries per page,
the first page straight from an index), so opening it on 10,000 annotations reads only what
is shown. Notes are rendered from Markdown when a row is first painted, and cached."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from core.notebook import NotebookEntry, NotebookQuery

PAGE = 200
EntryRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class NotebookModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.lib = None
        self.query = NotebookQuery()
        self.total = 0
        self.entries: list[NotebookEntry] = []

    def set_query(self, lib, query: NotebookQuery) -> None:
        """Count and read the first page (CommonplaceError for a bad filter: nothing changes)."""
        total = lib.notebook_count(query)
        first = lib.notebook(query, limit=PAGE)
        self.beginResetModel()
        self.lib, self.query, self.total, self.entries = lib, query, total, first
        self.endResetModel()

    def refresh(self) -> None:
        if self.lib is not None:
            keep = max(PAGE, len(self.entries))
            total = self.lib.notebook_count(self.query)
            rows = self.lib.notebook(self.query, limit=keep)
            self.beginResetModel()
            self.total, self.entries = total, rows
            self.endResetModel()

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self.entries)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self.entries) < self.total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid() or self.lib is None:
            return
        more = self.lib.notebook(self.query, limit=PAGE, offset=len(self.entries))
        if not more:
            self.total = len(self.entries)
            return
        n = len(self.entries)
        self.beginInsertRows(QModelIndex(), n, n + len(more) - 1)
        self.entries.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        if role == EntryRole:
            return e
        if role == Qt.ItemDataRole.DisplayRole:
            return e.quote if e.quote is not None else e.note
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            what = f"“{e.quote}”" if e.quote is not None else "Article note"
            return f"{what} — {e.article_title}, {e.created[:10]}" + \
                (f"; note: {e.note}" if e.note else "")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def entry(self, row: int) -> NotebookEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None
