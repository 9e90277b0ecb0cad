"""The Markdown side of export: escaping, callouts, the managed region for one article, and
merging a fresh region into a file the user may have edited. `core.export` is the front door
(file names, atomic writes, JSON, the whole-library run).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote as urlquote

import yaml

from core.export_entities import GROUP_KEYS, entity_front_matter, pick_entities
from core.palette import Colour

MANAGED_KEYS = ("title", "author", "site", "url", "published", "tags", "entities",
                *GROUP_KEYS.values(), "updated", "commonplace_id")

# -- Markdown helpers ----------------------------------------------------------------------------
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<|~$^])|(==|%%)|(#(?=\S))|(&(?=#?\w+;))")


def escape_inline(text: str) -> str:
    """Plain text (article text, titles) as Markdown that renders as the same characters in
    CommonMark and Obsidian: emphasis, links, HTML, entities, Obsidian highlights (==), comments
    (%%), tags (#word) and math ($) are escaped."""
    return _INLINE_SPECIAL.sub(lambda m: "".join("\\" + c for c in m.group(0)), text)


def _escape_line_start(line: str) -> str:
    """Stop a line of plain text from starting a heading, list, quote or thematic break."""
    m = re.match(r"^(\d{1,9})([.)])(\s|$)", line)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{line[m.end(2):]}"
    if re.match(r"^([-+*#>]|=+$)", line):
        return "\\" + line
    return line


def _plain_block(text: str) -> list[str]:
    """Canonical text (blocks separated by blank lines) as escaped Markdown lines."""
    out: list[str] = []
    for block in text.split("\n"):
        block = block.strip()
        out.append(_escape_line_start(escape_inline(block)) if block else "")
    return out


def _callout(kind: str, title: str, lines: Sequence[str]) -> str:
    """A callout whose title line stands alone: the blank `>` line after it stops CommonMark
    reading a body line that starts with `---`, `===` or four spaces as part of the title's
    paragraph (a setext underline or a lazy continuation)."""
    head = f"> [!{kind}]" + (f" {title}" if title else "")
    body = [("> " + ln) if ln.strip() else ">" for ln in lines]
    return "\n".join([head, ">", *body] if body else [head])


_BLOCK_ID_TAIL = re.compile(r"(^|\s)\^([A-Za-z0-9-]+)[ \t]*$")
_NOTE_PARSER = None


def _line_kinds(lines: list[str]) -> list[str]:
    """For each line of a note, the CommonMark block it belongs to: "code" (fenced or
    indented), "html" (an HTML block) or "text"."""
    global _NOTE_PARSER
    if _NOTE_PARSER is None:
        from markdown_it import MarkdownIt
        _NOTE_PARSER = MarkdownIt("commonmark")
    kinds = ["text"] * len(lines)
    for tok in _NOTE_PARSER.parse("\n".join(lines)):
        if tok.map and tok.type in ("fence", "code_block", "html_block"):
            kind = "html" if tok.type == "html_block" else "code"
            for i in range(tok.map[0], min(tok.map[1], len(lines))):
                kinds[i] = kind
    return kinds


def _note_lines(note: str) -> list[str]:
    """A note as written (it is the user's Markdown), line endings normalised. Inside a callout,
    a container, an unclosed fence or raw HTML cannot run past the callout's end. A line ending
    in ` ^word` would become an Obsidian block id (a duplicate of ours, or a stray one), so its
    caret is escaped the way its block renders it back as `^`: a backslash in text, `&#94;` in
    an HTML block; in code no block id is read and nothing changes."""
    lines = note.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    if not any(_BLOCK_ID_TAIL.search(ln) for ln in lines):
        return lines
    kinds = _line_kinds(lines)
    out = []
    for ln, kind in zip(lines, kinds, strict=True):
        if kind != "code":
            esc = "\\^" if kind == "text" else "&#94;"

            def caret(t: re.Match[str], e: str = esc) -> str:
                return t.group(1) + e + t.group(2)
            ln = _BLOCK_ID_TAIL.sub(caret, ln)
        out.append(ln)
    return out


def block_id(uuid: str, long: bool = False) -> str:
    """Obsidian block id: `ann-` and the uuid's first 8 hex digits (all 32 if `long`, used when
    two annotations of one article would share the short form)."""
    return "ann-" + uuid.replace("-", "")[:32 if long else 8].lower()


def _text_fragment(url: str, exact: str) -> str:
    """A link that scrolls a browser to the passage (URL text fragment), for http(s) sources."""
    if not url.lower().startswith(("http://", "https://")):
        return ""
    def enc(s: str) -> str:
        return urlquote(s, safe="")
    words = " ".join(exact.split()).split(" ")
    if len(words) > 10:
        frag = enc(" ".join(words[:5])) + "," + enc(" ".join(words[-5:]))
    else:
        frag = enc(" ".join(words))
    return url.split("#", 1)[0] + "#:~:text=" + frag


def _md_link_dest(url: str) -> str:
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">"


# -- content -------------------------------------------------------------------------------------
def _front_matter(art, ents: dict[str, list[str]], updated: str) -> dict:
    fm = {"title": art.title, "author": art.author, "site": art.site, "url": art.url,
          "published": art.published, "tags": obsidian_tags(art.tags)}
    fm.update(ents)
    fm["updated"] = updated
    fm["commonplace_id"] = art.uuid
    return {k: v for k, v in fm.items() if v not in ("", None) or k in ("title", "tags")}


def _markers(uuid: str) -> tuple[str, str]:
    begin = (f"%% commonplace:begin {uuid} · managed by Commonplace: this part is rewritten on "
             f"export; write your own text above or below it %%")
    return begin, f"%% commonplace:end {uuid} %%"


def _colour_label(name: str, colours: dict[str, Colour]) -> str:
    """A colour as its name and what the user means by it ("yellow · key point")."""
    if not name:
        return ""
    c = colours.get(name)
    return f"{name} · {c.meaning}" if c and c.meaning else name


def obsidian_tag(tag: str) -> str:
    """A tag Obsidian accepts: letters, digits, `_`, `-` and `/` (nesting) only, spaces and
    other characters → `-`; a tag without a letter ("2026") is not a tag there, so it gets a
    leading `_`. "" when nothing is left."""
    parts = []
    for part in tag.strip().lstrip("#").split("/"):
        part = re.sub(r"[^\w-]+", "-", part).strip("-")
        if part:
            parts.append(part)
    t = "/".join(parts)
    if t and not re.search(r"[^\W\d]", t):  # no letter or _: "2026", "1-0"
        t = "_" + t
    return t


def obsidian_tags(tags: Sequence[str]) -> list[str]:
    """Each tag made valid, duplicates (any case) dropped, first spelling kept."""
    out, seen = [], set()
    for t in map(obsidian_tag, tags):
        if t and t.casefold() not in seen:
            seen.add(t.casefold())
            out.append(t)
    return out


def _tag_line(tags: Sequence[str]) -> str:
    return " ".join("#" + t for t in obsidian_tags(tags))


def _annotation_md(r, art, colours: dict[str, Colour], orphan: bool = False,
                   long_id: bool = False) -> str:
    """One annotation as one callout (so one block id covers it): the passage, then the note as
    a nested callout, then its tags; an article note is a note callout."""
    ann = r.annotation
    note = _note_lines(ann.note) if ann.note.strip() else []
    tags = _tag_line(ann.tags)
    if ann.anchor is None:
        lines = note or ["(empty note)"]
        if tags:
            lines += ["", tags]
        block = _callout("note", _colour_label(ann.color, colours) or "Note", lines)
    else:
        label = _colour_label(ann.color, colours) or "highlight"
        if orphan:
            kind, title = "warning", f"Orphaned · {label} — passage not found in the current text"
        else:
            kind, title = "quote", label
            frag = _text_fragment(art.url, ann.anchor.exact)
            if frag:
                title += f" · [source]({_md_link_dest(frag)})"
        lines = _plain_block(ann.anchor.exact)
        if note:
            lines += ["", *_callout("note", "Note", note).split("\n")]
        if tags:
            lines += ["", tags]
        block = _callout(kind, title, lines)
    return block + "\n\n^" + block_id(ann.uuid, long_id)


def _managed_region(art, resolved, colours: dict[str, Colour]) -> str:
    begin, end = _markers(art.uuid)
    out = [begin, "", f"# {escape_inline(art.title) or 'Untitled'}", ""]
    meta = [escape_inline(x) for x in (art.author, art.site, art.published) if x]
    if art.url:
        meta.append(f"[Source]({_md_link_dest(art.url)})")
    if meta:
        out += [" · ".join(meta), ""]
    from core.export_images import image_lines
    out += image_lines(art)
    passages = [r for r in resolved if r.resolution is not None and not r.resolution.orphaned]
    notes = [r for r in resolved if r.resolution is None]
    orphans = [r for r in resolved if r.resolution is not None and r.resolution.orphaned]
    short = [block_id(r.annotation.uuid) for r in resolved]
    clash = {b for b in short if short.count(b) > 1}

    def md(r, orphan: bool = False) -> str:
        return _annotation_md(r, art, colours, orphan, block_id(r.annotation.uuid) in clash)

    if passages:
        out += ["## Highlights", ""]
        for r in passages:
            out += [md(r), ""]
    if notes:
        out += ["## Notes", ""]
        for r in notes:
            out += [md(r), ""]
    if orphans:
        out += ["## Orphaned highlights", "",
                ("These passages were not found in the article's current text; re-attach them "
                 "in Commonplace."), ""]
        for r in orphans:
            out += [md(r, orphan=True), ""]
    if not resolved:
        out += ["_No highlights or notes yet._", ""]
    out.append(end)
    return "\n".join(out)


# libyaml when PyYAML has it (most wheels): front matter is most of an export's CPU time
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _load_yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # a safe loader (C or Python)


def _dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100000)


def render_article(art, resolved, spans, colours: dict[str, Colour],
                   entity_links: dict[str, str] | None = None) -> str:
    """The Markdown file for one article as written to an empty folder: front matter (tags,
    the picked entities, as links to entity notes when `entity_links` maps their keys) and the
    managed region with `resolved` (the annotations to show, in reading order)."""
    ents = entity_front_matter(pick_entities(spans), entity_links)
    updated = max((r.annotation.updated for r in resolved), default=art.updated)
    fm = _front_matter(art, ents, updated)
    return f"---\n{_dump_yaml(fm)}---\n\n{_managed_region(art, resolved, colours)}\n"


def export_article_markdown(src, article_id: int) -> str:
    """The Markdown file for one article of `src` (an ExportSource), as written to an empty
    folder."""
    colours = {c.name: c for c in src.palette()}
    return render_article(src.article(article_id), src.annotations(article_id),
                          src.entities(article_id), colours)


# -- merging with a file the user may have edited --------------------------------------------
_FM = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[str | None, str]:
    m = _FM.match(text)
    if not m:
        return None, text
    return (m.group(1) or ""), text[m.end():]


def _find_region(body: str, uuid: str) -> tuple[int, int] | None:
    """(start, end) of the last begin-marker line … the first end-marker line after it."""
    begin_pre, _ = _markers(uuid)
    begin_key = begin_pre.split(" · ")[0]
    end_line = _markers(uuid)[1]
    lines = body.split("\n")
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    begin_idx = None
    for i, ln in enumerate(lines):
        s = ln.strip()
        if s.startswith(begin_key) and s.endswith("%%"):
            begin_idx = i
    if begin_idx is None:
        return None
    for j in range(begin_idx + 1, len(lines)):
        if lines[j].strip() == end_line:
            return offsets[begin_idx], offsets[j] + len(lines[j])
    return None


def merge_markdown(existing: str, fresh: str, uuid: str) -> str:
    """`fresh` (a freshly exported file) merged into `existing`: our front-matter keys and the
    managed region replaced, the user's keys and text kept. Without a recognisable region the
    whole existing body is kept and the region appended, so nothing the user wrote is lost."""
    existing = existing.replace("\r\n", "\n")
    if existing == fresh:  # untouched since the last export: nothing to merge
        return fresh
    new_fm_text, new_body = split_front_matter(fresh)
    new_fm = _load_yaml(new_fm_text or "") or {}
    old_fm_text, old_body = split_front_matter(existing)
    kept_raw = ""
    fm = dict(new_fm)
    ours = set(MANAGED_KEYS) | set(new_fm)
    if old_fm_text is not None:
        try:
            old = _load_yaml(old_fm_text)
        except yaml.YAMLError:
            old = None
            kept_raw = old_fm_text
        if isinstance(old, dict):
            for k, v in old.items():
                if k not in ours:
                    fm[k] = v
        elif old is not None and not kept_raw:
            kept_raw = old_fm_text
    region = new_body.strip("\n")
    span = _find_region(old_body, uuid)
    if span is not None:
        body = old_body[:span[0]] + region + old_body[span[1]:]
    else:
        body = old_body.rstrip("\n")
        body = (body + "\n\n" if body.strip() else "") + region + "\n"
    if kept_raw:  # unreadable front matter: keep its text where the user can see it
        body = "```yaml\n" + kept_raw.rstrip("\n") + "\n```\n\n" + body
    if not body.startswith("\n"):
        body = "\n" + body
    return f"---\n{_dump_yaml(fm)}---\n{body}"
