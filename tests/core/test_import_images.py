"""Article images at import: fetched from a server on 127.0.0.1 (URL imports) or read beside a
local file, judged by their bytes, bounded, stored in the library; failures are notes."""
from __future__ import annotations

import gzip
import sqlite3
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.importers import images as images_mod
from core.importers import load_source
from core.importers.images import judge


def png(w: int = 160, h: int = 90) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * w for _ in range(h))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xc0\x00\x11\x08\x00\xa0\x01\x20\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
        b"\xff\xd9")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PARA = ("A paragraph of the article about harbour cranes and their long history in the port, "
        "with enough words that any extractor takes it for the body of the page. ")


def page(imgs: list[tuple[str, str]]) -> bytes:
    figs = "".join(f'<p>Part {i}. {PARA * 2}</p><figure><img src="{src}" alt="alt {i}">'
                   + (f"<figcaption>{cap}</figcaption>" if cap else "") + "</figure>"
                   for i, (src, cap) in enumerate(imgs))
    return (f"<html><head><title>Cranes | The Port Paper</title>"
            f'<meta property="og:site_name" content="The Port Paper"></head><body><article>'
            f"<h1>Cranes</h1>{figs}<p>{PARA * 3}</p></article></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _send(self, code, body=b"", ctype="image/png"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def do_GET(self):
        p = self.path
        if p == "/article":
            self._send(200, page([("/img/a.png", "A crane at dawn."), ("/img/b.jpg", ""),
                                  ("/img/huge.png", ""), ("/img/page.png", ""),
                                  ("/img/gone.png", "A lost picture."), ("/img/slow.png", ""),
                                  ("/img/evil-svg.png", ""), ("/img/a.png", "")]),
                       "text/html; charset=utf-8")
        elif p == "/img/a.png":
            self._send(200, png())
        elif p == "/img/b.jpg":
            self._send(200, JPEG, "application/octet-stream")  # type decided by content
        elif p == "/img/huge.png":
            self._send(200, png(300, 300) + b"\0" * 200_000)
        elif p == "/img/page.png":
            self._send(200, b"<html>not a picture</html>", "image/png")
        elif p == "/img/slow.png":
            time.sleep(1.5)
            self._send(200, png())
        elif p == "/img/evil-svg.png":  # an SVG by its bytes, whatever its name
            self._send(200, SVG, "image/svg+xml")
        else:
            self._send(404, b"nope", "text/plain")


@pytest.fixture()
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture()
def small_limits(monkeypatch):
    monkeypatch.setattr(images_mod, "MAX_IMAGE_BYTES", 100_000)
    monkeypatch.setattr(images_mod, "IMAGE_TIMEOUT", 0.5)


def test_url_import_keeps_good_images_and_notes_the_rest(server, small_limits):
    doc = load_source(f"{server}/article")
    kinds = {img.mime for img in doc.images.values()}
    assert kinds == {"image/png", "image/jpeg"}  # a.png once (content-addressed), b.jpg
    jpg = next(i for i in doc.images.values() if i.mime == "image/jpeg")
    assert (jpg.width, jpg.height) == (288, 160)
    notes = " ".join(doc.notes)
    for name, why in (("huge.png", "too large"), ("page.png", "not a PNG"), ("gone.png", "404"),
                      ("slow.png", "timed out"), ("evil-svg.png", "SVG")):
        assert name in notes and why in notes, (name, notes)
    blocks = [b for b in doc.blocks if b.kind == "image"]
    stored = [b for b in blocks if "image" in b.attrs]
    assert len(stored) == 2  # a.png (shown once, where it first appears) and b.jpg
    assert doc.text[stored[0].start:stored[0].end] == "A crane at dawn."
    assert doc.text[stored[1].start:stored[1].end] == "\ufffc"  # no caption: one character
    assert all("image" in b.attrs for b in blocks)  # skipped pictures leave no block
    assert doc.title == "Cranes"


def test_images_off_leaves_the_extracted_text_alone(server):
    doc = load_source(f"{server}/article", images=False)
    assert doc.images == {} and doc.notes == []
    assert "\ufffc" not in doc.text and not any(b.kind == "image" for b in doc.blocks)


def test_library_stores_images_in_its_file_and_backups(server, small_limits, tmp_path):
    from core.library import Library
    lib = Library(tmp_path / "lib", seed=False)
    res = lib.import_sources([f"{server}/article"], recognise=False)[0]
    assert res.status == "imported" and "skipped" in res.error  # a note, not a failure
    art = lib.article(res.article_id)
    names = {b.attrs["image"] for b in art.blocks if "image" in b.attrs}
    assert len(names) == 2
    for n in names:
        mime, data = lib.image(n)
        assert judge(data).name == n  # content-addressed
    backup = lib.backup_to(tmp_path / "b.sqlite.gz")
    raw = tmp_path / "b.sqlite"
    data = backup.read_bytes()
    raw.write_bytes(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    con = sqlite3.connect(raw)
    assert {r[0] for r in con.execute("SELECT name FROM images")} == names
    con.close()
    lib.delete_article(res.article_id)
    assert all(lib.image(n) is None for n in names)
    lib.close()


def test_setting_turns_image_storing_off(server, tmp_path):
    from core.library import Library
    lib = Library(tmp_path / "lib", seed=False)
    assert lib.store_images
    lib.set_store_images(False)
    res = lib.import_sources([f"{server}/article"], recognise=False)[0]
    art = lib.article(res.article_id)
    assert not any("image" in b.attrs for b in art.blocks)
    lib.close()
    con = sqlite3.connect(tmp_path / "lib" / "library.sqlite")
    assert con.execute("SELECT count(*) FROM images").fetchone()[0] == 0
    con.close()


def test_local_html_reads_relative_images_only(tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "p.png").write_bytes(png(120, 80))
    outside = tmp_path.parent / f"{tmp_path.name}-secret.png"
    outside.write_bytes(png(150, 150))
    html = page([("pics/p.png", "Beside the file."), (str(outside), ""),
                 ("http://127.0.0.1:9/x.png", ""), ("pics/none.png", "")])
    f = tmp_path / "article.html"
    f.write_bytes(html)
    doc = load_source(str(f))
    assert len(doc.images) == 1
    assert next(iter(doc.images.values())).width == 120
    notes = " ".join(doc.notes)
    assert "not a relative path" in notes and "file not found" in notes
    outside.unlink()


def test_judge_refuses_bombs_and_damage():
    big = bytearray(png(120, 60))
    big[16:24] = struct.pack(">II", 100_000, 100_000)
    with pytest.raises(Exception, match="unreasonable size"):
        judge(bytes(big))
    with pytest.raises(Exception, match="damaged"):
        judge(b"\x89PNG\r\n\x1a\n" + b"\0" * 30)
    with pytest.raises(Exception, match="icon"):
        judge(png(32, 32))  # avatars, logos, tracking pixels are not the article's pictures
    with pytest.raises(Exception, match="SVG"):
        judge(b"<?xml version='1.0'?>" + SVG)


def test_markdown_export_copies_and_embeds_images(tmp_path):
    from core.export import export_library
    from core.library import Library
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "p.png").write_bytes(png(130, 70))
    f = tmp_path / "src" / "article.html"
    f.write_bytes(page([("p.png", "A crane at dawn.")]))
    lib = Library(tmp_path / "lib", seed=False)
    lib.import_sources([str(f)], recognise=False)
    out = tmp_path / "out"
    paths = export_library(lib, out, fmt="markdown", include_all=True)  # it has no notes
    md = next(p for p in paths if p.name != "Index.md" and p.suffix == ".md").read_text()
    name = judge(png(130, 70)).name
    assert f"![A crane at dawn.](attachments/{name})" in md
    assert (out / "attachments" / name).read_bytes() == png(130, 70)
    lib.close()


def test_captions_set_as_alt_copies_or_one_item_lists_join_their_picture(tmp_path):
    (tmp_path / "a.png").write_bytes(png(200, 100))
    (tmp_path / "b.png").write_bytes(png(210, 100))
    body = (f"<p>Part one. {PARA * 2}</p>"
            '<figure><img src="a.png" alt="The red crane at dawn over the harbour."></figure>'
            "<ul><li><p>The red crane at dawn over the harbour</p></li></ul>"
            f"<p>Part two. {PARA * 2}</p>"
            '<figure><img src="b.png" alt="crane"></figure>'
            "<ul><li><p>Clockwise from top: the cabin, the jib and the winch.</p></li></ul>"
            f"<p>Part three. {PARA * 3}</p>")
    f = tmp_path / "a.html"
    f.write_text(f"<html><head><title>Cranes</title></head><body><article>{body}</article>"
                 "</body></html>", encoding="utf-8")
    doc = load_source(str(f))
    caps = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "image"]
    assert caps == ["The red crane at dawn over the harbour",
                    "Clockwise from top: the cabin, the jib and the winch."]
    assert not any(b.kind == "list_item" for b in doc.blocks)
