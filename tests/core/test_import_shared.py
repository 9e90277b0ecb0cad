"""Importers on the real-world data in ../shared (skipped when it is absent, e.g. a fresh clone)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.importers import load_source

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
pytestmark = pytest.mark.shared


def _need(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)}, not present in this checkout")
    return p


def test_seed_article():
    d = load_source(str(_need("seeds", "uk-eu-defence-talks.txt")))
    assert d.title == "UK and EU to explore renewed talks on defence cooperation"
    assert d.tags == ["Defence policy"]
    assert "Maroš Šefčovič" in d.text and "€150bn (£130bn)" in d.text
    assert len(d.blocks) > 10 and all(b.kind == "paragraph" for b in d.blocks)


def test_bbc_latin1_pound_sign():
    d = load_source(str(_need("data", "news-bbc", "bbc", "sport", "199.txt")))
    assert d.title == "Chelsea sack Mutu"
    assert "a £15.8m signing from Parma" in d.text


def test_bbc_sample_has_titles_and_no_mojibake():
    files = sorted(p for p in _need("data", "news-bbc", "bbc").rglob("*.txt")
                   if p.name != "README.TXT")[::40]
    for f in files:
        d = load_source(str(f))
        assert d.title, f
        assert not any(bad in d.text for bad in ("Ã", "Â", "\ufffd")), f


def test_readability_pages_import_with_expected_titles():
    pages = sorted(_need("data", "readability-test-pages", "test-pages").iterdir())[:25]
    matched = 0
    for page in pages:
        d = load_source(str(page / "source.html"))
        assert d.text, page.name
        meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        expected = (meta.get("title") or "").strip()
        matched += bool(expected) and (expected in d.title or d.title in expected)
    assert matched >= 0.7 * len(pages)


def test_benchmark_metric_reproduces_published_trafilatura_row():
    _need("data", "article-extraction-benchmark", "output", "trafilatura.json.gz")
    from bench.extraction import DATA, evaluate, load_tool

    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    r = evaluate(truth, load_tool("trafilatura"), n_boot=20)
    assert (round(r["f1"], 3), round(r["precision"], 3), round(r["recall"], 3),
            round(r["accuracy"], 3)) == (0.958, 0.938, 0.978, 0.293)
