"""Screenshots of the library views and the notebook (issue 12) into docs/screenshots/.

Builds a throwaway library from 40 BBC articles (8 per section, imported as a folder with
`tag_folders`, so each is tagged with its section) plus the seed article, triages some of
them, highlights passages in several colours, then grabs: the Inbox, Archive, Trash and
Has-notes views, a tag filter, and the Notebook (all, and filtered to one colour).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_library.py [OUT_DIR]
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

from scripts.screenshots import BBC, SIZE, settle, wait_until  # noqa: E402


def build(lib_dir: Path, tmp: Path) -> None:
    from core.library import Library
    src = tmp / "bbc"
    for section in ("politics", "business", "tech", "entertainment", "sport"):
        (src / section).mkdir(parents=True)
        for p in sorted((BBC / section).glob("*.txt"))[:8]:
            shutil.copy(p, src / section / p.name)
    with Library(lib_dir) as lib:  # seeds the sample article
        lib.import_sources([str(src)], tag_folders=True, recognise=False)
        ids = lib.list_ids("all", order="added")
        lib.archive(ids[5:12])
        lib.mark_read(ids[5:9])
        lib.trash(ids[12:14])
        for i, aid in enumerate(ids[:12]):
            text = lib.article(aid).text
            words = text.split()
            lib.set_reading_position(aid, 0, len(text) * [0, 35, 60, 100, 0, 20][i % 6] // 100)
            if i % 2 == 0 and len(words) > 40:
                quote = " ".join(words[20:28])
                colour = ["yellow", "green", "blue", "pink", "purple"][i % 5]
                note = ["", "Worth **rereading**", "Compare with last year's figures",
                        "Who is the source?", ""][i % 5]
                try:
                    lib.annotate(aid, quote=quote, color=colour, note=note,
                                 tags=["follow-up"] if i % 4 == 0 else [])
                except Exception:  # noqa: BLE001 - a quote repeated in the text: skip it
                    pass
        lib.tag_articles(ids[:3], add=["Read later"])


def main(out: Path) -> int:
    if not BBC.exists():
        print("needs ../shared/data/news-bbc", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="commonplace-shots12-"))
    os.environ["COMMONPLACE_SETTINGS_DIR"] = str(tmp / "settings")
    lib_dir = tmp / "library"
    build(lib_dir, tmp)

    from ui.app import make_app
    app = make_app([sys.argv[0]])
    from ui.window.main_window import MainWindow
    from ui.window.settings import Settings
    Settings().set_theme("light")
    w = MainWindow()
    w.resize(*SIZE)
    w.show()
    w.open_library(str(lib_dir))
    if not wait_until(app, lambda: w.reader is not None and w.library_panel.model.rowCount(), 120):
        print("the library did not open", file=sys.stderr)
        return 1
    wait_until(app, lambda: not w.tasks.busy(), 120)
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import Qt
    w.resizeDocks([w.library_dock], [420], Qt.Orientation.Horizontal)

    def shot(name: str) -> None:
        settle(app, 0.3)
        path = out / name
        w.grab().save(str(path))
        print("wrote", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)

    bar = w.library_panel.viewbar
    w.show_article(w.library_panel.model.article_id(1))
    shot("12-library-inbox.png")
    bar.set_view("archive")
    shot("12-library-archive.png")
    bar.set_view("trash")
    shot("12-library-trash.png")
    bar.set_view("notes")
    shot("12-library-has-notes.png")
    bar.set_view("all")
    bar.set_tag("sport")
    shot("12-library-tag-sport.png")
    bar.set_tag("")
    w.live.show_notebook()
    shot("12-notebook.png")
    nb = w.live.notebook
    nb.colour.setCurrentIndex(nb.colour.findData("green"))
    nb.apply()
    shot("12-notebook-green.png")
    w.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
