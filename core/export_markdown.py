"""The Markdown side of export: escaping, callouts, the managed region for one article, and
merging a fresh region into a file the user may have edited. `core.export` is the front door
(file names, atomic writes, JSON, the whole-library run).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote as urlquote

import yaml

from core import palette

MANAGED_KEYS = ("title", "author", "site", "url", "published", "tags", "entities", "updated",
                "commonplace_id")
ENTITY_GROUPS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
                 "FAC": "place", "NORP": "group", "EVENT": "event", "LAW": "law",
                 "WORK_OF_ART": "work", "PRODUCT": "product"}
GROUP_ORDER = ("person", "org", "place", "group", "event", "law", "work", "product")

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
    head = f"> [!{kind}]" + (f" {title}" if title else "")
    body = [("> " + ln) if ln.strip() else ">" for ln in lines]
    return "\n".join([head, *body])


def _note_lines(note: str) -> list[str]:
    """A note verbatim (it is the user's Markdown), line endings normalised. Inside a callout, a
    container, an unclosed fence or raw HTML cannot run past the callout's end."""
    return note.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")


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
def _entities_by_group(spans) -> dict[str, list[str]]:
    groups: dict[str, dict[str, list]] = {}
    for e in spans:  # reading order
        g = ENTITY_GROUPS.get(e.label.upper())
        name = " ".join(e.text.split())
        if not g or not name:
            continue
        forms = groups.setdefault(g, {}).setdefault(name.casefold(), [0, {}, len(groups[g])])
        forms[0] += 1
        forms[1][name] = forms[1].get(name, 0) + 1
    out = {}
    for g in GROUP_ORDER:
        if g in groups:
            items = sorted(groups[g].values(), key=lambda v: v[2])
            # the most frequent spelling of each entity (first seen on a tie)
            out[g] = [max(v[1].items(), key=lambda kv: kv[1])[0] for v in items]
    return out


def _front_matter(art, ents: dict, updated: str) -> dict:
    fm = {"title": art.title, "author": art.author, "site": art.site, "url": art.url,
          "published": art.published, "tags": list(art.tags)}
    if ents:
        fm["entities"] = ents
    fm["updated"] = updated
    fm["commonplace_id"] = art.uuid
    return {k: v for k, v in fm.items() if v not in ("", None) or k in ("title", "tags")}


def _markers(uuid: str) -> tuple[str, str]:
    begin = (f"%% commonplace:begin {uuid} · managed by Commonplace: this part is rewritten on "
             f"export; write your own text above or below it %%")
    return begin, f"%% commonplace:end {uuid} %%"


def _colour_label(name: str, colours: Sequence[palette.Colour]) -> str:
    if not name:
        return ""
    c = next((c for c in colours if c.name == name), None)
    return f"{name} · {c.meaning}" if c else name


def _tag_line(tags: Sequence[str]) -> str:
    tags = [re.sub(r"[^\w/-]+", "-", t).strip("-") for t in tags]
    return " ".join("#" + t for t in tags if t)


def _annotation_md(r, art, colours, orphan: bool = False, long_id: bool = False) -> str:
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


def _managed_region(lib, art, resolved) -> str:
    colours = lib.palette()
    begin, end = _markers(art.uuid)
    out = [begin, "", f"# {escape_inline(art.title) or 'Untitled'}", ""]
    meta = [escape_inline(x) for x in (art.author, art.site, art.published) if x]
    if art.url:
        meta.append(f"[Source]({_md_link_dest(art.url)})")
    if meta:
        out += [" · ".join(meta), ""]
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


def _dump_yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=100000)


def _article_parts(lib, article_id: int):
    art = lib.article(article_id)
    resolved = lib.annotations(article_id)
    # reading order: passages by position (orphans and article notes are listed separately)
    ents = _entities_by_group(lib.entities(article_id))
    updated = max((r.annotation.updated for r in resolved), default=art.updated)
    return art, _front_matter(art, ents, updated), _managed_region(lib, art, resolved)


def export_article_markdown(lib, article_id: int) -> str:
    """The Markdown file for one article, as written to an empty folder."""
    _, fm, region = _article_parts(lib, article_id)
    return f"---\n{_dump_yaml(fm)}---\n\n{region}\n"


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
    new_fm_text, new_body = split_front_matter(fresh)
    new_fm = yaml.safe_load(new_fm_text or "") or {}
    old_fm_text, old_body = split_front_matter(existing)
    kept_raw = ""
    fm = dict(new_fm)
    ours = set(MANAGED_KEYS) | set(new_fm)
    if old_fm_text is not None:
        try:
            old = yaml.safe_load(old_fm_text)
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
