"""Shared fixtures: every test gets its own library folder; nothing touches the user's."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "uk-eu-defence-talks.txt"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test with a reason (a fresh clone has no ../shared)."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)} (not present in this checkout)")
    return p


@pytest.fixture(autouse=True)
def _isolate_library(tmp_path, monkeypatch):
    monkeypatch.setenv("COMMONPLACE_LIBRARY", str(tmp_path / "default-library"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
