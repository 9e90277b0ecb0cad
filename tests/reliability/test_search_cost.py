"""Issue 16 item 6: a search's wildcard expansion is bounded; an over-broad query answers at
once with "narrow your query" instead of reading every word's postings."""
from __future__ import annotations

import pytest

from cli import run
from core.library import Library
from core.models import Document
from core.text import TextBuilder
from index import cost


def _doc(i: int) -> Document:
    b = TextBuilder()
    b.add_block("paragraph", f"harbour seal report {i} " + " ".join(f"w{i}x{j}" for j in range(40)))
    return Document(text=b.text, blocks=b.blocks, title=f"Report {i}")


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    d = tmp_path_factory.mktemp("cost") / "lib"
    lib = Library(d, seed=False)
    for i in range(60):  # 2,400+ distinct words
        lib.add_document(_doc(i))
    lib.ensure_index()
    yield lib
    lib.close()


class _Counting:
    """Counts the words the cost check reads from the index (the work it does)."""

    def __init__(self, monkeypatch):
        self.n = 0
        real = cost.islice

        def counting(it, stop):
            for x in real(it, stop):
                self.n += 1
                yield x
        monkeypatch.setattr(cost, "islice", counting)


@pytest.mark.parametrize("query", ["*", "*x*", "w*", '** ** "* g~2 *', "body:*", "[a TO z]"])
def test_broad_queries_are_refused_with_narrow_your_query(lib, query, monkeypatch):
    c = _Counting(monkeypatch)
    res = lib.search(query)
    assert res.hits == [] and "narrow your query" in res.notice
    assert c.n <= cost.MAX_EXPANDED_TERMS + 1  # stopped at the budget, not the vocabulary


@pytest.mark.parametrize("query", ["harbour", "harb*", "w1x1*", "report AND seal", "w3x*"])
def test_narrow_queries_still_answer(lib, query):
    res = lib.search(query)
    assert res.notice == "" and res.total > 0


def test_cli_says_narrow_your_query(lib, capsys):
    code = run(["--library", str(lib.path), "search", "*"])
    out, err = capsys.readouterr()
    assert code == 1 and "narrow your query" in out + err and "Traceback" not in err
