"""The index note of a whole-library Markdown export: every exported article as an Obsidian
`[[wikilink]]`, grouped by month (published, else added; newest first), with counts."""
from __future__ import annotations

from dataclasses import dataclass

from core.export_entities import wikilink
from core.export_markdown import _dump_yaml, _markers, escape_inline

INDEX_NAME = "Commonplace index"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(slots=True)
class IndexRow:
    stem: str          # the article file's name without .md
    title: str
    site: str
    date: str          # published, else added (ISO)
    highlights: int
    notes: int


def counts(n_pass: int, n_notes: int) -> str:
    return f"{n_pass} highlight{'s' * (n_pass != 1)}, {n_notes} note{'s' * (n_notes != 1)}"


def _month(date: str) -> tuple[str, str]:
    """(sort key, heading) for an ISO date; undated articles go last."""
    if len(date) >= 7 and date[:4].isdigit() and date[5:7].isdigit() and 1 <= int(date[5:7]) <= 12:
        return date[:7], f"{_MONTHS[int(date[5:7]) - 1]} {date[:4]}"
    return "", "No date"


def render_index(rows: list[IndexRow]) -> str:
    """The index note (as written to an empty folder)."""
    begin, end = _markers("index")
    n_pass = sum(r.highlights for r in rows)
    n_notes = sum(r.notes for r in rows)
    n = len(rows)
    lines = [begin, "", f"# {INDEX_NAME}", "",
             f"{n} article{'s' * (n != 1)} · {counts(n_pass, n_notes)}", ""]
    groups: dict[tuple[str, str], list[IndexRow]] = {}
    for r in rows:
        groups.setdefault(_month(r.date), []).append(r)
    order = sorted((k for k in groups if k[0]), reverse=True) + [k for k in groups if not k[0]]
    for key in order:
        items = sorted(groups[key], key=lambda r: (r.title.casefold(), r.stem))
        k = len(items)
        lines += [f"## {key[1]} · {k} article{'s' * (k != 1)}", ""]
        for r in items:
            bits = [escape_inline(r.site)] if r.site else []
            lines.append(f"- {wikilink(r.stem, r.title or r.stem)} — "
                         + " · ".join([*bits, counts(r.highlights, r.notes)]))
        lines.append("")
    if not rows:
        lines += ["_No articles with highlights or notes yet._", ""]
    lines.append(end)
    fm = {"title": INDEX_NAME, "articles": n, "highlights": n_pass, "notes": n_notes}
    return f"---\n{_dump_yaml(fm)}---\n\n" + "\n".join(lines) + "\n"
