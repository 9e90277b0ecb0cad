"""Render the main window's key states into docs/screenshots/ (offscreen, 1400×900).

Builds a throwaway library (the seed article plus a few BBC articles from ../shared when
present), isolates QSettings in the same temp folder, and grabs: first run, search results,
dark theme, the entity list, import progress and the import problems panel.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BBC = ROOT.parent / "shared" / "data" / "news-bbc" / "bbc"
SIZE = (1400, 900)


def wait_until(app, pred, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if pred():
            return True
        time.sleep(0.01)
    return False


def settle(app, seconds: float = 0.3) -> None:
    """Let layouts and deferred deletes run (processEvents alone never runs deleteLater)."""
    from PySide6.QtCore import QEvent
    wait_until(app, lambda: False, seconds)
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    wait_until(app, lambda: False, 0.05)


def bbc_files(n: int, offset: int = 0) -> list[str]:
    if not BBC.exists():
        return []
    files: list[str] = []
    for section in ("politics", "business", "tech", "entertainment", "sport"):
        files += [str(p) for p in sorted((BBC / section).glob("*.txt"))[offset:offset + n]]
    return files


def main(out: Path) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="commonplace-shots-"))
    os.environ["COMMONPLACE_SETTINGS_DIR"] = str(tmp / "settings")
    lib_dir = tmp / "library"  # does not exist yet: the window's open is a true first run

    from ui.app import make_app
    app = make_app([sys.argv[0]])
    from ui.window.main_window import MainWindow
    from ui.window.settings import Settings
    Settings().set_theme("light")
    w = MainWindow()
    w.resize(*SIZE)
    w.show()
    w.open_library(str(lib_dir))
    if not wait_until(app, lambda: w.reader is not None and w.library_panel.model.rowCount() > 0,
                      120):
        print("the library did not open", file=sys.stderr)
        return 1
    wait_until(app, lambda: not w.tasks.busy(), 120)
    out.mkdir(parents=True, exist_ok=True)

    def shot(name: str, pause: float = 0.3) -> None:
        settle(app, pause)
        path = out / name
        w.grab().save(str(path))
        print("wrote", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    w.entities_dock.raise_()
    shot("01-first-run.png")
    seed = w.reader.current_article_id()

    extra = bbc_files(1)  # one article per BBC section, imported the way a user would
    if extra:
        w.imports.import_sources(extra)
        wait_until(app, lambda: w.library_panel.model.total_count() > len(extra), 60)
        wait_until(app, lambda: not w.tasks.busy(), 120)
        w.show_article(seed)

    w.focus_search()
    w.search_field.setText("sefcovic OR labour OR government")
    wait_until(app, lambda: w.search_popup.model.rowCount() > 0)
    shot("02-search.png")
    w.search_popup.hide()
    w.search_field.clear()

    w.set_theme("dark")
    shot("03-dark.png")

    w.set_theme("light")
    w.entities_dock.raise_()
    tree = getattr(w.entities_panel, "tree", None)
    if tree is not None and tree.model() is not None:
        m = tree.model()  # pick the first person with several mentions and step to it
        for g in range(m.rowCount()):
            parent = m.index(g, 0)
            for r in range(m.rowCount(parent)):
                ix = m.index(r, 0, parent)
                if "Starmer" in str(ix.data()):
                    tree.setCurrentIndex(ix)
                    tree.activated.emit(ix)
                    break
    shot("04-entities.png")

    more = bbc_files(60, offset=1)  # enough that the grab lands mid-way
    if more:
        bad = tmp / "empty.txt"
        bad.write_text("  \n", encoding="utf-8")
        w.imports.import_sources([*more, str(bad), str(tmp / "missing.html")])
        wait_until(app, lambda: w.tasks.busy() and any(
            w.tasks.progress_of(t)[0] >= 20 for t in w.tasks.tasks), 60)
        shot("05-import-progress.png", 0.05)
        wait_until(app, lambda: w.imports.problems.list.count() > 0, 120)
        wait_until(app, lambda: not w.tasks.busy(), 120)
        shot("06-import-problems.png")

    w.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
