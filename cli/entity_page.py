"""Terminal rendering of an entity page (the CLI's `entity` command)."""
from __future__ import annotations

from core.ner.names import display_name


def entity_text(page: dict) -> str:
    """A readable summary of `Library.entity_page` output."""
    lines = [f"{page['name']} ({display_name(page['label']) if page['label'] else 'entity'}): "
             f"{page['total_mentions']} mentions in {len(page['articles'])} articles"]
    if not page["articles"]:
        return lines[0] + "\n(no article mentions it)"
    lines.append("\nArticles:")
    for a in page["articles"]:
        date = (a["published"] or a["added"] or "")[:10]
        lines.append(f"  #{a['id']:<5} {date:<10} {a['title']}  ({a['mentions']}×)")
        lines.append(f"         {a['snippet']}")
    if page["annotations"]:
        lines.append("\nYour notes and highlights:")
        for n in page["annotations"]:
            body = n["note"] or n["exact"]
            lines.append(f"  [{n['id']}] #{n['article_id']} {body[:100]}")
    lines.append("\nMentions by month:")
    peak = max(page["mentions_by_month"].values())
    for month, count in page["mentions_by_month"].items():
        bar = "█" * max(1, round(20 * count / peak))
        lines.append(f"  {month or 'undated':<8} {bar} {count}")
    if page["co_occurring"]:
        lines.append("\nAppears most with:")
        lines.extend(f"  {c['name']} ({display_name(c['label'])}): {c['articles']} articles"
                     for c in page["co_occurring"])
    return "\n".join(lines)
