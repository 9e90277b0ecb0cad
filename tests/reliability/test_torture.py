
"""The kill harness, short: 50 SIGKILLs at random moments of an import-and-annotate loop.
`make torture` runs the same harness with 200 kills (scripts/torture.py)."""
from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # longer runs; still part of make test



def _torture():
    spec = importlib.util.spec_from_file_location("cp_torture", ROOT / "scripts" / "torture.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fifty_kills_lose_nothing_and_break_nothing(tmp_path):
    lines: list[str] = []
    t = _torture().run(50, tmp_path / "library", seed=20250501, window=0.6, log=lines.append)
    assert t["kills"] == 50
    assert t["child_errors"] == 0, lines
    assert t["integrity"] == 0, lines
    assert t["lost"] == 0, lines
    assert t["saves"] > 50  # the kills did land on a working writer, not only on start-up
    assert lines[-1].startswith("kills: 50, lost notes: 0, integrity failures: 0,")
