"""Reading from elsewhere: File ▸ Import from Another App…, feeds, and fetching saved links.

Everything slow runs as a Task (progress in the status bar, cancellable): the export import
goes through ImportController like any import; after an import that queued link-only entries
their pages are fetched in the background at the configured rate; feeds refresh on demand
and every REFRESH_MINUTES while the window is open.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from core.library import Library
from core.models import ImportResult
from ui.runner import Task, TaskManager, lane_for

EXPORT_FILTER = ("Exports (*.csv *.json *.zip *.html *.htm *.opml *.xml);;All files (*)")
REFRESH_MINUTES = 30


def detect_kind(path: str) -> str | None:
    """The human name of an export's kind ("Pocket (CSV)"), or None."""
    from core.importers.app_exports import KINDS, detect
    kind = detect(path)
    return KINDS.get(kind) if kind else None


def _new_since(lib, before: int) -> list[ImportResult]:
    return [ImportResult("feed", "imported", aid, lib.summary(aid).title)
            for aid in lib.article_ids() if aid > before]


def _max_id(lib) -> int:
    return max(lib.article_ids(), default=0)


def refresh_feeds(lib, feed_ids: list[int] | None = None, *, progress=None,
                  cancel=None) -> tuple[list[ImportResult], list[str]]:
    """Worker: refresh these feeds (None: all) → (new articles as results, per-feed error
    lines)."""
    before = _max_id(lib)
    res = lib.refresh_feeds(feed_ids, progress=progress, cancel=cancel)
    names = {f.id: f.title or f.url for f in lib.feeds()}
    errors = [f"{names.get(k, k)}: {err}" for k, (_, err) in res.items() if err]
    return _new_since(lib, before), errors


def fetch_links(lib, *, progress=None, cancel=None) -> list[ImportResult]:
    rep = lib.fetch_pending_links(progress=progress, cancel=cancel)
    out = [ImportResult(url, "failed", aid, "", f"kept as a link: {why}")
           for aid, url, why in rep.failed]
    return out + [ImportResult("link", "updated", None, "", rep.summary())]


class FeedsDialog(QDialog):
    """Subscriptions with their last error; unsubscribe."""

    def __init__(self, lib, parent=None) -> None:
        super().__init__(parent)
        self.lib = lib
        self.setWindowTitle("Feeds")
        self.setAccessibleName("Feed subscriptions")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Feeds")
        remove = QPushButton("&Unsubscribe", self)
        remove.clicked.connect(self.unsubscribe)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Articles from feeds land in the library tagged with the feed.",
                             self))
        lay.addWidget(self.list)
        lay.addWidget(remove)
        lay.addWidget(buttons)
        self.fill()
        self.resize(560, 320)

    def fill(self) -> None:
        self.list.clear()
        self.ids = []
        for f in self.lib.feeds():
            line = f"{f.title or f.url} — {f.items} items"
            if f.last_error:
                line += f" — error: {f.last_error}"
            self.list.addItem(line)
            self.ids.append(f.id)

    def unsubscribe(self) -> None:
        """On the library's write lane (never a write on the GUI thread)."""
        row = self.list.currentRow()
        if 0 <= row < len(self.ids):
            lane_for(self.lib).submit(self.lib.remove_feed, str(self.ids[row]),
                                      on_result=lambda _i: self.fill())


class SourcesController(QObject):
    """File-menu actions for exports, feeds and saved links; background fetching."""

    message = Signal(str)

    def __init__(self, window: QMainWindow, tasks: TaskManager,
                 library: Callable[[], Library | None], imports) -> None:
        super().__init__(window)
        self.window, self.tasks, self._library, self.imports = window, tasks, library, imports
        self.act_app = QAction("Import from Another &App…", self)
        self.act_app.triggered.connect(self.choose_export)
        self.act_subscribe = QAction("&Subscribe to Feed…", self)
        self.act_subscribe.triggered.connect(self.ask_feed)
        self.act_refresh = QAction("&Refresh Feeds", self)
        self.act_refresh.triggered.connect(self.refresh)
        self.act_feeds = QAction("F&eeds…", self)
        self.act_feeds.triggered.connect(self.show_feeds)
        self.act_fetch = QAction("Fetch Saved &Links", self)
        self.act_fetch.triggered.connect(self.fetch_links)
        self.file_actions = [self.act_app, self.act_subscribe, self.act_refresh,
                             self.act_feeds, self.act_fetch]
        for a in self.file_actions:
            a.setStatusTip(a.text().replace("&", "").rstrip("…"))
        self._fetching: Task | None = None
        self._refreshing: Task | None = None
        self.timer = QTimer(self, interval=REFRESH_MINUTES * 60_000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        imports.imported.connect(self._after_import)
        if hasattr(window, "show_message"):
            self.message.connect(window.show_message)
        if hasattr(window, "libraryReady"):  # links queued before a restart: carry on
            window.libraryReady.connect(self._resume)
        self.sidebar = getattr(getattr(window, "library_panel", None), "feeds", None)
        if self.sidebar is not None:
            self.sidebar.subscribeRequested.connect(self.ask_feed)
            self.sidebar.refreshRequested.connect(lambda fid: self.refresh([fid]))
            self.sidebar.message.connect(self.message)

    def _resume(self) -> None:
        lib = self._library()
        if self.sidebar is not None:  # the library sidebar's Feeds section follows this one
            from ui.events import events_for
            self.sidebar.set_library(lib, events_for(lib) if lib is not None else None,
                                     readonly=bool(getattr(lib, "readonly", False)))
        if lib is None or getattr(lib, "readonly", False):
            return
        if lib.pending_link_count():
            self.fetch_links()

    # -- exports ---------------------------------------------------------------------------
    def choose_export(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import from another app", "",
                                              EXPORT_FILTER)
        if path:
            self.import_export(path)

    def import_export(self, path: str, confirm: bool = True) -> bool:
        """Detect the kind, show it, then import; False if it is not a known export."""
        kind = detect_kind(path)
        if kind is None:
            self.message.emit(f"{Path(path).name} is not an export Commonplace knows "
                              "(Pocket, Instapaper, bookmarks, Omnivore, Wallabag, Readwise, "
                              "OPML)")
            return False
        if confirm and QMessageBox.question(
                self.window, "Import from another app",
                f"{Path(path).name} is a {kind} export.\n\nImport it now? Re-importing the "
                "same export later changes nothing.") != QMessageBox.StandardButton.Yes:
            return False
        self.imports.import_sources([path])
        return True

    def _after_import(self, results: list) -> None:
        lib = self._library()
        if lib is None or not results:
            return
        for rep in lib.export_reports:  # of the import that just finished
            self.message.emit(rep.summary())
        if any(r.error == "link only" for r in results):
            self.fetch_links()

    # -- saved links -----------------------------------------------------------------------
    def fetch_links(self) -> Task | None:
        lib = self._library()
        if lib is None or self._fetching is not None or getattr(lib, "readonly", False):
            return None
        if not lib.pending_link_count():
            self.message.emit("No saved links are waiting to be fetched.")
            return None
        task = Task(fetch_links, lib, label="Fetching saved links")
        self._fetching = task
        return self.tasks.start(task, self._fetched, self._fetch_failed)

    def _fetched(self, results: list[ImportResult]) -> None:
        self._fetching = None
        failures = [r for r in results if r.status == "failed"]
        if failures:
            self.imports.problems.add_failures(failures)
        self.message.emit("Saved links: " + results[-1].error)
        self.imports.imported.emit([])  # refresh the list (titles/words changed)

    def _fetch_failed(self, error: BaseException) -> None:
        self._fetching = None
        self.message.emit(f"Fetching saved links stopped: {error}")

    # -- feeds -------------------------------------------------------------------------------
    def ask_feed(self) -> None:
        url, ok = QInputDialog.getText(self.window, "Subscribe to a feed",
                                       "Feed or site address (https://…):")
        if ok and url.strip():
            self.subscribe(url.strip())

    def subscribe(self, url: str) -> Task | None:
        lib = self._library()
        if lib is None:
            return None
        def work(progress=None, cancel=None):
            fid, created, feed_url = lib.subscribe_feed(url)
            return created, feed_url

        def done(result) -> None:
            created, feed_url = result
            self.message.emit(("Subscribed to " if created else "Already subscribed to ")
                              + feed_url)
            self.refresh()

        return self.tasks.start(Task(work, label=f"Subscribing to {url[:40]}"), done,
                                lambda e: self.message.emit(f"Could not subscribe: {e}"))

    def refresh(self, feed_ids: list[int] | None = None) -> Task | None:
        """Refresh these feeds (None: all) on a worker; one refresh at a time."""
        lib = self._library()
        if lib is None or self._refreshing is not None or getattr(lib, "readonly", False):
            return None
        task = Task(refresh_feeds, lib, feed_ids, label="Refreshing feeds")
        self._refreshing = task
        return self.tasks.start(task, self._refreshed, self._refresh_failed)

    def _refreshed(self, result) -> None:
        self._refreshing = None
        new, errors = result
        if errors:
            self.imports.problems.add_failures([ImportResult(e.split(":", 1)[0], "failed",
                                                             error=e.split(":", 1)[-1].strip())
                                                for e in errors])
        if new or errors:
            self.message.emit(f"Feeds: {len(new)} new" + (f", {len(errors)} with errors"
                                                           if errors else ""))
        if new:
            self.imports.imported.emit(new)

    def _refresh_failed(self, error: BaseException) -> None:
        self._refreshing = None
        self.message.emit(f"Refreshing feeds stopped: {error}")

    def show_feeds(self) -> None:
        lib = self._library()
        if lib is not None:
            dlg = FeedsDialog(lib, self.window)
            dlg.finished.connect(dlg.deleteLater)
            dlg.open()
