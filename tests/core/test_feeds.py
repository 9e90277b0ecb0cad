"""Feeds against a 127.0.0.1 server: RSS/Atom parsing, discovery, conditional refresh, no
duplicates, per-feed errors, hostile XML, OPML through `import`, and the CLI."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cli import run
from core import feeds
from core.errors import ImportFailed
from core.library import Library

LONG = " ".join(["The river rose through the night and the town watched it climb."] * 12)
RSS = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>River News</title><link>http://x/</link>
<item><title>Flood warning</title><link>{{base}}/flood</link><guid>flood-1</guid>
<pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>{LONG}</p><script>alert(1)</script>]]></content:encoded></item>
<item><title>Bridge reopens</title><link>{{base}}/bridge</link><guid>bridge-1</guid>
<description>Short summary only.</description></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Town</title><id>urn:x</id>
<entry><title>Atom entry</title><id>urn:e1</id><link href="{{base}}/atom-e1"/>
<updated>2026-11-30T00:00:00Z</updated><author><name>Ann</name></author>
<content type="html">&lt;p&gt;{LONG} Atom.&lt;/p&gt;</content></entry></feed>"""
BRIDGE = """<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens</h1>
<p>The old bridge over the river reopened this morning after two years of repairs, and the
first people across were schoolchildren on their way to class.</p>
<p>Engineers said the new deck would carry twice the load of the old one, and that the
footpaths had been widened on both sides.</p></article></body></html>"""
BOMB = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><title>&lol2;</title></channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    log: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"
        Handler.log.append((self.path, self.headers.get("If-None-Match", "")))
        pages = {"/rss.xml": ("application/rss+xml", RSS.format(base=base)),
                 "/atom.xml": ("application/atom+xml", ATOM.format(base=base)),
                 "/bridge": ("text/html", BRIDGE), "/bomb.xml": ("application/xml", BOMB),
                 "/home": ("text/html", '<html><head><link rel="alternate" '
                           'type="application/rss+xml" href="/rss.xml"></head><body>hi</body></html>'),
                 "/plain": ("text/html", "<html><body><p>no feed here</p></body></html>")}
        if self.path not in pages:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/rss.xml" and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        ctype, body = pages[self.path]
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if self.path == "/rss.xml":
            self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


@pytest.fixture
def base():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Handler.log = []
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def lib(tmp_path):
    with Library(tmp_path / "lib", seed=False) as lib:
        yield lib


def test_subscribe_by_page_refresh_conditional_no_duplicates(lib, base):
    fid, created, url = feeds.subscribe(lib, f"{base}/home")  # discovered from the page
    assert created and url == f"{base}/rss.xml"
    res = feeds.refresh(lib)
    assert res == {fid: (2, "")}
    arts = {a.title: lib.article(a.id) for a in lib.articles()}
    assert set(arts) == {"Flood warning", "Bridge reopens"}
    flood = arts["Flood warning"]
    assert flood.tags == ["River News"] and flood.published == "2026-12-01"
    assert "alert" not in flood.text and flood.text.startswith("The river rose")
    assert "first people across were schoolchildren" in arts["Bridge reopens"].text  # fetched
    assert ("/bridge", "") in Handler.log
    Handler.log.clear()
    assert feeds.refresh(lib) == {fid: (0, "")}
    assert Handler.log == [("/rss.xml", '"v1"')]  # a conditional request, answered 304
    with lib._store.write() as con:  # even without validators, nothing is added twice
        con.execute("UPDATE feeds SET etag='', last_modified=''")
    assert feeds.refresh(lib) == {fid: (0, "")}
    assert len(lib.articles()) == 2
    assert feeds.subscribe(lib, f"{base}/rss.xml")[1] is False


def test_atom_and_per_feed_errors(lib, base):
    a, _ = feeds.add(lib, f"{base}/atom.xml")
    bad, _ = feeds.add(lib, f"{base}/plain")
    bomb, _ = feeds.add(lib, f"{base}/bomb.xml")
    gone, _ = feeds.add(lib, f"{base}/missing.xml")
    res = feeds.refresh(lib)
    assert res[a] == (1, "")
    assert "web page" in res[bad][1] and "entities" in res[bomb][1] and "404" in res[gone][1]
    art = lib.article(lib.articles()[0].id)
    assert art.title == "Atom entry" and art.author == "Ann" and art.tags == ["Atom Town"]
    errors = {f.id: f.last_error for f in feeds.feeds(lib)}
    assert errors[a] == "" and "404" in errors[gone]


def test_external_entity_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><title>&x;</title></channel></rss>'
    with pytest.raises(ImportFailed, match="entities"):
        feeds.parse_feed(xxe)


def test_opml_import_and_cli(tmp_path, base, capsys):
    opml = tmp_path / "subs.opml"
    opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head>
<body><outline text="News"><outline text="River" type="rss" xmlUrl="{base}/rss.xml"/>
<outline text="Atom" xmlUrl="{base}/atom.xml"/><outline text="bad" xmlUrl="ftp://x/y"/></outline>
</body></opml>""")
    lib_dir = str(tmp_path / "cli-lib")
    assert run(["--library", lib_dir, "import", str(opml), "--no-entities"]) == 0
    out = capsys.readouterr().out
    assert "OPML feed list: 2 feeds subscribed" in out
    assert run(["--library", lib_dir, "--json", "feeds", "list"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [f["title"] for f in listed] == ["River", "Atom"]
    assert run(["--library", lib_dir, "feeds", "refresh"]) == 0
    assert "2 new" in capsys.readouterr().out
    assert run(["--library", lib_dir, "feeds", "refresh"]) == 0
    assert "feed #1: 0 new" in capsys.readouterr().out
    assert run(["--library", lib_dir, "feeds", "remove", "1"]) == 0
    capsys.readouterr()
    assert run(["--library", lib_dir, "--json", "feeds", "list"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
