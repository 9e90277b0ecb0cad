"""The one runner for background work in the GUI.

- `TaskManager.start(task)`: long calls (open, import, recognise, rebuild, export, search) on a
  pool of threads; the core's `progress(done, total, label)` and `cancel() -> bool` become Qt
  signals queued back to the GUI thread. `start(task, key="search")` is latest-wins: a newer
  task with the same key cancels the older one and the older one's result is dropped.
- `WriteLane.submit(fn, ...)`: the user's edits (note text, highlights, corrections, deletes,
  undo) on one dedicated thread, in the order they were made, so the GUI thread never writes
  SQLite and a slow write never freezes typing.
- `guard_gui_thread_writes()`: in debug mode and in the tests, a library write on the GUI
  thread raises `GuiThreadWrite` (see core.db.set_write_guard).

Results and exceptions come back as signals, so callbacks always run on the GUI thread. The
status bar shows the newest running task with a progress bar and a Cancel button.
"""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget


class TaskSignals(QObject):
    """Emitted from the pool thread; each carries the task so one GUI-thread slot serves all."""

    progress = Signal(object, int, int, str)  # task, done, total (0 = unknown), label
    finished = Signal(object, object)  # task, the call's return value
    failed = Signal(object, object)  # task, the exception


class Task(QRunnable):
    """One call `fn(*args, progress=..., cancel=..., **kwargs)` on a pool thread.

    Pass `progress_kw`/`cancel_kw` as None for calls that take no such arguments."""

    key: str | None = None  # TaskManager.start(key=...): latest-wins group

    def __init__(self, fn: Callable[..., Any], *args: Any, label: str = "",
                 progress_kw: str | None = "progress", cancel_kw: str | None = "cancel",
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the manager holds it until `done`
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.label = label
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self._progress_kw, self._cancel_kw = progress_kw, cancel_kw
        self.cancellable = cancel_kw is not None

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int, label: str) -> None:
        self.signals.progress.emit(self, int(done), int(total), str(label or ""))

    def run(self) -> None:
        kwargs = dict(self.kwargs)
        if self._progress_kw:
            kwargs[self._progress_kw] = self._progress
        if self._cancel_kw:
            kwargs[self._cancel_kw] = self.cancelled
        try:
            result = self.fn(*self.args, **kwargs)
        except BaseException as e:  # noqa: BLE001 - reported to the GUI, never lost
            e.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self.signals.failed, e)
        else:
            self._emit(self.signals.finished, result)

    def _emit(self, signal, value) -> None:
        try:
            signal.emit(self, value)
        except RuntimeError:  # the application quit while this ran: nobody is left to tell
            pass


class TaskManager(QObject):
    """Starts tasks, keeps them alive until they end, and tells the status widget.

    Signals go to this object's bound slots (queued onto the GUI thread, since the manager
    lives there), which then call the caller's callbacks: callbacks never run on a pool thread.
    """

    changed = Signal()
    unhandled = Signal(str, object)  # task label, exception (no on_error given)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.tasks: list[Task] = []
        self._current: dict[int, tuple[int, int, str]] = {}
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._latest: dict[str, Task] = {}  # key → the task whose result still counts
        self._quiet: set[int] = set()
        self._running: set[Task] = set()  # every started task, quiet ones included

    def start(self, task: Task, on_result: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, *,
              key: str | None = None, quiet: bool = False) -> Task:
        """Run `task` on the pool. With `key`, an older task of the same key is cancelled
        and its result dropped (latest wins). `quiet` tasks stay out of the status bar."""
        if key is not None:
            older = self._latest.get(key)
            if older is not None:
                older.cancel()
                if self.pool.tryTake(older):  # still queued: it never runs
                    self._end(older)
            self._latest[key] = task
        task.key = key
        self._callbacks[id(task)] = (on_result, on_error)
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        task.signals.failed.connect(self._on_failed)
        if quiet:
            self._quiet.add(id(task))
        else:
            self.tasks.append(task)
            self._current[id(task)] = (0, 0, "")
        self._running.add(task)
        self.pool.start(task)
        self.changed.emit()
        return task

    def _superseded(self, task: Task) -> bool:
        key = getattr(task, "key", None)
        return key is not None and self._latest.get(key) is not task

    @Slot(object, int, int, str)
    def _on_progress(self, task: Task, done: int, total: int, label: str) -> None:
        if id(task) in self._current:
            self._current[id(task)] = (done, total, label)
            self.changed.emit()

    @Slot(object, object)
    def _on_finished(self, task: Task, result: object) -> None:
        stale = self._superseded(task)
        on_result, _ = self._end(task)
        if on_result and not stale:
            on_result(result)

    @Slot(object, object)
    def _on_failed(self, task: Task, error: BaseException) -> None:
        stale = self._superseded(task)
        _, on_error = self._end(task)
        if stale:
            return
        if on_error:
            on_error(error)
        else:
            self.unhandled.emit(task.label, error)

    def _end(self, task: Task) -> tuple[Callable | None, Callable | None]:
        if task in self.tasks:
            self.tasks.remove(task)
        self._running.discard(task)
        self._quiet.discard(id(task))
        key = getattr(task, "key", None)
        if key is not None and self._latest.get(key) is task:
            del self._latest[key]
        self._current.pop(id(task), None)
        self.changed.emit()
        return self._callbacks.pop(id(task), (None, None))

    def progress_of(self, task: Task) -> tuple[int, int, str]:
        return self._current.get(id(task), (0, 0, ""))

    def busy(self) -> bool:
        return bool(self.tasks)

    def cancel_all(self) -> None:
        for t in list(self.tasks):
            t.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every task has ended (shutdown and tests only)."""
        return self.pool.waitForDone(msecs)


class GuiThreadWrite(RuntimeError):
    """A library write was attempted on the GUI thread (a programming error)."""


_allowed = threading.local()


def _gui_thread_guard() -> None:
    if threading.current_thread() is threading.main_thread() \
            and not getattr(_allowed, "depth", 0):
        raise GuiThreadWrite("a library write on the GUI thread: use the WriteLane")


def guard_gui_thread_writes(on: bool = True) -> None:
    """Make every library write on the GUI (main) thread raise GuiThreadWrite."""
    from core.db import set_write_guard
    set_write_guard(_gui_thread_guard if on else None)


@contextmanager
def allow_gui_thread_writes() -> Iterator[None]:
    """Writes the GUI thread may make: opening (migrations) and tests' own set-up."""
    _allowed.depth = getattr(_allowed, "depth", 0) + 1
    try:
        yield
    finally:
        _allowed.depth -= 1


class WriteLane(QObject):
    """The single-writer lane: the user's edits run one at a time, in order, on one thread.
    Long batch jobs (imports, recognition, rebuilds) run on TaskManager's pool instead, so a
    note typed during an import is saved at once, not after it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._live: set[Task] = set()

    def submit(self, fn: Callable[..., Any], *args: Any,
               on_result: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               **kwargs: Any) -> Task:
        task = Task(fn, *args, progress_kw=None, cancel_kw=None, **kwargs)

        def finished(t: Task, value: object) -> None:
            self._live.discard(t)
            if on_result is not None:
                on_result(value)

        def failed(t: Task, error: BaseException) -> None:
            self._live.discard(t)
            if on_error is not None:
                on_error(error)
            else:
                raise error
        task.signals.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
        task.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._live.add(task)
        self.pool.start(task)
        return task

    def busy(self) -> bool:
        return bool(self._live)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every queued edit has been written (closing, quitting, tests)."""
        return self.pool.waitForDone(msecs)


class ProgressStatus(QWidget):
    """Status-bar strip: label, progress bar and Cancel for the newest running task."""

    def __init__(self, manager: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.setAccessibleName("Background task progress")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setAccessibleName("Background task")
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel background task")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.cancel_button.clicked.connect(self._cancel)
        for w in (self.label, self.bar, self.cancel_button):
            w.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
            lay.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        manager.changed.connect(self.refresh)
        self.refresh()

    def _top(self) -> Task | None:
        return self.manager.tasks[-1] if self.manager.tasks else None

    @Slot()
    def refresh(self) -> None:
        task = self._top()
        self.setVisible(task is not None)
        if task is None:
            return
        done, total, label = self.manager.progress_of(task)
        more = len(self.manager.tasks) - 1
        text = task.label + (f" — {_elide(label)}" if label else "")
        if more:
            text += f"  (+{more} more)"
        self.label.setText(text)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{min(done, total)} / {total}")
        else:
            self.bar.setRange(0, 0)  # busy indicator
        self.cancel_button.setVisible(task.cancellable)
        self.cancel_button.setEnabled(not task.cancelled())

    def _cancel(self) -> None:
        task = self._top()
        if task is not None:
            task.cancel()
            self.refresh()
            self.label.setText(task.label + " — cancelling…")


def _elide(s: str, n: int = 48) -> str:
    """A file's name rather than its whole path; long labels keep their end."""
    if "/" in s and "://" not in s or "\\" in s:
        s = PurePath(s).name or s
    return s if len(s) <= n else "…" + s[-(n - 1):]


_lanes: dict[int, WriteLane] = {}


def lane_for(library: object) -> WriteLane:
    """The write lane of an open library: one per library, so all its edits keep their order."""
    import weakref
    key = id(library)
    lane = _lanes.get(key)
    if lane is None:
        lane = _lanes[key] = WriteLane()
        weakref.finalize(library, _lanes.pop, key, None)
    return lane
