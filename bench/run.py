"""`make bench`: every performance benchmark in one go → table, docs/benchmarks.json and the
"## Performance (make bench)" section of docs/benchmarks.md (other sections are kept).

    python -m bench.run                  # everything (libraries cached in .bench-cache/)
    python -m bench.run --only search    # one part: search, index, scaling, import, ner,
                                         # startup, reader, gui, formats, export
    python -m bench.run --no-write       # print only

The first run builds the bench libraries (2k … 20k articles, a few minutes); later runs reuse
them. Numbers are medians of several runs; see docs/benchmarks.md for what each one measures.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import app, search
from bench.corpus import CACHE, ROOT, build_library

SIZE = 20000
SCALING = (2000, 5000, 10000, 20000)
JSON_OUT = ROOT / "docs" / "benchmarks.json"
MD_OUT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Performance (make bench)"
TARGETS = {"search_p95_ms": 30, "search_nl_p95_ms": 30, "import_bbc_s": 60, "startup_s": 0.5,
           "open_article_ms": 100, "gui_stall_max_ms": 50, "pdf_200_pages_s": 5,
           "pocket_5000_queue_s": 2, "omnivore_500_s": 60, "export_20k_s": 10,
           "ui_list_switch_max_ms": 50, "ui_notebook_open_ms": 300}


def machine() -> dict:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        m = re.search(r"Model name:\s*(.+)", out)
        model = m.group(1).strip() if m else ""
    except OSError:
        pass
    ram = 0
    try:
        with open("/proc/meminfo") as fh:
            ram = int(next(ln for ln in fh if ln.startswith("MemTotal")).split()[1]) // 1024
    except (OSError, StopIteration):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {"cpu": model or platform.processor(), "nproc": os.cpu_count(), "ram_mb": ram,
            "python": platform.python_version(), "load_avg_start": [round(x, 2) for x in load]}


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def part_search(res: dict, log) -> None:
    d = build_library(SIZE, log=log)
    w = search.whoosh_latency(d, rounds=5)
    fts = CACHE / f"fts-{SIZE}.sqlite"
    fts_build = search.build_fts5(d, fts)
    f = search.fts5_latency(fts, rounds=5)
    res.update(search_p50_ms=w["p50"], search_p95_ms=w["p95"], fts5_p50_ms=f["p50"],
               fts5_p95_ms=f["p95"], fts5_build_s=fts_build, search_articles=SIZE,
               search_queries=len(search.QUERIES), search_by_kind_max_ms=w["by_kind_max"],
               search_per_query_ms={q: round(v, 2) for q, v in w["per_query"].items()},
               index_mb=du_mb(d / "index"))
    res["search_p95_vs_fts5"] = w["p95"] / f["p95"] if f["p95"] else None
    wn = search.whoosh_latency(d, rounds=5, natural=True)
    fn = search.fts5_latency(fts, rounds=5, natural=True)
    res.update(search_nl_p50_ms=wn["p50"], search_nl_p95_ms=wn["p95"],
               fts5_nl_p95_ms=fn["p95"], search_nl_hits=wn["hits"],
               search_nl_per_query_ms={q: round(v, 2) for q, v in wn["per_query"].items()})


def part_relevance(res: dict, log) -> None:
    from bench import relevance
    if not relevance.available():
        log("  relevance: ../shared/data/ir-cranfield or ir-cisi missing; skipped")
        return
    res["relevance"] = {n: relevance.evaluate(n) for n in relevance.COLLECTIONS}
    relevance.write_md(res["relevance"], MD_OUT)


def part_index(res: dict, log, runs: int = 2) -> None:
    from core.library import Library
    d = build_library(SIZE, log=log)
    times = []
    for _ in range(runs):
        lib = Library(d, seed=False)
        t = time.perf_counter()
        lib.reindex()
        times.append(time.perf_counter() - t)
        lib.close()
    res["index_build_s"] = sorted(times)[len(times) // 2] if runs % 2 else sum(times) / runs
    res["index_build_runs"] = times
    res["index_mb"] = du_mb(d / "index")


def part_scaling(res: dict, log) -> None:
    rows = []
    for n in SCALING:
        d = build_library(n, log=log)
        built = json.loads((d / "DONE").read_text())
        w = search.whoosh_latency(d, rounds=3)
        st = app.startup(d, runs=3)
        rows.append({"articles": n, "search_p50_ms": w["p50"], "search_p95_ms": w["p95"],
                     "index_mb": du_mb(d / "index"), "store_mb": du_mb(d) - du_mb(d / "index"),
                     "import_store_s": built["store_s"], "entities_rules_s": built["ner_s"],
                     "index_build_s": built["index_s"], "startup_s": st.get("startup_s")})
    res["scaling"] = rows


def part_import(res: dict, log) -> None:
    r = app.import_bbc(runs=2)
    res["import_bbc_s"] = r.pop("import_bbc_s")
    res["import_bbc"] = r


def part_ner(res: dict, log) -> None:
    r = app.ner_throughput()
    res["ner_words_per_s"] = r.pop("ner_words_per_s")
    res["ner"] = r


def part_startup(res: dict, log) -> None:
    d = build_library(SIZE, log=log)
    r = app.startup(d)
    res["startup_s"] = r.get("startup_s")
    res["rss_mb"] = r.get("rss_mb")
    res["startup_detail"] = {k: v for k, v in r.items() if k not in ("startup_s", "rss_mb")}
    res["startup_detail"]["library_articles"] = SIZE
    res["python_start_s"] = app.baseline_python_start()


def part_reader(res: dict, log) -> None:
    r = app.open_article()
    res["open_article_ms"] = r.pop("open_article_ms")
    res["open_article"] = r


def part_extraction(res: dict, log) -> None:
    """Extraction fidelity: the Readability test pages (ours, trafilatura, readability-lxml in
    the same run) and the Zyte benchmark (ours)."""
    import sys

    from bench import readability_pages
    if readability_pages.DATA.is_dir():
        res["readability_pages"] = readability_pages.run()["rows"]
    out = subprocess.run([sys.executable, "-m", "bench.extraction"], capture_output=True, text=True,
                  cwd=ROOT, check=False)
    if out.returncode == 0:
        z = json.loads(out.stdout)
        res["zyte_extraction"] = {k: z.get(k) for k in ("f1", "precision", "recall", "accuracy",
                                                         "f1_std", "pages", "ms_per_page")}


def extraction_table(res: dict) -> str:
    rows = res.get("readability_pages") or {}
    if not rows:
        return ""
    out = ["| Readability test pages (130) | mean F1 | median F1 | pages < 0.5 | titles exact "
           "| titles, site/author suffix aside | bylines exact | bylines, \"By\" aside |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, r in rows.items():
        out.append(f"| {name} | {r['mean_f1']:.4f} | {r['median_f1']:.4f} | {r['below_0_5']} "
                   f"| {r['titles_exact']} | {r.get('titles_suffix_aside', 'n/a')} "
                   f"| {r['bylines_exact']} | {r.get('bylines_by_aside', 'n/a')} |")
    z = res.get("zyte_extraction")
    if z:
        out += ["", (f"Zyte article-extraction benchmark ({z.get('pages')} pages, extraction "
                     f"only): F1 {z['f1']:.4f} ± {z.get('f1_std') or 0:.3f}, precision "
                     f"{z['precision']:.4f}, recall {z['recall']:.4f}, "
                     f"{z.get('ms_per_page')} ms a page.")]
    return "\n".join(out)


def part_gui(res: dict, log) -> None:
    from bench.gui_stall import gui_stall
    r = gui_stall(build_library(SIZE, log=log))
    res["gui_stall_max_ms"] = r.pop("gui_stall_max_ms")
    res["gui_stall"] = r


def part_formats(res: dict, log) -> None:
    from bench import formats
    r = formats.run()
    for key in ("pdf_200_pages_s", "pocket_5000_queue_s", "omnivore_500_s",
                "omnivore_placed_pct"):
        if key in r:
            res[key] = r.pop(key)
    res["formats"] = r


def part_export(res: dict, log) -> None:
    from bench.export import export_bench
    res.update(export_bench(SIZE, log=log))


def part_views(res: dict, log) -> None:
    from bench import library_views
    r = library_views.run(log=log)
    for key in ("ui_list_switch_max_ms", "ui_notebook_open_ms", "list_switch_core_max_ms"):
        res[key] = r.get(key)
    res["views"] = r


PARTS = {"search": part_search, "index": part_index, "scaling": part_scaling,
         "import": part_import, "ner": part_ner, "startup": part_startup,
         "reader": part_reader, "gui": part_gui, "formats": part_formats,
         "export": part_export, "extraction": part_extraction,
         "relevance": part_relevance, "views": part_views}


def fmt(v, unit: str = "") -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        v = f"{v:.3f}" if abs(v) < 1 else f"{v:.1f}" if abs(v) < 100 else f"{v:,.0f}"
    return f"{v}{unit}"


ROWS = [
    ("search_p50_ms", "search p50 (ms), mixed set, snippets, via Library.search"),
    ("search_p95_ms", "search p95 (ms)"),
    ("fts5_p95_ms", "SQLite FTS5 p95 (ms), same articles and queries"),
    ("search_p95_vs_fts5", "Whoosh p95 ÷ FTS5 p95"),
    ("search_nl_p95_ms", "search p95 (ms), natural-language set (questions, headlines)"),
    ("fts5_nl_p95_ms", "SQLite FTS5 p95 (ms), natural-language set, words ORed"),
    ("search_articles", "articles in the search library"),
    ("index_build_s", "full index rebuild (s) at that size"),
    ("index_mb", "index size (MB)"),
    ("import_bbc_s", "import all 2,225 BBC files, end to end (s)"),
    ("ner_words_per_s", "entity recognition (words/s)"),
    ("startup_s", "start → window shown, library loaded (s)"),
    ("rss_mb", "RSS with the window open on the big library (MB)"),
    ("open_article_ms", "open a 5,000-word article with highlights (ms)"),
    ("gui_stall_max_ms", "longest GUI-thread stall typing a note during a full rebuild (ms)"),
    ("pdf_200_pages_s", "read a 200-page text PDF (s)"),
    ("pocket_5000_queue_s", "5,000-row Pocket export stored and queued, before indexing (s)"),
    ("omnivore_500_s", "Omnivore export, 500 BBC articles + 2,000 highlights, no NER (s)"),
    ("omnivore_placed_pct", "Omnivore highlights placed (%)"),
    ("export_20k_s", "Markdown export, 20k articles with 2,000 annotations, empty folder (s)"),
    ("reexport_20k_s", "re-export of it, nothing changed (s)"),
    ("reexport_identical", "re-export leaves every file byte-identical"),
    ("export_user_text_kept", "user's text around the managed region kept"),
    ("export_entity_notes_s", "the same export with Entities/ notes (s)"),
    ("export_json_s", "the same as W3C JSON (s)"),
    ("ui_list_switch_max_ms", "library list, slowest view/sort/filter switch at 20k (ms)"),
    ("ui_notebook_open_ms", "notebook opens on 10,000 annotations (ms)"),
]


def table(res: dict) -> str:
    lines = ["| measure | value | target |", "| --- | --- | --- |"]
    for key, label in ROWS:
        if key in res:
            tgt = TARGETS.get(key)
            lines.append(f"| {label} | {fmt(res[key])} | {'≤ ' + str(tgt) if tgt else ''} |")
    return "\n".join(lines)


def scaling_table(res: dict) -> str:
    rows = res.get("scaling") or []
    if not rows:
        return ""
    out = [("| articles | search p50 (ms) | search p95 (ms) | index (MB) | store (MB) "
            "| store import (s) | rules NER (s) | index build (s) | startup (s) |"),
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def f1(v) -> str:
        return "n/a" if v is None else f"{v:.1f}"
    for r in rows:
        out.append(f"| {r['articles']:,} | {f1(r['search_p50_ms'])} | {f1(r['search_p95_ms'])} "
                   f"| {f1(r['index_mb'])} | {f1(r['store_mb'])} | {f1(r['import_store_s'])} "
                   f"| {f1(r['entities_rules_s'])} | {f1(r['index_build_s'])} "
                   f"| {fmt(r.get('startup_s'))} |")
    return "\n".join(out)


# Measured on this machine (quiet) with the harness commit 1ae36f4 in a separate worktree on a
# copy of the same 20k library: Whoosh defaults, one reused searcher, 30 hits with snippets.
BEFORE = {"search_p50_ms": 29.4, "search_p95_ms": 311, "index_build_s": 42.3, "index_mb": 65.0,
          "import_bbc_s": 49, "startup_s": 0.46, "slowest_query_ms": 16731}


def before_after(res: dict) -> str:
    per = res.get("search_per_query_ms") or {}
    slow = max(per.items(), key=lambda kv: kv[1]) if per else ("", None)
    rows = [("search p50 (ms)", "search_p50_ms"), ("search p95 (ms)", "search_p95_ms"),
            ("full index rebuild (s)", "index_build_s"), ("index size (MB)", "index_mb"),
            ("BBC import (s)", "import_bbc_s"), ("startup (s)", "startup_s")]
    out = ["| measure | before | after |", "| --- | --- | --- |"]
    for label, key in rows:
        out.append(f"| {label} | {fmt(BEFORE[key])} | {fmt(res.get(key))} |")
    out.append(f"| slowest query, `s*` before / `{slow[0]}` after (ms) "
               f"| {fmt(BEFORE['slowest_query_ms'])} | {fmt(slow[1])} |")
    return "\n".join(out)


def write_md(res: dict, notes: str = "") -> None:
    m = res["machine"]
    body = [SECTION, "",
            ("`make bench` (`python -m bench.run`) runs everything below and writes "
            "`docs/benchmarks.json`. Libraries are built once through `Library.add_document` "
            "from `../shared/data` (Reuters-21578, BBC, extraction-benchmark texts) and cached "
            "in `.bench-cache/`. Numbers are medians of several runs."), "",
            (f"Measured {res['date']} on {m['cpu']}, `nproc` = {m['nproc']}, "
            f"{m['ram_mb'] / 1024:.1f} GB RAM, Python {m['python']}; load average at start "
            f"{m['load_avg_start']} (the machine is shared, so treat small differences as "
            "noise)."), "", table(res), ""]
    imp, ner = res.get("import_bbc") or {}, res.get("ner") or {}
    if imp or ner:
        body += [(f"Import: {imp.get('imported', '?')} imported, {imp.get('duplicates', '?')} "
                  f"duplicates, {imp.get('failed', '?')} failed, {imp.get('entities', '?')} "
                  f"entities, {imp.get('indexed', '?')} indexed; runs "
                  f"{', '.join(f'{x:.1f} s' for x in imp.get('runs', []))}. "
                  f"Recogniser: `{ner.get('version') or ner.get('recogniser', '?')}`. Python "
                  f"alone starts in {fmt(res.get('python_start_s'))} s."), ""]
    if "search_p95_ms" in res:
        body += ["Before → after this work (issue #6), same machine and library:", "",
                 before_after(res), ""]
    st = scaling_table(res)
    if st:
        body += [("Scaling: search over the same mixed query set; store/NER/index times from "
                  "when each cached library was built (rules-only entities; index builds of "
                  "3,000+ articles use two processes); startup = window shown with that "
                  "library loaded:"), "", st, ""]
    et = extraction_table(res)
    if et:
        body += [("Extraction fidelity (`python -m bench.run --only extraction`; bag-of-words "
                  "F1 of casefolded `\\w+` tokens against each page's expected.html, titles "
                  "and bylines exact against expected-metadata.json):"), "", et, ""]
    if notes:
        body += [notes.strip(), ""]
    section = "\n".join(body)
    old = MD_OUT.read_text(encoding="utf-8") if MD_OUT.exists() else "# Benchmarks\n"
    if SECTION in old:
        start = old.index(SECTION)
        nxt = old.find("\n## ", start + len(SECTION))
        new = old[:start] + section + ("\n" + old[nxt + 1:] if nxt != -1 else "")
    else:
        new = old.rstrip("\n") + "\n\n" + section
    MD_OUT.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


NOTES_FILE = ROOT / "bench" / "notes.md"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Commonplace performance benchmarks")
    ap.add_argument("--only", action="append", choices=sorted(PARTS))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, flush=True)

    CACHE.mkdir(exist_ok=True)
    res: dict = {}
    if JSON_OUT.exists() and args.only:  # a partial run updates the last full one
        res = json.loads(JSON_OUT.read_text())
    res["date"] = date.today().isoformat()
    res["machine"] = machine()
    t0 = time.perf_counter()
    for name, fn in PARTS.items():
        if args.only and name not in args.only:
            continue
        log(f"[{time.perf_counter() - t0:6.0f} s] {name}")
        fn(res, log)
    res["machine"]["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    res["bench_s"] = time.perf_counter() - t0
    print()
    print(table(res))
    st = scaling_table(res)
    if st:
        print()
        print(st)
    et = extraction_table(res)
    if et:
        print()
        print(et)
    if not args.no_write:
        clean = json.loads(json.dumps(res, default=str))
        JSON_OUT.write_text(json.dumps(clean, indent=1, sort_keys=True) + "\n")
        notes = NOTES_FILE.read_text(encoding="utf-8") if NOTES_FILE.exists() else ""
        write_md(res, notes)
        log(f"wrote {JSON_OUT.relative_to(ROOT)} and {MD_OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
