"""`search` on the command line: paging, date order, corrections and labels in --json."""
import json

from cli import run
from tests.index.newsgen import articles


def cli_json(capsys, lib, *args):
    code = run(["--library", str(lib), "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_search_paging_sort_and_correction(tmp_path, capsys):
    lib = tmp_path / "lib"
    folder = tmp_path / "news"
    folder.mkdir()
    for i, a in enumerate(articles(30)):
        (folder / f"{i:03d}.md").write_text(f"# {a['title']}\n\n{a['body']}\n", encoding="utf-8")
    code, _ = cli_json(capsys, lib, "import", "--no-entities", str(folder))
    assert code == 0
    code, all_hits = cli_json(capsys, lib, "search", "tuesday", "--limit", "50")
    assert code == 0 and all_hits["total"] >= 30 and all_hits["corrected"] is None
    code, page = cli_json(capsys, lib, "search", "tuesday", "--limit", "2", "--offset", "2")
    assert [h["article_id"] for h in page["hits"]] == \
        [h["article_id"] for h in all_hits["hits"][2:4]]
    code, by_date = cli_json(capsys, lib, "search", "tuesday", "--limit", "50", "--sort", "date")
    assert {h["article_id"] for h in by_date["hits"]} == {h["article_id"] for h in all_hits["hits"]}
    code, typo = cli_json(capsys, lib, "search", "councilors decliend")
    assert typo["corrected"] == "councillors declined" and typo["suggestion"] == "councilors decliend"
    assert typo["hits"] and all(h["label"] == "Article" for h in typo["hits"])
    assert run(["--library", str(lib), "search", "x", "--offset", "-1"]) != 0
