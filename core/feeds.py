"""Feed subscriptions: RSS 2.0 / RSS 1.0 / Atom, OPML lists, conditional refreshes.

A refresh asks with If-None-Match / If-Modified-Since (a 304 costs nothing), parses the feed
with a locked-down XML parser (no DTD, no entities, no network: billion laughs and external
entities cannot expand), and adds each item not seen before: its full content when the feed
carries it, else the fetched page, else its summary. Items are remembered by (feed, guid) and
articles are de-duplicated by URL and text, so a refresh never makes a duplicate. Errors are
kept per feed (`feeds list` shows them); one failing feed never stops the others. New items
are tagged with the feed's title.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid as uuidlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

from lxml import etree

from core.db import now_iso
from core.errors import CommonplaceError, ImportFailed
from core.importers.url import USER_AGENT, _check_scheme, _inflate, canonical_url
from core.models import Document, ImportResult
from core.text import TextBuilder, clean_inline, content_hash

MAX_FEED_BYTES = 10_000_000
MAX_ITEMS = 500  # per refresh of one feed
FULL_CONTENT_CHARS = 600  # item content at least this long (as text) is the article itself
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass(slots=True)
class Feed:
    id: int
    url: str
    title: str
    last_checked: str
    last_error: str
    items: int
    unread: int = 0  # its articles in the Inbox, not yet read, not in the trash


@dataclass(slots=True)
class Item:
    guid: str
    link: str
    title: str
    html: str  # content or summary (HTML)
    full: bool  # html is the whole article
    published: str
    author: str


# -- fetching and parsing -------------------------------------------------------------------
def _xml(data: bytes) -> etree._Element:
    if re.search(rb"<!ENTITY", data[:20000], re.I):
        raise ImportFailed("refused: the feed declares XML entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        if re.search(rb"<html[\s>]", data[:4000], re.I):
            raise ImportFailed("not a feed: the address gives a web page") from None
        raise ImportFailed(f"not a valid feed: {str(e).splitlines()[0]}") from None
    if root is None:
        raise ImportFailed("not a valid feed: empty document")
    return root


def get(url: str, etag: str = "", modified: str = "", *, timeout: float = 15
        ) -> tuple[bytes, str, str] | None:
    """GET with conditional headers: (body, etag, last-modified), or None for 304."""
    _check_scheme(url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
               "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                         "text/xml;q=0.9, */*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    req = urllib.request.Request(url, headers=headers)
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 - scheme checked
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return None
        raise ImportFailed(f"HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ImportFailed(f"could not reach {url[:80]}: {reason}") from None
    with resp:
        gz = (resp.headers.get("Content-Encoding") or "").lower() in ("gzip", "x-gzip")
        out = bytearray()
        decomp = zlib.decompressobj(zlib.MAX_WBITS | 32) if gz else None
        total = 0
        try:
            while chunk := resp.read(65536):
                total += len(chunk)
                if total > MAX_FEED_BYTES:
                    raise ImportFailed("feed too large")
                if decomp:
                    _inflate(decomp, chunk, out, MAX_FEED_BYTES)
                else:
                    out += chunk
        except (OSError, zlib.error) as e:
            raise ImportFailed(f"reading the feed failed: {e}") from None
        return (bytes(out), resp.headers.get("ETag") or "",
                resp.headers.get("Last-Modified") or "")


def _text(el) -> str:
    return clean_inline("".join(el.itertext())) if el is not None else ""


def _date(s: str) -> str:
    s = (s or "").strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", s):
        return s[:10]
    try:
        return parsedate_to_datetime(s).strftime("%Y-%m-%d")
    except (TypeError, ValueError, IndexError):
        return ""


def parse_feed(data: bytes) -> tuple[str, list[Item]]:
    """(feed title, items) from RSS 2.0, RSS 1.0 (RDF) or Atom bytes."""
    root = _xml(data)
    tag = etree.QName(root).localname.lower()
    items: list[Item] = []
    if tag == "feed":
        title = _text(root.find(f"{_ATOM}title"))
        for e in root.iter(f"{_ATOM}entry"):
            link = ""
            for ln in e.findall(f"{_ATOM}link"):
                if ln.get("rel", "alternate") == "alternate" and ln.get("href"):
                    link = ln.get("href")
                    break
            content = e.find(f"{_ATOM}content")
            summary = e.find(f"{_ATOM}summary")
            html = _inner(content) if content is not None else _inner(summary)
            items.append(_item(_text(e.find(f"{_ATOM}id")) or link, link,
                               _text(e.find(f"{_ATOM}title")), html, content is not None,
                               _text(e.find(f"{_ATOM}published"))
                               or _text(e.find(f"{_ATOM}updated")),
                               _text(e.find(f"{_ATOM}author/{_ATOM}name"))))
    elif tag in ("rss", "rdf"):
        channel = root.find("channel")
        if channel is None:
            channel = root.find("{http://purl.org/rss/1.0/}channel")
        title = _text(channel.find("title")) if channel is not None else ""
        if not title and channel is not None:
            title = _text(channel.find("{http://purl.org/rss/1.0/}title"))
        for e in root.iter("item", "{http://purl.org/rss/1.0/}item"):
            def f(name: str, e=e):
                return e.find(name) if e.find(name) is not None else \
                    e.find("{http://purl.org/rss/1.0/}" + name)
            link = _text(f("link"))
            content = e.find(_CONTENT)
            desc = f("description")
            html = (content.text or "") if content is not None else \
                (desc.text or "") if desc is not None else ""
            items.append(_item(_text(f("guid")) or link, link, _text(f("title")), html,
                               content is not None, _text(f("pubDate"))
                               or _text(e.find(f"{_DC}date")),
                               _text(e.find(f"{_DC}creator")) or _text(f("author"))))
    elif tag == "html":
        raise ImportFailed("not a feed: the address gives a web page")
    else:
        raise ImportFailed(f"not a feed (the document is <{tag}>)")
    return title, items[:MAX_ITEMS]


def _inner(el) -> str:
    if el is None:
        return ""
    if len(el):  # xhtml content: serialise the children
        return "".join(etree.tostring(c, encoding="unicode") for c in el)
    return el.text or ""


def _item(guid, link, title, html, has_content, date, author) -> Item:
    from core.importers.epub import html_blocks
    full = False
    if has_content and html.strip():
        try:
            full = len(html_blocks(html).text) >= FULL_CONTENT_CHARS
        except ImportFailed:
            full = False
    return Item(guid[:500], link.strip(), title, html, full, _date(date), author)


def parse_opml(data: bytes) -> list[tuple[str, str]]:
    """(feed URL, title) for every outline with an xmlUrl."""
    root = _xml(data)
    out = []
    for o in root.iter("outline"):
        url = (o.get("xmlUrl") or o.get("xmlurl") or "").strip()
        if url.lower().startswith(("http://", "https://")):
            out.append((url, clean_inline(o.get("title") or o.get("text") or "")))
    return out


# -- subscriptions -------------------------------------------------------------------------
def add(lib, url: str, title: str = "") -> tuple[int, bool]:
    """Subscribe (no fetch yet); (feed id, created). The URL must be http(s)."""
    _check_scheme(url)
    url = canonical_url(url)
    with lib._store.write() as con:
        row = con.execute("SELECT id FROM feeds WHERE url=?", (url,)).fetchone()
        if row:
            return row[0], False
        cur = con.execute("INSERT INTO feeds (url, title, added) VALUES (?,?,?)",
                          (url, title, now_iso()))
        return cur.lastrowid, True


_ALT = re.compile(rb"<link\b[^>]*>", re.I)


def subscribe(lib, url: str, *, timeout: float = 15) -> tuple[int, bool, str]:
    """Check the address once and subscribe: a feed is taken as is; a web page is searched for
    its advertised feed (<link rel="alternate" type="application/rss+xml">). Returns
    (feed id, created, feed URL). ImportFailed if no feed is found there."""
    got = get(url, timeout=timeout)
    body = got[0] if got else b""
    try:
        title, _ = parse_feed(body)
        return (*add(lib, url, title), url)
    except ImportFailed as first:
        for tag in _ALT.findall(body[:500_000]):
            t = tag.decode("utf-8", "replace")
            if re.search(r"rel=[\"']?alternate", t, re.I) and re.search(
                    r"type=[\"']?application/(rss|atom)\+xml", t, re.I):
                m = re.search(r"href=[\"']([^\"']+)", t, re.I)
                if m:
                    feed_url = urljoin(url, m.group(1))
                    data = get(feed_url, timeout=timeout)
                    title, _ = parse_feed(data[0] if data else b"")
                    return (*add(lib, feed_url, title), feed_url)
        raise first


def add_opml(lib, path: str | Path) -> list[ImportResult]:
    data = Path(path).read_bytes()[:MAX_FEED_BYTES + 1]
    if len(data) > MAX_FEED_BYTES:
        raise ImportFailed("OPML file too large")
    out = []
    for url, title in parse_opml(data):
        try:
            fid, created = add(lib, url, title)
            out.append(ImportResult(url, "imported" if created else "duplicate", None,
                                    title, f"feed #{fid}" + ("" if created else
                                                             " already subscribed")))
        except CommonplaceError as e:
            out.append(ImportResult(url, "failed", error=str(e)))
    return out


def remove(lib, key: str) -> int:
    """Unsubscribe by id or URL; the articles it brought stay. Returns the feed id."""
    con = lib._store.con
    row = con.execute("SELECT id FROM feeds WHERE id=? OR url=? OR url=?",
                      (int(key) if key.isdigit() else -1, key, canonical_url(key))).fetchone()
    if row is None:
        from core.errors import NotFound
        raise NotFound(f"no feed {key}")
    with lib._store.write() as c:
        c.execute("DELETE FROM feeds WHERE id=?", (row[0],))
    return row[0]


def feeds(lib) -> list[Feed]:
    """Subscriptions with their item and unread counts (two index lookups per feed)."""
    return [Feed(*r) for r in lib._store.con.execute(
        "SELECT f.id, f.url, f.title, f.last_checked, f.last_error,"
        " (SELECT count(*) FROM feed_items i WHERE i.feed_id=f.id),"
        " (SELECT count(DISTINCT a.id) FROM feed_items i JOIN articles a ON a.id = i.article_id"
        "  WHERE i.feed_id=f.id AND a.state = 'inbox' AND a.read_at IS NULL"
        "  AND a.trashed_at IS NULL)"
        " FROM feeds f ORDER BY f.id")]


def refresh(lib, feed_ids: list[int] | None = None, *, timeout: float = 15,
            fetch_pages: bool = True, cancel: Callable | None = None,
            progress: Callable | None = None) -> dict[int, tuple[int, str]]:
    """Refresh feeds; {feed id: (new articles, error or "")}."""
    rows = [f for f in feeds(lib) if feed_ids is None or f.id in feed_ids]
    out: dict[int, tuple[int, str]] = {}
    new_ids: list[int] = []
    for n, f in enumerate(rows):
        if cancel and cancel():
            break
        if progress:
            progress(n, len(rows), f.url)
        etag, modified = lib._store.con.execute(
            "SELECT etag, last_modified FROM feeds WHERE id=?", (f.id,)).fetchone()
        try:
            got = get(f.url, etag, modified, timeout=timeout)
            added = 0
            if got is not None:
                body, etag2, modified2 = got
                title, items = parse_feed(body)
                title = f.title or title
                for it in items:
                    aid = _add_item(lib, f.id, title, it, fetch_pages, timeout)
                    if aid:
                        added += 1
                        new_ids.append(aid)
                with lib._store.write() as con:
                    con.execute("UPDATE feeds SET title=?, etag=?, last_modified=? WHERE id=?",
                                (title, etag2, modified2, f.id))
            _checked(lib, f.id, "")
            out[f.id] = (added, "")
        except CommonplaceError as e:
            _checked(lib, f.id, str(e))
            out[f.id] = (0, str(e))
    if new_ids:
        lib.recognise_entities(new_ids, cancel=cancel)
        lib.sync_index(wait=False)
    return out


def _checked(lib, fid: int, error: str) -> None:
    with lib._store.write() as con:
        con.execute("UPDATE feeds SET last_checked=?, last_error=? WHERE id=?",
                    (now_iso(), error[:300], fid))


def _add_item(lib, fid: int, feed_title: str, it: Item, fetch_pages: bool,
              timeout: float) -> int | None:
    """Store one item unless seen; returns the new article id (None if seen or a duplicate)."""
    store = lib._store
    guid = it.guid or it.link or it.title
    if not guid or store.con.execute("SELECT 1 FROM feed_items WHERE feed_id=? AND guid=?",
                                     (fid, guid)).fetchone():
        return None
    doc = None
    url = canonical_url(it.link) if it.link.lower().startswith(("http://", "https://")) else ""
    images = lib.store_images  # pictures as for any import, unless the reader turned them off
    if it.full:
        doc = _doc_from_html(it.html, url if images else "")
    elif fetch_pages and url:
        from core.importers import load_source
        try:
            doc = load_source(url, timeout=timeout, images=images)
        except ImportFailed:
            doc = None
    if doc is None:
        doc = _doc_from_html(it.html, url if images else "") if it.html.strip() else None
    if doc is None:
        b = TextBuilder()
        b.add_block("paragraph", it.title or url)
        doc = Document(text=b.text, blocks=b.blocks, links=b.links)
    doc.title = it.title or doc.title or url or "Untitled"
    doc.url = url or doc.url
    doc.author = doc.author or it.author
    doc.published = doc.published or it.published
    doc.tags = list(dict.fromkeys([*doc.tags, feed_title] if feed_title else doc.tags))
    h = content_hash(doc.text)
    with store.write() as con:
        dup = store.find_duplicate(h, doc.url)
        aid = None
        if dup is None:
            aid = store.insert_article(con, doc, h, str(uuidlib.uuid4()))
        con.execute("INSERT OR IGNORE INTO feed_items (feed_id, guid, article_id, seen)"
                    " VALUES (?,?,?,?)", (fid, guid, aid or dup, now_iso()))
    return aid


def _doc_from_html(html: str, base: str = "") -> Document | None:
    """An item's own HTML → a Document; with `base` (the item's address) its pictures are
    fetched at refresh time (bounded, as for a URL import; a failure is a note)."""
    from core.importers.content_images import Pictures, used
    from core.importers.epub import html_blocks
    from core.importers.images import ImageCollector
    collector = ImageCollector(base_url=base) if base else None
    pics = Pictures(collector, lambda src: urljoin(base, src)) if collector else None
    try:
        b = html_blocks(html, pictures=pics)
    except ImportFailed:
        return None
    if not b.text.strip():
        return None
    doc = Document(text=b.text, blocks=b.blocks, links=b.links)
    if collector is not None:
        doc.images, doc.notes = used(b, collector), list(collector.notes)
    return doc
