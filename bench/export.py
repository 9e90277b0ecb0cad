"""Export benchmark: the 20,000-article bench library with 2,000 annotations (a fixed, seeded
mix of highlights, passage notes in Markdown, article notes, colours and tags over ~700
articles), exported as an Obsidian vault the way File ▸ Export does it.

Measures the first export into an empty folder, a re-export (must leave every file
byte-identical and untouched), a re-export after the user wrote text around the managed region
(must keep it), the same with entity notes, and W3C JSON. The annotated library is built once
from the cached bench library (through Library.annotate) and cached beside it.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus import CACHE, build_library

N_ANNOTATIONS = 2000
_NOTES = ["Key claim — check the *source*.", "Compare with the **earlier** report.\n\n- one\n- two",
          "> a quote of my own\n\nand a reply", "Numbers: 1. first\n2. second", "```\ncode\n```",
          "---\nstarts with a rule", "Follow up ^later", "Why? See [[Other note]]."]
_TAGS = [[], [], ["follow up"], ["2026"], ["economy/trade"], ["People", "Asia Pacific"]]
_COLOURS = ["yellow", "green", "blue", "pink", "purple", ""]


def annotated_library(size: int, n: int = N_ANNOTATIONS, log=print) -> Path:
    """A copy of the bench library of `size` articles with `n` annotations (cached)."""
    from core.library import Library
    path = CACHE / f"export-{size}-{n}"
    if (path / "DONE").exists():
        return path / "lib"
    src = build_library(size, log=log)
    shutil.rmtree(path, ignore_errors=True)
    (path / "lib").mkdir(parents=True)
    shutil.copy2(src / "library.sqlite", path / "lib" / "library.sqlite")
    rng = random.Random(15)
    t = time.perf_counter()
    with Library(path / "lib", seed=False) as lib:
        ids = lib.article_ids()
        chosen = sorted(rng.sample(ids, max(1, n * 7 // 20)))  # ~2.9 annotations per article
        made = 0
        while made < n:
            aid = rng.choice(chosen)
            text = lib.article(aid).text
            colour, note = rng.choice(_COLOURS), rng.choice(["", "", *_NOTES])
            tags = rng.choice(_TAGS)
            if rng.random() < 0.1:
                lib.annotate(aid, note=note or "An article note.", color=colour, tags=tags)
            else:
                sentences = [m.span() for m in re.finditer(r"[A-Z][^.\n]{20,200}\.", text)]
                if not sentences:
                    continue
                s, e = rng.choice(sentences)
                lib.annotate(aid, start=s, end=e, note=note, color=colour, tags=tags)
            made += 1
    (path / "DONE").write_text(json.dumps({"annotations": n, "build_s": time.perf_counter() - t}))
    log(f"  export: annotated {n} passages in {time.perf_counter() - t:.0f} s")
    return path / "lib"


def _snapshot(folder: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*.md"))}


def export_bench(size: int = 20000, runs: int = 3, log=print) -> dict:
    from core.export import export_library
    from core.library import Library
    lib_dir = annotated_library(size, log=log)
    firsts, agains, entity_s, json_s = [], [], [], []
    identical = kept = True
    files = notes_files = 0
    with Library(lib_dir, seed=False) as lib:
        for _ in range(runs):
            with tempfile.TemporaryDirectory(prefix="cp-bench-export-") as tmp:
                out = Path(tmp) / "vault"
                t = time.perf_counter()
                paths = export_library(lib, out)
                firsts.append(time.perf_counter() - t)
                files = len(paths)
                before = _snapshot(out)
                t = time.perf_counter()
                export_library(lib, out)
                agains.append(time.perf_counter() - t)
                identical = identical and _snapshot(out) == before
                # the user's own text around the managed region survives a re-export
                p = paths[len(paths) // 2]
                p.write_text("Mine above.\n" + p.read_text("utf-8") + "\nMine below.\n", "utf-8")
                export_library(lib, out)
                body = p.read_text("utf-8")
                kept = kept and "Mine above." in body and "Mine below." in body
                t = time.perf_counter()
                notes_files = len(export_library(lib, Path(tmp) / "ents", entity_notes=True))
                entity_s.append(time.perf_counter() - t)
                t = time.perf_counter()
                export_library(lib, Path(tmp) / "json", fmt="json")
                json_s.append(time.perf_counter() - t)
    return {"export_20k_s": statistics.median(firsts), "export_runs": firsts,
            "reexport_20k_s": statistics.median(agains), "export_files": files,
            "export_entity_notes_s": statistics.median(entity_s),
            "export_files_with_entities": notes_files,
            "export_json_s": statistics.median(json_s),
            "reexport_identical": identical, "export_user_text_kept": kept,
            "export_articles": size, "export_annotations": N_ANNOTATIONS}


if __name__ == "__main__":
    print(json.dumps(export_bench(runs=1), indent=1, default=str))
