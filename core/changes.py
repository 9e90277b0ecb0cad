"""Change records: what a mutation of the library changed, published from one place.

Every mutation through the Library facade ends in `Library._commit(change)`, which syncs the
search-index outbox when the change queued index work and hands the record to subscribers.
The GUI subscribes once and turns records into app events (ui/events.py) on its own thread;
the CLI ignores them. Records are plain frozen data so they can cross threads safely.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Change:
    """Ids touched by one mutation. `annotation_articles` are the articles whose annotations
    changed (the panels refresh per article); `library` means everything may have changed
    (a restore, a rebuild, another process's writes)."""

    articles: frozenset[int] = frozenset()            # added, updated or deleted articles
    annotations: frozenset[int] = frozenset()         # annotation ids created/edited/deleted
    annotation_articles: frozenset[int] = frozenset()
    entities: frozenset[int] = frozenset()            # articles whose entities changed
    settings: frozenset[str] = frozenset()            # library settings keys changed
    library: bool = False
    index_pending: bool = False                       # the outbox holds work for the index
    feeds: bool = False                               # subscriptions, their errors or counts

    @property
    def empty(self) -> bool:
        return not (self.articles or self.annotations or self.annotation_articles
                    or self.entities or self.settings or self.library or self.feeds)

    def __or__(self, other: Change) -> Change:
        return Change(self.articles | other.articles, self.annotations | other.annotations,
                      self.annotation_articles | other.annotation_articles,
                      self.entities | other.entities, self.settings | other.settings,
                      self.library or other.library,
                      self.index_pending or other.index_pending,
                      self.feeds or other.feeds)


def articles_changed(ids: Iterable[int], *, index: bool = True) -> Change:
    return Change(articles=frozenset(ids), index_pending=index)


def annotation_changed(annotation_id: int, article_id: int) -> Change:
    return Change(annotations=frozenset({annotation_id}),
                  annotation_articles=frozenset({article_id}), index_pending=True)


def entities_changed(ids: Iterable[int]) -> Change:
    return Change(entities=frozenset(ids), index_pending=True)


Subscriber = Callable[[Change], None]


@dataclass
class ChangeBus:
    """Subscribers are called on the thread that made the change; they must be quick and
    thread-safe (the GUI's subscriber only posts a queued Qt signal)."""

    _subscribers: list[Subscriber] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._subscribers:
                    self._subscribers.remove(fn)
        return unsubscribe

    def publish(self, change: Change) -> None:
        if change.empty:
            return
        with self._lock:
            subs = list(self._subscribers)
        for fn in subs:
            fn(change)


@dataclass
class Notices:
    """Conditions a reader should be told about (index unavailable, recogniser missing,
    opened read-only), kept behind a lock because pool threads set them while the GUI reads."""

    _items: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, key: str, text: str) -> None:
        with self._lock:
            if text:
                self._items[key] = text
            else:
                self._items.pop(key, None)

    def get(self, key: str) -> str:
        with self._lock:
            return self._items.get(key, "")

    def all(self) -> dict[str, str]:
        with self._lock:
            return dict(self._items)
