"""The parallel import pipeline stores the same articles and entities as the in-process path."""
from core.library import Library
from core.loading import MIN_PARALLEL, load_batch, workers_for

WORDS = ("Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the euro. "
         "Shares in Siemens rose 3% in Frankfurt.")


def _files(tmp_path, n):
    d = tmp_path / "src"
    d.mkdir()
    for i in range(n):
        (d / f"a{i:03d}.txt").write_text(f"Story {i}\n\n{WORDS} Paragraph {i}.\n", encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


def _snapshot(lib):
    out = []
    for s in lib.articles(order="title"):
        a = lib.article(s.id)
        out.append((a.title, a.text, [(e.start, e.end, e.label) for e in lib.entities(s.id)]))
    return sorted(out)


def test_parallel_import_matches_sequential(tmp_path, monkeypatch):
    src = _files(tmp_path, MIN_PARALLEL + 4)
    snaps, results = [], []
    for workers in ("0", "2"):
        monkeypatch.setenv("COMMONPLACE_IMPORT_WORKERS", workers)
        lib = Library(tmp_path / f"lib{workers}", seed=False)
        lib.set_setting("ner_pipeline", "rules")
        res = lib.import_sources([str(src)])
        results.append(sorted((r.source, r.status) for r in res))
        snaps.append(_snapshot(lib))
        assert lib.search("macron").total == MIN_PARALLEL + 4
        lib.close()
    assert results[0] == results[1]
    assert snaps[0] == snaps[1]
    assert any(ents for _, _, ents in snaps[1])


def test_workers_for():
    assert workers_for(MIN_PARALLEL - 1, 3) == 0
    assert workers_for(MIN_PARALLEL, 3) == 3
    assert workers_for(1000, 1) == 0


def test_import_workers_come_from_the_environment_at_the_front_door():
    from core.config import Config
    assert Config.from_env({"COMMONPLACE_IMPORT_WORKERS": "3"}).import_workers == 3
    assert Config.from_env({}).import_workers is None


def test_load_batch_reports_failures(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("", encoding="utf-8")
    [item] = load_batch([str(bad)], None)
    assert item.doc is None and item.error
