"""fetch / canonical_url / load_source(URL) against a local HTTP server on 127.0.0.1."""
from __future__ import annotations

import functools
import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.errors import ImportFailed
from core.importers import load_source
from core.importers.url import canonical_url, fetch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"
ARTICLE = (FIXTURES / "article.html").read_bytes()


@functools.cache
def bomb() -> bytes:
    return gzip.compress(b"\0" * 30_000_000, compresslevel=9)  # ~30 KB on the wire


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, code, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (timeouts, size caps): that is the point
            pass

    def do_GET(self):
        p = self.path.split("?")[0]
        if p == "/article":
            self._send(200, ARTICLE)
        elif p == "/plain":
            self._send(200, "Kettle prices\n\nThey rose by \xa35.".encode("cp1252"),
                       "text/plain; charset=windows-1252")
        elif p == "/notes.md":
            self._send(200, b"# Notes\n\nSome [link](https://example.org).", "text/markdown")
        elif p.startswith("/hop/"):
            n = int(p.rsplit("/", 1)[1])
            self._send(302, headers=[("Location", f"/hop/{n - 1}" if n else "/article")])
        elif p == "/loop-a":
            self._send(301, headers=[("Location", "/loop-b")])
        elif p == "/loop-b":
            port = self.server.server_port
            self._send(307, headers=[("Location", f"http://127.0.0.1:{port}/loop-a")])
        elif p == "/to-ftp":
            self._send(302, headers=[("Location", "ftp://example.org/file")])
        elif p == "/missing":
            self._send(404, b"<h1>nope</h1>")
        elif p == "/slow":
            time.sleep(2)
            self._send(200, ARTICLE)
        elif p == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>drip</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif p == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(30_000_000))
            self.end_headers()
        elif p == "/huge-stream":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
        elif p == "/image":
            self._send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif p == "/gzip-bomb":
            self._send(200, bomb(), headers=[("Content-Encoding", "gzip")])
        elif p == "/gzip-article":
            self._send(200, gzip.compress(ARTICLE), headers=[("Content-Encoding", "gzip")])
        else:
            self._send(500, b"unexpected")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_article(server):
    r = fetch(server + "/article")
    assert r.content_type == "text/html" and r.charset == "utf-8" and r.body == ARTICLE


def test_redirects_are_followed_and_counted(server):
    assert fetch(server + "/hop/3").final_url == server + "/article"
    with pytest.raises(ImportFailed, match=r"^too many redirects \(over 5\)$"):
        fetch(server + "/hop/9")
    with pytest.raises(ImportFailed, match="^redirect loop"):
        fetch(server + "/loop-a")
    with pytest.raises(ImportFailed, match="unsupported URL scheme ftp"):
        fetch(server + "/to-ftp")


def test_http_error_status(server):
    with pytest.raises(ImportFailed, match=r"^HTTP 404 Not Found$"):
        fetch(server + "/missing")


def test_slow_server_times_out(server):
    start = time.monotonic()
    with pytest.raises(ImportFailed, match="timed out"):
        fetch(server + "/slow", timeout=0.5)
    assert time.monotonic() - start < 1.9


def test_total_read_deadline(server):
    """Each chunk arrives within the socket timeout, but the whole body takes too long."""
    start = time.monotonic()
    with pytest.raises(ImportFailed, match="timed out reading 127.0.0.1"):
        fetch(server + "/drip", timeout=0.5)
    assert time.monotonic() - start < 2


def test_size_caps(server):
    with pytest.raises(ImportFailed, match=r"^too large \(over 1 MB\)$"):
        fetch(server + "/huge-declared", max_bytes=1_000_000)
    with pytest.raises(ImportFailed, match=r"^too large \(over 1 MB\)$"):
        fetch(server + "/huge-stream", max_bytes=1_000_000)


def test_gzip_bomb_is_capped_and_gzip_is_decoded(server):
    with pytest.raises(ImportFailed, match="too large"):
        fetch(server + "/gzip-bomb", max_bytes=1_000_000)
    assert fetch(server + "/gzip-article").body == ARTICLE


def test_wrong_content_type(server):
    with pytest.raises(ImportFailed, match=r"^not an article: content type image/png$"):
        fetch(server + "/image")


def test_unreachable_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(ImportFailed, match=r"^could not reach 127.0.0.1: connection refused$"):
        fetch(f"http://127.0.0.1:{port}/x", timeout=2)


def test_name_not_resolved(monkeypatch):
    def no_dns(*_a, **_k):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(ImportFailed, match=r"^could not reach example.invalid: name not resolved$"):
        fetch("https://example.invalid/article")


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "javascript:x",
                                 "http://", "not a url"])
def test_only_http_urls(url):
    with pytest.raises(ImportFailed):
        fetch(url)


def test_load_source_url_html(server):
    d = load_source(server + "/hop/1?utm_source=x#frag")
    assert d.title == "Harbour seals return to the estuary"
    # the page's rel=canonical points at another site, so it is not believed
    assert d.url == server + "/article"
    assert d.source_path == ""


def test_load_source_url_plain_and_markdown(server):
    d = load_source(server + "/plain")
    assert d.title == "Kettle prices" and "£5" in d.text and d.url == server + "/plain"
    assert d.site == "127.0.0.1"
    m = load_source(server + "/notes.md")
    assert m.title == "Notes" and [s.attrs["href"] for s in m.links] == ["https://example.org"]


@pytest.mark.parametrize("raw,canon", [
    ("HTTPS://Example.COM:443/a/b/?utm_source=x&id=3&fbclid=y#top", "https://example.com/a/b?id=3"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/", "http://example.com:8080/"),
    ("https://example.com/?gclid=1&utm_campaign=2", "https://example.com/"),
    ("https://example.com/path?q=a%20b&page=2", "https://example.com/path?q=a+b&page=2"),
    ("https://user@Example.com/x", "https://user@example.com/x"),
])
def test_canonical_url(raw, canon):
    assert canonical_url(raw) == canon
    assert canonical_url(canon) == canon
