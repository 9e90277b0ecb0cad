"""GUI half of bench.library_views: the library list switching view/filter/sort on a 20k
library, and the Notebook opening on 10,000 annotations, each timed until the rows are in the
model and the first screenful has been painted (offscreen)."""
from __future__ import annotations

import statistics
import time
from pathlib import Path


def measure(path: Path, runs: int = 5) -> dict:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from core.library import Library
    from ui.library.panel import LibraryPanel
    from ui.notebook.view import NotebookView
    app = QApplication.instance() or QApplication([])
    lib = Library(path, seed=False)
    panel = LibraryPanel()
    panel.resize(400, 900)
    panel.show()
    t = time.perf_counter()
    panel.set_library(lib, "inbox")
    panel.view.repaint()
    first_fill = (time.perf_counter() - t) * 1000
    tag = lib.all_tags()[0][0]
    # one user action each, as the view bar and sort box do them
    steps = [("view archive", lambda: panel._query_changed("archive", (), "")),
             ("view all", lambda: panel._query_changed("all", (), "")),
             ("sort title", lambda: panel.set_sort("title")),
             ("sort published", lambda: panel.set_sort("published")),
             ("sort progress", lambda: panel.set_sort("progress")),
             ("sort added", lambda: panel.set_sort("added")),
             ("view trash", lambda: panel._query_changed("trash", (), "")),
             ("view has notes", lambda: panel._query_changed("notes", (), "")),
             (f"tag {tag}", lambda: panel._query_changed("all", (tag,), "")),
             ("site Reuters", lambda: panel._query_changed("all", (), "Reuters")),
             ("view inbox", lambda: panel._query_changed("inbox", (), ""))]
    per: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _ in range(runs):
        for name, step in steps:
            t, c = time.perf_counter(), time.process_time()
            step()
            panel.view.repaint()  # paint the first screenful (reads its rows)
            app.processEvents()
            per.setdefault(name, []).append((time.perf_counter() - t) * 1000)
            top = panel.view.indexAt(panel.view.viewport().rect().topLeft() + QPoint(4, 4))
            if panel.model.rowCount() and not top.isValid():
                raise AssertionError(f"{name}: the first row was not laid out when timed")
            cpu.setdefault(name, []).append((time.process_time() - c) * 1000)
    switch = {k: round(statistics.median(v), 1) for k, v in per.items()}
    switch_cpu = {k: round(statistics.median(v), 1) for k, v in cpu.items()}
    nb_times = []
    for _ in range(runs):
        nb = NotebookView()
        nb.resize(900, 900)
        nb.show()
        t = time.perf_counter()
        nb.set_library(lib)
        nb.list.repaint()
        app.processEvents()
        nb_times.append((time.perf_counter() - t) * 1000)
        rows, total = nb.model.rowCount(), nb.model.total
        nb.close()
        nb.deleteLater()
    lib.close()
    panel.close()
    return {"ui_list_first_fill_ms": round(first_fill, 1), "ui_switch_ms": switch,
            "ui_list_switch_max_ms": max(switch.values()), "ui_switch_cpu_ms": switch_cpu,
            "ui_list_switch_cpu_max_ms": max(switch_cpu.values()),
            "ui_notebook_open_ms": round(statistics.median(nb_times), 1),
            "ui_notebook_open_runs_ms": [round(x, 1) for x in nb_times],
            "ui_notebook_rows_loaded": rows, "ui_notebook_total": total}
