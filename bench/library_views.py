"""Library views and the notebook at scale (issue 12).

    python -m bench.library_views          # builds .bench-cache/views-20000-v1 once (~1 min)

The library: 20,000 articles from the bench corpus (Reuters, BBC, extraction texts) stored in
one transaction (no entities, no index: neither is read by the list), with tags from the
corpus, a third archived, 2 % in the trash, a spread of progress, and 10,000 annotations in
five colours with tags and creation dates over a year. Measured:

- core: `list_ids` + `summaries` of the first 100 rows for every view × sort, and tag/site
  filters (what the list does on a switch);
- GUI (when PySide6 is present): the library list model switching view/filter, and the
  notebook view opening on all 10,000 annotations, timed until the rows are in the model.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.corpus import CACHE, documents  # noqa: E402

N_ARTICLES, N_NOTES = 20000, 10000
VERSION = "1"
COLOURS = ["yellow", "green", "blue", "pink", "purple", ""]


def build(n: int = N_ARTICLES, notes: int = N_NOTES, log=print) -> Path:
    from core.library import Library
    from core.text import content_hash
    path = CACHE / f"views-{n}-v{VERSION}"
    if (path / "DONE").exists():
        return path
    import shutil
    shutil.rmtree(path, ignore_errors=True)
    t0 = time.perf_counter()
    rng = random.Random(12)
    lib = Library(path, seed=False)
    seen, ids = set(), []
    base = datetime(2025, 1, 1, tzinfo=UTC)
    with lib._store.write() as con:
        for doc in documents():
            if len(ids) >= n:
                break
            h = content_hash(doc.text)
            if h in seen:
                continue
            seen.add(h)
            ids.append(lib._store.insert_article(con, doc, h, str(uuid.uuid4())))
        con.execute("DELETE FROM index_queue")
        for aid in ids:
            added = (base + timedelta(minutes=aid * 20)).isoformat(timespec="milliseconds")
            r = rng.random()
            con.execute("UPDATE articles SET added=?, state=?, trashed_at=?, progress=?,"
                        " read_pos=? WHERE id=?",
                        (added.replace("+00:00", "Z"), "archive" if r < 0.33 else "inbox",
                         added if r > 0.98 else None, rng.choice([0, 0, 0, 10, 45, 100]),
                         0, aid))
        for i in range(notes):
            aid = rng.choice(ids)
            text = con.execute("SELECT text FROM articles WHERE id=?", (aid,)).fetchone()[0]
            s = rng.randrange(max(1, len(text) - 60))
            e = min(len(text), s + rng.randint(10, 60))
            when = (base + timedelta(minutes=i * 50)).isoformat(timespec="milliseconds") \
                .replace("+00:00", "Z")
            con.execute(
                "INSERT INTO annotations (uuid, article_id, start, end, exact, prefix, suffix,"
                " color, note, tags, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (str(uuid.uuid4()), aid, s, e, text[s:e], text[max(0, s - 32):s],
                 text[e:e + 32], rng.choice(COLOURS),
                 rng.choice(["", "", "Worth **rereading**", "Compare with last year", "Why?"]),
                 json.dumps(rng.sample(["policy", "markets", "follow-up", "quote"],
                                       rng.randint(0, 2))), when, when))
    lib.close()
    (path / "DONE").write_text(json.dumps({"articles": len(ids), "notes": notes,
                                           "build_s": round(time.perf_counter() - t0, 1)}))
    log(f"  built {path.name} in {time.perf_counter() - t0:.0f} s")
    return path


CPU_MS: dict[str, float] = {}  # process CPU time of the same runs (less hurt by a busy machine)


def _ms(fn, runs: int = 7, key: str = "") -> float:
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    if key:
        CPU_MS[key] = round(statistics.median(cpu), 2)
    return round(statistics.median(times), 2)


def core_switches(path: Path) -> dict:
    from core.library import Library
    lib = Library(path, seed=False)
    out = {}
    tag = lib.all_tags()[0][0] if lib.all_tags() else ""
    site = lib.sites()[0][0] if lib.sites() else ""

    def switch(view, order="added", tags=(), site_=""):
        ids = lib.list_ids(view, order=order, tags=tags, site=site_)
        lib.summaries(ids[:100])
    for view in ("inbox", "archive", "all", "trash", "notes"):
        for order in ("added", "published", "title", "progress"):
            k = f"{view}/{order}"
            out[k] = _ms(lambda v=view, o=order: switch(v, o), key=k)
    out[f"all/tag:{tag}"] = _ms(lambda: switch("all", tags=(tag,)), key="tag")
    out[f"all/site:{site}"] = _ms(lambda: switch("all", site_=site), key="site")
    out["view_counts"] = _ms(lib.view_counts, key="view_counts")
    out["notebook_core_all"] = _ms(lambda: lib.notebook(), runs=5, key="notebook_all")
    out["notebook_core_first_page"] = _ms(lambda: (lib.notebook_count(),
                                                   lib.notebook(limit=200)), runs=5,
                                          key="notebook_first_page")
    out["notebook_core_green"] = _ms(lambda: lib.notebook(colors=("green",)), runs=5)
    lib.close()
    return out


def run(log=print) -> dict:
    path = build(log=log)
    res = {"articles": N_ARTICLES, "notes": N_NOTES, "core_ms": core_switches(path),
           "core_cpu_ms": CPU_MS, "load_avg": [round(x, 2) for x in os.getloadavg()]}
    core = res["core_ms"]
    res["list_switch_core_max_ms"] = max(v for k, v in core.items() if "/" in k)
    try:
        from bench import library_views_ui
    except ImportError:
        return res
    res.update(library_views_ui.measure(path))
    return res


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
