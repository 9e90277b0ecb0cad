"""A bulk import reaches the search index in a few commits, not one per stored batch, and
every article is searchable when the import returns."""
from __future__ import annotations

from core.indexing import IndexService
from core.ingest import STORE_BATCH
from core.library import Library


def test_bulk_import_commits_the_index_a_few_times_and_finds_everything(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    n = STORE_BATCH * 3 + 7
    for i in range(n):
        (src / f"{i:03}.txt").write_text(f"Harbour log {i}\n\nThe pilot boat number{i} came "
                                         "in on the morning tide.\n", encoding="utf-8")
    lib = Library(tmp_path / "lib", seed=False)
    try:
        applied: list[int] = []
        real = IndexService._apply_pending

        def counting(self, con=None):
            k = real(self, con)
            applied.append(k)
            return k
        monkeypatch.setattr(IndexService, "_apply_pending", counting)
        monkeypatch.setattr("core.indexing.BULK_SYNC_S", 3600.0)
        results = lib.import_sources([str(src)], recognise=False)
        assert sum(r.status == "imported" for r in results) == n
        # the first batch (search shows the import starting), then the rest at the end
        assert len([k for k in applied if k]) == 2, applied
        assert lib.pending_index_count() == 0
        assert lib.search("number0").total == 1 and lib.search(f"number{n - 1}").total == 1
        applied.clear()
        lib.annotate(1, note="a note typed after the import is indexed at once")
        assert applied and lib.search("typed").total == 1
    finally:
        lib.close()
