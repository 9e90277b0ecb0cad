
"""Two instances on one library: two processes saving notes at once, and the CLI reading and
checking while they write. Nothing may be lost, the store stays sound, and the search index
ends up holding every note's *latest* text (not just the right set of keys)."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from core.library import Library
from core.models import Document
from core.text import TextBuilder
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # longer runs; still part of make test


TORTURE = ROOT / "scripts" / "torture.py"
COUNT = 40


def _doc(i: int) -> Document:
    b = TextBuilder()
    b.add_block("paragraph", f"Article number {i} about harbour seals and the council budget.")
    return Document(text=b.text, blocks=b.blocks, title=f"Article {i}")


def test_two_processes_writing_notes_lose_nothing(tmp_path):
    lib_dir = tmp_path / "lib"
    with Library(lib_dir, seed=False) as lib:
        for i in range(3):
            lib.add_document(_doc(i))
        lib.ensure_index()
    writers = [subprocess.Popen([sys.executable, str(TORTURE), "--writer", str(lib_dir),
                                 str(seed), str(COUNT)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=ROOT) for seed in (1, 2)]
    cli_runs = 0
    while any(w.poll() is None for w in writers) or cli_runs < 2:
        for cmd in (["search", "tok1x1"], ["list"], ["check"]):
            r = subprocess.run([sys.executable, "main.py", "--library", str(lib_dir), *cmd],
                               capture_output=True, text=True, cwd=ROOT, timeout=60)
            assert r.returncode == 0, (cmd, r.stdout, r.stderr)
        cli_runs += 1
        time.sleep(0.05)
    latest: dict[int, str] = {}
    every: list[str] = []
    for w in writers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err.decode()
        for line in out.decode().splitlines():
            ev = json.loads(line)
            latest[ev["id"]] = ev["note"]
            every.append(ev["note"].split()[0])
    assert len(every) == 2 * COUNT
    with Library(lib_dir, seed=False) as lib:
        lib.sync_index()
        for nid, note in latest.items():  # every note there, byte for byte
            assert lib.annotation(nid).note == note
        # The index holds each note's latest text: a stale index shows as a missing hit.
        current = {note.split()[0]: nid for nid, note in latest.items()}
        for token in every:
            hits = {h.annotation_id for h in lib.search(f"notes:{token}", limit=5).hits}
            if token in current:
                assert current[token] in hits, f"index lost the latest text of note {token}"
            else:
                assert not hits, f"index still has an overwritten note text {token}"
        assert lib.check() == []
        assert not lib.last_check_repaired
