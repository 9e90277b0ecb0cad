"""Render the reader's screenshots into docs/screenshots/ (offscreen, DejaVu fonts).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/reader_screenshots.py

A standalone harness (reader + entities panel + notes panel) so the pictures do not depend on
the main window; each shot is a fresh library made from the seed article.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter

from scripts.reader_demo import demo_library

OUT = ROOT / "docs" / "screenshots"


class Harness(QMainWindow):
    def __init__(self, lib, entities: bool = True, notes: bool = True) -> None:
        super().__init__()
        from ui.entities.panel import EntitiesPanel
        from ui.notes.panel import NotesPanel
        from ui.reader.view import ReaderView
        self.reader = ReaderView(lib)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.entities = EntitiesPanel(self.reader)
        self.notes = NotesPanel(lib, self.reader)
        if entities:
            split.addWidget(self.entities)
        split.addWidget(self.reader)
        if notes:
            split.addWidget(self.notes)
        self.setCentralWidget(split)
        self.split = split


def settle(app: QApplication, n: int = 5) -> None:
    for _ in range(n):
        app.processEvents()


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setFont(QFont("DejaVu Sans", 10))
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="cp-shots-"))

    def fresh(name: str):
        return demo_library(tmp / name)

    # 1–3: reader alone with entity highlights and the legend, three themes
    for theme in ("light", "dark", "sepia"):
        lib, aid = fresh(theme)
        w = Harness(lib, entities=False, notes=False)
        w.resize(1100, 820)
        w.show()
        w.reader.set_theme(theme)
        w.reader.show_article(aid)
        settle(app)
        w.grab().save(str(OUT / f"reader-{theme}.png"))
        w.close()

    # 4: entity list panel with one entity chosen (all mentions marked)
    lib, aid = fresh("entities")
    w = Harness(lib, entities=True, notes=False)
    w.resize(1250, 820)
    w.split.setSizes([300, 950])
    w.show()
    w.reader.show_article(aid)
    settle(app)
    m = w.entities.model
    for r in range(m.rowCount()):
        if m.index(r, 0).data() == "PERSON":
            w.entities.tree.setCurrentIndex(m.index(0, 0, m.index(r, 0)))
            w.entities._activate(m.index(0, 0, m.index(r, 0)))
    w.entities.step(1)
    w.reader._flash.stop()
    w.reader._on_flash(0.0)
    settle(app)
    w.grab().save(str(OUT / "entities-panel.png"))
    w.close()

    # 5–6: annotated article (highlight overlapping an entity) + notes panel with preview
    lib, aid = fresh("notes")
    text = lib.article(aid).text
    s = text.index("with Keir Starmer stressing")
    lib.annotate(aid, start=s, end=s + len("with Keir Starmer stressing on Friday"), color="yellow")
    s2 = text.index("EU trade commissioner")
    lib.annotate(aid, start=s2, end=text.index("next week", s2) + len("next week"),
                 color="green", note="**Šefčovič** in London — watch for *fisheries*.\n\n"
                 "- trade\n- energy\n- [background](https://example.org/)", tags=["eu", "trade"])
    s3 = text.index("France has denied")
    lib.annotate(aid, start=s3, end=text.index("talks,", s3) + 5, color="blue")
    lib.annotate(aid, note="Context piece for the *reset* with Brussels.")
    w = Harness(lib, entities=False, notes=True)
    w.resize(1350, 860)
    w.split.setSizes([900, 450])
    w.show()
    w.reader.show_article(aid)
    settle(app)
    w.grab().save(str(OUT / "reader-annotated.png"))
    rows = w.notes.model.items
    w.notes.select_annotation(next(r.annotation.id for r in rows if r.annotation.color == "green"))
    w.reader._flash.stop()
    w.reader._on_flash(0.0)
    settle(app)
    w.grab().save(str(OUT / "notes-panel.png"))
    w.close()

    # 7: an orphaned annotation (its quote no longer in the text)
    lib, aid = fresh("orphan")
    ann = lib.annotate(aid, quote="Britain and the EU", color="pink", note="Opening line")
    lib.store.update_annotation(ann.id, anchor=type(ann.anchor)(
        0, 18, "Paragraph removed by the publisher", "", ""))
    w = Harness(lib, entities=False, notes=True)
    w.resize(1350, 860)
    w.split.setSizes([900, 450])
    w.show()
    w.reader.show_article(aid)
    w.notes.select_annotation(ann.id)
    w.reader.select_range(0, 7)
    settle(app)
    w.grab().save(str(OUT / "notes-orphaned.png"))
    w.close()
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
