"""Left dock: the list of articles with a filter box and a sort choice.

Rows are two lines (title; site · date · notes) drawn by a small delegate with one fixed
height, so the view can use uniform item sizes and stay smooth at tens of thousands of rows.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from core.models import ArticleSummary
from ui.library.feeds_sidebar import FeedsSection
from ui.library.live_model import LibraryViewModel
from ui.library.model import DetailRole, IdRole
from ui.library.table import ArticleTable
from ui.library.viewbar import ViewBar

SORT_CHOICES = (("added", "Recently added"), ("published", "Published"), ("title", "Title"),
                ("progress", "Progress"))
FILTER_DELAY_MS = 80


class ArticleDelegate(QStyledItemDelegate):
    """Title in bold on the first line, details muted on the second; both elided."""

    PAD = 6

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        detail = QFont(option.font)
        detail.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.88))
        return title, detail

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        title, detail = self._fonts(option)
        h = QFontMetrics(title).height() + QFontMetrics(detail).height() + 2 * self.PAD + 2
        return QSize(200, h)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text_title = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active \
            else QPalette.ColorGroup.Inactive
        fg = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                               else QPalette.ColorRole.Text)
        muted = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        title_font, detail_font = self._fonts(opt)
        r = opt.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD, -self.PAD)
        painter.save()
        fm = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(fg)
        painter.drawText(QRect(r.left(), r.top(), r.width(), fm.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(text_title, Qt.TextElideMode.ElideRight, r.width()))
        dfm = QFontMetrics(detail_font)
        painter.setFont(detail_font)
        painter.setPen(opt.palette.color(group, muted))
        painter.drawText(QRect(r.left(), r.top() + fm.height() + 2, r.width(), dfm.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         dfm.elidedText(str(index.data(DetailRole) or ""),
                                        Qt.TextElideMode.ElideRight, r.width()))
        painter.restore()


class LibraryPanel(QWidget):
    """Emits `articleSelected(id)` when the current row changes (keyboard or mouse)."""

    articleSelected = Signal(int)
    sortChanged = Signal(str)
    viewChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Library")
        self.model = LibraryViewModel(self)
        self.viewbar = ViewBar(self)
        self.viewbar.changed.connect(self._query_changed)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by title, site or author")
        self.filter_edit.setAccessibleName("Filter articles")
        self.filter_edit.setClearButtonEnabled(True)
        self.sort_combo = QComboBox(self)
        self.sort_combo.setAccessibleName("Sort articles by")
        for key, text in SORT_CHOICES:
            self.sort_combo.addItem(text, key)
        self.view = ArticleTable(self)
        self.view.setAccessibleName("Articles")
        self.view.setModel(self.model)
        self.view.setItemDelegate(ArticleDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Number of articles")
        self.empty_label = QLabel(self)
        self.empty_label.setAccessibleName("Library status")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.sort_combo)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.viewbar)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.empty_label, 1)
        lay.addWidget(self.count_label)
        self.feeds = FeedsSection(self)  # subscriptions; a click shows one feed's articles
        self.feeds.feedChosen.connect(self._feed_chosen)
        lay.addWidget(self.feeds)
        self.view.hide()
        self.count_label.hide()

        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_filter)
        self.sort_combo.currentIndexChanged.connect(self._sort_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self._suppress = False
        self._loaded = False
        self._status = "Opening library…"
        self._update_labels()

    # -- content -----------------------------------------------------------------------------
    def set_articles(self, summaries: list[ArticleSummary], keep: int | None = None) -> None:
        """Replace the rows; the selection stays on `keep` (or the current article) if present."""
        keep = keep if keep is not None else self.current_article_id()
        self._loaded, self._status = True, ""
        self._suppress = True
        try:
            self.model.set_articles(summaries)
            self._select(keep)
        finally:
            self._suppress = False
        self._update_labels()

    def set_library(self, lib, view: str = "inbox") -> None:
        """Show `view` of the library, read lazily from it (nothing is summarised up front)."""
        self._loaded, self._status = True, ""
        self.viewbar.set_view(view)
        self.model.view = self.viewbar.view()
        self._suppress = True
        try:
            self.model.set_library(lib)
        finally:
            self._suppress = False
        self.viewbar.set_counts(self.model.counts)
        QTimer.singleShot(0, self, self.refresh_choices)  # tag/site lists after the first paint
        self._update_labels()

    def refresh(self, keep: list[int] | None = None) -> None:
        """Re-read the view (after a change here or in another process); the selection and
        the current row stay where they can."""
        keep = keep if keep is not None else self.selected_ids()
        current = self.current_article_id()
        self._suppress = True
        try:
            self.model.requery()
            self._select(current)
            sm = self.view.selectionModel()
            for aid in keep:
                row = self.model.row_of(aid)
                if row >= 0 and aid != current:
                    sm.select(self.model.index(row, 0), sm.SelectionFlag.Select)
        finally:
            self._suppress = False
        self.viewbar.set_counts(self.model.counts)
        self._update_labels()

    def refresh_choices(self) -> None:
        lib = self.model.library
        if lib is not None:
            self.viewbar.set_counts(self.model.counts)
            self.viewbar.set_choices(lib.all_tags(), lib.sites())

    def selected_ids(self) -> list[int]:
        """Selected articles in list order (the current one if nothing is selected)."""
        rows = sorted(ix.row() for ix in self.view.selectionModel().selectedIndexes())
        ids = [self.model.article_id(r) for r in rows]
        if not ids and self.current_article_id() is not None:
            ids = [self.current_article_id()]
        return [i for i in ids if i is not None]

    def _query_changed(self, view: str, tags: tuple, site: str) -> None:
        keep = self.current_article_id()
        self._suppress = True
        try:
            self.model.set_query(view, tags, site)
            self._select(keep)
        finally:
            self._suppress = False
        self.viewbar.set_counts(self.model.counts)
        self.viewChanged.emit(view)
        self._update_labels()

    def _feed_chosen(self, feed_id: int) -> None:
        """One feed's articles, whatever their state (the view goes to All; the reader may
        narrow it again); 0 shows the whole view."""
        self.model.feed = feed_id
        if feed_id and self.viewbar.view() != "all":
            self.viewbar.set_view("all")  # its signal re-reads the list with the feed
        else:
            self._query_changed(self.viewbar.view(), self.model.tags, self.model.site)

    def set_status(self, text: str) -> None:
        """What the empty list says while there are no rows ("" = the default hint)."""
        self._status = text
        self._update_labels()

    def set_sort(self, key: str) -> None:
        i = self.sort_combo.findData(key)
        if i >= 0:
            self.sort_combo.setCurrentIndex(i)

    def current_article_id(self) -> int | None:
        ix = self.view.currentIndex()
        return ix.data(IdRole) if ix.isValid() else None

    def select_article(self, article_id: int | None) -> bool:
        """Select without emitting `articleSelected` (the caller already shows it)."""
        self._suppress = True
        try:
            return self._select(article_id)
        finally:
            self._suppress = False

    def step(self, delta: int) -> int | None:
        """Move the selection by `delta` rows (Go ▸ Next/Previous); emits articleSelected."""
        n = self.model.rowCount()
        if n == 0:
            return None
        row = self.view.currentIndex().row()
        row = 0 if row < 0 else max(0, min(n - 1, row + delta))
        self.view.setCurrentIndex(self.model.index(row, 0))
        return self.model.article_id(row)

    def update_notes_count(self, article_id: int, count: int) -> None:
        self.model.set_notes_count(article_id, count)

    # -- internals ---------------------------------------------------------------------------
    def _select(self, article_id: int | None) -> bool:
        row = self.model.row_of(article_id)
        if row < 0:
            self.view.clearSelection()
            return False
        ix = self.model.index(row, 0)
        self.view.setCurrentIndex(ix)
        self._scroll_to(row)
        return True

    def _scroll_to(self, row: int, tries: int = 40) -> None:
        """Scroll to a row; while batched layout has not reached it yet, try again shortly."""
        ix = self.model.index(row, 0)
        if not ix.isValid():
            return
        if self.view.visualRect(ix).isValid() or tries <= 0 or not self.view.isVisible():
            self.view.scrollTo(ix, QAbstractItemView.ScrollHint.EnsureVisible)
            return
        aid = self.model.article_id(row)
        QTimer.singleShot(25, self, lambda: self._scroll_again(row, aid, tries - 1))

    def _scroll_again(self, row: int, aid: int | None, tries: int) -> None:
        if self.model.article_id(row) == aid:  # the list did not change meanwhile
            self._scroll_to(row, tries)

    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        keep = self.current_article_id()
        self._suppress = True
        try:
            self.model.set_filter(self.filter_edit.text())
            self._select(keep)
        finally:
            self._suppress = False
        self._update_labels()

    def _sort_changed(self) -> None:
        key = self.sort_combo.currentData()
        keep = self.current_article_id()
        self._suppress = True
        try:
            self.model.set_sort(key)
            self._select(keep)
        finally:
            self._suppress = False
        self.sortChanged.emit(key)

    def _current_changed(self, current: QModelIndex | QPersistentModelIndex, _prev) -> None:
        if self._suppress or not current.isValid():
            return
        self.articleSelected.emit(int(current.data(IdRole)))

    def _update_labels(self) -> None:
        total, shown = self.model.total_count(), self.model.rowCount()
        has_rows = shown > 0
        self.view.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        if not has_rows:
            if self.model.feed and not self.model.filter_text:
                self.empty_label.setText("No articles from this feed here yet.")
            elif (total or self.model.view != "inbox") and \
                    (self.model.filter_text or self.model.tags or self.model.site):
                self.empty_label.setText("No article matches the filter.")
            elif self.model.library is not None and self.model.view != "inbox":
                self.empty_label.setText({"archive": "The archive is empty.",
                                          "trash": "The trash is empty.",
                                          "notes": "No article has notes yet.",
                                          }.get(self.model.view, "No articles yet."))
            elif self._loaded and not self._status:
                self.empty_label.setText("No articles yet.\n\nDrop files or links on the "
                                         "window, or use File ▸ Import.")
            else:
                self.empty_label.setText(self._status)
        self.count_label.setVisible(self._loaded)
        noun = "article" if total == 1 else "articles"
        text = f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}"
        feed = self.feeds.chosen_title() if self.model.feed else ""
        self.count_label.setText(f"{text} from {feed}" if feed else text)
