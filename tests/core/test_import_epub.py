"""EPUB import: spine order, metadata, sanitising; DRM, zip bombs and escaping paths refused."""
from __future__ import annotations

import zipfile

import pytest

from core.errors import ImportFailed
from core.importers import load_source
from core.library import Library
from tests.core.epub_fixtures import CONTAINER, OPF, make_epub


def _blocks(doc, kind=None):
    return [doc.text[b.start:b.end] for b in doc.blocks if kind is None or b.kind == kind]


def test_epub_spine_order_metadata_and_structure(tmp_path):
    doc = load_source(str(make_epub(tmp_path / "f.epub")))
    assert (doc.title, doc.author, doc.language, doc.published) == \
        ("Frankenstein", "Mary Shelley", "en", "1818-01-01")
    assert doc.tags == ["Gothic fiction"]
    assert _blocks(doc, "heading") == ["Letter 1", "Letter 2"]  # spine order, not manifest
    assert _blocks(doc, "quote") == ["I am already far north of London."]
    assert _blocks(doc, "list_item") == ["a ship", "a crew"]
    assert "Contents" not in doc.text  # the nav document is not in the spine
    assert "alert" not in doc.text and "tracker" not in doc.text
    hrefs = [ln.attrs["href"] for ln in doc.links]
    assert hrefs == ["https://example.org/frank"]  # in-book and javascript: links dropped
    assert doc.text[doc.links[0].start:doc.links[0].end] == "the site"


def test_font_obfuscation_is_not_drm(tmp_path):
    enc = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
           'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
           '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
           '</enc:EncryptedData></encryption>')
    doc = load_source(str(make_epub(tmp_path / "f.epub", extra={"META-INF/encryption.xml": enc})))
    assert doc.title == "Frankenstein"


@pytest.mark.parametrize("extra", [
    {"META-INF/encryption.xml": (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '</enc:EncryptedData></encryption>')},
    {"META-INF/rights.xml": "<rights/>"},
    {"META-INF/license.lcpl": "{}"},
])
def test_drm_refused(tmp_path, extra):
    with pytest.raises(ImportFailed, match="DRM-protected"):
        load_source(str(make_epub(tmp_path / "d.epub", extra=extra)))


def test_zip_bomb_refused(tmp_path):
    path = make_epub(tmp_path / "b.epub")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OEBPS/text/huge.xhtml", b"\0" * 20_000_000)
    with pytest.raises(ImportFailed, match="zip bomb"):
        load_source(str(path))


def test_path_escape_refused(tmp_path):
    path = make_epub(tmp_path / "e.epub", extra={"../../etc/evil.xhtml": "<p>x</p>"})
    with pytest.raises(ImportFailed, match="escapes the archive"):
        load_source(str(path))


def test_external_entities_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    opf = OPF.format(title="&xxe;").replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file://{secret}">]>')
    try:
        doc = load_source(str(make_epub(tmp_path / "x.epub", opf=opf)))
    except ImportFailed:
        return
    assert "TOPSECRET" not in doc.title + doc.text


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really", b"plain text"])
def test_not_an_epub(tmp_path, data):
    p = tmp_path / "n.epub"
    p.write_bytes(data)
    with pytest.raises(ImportFailed):
        load_source(str(p))


def test_missing_container(tmp_path):
    p = tmp_path / "m.epub"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    with pytest.raises(ImportFailed, match="container.xml"):
        load_source(str(p))
    assert CONTAINER  # the fixture module's container is what a real one looks like


def test_library_import_and_reimport(tmp_path):
    path = make_epub(tmp_path / "f.epub")
    with Library(tmp_path / "lib", seed=False) as lib:
        assert lib.import_sources([str(path)], recognise=False)[0].status == "imported"
        assert lib.import_sources([str(path)], recognise=False)[0].status == "duplicate"
