"""The library sidebar's Feeds section: subscriptions with their unread counts and a marker on
a feed whose last refresh failed (the error in its tooltip). Clicking a feed shows the
articles it brought (its feed items, whatever their tags); clicking it again shows the whole
view. The context menu refreshes, unsubscribes (after a confirmation: the feed's articles
stay) or copies the feed's address; "+" subscribes.

The section reads the subscriptions on the GUI thread (one small query) whenever the app
events say feeds or articles changed; unsubscribing goes through the library's write lane.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.runner import lane_for

IdRole = Qt.ItemDataRole.UserRole + 1
UrlRole = Qt.ItemDataRole.UserRole + 2
MAX_ROWS = 7  # rows shown before the list scrolls (the article list keeps the height)


def _ask(parent: QWidget, title: str) -> bool:
    return QMessageBox.question(
        parent, "Unsubscribe",
        f"Unsubscribe from {title}?\n\nThe articles it brought stay in your library; new "
        "items will no longer arrive.") == QMessageBox.StandardButton.Yes


class FeedsSection(QWidget):
    """Emits `feedChosen(id)` (0: none), `subscribeRequested()`, `refreshRequested(id)`."""

    feedChosen = Signal(int)
    subscribeRequested = Signal()
    refreshRequested = Signal(int)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feeds section")
        self.toggle = QToolButton(self)
        self.toggle.setText("Feeds")
        self.toggle.setAutoRaise(True)  # not checkable: a pressed look would read as a filter
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAccessibleName("Show or hide feeds")
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.expanded: bool = True
        self.toggle.clicked.connect(lambda: self._toggled(not self.expanded))
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setAutoRaise(True)
        self.add_button.setToolTip("Subscribe to a feed…")
        self.add_button.setAccessibleName("Subscribe to a feed")
        self.add_button.clicked.connect(self.subscribeRequested)
        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Feeds")
        self.list.setColumnCount(2)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu_at)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.hint = QLabel("No feeds yet. Use + to subscribe to a site's feed.", self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Feeds status")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toggle)
        top.addStretch(1)
        top.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.list)
        lay.addWidget(self.hint)
        self.lib = None
        self.readonly = False
        self.chosen = 0
        self._events = None
        self._reload_timer = QTimer(self, singleShot=True, interval=150)
        self._reload_timer.timeout.connect(self.reload)
        self.confirm = _ask  # replaced in tests
        self._show_rows(0)

    # -- source ------------------------------------------------------------------------------
    def set_library(self, lib, events=None, readonly: bool = False) -> None:
        """Show `lib`'s subscriptions and follow its app events (feedsChanged)."""
        if self._events is not None:
            try:
                self._events.feedsChanged.disconnect(self._reload_timer.start)
            except (RuntimeError, TypeError):
                pass
        self.lib, self._events, self.readonly = lib, events, readonly
        if events is not None:
            events.feedsChanged.connect(self._reload_timer.start)
        self.add_button.setEnabled(lib is not None and not readonly)
        self.reload()

    def reload(self) -> None:
        """Read the subscriptions again, keeping the chosen feed (or letting it go)."""
        feeds: list = sorted(self.lib.feeds(),
                             key=lambda f: ((f.title or f.url).casefold(), f.id)) \
            if self.lib is not None else []
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.list.clear()
        chosen_item = None
        for f in feeds:
            name = f.title or f.url
            item = QTreeWidgetItem([name, f"{f.unread:,}" if f.unread else ""])
            item.setData(0, IdRole, f.id)
            item.setData(0, UrlRole, f.url)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = f"{name}\n{f.url}\n{f.items:,} items, {f.unread:,} unread in the Inbox"
            if f.last_error:
                item.setIcon(0, warn)
                tip += f"\n\nThe last refresh failed: {f.last_error}"
                item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole,
                             f"refresh failed: {f.last_error}")
            elif f.last_checked:
                tip += f"\nChecked {f.last_checked[:16].replace('T', ' ')} UTC"
            else:
                tip += "\nNot checked yet"
            item.setToolTip(0, tip)
            item.setToolTip(1, f"{f.unread:,} unread")
            self.list.addTopLevelItem(item)
            if f.id == self.chosen:
                chosen_item = item
        if chosen_item is not None:
            self.list.setCurrentItem(chosen_item)
        elif self.chosen:  # unsubscribed: the list shows everything again
            self.chosen = 0
            self.feedChosen.emit(0)
        self._show_rows(len(feeds))

    def _show_rows(self, n: int) -> None:
        open_ = self.expanded
        self.list.setVisible(open_ and n > 0)
        self.hint.setVisible(open_ and n == 0)
        if n:
            row = max(self.list.sizeHintForRow(0), self.fontMetrics().height() + 6)
            self.list.setFixedHeight(row * min(n, MAX_ROWS) + 2 * self.list.frameWidth() + 2)

    def _toggled(self, on: bool) -> None:
        self.expanded = on
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._show_rows(self.list.topLevelItemCount())

    # -- choosing ----------------------------------------------------------------------------
    def _title_of(self, feed_id: int) -> str:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and item.data(0, IdRole) == feed_id:
                return item.text(0)
        return ""

    def chosen_title(self) -> str:
        return self._title_of(self.chosen) if self.chosen else ""

    def choose(self, feed_id: int) -> None:
        """Show this feed's articles (0: all of the view)."""
        self.chosen = feed_id
        if not feed_id:
            self.list.clearSelection()
            self.list.setCurrentItem(None)  # type: ignore[call-overload]
        self.feedChosen.emit(feed_id)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        fid = int(item.data(0, IdRole))
        self.choose(0 if fid == self.chosen else fid)

    # -- context menu ------------------------------------------------------------------------
    def _menu_at(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is not None:
            self.menu_for(item).exec(self.list.viewport().mapToGlobal(pos))

    def menu_for(self, item: QTreeWidgetItem) -> QMenu:
        fid, url = int(item.data(0, IdRole)), str(item.data(0, UrlRole))
        menu = QMenu(self)
        writable = self.lib is not None and not self.readonly
        act = menu.addAction("&Refresh", lambda: self.refreshRequested.emit(fid))
        act.setEnabled(writable)
        act = menu.addAction("&Unsubscribe…", lambda: self.unsubscribe(fid))
        act.setEnabled(writable)
        menu.addAction("&Copy Feed Address", lambda: self.copy_url(url))
        if self.chosen == fid:
            menu.addSeparator()
            menu.addAction("Show &All Articles", lambda: self.choose(0))
        return menu

    def copy_url(self, url: str) -> None:
        QGuiApplication.clipboard().setText(url)
        self.message.emit(f"Copied {url}")

    def unsubscribe(self, feed_id: int) -> None:
        """After a confirmation, on the library's write lane (never on the GUI thread)."""
        lib = self.lib
        if lib is None or self.readonly:
            return
        title = self._title_of(feed_id) or str(feed_id)
        if not self.confirm(self, title):
            return
        lane_for(lib).submit(lib.remove_feed, str(feed_id),
                             on_result=lambda _i: self.message.emit(f"Unsubscribed from {title}"),
                             on_error=lambda e: self.message.emit(f"Could not unsubscribe: {e}"))
