"""The search field (Ctrl+K) with results as you type.

Typing restarts a short debounce; the query then runs on a one-thread pool and each run carries
a generation number, so a slow, stale search can never overwrite newer results. The results
list is an overlay child of the main window (not a popup window): it never steals keyboard
focus from the field, which forwards Up/Down/Enter/Escape to it.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from core.ner.names import display_name
from core.search import SearchHit, SearchResult
from ui.runner import Task, TaskManager

if TYPE_CHECKING:
    from ui.search.results import SearchResultsView

DEBOUNCE_MS = 120
RESULT_LIMIT = 30
HitRole = Qt.ItemDataRole.UserRole + 1
_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
_QUERY_WORD = re.compile(r"(?:\w+:)?(\"[^\"]*\"|[\w*?]+)", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "TO"}


def terms_for(hit: SearchHit, query: str) -> list[str]:
    """Words to mark in the reader: the words the snippet marked (the article's own spelling,
    e.g. "Šefčovič" for the query "sefcovic"), else the query's plain words."""
    seen: dict[str, str] = {}
    for m in _MARK.findall(hit.snippet_html):
        w = html.unescape(m).strip()
        if w:
            seen.setdefault(w.casefold(), w)
    if not seen:
        for m in _QUERY_WORD.findall(query):
            w = m.strip('"*?')
            if w and w not in _OPERATORS:
                seen.setdefault(w.casefold(), w)
    return list(seen.values())


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        h = self.hits[index.row()]
        where = {"annotation": "note", "entity": "entity page"}.get(h.kind, "article")
        if role == Qt.ItemDataRole.DisplayRole:
            return h.title or "(untitled)"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            plain = html.unescape(re.sub(r"<[^>]+>", "", h.snippet_html))
            return f"{h.title} (match in {where}): {plain}"
        if role == HitRole:
            return h
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()


class HitDelegate(QStyledItemDelegate):
    """Badge (Article/Note) and title on one line, then two lines of snippet, marks in colour."""

    PAD, SNIPPET_LINES = 6, 2

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(300, fm.height() * (1 + self.SNIPPET_LINES) + 2 * self.PAD + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if opt.widget:
            opt.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter,
                                           opt.widget)
        hit: SearchHit = index.data(HitRole)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        fg = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        r = opt.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD, -self.PAD)
        fm = QFontMetrics(opt.font)
        painter.save()
        # badge
        badge = hit.label or ("Note" if hit.kind == "annotation" else "Article")
        small = QFont(opt.font)
        small.setPointSizeF(max(7.0, opt.font.pointSizeF() * 0.8))
        sfm = QFontMetrics(small)
        bw = sfm.horizontalAdvance(badge) + 10
        brect = QRect(r.left(), r.top() + 1, bw, fm.height() - 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pal.color(QPalette.ColorRole.Mid) if hit.kind != "annotation"
                         else pal.color(QPalette.ColorRole.Link))
        painter.drawRoundedRect(brect, 4, 4)
        painter.setFont(small)
        painter.setPen(pal.color(QPalette.ColorRole.Base if hit.kind == "annotation"
                                 else QPalette.ColorRole.Text))
        painter.drawText(brect, Qt.AlignmentFlag.AlignCenter, badge)
        # title
        tfont = QFont(opt.font)
        tfont.setBold(True)
        tfm = QFontMetrics(tfont)
        painter.setFont(tfont)
        painter.setPen(fg)
        tx = brect.right() + 8
        painter.drawText(QRect(tx, r.top(), r.right() - tx, fm.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         tfm.elidedText(hit.title or "(untitled)", Qt.TextElideMode.ElideRight,
                                        r.right() - tx))
        # snippet
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(r.width())
        mark_bg, mark_fg = ("#ffe27a", "#000000")
        body = _MARK.sub(lambda m: f'<span style="background-color:{mark_bg};color:{mark_fg};'
                         f'font-weight:600">{m.group(1)}</span>', hit.snippet_html)
        doc.setHtml(f'<div style="color:{fg.name()}">{body}</div>')
        top = r.top() + fm.height() + 4
        clip = QRect(r.left(), top, r.width(), _lines_height(doc, self.SNIPPET_LINES))
        painter.translate(r.left(), top)
        painter.setClipRect(clip.translated(-r.left(), -top))
        doc.drawContents(painter)
        painter.restore()


def _lines_height(doc: QTextDocument, n: int) -> int:
    """Height of the first `n` laid-out lines, so the clip never shows a sliver of the next."""
    doc.documentLayout()  # lays the document out
    bottom, seen, block = 0.0, 0, doc.begin()
    while block.isValid() and seen < n:
        layout = block.layout()
        origin = layout.position().y()
        for i in range(layout.lineCount()):
            if seen == n:
                break
            bottom = origin + layout.lineAt(i).rect().bottom()
            seen += 1
        block = block.next()
    return int(bottom)


def entity_hit(entity: dict) -> SearchHit:
    """The row that opens an entity's page, shown above the hits when the query names one."""
    n = int(entity["articles"])
    kind = display_name(entity["label"])
    return SearchHit(kind="entity", article_id=0, annotation_id=None, score=0.0,
                     title=str(entity["name"]), label=kind,
                     snippet_html=html.escape(f"Open the entity page · mentioned in {n} article"
                                              f"{'s' if n != 1 else ''}"))


class SearchPopup(QFrame):
    """Overlay under the search field: a status line and the hits."""

    activated = Signal(int)  # row

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.setFrameShape(QFrame.Shape.Box)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.setObjectName("searchPopup")
        self.status = QLabel(self)
        self.status.setAccessibleName("Search status")
        self.status.setContentsMargins(8, 4, 8, 2)
        self.status.setWordWrap(True)  # a long correction line is not clipped
        self.model = SearchResultsModel(self)
        self.view = QListView(self)
        self.view.setAccessibleName("Search results list")
        self.view.setModel(self.model)
        self.view.setItemDelegate(HitDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the field
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(lambda ix: self.activated.emit(ix.row()))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        lay.setSpacing(0)
        lay.addWidget(self.status)
        from ui.search.scopes import ScopeChips
        self.chips = ScopeChips(self)
        lay.addWidget(self.chips)
        lay.addWidget(self.view, 1)
        self.hide()

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def move_selection(self, delta: int) -> None:
        n = self.model.rowCount()
        if n == 0:
            return
        row = self.current_row()
        row = (0 if delta > 0 else n - 1) if row < 0 else max(0, min(n - 1, row + delta))
        self.view.setCurrentIndex(self.model.index(row, 0))

    def place(self, field: QWidget) -> None:
        """Under the field, as wide as it (at least 600 px), as tall as the hits need."""
        host = self.parentWidget()
        if host is None:  # built with the window as its parent; nothing to place over otherwise
            return
        pos = field.mapTo(host, QPoint(0, field.height() + 2))
        width = max(600, field.width())
        x = max(4, min(pos.x(), host.width() - width - 4))
        rows = self.model.rowCount()
        row_h = self.view.sizeHintForRow(0) if rows else 0
        height = self.status.sizeHint().height() + self.chips.sizeHint().height() \
            + min(rows, 6) * row_h + 6
        height = min(height, host.height() - pos.y() - 8)
        self.setGeometry(x, pos.y(), width, max(height, self.status.sizeHint().height() + 4))
        self.raise_()


class SearchField(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Search")
        self.setAccessibleDescription("Search articles and notes; results appear as you type")
        self.setPlaceholderText("Search articles and notes  (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(320)
        self.setMaximumWidth(680)


class SearchController(QObject):
    """Wires field, popup and background search. `openRequested(hit, terms)` on Enter/click."""

    openRequested = Signal(object, list)
    entityRequested = Signal(str, str)  # name, label: the entity page

    def __init__(self, field: SearchField, popup: SearchPopup, parent: QObject | None = None):
        super().__init__(parent)
        self.field, self.popup = field, popup
        self.search_fn: Callable[[str], SearchResult] | None = None
        self.entity_fn: Callable[[str], dict | None] | None = None
        self.entity: dict | None = None  # the entity the query names (the first row), if any
        self.unavailable = "Opening library…"  # why searching is not possible yet ("" = ready)
        self.generation = 0
        self.last_result: SearchResult | None = None
        self._pending_gen = -1  # generation of the search in flight
        self._open_first_for = -1  # open the first hit of this generation when it arrives
        # The GUI's one runner, with a thread of its own so a search never waits behind an
        # import; a newer query supersedes an older one (latest wins).
        self.runner = TaskManager(self, max_threads=1)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)
        field.textChanged.connect(self._text_changed)
        field.installEventFilter(self)
        popup.activated.connect(self.open_row)
        popup.chips.changed.connect(lambda _scope: self.run_now())
        popup.status.linkActivated.connect(
            lambda href: self.show_all() if href == "show-all" else self.search_as_typed())
        self.results_view: SearchResultsView | None = None  # while it is open

    def set_search(self, fn: Callable[[str], SearchResult] | None, unavailable: str = "",
                   entity_fn: Callable[[str], dict | None] | None = None) -> None:
        """``entity_fn`` finds the entity a query names; its page is then offered first."""
        self.search_fn, self.unavailable, self.entity_fn = fn, unavailable, entity_fn
        if self.field.text().strip() and self.popup.isVisible():
            self.run_now()

    def _text_changed(self, text: str) -> None:
        self.generation += 1  # anything in flight is now stale
        if not text.strip():
            self._timer.stop()
            self.popup.model.set_hits([])
            self.popup.hide()
            return
        self._timer.start()

    @Slot()
    def run_now(self) -> None:
        self._timer.stop()
        query = self.field.text().strip()
        if not query:
            return
        self.generation += 1
        if self.search_fn is None or self.unavailable:
            self._show_status(self.unavailable or "Search is not available.")
            return
        if not self.popup.isVisible() or not self.popup.model.rowCount():
            self._show_status("Searching…")
        self._pending_gen = self.generation
        typed, query = query, f"{self.popup.chips.scope()} {query}".strip()
        gen = self.generation
        search_fn, entity_fn = self.search_fn, self.entity_fn

        def both(q: str) -> tuple[SearchResult, dict | None]:
            res = search_fn(q)
            # a corrected typo ("gordon brwon") names the entity the results are about
            name = res.corrected if res.corrected and q == typed else typed
            return res, (entity_fn(name) if entity_fn else None)
        task = Task(both, query, label="Searching", progress_kw=None, cancel_kw=None)
        self.runner.start(task, lambda res: self._on_done(gen, res, None),
                          lambda e: self._on_done(gen, None, e), key="search", quiet=True)

    def _on_done(self, gen: int, found: tuple[SearchResult, dict | None] | None,
                 error: object) -> None:
        if gen != self.generation or not self.field.text().strip():
            return  # stale: the user typed on
        self._pending_gen = -1
        result, self.entity = found if found is not None else (None, None)
        if error is not None or result is None:
            self.popup.model.set_hits([])
            self._show_status(f"Search failed: {error}")
            return
        self.last_result = result
        self.popup.model.set_hits(([entity_hit(self.entity)] if self.entity else []) + result.hits)
        n = result.total
        if not result.hits:
            notice = getattr(result, "notice", "")  # "query too broad … narrow your query"
            status = notice[:1].upper() + notice[1:] + "." if notice else "No matches."
        else:
            status = f"{n} match{'es' if n != 1 else ''}"
            if n > len(result.hits):
                status += f" (showing {len(result.hits)})"
            status += " — ↑↓ to choose, Enter to open"
        if result.fallback:
            status += "  · searched as plain words"
        status = html.escape(status)
        if n > len(result.hits):
            status += f" · <a href='show-all'>Show all {n} results</a> (Ctrl+Enter)"
        if result.corrected:
            status = (f"Showing results for <b>{html.escape(result.corrected)}</b> — search "
                      f"instead for <a href='as-typed'>{html.escape(result.suggestion)}</a>"
                      f"<br>{status}")
        self._show_status(status)
        if self.popup.model.hits:
            # Enter still opens the best hit; the entity row sits above it, one ↑ away
            first = 1 if self.entity and result.hits else 0
            self.popup.view.setCurrentIndex(self.popup.model.index(first, 0))
            if self._open_first_for == gen:  # Enter was pressed while this search ran
                self.open_row(first)
        self._open_first_for = -1

    def show_all(self) -> None:
        """Every hit of the current query in the results view (ui.search.results)."""
        owner = self.parent()
        lib = getattr(owner, "library", None)
        query = f"{self.popup.chips.scope()} {self.field.text().strip()}".strip()
        if lib is None or not self.field.text().strip() or self.unavailable:
            return
        from ui.search.results import SearchResultsView
        self.popup.hide()
        view = SearchResultsView(
            lambda q, limit, offset, sort: lib.search(q, limit=limit, offset=offset, sort=sort),
            query, owner if isinstance(owner, QWidget) else None)
        view.openRequested.connect(
            lambda hit: self.openRequested.emit(hit, terms_for(hit, view.query_edit.text())))
        view.finished.connect(lambda _r: setattr(self, "results_view", None))
        self.results_view = view
        view.open()

    def search_as_typed(self) -> None:
        """"Search instead for …": the words that were corrected go in quotes, which the
        index takes literally (no correction)."""
        r = self.last_result
        if r is None or not r.corrected:
            return
        kept = set(r.corrected.lower().split())
        self.field.setText(" ".join(w if w.lower() in kept else f'"{w}"'
                                    for w in r.suggestion.split()))

    def _show_status(self, text: str) -> None:
        self.popup.status.setText(text)
        self.popup.show()
        self.popup.place(self.field)

    def wait(self, msecs: int = 5000) -> bool:
        return self.runner.wait(msecs)

    def open_row(self, row: int) -> None:
        if not 0 <= row < len(self.popup.model.hits):
            return
        hit = self.popup.model.hits[row]
        self.popup.hide()
        if hit.kind == "entity" and self.entity is not None:
            self.entityRequested.emit(self.entity["name"], self.entity["label"])
            return
        self.openRequested.emit(hit, terms_for(hit, self.field.text()))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.field and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                if not self.popup.isVisible() and self.field.text().strip():
                    self.run_now()
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5,
                        Qt.Key.Key_PageUp: -5}[key]
                self.popup.move_selection(step)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # type: ignore[attr-defined]
                self.show_all()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive() or self._pending_gen == self.generation \
                        or not self.popup.model.rowCount():
                    self._open_first_for = self.generation + (1 if self._timer.isActive() else 0)
                    if self._timer.isActive():  # Enter before the debounce fired: search now
                        self.run_now()
                    return True
                self.open_row(max(0, self.popup.current_row()))
                return True
            if key == Qt.Key.Key_Escape:
                if self.popup.isVisible():
                    self.popup.hide()
                else:
                    self.field.clear()
                return True
        elif obj is self.field and event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(150, self._hide_if_unfocused)
        return super().eventFilter(obj, event)

    def _hide_if_unfocused(self) -> None:
        if not self.field.hasFocus():
            self.popup.hide()
