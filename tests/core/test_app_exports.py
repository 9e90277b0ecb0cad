"""Other apps' exports: recognised by content, stored with tags/state/dates, highlights
re-anchored (orphans kept), a report, and re-running changes nothing."""
from __future__ import annotations

import shutil

import pytest

from core.app_import import Placer, colour, origin
from core.importers.app_exports import Highlight, detect
from core.library import Library
from tests.core import app_export_fixtures as fx


@pytest.fixture
def lib(tmp_path):
    with Library(tmp_path / "lib", seed=False) as lib:
        yield lib


def _snapshot(lib):
    con = lib._store.con
    return (con.execute("SELECT id, title, url, added, content_hash FROM articles ORDER BY id").fetchall(),
            con.execute("SELECT article_id, start, end, exact, note, color FROM annotations ORDER BY id").fetchall(),
            con.execute("SELECT * FROM article_tags ORDER BY 1, 2").fetchall(),
            con.execute("SELECT * FROM import_origins ORDER BY 1").fetchall())


@pytest.mark.parametrize("maker,kind,name", [
    (fx.pocket_csv, "pocket-csv", "part_000000.csv"), (fx.pocket_html, "pocket-html", "ril_export.html"),
    (fx.instapaper_csv, "instapaper", "instapaper-export.csv"), (fx.bookmarks, "bookmarks", "b.html"),
    (fx.omnivore_zip, "omnivore", "omnivore.zip"), (fx.wallabag_json, "wallabag", "w.json"),
    (fx.readwise_csv, "readwise", "readwise.csv"),
])
def test_detected_by_content_not_name(tmp_path, maker, kind, name):
    p = maker(tmp_path / name)
    assert detect(p) == kind
    renamed = tmp_path / "renamed-export.dat"
    shutil.copy(p, renamed)
    assert detect(renamed) == kind


def test_ordinary_files_are_not_exports(tmp_path):
    (tmp_path / "a.html").write_text("<html><head><title>Hi</title></head><body><p>x</p></body></html>")
    (tmp_path / "a.csv").write_text("name,age\nbob,3\n")
    (tmp_path / "a.json").write_text('{"hello": 1}')
    assert [detect(tmp_path / n) for n in ("a.html", "a.csv", "a.json")] == [None, None, None]


def test_pocket_csv_links_tags_state_dates_and_report(lib, tmp_path):
    p = fx.pocket_csv(tmp_path / "part_000000.csv")
    res = lib.import_sources([str(p)], recognise=False)
    [rep] = lib.export_reports
    assert (rep.imported, rep.link_only, rep.present) == (3, 3, 1)  # one duplicate row
    assert len(rep.failed) == 2 and any("URL" in why for _, why in rep.failed)
    assert any("malformed" in why or "field" in why for _, why in rep.failed)
    assert sum(r.status == "failed" for r in res) == 2
    aid = next(r.article_id for r in res if r.status == "imported")
    art = lib.article(aid)
    assert art.title == "Story 0, part one" and art.url == "https://news.example.org/story/0"
    assert set(art.tags) == {"reading", "later"}
    assert art.added.startswith("2023-11-14")
    assert "not been fetched" in art.text and art.links[0].attrs["href"] == art.url
    o = origin(lib._store, aid)
    assert (o["app"], o["state"], o["fetch"]) == ("pocket-csv", "unread", "pending")
    archived = [origin(lib._store, r.article_id)["state"] for r in res if r.status == "imported"]
    assert archived == ["unread", "archived", "unread"]
    # the app's archive becomes the library's archive (reading states, issue 12)
    assert [lib.summary(r.article_id).state for r in res if r.status == "imported"] == \
        ["inbox", "archive", "inbox"]
    before = _snapshot(lib)
    lib.import_sources([str(p)], recognise=False)
    assert _snapshot(lib) == before
    assert lib.export_reports[0].imported == 0 and lib.export_reports[0].present == 4


def test_bookmarks_folders_become_tags(lib, tmp_path):
    res = lib.import_sources([str(fx.bookmarks(tmp_path / "bookmarks.html"))], recognise=False)
    arts = {lib.article(r.article_id).title: lib.article(r.article_id) for r in res}
    assert set(arts) == {"Deep read", "Science piece", "Top level"}
    assert set(arts["Deep read"].tags) == {"long", "essay", "Reading"}
    assert arts["Science piece"].tags == ["Reading / Science"]
    assert arts["Top level"].tags == []


def test_pocket_html_and_instapaper(lib, tmp_path):
    res = lib.import_sources([str(fx.pocket_html(tmp_path / "ril_export.html")),
                              str(fx.instapaper_csv(tmp_path / "i.csv"))], recognise=False)
    assert [r.status for r in res] == ["imported"] * 5
    states = [origin(lib._store, r.article_id)["state"] for r in res]
    assert states == ["unread", "archived", "unread", "archived", "unread"]
    assert lib.article(res[0].article_id).title == "One & only"
    assert lib.article(res[4].article_id).tags == ["Essays"]
    # the Instapaper selection is kept: an orphan until the page is fetched
    anns = lib.annotations(res[2].article_id)
    assert len(anns) == 1 and anns[0].resolution.orphaned
    assert anns[0].annotation.anchor.exact == "A selected sentence from the page"


def test_omnivore_content_highlights_notes_and_orphans(lib, tmp_path):
    p = fx.omnivore_zip(tmp_path / "omnivore.zip")
    res = lib.import_sources([str(p)], recognise=False)
    [rep] = lib.export_reports
    assert (rep.imported, rep.placed, rep.orphaned) == (1, 2, 1)
    art = lib.article(res[0].article_id)
    assert "largest tidal ranges" in art.text and art.tags == ["energy"]
    assert art.added.startswith("2023-05-01")
    assert origin(lib._store, art.id)["state"] == "archived"
    anns = lib.annotations(art.id)
    placed = [a for a in anns if not a.resolution.orphaned]
    assert art.text[placed[0].resolution.start:placed[0].resolution.end] == \
        "one of the largest tidal ranges in the world"
    assert placed[0].annotation.note == "Worth checking the numbers."
    # typographic quotes in the text, straight ones in the export: still placed
    assert "“thousands of wading birds”" in art.text[placed[1].resolution.start:
                                                      placed[1].resolution.end]
    orphan = [a for a in anns if a.resolution.orphaned]
    assert orphan[0].annotation.anchor.exact.startswith("This sentence was edited away")
    before = _snapshot(lib)
    lib.import_sources([str(p)], recognise=False)
    assert _snapshot(lib) == before


def test_wallabag_content_annotations_and_link_only(lib, tmp_path):
    res = lib.import_sources([str(fx.wallabag_json(tmp_path / "w.json"))], recognise=False)
    a = lib.article(res[0].article_id)
    assert a.author == "R. Severn" and a.tags == ["energy"]
    [ann] = lib.annotations(a.id)
    assert ann.annotation.note == "key claim" and not ann.resolution.orphaned
    assert origin(lib._store, a.id)["state"] == "archived"
    assert origin(lib._store, res[1].article_id)["fetch"] == "pending"


def test_readwise_onto_existing_article_and_as_quotes(lib, tmp_path):
    lib.import_sources([str(fx.wallabag_json(tmp_path / "w.json"))], recognise=False)
    res = lib.import_sources([str(fx.readwise_csv(tmp_path / "r.csv"))], recognise=False)
    [rep] = lib.export_reports
    assert [r.status for r in res] == ["duplicate", "imported"]
    anns = lib.annotations(res[0].article_id)
    rw = [x for x in anns if x.annotation.note == "why?"][0]
    assert not rw.resolution.orphaned and rw.annotation.color == "blue"
    book = lib.article(res[1].article_id)
    assert book.author == "A. Writer"
    assert [x.annotation.color for x in lib.annotations(book.id)] == ["pink", "yellow"]
    assert rep.placed == 3 and rep.orphaned == 0


def test_placer_prefers_reading_order_and_folds_typography():
    text = "Alpha beta. Gamma — delta. Alpha beta."
    p = Placer(text)
    first = p.place(Highlight("Gamma - delta"))
    assert text[first.start:first.end] == "Gamma — delta"
    second = p.place(Highlight("Alpha beta"))
    assert second.start == text.rindex("Alpha beta")
    orphan = p.place(Highlight("nowhere to be found at all"))
    assert orphan.start == orphan.end == 0


def test_colour_mapping():
    assert [colour(c) for c in ("Red", "orange", "green", "weird", "")] == \
        ["pink", "yellow", "green", "yellow", "yellow"]


def test_large_pocket_export_streams(lib, tmp_path):
    p = fx.pocket_csv(tmp_path / "big.csv", rows=2000)
    lib.import_sources([str(p)], recognise=False)
    assert lib.export_reports[0].imported == 2000


def test_whole_file_problems_fail_cleanly_and_store_nothing(lib, tmp_path):
    import zipfile
    bad_json = tmp_path / "w.json"
    bad_json.write_text('[{"is_archived": 1, "url": "https://x.example.org/a", "title": ')
    bomb = fx.omnivore_zip(tmp_path / "bomb.zip", articles=3)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("content/zzz.html", b"\0" * 5_000_000)
    escape = fx.omnivore_zip(tmp_path / "escape.zip")
    with zipfile.ZipFile(escape, "a") as zf:
        zf.writestr("../../evil.html", "<p>x</p>")
    good = fx.instapaper_csv(tmp_path / "i.csv")
    res = lib.import_sources([str(bad_json), str(bomb), str(escape), str(good)],
                             recognise=False)
    failed = [r for r in res if r.status == "failed"]
    assert len(failed) == 3 and all("\n" not in r.error for r in failed)
    assert "not valid JSON" in failed[0].error and "zip bomb" in failed[1].error
    assert "escapes the archive" in failed[2].error
    assert lib._store.count_articles() == 3  # only the good export's entries


def test_rows_are_streamed(tmp_path):
    from core.importers.app_exports import read_entries
    p = tmp_path / "big.csv"
    with p.open("w") as fh:
        fh.write("title,url,time_added,tags,status\n")
        for i in range(100_000):
            fh.write(f"T{i},https://e.example.org/{i},1700000000,,unread\n")
        fh.write('broken,"https://e.example.org/x\n')
    it = read_entries(p, "pocket-csv")
    first = next(it)  # available without reading the whole file
    assert first.url == "https://e.example.org/0" and first.row == 2
    rest = list(it)
    assert len(rest) == 100_000 and rest[-1].error


def test_one_bad_entry_rolls_back_alone(lib, tmp_path, monkeypatch):
    from core import app_import
    real = app_import._add_highlights

    def flaky(store, con, aid, text, hls, report):
        if "Beta" in store.article(aid).title:
            raise RuntimeError("boom")
        return real(store, con, aid, text, hls, report)
    monkeypatch.setattr(app_import, "_add_highlights", flaky)
    res = lib.import_sources([str(fx.instapaper_csv(tmp_path / "i.csv"))], recognise=False)
    assert [r.status for r in res] == ["imported", "failed", "imported"]
    assert "boom" in res[1].error
    titles = {a.title for a in lib.articles()}
    assert titles == {"Alpha", "Gamma"}
    assert lib._store.con.execute("SELECT count(*) FROM import_origins").fetchone()[0] == 2


def test_cli_imports_every_kind_with_a_report(tmp_path, capsys):
    import json

    from cli import run
    files = [fx.pocket_html(tmp_path / "ril_export.html"), fx.instapaper_csv(tmp_path / "i.csv"),
             fx.bookmarks(tmp_path / "bookmarks.html"), fx.omnivore_zip(tmp_path / "o.zip"),
             fx.wallabag_json(tmp_path / "w.json"), fx.readwise_csv(tmp_path / "r.csv")]
    lib = str(tmp_path / "cli-lib")
    assert run(["--library", lib, "import", "--no-entities", *map(str, files)]) == 0
    out = capsys.readouterr().out
    for label in ("Pocket (ril_export.html): 2 imported", "Instapaper (CSV): 3 imported",
                  "browser bookmarks: 3 imported", "Omnivore (zip): 1 imported",
                  "Wallabag (JSON): 2 imported",
                  # one Readwise book is the Wallabag article (same title): highlights added there
                  "Readwise (CSV): 1 imported, 1 already present, 0 failed; highlights 3 placed"):
        assert label in out, out
    assert "highlights 2 placed, 1 orphaned" in out  # Omnivore's line
    assert run(["--library", lib, "--json", "import", "--no-entities", *map(str, files)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["counts"]["imported"] == 0 and again["counts"]["failed"] == 0
    assert all(rep["imported"] == 0 for rep in again["exports"])
