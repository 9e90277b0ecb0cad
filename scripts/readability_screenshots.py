"""Screenshots of Readability test pages imported by URL and shown in the reader (issue #14).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/readability_screenshots.py

Each page of ../shared/data/readability-test-pages is served on 127.0.0.1 and imported through
the ordinary URL import, images included. The pages' pictures live on third-party servers and
this machine has no network, so the server rewrites every <img> address to a picture it makes
itself: a grey placeholder of a plausible size labelled with the original file name. What the
shots show is therefore our extraction, placement, captions and layout, not the photographs.
Writes docs/screenshots/page-<name>.png (top of the article) and page-<name>-2.png (40 % of
the way down, when the article is longer than the window).
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

PAGES_DIR = ROOT / ".." / "shared" / "data" / "readability-test-pages" / "test-pages"
OUT = ROOT / "docs" / "screenshots"
PAGES = ["keep-images", "guardian-1", "nytimes-1", "wikipedia", "ol", "wapo-1"]
# any attribute value that is an absolute or protocol-relative address of a picture file
_IMG_SRC = re.compile(r'(=\s*["\'])(https?:)?(//[^"\'\s>]+?\.(?:jpe?g|png|gif|webp)(?:\?[^"\'\s>]*)?)'
                      r'(["\'])', re.IGNORECASE)


def _size_hint(url: str) -> tuple[int, int]:
    """The size a CDN address asks for (".../fit/c/32/32/...", "?width=300"), else 1200×700."""
    m = re.search(r"/fit/c/(\d{2,4})/(\d{2,4})/", url)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"/(\d{2,4})px-", url) or re.search(r"[?&]w(?:idth)?=(\d{2,4})", url)
    if m:
        w = int(m.group(1))
        return w, w * 2 // 3
    return 1200, 700


def placeholder(label: str, url: str) -> bytes:
    """A grey PNG of the size the address suggests, with the original file name on it."""
    w, h = _size_hint(url)
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("#c9ccd1"))
    p = QPainter(img)
    p.setPen(QColor("#4a4f57"))
    p.setFont(QFont("DejaVu Sans", max(6, min(28, w // 30))))
    p.drawText(img.rect(), int(Qt.AlignmentFlag.AlignCenter),
               f"placeholder picture\n{label[:60]}")
    p.end()
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(dev, "PNG")
    return bytes(buf.data())


def serve(page: str) -> tuple[ThreadingHTTPServer, str]:
    html = (PAGES_DIR / page / "source.html").read_text(encoding="utf-8")
    names: dict[str, tuple[str, str]] = {}

    def swap(m: re.Match) -> str:
        url = m.group(3)
        key = hashlib.sha1(url.encode()).hexdigest()[:12]
        names[key] = (url.split("?")[0].rsplit("/", 1)[-1], url)
        return f"{m.group(1)}/img/{key}.png{m.group(4)}"
    body = _IMG_SRC.sub(swap, html).encode("utf-8")
    pictures: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path.startswith("/img/"):
                key = self.path[5:].split(".")[0]
                if key not in names:
                    self.send_error(404)
                    return
                data = pictures.setdefault(key, placeholder(*names[key]))
                ctype = "image/png"
            else:
                data, ctype = body, "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_port}/{page}/"


def _local_only() -> None:
    """A safety net: the import may only fetch from this machine."""
    from urllib.parse import urlsplit

    from core.errors import ImportFailed
    from core.importers import url as url_mod
    real = url_mod.fetch

    def fetch(url: str, **kw):
        if urlsplit(url).hostname != "127.0.0.1":
            raise ImportFailed("not fetched (screenshots stay offline)")
        return real(url, **kw)
    url_mod.fetch = fetch


def main() -> None:
    _local_only()
    from core.library import Library
    from ui.reader.view import ReaderView
    app = QApplication.instance() or QApplication(sys.argv)
    app.setFont(QFont("DejaVu Sans", 10))
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="cp-pages-"))
    for page in PAGES:
        srv, url = serve(page)
        lib = Library(tmp / page, seed=False)
        res = lib.import_sources([url], recognise=False)[0]
        srv.shutdown()
        print(page, res.status, res.title, "|", res.error[:200])
        if not res.article_id:
            continue
        r = ReaderView(lib)
        r.resize(1100, 900)
        r.show()
        r.show_article(res.article_id)
        for _ in range(5):
            app.processEvents()
        r.grab().save(str(OUT / f"page-{page}.png"))
        art = lib.article(res.article_id)
        bar = r.browser.verticalScrollBar()
        second = OUT / f"page-{page}-2.png"
        if bar.maximum() > 0:  # further in: more pictures, captions, tables, lists
            bar.setValue(int(bar.maximum() * 0.4))
            for _ in range(5):
                app.processEvents()
            r.grab().save(str(second))
        else:
            second.unlink(missing_ok=True)
        kinds: dict[str, int] = {}
        for b in art.blocks:
            kinds[b.kind] = kinds.get(b.kind, 0) + 1
        captions = sum(1 for b in art.blocks if b.kind == "image"
                       and art.text[b.start:b.end] != "\ufffc")
        print("   blocks:", kinds, "| captions:", captions, "| author:", art.author,
              "| published:", art.published)
        r.close()
        lib.close()


if __name__ == "__main__":
    main()
