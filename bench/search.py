"""Search latency through Library.search (the GUI's path, snippets included) against SQLite
FTS5 over the same articles and the same queries, in the same run.

Each round runs the whole mixed query set once; a round gives a p50 and a p95 over the set;
the reported numbers are medians over the rounds (a warm-up round is discarded).
"""
from __future__ import annotations

import re
import sqlite3
import statistics
import time
from pathlib import Path

# (kind, Whoosh/Commonplace query, FTS5 equivalent). Mixed on purpose: common and rare single
# terms, two-term AND, phrases, prefixes, field queries.
QUERIES: list[tuple[str, str, str]] = [
    ("term", "oil", "oil"),
    ("term", "government", "government"),
    ("term", "market", "market"),
    ("term", "said", "said"),
    ("term", "shares", "shares"),
    ("term", "cocoa", "cocoa"),
    ("term", "zimbabwe", "zimbabwe"),
    ("term", "ipod", "ipod"),
    ("term", "chelsea", "chelsea"),
    ("term", "sefcovic", "sefcovic"),
    ("and", "oil prices", "oil AND prices"),
    ("and", "interest rates", "interest AND rates"),
    ("and", "bank profit", "bank AND profit"),
    ("and", "film award", "film AND award"),
    ("and", "stock exchange", "stock AND exchange"),
    ("and", "mobile phone", "mobile AND phone"),
    ("and", "election labour", "election AND labour"),
    ("phrase", '"interest rates"', '"interest rates"'),
    ("phrase", '"prime minister"', '"prime minister"'),
    ("phrase", '"united states"', '"united states"'),
    ("phrase", '"oil prices"', '"oil prices"'),
    ("phrase", '"mobile phone"', '"mobile phone"'),
    ("phrase", '"said it expected"', '"said it expected"'),
    ("prefix", "comp*", "comp*"),
    ("prefix", "mark*", "mark*"),
    ("prefix", "gov*", "gov*"),
    ("prefix", "tele*", "tele*"),
    ("prefix", "s*", "s*"),
    ("prefix", "econ*", "econ*"),
    ("field", "title:oil", "title:oil"),
    ("field", "title:profit", "title:profit"),
    ("field", "title:election", "title:election"),
    ("field", "person:blair", "person:blair"),
    ("field", "place:japan", "place:japan"),
    ("field", "org:opec", "org:opec"),
    ("mixed", "title:oil prices", "title:oil AND prices"),
    ("mixed", "bank NOT japan", "bank NOT japan"),
    ("mixed", "oil OR gas", "oil OR gas"),
]

# Natural-language queries as people type them: questions and headlines of 5-12 words, stop
# words and punctuation included. FTS5 gets the same words ORed (its syntax would AND them).
NATURAL: list[str] = [
    "What did the government say about interest rates?",
    "Why are oil prices rising again this year?",
    "How much profit did the bank make in 2004?",
    "Who won the film award at the festival?",
    "Shares fall as the dollar weakens against the yen.",
    "Prime minister calls for talks on the budget",
    "Is the mobile phone market still growing?",
    "Which companies are cutting jobs in the car industry?",
    "Chelsea beat Arsenal in the league cup final",
    "What happened to the price of gold after the election?",
    "Union leaders warn of strike over pensions",
    "Does the new tax affect small businesses in the UK?",
]

LIMIT = 30  # what the search panel asks for (ui.main_window: lib.search(q, limit=30))


def percentile(xs: list[float], p: float) -> float:
    s = sorted(xs)
    if not s:
        return 0.0
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _rounds(fn, queries: list[str], rounds: int) -> dict:
    for q in queries:  # warm-up: open searchers, fill caches
        fn(q)
    p50s, p95s, per_query = [], [], {q: [] for q in queries}
    for _ in range(rounds):
        times = []
        for q in queries:
            t = time.perf_counter()
            fn(q)
            dt = (time.perf_counter() - t) * 1000
            times.append(dt)
            per_query[q].append(dt)
        p50s.append(percentile(times, 50))
        p95s.append(percentile(times, 95))
    return {"p50": statistics.median(p50s), "p95": statistics.median(p95s),
            "per_query": {q: statistics.median(v) for q, v in per_query.items()}}


def fts5_or(text: str) -> str:
    """A natural-language query as FTS5 words ORed (each quoted, so no word is syntax)."""
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(re.findall(r"\w+", text.lower())))


def whoosh_latency(lib_dir: Path, rounds: int = 5, natural: bool = False) -> dict:
    from core.library import Library
    lib = Library(lib_dir, seed=False)
    try:
        lib.ensure_index()
        if natural:
            out = _rounds(lambda q: lib.search(q, limit=LIMIT), NATURAL, rounds)
            out["hits"] = {q: lib.search(q, limit=LIMIT).total for q in NATURAL}
            return out
        qs = [q for _, q, _ in QUERIES]
        out = _rounds(lambda q: lib.search(q, limit=LIMIT), qs, rounds)
        out["hits"] = {q: lib.search(q, limit=LIMIT).total for q in qs}
        kinds: dict[str, list[float]] = {}
        for kind, q, _ in QUERIES:
            kinds.setdefault(kind, []).append(out["per_query"][q])
        out["by_kind_max"] = {k: max(v) for k, v in kinds.items()}
        return out
    finally:
        lib.close()


def build_fts5(lib_dir: Path, dest: Path) -> float:
    """An FTS5 table over the library's articles (title, body, entity columns); returns the
    build time in seconds. Same tokenisation idea: Porter stemming, diacritics removed."""
    dest.unlink(missing_ok=True)
    t = time.perf_counter()
    con = sqlite3.connect(dest)
    con.execute(f"ATTACH DATABASE '{lib_dir / 'library.sqlite'}' AS lib")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, person, place, org,"
                " tokenize='porter unicode61 remove_diacritics 2')")
    con.execute("""
        INSERT INTO fts(rowid, title, body, person, place, org)
        SELECT a.id, a.title, a.text,
          (SELECT group_concat(text, ' ') FROM lib.entities e
            WHERE e.article_id=a.id AND e.label='PERSON'),
          (SELECT group_concat(text, ' ') FROM lib.entities e
            WHERE e.article_id=a.id AND e.label IN ('GPE','LOC','FAC')),
          (SELECT group_concat(text, ' ') FROM lib.entities e
            WHERE e.article_id=a.id AND e.label='ORG')
        FROM lib.articles a""")
    con.commit()
    con.close()
    return time.perf_counter() - t


def fts5_latency(fts_path: Path, rounds: int = 5, natural: bool = False) -> dict:
    con = sqlite3.connect(fts_path)
    sql = ("SELECT rowid, title, snippet(fts, 1, '<mark>', '</mark>', ' … ', 24) FROM fts"
           " WHERE fts MATCH ? ORDER BY bm25(fts, 3.0, 1.0, 1.0, 1.0, 1.0) LIMIT ?")

    def run(q: str):
        return con.execute(sql, (q, LIMIT)).fetchall()

    try:
        if natural:
            return _rounds(run, [fts5_or(q) for q in NATURAL], rounds)
        return _rounds(run, [f for _, _, f in QUERIES], rounds)
    finally:
        con.close()


if __name__ == "__main__":
    import json
    import sys

    from bench.corpus import CACHE, build_library
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    d = build_library(n)
    w = whoosh_latency(d)
    fts = CACHE / f"fts-{n}.sqlite"
    b = build_fts5(d, fts)
    f = fts5_latency(fts)
    wn = whoosh_latency(d, natural=True)
    fn = fts5_latency(fts, natural=True)
    print(json.dumps({"whoosh": w, "fts5_build_s": b, "fts5": f, "whoosh_natural": wn,
                      "fts5_natural": fn}, indent=1))
