"""Lists the extractor flattened: a list item it kept as a bare paragraph goes back into a
list (numbered when the page's list was an <ol>), so "1." and "2." are not lost."""
from __future__ import annotations

from lxml import etree

from core.text import clean_inline

MAX_ITEMS = 2000


def _key(el: etree._Element) -> str:
    return clean_inline(" ".join(el.itertext()))[:120].casefold()


def list_items(tree: etree._Element) -> dict[str, tuple[int, str]]:
    """Text key of each <li> → (id of its list, "ol" or "ul"), from the page as published."""
    out: dict[str, tuple[int, str]] = {}
    for n, lst in enumerate(tree.iter("ol", "ul")):
        for li in lst:
            if getattr(li, "tag", "") == "li":
                key = _key(li)
                if key and len(out) < MAX_ITEMS:
                    out.setdefault(key, (n, lst.tag))
    return out


def restore_lists(body: etree._Element, items: dict[str, tuple[int, str]]) -> None:
    """Wrap runs of top-level paragraphs that were items of one source list into a list."""
    if not items:
        return
    children = list(body)
    i = 0
    while i < len(children):
        el = children[i]
        src = items.get(_key(el)) if el.tag == "p" and not (el.tail or "").strip() else None
        if src is None:
            i += 1
            continue
        run = [el]
        j = i + 1
        while (j < len(children) and children[j].tag == "p"
               and items.get(_key(children[j])) == src and not (children[j].tail or "").strip()):
            run.append(children[j])
            j += 1
        lst = etree.Element("list", rend=src[1])
        el.addprevious(lst)
        for p in run:
            item = etree.SubElement(lst, "item")
            item.text = p.text
            for child in list(p):
                item.append(child)  # the paragraph's content, unwrapped
            body.remove(p)
        i = j


def unwrap_paragraphs(item: etree._Element) -> None:
    """<item><p>text</p></item> → <item>text</item>: a numbered item is one block."""
    for p in [c for c in item if c.tag == "p"]:
        prev = p.getprevious()
        lead = (" " if prev is not None or (item.text or "").strip() else "") + (p.text or "")
        if prev is not None:
            prev.tail = (prev.tail or "") + lead
        else:
            item.text = (item.text or "") + lead
        for child in list(p):
            p.addprevious(child)
        last = p.getprevious()
        tail = " " + (p.tail or "")
        if last is not None and last is not prev:
            last.tail = (last.tail or "") + tail
        elif prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            item.text = (item.text or "") + tail
        item.remove(p)
