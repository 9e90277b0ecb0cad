"""File ▸ Import from Another App…, saved links fetched in the background, feeds — all against
files made here and a 127.0.0.1 server."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ui.library.sources import detect_kind
from ui.runner import allow_gui_thread_writes

PAGE = """<html><head><title>Harbour news</title></head><body><article><h1>Harbour news</h1>
<p>The harbour wall was rebuilt over the winter, and the fishing boats came back in spring
to a quay that no longer floods at every high tide.</p>
<p>Fishermen say the new wall has changed how they plan their days, and the harbour master
expects more visiting boats this summer than in any year before.</p></article></body></html>"""
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Feed</title>
<item><title>Harbour news</title><link>{base}/page</link><guid>h1</guid>
<description>short</description></item></channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"
        body = {"/page": PAGE, "/rss.xml": RSS.format(base=base)}.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml" if "rss" in self.path
                         else "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


@pytest.fixture
def base(monkeypatch):
    monkeypatch.setenv("COMMONPLACE_FETCH_DELAY", "0")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_import_from_another_app_then_links_fetched(window, qtbot, tmp_path, base):
    csv = tmp_path / "part_000000.csv"
    csv.write_text("title,url,time_added,tags,status\n"
                   f"Saved harbour story,{base}/page,1700000000,sea|local,unread\n")
    assert detect_kind(str(csv)) == "Pocket (CSV)"
    assert "Import from Another App…" in [a.text().replace("&", "")
                                          for a in window.sources.file_actions]
    before = window.library_panel.model.total_count()
    assert window.sources.import_export(str(csv), confirm=False)
    qtbot.waitUntil(lambda: window.library_panel.model.total_count() == before + 1,
                    timeout=10000)
    lib = window.library
    aid = max(a.id for a in lib.articles())

    def fetched() -> bool:
        return "harbour wall was rebuilt" in lib.article(aid).text
    qtbot.waitUntil(fetched, timeout=15000)
    qtbot.waitUntil(lambda: window.sources._fetching is None, timeout=5000)
    art = lib.article(aid)
    assert art.title == "Saved harbour story" and set(art.tags) == {"sea", "local"}


def test_unknown_file_is_not_imported(window, tmp_path):
    f = tmp_path / "notes.csv"
    f.write_text("name,age\nbob,3\n")
    messages = []
    window.sources.message.connect(messages.append)
    assert window.sources.import_export(str(f), confirm=False) is False
    assert messages and "not an export" in messages[0]


def test_subscribe_and_refresh_feed(window, qtbot, base):
    before = window.library_panel.model.total_count()
    window.sources.subscribe(f"{base}/rss.xml")  # subscribing refreshes
    qtbot.waitUntil(lambda: window.library_panel.model.total_count() == before + 1,
                    timeout=15000)
    qtbot.waitUntil(lambda: window.sources._refreshing is None, timeout=5000)
    lib = window.library
    new = lib.article(max(a.id for a in lib.articles()))
    assert new.tags == ["Harbour Feed"] and "harbour wall" in new.text


def test_queued_links_resume_when_the_library_opens(qtbot, tmp_path, base, no_ner):
    from core.library import Library
    from tests.ui.conftest import open_window
    csv = tmp_path / "i.csv"
    csv.write_text(f"URL,Title,Selection,Folder,Timestamp\n{base}/page,Later,,Unread,1650000000\n")
    with allow_gui_thread_writes(), Library(tmp_path / "lib2", seed=False) as lib:
        lib.import_sources([str(csv)], recognise=False)  # imported, then the app was closed
    w = open_window(qtbot, tmp_path / "lib2")
    qtbot.waitUntil(lambda: w.sources._fetching is None and
                    "harbour wall" in w.library.article(1).text, timeout=15000)
