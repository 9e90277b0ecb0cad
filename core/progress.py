"""Progress for runs nobody watches on a terminal (`--json`, a pipe, a log file).

A big import is silent between sources; a script or a user tailing a log cannot tell a long
parse from a hang. `Heartbeat` is a progress callback that writes a line to stderr when a new
source starts (at most every `every` seconds) and, from a timer thread, every `every` seconds
while one source is still running.
"""
from __future__ import annotations

import threading
import time
from typing import TextIO

EVERY = 5.0


class Heartbeat:
    def __init__(self, stream: TextIO, every: float | None = None, what: str = "importing"):
        self.stream, self.every, self.what = stream, every or EVERY, what
        self._label, self._i, self._n = "", 0, 0
        self._since = self._last = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def __call__(self, i: int, n: int, label: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._i, self._n = i, n
            if label != self._label:
                self._label, self._since = label, now
                if label and now - self._last >= self.every:
                    self._say(f"{self.what} [{i + 1}/{n}] {label[-80:]}")

    def _beat(self) -> None:
        while not self._stop.wait(self.every / 4):
            now = time.monotonic()
            with self._lock:
                if self._label and now - self._last >= self.every:
                    self._say(f"still {self.what} [{self._i + 1}/{self._n}] "
                              f"{self._label[-80:]} ({now - self._since:.0f} s)")

    def _say(self, line: str) -> None:
        self._last = time.monotonic()
        try:
            print(f"commonplace: {line}", file=self.stream, flush=True)
        except (OSError, ValueError):
            pass
