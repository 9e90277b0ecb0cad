"""Triage, tags, views and the notebook from the command line, end to end (issue 12)."""
import json
import subprocess
import sys

import pytest

from cli import run
from tests.conftest import ROOT


def cli_json(capsys, lib, *args):
    try:
        code = run(["--library", str(lib), "--json", *args])
    except SystemExit as e:  # argparse's usage errors
        code = e.code
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else None, out.err


@pytest.fixture
def lib(tmp_path, capsys):
    """A library with the seed article plus a small folder tree of articles."""
    src = tmp_path / "news"
    for folder, n in (("business", 2), ("sport", 1)):
        (src / folder).mkdir(parents=True)
        for i in range(n):
            (src / folder / f"{i}.txt").write_text(
                f"{folder.title()} story {i}\n\nA {folder} report number {i} about the "
                f"quarterly results of the {folder} desk, written for the test.\n",
                encoding="utf-8")
    path = tmp_path / "lib"
    code, data, _ = cli_json(capsys, path, "import", str(src), "--tag-folders", "--tag",
                             "news", "--no-entities")
    assert code == 0 and data["counts"]["imported"] == 3
    return path


def ids_of(capsys, lib, *args):
    return [r["id"] for r in cli_json(capsys, lib, "list", *args)[1]]


def test_import_tags_folders_and_given_tag(lib, capsys):
    rows = {r["title"]: r["tags"] for r in cli_json(capsys, lib, "list", "--tag", "news")[1]}
    assert rows == {"Business story 0": ["business", "news"],
                    "Business story 1": ["business", "news"], "Sport story 0": ["news", "sport"]}
    assert len(ids_of(capsys, lib, "--tag", "sport")) == 1
    assert len(ids_of(capsys, lib, "--tag", "business", "--tag", "news")) == 2


def test_delete_leaves_search_and_export_then_undelete_brings_it_back(lib, capsys, tmp_path):
    [sport] = ids_of(capsys, lib, "--tag", "sport")
    code, _, _ = cli_json(capsys, lib, "annotate", str(sport), "--quote", "quarterly results",
                          "--note", "keep", "--color", "green")
    assert code == 0
    code, data, _ = cli_json(capsys, lib, "delete", str(sport))
    assert code == 0 and data["changed"] == [sport]
    assert sport not in ids_of(capsys, lib) and ids_of(capsys, lib, "--state", "trash") == [sport]
    hits = cli_json(capsys, lib, "search", "sport desk")[1]["hits"]
    assert all(h["article_id"] != sport for h in hits)
    out = tmp_path / "export"
    written = cli_json(capsys, lib, "export", "--out", str(out))[1]["written"]
    assert not any("Sport story" in p for p in written)
    assert cli_json(capsys, lib, "notebook")[1] == []
    # the trashed article keeps its note: restoring gives it back
    assert cli_json(capsys, lib, "undelete", str(sport))[0] == 0
    assert sport in ids_of(capsys, lib, "--state", "inbox")
    [entry] = cli_json(capsys, lib, "notebook", "--color", "green")[1]
    assert entry["article_id"] == sport and entry["note"] == "keep"
    assert entry["meaning"] == "evidence"
    hits = cli_json(capsys, lib, "search", "sport desk")[1]["hits"]
    assert any(h["article_id"] == sport for h in hits)


def test_archive_unarchive_read_and_views(lib, capsys):
    b0, b1 = sorted(ids_of(capsys, lib, "--tag", "business"))
    assert cli_json(capsys, lib, "archive", str(b0), str(b1))[0] == 0
    assert sorted(ids_of(capsys, lib, "--state", "archive")) == [b0, b1]
    assert b0 not in ids_of(capsys, lib, "--state", "inbox")
    assert cli_json(capsys, lib, "unarchive", str(b1))[0] == 0
    assert ids_of(capsys, lib, "--state", "archive") == [b0]
    cli_json(capsys, lib, "read", str(b1))
    [row] = [r for r in cli_json(capsys, lib, "list")[1] if r["id"] == b1]
    assert row["status"] == "read" and row["read_at"]
    cli_json(capsys, lib, "unread", str(b1))
    [row] = [r for r in cli_json(capsys, lib, "list")[1] if r["id"] == b1]
    assert row["status"] == "new" and row["reading_minutes"] == 1


def test_tag_add_remove_rename_merge(lib, capsys):
    [sport] = ids_of(capsys, lib, "--tag", "sport")
    code, data, _ = cli_json(capsys, lib, "tag", str(sport), "--add", "Football", "--remove",
                             "news")
    assert code == 0 and data["articles"][0]["tags"] == ["Football", "sport"]
    assert cli_json(capsys, lib, "tags", "--rename", "sport", "games")[0] == 0
    assert cli_json(capsys, lib, "tags", "--merge", "Football", "business", "--into",
                    "games")[0] == 0
    tags = {t["tag"]: t["articles"] for t in cli_json(capsys, lib, "tags")[1]}
    assert tags["games"] == 3 and "sport" not in tags and "Football" not in tags


def test_empty_trash_deletes_for_good(lib, capsys):
    [sport] = ids_of(capsys, lib, "--tag", "sport")
    cli_json(capsys, lib, "delete", str(sport))
    assert cli_json(capsys, lib, "empty-trash", "--older-than", "1")[1] == {"deleted": 0}
    assert cli_json(capsys, lib, "empty-trash")[1] == {"deleted": 1}
    assert ids_of(capsys, lib, "--state", "trash") == []
    code, _, err = cli_json(capsys, lib, "undelete", str(sport))
    assert code == 2 and "no article" in err


def test_notebook_filters(lib, capsys):
    b0, b1 = sorted(ids_of(capsys, lib, "--tag", "business"))
    cli_json(capsys, lib, "annotate", str(b0), "--quote", "quarterly", "--color", "yellow",
             "--tag", "money")
    cli_json(capsys, lib, "annotate", str(b1), "--quote", "report", "--color", "pink",
             "--note", "who wrote this?")
    assert [e["color"] for e in cli_json(capsys, lib, "notebook")[1]] == ["pink", "yellow"]
    assert [e["color"] for e in cli_json(capsys, lib, "notebook", "--tag", "money")[1]] \
        == ["yellow"]
    assert [e["note"] for e in cli_json(capsys, lib, "notebook", "--words", "wrote")[1]] \
        == ["who wrote this?"]
    assert len(cli_json(capsys, lib, "notebook", "--since", "2000-01-01")[1]) == 2
    assert cli_json(capsys, lib, "notebook", "--until", "2000-01-01")[1] == []
    assert len(cli_json(capsys, lib, "notebook", "--article-tag", "business")[1]) == 2
    assert [e["color"] for e in cli_json(capsys, lib, "notebook", "--meaning",
                                         "question")[1]] == ["pink"]


@pytest.mark.parametrize("args", [["tag", "1"], ["notebook", "--since", "yesterday"],
                                  ["notebook", "--color", "mauve"], ["delete", "9999"],
                                  ["list", "--state", "bogus"]])
def test_bad_input_one_line_error_changes_nothing(lib, capsys, args):
    before = cli_json(capsys, lib, "list", "--state", "all")[1]
    code, out, err = cli_json(capsys, lib, *args)
    assert code in (1, 2) and out is None
    assert "Traceback" not in err and len(err.strip().splitlines()[-1]) < 200
    assert cli_json(capsys, lib, "list", "--state", "all")[1] == before


def test_main_py_runs_triage_commands(lib):
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--library", str(lib), "list",
                        "--state", "inbox", "--sort", "title"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0
    titles = [ln.split("%", 1)[1].strip() for ln in r.stdout.splitlines()]
    assert titles[:3] == ["Business story 0  [business, news]",
                          "Business story 1  [business, news]", "Sport story 0  [news, sport]"]
