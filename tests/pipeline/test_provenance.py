"""Per-cell provenance of PDF inputs: page and box in PDF points, checked against the page's own text."""

from __future__ import annotations

import pypdfium2 as pdfium

from recover.pipeline import extract
from tests.conftest import CORPUS

HUAIAN = CORPUS / "huaian_city_2024" / "huaian_city_2024.pdf"


def test_text_layer_cells_carry_the_box_of_their_printed_figure():
    ex = extract(str(HUAIAN))
    pdf = pdfium.PdfDocument(str(HUAIAN))
    read = [c for c in ex.cells if c.observed]
    assert read and all(c.page and c.bbox for c in read)
    wrong = []
    for c in read:
        left, bottom, right, top = c.bbox
        inside = pdf[c.page - 1].get_textpage().get_text_bounded(left - 0.5, bottom - 0.5, right + 0.5, top + 0.5)
        if inside.strip() != c.observed:
            wrong.append((c.key, c.page, c.observed, inside))
    assert not wrong, wrong[:5]


def test_lattice_cells_carry_their_grid_box_on_the_page():
    doc = CORPUS / "huaian_city_2024_pdf_blank_zeros" / "huaian_city_2024_blank_zeros.pdf"
    ex = extract(str(doc))
    assert ex.lattice_pages
    pdf = pdfium.PdfDocument(str(doc))
    figures = [c for c in ex.cells if c.observed and c.table == "applications"]
    assert figures and all(c.bbox for c in figures)
    for c in figures:
        left, bottom, right, top = c.bbox
        inside = pdf[c.page - 1].get_textpage().get_text_bounded(left, bottom, right, top)
        assert c.observed in inside.replace("\r\n", " "), (c.key, c.observed, inside)


def test_a_ruled_pdfs_grid_cells_are_typed_records_in_pdf_points():
    """Each grid row of a ruled table read through its grid is a row of ``CellRead``: grid position, text, box in
    PDF points (origin bottom-left) holding that text on the page; the figures of the extraction keep their cell's
    record and its coordinate system."""
    from recover.ingest import load_document
    from recover.model import CellRead, Origin

    doc_path = CORPUS / "huaian_city_2024_pdf_blank_zeros" / "huaian_city_2024_blank_zeros.pdf"
    doc = load_document(str(doc_path), ruled_tables=True)
    rows = doc.grid_rows or {}
    assert rows and all(isinstance(c, CellRead) and c.origin is Origin.pdf for row in rows.values() for c in row)
    assert all([c.col for c in row] == list(range(len(row))) for row in rows.values())
    pdf = pdfium.PdfDocument(str(doc_path))
    figures = [(line, c) for line, row in rows.items() for c in row if c.text.isdigit()]
    assert figures
    missed = []
    for line, c in figures:
        left, bottom, right, top = c.box
        inside = pdf[doc.line_pages[line] - 1].get_textpage().get_text_bounded(left, bottom, right, top)
        if c.text not in inside.replace("\r\n", " "):
            missed.append((line, c.col, c.text, inside))
    # (Camelot gives a cell spanning columns the box of its first grid position: table 二's single figures)
    assert len(missed) <= 0.1 * len(figures), missed
    ex = extract(str(doc_path))
    read = [c for c in ex.cells if c.table == "applications" and c.observed]
    assert read and all(c.tokens[0].cell is not None and c.bbox == c.tokens[0].cell.box and c.origin is Origin.pdf
                        for c in read)


def test_a_scans_grid_cells_carry_confidence_and_ink_in_pixels():
    """A scan's grid cells: boxes in pixels of the page (origin top-left), the engine's confidence in each reading,
    and blank cells seen without ink (printed blanks) told from cells whose reading was lost."""
    from recover.ingest import load_document
    from recover.model import Origin

    scan = next((CORPUS / "huaian_city_2024_scan").glob("*.pdf"))
    doc = load_document(str(scan))
    cells = [c for row in (doc.grid_rows or {}).values() for c in row]
    assert cells and all(c.origin is Origin.pixels for c in cells)
    figures = [c for c in cells if c.text.isdigit()]
    assert figures and all(c.confidence is not None and 0.0 <= c.confidence <= 1.0 for c in figures)
    assert all(not c.text.strip() for c in cells if c.empty)
    assert doc.line_boxes  # the text lines outside the tables keep their boxes
    result = extract(str(scan))
    boxed = [c for c in result.cells if c.observed and c.bbox]
    assert boxed and all(c.bbox[0] < c.bbox[2] and c.bbox[1] < c.bbox[3] for c in boxed)  # (pixels: y downwards)
    assert all(c.origin is Origin.pixels for c in boxed)
    # the figure's grid cell record reaches the cell: the engine's confidence in the reading the repair weighed
    assert all(c.tokens[0].cell is not None and c.tokens[0].conf == c.tokens[0].cell.confidence
               for c in boxed if c.tokens[0].col is not None)
