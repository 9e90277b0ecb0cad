"""Other apps' export files, written by the tests in each app's documented layout."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

ARTICLE_HTML = """<html><body><h1>Tidal power</h1>
<p>The estuary has one of the largest tidal ranges in the world, and engineers have long
wanted to harness it.</p>
<p>Critics say a barrage would drown the mudflats that feed “thousands of wading birds”
every winter.</p>
<p>A lagoon, by contrast, leaves most of the estuary open.</p></body></html>"""


def pocket_csv(path: Path, rows: int = 3) -> Path:
    lines = ["title,url,time_added,tags,status"]
    for i in range(rows):
        lines.append(f'"Story {i}, part one",https://news.example.org/story/{i},'
                     f"{1700000000 + i},reading|later,{'archive' if i % 2 else 'unread'}")
    lines.append('"Story 0, part one",https://news.example.org/story/0,1700000000,reading,unread')
    lines.append("Bad link,javascript:alert(1),1700000000,,unread")
    lines.append('Broken,"https://x.example.org/a,1700000000')  # unterminated quote: last row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pocket_html(path: Path) -> Path:
    path.write_text("""<!DOCTYPE html><html><head><title>Pocket Export</title></head><body>
<h1>Unread</h1><ul>
<li><a href="https://a.example.com/one" time_added="1600000000" tags="x,y">One &amp; only</a></li>
</ul><h1>Read Archive</h1><ul>
<li><a href="https://a.example.com/two" time_added="1600000100" tags="">Two</a></li>
</ul></body></html>""", encoding="utf-8")
    return path


def instapaper_csv(path: Path) -> Path:
    path.write_text("URL,Title,Selection,Folder,Timestamp\n"
                    "https://i.example.net/a,Alpha,A selected sentence from the page,Unread,1650000000\n"
                    "https://i.example.net/b,Beta,,Archive,1650000100\n"
                    "https://i.example.net/c,Gamma,,Essays,1650000200\n", encoding="utf-8")
    return path


def bookmarks(path: Path) -> Path:
    path.write_text("""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1>
<DL><p>
  <DT><H3 ADD_DATE="1">Reading</H3>
  <DL><p>
    <DT><A HREF="https://b.example.org/deep" ADD_DATE="1500000000" TAGS="long,essay">Deep read</A>
    <DT><H3>Science</H3>
    <DL><p><DT><A HREF="https://b.example.org/sci" ADD_DATE="1500000100">Science piece</A></DL><p>
  </DL><p>
  <DT><A HREF="https://b.example.org/top" ADD_DATE="1500000200">Top level</A>
</DL><p>""", encoding="utf-8")
    return path


def omnivore_zip(path: Path, articles: int = 1, extra_highlights: bool = True) -> Path:
    meta = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(articles):
            slug = f"tidal-power-{i}"
            meta.append({"id": f"id-{i}", "slug": slug, "title": f"Tidal power {i}",
                         "author": "R. Severn", "url": f"https://omni.example.com/{slug}",
                         "state": "Archived" if i == 0 else "Succeeded",
                         "labels": [{"name": "energy"}], "savedAt": "2023-05-01T10:00:00.000Z"})
            zf.writestr(f"content/{slug}.html", ARTICLE_HTML.replace("Tidal", f"Tidal {i}"))
            md = ["> one of the largest tidal ranges in the world [⤴️](https://omnivore.app/me/x)",
                  "", "Worth checking the numbers.", "",
                  "> mudflats that feed \"thousands of wading birds\" [⤴️](https://omnivore.app/x)"]
            if extra_highlights:
                md += ["", "> This sentence was edited away before the export [⤴️](https://o/x)"]
            zf.writestr(f"highlights/{slug}.md", "\n".join(md) + "\n")
        zf.writestr(f"metadata_0_to_{articles}.json", json.dumps(meta))
    return path


def wallabag_json(path: Path) -> Path:
    data = [{"id": 1, "title": "Tidal power", "url": "https://w.example.org/tidal",
             "is_archived": 1, "is_starred": 0, "content": ARTICLE_HTML,
             "created_at": "2022-03-04T05:06:07+01:00", "tags": [{"label": "energy"}],
             "published_by": ["R. Severn"],
             "annotations": [{"text": "key claim", "quote": "A lagoon, by contrast",
                              "ranges": [], "created_at": "2022-03-05T00:00:00+00:00"}]},
            {"id": 2, "title": "Bare", "url": "https://w.example.org/bare", "is_archived": 0,
             "content": "", "tags": []}]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def readwise_csv(path: Path) -> Path:
    path.write_text(
        "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,"
        "Highlighted at,Document tags\n"
        '"engineers have long wanted to harness it",Tidal power,R. Severn,,why?,blue,,,1,'
        "2024-01-01 10:00:00+00:00,energy\n"
        '"Something only in the book",Another Book,A. Writer,,,pink,,,2,2024-01-02 10:00:00,\n'
        '"A second passage of the book",Another Book,A. Writer,,,orange,,,3,2024-01-03 10:00:00,\n',
        encoding="utf-8")
    return path
