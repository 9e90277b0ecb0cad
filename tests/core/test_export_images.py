"""Pictures in other apps' saved content (Omnivore content/*.html, Wallabag JSON): fetched at
import through the bounded image fetcher (a server on 127.0.0.1 here), stored like a web
page's, skipped with a note when they cannot be had, never fetched with image storing off
or for an entry already in the library."""
from __future__ import annotations

import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.importers.images import judge
from core.library import Library
from tests.core.test_import_images import png

SEEN: list[str] = []
PARAS = ("<p>The estuary has one of the largest tidal ranges in the world, and engineers "
         "have long wanted to harness it.</p>")


class Pics(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        SEEN.append(self.path)
        body, ctype, code = b"missing", "text/plain", 404
        if self.path == "/img/barrage.png":
            body, ctype, code = png(320, 180), "image/png", 200
        elif self.path == "/media/lagoon.png":
            body, ctype, code = png(240, 160), "image/png", 200
        elif self.path == "/img/page.png":
            body, ctype, code = b"<html>a login page</html>", "image/png", 200
        elif self.path == "/feed.xml":
            base = f"http://127.0.0.1:{self.server.server_port}"
            body = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/'
                    'rss/1.0/modules/content/"><channel><title>Estuary</title><item>'
                    f"<title>Tidal power</title><link>{base}/articles/feed-tidal</link>"
                    "<guid>t1</guid><content:encoded><![CDATA["
                    + content(base).replace("</body>", PARAS * 6 + "</body>")
                    + "]]></content:encoded></item>"
                    "</channel></rss>").encode()
            ctype, code = "application/rss+xml", 200
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server():
    SEEN.clear()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Pics)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    srv.server_close()


def content(base: str) -> str:
    return (f"<html><body><h1>Tidal power</h1>{PARAS}"
            f'<figure><img src="{base}/img/barrage.png" alt="The barrage">'
            "<figcaption>The barrage as proposed in 2010.</figcaption></figure>"
            '<p>A lagoon leaves most of the estuary open.<img src="../media/lagoon.png" '
            'alt="A lagoon"></p>'
            f'<p><img src="{base}/img/gone.png" alt="gone">Lost pictures are only notes.</p>'
            f'<p><img src="{base}/img/page.png" alt="login">Nor do pages pass as pictures.</p>'
            "</body></html>")


def omnivore(path, base: str):
    meta = [{"id": "1", "slug": "tidal", "title": "Tidal power", "author": "R. Severn",
             "url": f"{base}/articles/tidal", "state": "Succeeded",
             "labels": [{"name": "energy"}], "savedAt": "2023-05-01T10:00:00.000Z"}]
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("content/tidal.html", content(base))
        zf.writestr("highlights/tidal.md", "> A lagoon leaves most of the estuary open.\n")
        zf.writestr("metadata_0_to_1.json", json.dumps(meta))
    return path


def wallabag(path, base: str):
    path.write_text(json.dumps([{"id": 1, "title": "Tidal power", "url": f"{base}/w/tidal",
                                 "is_archived": 0, "content": content(base), "tags": []}]))
    return path


def _pictures(lib, aid):
    art = lib.article(aid)
    return [(art.text[b.start:b.end], b.attrs) for b in art.blocks if b.kind == "image"]


@pytest.mark.parametrize(("maker", "name"), [(omnivore, "export.zip"), (wallabag, "w.json")])
def test_saved_content_pictures_are_fetched_stored_and_noted(tmp_path, server, maker, name):
    lib = Library(tmp_path / "lib", seed=False)
    res = lib.import_sources([str(maker(tmp_path / name, server))], recognise=False)
    assert [r.status for r in res] == ["imported"]
    pics = _pictures(lib, res[0].article_id)
    barrage, lagoon = judge(png(320, 180)).name, judge(png(240, 160)).name
    assert [a["image"] for _, a in pics] == [barrage, lagoon]  # the relative one too
    assert pics[0][0] == "The barrage as proposed in 2010."
    assert pics[1] == ("\ufffc", {"alt": "A lagoon", "image": lagoon, "width": 240,
                                  "height": 160})
    assert lib.image(barrage)[0] == "image/png"
    assert "gone.png skipped: HTTP 404" in res[0].error
    assert "page.png skipped: not a PNG" in res[0].error
    text = lib.article(res[0].article_id).text
    assert "Lost pictures are only notes." in text and text.count("as proposed in 2010") == 1
    if maker is omnivore:
        rep = lib.export_reports[0]
        assert (rep.placed, rep.orphaned) == (1, 0)
    # re-importing changes nothing and fetches nothing
    before = len(SEEN)
    again = lib.import_sources([str(tmp_path / name)], recognise=False)
    assert [r.status for r in again] == ["duplicate"] and len(SEEN) == before
    lib.close()


def test_image_storing_off_fetches_nothing(tmp_path, server):
    lib = Library(tmp_path / "lib", seed=False)
    lib.set_store_images(False)
    res = lib.import_sources([str(omnivore(tmp_path / "export.zip", server))],
                             recognise=False)
    assert res[0].status == "imported" and not _pictures(lib, res[0].article_id)
    assert SEEN == []
    assert "The barrage as proposed in 2010." in lib.article(res[0].article_id).text
    lib.close()


def test_cancel_while_pictures_are_fetched_stops_at_that_entry(tmp_path, server):
    from core.app_import import import_export
    meta = [{"id": str(i), "slug": f"t{i}", "title": f"Tidal power {i}",
             "url": f"{server}/articles/t{i}", "state": "Succeeded", "labels": []}
            for i in range(3)]
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(3):
            zf.writestr(f"content/t{i}.html", content(server).replace("Tidal", f"Tidal {i}")
                        .replace("estuary has", f"estuary {i} has"))
        zf.writestr("metadata_0_to_3.json", json.dumps(meta))
    lib = Library(tmp_path / "lib", seed=False)
    seen: list[str] = []
    results, rep = import_export(lib, str(path), "omnivore",
                                 progress=lambda d, t, label: seen.append(label),
                                 cancel=lambda: len(seen) >= 2)
    assert rep.imported == 2 and len(lib.article_ids()) == 2  # the third is left for a re-run
    assert all(_pictures(lib, a) for a in lib.article_ids())
    _, again = import_export(lib, str(path), "omnivore")
    assert (again.imported, again.present) == (1, 2)
    lib.close()


def test_a_dead_picture_host_is_asked_once_per_import(tmp_path, server):
    from core.app_import import import_export
    dead = "http://127.0.0.1:9"  # nothing listens there
    meta = [{"id": str(i), "slug": f"t{i}", "title": f"Tidal power {i}",
             "url": f"{server}/articles/t{i}", "state": "Succeeded", "labels": []}
            for i in range(3)]
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(3):
            zf.writestr(f"content/t{i}.html", f"<h1>Tidal {i}</h1>{PARAS}<p>Article {i}.</p>"
                        f'<img src="{dead}/cache/p{i}.png" alt="x">'
                        f'<img src="{server}/img/barrage.png" alt="y">')
        zf.writestr("metadata_0_to_3.json", json.dumps(meta))
    lib = Library(tmp_path / "lib", seed=False)
    results, rep = import_export(lib, str(path), "omnivore")
    assert rep.imported == 3
    notes = [r.error for r in results]
    assert "p0.png skipped: could not reach 127.0.0.1" in notes[0]
    assert all("did not answer earlier in this import" in n for n in notes[1:])
    assert all(len(_pictures(lib, r.article_id)) == 1 for r in results)  # the live host's
    lib.close()


@pytest.mark.parametrize("store", [True, False])
def test_full_content_feed_items_bring_their_pictures(tmp_path, server, store):
    lib = Library(tmp_path / "lib", seed=False)
    lib.set_store_images(store)
    lib.subscribe_feed(f"{server}/feed.xml")
    SEEN.clear()
    lib.refresh_feeds()
    aid = max(lib.article_ids())
    pics = _pictures(lib, aid)
    assert "/articles/feed-tidal" not in SEEN  # the item carried the whole article
    if store:
        assert [a["alt"] for _, a in pics] == ["The barrage", "A lagoon"]
        assert pics[0][0] == "The barrage as proposed in 2010."
    else:
        assert pics == [] and not any(p.startswith(("/img", "/media")) for p in SEEN)
    lib.close()
