"""Every result of a search: the "Show all N results" view.

A window over the main one listing every hit, loaded a page at a time as the list scrolls
(Qt's canFetchMore/fetchMore; each page is searched on a worker, the newest request winning,
so a slow page never stalls the window), with filters (articles / notes / highlights, site, tag,
published date range) and sort by relevance or date. Filters become the query's own scopes
(`in:`, `tag:`, `site:`, `published:[a to b]`), so the view shows exactly what the same query
typed in the field would. Enter or double-click opens a hit; Esc returns to the article.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from core.search import SearchHit, SearchResult
from ui.runner import Task, TaskManager
from ui.search.popup import HitDelegate, SearchResultsModel

PAGE = 50
# (query, limit, offset, sort) -> SearchResult
PagedSearch = Callable[[str, int, int, str], SearchResult]
KINDS = [("All", ""), ("Articles", "in:articles"), ("Notes", "in:notes"),
         ("Highlights", "in:highlights")]


class PagedResultsModel(SearchResultsModel):
    """Hits fetched PAGE at a time on a worker; `total` is what the search reported.
    `loaded` after each page (or a failure, in `error`)."""

    loaded = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.fn: PagedSearch | None = None
        # not `sort`: that is QAbstractItemModel.sort(), which views call
        self.query, self.order, self.total = "", "relevance", 0
        self.error = ""
        self.loading = False
        self._generation = 0  # a page of an older query is dropped
        self.runner = TaskManager(self, max_threads=1)

    def start(self, fn: PagedSearch, query: str, sort: str) -> None:
        self.fn, self.query, self.order = fn, query, sort
        self.total, self.error = 0, ""
        self._generation += 1
        self.loading = False
        self.set_hits([])
        self._fetch()

    def _fetch(self) -> None:
        if self.fn is None or not self.query.strip() or self.loading:
            return
        self.loading = True
        gen = self._generation
        task = Task(self.fn, self.query, PAGE, len(self.hits), self.order, label="Searching",
                    progress_kw=None, cancel_kw=None)
        self.runner.start(task, lambda res: self._arrived(gen, res, None),
                          lambda e: self._arrived(gen, None, e), key="page", quiet=True)

    def _arrived(self, gen: int, res: SearchResult | None, error: BaseException | None) -> None:
        if gen != self._generation:
            return
        self.loading = False
        if res is None:
            self.error, self.fn = str(error), None
            self.loaded.emit()
            return
        self.total = res.total
        if res.hits:
            first = len(self.hits)
            self.beginInsertRows(QModelIndex(), first, first + len(res.hits) - 1)
            self.hits.extend(res.hits)
            self.endInsertRows()
        else:
            self.total = len(self.hits)  # nothing more came: stop asking
        self.loaded.emit()

    def wait(self, msecs: int = 5000) -> bool:
        return self.runner.wait(msecs)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.fn is not None and not self.loading \
            and len(self.hits) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch()


class SearchResultsView(QDialog):
    """`openRequested(hit)` when a hit is chosen; the caller opens it in the reader."""

    openRequested = Signal(object)

    def __init__(self, fn: PagedSearch, query: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search results")
        self.setAccessibleName("All search results")
        self.fn = fn
        self._first_page = True
        self.query_edit = QLineEdit(query, self)
        self.query_edit.setAccessibleName("Search query")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Show")
        for label, _scope in KINDS:
            self.kind.addItem(label)
        self.site = QLineEdit(self)
        self.site.setPlaceholderText("site")
        self.site.setAccessibleName("Site filter")
        self.tag = QLineEdit(self)
        self.tag.setPlaceholderText("tag")
        self.tag.setAccessibleName("Tag filter")
        self.use_dates = QCheckBox("Published", self)
        self.date_from = QDateEdit(QDate(2000, 1, 1), self)
        self.date_to = QDateEdit(QDate.currentDate(), self)
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.sort = QComboBox(self)
        self.sort.setAccessibleName("Sort by")
        self.sort.addItems(["Relevance", "Date"])
        self.status = QLabel(self)
        self.status.setAccessibleName("Results status")
        self.model = PagedResultsModel(self)
        self.model.loaded.connect(self._loaded)
        self.view = QListView(self)
        self.view.setAccessibleName("Results list")
        self.view.setModel(self.model)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.activated.connect(lambda ix: self._open(ix.row()))
        bar = QHBoxLayout()
        for w in (self.kind, self.site, self.tag, self.use_dates, self.date_from,
                  QLabel("to", self), self.date_to, QLabel("Sort", self), self.sort):
            bar.addWidget(w)
        lay = QVBoxLayout(self)
        lay.addWidget(self.query_edit)
        lay.addLayout(bar)
        lay.addWidget(self.status)
        lay.addWidget(self.view, 1)
        self.query_edit.returnPressed.connect(self.refresh)
        for sig in (self.kind.currentIndexChanged, self.sort.currentIndexChanged,
                    self.use_dates.toggled, self.date_from.dateChanged, self.date_to.dateChanged):
            sig.connect(self.refresh)
        self.site.editingFinished.connect(self.refresh)
        self.tag.editingFinished.connect(self.refresh)
        self.resize(760, 560)
        self.refresh()

    def full_query(self) -> str:
        """The typed query with the filters as scopes."""
        parts = [KINDS[self.kind.currentIndex()][1]]
        if self.site.text().strip():
            parts.append(f'site:"{self.site.text().strip()}"')
        if self.tag.text().strip():
            parts.append("tag:" + self.tag.text().strip().replace(" ", ""))
        if self.use_dates.isChecked():
            a = self.date_from.date().toString("yyyy-MM-dd")
            b = self.date_to.date().toString("yyyy-MM-dd")
            parts.append(f"published:[{a} to {b}]")
        parts.append(self.query_edit.text().strip())
        return " ".join(p for p in parts if p)

    def refresh(self) -> None:
        sort = "date" if self.sort.currentIndex() == 1 else "relevance"
        self.status.setText("Searching…")
        self._first_page = True
        self.model.start(self.fn, self.full_query(), sort)
        self.view.setFocus()

    def _loaded(self) -> None:
        if self.model.error:
            self.status.setText(f"Search failed: {self.model.error}")
            return
        n = self.model.total
        self.status.setText(f"{n} result{'s' if n != 1 else ''}")
        if self._first_page and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._first_page = False

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.hits):
            hit: SearchHit = self.model.hits[row]
            self.openRequested.emit(hit)
            self.accept()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view.hasFocus():
            self._open(self.view.currentIndex().row())
            return
        super().keyPressEvent(event)  # Esc closes (reject): back to the article
