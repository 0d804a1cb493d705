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
