"""Screenshots of the reading layout (issue #14): docs/screenshots/14-layout-*.png.

A throwaway library with one BBC article per section (../shared), imported the way a user
would; the window at 1400×900, then at 1000×700 (the side panels give way to the column),
then focus mode (F11) at 1000×700. Prints the column's characters a line for each.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/layout_screenshots.py [OUT_DIR]
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from scripts.screenshots import bbc_files, settle, wait_until  # noqa: E402


def column_chars(w) -> float:
    from ui.reader.render import column_width_px
    r = w.reader
    margin = r.browser.document().rootFrame().frameFormat().leftMargin()
    return (r.browser.viewport().width() - 2 * margin) / (column_width_px(r.font_size()) / 68)


def main(out: Path) -> int:
    files = bbc_files(1)
    if not files:
        print("../shared/data/news-bbc is not here", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="commonplace-layout-"))
    os.environ["COMMONPLACE_SETTINGS_DIR"] = str(tmp / "settings")
    from ui.app import make_app
    app = make_app([sys.argv[0]])
    from ui.window.main_window import MainWindow
    from ui.window.settings import Settings
    Settings().set_theme("light")
    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    w.open_library(str(tmp / "library"))
    if not wait_until(app, lambda: w.reader is not None and w.library_panel.model.rowCount() > 0,
                      120):
        print("the library did not open", file=sys.stderr)
        return 1
    w.imports.import_sources(files)
    wait_until(app, lambda: w.library_panel.model.total_count() > len(files), 60)
    wait_until(app, lambda: not w.tasks.busy(), 180)
    w.library_panel.step(+1)  # the newest BBC article, its entities recognised
    settle(app, 0.5)
    out.mkdir(parents=True, exist_ok=True)

    def shot(name: str, width: int, height: int) -> None:
        w.resize(width, height)
        settle(app, 0.6)
        path = out / name
        w.grab().save(str(path))
        print(f"{path.name}: {w.width()}×{w.height()}, {column_chars(w):.1f} characters a line")

    shot("14-layout-wide.png", 1400, 900)
    shot("14-layout-1000x700.png", 1000, 700)
    w.focus_mode.set_active(True)
    shot("14-layout-focus.png", 1000, 700)
    w.focus_mode.set_active(False)
    w.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
