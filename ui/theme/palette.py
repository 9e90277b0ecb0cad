"""The application-wide theme: a QPalette on the Fusion style.

Fusion honours palettes on every platform, native styles do not; deliberately no application
style sheet: once one is set, Qt stops propagating later palette changes to the widgets it
styles, so switching to dark left white lists. "system" follows the desktop's light/dark
preference (QStyleHints.colorScheme).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

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
