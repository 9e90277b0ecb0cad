"""Article images in a Markdown export: copied into `attachments/` beside the notes and
embedded with their captions, so an exported article reads with its pictures offline (the
names are the library's content addresses, so re-exporting never duplicates a file)."""
from __future__ import annotations

import os
from pathlib import Path

ATTACHMENTS = "attachments"
OBJECT_REPLACEMENT = "\ufffc"


def _images(art) -> list[tuple[str, str]]:
    """(stored name, caption or alt text) of the article's stored pictures, in reading order."""
    out = []
    for b in art.blocks:
        name = b.attrs.get("image") if b.kind == "image" else None
        if name and "/" not in name and "\\" not in name and not name.startswith("."):
            text = art.text[b.start:b.end]
            out.append((name, text if text != OBJECT_REPLACEMENT else b.attrs.get("alt", "")))
    return out


def image_lines(art) -> list[str]:
    """Markdown lines embedding the article's pictures ([] when it has none)."""
    from core.export_markdown import escape_inline
    pics = _images(art)
    if not pics:
        return []
    out = ["## Images", ""]
    for name, caption in pics:
        alt = escape_inline(caption).replace("[", "\\[").replace("]", "\\]")
        out += [f"![{alt}]({ATTACHMENTS}/{name})", ""]
    return out


def copy_attachments(lib, art, folder: Path) -> None:
    """Write the article's pictures into folder/attachments (existing files are kept)."""
    pics = _images(art)
    if not pics:
        return
    target = folder / ATTACHMENTS
    target.mkdir(exist_ok=True)
    for name, _ in pics:
        path = target / name
        if path.exists():
            continue
        got = lib.image(name)
        if got is None:
            continue
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(got[1])
        os.replace(tmp, path)
