"""Ruled tables of born-digital PDF pages through Camelot's lattice flavour.

Camelot finds each table's grid from its ruling lines (spanning cells included) and assigns the page's
words to cells. Each grid row is kept as its cells (``model.CellRead``: grid position, the cell's box in PDF
points with the origin at the bottom-left, its text; a spanning cell's text once, in its first column, blanks in
their columns), and stands in the page's lines as one line, its cells' text between tabs, for the section finder
and the narrative (the rows are read from the cells, never from that line). The page text above, between and below
the tables (headings, narrative) is taken from the text layer inside those bands, so each table sits
where it is printed. Pages without a ruled table are left to the text layer (the caller's fallback).
"""

from __future__ import annotations

import logging
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from recover.catalogue import load_catalogue
from recover.model import CellRead, Origin, row_line
from recover.read.values import SPACE

MIN_ROWS = 2  # a "table" of fewer rows is a ruled box around text, not a statistical table (unless it is a row of
# figures carried over from the page before: ``_carried_row``)
MIN_COLS = 2


@dataclass
class LatticePage:
    """A page's lines with its ruled tables read through their grids: each grid row one line, its cells (``CellRead``:
    grid position, box in PDF points, text) under the line's number in ``rows``."""

    page: int
    lines: list[str] = field(default_factory=list)
    rows: dict[int, tuple[CellRead, ...]] = field(default_factory=dict)


def cell_text(text: str) -> str:
    """A cell's words on one line: wrapped lines and one-character-per-line vertical labels joined."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    joined = ""
    for p in parts:  # keep a space between two numbers or Latin words, none inside Han text
        if joined and re.match(r"[\dA-Za-z]", p) and re.search(r"[\dA-Za-z]$", joined):
            joined += " "
        joined += p
    return SPACE.sub(" ", joined).strip()


STANDALONE_NUMBER = re.compile(r"(?<![\d.])\d{1,9}(?:\.\d+)?(?![\d.])")
MIN_NUMBERS = 8  # standalone numbers a page of a statistical table prints at least
MIN_LABELS = 2  # catalogue labels (column headers, row labels) it prints at least


@lru_cache(maxsize=1)
def _catalogue_labels() -> tuple[str, ...]:
    cat = load_catalogue()
    labels = {re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、]?", "", x.label)
              for t in cat.tables.values() for x in (*t.columns, *t.rows)}
    return tuple(sorted(lb for lb in labels if len(lb) >= 3))


def table_pages(text_by_page: dict[int, str]) -> list[int]:
    """Pages worth a ruled-table search (Camelot costs about half a second a page): those printing at least
    MIN_LABELS labels of the catalogue's tables and MIN_NUMBERS numbers, or following such a page (a table's
    continuation, whose few rows may print few figures: zeros left blank) and printing those labels or opening
    with a line of no words (a last row carried over alone: its figures, or only blanks and the page number)."""
    out: list[int] = []
    for no, text in sorted(text_by_page.items()):
        flat = SPACE.sub("", text)
        if sum(lb in flat for lb in _catalogue_labels()) >= MIN_LABELS and (
                len(STANDALONE_NUMBER.findall(text)) >= MIN_NUMBERS or no - 1 in out):
            out.append(no)
        elif no - 1 in out and _opens_without_words(text):
            out.append(no)  # a table's last row carried over alone: figures (or blanks), then the next section
    return out


def _opens_without_words(text: str) -> bool:
    """Whether a page's first printed line holds no words: the figures of a table row carried over to it (its
    labels left blank or on the page before), or nothing of a row whose zeros are left blank but its page number."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    return not re.search(r"[\u4e00-\u9fffA-Za-z]", first)


RENDER_DPI = 150  # ruling lines of 0.5 pt and more stay ≥ 1 px; a quarter of the pixels of Camelot's 300 dpi


class _Renderer:
    """Camelot image backend rendering a page of the open document ``pdf`` (the one Camelot reads, or its unlocked
    copy: the same pages) with pypdfium2 at RENDER_DPI, straight to a BGR array. One open document serves the
    rendering and the text of every page: pdfium parses a page's fonts and resources once a document (a CJK page's
    first load takes 7-15 ms, a second one 1 ms)."""

    def __init__(self, pdf, dpi: int = RENDER_DPI):
        self.pdf = pdf
        self.dpi = dpi

    def to_array(self, pdf_path: str, page: int = 1):
        import numpy as np

        rgb = self.pdf[page - 1].render(scale=self.dpi / 72).to_numpy()[..., :3]
        return np.ascontiguousarray(rgb[..., ::-1] if rgb.shape[-1] == 3 else rgb)

    def convert(self, pdf_path: str, png_path: str, page: int = 1) -> None:
        import cv2

        cv2.imwrite(png_path, self.to_array(pdf_path, page))


def lattice_pages(path: Path, pages: list[int]) -> dict[int, LatticePage]:
    """The given 1-based pages that hold at least one ruled table, as lines (see module doc)."""
    if not pages:
        return {}
    import camelot
    import pypdfium2 as pdfium

    logging.getLogger("camelot").setLevel(logging.ERROR)
    pdf = pdfium.PdfDocument(str(path))
    try:
        with warnings.catch_warnings(), _unlocked(pdf, path) as readable:
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(readable), pages=",".join(map(str, pages)), flavor="lattice",
                                      backend=_Renderer(pdf), split_text=True, suppress_stdout=True)
        return _pages_of(pdf, tables, pages)
    finally:
        pdf.close()


def _pages_of(pdf, tables, pages: list[int]) -> dict[int, LatticePage]:
    """The pages holding a table of ``tables`` (Camelot's), read as lines (see module doc)."""
    by_page: dict[int, list] = {}
    for t in tables:
        rows, cols = t.shape
        if rows >= MIN_ROWS and cols >= MIN_COLS or rows == 1 and cols >= MIN_COLS and _carried_row(t, pages):
            by_page.setdefault(int(t.page), []).append(t)
    if not by_page:
        return {}
    out: dict[int, LatticePage] = {}
    for no, found in sorted(by_page.items()):
        page = pdf[no - 1]
        width, height = page.get_width(), page.get_height()
        textpage = page.get_textpage()
        lp = LatticePage(no)
        top = height
        for t in sorted(found, key=lambda t: -t._bbox[3]):  # top to bottom
            x1, y1, x2, y2 = t._bbox
            _band(lp, textpage.get_text_bounded(0, y2, width, top))
            for r, row in enumerate(t.cells):
                cells = tuple(CellRead(r, k, (float(c.x1), float(c.y1), float(c.x2), float(c.y2)), Origin.pdf,
                                       cell_text(c.text)) for k, c in enumerate(row))
                lp.rows[len(lp.lines)] = cells
                lp.lines.append(row_line(cells))
            lp.lines.append("")
            top = y1
        _band(lp, textpage.get_text_bounded(0, 0, width, top))
        out[no] = lp
    return out


@contextmanager
def _unlocked(pdf, path: Path) -> Iterator[Path]:
    """``path`` (``pdf``: that file open), or, for an encrypted PDF anyone can open (an owner password only: copy
    protection, common among government reports), a temporary copy saved without its security handler: Camelot
    refuses the words of a PDF whose permissions forbid extracting text, and pdfium already reads it."""
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) < 0:  # (-1: not encrypted)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="recover-") as tmp:
        copy = Path(tmp) / "unlocked.pdf"
        pdf.save(str(copy), flags=pdfium_c.FPDF_REMOVE_SECURITY)
        yield copy


def _carried_row(table, pages: list[int]) -> bool:
    """Whether a one-row ruled table is a table's row carried over: on a page that follows a searched page, and
    every cell holding a figure or nothing (a ruled box around words is no table)."""
    texts = [cell_text(c.text) for c in table.cells[0]]
    return int(table.page) - 1 in pages and all(not t or STANDALONE_NUMBER.fullmatch(t) for t in texts)


def _band(lp: LatticePage, text: str) -> None:
    for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lp.lines.append(ln)
