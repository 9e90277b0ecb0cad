"""annotate / notes / edit-note / delete-note / export end to end, as separate processes
(`python main.py --library DIR --json ...`), the way a script or another tool would drive them."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.export import split_front_matter
from core.library import Library
from tests.conftest import ROOT
from tests.core.export_fixtures import add_entities, seed_document

QUOTE = "Germany does not want any preconditions."


def cp(lib_dir, *args, stdin: str | None = None):
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--library", str(lib_dir),
                           "--json", *args], input=stdin.encode() if stdin is not None else None,
                          capture_output=True, cwd=ROOT, timeout=120, check=False)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in out + err
    return proc.returncode, (json.loads(out) if out.strip() else None), err


@pytest.fixture
def lib_dir(tmp_path):
    path = tmp_path / "lib"
    with Library(path, seed=False) as lib:
        aid = lib.add_document(seed_document()).article_id
        add_entities(lib, aid)
    assert aid == 1
    return path


def test_annotate_notes_edit_delete_export_round_trip(lib_dir, tmp_path):
    note = "Line one with **bold**\n\nüñíçødé — and <script>x</script>\n"
    code, a1, _ = cp(lib_dir, "annotate", "1", "--quote", QUOTE, "--note-file", "-",
                     "--color", "Yellow", "--tag", "germany", stdin=note)
    assert code == 0
    assert a1["note"] == note and a1["color"] == "yellow" and a1["tags"] == ["germany"]
    assert a1["quote"] == QUOTE and a1["status"] == "exact"

    text = seed_document().text
    s = text.index("Maroš")
    code, a2, _ = cp(lib_dir, "annotate", "1", "--start", str(s), "--end", str(s + 14),
                     "--color", "blue")
    assert code == 0 and a2["quote"] == "Maroš Šefčovič" and (a2["start"], a2["end"]) == \
        (s, s + 14)
    code, a3, _ = cp(lib_dir, "annotate", "1", "--note", "An article-level note")
    assert code == 0 and a3["status"] == "article-note" and a3["quote"] is None

    code, notes, _ = cp(lib_dir, "notes", "1")
    assert code == 0
    assert [n["id"] for n in notes] == [a2["id"], a1["id"], a3["id"]]  # reading order
    for n in notes[:2]:
        assert text[n["start"]:n["end"]] == n["quote"]

    code, edited, _ = cp(lib_dir, "edit-note", str(a1["id"]), "--note", "changed",
                         "--color", "pink", "--tag", "x", "--tag", "y")
    assert code == 0 and (edited["note"], edited["color"], edited["tags"]) == \
        ("changed", "pink", ["x", "y"])
    assert edited["created"] == a1["created"]

    out = tmp_path / "vault"
    code, res, _ = cp(lib_dir, "export", "--out", str(out))
    assert code == 0 and len(res["written"]) == 2
    md = Path(res["written"][0]).read_text(encoding="utf-8")
    fm = yaml.safe_load(split_front_matter(md)[0])
    assert fm["title"] == seed_document().title and fm["people"]
    assert "changed" in md and "An article-level note" in md
    code, res2, _ = cp(lib_dir, "export", "--out", str(out))
    assert res2["written"] == res["written"]
    assert Path(res["written"][0]).read_text(encoding="utf-8") == md

    code, res_json, _ = cp(lib_dir, "export", "1", "--out", str(tmp_path / "j"), "--format",
                           "json")
    data = json.loads(Path(res_json["written"][0]).read_text(encoding="utf-8"))
    assert data["total"] == 3 and data["@context"] == "http://www.w3.org/ns/anno.jsonld"

    code, gone, _ = cp(lib_dir, "delete-note", str(a2["id"]))
    assert code == 0 and gone == {"deleted": a2["id"], "article_id": 1}
    code, notes, _ = cp(lib_dir, "notes", "1")
    assert [n["id"] for n in notes] == [a1["id"], a3["id"]]
    code, res, _ = cp(lib_dir, "check")
    assert code == 0 and res["ok"]


def test_annotate_and_export_errors_are_one_line_with_exit_codes(lib_dir, tmp_path):
    code, _, err = cp(lib_dir, "annotate", "1", "--quote", "not in the article at all")
    assert code == 1 and "does not occur" in err and err.count("\n") == 1
    code, _, err = cp(lib_dir, "annotate", "1", "--quote", QUOTE, "--color", "chartreuse")
    assert code == 2 and "unknown colour" in err
    code, _, err = cp(lib_dir, "annotate", "99", "--note", "x")
    assert code == 2 and "no article with id 99" in err
    code, _, err = cp(lib_dir, "annotate", "1", "--start", "5")
    assert code == 2 and "--end" in err
    code, _, err = cp(lib_dir, "annotate", "1", "--start", "5", "--end", "999999")
    assert code == 1 and "outside" in err
    code, _, err = cp(lib_dir, "edit-note", "42", "--note", "x")
    assert code == 2 and "no annotation with id 42" in err
    code, _, err = cp(lib_dir, "export", "7", "--out", str(tmp_path / "v"))
    assert code == 2 and "no article with id 7" in err
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, err = cp(lib_dir, "export", "--out", str(blocker))
    assert code == 1 and "export folder" in err
    code, notes, _ = cp(lib_dir, "notes", "1")
    assert notes == []  # nothing was saved by the failed commands
