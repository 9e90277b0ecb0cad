"""Link-only entries fetched later from a 127.0.0.1 server: text replaced, highlights placed,
failures kept as links and retried, the queue survives a restart."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.app_import import LINK_ONLY_NOTE, origin
from core.library import Library
from core.link_fetch import MAX_ATTEMPTS, fetch_pending, pending_count

PAGE = """<html><head><title>Alpha article</title></head><body><article>
<h1>Alpha article</h1>
<p>This is the opening paragraph of a long article about tides and estuaries, written so that
an extractor keeps it as the main text of the page.</p>
<p>It contains A selected sentence from the page that the reader highlighted in Instapaper,
followed by more words so the paragraph is a real paragraph.</p>
<p>A closing paragraph says nothing new but adds enough text for extraction to be confident.</p>
</article></body></html>"""


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        Handler.hits.append(self.path)
        if self.path == "/a":
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *a):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    Handler.hits = []
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_queue(tmp_path, server):
    csv = tmp_path / "instapaper.csv"
    csv.write_text("URL,Title,Selection,Folder,Timestamp\n"
                   f"{server}/a,Alpha,A selected sentence from the page,Unread,1650000000\n"
                   f"{server}/gone,Gone page,,Unread,1650000100\n")
    with Library(tmp_path / "lib", seed=False) as lib:
        res = lib.import_sources([str(csv)], recognise=False)
        a, gone = (r.article_id for r in res)
        assert pending_count(lib._store) == 2 and Handler.hits == []  # nothing fetched on import
        rep = fetch_pending(lib, delay=0, recognise=False)
        assert rep.fetched == 1 and len(rep.failed) == 1 and rep.left == 1
        art = lib.article(a)
        assert art.title == "Alpha" and "opening paragraph" in art.text
        [ann] = lib.annotations(a)
        r = ann.resolution
        assert not r.orphaned and art.text[r.start:r.end] == "A selected sentence from the page"
        assert origin(lib._store, a)["fetch"] == "done"
        assert lib.article(gone).text.startswith(LINK_ONLY_NOTE)  # kept, not lost
        assert "404" in origin(lib._store, gone)["fetch_error"]
    with Library(tmp_path / "lib", seed=False) as lib:  # after a restart the queue is still there
        assert pending_count(lib._store) == 1
        for _ in range(MAX_ATTEMPTS - 1):
            fetch_pending(lib, delay=0, recognise=False)
        o = origin(lib._store, gone)
        assert (o["fetch"], o["attempts"]) == ("failed", MAX_ATTEMPTS)
        assert pending_count(lib._store) == 0
        before = lib._store.con.execute("SELECT id, content_hash FROM articles").fetchall()
        lib.import_sources([str(csv)], recognise=False)  # re-run: the fetched text stays
        assert lib._store.con.execute("SELECT id, content_hash FROM articles").fetchall() == before


def test_fetch_is_rate_limited_and_cancellable(tmp_path, server):
    csv = tmp_path / "p.csv"
    csv.write_text("title,url,time_added,tags,status\n" + "".join(
        f"T{i},{server}/gone{i},1700000000,,unread\n" for i in range(5)))
    with Library(tmp_path / "lib", seed=False) as lib:
        lib.import_sources([str(csv)], recognise=False)
        calls = []
        t = time.monotonic()
        rep = fetch_pending(lib, delay=0.2, recognise=False,
                            cancel=lambda: len(calls) >= 2,
                            progress=lambda i, n, label: calls.append(label) if label else None)
        assert len(Handler.hits) == 2 and rep.left == 5  # cancelled; failures stay pending
        assert time.monotonic() - t >= 0.2  # the second request waited for the first
