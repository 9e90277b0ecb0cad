"""Background work: run a core call on a thread pool, report progress, allow cancelling.

The core's long calls take `progress(done, total, label)` and `cancel() -> bool`; a `Task`
passes both in and turns them into Qt signals (queued back to the GUI thread). Results and
exceptions come back as signals too, so the window never blocks on a core call. The status bar
shows the newest running task with a progress bar and a Cancel button.
"""
from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
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

    def start(self, task: Task, on_result: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Task:
        self._callbacks[id(task)] = (on_result, on_error)
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        task.signals.failed.connect(self._on_failed)
        self.tasks.append(task)
        self._current[id(task)] = (0, 0, "")
        self.pool.start(task)
        self.changed.emit()
        return task

    @Slot(object, int, int, str)
    def _on_progress(self, task: Task, done: int, total: int, label: str) -> None:
        if id(task) in self._current:
            self._current[id(task)] = (done, total, label)
            self.changed.emit()

    @Slot(object, object)
    def _on_finished(self, task: Task, result: object) -> None:
        on_result, _ = self._end(task)
        if on_result:
            on_result(result)

    @Slot(object, object)
    def _on_failed(self, task: Task, error: BaseException) -> None:
        _, on_error = self._end(task)
        if on_error:
            on_error(error)
        else:
            self.unhandled.emit(task.label, error)

    def _end(self, task: Task) -> tuple[Callable | None, Callable | None]:
        if task in self.tasks:
            self.tasks.remove(task)
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
