"""Background tasks: progress reaches the status bar, cancel stops the core call, errors return."""
from __future__ import annotations

import time

from PySide6.QtWidgets import QStatusBar

from ui.runner import ProgressStatus, Task, TaskManager


def slow_job(n: int, *, progress, cancel) -> int:
    done = 0
    for i in range(n):
        if cancel():
            break
        progress(i, n, f"item {i}")
        time.sleep(0.01)
        done += 1
    return done


def test_progress_and_cancel(qtbot):
    mgr = TaskManager()
    bar = QStatusBar()
    qtbot.addWidget(bar)
    status = ProgressStatus(mgr, bar)
    bar.addPermanentWidget(status)
    bar.show()
    results = []
    task = mgr.start(Task(slow_job, 500, label="Working"), results.append)
    qtbot.waitUntil(lambda: status.bar.maximum() == 500 and status.bar.value() > 2, timeout=3000)
    assert status.isVisible() and status.label.text().startswith("Working — item")
    status.cancel_button.click()
    assert task.cancelled()
    qtbot.waitUntil(lambda: bool(results), timeout=3000)
    assert results[0] < 500
    assert not mgr.busy() and not status.isVisible()


def test_errors_come_back_on_the_gui_thread(qtbot):
    from PySide6.QtCore import QThread
    mgr = TaskManager()
    seen = []

    def boom():
        raise ValueError("bad input")
    mgr.start(Task(boom, label="Boom", progress_kw=None, cancel_kw=None), None,
              lambda e: seen.append((str(e), QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen[0][0] == "bad input"
    assert seen[0][1] is mgr.thread()
