"""PDFs built in the tests with reportlab (BSD): a paper with a running header, page numbers,
headings and hyphenated line ends, laid out line by line so we know exactly what is on the page."""
from __future__ import annotations

import textwrap
from pathlib import Path

WORDS = ("reading notebook library passage highlight anchor context quote archive article "
         "paragraph heading structure chapter summary evidence question definition").split()


def paragraph(seed: int, n_words: int = 60) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n_words)).capitalize() + "."


def make_paper(path: Path, *, pages: int = 3, title: str = "Reading in Layers",
               author: str = "Ada Example", meta_title: str | None = None,
               hyphen_word: tuple[str, str] = ("recog", "nised"),
               encrypt: str | None = None, meta_author: str | None = None) -> list[str]:
    """Write a paper; returns the paragraphs' expected texts (joined, de-hyphenated)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    enc = None
    if encrypt:
        from reportlab.lib import pdfencrypt
        enc = pdfencrypt.StandardEncryption(encrypt, canPrint=0)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=enc)
    c.setTitle(title if meta_title is None else meta_title)
    c.setAuthor(author if meta_author is None else meta_author)
    w, h = A4
    expected: list[str] = []
    for p in range(pages):
        c.setFont("Helvetica", 8)
        c.drawString(72, h - 40, "Journal of Careful Reading, vol. 3")  # running header
        c.drawCentredString(w / 2, 30, str(p + 1))  # page number
        y = h - 90
        if p == 0:
            c.setFont("Helvetica-Bold", 20)
            c.drawString(72, y, title)
            y -= 28
            if author:
                c.setFont("Helvetica", 11)
                c.drawString(72, y, author)
                y -= 30
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, f"Section {p + 1}")
        y -= 24
        for k in range(3):
            text = paragraph(p * 3 + k)
            lines = textwrap.wrap(text, 80)
            if k == 0:  # a hyphenated line end in the first paragraph of each page
                lines[0] = lines[0] + f" {hyphen_word[0]}-"
                lines[1] = f"{hyphen_word[1]} " + lines[1]
                text = " ".join(lines).replace(f"{hyphen_word[0]}- {hyphen_word[1]}",
                                               "".join(hyphen_word))
            c.setFont("Times-Roman", 11)
            for ln in lines:
                c.drawString(72, y, ln)
                y -= 14
            y -= 10
            expected.append(text)
        c.showPage()
    c.save()
    return expected


def make_scanned(path: Path) -> None:
    """A PDF with only a drawing (no text layer), like a scan."""
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()


def make_book(path: Path, pages: int = 200) -> None:
    """A long text PDF (for the benchmark and the page-count tests): ~45 lines a page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("A Long Book")
    _, h = A4
    for p in range(pages):
        y = h - 72
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, f"Chapter {p + 1}")
        y -= 24
        c.setFont("Times-Roman", 11)
        k = 0
        while y > 90:
            for ln in textwrap.wrap(paragraph(p * 11 + k, 70), 85):
                c.drawString(72, y, ln)
                y -= 14
            y -= 8
            k += 1
        c.drawCentredString(300, 40, str(p + 1))
        c.showPage()
    c.save()


def make_manual(path: Path) -> None:
    """Six pages in two-page chapters, each page with a running head naming its chapter and
    page ("Chapter 2: Utilities 4"), a bullet list with a wrapped item and a Courier code line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Manual")
    _, h = A4
    for p in range(6):
        chapter = p // 2 + 1
        c.setFont("Helvetica", 9)
        c.drawString(72, h - 40, f"Chapter {chapter}: Part {'ABC'[chapter - 1]} {p + 1}")
        y = h - 100
        c.setFont("Times-Roman", 11)
        c.drawString(72, y, f"Page {p + 1} introduces the following points about the topic.")
        y -= 20
        c.drawString(72, y, "• The first point is short.")
        y -= 14
        c.drawString(72, y, "• The second point is long enough that it wraps onto a second")
        y -= 14
        c.drawString(84, y, "line, indented under the text of the bullet.")
        y -= 20
        c.setFont("Courier", 10)
        c.drawString(72, y, "run --fast input.txt")
        y -= 20
        c.setFont("Times-Roman", 11)
        c.drawString(72, y, "That command reads the input quickly and writes nothing.")
        c.showPage()
    c.save()
