"""The longest stall of the GUI thread while a reader types a note during a full index
rebuild of a big library (issue: typing must never freeze the window; goal ≤ 50 ms).

A 5 ms probe timer records when the GUI thread actually got to run; a second timer types a
character into the note editor every 40 ms (the notes panel saves through the write lane as
the user types). The rebuild runs as the window runs it: a TaskManager task. Gaps between
probe ticks beyond the interval are stalls. The same typing without a rebuild is the baseline.

    python -m bench.gui_stall [LIBRARY_DIR]      # default: the 20k bench library (a copy)
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROBE_MS = 5
TYPE_MS = 40


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else 0.0


def _session(lib, rebuild: bool, seconds: float) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.notes.panel import NotesPanel
    from ui.reader.view import ReaderView
    from ui.runner import Task, TaskManager, allow_gui_thread_writes, lane_for

    app = QApplication.instance() or QApplication(sys.argv[:1])
    reader = ReaderView(lib)
    panel = NotesPanel(lib, reader)
    reader.resize(900, 700)
    panel.resize(380, 700)
    reader.show()
    panel.show()
    aid = lib.article_ids()[0]
    with allow_gui_thread_writes():  # the bench's own set-up
        ann = lib.annotate(aid, note="")
    reader.show_article(aid)
    panel.load_article(aid)
    panel.select_annotation(ann.id)
    ticks: list[float] = []
    typed = [0]
    probe = QTimer(interval=PROBE_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    typer = QTimer(interval=TYPE_MS)

    def type_one() -> None:
        QTest.keyClicks(panel.md.editor, "a" if typed[0] % 8 else " ")
        typed[0] += 1
    typer.timeout.connect(type_one)
    done = {"rebuild_s": None}
    tasks = TaskManager()
    t0 = time.perf_counter()
    if rebuild:
        def finished(_n: object) -> None:
            done["rebuild_s"] = time.perf_counter() - t0
        tasks.start(Task(lib.reindex, label="rebuild", cancel_kw=None), finished)
    probe.start()
    typer.start()
    deadline = t0 + seconds
    while time.perf_counter() < deadline and (not rebuild or done["rebuild_s"] is None):
        app.processEvents()
        time.sleep(0.001)
    probe.stop()
    typer.stop()
    panel.flush()
    lane_for(lib).wait(30000)
    app.processEvents()
    tasks.wait(600000)
    gaps = [(b - a) * 1000 - PROBE_MS for a, b in zip(ticks, ticks[1:], strict=False)]
    worst = sorted(((g, a - t0) for g, a in zip(gaps, ticks, strict=False)), reverse=True)[:5]
    saved = len(lib.annotation(ann.id).note)
    reader.close()
    panel.close()
    return {"stall_max_ms": round(max(gaps, default=0.0), 1),
            "stall_p99_ms": round(_percentile(gaps, 0.99), 1),
            "ticks": len(ticks), "typed_chars": typed[0], "saved_chars": saved,
            "seconds": round(time.perf_counter() - t0, 1), "rebuild_s": done["rebuild_s"],
            "worst_stalls_ms_at_s": [[round(g, 1), round(at, 2)] for g, at in worst]}


def gui_stall(lib_dir: Path, seconds: float = 120.0) -> dict:
    """Run on a copy of `lib_dir` (the bench library stays untouched), opened as the window
    opens it (full rebuilds in a child process)."""
    from core.config import Config
    from core.library import Library
    work = Path(tempfile.mkdtemp(prefix="cp-stall-"))
    try:
        copy = work / "library"
        shutil.copytree(lib_dir, copy)
        lib = Library(copy, seed=False, config=Config(isolated_rebuilds=True))
        base = _session(lib, rebuild=False, seconds=5.0)
        during = _session(lib, rebuild=True, seconds=seconds)
        lib.close()
        return {"articles": len(Library(copy, seed=False).article_ids()),
                "baseline": base, "during_rebuild": during,
                "gui_stall_max_ms": during["stall_max_ms"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
    else:
        from bench.corpus import build_library
        target = build_library(20000)
    import json
    print(json.dumps(gui_stall(target), indent=1))
