"""End-to-end benchmarks: BBC import, NER throughput, GUI startup and RSS, opening an article.

Each returns plain numbers (medians of `runs`) plus a few details for the report.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import ROOT, bbc_files


def import_bbc(runs: int = 2) -> dict:
    """All 2,225 BBC files end to end: read, extract, recognise entities, store, index."""
    from core.library import Library
    folders = sorted({str(f.parent) for f in bbc_files()})
    times, details = [], {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="cp-bench-import-") as tmp:
            t = time.perf_counter()
            lib = Library(Path(tmp) / "lib", seed=False)
            res = lib.import_sources(folders, recognise=True)
            lib.close()
            times.append(time.perf_counter() - t)
            lib = Library(Path(tmp) / "lib", seed=False)
            details = {
                "files": len(res),
                "imported": sum(r.status == "imported" for r in res),
                "duplicates": sum(r.status == "duplicate" for r in res),
                "failed": sum(r.status == "failed" for r in res),
                "recogniser": lib.recogniser().name,
                "entities": lib.store.con.execute("SELECT count(*) FROM entities").fetchone()[0],
                "indexed": lib.index.doc_count(),
            }
            lib.close()
    return {"import_bbc_s": statistics.median(times), "runs": times, **details}


def ner_throughput(n_docs: int = 300, runs: int = 3) -> dict:
    """Words per second of the app's default recogniser (whatever get_recogniser(None) gives),
    on BBC articles, after a warm-up that loads the model."""
    try:
        from core.ner import get_recogniser
        rec = get_recogniser(None)
    except Exception as e:  # the recogniser is another engineer's work in progress
        return {"ner_words_per_s": None, "recogniser": f"unavailable: {e}"}
    texts = [f.read_bytes().decode("latin-1") for f in bbc_files()[:n_docs]]
    words = sum(len(t.split()) for t in texts)
    list(rec.recognise_many(texts[:3]))
    rates = []
    for _ in range(runs):
        t = time.perf_counter()
        for _spans in rec.recognise_many(texts):
            pass
        rates.append(words / (time.perf_counter() - t))
    return {"ner_words_per_s": statistics.median(rates), "recogniser": rec.name,
            "version": getattr(rec, "version", ""), "words": words}


def startup(lib_dir: Path, runs: int = 5) -> dict:
    """Process start → main window shown with the library loaded (MainWindow.libraryReady),
    via `python main.py --library DIR` offscreen; main.py prints a timestamp and quits when
    COMMONPLACE_BENCH_EXIT_AFTER_SHOW=1. RSS is the process's VmRSS at that moment."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMMONPLACE_BENCH_EXIT_AFTER_SHOW="1")
    times, rss = [], []
    with tempfile.TemporaryDirectory(prefix="cp-bench-start-") as cfg:
        env["XDG_CONFIG_HOME"] = cfg  # the user's QSettings stay untouched
        env["HOME"] = cfg
        # a copy: the window's background tasks (recognition, index sync) may write to it
        copy = Path(cfg) / "library"
        shutil.copytree(lib_dir, copy, ignore=shutil.ignore_patterns("DONE"))
        lib_dir = copy
        for i in range(runs + 1):
            t0 = time.time()
            p = subprocess.run([sys.executable, str(ROOT / "main.py"), "--library", str(lib_dir)],
                               env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
                               check=False)
            line = next((ln for ln in p.stdout.splitlines()
                         if ln.startswith("COMMONPLACE_SHOWN ")), None)
            if line is None:
                return {"startup_s": None, "rss_mb": None,
                        "error": (p.stderr or p.stdout)[-2000:]}
            _, ts, kb = line.split()
            if i == 0:
                continue  # warm-up: file cache, first QSettings
            times.append(float(ts) - t0)
            rss.append(int(kb) / 1024)
    return {"startup_s": statistics.median(times), "rss_mb": statistics.median(rss),
            "startup_runs": times}


def baseline_python_start(runs: int = 5) -> float:
    """Bare interpreter start to exit, for context."""
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def _long_article_library(dest: Path, words: int = 5000):
    """A library with one ~5,000-word article (BBC texts joined), entities and 30 highlights."""
    from core.library import Library
    from core.models import Document, EntitySpan
    from core.text import blocks_from_plain
    paras, n = [], 0
    for f in bbc_files()[:200]:
        for p in f.read_bytes().decode("latin-1").split("\n\n")[1:]:
            if p.strip():
                paras.append(p.strip())
                n += len(p.split())
        if n >= words:
            break
    b = blocks_from_plain("\n\n".join(paras))
    lib = Library(dest, seed=False)
    aid = lib.add_document(Document(text=b.text, blocks=b.blocks, title="A long article",
                                    site="Bench")).article_id
    art = lib.article(aid)
    try:
        from core.ner import get_recogniser
        spans = get_recogniser("rules").recognise(art.text)
    except Exception:
        spans = []
    if not spans:  # fall back to capitalised words, so the entity layer has work to do
        import re
        spans = [EntitySpan(m.start(), m.end(), "ORG", m.group(), "bench")
                 for m in re.finditer(r"\b[A-Z][a-z]+\b", art.text)][::3]
    lib.store.replace_entities(aid, spans, "bench", "1", art.content_hash)
    step = len(art.text) // 31
    for k in range(1, 31):
        s = art.text.find(" ", k * step) + 1
        e = art.text.find(" ", s + 40)
        lib.annotate(aid, start=s, end=e, color="yellow", note="note" if k % 3 == 0 else "")
    return lib, aid, len(art.text.split()), len(spans)


def open_article(runs: int = 7) -> dict:
    """ReaderView.show_article for a 5,000-word article with entities and highlights, until
    the event queue is drained (layout and the first paint of the visible part included)."""
    try:
        from PySide6.QtWidgets import QApplication

        from ui.reader.view import ReaderView
    except Exception as e:
        return {"open_article_ms": None, "error": f"reader unavailable: {e}"}
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="cp-bench-reader-"))
    lib, aid, words, n_ents = _long_article_library(tmp / "lib")
    try:
        view = ReaderView(lib)
        view.resize(1000, 800)
        view.show()
        app.processEvents()
        view.show_article(aid)
        app.processEvents()
        times = []
        for _ in range(runs):
            view.show_article(None)
            app.processEvents()
            t = time.perf_counter()
            view.show_article(aid)
            app.processEvents()
            view.browser.viewport().repaint()
            times.append((time.perf_counter() - t) * 1000)
        view.close()
        view.deleteLater()
        app.processEvents()
        return {"open_article_ms": statistics.median(times), "words": words,
                "entities": n_ents, "highlights": 30}
    finally:
        lib.close()
        shutil.rmtree(tmp, ignore_errors=True)
