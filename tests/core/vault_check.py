"""Read an exported folder the way Obsidian would and list what it would trip on: front matter
that is not YAML or has non-list tags, invalid tags, [[wikilinks]] to notes that do not exist,
callout titles not followed by a bare `>` line, duplicate block ids in a file, file names with
undecoded HTML entities. Used by the tests and, on the bench library, by hand."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from core.export_markdown import split_front_matter

_TAG = re.compile(r"[\w/-]*[^\W\d][\w/-]*")
_LINK = re.compile(r"\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|[^\]]*)?\]\]")
_MD = MarkdownIt("commonmark")


def block_ids(md: str) -> list[str]:
    """Block ids as Obsidian reads them: ` ^id` ending a line outside code; `\\^` is text."""
    code: set[int] = set()
    for tok in _MD.parse(md):
        if tok.map and tok.type in ("fence", "code_block"):
            code.update(range(*tok.map))
    ids = []
    for i, line in enumerate(md.split("\n")):
        bare = re.sub(r"^(>\s?)*", "", line)
        t = re.search(r"(?:^|\s)(?<!\\)\^([A-Za-z0-9-]+)\s*$", bare)
        if t and i not in code:
            ids.append(t.group(1))
    return ids


def problems(folder: Path) -> list[str]:
    notes = {p.relative_to(folder).with_suffix("").as_posix(): p for p in folder.rglob("*.md")}
    stems = {Path(k).name for k in notes}
    out = []
    for key, path in sorted(notes.items()):
        text = path.read_text(encoding="utf-8")
        if re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", path.name, re.I):
            out.append(f"{key}: HTML entity in the file name")
        fm_text, body = split_front_matter(text)
        try:
            fm = yaml.safe_load(fm_text or "") or {}
        except yaml.YAMLError as e:
            out.append(f"{key}: front matter is not YAML ({e})")
            fm = {}
        tags = fm.get("tags", [])
        if not isinstance(tags, list):
            out.append(f"{key}: tags is not a list")
            tags = []
        out += [f"{key}: invalid tag {t!r}" for t in tags
                if not (isinstance(t, str) and _TAG.fullmatch(t))]
        for value in fm.values():
            for v in value if isinstance(value, list) else [value]:
                for target in _LINK.findall(v) if isinstance(v, str) else []:
                    if target not in notes and target not in stems:
                        out.append(f"{key}: front-matter link to missing note {target!r}")
        # links the export makes (a user's own links inside a callout may point anywhere)
        ours = "\n".join(ln for ln in body.split("\n") if not ln.startswith(">"))
        for target in _LINK.findall(ours):
            if target not in notes and target not in stems:
                out.append(f"{key}: link to missing note {target!r}")
        lines = body.split("\n")
        for i, line in enumerate(lines):
            m = re.match(r"^((?:> )*)> \[!\w+\]", line)
            if m and i + 1 < len(lines) and lines[i + 1].strip() and \
                    lines[i + 1] != " ".join([">"] * (len(m.group(1)) // 2 + 1)):
                out.append(f"{key}: callout title on line {i + 1} runs into its body")
        ids = block_ids(text)
        dup = sorted({b for b in ids if ids.count(b) > 1})
        if dup:
            out.append(f"{key}: duplicate block ids {dup}")
    return out


if __name__ == "__main__":
    import sys
    found = problems(Path(sys.argv[1]))
    print("\n".join(found) or "no problems")
    print(f"{len(list(Path(sys.argv[1]).rglob('*.md')))} notes checked")
