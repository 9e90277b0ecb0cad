"""The library list backed by the Library itself: a view (Inbox, Archive, All, Trash, Has
notes), tag and site filters, a sort and filter words become one `Library.list_ids` call (a few
milliseconds from SQLite indexes at 20,000 articles); rows are read 200 at a time only when
the view paints them. Nothing summarises every article at start.

Without a library (`set_articles`, used by tests and before opening) it behaves exactly like
`LibraryModel`, over rows held in memory.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from core.models import ArticleSummary
from ui.library.model import SORT_KEYS, DateRole, DetailRole, IdRole, LibraryModel, NotesRole

PAGE = 200
StatusRole = Qt.ItemDataRole.UserRole + 6  # "new" | "in progress" | "read" | "archive" | "trash"
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class LibraryViewModel(LibraryModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lib = None
        self._ids: list[int] = []
        self._pos: dict[int, int] = {}
        self._cache: dict[int, ArticleSummary] = {}
        self.view, self.site = "inbox", ""
        self.tags: tuple[str, ...] = ()
        self.feed = 0  # only this feed's articles (0: any)
        self.counts: dict[str, int] = {}

    # -- source ------------------------------------------------------------------------------
    @property
    def library(self):
        return self._lib

    def set_library(self, lib) -> None:
        self._lib = lib
        self.requery()

    def set_query(self, view: str | None = None, tags: tuple[str, ...] | None = None,
                  site: str | None = None, feed: int | None = None) -> None:
        if feed is not None:
            self.feed = feed
        if view is not None:
            self.view = view
        if tags is not None:
            self.tags = tuple(tags)
        if site is not None:
            self.site = site
        self.requery(counts=False)  # another view of the same data: the counts stand

    def requery(self, counts: bool = True) -> None:
        """Read the view's ids again (after a change here or in another process)."""
        if self._lib is None:
            self._refresh()
            return
        ids = self._lib.list_ids(self.view, tags=self.tags, site=self.site, order=self._sort,
                                 words=self._filter, feed=self.feed)
        if counts or not self.counts:
            self.counts = self._lib.view_counts()
        self.beginResetModel()
        self._ids = ids
        self._pos = {a: i for i, a in enumerate(ids)}
        self._cache = {}
        self.endResetModel()

    # -- LibraryModel API over the source ----------------------------------------------------
    def _refresh(self) -> None:
        if self._lib is None:
            super()._refresh()
        else:
            self.requery(counts=False)  # a sort or filter change

    def set_sort(self, key: str) -> None:
        key = key if key in SORT_KEYS else "added"
        if key != self._sort:
            self._sort = key
            self._refresh()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        # Qt's list layout calls this once or twice per row on every reset: keep it minimal
        if parent.isValid():
            return 0
        return len(self._ids) if self._lib is not None else len(self._rows)

    def _at(self, row: int) -> ArticleSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        aid = self._ids[row]
        s = self._cache.get(aid)
        if s is None and self._lib is not None:
            start = row - row % PAGE
            for r in self._lib.summaries(self._ids[start:start + PAGE]):
                self._cache[r.id] = r
            s = self._cache.get(aid)
        return s

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if self._lib is None:
            if role == StatusRole and index.isValid() and 0 <= index.row() < len(self._rows):
                return self._rows[index.row()].status
            return super().data(index, role)
        if not index.isValid() or index.column() != 0:
            return None
        if role == IdRole:
            return self._ids[index.row()] if 0 <= index.row() < len(self._ids) else None
        s = self._at(index.row())
        if s is None:
            return None
        if role == StatusRole:
            return s.status
        saved = self._rows
        self._rows = _One(index.row(), s)  # let the parent's data() read this one row
        try:
            return super().data(index, role)
        finally:
            self._rows = saved

    def article_id(self, row: int) -> int | None:
        if self._lib is None:
            return super().article_id(row)
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int | None) -> int:
        if self._lib is None:
            return super().row_of(article_id)
        return self._pos.get(article_id, -1) if article_id is not None else -1

    def summary(self, article_id: int) -> ArticleSummary | None:
        if self._lib is None:
            return super().summary(article_id)
        s = self._cache.get(article_id)
        if s is None:
            found = self._lib.summaries([article_id])
            s = found[0] if found else None
        return s

    def contains(self, article_id: int) -> bool:
        if self._lib is None:
            return super().contains(article_id)
        return article_id in self._pos

    def total_count(self) -> int:
        if self._lib is None:
            return super().total_count()
        if self._filter or self.tags or self.site:
            return self.counts.get(self.view, len(self._ids))
        return len(self._ids)

    def set_notes_count(self, article_id: int, count: int) -> None:
        if self._lib is None:
            super().set_notes_count(article_id, count)
            return
        self.refresh_rows([article_id])

    def refresh_rows(self, ids: list[int]) -> None:
        """Re-read these rows in place (no reset: selection and scroll stay)."""
        fresh: dict[int, ArticleSummary] = \
            {s.id: s for s in self._lib.summaries(ids)} if self._lib else {}
        for aid in ids:
            if aid in fresh and aid in self._cache:
                self._cache[aid] = fresh[aid]
            row = self.row_of(aid)
            if row >= 0:
                ix = self.index(row, 0)
                self.dataChanged.emit(ix, ix, [DetailRole, NotesRole, DateRole, StatusRole,
                                               Qt.ItemDataRole.DisplayRole])


class _One:
    """A stand-in row list holding one summary at one row (for LibraryModel.data)."""

    __slots__ = ("row", "s")

    def __init__(self, row: int, s: ArticleSummary) -> None:
        self.row, self.s = row, s

    def __len__(self) -> int:
        return self.row + 1

    def __getitem__(self, i: int) -> ArticleSummary:
        return self.s
