"""Known-item search on the bench library: each sampled article's own headline, typed as is
(stop words, punctuation and capitals), should find that article first.

    python -m bench.known_item [ARTICLES] [SAMPLE]     # default 20000 articles, 200 titles
"""
from __future__ import annotations

import random
import sqlite3
import sys

from bench.corpus import build_library


def run(n: int = 20000, sample: int = 200, seed: int = 7) -> dict:
    from core.library import Library
    path = build_library(n)
    con = sqlite3.connect(path / "library.sqlite")
    rows = con.execute("SELECT id, title FROM articles WHERE length(title) > 20").fetchall()
    con.close()
    same: dict[str, set[int]] = {}
    for aid, title in rows:  # duplicate headlines: any article with it counts
        same.setdefault(title.lower(), set()).add(aid)
    picked = random.Random(seed).sample(rows, min(sample, len(rows)))
    lib = Library(path, seed=False)
    ranks: list[int | None] = []
    try:
        lib.ensure_index()
        for _aid, title in picked:
            ids = [h.article_id for h in lib.search(title, limit=10).hits]
            ranks.append(next((k + 1 for k, x in enumerate(ids) if x in same[title.lower()]),
                              None))
    finally:
        lib.close()
    k = len(ranks)
    return {"titles": k, "rank1": sum(r == 1 for r in ranks) / k,
            "top10": sum(r is not None for r in ranks) / k,
            "misses": [t for (_a, t), r in zip(picked, ranks, strict=True) if r != 1][:10]}


if __name__ == "__main__":
    import json
    args = [int(a) for a in sys.argv[1:]]
    print(json.dumps(run(*args), indent=1))
