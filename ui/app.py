"""QApplication setup, the application-wide theme, and `run_gui`.

The theme is a QPalette on the Fusion style (Fusion honours palettes on every platform, native
styles do not) and deliberately no application style sheet: once one is set, Qt stops propagating later
palette changes to the widgets it styles, so switching to dark left white lists. "system"
follows the desktop's light/dark preference (QStyleHints.colorScheme) and updates live.
"""
from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from ui import settings as ui_settings

_R = QPalette.ColorRole
PALETTES: dict[str, dict[QPalette.ColorRole, str]] = {
    "light": {_R.Window: "#f3f3f3", _R.WindowText: "#1b1b1b", _R.Base: "#ffffff",
              _R.AlternateBase: "#f2f4f7", _R.Text: "#1b1b1b", _R.Button: "#ececec",
              _R.ButtonText: "#1b1b1b", _R.Highlight: "#2c64c6", _R.HighlightedText: "#ffffff",
              _R.PlaceholderText: "#666666", _R.Link: "#1f5fbf", _R.LinkVisited: "#6a3fb5",
              _R.Mid: "#c9c9c9", _R.Dark: "#9a9a9a", _R.Light: "#ffffff", _R.Midlight: "#e3e3e3",
              _R.Shadow: "#707070", _R.ToolTipBase: "#fffbe6", _R.ToolTipText: "#1b1b1b",
              _R.BrightText: "#ffffff"},
    "dark": {_R.Window: "#25262a", _R.WindowText: "#e4e4e4", _R.Base: "#1c1d20",
             _R.AlternateBase: "#232428", _R.Text: "#e4e4e4", _R.Button: "#303237",
             _R.ButtonText: "#e4e4e4", _R.Highlight: "#3a6bc0", _R.HighlightedText: "#ffffff",
             _R.PlaceholderText: "#a0a0a0", _R.Link: "#8ab4f8", _R.LinkVisited: "#c3a6f7",
             _R.Mid: "#4a4d55", _R.Dark: "#141517", _R.Light: "#3a3c42", _R.Midlight: "#34363b",
             _R.Shadow: "#000000", _R.ToolTipBase: "#34363b", _R.ToolTipText: "#e4e4e4",
             _R.BrightText: "#ffffff"},
    "sepia": {_R.Window: "#ece2cc", _R.WindowText: "#3b2f20", _R.Base: "#f8f1e1",
              _R.AlternateBase: "#f1e7d2", _R.Text: "#3b2f20", _R.Button: "#e4d7bb",
              _R.ButtonText: "#3b2f20", _R.Highlight: "#8a5a2b", _R.HighlightedText: "#fff8ec",
              _R.PlaceholderText: "#6f604c", _R.Link: "#7a4a12", _R.LinkVisited: "#5d3b6e",
              _R.Mid: "#c9b793", _R.Dark: "#9c8a66", _R.Light: "#fffaf0", _R.Midlight: "#efe4cc",
              _R.Shadow: "#6b5a3e", _R.ToolTipBase: "#fff8e6", _R.ToolTipText: "#3b2f20",
              _R.BrightText: "#ffffff"},
}


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(name: str) -> str:
    """"system" → "dark" or "light" by the desktop's preference; others pass through."""
    if name == "system":
        return "dark" if system_is_dark() else "light"
    return name if name in PALETTES else "light"


def make_palette(theme: str) -> QPalette:
    pal = QPalette()
    for role, color in PALETTES[resolve_theme(theme)].items():
        pal.setColor(role, QColor(color))
    muted = QColor(pal.color(_R.PlaceholderText))
    for role in (_R.WindowText, _R.Text, _R.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, muted)
    pal.setColor(QPalette.ColorGroup.Disabled, _R.Highlight, pal.color(_R.Mid))
    return pal


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply `theme` to the whole application; returns the resolved light/dark/sepia name."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    resolved = resolve_theme(theme)
    app.setPalette(make_palette(resolved))
    return resolved


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
    from ui.main_window import MainWindow  # after QApplication: widgets need it
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
