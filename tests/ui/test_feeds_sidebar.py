"""The library sidebar's Feeds section: subscriptions with unread counts and error markers,
a click shows a feed's articles, the context menu refreshes, unsubscribes (confirmed) and
copies the address; it follows app events. Feeds are served on 127.0.0.1."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtGui import QGuiApplication

from tests.ui.test_sources_ui import PAGE

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>
<item><title>{title} one</title><link>{base}/{slug}/1</link><guid>{slug}1</guid>
<description>short</description></item>
<item><title>{title} two</title><link>{base}/{slug}/2</link><guid>{slug}2</guid>
<description>short</description></item></channel></rss>"""
STATE = {"broken": False}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"
        feeds = {"/harbour.xml": ("Harbour Feed", "h"), "/tides.xml": ("Tide Tables", "t")}
        if self.path in feeds and not (STATE["broken"] and self.path == "/tides.xml"):
            title, slug = feeds[self.path]
            body, ctype = RSS.format(title=title, slug=slug, base=base), "application/rss+xml"
        elif self.path.startswith(("/h/", "/t/")):
            body = PAGE.replace("harbour wall", f"harbour wall at {self.path}")
            ctype = "text/html"
        else:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


@pytest.fixture
def base():
    STATE["broken"] = False
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _rows(section):
    items = [section.list.topLevelItem(i) for i in range(section.list.topLevelItemCount())]
    return [(it.text(0), it.text(1), not it.icon(0).isNull()) for it in items]


def _item(section, title):
    return next(section.list.topLevelItem(i) for i in range(section.list.topLevelItemCount())
                if section.list.topLevelItem(i).text(0) == title)


def _subscribe(window, qtbot, url):
    window.sources.subscribe(url)  # subscribing refreshes every feed
    qtbot.waitUntil(lambda: window.sources._refreshing is None and any(
        f.url == url and f.last_checked for f in window.library.feeds()), timeout=15000)


def test_feeds_section_lists_filters_and_follows_events(window, qtbot, base):
    section = window.library_panel.feeds
    assert section.hint.isVisible() and not section.list.isVisible()  # no feeds yet
    _subscribe(window, qtbot, f"{base}/harbour.xml")
    _subscribe(window, qtbot, f"{base}/tides.xml")
    qtbot.waitUntil(lambda: _rows(section) == [("Harbour Feed", "2", False),
                                               ("Tide Tables", "2", False)], timeout=5000)
    assert section.list.isVisible() and not section.hint.isVisible()
    total = window.library_panel.model.total_count()

    # a click shows that feed's articles (view All); a second click shows the view again
    section._clicked(_item(section, "Tide Tables"))
    panel = window.library_panel
    assert panel.viewbar.view() == "all" and panel.model.feed
    titles = sorted(panel.model.summary(panel.model.article_id(r)).title
                    for r in range(panel.model.rowCount()))
    assert titles == ["Tide Tables one", "Tide Tables two"]

    # reading one article lowers the unread count, through app events only
    lib = window.library
    aid = panel.model.article_id(0)
    from ui.runner import lane_for
    lane_for(lib).submit(lib.mark_read, [aid], True)
    qtbot.waitUntil(lambda: ("Tide Tables", "1", False) in _rows(section), timeout=5000)

    # a failing refresh marks the feed, with the error in its tooltip
    STATE["broken"] = True
    section.menu_for(_item(section, "Tide Tables")).actions()[0].trigger()  # Refresh
    qtbot.waitUntil(lambda: ("Tide Tables", "1", True) in _rows(section), timeout=15000)
    assert "The last refresh failed: HTTP 500" in _item(section, "Tide Tables").toolTip(0)
    assert ("Harbour Feed", "2", False) in _rows(section)

    # copy the address
    menu = section.menu_for(_item(section, "Harbour Feed"))
    labels = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert labels == ["Refresh", "Unsubscribe…", "Copy Feed Address"]
    menu.actions()[2].trigger()
    assert QGuiApplication.clipboard().text() == f"{base}/harbour.xml"

    # unsubscribing asks first; no means no
    section.confirm = lambda parent, title: False
    section.unsubscribe(int(_item(section, "Tide Tables").data(0, section_id_role())))
    assert len(_rows(section)) == 2
    # yes: the feed goes (on the write lane), the list shows everything, its articles stay
    section.confirm = lambda parent, title: True
    section.unsubscribe(int(_item(section, "Tide Tables").data(0, section_id_role())))
    qtbot.waitUntil(lambda: [r[0] for r in _rows(section)] == ["Harbour Feed"], timeout=5000)
    qtbot.waitUntil(lambda: panel.model.feed == 0, timeout=5000)
    assert panel.model.total_count() == total


def section_id_role():
    from ui.library.feeds_sidebar import IdRole
    return IdRole


def test_plus_asks_for_an_address(window, qtbot, monkeypatch, base):
    from PySide6.QtWidgets import QInputDialog
    asked = []

    def fake(*a, **k):
        asked.append(a[1])
        return f"{base}/harbour.xml", True
    monkeypatch.setattr(QInputDialog, "getText", fake)
    window.library_panel.feeds.add_button.click()
    assert asked == ["Subscribe to a feed"]
    qtbot.waitUntil(lambda: [r[0] for r in _rows(window.library_panel.feeds)] ==
                    ["Harbour Feed"], timeout=15000)
    qtbot.waitUntil(lambda: window.sources._refreshing is None, timeout=15000)
