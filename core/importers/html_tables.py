"""Tables in an extracted article: data tables become "cell" blocks the reader lays out as a
table; layout tables (page structure holding prose) give up their content as ordinary blocks.

A cell block is one canonical block per non-empty cell, in row-major order, with attrs
{"table": n, "row": r, "col": c} (and "head": True for header cells), so offsets stay plain
character offsets and a search or a highlight sees the cell's words like any other text.
Nothing is ever flattened into "a | b" paragraphs.
"""
from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from core.text import TextBuilder, clean_inline

LAYOUT_CELL_CHARS = 200  # a cell this long holds prose: the table is page layout
MAX_ROWS, MAX_COLS = 400, 30  # bigger grids are data dumps, not reading; they are left out
_BLOCKY = ("p", "list", "head", "quote", "table")

Segs = list[tuple[str, str | None]]


def is_layout(el: etree._Element) -> bool:
    """A table that holds paragraphs of prose, or most of the page's text."""
    root = el.getroottree().getroot()
    total = root.get("cp-text-length")  # counted once per page, not once per table
    if total is None:
        total = str(len("".join(root.itertext()).strip()))
        root.set("cp-text-length", total)
    share = len("".join(el.itertext()).strip()) / max(1, int(total))
    if share > 0.5:
        return True
    for c in el.iter("cell"):
        if len(clean_inline(" ".join(c.itertext()))) >= LAYOUT_CELL_CHARS:
            return True
        if any(isinstance(x.tag, str) and x.tag in _BLOCKY for x in c):
            return True
    return False


def emit_table(el: etree._Element, b: TextBuilder, base: str,
               inline: Callable[[etree._Element, Segs, str, str | None], None]) -> None:
    """Add a data table's cells as "cell" blocks (see the module docstring)."""
    rows = [r for r in el if r.tag == "row"]
    grid = [[c for c in r if c.tag == "cell"] for r in rows]
    grid = [r for r in grid if r]
    if not grid or len(grid) > MAX_ROWS or max(len(r) for r in grid) > MAX_COLS:
        return
    if sum(1 for r in grid for c in r if "".join(c.itertext()).strip()) < 2:
        return  # a one-cell "table" is a layout box: its words join the text as a paragraph
    table_id = 1 + max((s.attrs.get("table", -1) for s in b.blocks if s.kind == "cell"),
                       default=-1)
    for i, row in enumerate(grid):
        for j, cell in enumerate(row):
            segs: Segs = []
            if cell.text:
                segs.append((cell.text, None))
            for child in cell:
                inline(child, segs, base, None)
                if child.tail:
                    segs.append((child.tail, None))
            attrs = {"table": table_id, "row": i, "col": j}
            if cell.get("role") == "head":
                attrs["head"] = True
            b.add_block("cell", segs, attrs)
