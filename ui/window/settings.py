"""UI state in QSettings: window geometry and docks, theme, font size, last article, scroll.

Where settings live: INI files under $COMMONPLACE_SETTINGS_DIR when that variable is set (tests
and portable installs), otherwise the platform's usual per-user location. `configure()` must run
before the first QSettings is made; `run_gui` calls it, and so does the test conftest.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

ORG = "Commonplace"
APP = "Commonplace"
ENV_DIR = "COMMONPLACE_SETTINGS_DIR"
THEMES = ("system", "light", "dark", "sepia")
DEFAULT_FONT_PT = 12
MIN_FONT_PT, MAX_FONT_PT = 8, 32
MAX_SCROLL_ENTRIES = 500  # scroll positions kept; oldest dropped so the file stays small


def configure(settings_dir: str | os.PathLike | None = None) -> None:
    """Point QSettings at INI files (in `settings_dir`, or $COMMONPLACE_SETTINGS_DIR if set)."""
    QCoreApplication.setOrganizationName(ORG)
    QCoreApplication.setApplicationName(APP)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    target = settings_dir or os.environ.get(ENV_DIR)
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, str(target))


class Settings:
    """Typed accessors over one QSettings; values are validated on the way out, because an
    INI file edited by hand (or written by an older version) must never crash startup."""

    def __init__(self) -> None:
        self.q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG, APP)

    def sync(self) -> None:
        self.q.sync()

    # -- window ------------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        v = self.q.value("window/geometry")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def set_geometry(self, data: QByteArray) -> None:
        self.q.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        v = self.q.value("window/state")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def set_window_state(self, data: QByteArray) -> None:
        self.q.setValue("window/state", data)

    def focus_mode(self) -> bool:
        return str(self.q.value("window/focus_mode", "false")).lower() in ("true", "1")

    def set_focus_mode(self, on: bool) -> None:
        self.q.setValue("window/focus_mode", bool(on))

    # -- appearance --------------------------------------------------------------------------
    def theme(self) -> str:
        v = str(self.q.value("appearance/theme", "system"))
        return v if v in THEMES else "system"

    def set_theme(self, name: str) -> None:
        self.q.setValue("appearance/theme", name if name in THEMES else "system")

    def font_size(self) -> int:
        return clamp_font(_int(self.q.value("appearance/font_size"), DEFAULT_FONT_PT))

    def set_font_size(self, pt: int) -> None:
        self.q.setValue("appearance/font_size", clamp_font(pt))

    # -- reading position --------------------------------------------------------------------
    def last_article(self) -> int | None:
        v = _int(self.q.value("reading/last_article"), 0)
        return v if v > 0 else None

    def set_last_article(self, article_id: int | None) -> None:
        self.q.setValue("reading/last_article", int(article_id or 0))

    def scroll_position(self, article_id: int) -> int:
        return max(0, _int(self.q.value(f"scroll/{int(article_id)}"), 0))

    def set_scroll_position(self, article_id: int, value: int) -> None:
        self.q.beginGroup("scroll")
        try:
            keys = self.q.childKeys()
            if len(keys) >= MAX_SCROLL_ENTRIES and str(article_id) not in keys:
                for k in sorted(keys, key=lambda k: _int(k, 0))[:len(keys) - MAX_SCROLL_ENTRIES + 1]:
                    self.q.remove(k)
            if value > 0:
                self.q.setValue(str(int(article_id)), int(value))
            else:
                self.q.remove(str(int(article_id)))
        finally:
            self.q.endGroup()

    # -- library list ------------------------------------------------------------------------
    def sort_key(self) -> str:
        v = str(self.q.value("library/sort", "added"))
        return v if v in ("added", "published", "title", "progress") else "added"

    def set_sort_key(self, key: str) -> None:
        self.q.setValue("library/sort", key)

    def library_view(self) -> str:
        v = str(self.q.value("library/view", "inbox"))
        return v if v in ("inbox", "archive", "all", "trash", "notes") else "inbox"

    def set_library_view(self, view: str) -> None:
        self.q.setValue("library/view", view)


    # -- reader ------------------------------------------------------------------------------
    def hidden_labels(self) -> set[str]:
        v = self.q.value("reader/hidden_labels", "")
        items = v if isinstance(v, list) else str(v or "").split(",")
        return {x.strip().upper() for x in items if x and x.strip().isalpha()}

    def set_hidden_labels(self, labels: set[str]) -> None:
        self.q.setValue("reader/hidden_labels", ",".join(sorted(labels)))

    # -- export ------------------------------------------------------------------------------
    def export_dir(self) -> str:
        return str(self.q.value("export/dir", "") or "")

    def set_export_dir(self, path: str) -> None:
        self.q.setValue("export/dir", path)

    def export_format(self) -> str:
        v = str(self.q.value("export/format", "markdown"))
        return v if v in ("markdown", "json") else "markdown"

    def set_export_format(self, fmt: str) -> None:
        self.q.setValue("export/format", fmt)


def clamp_font(pt: int) -> int:
    return max(MIN_FONT_PT, min(MAX_FONT_PT, int(pt)))


def _int(v: object, default: int) -> int:
    if not isinstance(v, (int, float, str, bytes)):  # what QSettings hands back, or junk
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        return default
