"""Commonplace entry point: no sub-command opens the window; a sub-command runs headless."""
from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from core.cli import build_parser, run
    args, _ = build_parser().parse_known_args(argv)
    if args.command is None:
        if os.environ.get("COMMONPLACE_BENCH_EXIT_AFTER_SHOW") == "1":
            _bench_exit_after_show()
        from ui.app import run_gui
        return run_gui(args.library)
    try:
        return run(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _bench_exit_after_show() -> None:
    """For `make bench` (startup_s, rss_mb): once the main window is shown with the library
    loaded (MainWindow.libraryReady), print `COMMONPLACE_SHOWN <unix time> <rss kB>` and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    exec_ = QApplication.exec

    def report() -> None:
        rss = 0
        try:
            with open("/proc/self/status") as fh:
                rss = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
        print(f"COMMONPLACE_SHOWN {time.time():.6f} {rss}", flush=True)
        QApplication.exit(0)

    def exec_and_report(*_args):
        for w in QApplication.topLevelWidgets():
            if hasattr(w, "libraryReady"):
                w.libraryReady.connect(lambda: QTimer.singleShot(0, report))
        return exec_()

    import time
    QApplication.exec = exec_and_report


if __name__ == "__main__":
    sys.exit(main())
