"""App events: the one object panels subscribe to instead of calling each other.

The Library publishes a change record (core.changes.Change) after every mutation, on the
thread that made it; `AppEvents` turns each record into Qt signals. The object lives on the
GUI thread, so a record published by a worker arrives as a queued signal and every slot runs
on the GUI thread. One AppEvents per open library (`events_for`).
"""
from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, Signal

from core.changes import Change
from core.library import Library


class AppEvents(QObject):
    articlesChanged = Signal(object)      # frozenset of article ids (added, updated, deleted)
    annotationsChanged = Signal(int)      # article id whose annotations changed
    entitiesChanged = Signal(int)         # article id whose entities changed
    settingsChanged = Signal(object)      # frozenset of library setting keys
    libraryReplaced = Signal()            # restore, rebuild, another process: reload all
    feedsChanged = Signal()               # subscriptions, their errors or unread counts
    _record = Signal(object)              # a Change, possibly from another thread

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._record.connect(self.dispatch)  # queued when emitted off the GUI thread
        self._unsubscribe = library.subscribe(self._record.emit)

    def dispatch(self, change: Change) -> None:
        """Emit the signals one change record means (on the GUI thread)."""
        if change.library:
            self.libraryReplaced.emit()
        if change.articles:
            self.articlesChanged.emit(change.articles)
        # an updated article text may have moved its annotations
        for aid in sorted(change.annotation_articles | change.articles):
            self.annotationsChanged.emit(aid)
        for aid in sorted(change.entities):
            self.entitiesChanged.emit(aid)
        if change.settings:
            self.settingsChanged.emit(change.settings)
        # an article read, archived or deleted changes a feed's unread count
        if change.feeds or change.articles or change.library:
            self.feedsChanged.emit()

    def detach(self) -> None:
        self._unsubscribe()


_by_library: weakref.WeakKeyDictionary[Library, AppEvents] = weakref.WeakKeyDictionary()


def events_for(library: Library) -> AppEvents:
    """The AppEvents of an open library (made on first use, on the GUI thread)."""
    ev = _by_library.get(library)
    if ev is None:
        ev = _by_library[library] = AppEvents(library)
    return ev
