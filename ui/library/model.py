"""The library list as a Qt model over `ArticleSummary` rows fetched in one call.

Filtering and sorting happen here in Python over precomputed keys rather than through a
QSortFilterProxyModel: a proxy calls back into Python once per comparison (~300k calls to sort
20,000 rows), whereas `list.sort(key=...)` over cached keys takes a few milliseconds.
`data()` only reads the cached rows; it never touches the Library.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

from core.models import ArticleSummary

SORT_KEYS = ("added", "published", "title", "progress")
IdRole = Qt.ItemDataRole.UserRole + 1
SiteRole = Qt.ItemDataRole.UserRole + 2
DateRole = Qt.ItemDataRole.UserRole + 3
NotesRole = Qt.ItemDataRole.UserRole + 4
DetailRole = Qt.ItemDataRole.UserRole + 5  # "site · date · 3 notes", the row's second line

_Index = QModelIndex | QPersistentModelIndex


def display_date(s: ArticleSummary) -> str:
    """Published date if known, else the day it was added (ISO, date part only)."""
    return (s.published or s.added or "")[:10]


def detail_text(s: ArticleSummary) -> str:
    """Site (or author), date, reading time, progress or state, notes, tags."""
    parts = [p for p in (s.site or s.author, display_date(s)) if p]
    if s.words:
        parts.append(f"{s.reading_minutes} min")
    status = s.status
    if status == "in progress":
        parts.append(f"{s.progress}% read")
    elif status in ("read", "archive", "trash"):
        parts.append({"read": "read", "archive": "archived", "trash": "in trash"}[status])
    if s.notes_count:
        parts.append(f"{s.notes_count} note" + ("" if s.notes_count == 1 else "s"))
    if s.tags:
        parts.append(" ".join(f"#{t}" for t in s.tags))
    return " · ".join(parts)


class LibraryModel(QAbstractListModel):
    """All summaries (`_all`), the visible filtered+sorted subset (`_rows`)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._all: list[ArticleSummary] = []
        self._haystack: dict[int, str] = {}
        self._rows: list[ArticleSummary] = []
        self._row_of: dict[int, int] = {}
        self._filter = ""
        self._sort = "added"

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return s.title or "(untitled)"
        if role == IdRole:
            return s.id
        if role == DetailRole:
            return detail_text(s)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            d = detail_text(s)
            return f"{s.title}\n{d}" if role == Qt.ItemDataRole.ToolTipRole else f"{s.title}, {d}"
        if role == SiteRole:
            return s.site
        if role == DateRole:
            return display_date(s)
        if role == NotesRole:
            return s.notes_count
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({IdRole: QByteArray(b"articleId"), SiteRole: QByteArray(b"site"),
                      DateRole: QByteArray(b"date"), NotesRole: QByteArray(b"notes"),
                      DetailRole: QByteArray(b"detail")})
        return names

    # -- content -----------------------------------------------------------------------------
    def set_articles(self, summaries: list[ArticleSummary]) -> None:
        self._all = list(summaries)
        self._haystack = {s.id: f"{s.title}\n{s.site}\n{s.author}".casefold() for s in self._all}
        self._refresh()

    def set_filter(self, text: str) -> None:
        text = " ".join(text.casefold().split())
        if text != self._filter:
            self._filter = text
            self._refresh()

    def set_sort(self, key: str) -> None:
        key = key if key in SORT_KEYS else "added"
        if key != self._sort:
            self._sort = key
            self._refresh()

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def filter_text(self) -> str:
        return self._filter

    def total_count(self) -> int:
        return len(self._all)

    def _refresh(self) -> None:
        rows = self._all
        if self._filter:
            words = self._filter.split()
            hay = self._haystack
            rows = [s for s in rows if all(w in hay[s.id] for w in words)]
        else:
            rows = list(rows)
        if self._sort == "title":
            rows.sort(key=lambda s: (s.title.casefold(), s.id))
        elif self._sort == "published":
            rows.sort(key=lambda s: (s.published or "", s.id), reverse=True)
        elif self._sort == "progress":
            rows.sort(key=lambda s: (s.progress, s.added or "", s.id), reverse=True)
        else:
            rows.sort(key=lambda s: (s.added or "", s.id), reverse=True)
        self.beginResetModel()
        self._rows = rows
        self._row_of = {s.id: i for i, s in enumerate(rows)}
        self.endResetModel()

    # -- lookups -----------------------------------------------------------------------------
    def article_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, article_id: int | None) -> int:
        return self._row_of.get(article_id, -1) if article_id is not None else -1

    def summary(self, article_id: int) -> ArticleSummary | None:
        row = self.row_of(article_id)
        if row >= 0:
            return self._rows[row]
        return next((s for s in self._all if s.id == article_id), None)

    def contains(self, article_id: int) -> bool:
        return article_id in self._haystack

    def set_notes_count(self, article_id: int, count: int) -> None:
        """Update one row in place (no reset: keeps selection and scroll)."""
        s = self.summary(article_id)
        if s is None or s.notes_count == count:
            return
        s.notes_count = count
        row = self.row_of(article_id)
        if row >= 0:
            ix = self.index(row, 0)
            self.dataChanged.emit(ix, ix, [NotesRole, DetailRole, Qt.ItemDataRole.ToolTipRole,
                                           Qt.ItemDataRole.AccessibleTextRole])
