"""EPUB pictures: read from the archive (relative, nested, URL-encoded, SVG cover wrappers),
bounded like downloads, stored and exported like a web page's; a missing, escaping, remote or
oversized picture is a note and never fails the book."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from core.importers import epub as epub_mod
from core.importers import load_source
from core.importers.images import MAX_IMAGE_BYTES, judge
from core.library import Library
from tests.core.epub_fixtures import CONTAINER
from tests.core.test_import_images import JPEG, png

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:42</dc:identifier><dc:title>Harbours</dc:title>
    <dc:creator>A. Pilot</dc:creator><dc:language>en</dc:language>
  </metadata>
  <manifest>
    <item id="cover" href="Text/cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="c1" href="Text/part%201/ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="img1" href="Images/cover art.png" media-type="image/png"/>
  </manifest>
  <spine><itemref idref="cover"/><itemref idref="c1"/></spine>
</package>"""

COVER = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:xlink="http://www.w3.org/1999/xlink">
<head><title>Cover</title></head><body><div>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 600 300">
<title>Harbours, the cover</title>
<image width="600" height="300" xlink:href="../Images/cover%20art.png"/></svg>
</div></body></html>"""

CH1 = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title></head><body>
<h1>The first harbour</h1>
<p>Cranes stood along the quay like herons waiting for the tide to turn.</p>
<figure><img src="../../Images/maps/quay.jpg" alt="A map of the quay"/>
<figcaption>The quay in 1850, after the survey.</figcaption></figure>
<p>The ships came in at dawn.<img src="../../Images/inline.png" alt="a gull"/> Gulls followed.</p>
<p><img src="../../Images/gone.png" alt="missing"/>Nothing was lost but a picture.</p>
<p><img src="../../../../outside.png" alt="escaping"/>Nor did anything leave the book.</p>
<p><img src="https://tracker.invalid/pixel.png" alt="remote"/>Nothing was fetched.</p>
<p><img src="../../Images/huge.png" alt="huge"/>The last paragraph of the chapter.</p>
</body></html>"""


def make_book(path: Path, *, huge: bytes | None = None, files: dict | None = None,
              jpeg: bytes = JPEG) -> Path:
    entries: dict[str, str | bytes] = {
        "META-INF/container.xml": CONTAINER.replace("OEBPS/content.opf", "OPS/content.opf"),
        "OPS/content.opf": OPF, "OPS/Text/cover.xhtml": COVER,
        "OPS/Text/part 1/ch1.xhtml": CH1,
        "OPS/Images/cover art.png": png(600, 300),
        "OPS/Images/maps/quay.jpg": jpeg, "OPS/Images/inline.png": png(200, 120),
        "outside.png": png(300, 200)}  # in the zip, but not under the chapter's "../../../.."
    entries.update(files or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, body in entries.items():
            zf.writestr(name, body)
        if huge is not None:  # incompressible: a big picture, not a zip bomb
            zf.writestr("OPS/Images/huge.png", huge, compress_type=zipfile.ZIP_STORED)
    return path


def _images(doc):
    return [(doc.text[b.start:b.end], b.attrs) for b in doc.blocks if b.kind == "image"]


def test_book_pictures_are_read_from_the_archive_in_reading_order(tmp_path):
    huge = png(400, 400) + os.urandom(MAX_IMAGE_BYTES)
    doc = load_source(str(make_book(tmp_path / "h.epub", huge=huge)))
    pics = _images(doc)
    cover, quay, gull = (judge(png(600, 300)).name, judge(JPEG).name,
                         judge(png(200, 120)).name)
    assert [a["image"] for _, a in pics] == [cover, quay, gull]
    assert set(doc.images) == {cover, quay, gull}
    # the SVG wrapper's title is the cover's alt; the figcaption is the map's caption, once
    assert pics[0] == ("\ufffc", {"alt": "Harbours, the cover", "image": cover, "width": 600,
                                  "height": 300})
    assert pics[1][0] == "The quay in 1850, after the survey."
    assert pics[1][1]["alt"] == "A map of the quay" and pics[1][1]["width"] == 288
    assert doc.text.count("The quay in 1850") == 1
    # an inline picture follows the paragraph it sat in, which keeps all its words
    order = [doc.text[b.start:b.end][:20] for b in doc.blocks]
    assert order.index("The ships came in at") + 1 == order.index("\ufffc", 2)
    assert "Gulls followed." in doc.text
    # every other picture is a note; the book imports whole
    assert "The last paragraph of the chapter." in doc.text
    notes = " | ".join(doc.notes)
    for name, why in (("gone.png", "missing from the EPUB"),
                      ("outside.png", "its path escapes the archive"),
                      ("pixel.png", "a web address"), ("huge.png", "too large")):
        assert f"image {name} skipped: {why}" in notes, notes
    assert len(doc.notes) == 4


def test_images_off_reads_no_pictures(tmp_path):
    from core.importers import _parse_binary
    data = make_book(tmp_path / "h.epub").read_bytes()
    doc = _parse_binary("epub", data, name="h.epub", images=False)
    assert not _images(doc) and not doc.images and not doc.notes
    assert "The quay in 1850, after the survey." in doc.text  # the caption stays as text


def test_a_lying_header_cannot_make_a_picture_read_past_its_bound(tmp_path, monkeypatch):
    path = make_book(tmp_path / "h.epub")
    arc = epub_mod._Archive(path.read_bytes())
    info = arc.names["OPS/Images/cover art.png"]
    info.file_size = 10  # the header says tiny; the entry holds far more
    monkeypatch.setattr(epub_mod, "MAX_IMAGE_BYTES", 1000)
    from core.errors import ImportFailed
    with pytest.raises(ImportFailed, match="unreadable|sizes are wrong"):
        arc.read_image("OPS/Images/cover art.png")
    assert arc.read_total == 0  # nothing past the header's size was taken in


def test_per_book_picture_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(epub_mod, "BOOK_MAX_IMAGES", 2)
    doc = load_source(str(make_book(tmp_path / "h.epub")))
    assert len(_images(doc)) == 2
    assert any("more than 2 images" in n for n in doc.notes)


def test_library_stores_book_pictures_and_exports_them(tmp_path):
    from core.export import export_library
    lib = Library(tmp_path / "lib", seed=False)
    res = lib.import_sources([str(make_book(tmp_path / "h.epub"))], recognise=False)
    assert res[0].status == "imported" and "gone.png" in res[0].error
    art = lib.article(res[0].article_id)
    names = [b.attrs["image"] for b in art.blocks if b.kind == "image"]
    assert len(names) == 3 and all(lib.image(n) for n in names)
    assert lib.image(names[1])[0] == "image/jpeg"
    out = tmp_path / "out"
    paths = export_library(lib, out, fmt="markdown", include_all=True)
    md = next(p for p in paths if p.name != "Index.md" and p.suffix == ".md").read_text()
    assert f"![The quay in 1850, after the survey.](attachments/{names[1]})" in md
    assert (out / "attachments" / names[0]).read_bytes() == png(600, 300)
    again = lib.import_sources([str(tmp_path / "h.epub")], recognise=False)
    assert again[0].status == "duplicate"
    lib.close()
