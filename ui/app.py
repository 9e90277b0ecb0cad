"""QApplication setup and `run_gui`, the GUI's entry point (the theme is in ui/theme/palette)."""
from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui.window import settings as ui_settings


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    ui_settings.configure()
    app.setApplicationDisplayName("Commonplace")
    app.setDesktopFileName("commonplace")
    return app  # type: ignore[return-value]


def _report_ready_and_quit() -> None:
    import time
    rss = 0
    try:
        with open("/proc/self/status") as fh:
            rss = next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:"))
    except (OSError, StopIteration):
        pass
    print(f"COMMONPLACE_SHOWN {time.time():.6f} {rss}", flush=True)
    QApplication.exit(0)


def run_gui(library_dir: str | None = None, *, exit_when_ready: bool = False) -> int:
    """Show the window at once, then open the library in the background and fill the list.
    `exit_when_ready` (for `make bench`: startup_s, rss_mb) prints `COMMONPLACE_SHOWN <unix
    time> <rss kB>` once the window shows the loaded library, and quits."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        print("commonplace: no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset).\n"
              "  On a server: scripts/install-xvfb.sh, then xvfb-run -a make run.\n"
              "  Without a window: python main.py --help lists the commands.", file=sys.stderr)
        return 1
    app = make_app()
    from ui.window.main_window import MainWindow  # after QApplication: widgets need it
    window = MainWindow()
    if exit_when_ready:
        window.libraryReady.connect(lambda: QTimer.singleShot(0, _report_ready_and_quit))
    window.show()
    QTimer.singleShot(0, lambda: window.open_library(library_dir))
    # Ctrl+C in the terminal closes the window properly (state saved, library closed); the
    # idle timer lets Python's signal handler run while Qt's event loop has control.
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C, logout, kill: close as the user would
        signal.signal(sig, lambda *_: window.close())
    tick = QTimer(interval=250)
    tick.timeout.connect(lambda: None)
    tick.start()
    return app.exec()
