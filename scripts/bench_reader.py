"""Time opening a 5,000-word article with entities and highlights in the reader (offscreen).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_reader.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication

from core.library import Library
from core.models import Document
from core.text import TextBuilder
from scripts.reader_demo import list_entities


def big_document(words: int = 5000) -> Document:
    seed = (ROOT / "seeds" / "uk-eu-defence-talks.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in seed.splitlines()[1:] if p.strip()]
    b = TextBuilder()
    n, i = 0, 0
    while n < words:
        p = paras[i % len(paras)]
        if i % 12 == 0:
            b.add_block("heading", f"Section {i // 12 + 1}")
        b.add_block("paragraph", p)
        n += len(p.split())
        i += 1
    return Document(text=b.text, blocks=b.blocks, title="A long article", site="example.org")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    from ui.entities.panel import EntitiesPanel
    from ui.notes.panel import NotesPanel
    from ui.reader.view import ReaderView
    lib = Library(Path(tempfile.mkdtemp()) / "lib", seed=False)
    aid = lib.add_document(big_document()).article_id
    art = lib.article(aid)
    ents = list_entities(art.text)
    lib.store.replace_entities(aid, ents, "demo", "1", art.content_hash)
    for k, blk in enumerate(art.blocks[1::3][:60]):
        lib.annotate(aid, start=blk.start, end=min(blk.end, blk.start + 120),
                     color=["yellow", "green", "blue"][k % 3], note="n" if k % 4 == 0 else "")
    r = ReaderView(lib)
    EntitiesPanel(r)
    NotesPanel(lib, r)
    r.resize(1000, 800)
    r.show()
    app.processEvents()
    times = []
    for _ in range(5):
        r.show_article(None)
        app.processEvents()
        t = time.perf_counter()
        r.show_article(aid)
        r.browser.viewport().grab()  # first paint included
        times.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    r.set_scroll_position(len(art.text) - 10)
    r.browser.viewport().grab()
    jump = (time.perf_counter() - t) * 1000
    print(f"{len(art.text.split())} words, {len(ents)} entities, "
          f"{len(lib.annotations(aid))} annotations")
    print(f"open + first paint (reader + entities + notes panels): median "
          f"{statistics.median(times):.0f} ms, min {min(times):.0f}, max {max(times):.0f}")
    print(f"jump to the end + paint: {jump:.0f} ms")


if __name__ == "__main__":
    main()
