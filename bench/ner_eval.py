"""Evaluate a recogniser: per-label precision/recall/F1 and throughput.

    python -m bench.ner_eval [--pipeline NAME] [--json out.json] [--skip-speed]

Data (from ../shared, skipped with a message when absent):
- development gold (tests/core/ner_dev_gold.py): 22 news articles, strict, per label;
- hand-annotated news (tests/core/ner_gold.py): the seed article and two short articles,
  strict span+label, GPE and LOC counted as one class;
- UNER English-PUD news half (sentence ids n*), grouped per document: PER/ORG/LOC,
  our GPE/LOC/FAC -> LOC, other labels ignored;
- GUM news, held-out documents (dev+test; the other 20 are in the model's training data):
  PERSON/ORG/PLACE from the entity layer (heuristically flattened, see scripts/ner/data.py);
- speed: words/s of recognise_many over 300 BBC news articles on one thread.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
from collections import Counter, defaultdict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

from scripts.ner import data
from tests.core import ner_dev_gold, ner_gold

SEED = os.path.join(ROOT, "seeds", "uk-eu-defence-talks.txt")
if not os.path.exists(SEED):
    SEED = os.path.join(data.SHARED, "seeds", "uk-eu-defence-talks.txt")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(pairs, label_map) -> dict:
    """pairs: iterable of (gold spans, predicted spans) with (start, end, label)."""
    tp, fp, fn = Counter(), Counter(), Counter()
    utp = ufp = ufn = 0
    for gold, pred in pairs:
        g = {(s, e, label_map(lab)) for s, e, lab in gold if label_map(lab)}
        p = {(s, e, label_map(lab)) for s, e, lab in pred if label_map(lab)}
        for x in g & p:
            tp[x[2]] += 1
        for x in p - g:
            fp[x[2]] += 1
        for x in g - p:
            fn[x[2]] += 1
        gu = {(s, e) for s, e, _ in g}
        pu = {(s, e) for s, e, _ in p}
        utp += len(gu & pu)
        ufp += len(pu - gu)
        ufn += len(gu - pu)
    labels = sorted(set(tp) | set(fp) | set(fn))
    res = {"labels": {}}
    for lab in labels:
        p, r, f = prf(tp[lab], fp[lab], fn[lab])
        res["labels"][lab] = {"p": p, "r": r, "f": f, "n": tp[lab] + fn[lab]}
    p, r, f = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    res["overall"] = {"p": p, "r": r, "f": f, "n": sum(tp.values()) + sum(fn.values())}
    up, ur, uf = prf(utp, ufp, ufn)
    res["unlabelled"] = {"p": up, "r": ur, "f": uf}
    return res


def show(title: str, res: dict) -> None:
    print(f"\n{title}")
    print(f"  {'label':<10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for lab, m in res["labels"].items():
        print(f"  {lab:<10} {m['p']:6.3f} {m['r']:6.3f} {m['f']:6.3f} {m['n']:5d}")
    o = res["overall"]
    print(f"  {'overall':<10} {o['p']:6.3f} {o['r']:6.3f} {o['f']:6.3f} {o['n']:5d}")
    u = res["unlabelled"]
    print(f"  {'(spans)':<10} {u['p']:6.3f} {u['r']:6.3f} {u['f']:6.3f}")


def strict_map(lab: str) -> str | None:
    if lab in ("GPE", "LOC"):
        return "GPE/LOC"
    return lab


def place_map(lab: str) -> str | None:
    return {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}.get(lab)


def spans_of(ents) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label) for e in ents]


def eval_hand(rec) -> dict | None:
    if not os.path.exists(SEED):
        print("seed article not found; skipping hand-annotated set")
        return None
    text = ner_gold.seed_text(SEED)
    items = [(text, ner_gold.locate(text, ner_gold.SEED_GOLD))]
    for t, g in ner_gold.EXTRA_ARTICLES:
        items.append((t, ner_gold.locate(t, g)))
    preds = list(rec.recognise_many([t for t, _ in items]))
    seed = score([(items[0][1], spans_of(preds[0]))], strict_map)
    show("Seed article (uk-eu-defence-talks), strict, GPE+LOC as one class", seed)
    allr = score([(g, spans_of(p)) for (t, g), p in zip(items, preds, strict=True)], strict_map)
    show("Hand-annotated news (seed + 2 written articles), strict", allr)
    return {"seed": seed, "hand": allr, "errors": _errors(items[0][0], items[0][1], preds[0])}


def _errors(text, gold, pred):
    g = {(s, e, strict_map(lab)) for s, e, lab in gold}
    p = {(e.start, e.end, strict_map(e.label)) for e in pred}
    return {"missed": sorted((text[s:e], lab) for s, e, lab in g - p),
            "spurious": sorted((text[s:e], lab) for s, e, lab in p - g)}


def eval_dev(rec, show_errors: bool = False) -> dict | None:
    """Our development gold (tests/core/ner_dev_gold.py): 22 news articles, strict."""
    try:
        items = ner_dev_gold.dev_items()
    except OSError:
        print("development gold texts not found (../shared); skipping")
        return None
    preds = list(rec.recognise_many([t for _, t, _ in items]))
    res = score([(g, spans_of(p)) for (_, _, g), p in zip(items, preds, strict=True)], strict_map)
    show(f"Development gold ({len(items)} news articles: BBC, Reuters, GUM dev), strict", res)
    if show_errors:
        for (src, text, gold), pred in zip(items, preds, strict=True):
            err = _errors(text, gold, pred)
            if err["missed"] or err["spurious"]:
                print(f"  {src}: missed {err['missed']}\n     spurious {err['spurious']}")
    return res


def eval_uner(rec) -> dict | None:
    try:
        sents = list(data.read_uner("news"))
    except OSError:
        print("UNER data not found; skipping")
        return None
    docs: dict[str, list] = defaultdict(list)
    for text, spans, sid in sents:
        docs[sid.rsplit("-", 1)[0]].append((text, spans))
    texts, golds = [], []
    for parts in docs.values():
        buf, gold, pos = [], [], 0
        for text, spans in parts:
            buf.append(text)
            gold += [(s + pos, e + pos, lab) for s, e, lab in spans]
            pos += len(text) + 2
        texts.append("\n\n".join(buf))
        golds.append(gold)
    preds = list(rec.recognise_many(texts))
    res = score([(g, spans_of(p)) for g, p in zip(golds, preds, strict=True)], place_map)
    show(f"UNER English-PUD news half ({len(sents)} sentences, {len(texts)} docs)", res)
    return res


def eval_gum(rec) -> dict | None:
    try:
        docs = list(data.read_gum("heldout"))
    except OSError:
        print("GUM data not found; skipping")
        return None
    if not docs:
        return None
    preds = list(rec.recognise_many([t for t, _, _ in docs]))
    res = score([(g, spans_of(p)) for (_, g, _), p in zip(docs, preds, strict=True)], place_map)
    show(f"GUM news held-out docs ({', '.join(d for _, _, d in docs)})", res)
    return res


def eval_speed(rec, n_docs: int = 300) -> dict | None:
    files = sorted(glob.glob(os.path.join(data.DATA, "news-bbc", "**", "*.txt"), recursive=True))
    if not files:
        print("BBC news not found; skipping speed")
        return None
    texts = []
    for f in files[:: max(1, len(files) // n_docs)][:n_docs]:
        with open(f, encoding="latin-1") as fh:
            lines = [ln.strip() for ln in fh.read().splitlines() if ln.strip()]
        texts.append("\n\n".join(lines))
    words = sum(len(t.split()) for t in texts)
    rec.recognise(texts[0])  # load outside the timing
    t0 = time.perf_counter()
    for _ in rec.recognise_many(texts):
        pass
    dt = time.perf_counter() - t0
    wps = words / dt
    print(f"\nSpeed: {words} words in {dt:.2f}s = {wps:,.0f} words/s "
          f"({len(texts)} BBC articles, one process)")
    return {"words": words, "seconds": dt, "wps": wps}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pipeline", default=None)
    ap.add_argument("--json", default=None)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    from core.ner import get_recogniser

    rec = get_recogniser(args.pipeline)
    t0 = time.perf_counter()
    rec.recognise("Warm-up.")
    load = time.perf_counter() - t0
    print(f"recogniser: {rec.name}  version: {rec.version}  load: {load:.2f}s")
    if rec.notice:
        print(f"notice: {rec.notice}")
    out = {"name": rec.name, "version": rec.version, "load_s": load}
    out["hand"] = eval_hand(rec)
    if args.errors and out["hand"]:
        print(json.dumps(out["hand"]["errors"], ensure_ascii=False, indent=1))
    out["dev"] = eval_dev(rec, args.errors)
    out["uner_news"] = eval_uner(rec)
    out["gum_heldout"] = eval_gum(rec)
    if not args.skip_speed:
        out["speed"] = eval_speed(rec)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
