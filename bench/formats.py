"""Import formats: a 200-page PDF, a 5,000-row Pocket export, a 500-article Omnivore export.

    python -m bench.formats          # prints the numbers (also run by `python -m bench.run`)

The Omnivore export is built from BBC articles (../shared): 4 highlights per article taken
from its own sentences, with straight quotes and re-wrapped whitespace as exports have them.
"""
from __future__ import annotations

import html
import json
import random
import re
import tempfile
import time
import zipfile
from pathlib import Path

from bench.corpus import bbc_files


def pdf_200() -> dict:
    from core.importers import load_source
    from tests.core.pdf_fixtures import make_book
    with tempfile.TemporaryDirectory(prefix="cp-bench-pdf-") as tmp:
        path = Path(tmp) / "book.pdf"
        make_book(path, pages=200)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            doc = load_source(str(path))
            times.append(time.perf_counter() - t)
    return {"pdf_200_pages_s": sorted(times)[1], "pdf_chars": len(doc.text),
            "pdf_blocks": len(doc.blocks)}


def pocket_5000() -> dict:
    from core.library import Library
    with tempfile.TemporaryDirectory(prefix="cp-bench-pocket-") as tmp:
        path = Path(tmp) / "part_000000.csv"
        rows = ["title,url,time_added,tags,status"]
        rows += [f"Story {i},https://news.example.org/{i},{1700000000 + i},a|b,unread"
                 for i in range(5000)]
        path.write_text("\n".join(rows) + "\n")
        from core.app_import import import_export
        lib = Library(Path(tmp) / "lib", seed=False)
        t = time.perf_counter()
        _, rep = import_export(lib, str(path), "pocket-csv")  # stored and queued
        took = time.perf_counter() - t
        lib.ensure_index()  # what import_sources does next: index the 5,000 titles
        total = time.perf_counter() - t
        lib.close()
    return {"pocket_5000_queue_s": took, "pocket_5000_with_index_s": total,
            "pocket_queued": rep.link_only}


_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _omnivore(path: Path, n_articles: int) -> int:
    rng = random.Random(17)
    files = bbc_files()[:n_articles]
    meta, total = [], 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, f in enumerate(files):
            title, _, body = f.read_bytes().decode("latin-1").partition("\n")
            paras = [p.strip() for p in body.split("\n\n") if p.strip()]
            slug = f"a{i}"
            meta.append({"id": slug, "slug": slug, "title": title.strip(),
                         "url": f"https://bbc.example/{i}", "state": "Succeeded",
                         "labels": [{"name": f.parent.name}], "savedAt": "2024-01-01T00:00:00Z"})
            zf.writestr(f"content/{slug}.html", "<html><body>" + "".join(
                f"<p>{html.escape(p)}</p>" for p in paras) + "</body></html>")
            sentences = [s for p in paras for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 30]
            picks = rng.sample(sentences, min(4, len(sentences)))
            total += len(picks)
            straight = [s.translate(_STRAIGHT) for s in picks]
            md = [f"> {s} [⤴️](https://omnivore.app/x)" for s in straight]
            zf.writestr(f"highlights/{slug}.md", "\n\n".join(md) + "\n")
        zf.writestr("metadata_0_to_500.json", json.dumps(meta))
    return total


def omnivore_500() -> dict:
    from core.library import Library
    with tempfile.TemporaryDirectory(prefix="cp-bench-omni-") as tmp:
        path = Path(tmp) / "omnivore.zip"
        n_hl = _omnivore(path, 500)
        lib = Library(Path(tmp) / "lib", seed=False)
        t = time.perf_counter()
        lib.import_sources([str(path)], recognise=False)
        took = time.perf_counter() - t
        rep = lib.export_reports[0]
        lib.close()
    return {"omnivore_500_s": took, "omnivore_highlights": n_hl,
            "omnivore_placed_pct": 100.0 * rep.placed / max(1, rep.placed + rep.orphaned),
            "omnivore_imported": rep.imported}


def run() -> dict:
    out = {}
    out.update(pdf_200())
    out.update(pocket_5000())
    if bbc_files():
        out.update(omnivore_500())
    return out


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
