"""Bench corpus: news-like articles from ../shared/data as Documents, and a cached library.

Sources, in a fixed order so every run builds the same library:
  1. Reuters-21578 (SGML; bodies re-flowed into paragraphs; titles; dates; places as tags)
  2. BBC News 2004-05 (plain text; title line; category as tag)
  3. the article-extraction benchmark's ground-truth bodies (long web articles)
  4. Cranfield and CISI abstracts, only if still short of the requested size

The library is built once through the real Library path (add_document, entity recognition,
index build) and cached under .bench-cache/ (gitignored), keyed by size and CORPUS_VERSION.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from core.models import Document
from core.text import blocks_from_plain

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / ".bench-cache"
CORPUS_VERSION = "2"  # bump to rebuild the cached libraries (and their build timings)

_REUTER = re.compile(r"<REUTERS\b[^>]*>(.*?)</REUTERS>", re.DOTALL)
_TAG = {t: re.compile(rf"<{t}>(.*?)</{t}>", re.DOTALL) for t in ("TITLE", "BODY", "DATE", "PLACES")}
_D = re.compile(r"<D>(.*?)</D>")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}


def _doc(text: str, title: str, *, site: str = "", published: str = "",
         tags: list[str] | None = None, url: str = "") -> Document | None:
    b = blocks_from_plain(text)
    if not b.text.strip():
        return None
    return Document(text=b.text, blocks=b.blocks, links=b.links, title=title, site=site,
                    published=published, tags=tags or [], url=url)


def reuters() -> Iterator[Document]:
    folder = DATA / "news-reuters21578"
    for f in sorted(folder.glob("reut2-*.sgm")):
        raw = f.read_bytes().decode("latin-1")
        for m in _REUTER.finditer(raw):
            part = m.group(1)
            body = _TAG["BODY"].search(part)
            if not body:
                continue
            title = _TAG["TITLE"].search(part)
            text = html.unescape(body.group(1)).replace("\x03", "").strip()
            text = re.sub(r"\s*Reuter\s*$", "", text)
            # Reuters marks paragraphs with an indented line; make them blank-line separated
            text = re.sub(r"\n {3,}", "\n\n", text)
            date = _TAG["DATE"].search(part)
            pub = ""
            if date:
                dm = re.match(r"\s*(\d+)-([A-Z]{3})-(\d{4})", date.group(1))
                if dm and dm.group(2) in _MONTHS:
                    pub = f"{dm.group(3)}-{_MONTHS[dm.group(2)]:02d}-{int(dm.group(1)):02d}"
            places = _TAG["PLACES"].search(part)
            tags = _D.findall(places.group(1)) if places else []
            t = html.unescape(title.group(1)).strip().title() if title else ""
            d = _doc(text, t, site="Reuters", published=pub, tags=tags)
            if d:
                yield d


def bbc_files() -> list[Path]:
    return sorted((DATA / "news-bbc" / "bbc").glob("*/*.txt"))


def bbc() -> Iterator[Document]:
    for f in bbc_files():
        raw = f.read_bytes().decode("latin-1")
        title, _, body = raw.partition("\n")
        d = _doc(body, title.strip(), site="BBC News", tags=[f.parent.name])
        if d:
            yield d


def extraction_truth() -> Iterator[Document]:
    gt = json.loads((DATA / "article-extraction-benchmark" / "ground-truth.json").read_text())
    for key in sorted(gt):
        body = gt[key].get("articleBody") or ""
        first = body.strip().split("\n", 1)[0][:80]
        d = _doc(body, first, url=gt[key].get("url", ""))
        if d:
            yield d


def ir_abstracts() -> Iterator[Document]:
    for f in (DATA / "ir-cranfield" / "cran.all.1400", DATA / "ir-cisi" / "CISI.ALL"):
        if not f.is_file():
            continue
        raw = f.read_bytes().decode("latin-1").replace("\r\n", "\n")
        for rec in re.split(r"^\.I\s+\d+", raw, flags=re.MULTILINE)[1:]:
            t = re.search(r"^\.T\n(.*?)(?=^\.[A-Z]\b)", rec, re.DOTALL | re.MULTILINE)
            w = re.search(r"^\.W\n(.*?)(?=^\.[A-Z]\b|\Z)", rec, re.DOTALL | re.MULTILINE)
            if w:
                title = " ".join((t.group(1) if t else "").split())[:120]
                d = _doc(w.group(1), title or "Abstract", site=f.parent.name)
                if d:
                    yield d


def documents() -> Iterator[Document]:
    """Every bench document in a stable order: the long ones (extraction truth) first so
    every library size has a spread of lengths, then BBC, Reuters, IR abstracts."""
    yield from extraction_truth()
    yield from bbc()
    yield from reuters()
    yield from ir_abstracts()


def library_dir(n: int) -> Path:
    return CACHE / f"lib-{n}-v{CORPUS_VERSION}"


def build_library(n: int, *, log=print) -> Path:
    """A library of exactly n imported articles (duplicates skipped), rules-only entities,
    index built. Cached: a finished build leaves a DONE file."""
    from core.library import Library
    path = library_dir(n)
    if (path / "DONE").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    t0 = time.perf_counter()
    lib = Library(path, seed=False)
    # the rules recogniser is fast and deterministic; field queries (person:, place:) need
    # entities, and the bench library must not change when the shipped model does
    lib.set_setting("ner_pipeline", "rules")
    count = 0
    with lib.batch():  # one index sync at the end, not one per article
        for doc in documents():
            if count >= n:
                break
            if lib.add_document(doc).status == "imported":
                count += 1
                if count % 2000 == 0:
                    log(f"  corpus: {count}/{n} articles ({time.perf_counter() - t0:.0f} s)")
    if count < n:
        raise SystemExit(f"only {count} articles available, {n} requested")
    t1 = time.perf_counter()
    lib.recognise_entities()
    t2 = time.perf_counter()
    lib.ensure_index()
    t3 = time.perf_counter()
    lib.close()
    (path / "DONE").write_text(json.dumps({
        "articles": count, "store_s": round(t1 - t0, 1), "ner_s": round(t2 - t1, 1),
        "index_s": round(t3 - t2, 1)}))
    log(f"  corpus: built {path.name}: store {t1 - t0:.0f} s, entities {t2 - t1:.0f} s, "
        f"index {t3 - t2:.0f} s")
    return path


if __name__ == "__main__":
    import sys
    sizes = [int(a) for a in sys.argv[1:]] or [20000]
    for size in sizes:
        print(build_library(size))
