"""Highlight colours: an ordered default palette with light/dark theme values and meanings.

Annotations store the colour's *name* ("yellow"); the meaning ("key point") is a label the user
may rename. Renamed meanings live in the store's settings as JSON under SETTING_KEY, so they
travel with the library. Qt-free: the GUI turns the hex values into QColors.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

SETTING_KEY = "palette"


@dataclass(frozen=True, slots=True)
class Colour:
    name: str      # stable key stored on annotations
    light: str     # highlight fill on a light (or sepia) page, #RRGGBB
    dark: str      # highlight fill on a dark page, #RRGGBB
    meaning: str   # what the user means by it; renamable


DEFAULT_PALETTE: tuple[Colour, ...] = (
    Colour("yellow", "#fff3a3", "#6b5f1c", "key point"),
    Colour("green", "#c9f2c1", "#2f5d2c", "evidence"),
    Colour("blue", "#c7e3ff", "#24476b", "definition / background"),
    Colour("pink", "#ffd0e3", "#6e2f4a", "question / disagree"),
    Colour("purple", "#e3d4ff", "#4b3a73", "follow up"),
)
DEFAULT_COLOUR = DEFAULT_PALETTE[0].name
NAMES: tuple[str, ...] = tuple(c.name for c in DEFAULT_PALETTE)


def normalise(name: str | None) -> str:
    """A palette name from user input ("Yellow", " green "); "" stays "" (no colour).
    ValueError for an unknown name, listing the known ones."""
    n = (name or "").strip().lower()
    if n and n not in NAMES:
        raise ValueError(f"unknown colour {name!r}; choose one of {', '.join(NAMES)}")
    return n


def _meanings(store) -> dict[str, str]:
    if store is None:
        return {}
    raw = store.get_setting(SETTING_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in NAMES and isinstance(v, str)}


def palette(store=None) -> list[Colour]:
    """The palette in order, with the user's meanings (from `store`) applied."""
    m = _meanings(store)
    return [replace(c, meaning=m.get(c.name, c.meaning)) for c in DEFAULT_PALETTE]


def colour(name: str, store=None) -> Colour | None:
    return next((c for c in palette(store) if c.name == name), None)


def set_meaning(store, name: str, meaning: str) -> None:
    """Rename what a colour means; an empty meaning restores the default."""
    name = normalise(name)
    if not name:
        raise ValueError("no colour given")
    m = _meanings(store)
    meaning = " ".join(meaning.split())
    if meaning:
        m[name] = meaning
    else:
        m.pop(name, None)
    store.set_setting(SETTING_KEY, json.dumps(m, ensure_ascii=False, sort_keys=True))
