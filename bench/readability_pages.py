"""Extraction fidelity on Mozilla's Readability test pages (../shared/data/readability-test-pages).

For each of the 130 pages, source.html is extracted and compared with expected.html (the
article as Readability extracts it) and expected-metadata.json:
- text: bag-of-words F1 per page (casefolded \\w+ token multisets), mean and median over pages;
- titles and bylines: exact match after whitespace clean-up, counted over the pages whose
  expected value is not null.
Three rows in one run: Commonplace's importer, trafilatura with default options and
readability-lxml (it has no byline). Relative URLs resolve against the upstream test URI.

    python -m bench.readability_pages            # JSON to stdout
    python -m bench.readability_pages --pages    # also per-page F1 for our importer
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data" / "readability-test-pages" / "test-pages"
BASE_URL = "http://fakehost/test/page.html"
_TOKEN = re.compile(r"\w+")
_WS = re.compile(r"\s+")


def bag_f1(true: str, pred: str) -> float:
    t = Counter(w.casefold() for w in _TOKEN.findall(true))
    p = Counter(w.casefold() for w in _TOKEN.findall(pred))
    if not t and not p:
        return 1.0
    tp = sum((t & p).values())
    if not tp:
        return 0.0
    prec, rec = tp / sum(p.values()), tp / sum(t.values())
    return 2 * prec * rec / (prec + rec)


def html_text(html: str) -> str:
    import lxml.html
    if not html.strip():
        return ""
    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - an unparseable output scores as empty
        return ""
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(tree.itertext())


def norm(s: str | None) -> str:
    return _WS.sub(" ", s or "").strip()


_BY = re.compile(r"^(?:written\s+by|by|par)\s+", re.IGNORECASE)


def title_match_aside_suffix(expected: str, got: str, site: str, byline: str) -> bool:
    """Exact, or equal once the expected title loses a trailing " | Site" / " - Author" (we
    trim those on purpose: the reader shows site and author in the byline line)."""
    from core.importers.html_meta import trim_title
    e, g = norm(expected), norm(got)
    return e == g or norm(trim_title(e, site, byline)) == g


def byline_match_aside_by(expected: str, got: str) -> bool:
    return norm(_BY.sub("", norm(expected))) == norm(got)


def ours(html: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from core.errors import ImportFailed
    from core.importers import _parse
    try:
        d = _parse("html", html, name="source.html", url=BASE_URL)
    except ImportFailed:
        return {"text": "", "title": "", "byline": ""}
    return {"text": d.text, "title": d.title, "byline": d.author, "site": d.site}


def trafilatura_defaults(html: str) -> dict:
    import trafilatura
    r = trafilatura.bare_extraction(html, url=BASE_URL, with_metadata=True)
    if r is None:
        return {"text": "", "title": "", "byline": ""}
    return {"text": r.text or "", "title": r.title or "", "byline": r.author or ""}


def readability_lxml(html: str) -> dict:
    from readability import Document
    try:
        d = Document(html, url=BASE_URL)
        return {"text": html_text(d.summary(html_partial=True)), "title": d.short_title(),
                "byline": None}
    except Exception:  # noqa: BLE001 - a crash scores as an empty page
        return {"text": "", "title": "", "byline": None}


TOOLS = {"commonplace": ours, "trafilatura (defaults)": trafilatura_defaults,
         "readability-lxml": readability_lxml}


def pages() -> list[Path]:
    return sorted(p for p in DATA.iterdir() if (p / "source.html").is_file())


def run(tools: dict = TOOLS) -> dict:
    import logging
    logging.disable(logging.WARNING)  # trafilatura and readability log per page
    rows: dict = {}
    per_page: dict[str, dict[str, float]] = {}
    for name, fn in tools.items():
        f1s, titles, bylines, n_title, n_byline = [], 0, 0, 0, 0
        titles_aside, bylines_aside = 0, 0
        start = time.perf_counter()
        for page in pages():
            src = (page / "source.html").read_text(encoding="utf-8")
            truth = html_text((page / "expected.html").read_text(encoding="utf-8"))
            meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
            out = fn(src)
            f = bag_f1(truth, out["text"])
            f1s.append(f)
            per_page.setdefault(page.name, {})[name] = round(f, 3)
            if norm(meta.get("title")):  # 127 pages; 3 expect an empty title, we never give one
                n_title += 1
                titles += norm(out["title"]) == norm(meta["title"])
                titles_aside += title_match_aside_suffix(
                    meta["title"], out["title"], out.get("site") or meta.get("siteName") or "",
                    out["byline"] or meta.get("byline") or "")
            if meta.get("byline") is not None and out["byline"] is not None:
                n_byline += 1
                bylines += norm(out["byline"]) == norm(meta["byline"])
                bylines_aside += byline_match_aside_by(meta["byline"], out["byline"])
        rows[name] = {
            "pages": len(f1s), "mean_f1": round(statistics.fmean(f1s), 4),
            "median_f1": round(statistics.median(f1s), 4),
            "below_0_5": sum(f < 0.5 for f in f1s),
            "titles_exact": f"{titles}/{n_title}",
            "titles_suffix_aside": f"{titles_aside}/{n_title}",
            "bylines_exact": f"{bylines}/{n_byline}" if n_byline else "n/a",
            "bylines_by_aside": f"{bylines_aside}/{n_byline}" if n_byline else "n/a",
            "seconds": round(time.perf_counter() - start, 1)}
    return {"rows": rows, "per_page": per_page}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", action="store_true", help="print per-page F1 too")
    ap.add_argument("--only-ours", action="store_true")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"test pages not found at {DATA}", file=sys.stderr)
        return 2
    tools = {"commonplace": ours} if args.only_ours else TOOLS
    res = run(tools)
    if not args.pages:
        res.pop("per_page")
    print(json.dumps(res, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
