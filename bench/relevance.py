"""Relevance on two classic test collections (../shared/data/ir-cranfield, ir-cisi), in one run:

  commonplace  Library.search with each query's text exactly as given (the user's path)
  fts5_or      SQLite FTS5 bm25() over the same titles and texts, the query's words ORed
  bm25         plain Okapi BM25 (k1 1.2, b 0.75; Porter stems, no stop list), a few lines here

MAP (over the top 1000), nDCG@10 (Cranfield graded: gain 5 - code for codes 1-4; CISI binary),
P@10 and recall@100, averaged over the judged queries.

    python -m bench.relevance            # both collections, JSON on stdout
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
import time
from collections import Counter
from pathlib import Path

from bench.corpus import CACHE, DATA

DEPTH = 1000
COLLECTIONS = ("cranfield", "cisi")
VERSION = "1"  # bump to rebuild the cached libraries


def _smart(path: Path) -> list[dict[str, str]]:
    """SMART format: `.I id` then `.X` sections; returns [{"I": id, "T": ..., "W": ...}]."""
    recs: list[dict[str, str]] = []
    cur: dict[str, list[str]] | None = None
    sec = ""
    for line in path.read_text(encoding="latin-1").replace("\r\n", "\n").split("\n"):
        m = re.match(r"^\.([A-Z])(?:\s+(.*))?$", line)
        if m:
            if m.group(1) == "I":
                cur = {"I": [m.group(2).strip()]}
                recs.append(cur)  # type: ignore[arg-type]
                sec = ""
            else:
                sec = m.group(1)
                cur.setdefault(sec, [])  # type: ignore[union-attr]
            continue
        if cur is not None and sec:
            cur[sec].append(line)
    return [{k: " ".join(x.strip() for x in v).strip() for k, v in r.items()} for r in recs]  # type: ignore[union-attr]


def load(name: str):
    """(docs [(doc id, title, text, author)], queries [(qid, text)], qrels {qid: {doc: gain}})."""
    if name == "cranfield":
        base = DATA / "ir-cranfield"
        docs = [(r["I"], r.get("T", ""), r.get("W", ""), r.get("A", ""))
                for r in _smart(base / "cran.all.1400")]
        qs = [(str(i + 1), r.get("W", "")) for i, r in enumerate(_smart(base / "cran.qry"))]
        qrels: dict[str, dict[str, int]] = {}
        for line in (base / "cranqrel").read_text().split("\n"):
            p = line.split()
            if len(p) >= 3 and int(p[2]) in (1, 2, 3, 4):
                qrels.setdefault(p[0], {})[p[1]] = 5 - int(p[2])
    else:
        base = DATA / "ir-cisi"
        docs = [(r["I"], r.get("T", ""), r.get("W", ""), r.get("A", ""))
                for r in _smart(base / "CISI.ALL")]
        qs = [(r["I"], r.get("W", "")) for r in _smart(base / "CISI.QRY")]
        qrels = {}
        for line in (base / "CISI.REL").read_text().replace("\r", "").split("\n"):
            p = line.split()
            if len(p) >= 2:
                qrels.setdefault(p[0], {})[p[1]] = 1
    return docs, [(q, t) for q, t in qs if q in qrels], qrels


# -- systems ---------------------------------------------------------------------------------
def build_library(name: str, docs) -> tuple[Path, dict[int, list[str]]]:
    """A cached Commonplace library of the collection; {article id: [doc ids]} (identical
    texts are one article in the library)."""
    from core.library import Library
    from core.models import Document
    from core.text import blocks_from_plain
    d = CACHE / f"ir-{name}-v{VERSION}"
    mapping_file = d / "MAPPING.json"
    if mapping_file.exists():
        return d, {int(k): v for k, v in json.loads(mapping_file.read_text()).items()}
    import shutil
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    lib = Library(d, seed=False)
    mapping: dict[int, list[str]] = {}
    try:
        for did, title, text, author in docs:
            b = blocks_from_plain(text or title or did)
            r = lib.add_document(Document(text=b.text, blocks=b.blocks, title=title,
                                          author=author[:200]))
            mapping.setdefault(r.article_id, []).append(did)
        lib.ensure_index()
    finally:
        lib.close()
    mapping_file.write_text(json.dumps(mapping))
    return d, mapping


def run_commonplace(lib_dir: Path, mapping, queries) -> tuple[dict[str, list[str]], list[float]]:
    from core.library import Library
    lib = Library(lib_dir, seed=False)
    runs, times = {}, []
    try:
        lib.ensure_index()
        for qid, text in queries:
            t = time.perf_counter()
            res = lib.search(text, limit=DEPTH)
            times.append((time.perf_counter() - t) * 1000)
            runs[qid] = [did for h in res.hits if h.kind == "article"
                         for did in mapping.get(h.article_id, [])]
    finally:
        lib.close()
    return runs, times


_FTS_WORD = re.compile(r"\w+")


def run_fts5(docs, queries) -> dict[str, list[str]]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(did UNINDEXED, title, body,"
                " tokenize='porter unicode61 remove_diacritics 2')")
    con.executemany("INSERT INTO fts(did, title, body) VALUES (?, ?, ?)",
                    [(d, t, x) for d, t, x, _ in docs])
    runs = {}
    for qid, text in queries:
        words = list(dict.fromkeys(w.lower() for w in _FTS_WORD.findall(text)))
        match = " OR ".join(f'"{w}"' for w in words)
        rows = con.execute("SELECT did FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?",
                           (match, DEPTH)).fetchall() if words else []
        runs[qid] = [r[0] for r in rows]
    con.close()
    return runs


def run_bm25(docs, queries, k1: float = 1.2, b: float = 0.75) -> dict[str, list[str]]:
    from whoosh.lang.porter import stem

    def toks(s: str) -> list[str]:
        return [stem(w) for w in _FTS_WORD.findall(s.lower())]
    tfs = [Counter(toks(f"{t} {x}")) for _, t, x, _ in docs]
    lens = [sum(c.values()) for c in tfs]
    avg = sum(lens) / len(lens)
    df = Counter(w for c in tfs for w in c)
    n = len(docs)
    idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in df.items()}
    runs = {}
    for qid, text in queries:
        q = [w for w in toks(text) if w in idf]
        scores = []
        for i, c in enumerate(tfs):
            s = sum(idf[w] * c[w] * (k1 + 1) / (c[w] + k1 * (1 - b + b * lens[i] / avg))
                    for w in q if w in c)
            if s > 0:
                scores.append((s, -i))
        scores.sort(reverse=True)
        runs[qid] = [docs[-i][0] for _, i in scores[:DEPTH]]
    return runs


# -- metrics ---------------------------------------------------------------------------------
def metrics(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    ap, ndcg, p10, r100, empty = [], [], [], [], 0
    for qid, rel in qrels.items():
        ranked = list(dict.fromkeys(runs.get(qid, [])))
        if not ranked:
            empty += 1
        hits, prec = 0, 0.0
        for i, d in enumerate(ranked[:DEPTH]):
            if d in rel:
                hits += 1
                prec += hits / (i + 1)
        ap.append(prec / len(rel))
        dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
        ideal = sorted(rel.values(), reverse=True)[:10]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg.append(dcg / idcg if idcg else 0.0)
        p10.append(sum(1 for d in ranked[:10] if d in rel) / 10)
        r100.append(sum(1 for d in ranked[:100] if d in rel) / len(rel))
    n = len(qrels)
    return {"MAP": sum(ap) / n, "nDCG@10": sum(ndcg) / n, "P@10": sum(p10) / n,
            "recall@100": sum(r100) / n, "queries": n, "empty": empty}


def evaluate(name: str) -> dict:
    docs, queries, qrels = load(name)
    qrels = {q: qrels[q] for q, _ in queries}
    lib_dir, mapping = build_library(name, docs)
    ours, times = run_commonplace(lib_dir, mapping, queries)
    out = {"commonplace": metrics(ours, qrels), "fts5_or": metrics(run_fts5(docs, queries), qrels),
           "bm25": metrics(run_bm25(docs, queries), qrels)}
    times.sort()
    out["commonplace"]["p95_ms"] = times[int(0.95 * (len(times) - 1))]
    return out


RSECTION = "## Relevance (make bench)"
SYSTEMS = [("commonplace", "Commonplace `Library.search`, query text as given"),
           ("fts5_or", "SQLite FTS5 `bm25()`, the query's words ORed"),
           ("bm25", "plain Okapi BM25 (bench/relevance.py)")]


def write_md(res: dict, md: Path) -> None:
    """Replace (or add) the relevance section of docs/benchmarks.md."""
    lines = [RSECTION, "",
             ("Cranfield (1,400 abstracts, 225 queries, graded) and CISI (1,460 abstracts, 76 "
              "judged queries) from `../shared/data`, every system in the same run "
              "(`python -m bench.run --only relevance`, or `python -m bench.relevance`). "
              "MAP over the top 1,000; nDCG@10 graded on Cranfield (gain 5 − code), binary on "
              "CISI. \"empty\" = queries that returned nothing."), ""]
    for name, r in res.items():
        lines += [f"**{name}**", "", "| system | MAP | nDCG@10 | P@10 | recall@100 | empty |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for key, label in SYSTEMS:
            m = r[key]
            lines.append(f"| {label} | {m['MAP']:.3f} | {m['nDCG@10']:.3f} | {m['P@10']:.3f} "
                         f"| {m['recall@100']:.3f} | {m['empty']} |")
        lines.append("")
    section = "\n".join(lines)
    old = md.read_text(encoding="utf-8") if md.exists() else "# Benchmarks\n"
    if RSECTION in old:
        start = old.index(RSECTION)
        nxt = old.find("\n## ", start + len(RSECTION))
        new = old[:start] + section + ("\n" + old[nxt + 1:] if nxt != -1 else "")
    else:
        new = old.rstrip("\n") + "\n\n" + section
    md.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def available() -> bool:
    return (DATA / "ir-cranfield" / "cran.all.1400").exists() and \
        (DATA / "ir-cisi" / "CISI.ALL").exists()


if __name__ == "__main__":
    import sys
    names = sys.argv[1:] or list(COLLECTIONS)
    print(json.dumps({n: evaluate(n) for n in names}, indent=1))
