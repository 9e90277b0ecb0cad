"""The CLI end to end, as a new user would drive it (in temporary library folders)."""
import json
import subprocess
import sys

import pytest

from cli import run
from tests.conftest import ROOT, shared_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


def cli(capsys, *args):
    code = run(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def cli_json(capsys, lib, *args):
    code, out, err = cli(capsys, "--library", str(lib), "--json", *args)
    return code, json.loads(out) if out.strip() else None, err


@pytest.fixture
def lib(tmp_path, capsys):
    path = tmp_path / "lib"
    code, data, _ = cli_json(capsys, path, "list")  # first open imports seeds/
    assert code == 0 and len(data) == 1
    return path


def test_first_run_seeds_and_search_finds_sefcovic(lib, capsys):
    code, data, _ = cli_json(capsys, lib, "search", "sefcovic")
    assert code == 0
    [hit] = data["hits"]
    assert hit["title"].startswith("UK and EU")
    assert "<mark>Šefčovič</mark>" in hit["snippet"]
    assert set(hit) >= {"article_id", "title", "score", "snippet"}


@pytest.mark.parametrize("query", ['"single market"', "title:defence"])
def test_search_syntax_finds_seed(lib, capsys, query):
    code, data, _ = cli_json(capsys, lib, "search", query)
    assert code == 0 and data["hits"][0]["title"].startswith("UK and EU")


def test_malformed_query_answers_without_traceback(lib, capsys):
    code, out, err = cli(capsys, "--library", str(lib), "search", "title:(")
    assert code == 0 and "Traceback" not in err + out


def test_import_again_says_duplicate_and_changes_nothing(lib, capsys):
    code, data, _ = cli_json(capsys, lib, "import", str(ROOT / "seeds"))
    assert code == 0
    assert [r["status"] for r in data["results"]] == ["duplicate"]
    assert len(cli_json(capsys, lib, "list")[1]) == 1


def test_bad_inputs_each_get_one_line_and_change_nothing(lib, capsys, tmp_path):
    png = tmp_path / "picture.html"
    png.write_bytes(PNG)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: the size check must refuse it before reading
    nothing = tmp_path / "no-articles"
    nothing.mkdir()
    (nothing / "image.png").write_bytes(PNG)
    before = cli_json(capsys, lib, "list")[1]
    code, out, err = cli(capsys, "--library", str(lib), "import", str(png), str(empty),
                         str(huge), str(nothing), "http://127.0.0.1:9/article")
    assert code == 1
    failed = [ln for ln in out.splitlines() if ln.startswith("failed")]
    assert len(failed) == 5, out
    assert "binary" in failed[0].lower() or "png" in failed[0].lower()
    assert "empty" in failed[1].lower()
    assert "too large" in failed[2].lower()
    assert "no articles" in failed[3].lower()
    assert "could not reach" in failed[4].lower()
    assert cli_json(capsys, lib, "list")[1] == before
    assert "Traceback" not in err


def test_show_json_offsets_point_into_text(lib, capsys):
    code, art, _ = cli_json(capsys, lib, "show", "1")
    assert code == 0 and {"id", "title", "text", "entities"} <= set(art)
    for e in art["entities"]:
        assert art["text"][e["start"]:e["end"]] == e["text"]
    for b in art["blocks"]:
        assert art["text"][b["start"]:b["end"]].strip()


def test_usage_errors_exit_2(lib, capsys):
    assert cli(capsys, "--library", str(lib), "show", "999")[0] == 2
    with pytest.raises(SystemExit) as e:
        run(["--library", str(lib), "frobnicate"])
    assert e.value.code == 2


def test_check_and_reindex(lib, capsys):
    assert cli_json(capsys, lib, "check")[1] == {"ok": True, "problems": []}
    assert cli_json(capsys, lib, "reindex")[1]["documents"] >= 1


def test_library_env_var_and_subprocess_entry_point(tmp_path):
    env = {"COMMONPLACE_LIBRARY": str(tmp_path / "envlib"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "main.py", "list", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["title"].startswith("UK and EU")
    assert (tmp_path / "envlib" / "library.sqlite").exists()


@pytest.mark.shared
def test_bbc_import_reports_duplicates_and_reads_latin1(tmp_path, capsys):
    bbc = shared_path("data", "news-bbc", "bbc", "sport")
    lib = tmp_path / "bbc"
    code, data, _ = cli_json(capsys, lib, "import", "--no-entities", str(bbc))
    statuses = [r["status"] for r in data["results"]]
    assert statuses.count("failed") == 0
    assert statuses.count("imported") > 400 and statuses.count("duplicate") > 0
    [r199] = [r for r in data["results"] if r["source"].endswith("sport/199.txt")]
    _, art, _ = cli_json(capsys, lib, "show", str(r199["article_id"]))
    assert "£" in art["text"] and "\ufffd" not in art["text"]


def test_ner_pipeline_flag_refuses_a_pipeline_that_does_not_load(lib, capsys):
    code, out, err = cli(capsys, "--library", str(lib), "--ner-pipeline",
                         "no_such_spacy_pipeline_xyz", "list")
    assert code == 1 and "no_such_spacy_pipeline_xyz" in err and "Traceback" not in err
    code, out, err = cli(capsys, "--library", str(lib), "--ner-pipeline", "rules", "list")
    assert code == 0


def test_entity_command_json_and_text(tmp_path, capsys):
    path = tmp_path / "elib"
    src = tmp_path / "a.txt"
    src.write_text("Harbour strike\n\nDock workers led by Mara Quist walked out in Rotterdam on "
                   "Monday. Quist said the strike in Rotterdam would last a week.\n", "utf-8")
    code, data, _ = cli_json(capsys, path, "import", str(src))
    assert code == 0
    code, page, _ = cli_json(capsys, path, "entity", "Mara Quist", "--type", "person")
    assert code == 0
    assert page["name"] == "Mara Quist" and page["label"] == "PERSON"
    assert len(page["articles"]) == 1 and page["articles"][0]["mentions"] == 2
    assert any(c["name"] == "Rotterdam" for c in page["co_occurring"])
    assert sum(page["mentions_by_month"].values()) == 2
    code, out, _ = cli(capsys, "--library", str(path), "entity", "Quist")
    assert code == 0 and "Mara Quist" in out and "Rotterdam" in out
    code, out, err = cli(capsys, "--library", str(path), "entity", "Quist", "--type", "planet")
    assert code != 0 and "unknown entity type" in err


def test_search_names_the_entity_a_query_names(lib, capsys):
    _, art, _ = cli_json(capsys, lib, "show", "1")
    name = "Security Action for Europe"
    start = art["text"].index(name)
    code, _, _ = cli_json(capsys, lib, "correct", "1", "add", "--start", str(start),
                          "--end", str(start + len(name)), "--label", "ORG")
    assert code == 0
    code, data, _ = cli_json(capsys, lib, "search", "security action for europe")
    assert code == 0 and data["entity"] == {"name": name, "label": "ORG", "articles": 1}
    code, out, _ = cli(capsys, "--library", str(lib), "search", "org:\"security action for europe\"")
    assert out.splitlines()[0] == f'entity: {name} (Organisation, 1 article); its page: ' \
                                  f'main.py entity "{name}"'
    code, data, _ = cli_json(capsys, lib, "search", "securty action for europe")  # a typo
    assert data["corrected"] and data["entity"]["name"] == name
    code, data, _ = cli_json(capsys, lib, "search", "talks on defence")
    assert data["entity"] is None and data["hits"]
