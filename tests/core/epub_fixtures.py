"""EPUBs built in the tests with zipfile (no committed binaries)."""
from __future__ import annotations

import zipfile
from pathlib import Path

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:1234</dc:identifier>
    <dc:title>{title}</dc:title>
    <dc:creator>Mary Shelley</dc:creator>
    <dc:language>en-GB</dc:language>
    <dc:date>1818-01-01</dc:date>
    <dc:subject>Gothic fiction</dc:subject>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
    <item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine><itemref idref="c1"/><itemref idref="c2"/></spine>
</package>"""

CH1 = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>One</title>
<script>alert(1)</script></head><body>
<h1>Letter 1</h1>
<p>You will rejoice to hear that no disaster has accompanied the commencement of an
enterprise which you have regarded with such evil forebodings.</p>
<blockquote><p>I am already far north of London.</p></blockquote>
<p>Visit <a href="https://example.org/frank">the site</a> or <a href="ch2.xhtml">chapter 2</a>
or <a href="javascript:alert(1)">this</a>.<img src="http://tracker.invalid/x.png"/></p>
</body></html>"""

CH2 = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Two</title></head><body>
<section><h2>Letter 2</h2><ul><li>a ship</li><li>a crew</li></ul>
<p>How slowly the time passes here, encompassed as I am by frost and snow.</p></section>
</body></html>"""


def make_epub(path: Path, *, title: str = "Frankenstein", extra: dict | None = None,
              opf: str | None = None, chapters: dict | None = None) -> Path:
    files = {"META-INF/container.xml": CONTAINER,
             "OEBPS/content.opf": opf if opf is not None else OPF.format(title=title),
             "OEBPS/nav.xhtml": "<html><body><nav><ol><li>Contents</li></ol></nav></body></html>",
             "OEBPS/text/ch1.xhtml": CH1, "OEBPS/text/ch2.xhtml": CH2,
             "OEBPS/style.css": "p { margin: 0 }"}
    files.update(chapters or {})
    files.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, body in files.items():
            zf.writestr(name, body)
    return path
