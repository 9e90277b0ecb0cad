"""Article-extraction benchmark: core.importers.html.extract_html on the Zyte benchmark.

Metric re-implemented from the dataset README (upstream evaluate.py): \\w+ tokens, 4-gram
shingle multisets, per-page tp/fp/fn normalised to weigh pages equally, macro-averaged
precision and recall, F1 of the two averages, exact-token accuracy, bootstrap std. dev.

    python -m bench.extraction                    # run extract_html, print JSON
    python -m bench.extraction --tool trafilatura # score a published tool output (check)
"""
from __future__ import annotations

import argparse
import gzip
import json
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
        / "article-extraction-benchmark")
_TOKEN = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(tokens: list[str], n: int = 4) -> Counter:
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_counts(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) for one page so each page weighs the same."""
    t, p = shingles(tokenize(true)), shingles(tokenize(pred))
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: list[tuple[float, float, float]], exact: list[bool]) -> dict[str, float]:
    precisions = [_ratio(tp, fp) for tp, fp, _ in counts if tp + fp > 0]
    recalls = [_ratio(tp, fn) for tp, _, fn in counts if tp + fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": f1, "precision": p, "recall": r, "accuracy": sum(exact) / len(exact)}


def _ratio(tp: float, other: float) -> float:
    if other == 0:
        return 1.0
    return tp / (tp + other) if tp else 0.0


def evaluate(truth: dict, predictions: dict[str, str], n_boot: int = 1000) -> dict:
    keys = sorted(truth)
    counts, exact = [], []
    for k in keys:
        true, pred = truth[k]["articleBody"], predictions.get(k, "") or ""
        counts.append(page_counts(true, pred))
        exact.append(tokenize(true) == tokenize(pred))
    result = scores(counts, exact)
    rng = random.Random(0)
    boot: dict[str, list[float]] = {m: [] for m in result}
    for _ in range(n_boot):
        idx = [rng.randrange(len(keys)) for _ in keys]
        s = scores([counts[i] for i in idx], [exact[i] for i in idx])
        for m, v in s.items():
            boot[m].append(v)
    result.update({f"{m}_std": statistics.pstdev(v) for m, v in boot.items()})
    return {m: round(v, 4) for m, v in result.items()}


def load_tool(name: str) -> dict[str, str]:
    with gzip.open(DATA / "output" / f"{name}.json.gz") as fh:
        data = json.loads(fh.read())
    if "output" in data and "version" in data:
        data = data["output"]
    return {k: (v.get("articleBody") if isinstance(v, dict) else v) or "" for k, v in data.items()}


def run_extract(truth: dict) -> tuple[dict[str, str], dict]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from core.errors import ImportFailed
    from core.importers.encoding import decode_bytes
    from core.importers.html import extract_html

    preds: dict[str, str] = {}
    failures = 0
    start = time.perf_counter()
    for k in sorted(truth):
        with gzip.open(DATA / "html" / f"{k}.html.gz") as fh:
            raw = fh.read()
        try:
            doc = extract_html(decode_bytes(raw, "utf-8"), truth[k].get("url", ""))
            preds[k] = doc.text
        except ImportFailed:
            preds[k] = ""
            failures += 1
    elapsed = time.perf_counter() - start
    return preds, {"failures": failures, "seconds": round(elapsed, 1),
                   "ms_per_page": round(1000 * elapsed / len(truth), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", help="score a published tool output instead of extract_html")
    ap.add_argument("--out", help="also write the JSON result to this file")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"benchmark data not found at {DATA}", file=sys.stderr)
        return 2
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    result: dict = {"pages": len(truth), "machine": platform.machine(),
                    "python": platform.python_version()}
    if args.tool:
        result["tool"] = args.tool
        result.update(evaluate(truth, load_tool(args.tool)))
    else:
        import trafilatura

        from core.importers.html import PRECISION_FALLBACK_RATIO, TRAFILATURA_OPTIONS
        preds, timing = run_extract(truth)
        result.update({"tool": "commonplace extract_html", "trafilatura": trafilatura.__version__,
                       "options": {**TRAFILATURA_OPTIONS, "favor_precision": True,
                                   "precision_fallback_ratio": PRECISION_FALLBACK_RATIO},
                       **timing})
        result.update(evaluate(truth, preds))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
