"""Plain-text articles (.txt, text/plain pages) → Document.

Convention (BBC corpus, saved articles, our seeds): a short first line followed by a blank
line is the title. A title of the form "Headline | Section" keeps the headline as the title
and moves the trailing sections to tags: the section is a useful facet for filtering, and
"| Defence policy" in every list row and export file name is noise.
"""
from __future__ import annotations

import re
from pathlib import PurePath

from core.models import Document
from core.text import blocks_from_plain, clean_inline

MAX_TITLE_CHARS = 200
_SECTION_SEP = " | "


def parse_plain(text: str, *, name: str = "") -> Document:
    """Build a Document from plain text. `name` (a file name or URL path) supplies a title
    when the text has no title line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    title, body = split_title(text)
    tags: list[str] = []
    if title:
        title, tags = split_sections(title)
    builder = blocks_from_plain(body)
    if not title:
        title = title_from_name(name) or _first_words(builder.text)
    return Document(text=builder.text, blocks=builder.blocks, links=builder.links,
                    title=title, tags=tags)


def split_title(text: str) -> tuple[str, str]:
    """(title, body) if the first non-blank line is title-like and followed by a blank line."""
    stripped = text.lstrip("\n \t")
    m = re.match(r"([^\n]*)\n[ \t]*\n", stripped)
    if not m:
        return "", text
    line = clean_inline(m.group(1))
    body = stripped[m.end():]
    if not line or not body.strip() or not _title_like(line):
        return "", text
    return line, body


def _title_like(line: str) -> bool:
    """Short, and not a sentence: headlines rarely end with a full stop (but may with ? or !)."""
    if len(line) > MAX_TITLE_CHARS:
        return False
    if line.endswith(".") and not line.endswith("..."):
        return False
    return not re.match(r"^([-*•]|\d+[.)])\s", line)  # a list item is not a title


def split_sections(title: str) -> tuple[str, list[str]]:
    """"Headline | Section | Site" → ("Headline", ["Section", "Site"]) when the tail parts are
    short labels (at most 5 words each) and the headline is not."""
    parts = [clean_inline(p) for p in title.split(_SECTION_SEP)]
    if len(parts) < 2:
        return title, []
    head, tail = parts[0], [p for p in parts[1:] if p]
    if len(head.split()) < 2 or any(len(p.split()) > 5 or len(p) > 40 for p in tail):
        return title, []
    return head, tail


def title_from_name(name: str) -> str:
    """"uk-eu_defence-talks.txt" → "Uk eu defence talks"; "" if there is no name."""
    if not name:
        return ""
    stem = PurePath(name.rstrip("/")).stem
    words = clean_inline(re.sub(r"[-_+.]+", " ", stem))
    return words[:1].upper() + words[1:] if words else ""


def _first_words(text: str, limit: int = 80) -> str:
    first = text.split("\n", 1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut + "…"
