"""decode_bytes: trust order (BOM, declared, UTF-8, cp1252, detector) and binary refusal."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from core.errors import ImportFailed
from core.importers.encoding import decode_bytes, looks_western, sniff_meta_charset

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importers"


def test_utf8_plain():
    assert decode_bytes("Šefčovič – €150bn".encode()) == "Šefčovič – €150bn"


@pytest.mark.parametrize("bom,enc", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
])
def test_bom_wins(bom, enc):
    assert decode_bytes(bom + "naïve café".encode(enc), declared="iso-8859-1") == "naïve café"


def test_utf16_without_bom():
    text = "A plain note saved by Notepad as UTF-16."
    assert decode_bytes(text.encode("utf-16-le")) == text


def test_short_latin1_pound_sign_is_cp1252_not_a_guess():
    assert decode_bytes("Price: \xa315.8m".encode("latin-1")) == "Price: £15.8m"
    assert decode_bytes((FIXTURES / "latin1.txt").read_bytes()).startswith("Café prices rise")


def test_cp1252_curly_quotes_and_euro():
    raw = "“Quoted” costs €5 – really".encode("cp1252")
    assert decode_bytes(raw) == "“Quoted” costs €5 – really"


def test_declared_charset_is_used_when_clean():
    raw = "Привет, мир".encode("koi8-r")
    assert decode_bytes(raw, declared="koi8-r") == "Привет, мир"


def test_declared_latin1_means_windows_1252():
    assert decode_bytes(b"\x93quoted\x94", declared="ISO-8859-1") == "“quoted”"


def test_valid_utf8_beats_a_wrong_single_byte_declaration():
    assert decode_bytes("café".encode(), declared="iso-8859-1") == "café"


def test_bogus_declared_charset_is_ignored():
    assert decode_bytes("café".encode(), declared="no-such-charset") == "café"


@pytest.mark.parametrize("text,enc", [
    ("Привет, как дела? Это тест кодировки для проверки детектора.", "cp1251"),
    ("Zażółć gęślą jaźń, to jest polski tekst do sprawdzenia kodowania znaków.", "cp1250"),
    ("日本語のテキストです。エンコーディングのテストをしています。", "shift_jis"),
])
def test_non_western_falls_through_to_detector(text, enc):
    assert decode_bytes(text.encode(enc)) == text


def test_looks_western():
    assert looks_western("Le café coûte £3")
    assert not looks_western("Ïðèâåò, êàê äåëà")  # cp1251 read as cp1252
    assert not looks_western("Za¿ó³æ gêœl¹ jaŸñ")  # cp1250 read as cp1252


@pytest.mark.parametrize("data,kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"GIF89a\x01\x00", "GIF image"),
    (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
    (b"PK\x03\x04\x14\x00", "ZIP archive"),
    (b"\x1f\x8b\x08\x00", "gzip archive"),
])
def test_binary_magic_is_named(data, kind):
    with pytest.raises(ImportFailed, match=rf"looks like a binary file \({kind}"):
        decode_bytes(data + b"\x00" * 32, name="x.txt")


def test_nul_bytes_and_control_soup_are_binary():
    with pytest.raises(ImportFailed, match="binary"):
        decode_bytes(b"abc\x00\x01\x02\x03def" * 10)
    with pytest.raises(ImportFailed, match="binary"):
        decode_bytes(bytes(range(1, 32)) * 20)


def test_png_fixture_message():
    with pytest.raises(ImportFailed, match=r"image.txt looks like a binary file \(PNG image\), "
                                           r"not text"):
        decode_bytes((FIXTURES / "image.txt").read_bytes(), name="image.txt")


def test_sniff_meta_charset():
    assert sniff_meta_charset(b'<html><head><meta charset="windows-1252">') == "windows-1252"
    assert sniff_meta_charset(
        b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">') == "ISO-8859-1"
    assert sniff_meta_charset(b"<p>no declaration</p>") is None
