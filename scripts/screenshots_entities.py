"""Screenshots for the entity work (issue #13): the reader with entities drawn as underlines
beside a highlight, and the entity page of a person across several articles.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_entities.py [OUT_DIR]
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from scripts.screenshots import BBC, SIZE, settle, wait_until  # noqa: E402


def main(out: Path) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="commonplace-shots-"))
    os.environ["COMMONPLACE_SETTINGS_DIR"] = str(tmp / "settings")
    from core.library import Library
    lib = Library(tmp / "library")  # the seed article, plus BBC articles naming Blair and Brown
    files = sorted(str(p) for p in (BBC / "politics").glob("*.txt"))[:40] if BBC.exists() else []
    if files:
        lib.import_sources(files, recognise=True)
    seed = lib.article_ids()[0]
    text = lib.article_text(seed)
    s = text.index("Keir Starmer")
    lib.annotate(seed, start=s, end=s + 60, color="yellow", note="Who asked for the reset?")
    lib.close()

    from ui.app import make_app
    app = make_app([sys.argv[0]])
    from ui.window.main_window import MainWindow
    from ui.window.settings import Settings
    Settings().set_theme("light")
    w = MainWindow()
    w.resize(*SIZE)
    w.show()
    w.open_library(str(tmp / "library"))
    if not wait_until(app, lambda: w.reader is not None and w.library_panel.model.rowCount() > 0,
                      120):
        print("the library did not open", file=sys.stderr)
        return 1
    wait_until(app, lambda: not w.tasks.busy(), 120)
    out.mkdir(parents=True, exist_ok=True)
    w.show_article(seed)
    w.entities_dock.raise_()
    settle(app, 0.5)
    path = out / "07-entities-underlined.png"
    w.grab().save(str(path))
    print("wrote", path)
    w.entity_actions.open_page("Tony Blair", "PERSON")
    dlg = w.entity_actions._page
    dlg.resize(620, 680)
    settle(app, 0.5)
    path = out / "08-entity-page.png"
    dlg.grab().save(str(path))
    print("wrote", path)
    dlg.tabs.setCurrentIndex(2)
    settle(app, 0.3)
    path = out / "09-entity-page-companions.png"
    dlg.grab().save(str(path))
    print("wrote", path)
    w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
