"""Palette (colour names, theme values, renamable meanings) and the safe note preview HTML."""
import re

import pytest

from core import palette
from core.notes_html import note_to_html
from core.storage import Store


def test_palette_order_values_and_renaming(tmp_path):
    names = [c.name for c in palette.palette()]
    assert names == ["yellow", "green", "blue", "pink", "purple"]
    for c in palette.palette():
        assert re.fullmatch(r"#[0-9a-f]{6}", c.light) and re.fullmatch(r"#[0-9a-f]{6}", c.dark)
    assert palette.colour("yellow").meaning == "key point"
    store = Store(tmp_path / "library.sqlite")
    palette.set_meaning(store, "Yellow", "  thesis  ")
    assert palette.colour("yellow", store).meaning == "thesis"
    assert palette.colour("green", store).meaning == "evidence"
    palette.set_meaning(store, "yellow", "")
    assert palette.colour("yellow", store).meaning == "key point"
    store.set_setting(palette.SETTING_KEY, "not json")
    assert palette.palette(store)[0].meaning == "key point"  # a damaged setting is ignored
    store.close()


def test_normalise_colour_names():
    assert palette.normalise(" Blue ") == "blue" and palette.normalise("") == ""
    with pytest.raises(ValueError, match="yellow, green"):
        palette.normalise("chartreuse")


@pytest.mark.parametrize("md,forbidden", [
    ("<script>alert(1)</script>", ["<script", "alert(1)"]),
    ("<img src=https://tracker.example/p.png>", ["<img", "tracker"]),
    ("![x](https://tracker.example/p.png)", ["<img", "tracker"]),
    ("<img src='data:image/png;base64,AAAA'>", ["<img"]),
    ('<a href="https://ok.example" onclick="steal()">x</a>', ["onclick", "steal"]),
    ("[x](javascript:alert(1))", ["javascript"]),
    ("[x](//evil.example/a)", ["evil.example"]),
    ("[x](relative/path)", ["relative/path"]),
    ("<iframe src=https://evil.example></iframe>", ["<iframe", "evil"]),
    ('<p style="background:url(https://evil.example/x)">s</p>', ["style", "evil"]),
    ("<svg onload=alert(1)><circle/></svg>", ["<svg", "onload"]),
    ("<form action=https://evil.example><input></form>", ["<form", "<input"]),
    ("<object data=https://evil.example/x></object>", ["<object"]),
    ("<link rel=stylesheet href=https://evil.example/s.css>", ["<link", "evil"]),
])
def test_preview_html_loads_nothing_and_runs_nothing(md, forbidden):
    html = note_to_html(md)
    for f in forbidden:
        assert f not in html


def test_preview_keeps_markdown_formatting_and_safe_links():
    html = note_to_html("**bold** and *it*\n\n- a\n- b\n\n```\ncode <b>\n```\n\n"
                        "[site](https://example.org) <mailto:me@example.org>\n\n| a | b |\n"
                        "|---|---|\n| 1 | 2 |")
    for piece in ("<strong>bold</strong>", "<em>it</em>", "<li>a</li>", "code &lt;b&gt;",
                  'href="https://example.org"', "mailto:", "<table>", "<td>1</td>"):
        assert piece in html
    assert note_to_html("   ") == ""
