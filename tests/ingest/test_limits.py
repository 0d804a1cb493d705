"""Limits inside the readers (recover/ingest/limits.py): past one, the part within it is read and the rest listed,
or the input is refused with exit 4 naming the limit and the variable that raises it; a damaged DOCX part the
tables do not need does not lose the report."""

from __future__ import annotations

import shutil
import zipfile

import pypdfium2 as pdfium
import pytest
from PIL import Image

from recover.errors import UnreadableInputError
from recover.ingest import load_document
from recover.ingest.pdf import read_pdf_text
from recover.pipeline import extract
from tests.conftest import CORPUS

DOCX = CORPUS / "huaian_city_2024_docx" / "huaian_city_2024_filled_template.docx"
PDF = CORPUS / "huaian_city_2024" / "huaian_city_2024.pdf"


def _cells(ex) -> list:
    return [(c.key, c.value, c.status) for c in ex.cells]


def test_pages_past_the_page_limit_are_listed_not_read(monkeypatch):
    monkeypatch.setenv("RECOVER_MAX_PAGES", "2")
    text = read_pdf_text(PDF)
    total = len(pdfium.PdfDocument(str(PDF)))
    assert set(text.pages) <= {1, 2} and total > 2
    (first, why), = text.skipped
    assert first == 3 and f"pages 3-{total} not read" in why and "RECOVER_MAX_PAGES" in why


def test_a_blank_page_bomb_renders_only_the_pages_within_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("RECOVER_MAX_PAGES", "3")
    pdf = pdfium.PdfDocument.new()
    for _ in range(400):
        pdf.new_page(595, 842)
    bomb = tmp_path / "blank.pdf"
    pdf.save(str(bomb))
    doc = load_document(bomb)
    assert doc.kind == "scan" and len(doc.lines) <= 1
    assert doc.skipped_pages[-1][0] == 4 and "pages 4-400 not read" in doc.skipped_pages[-1][1]


def test_an_image_over_the_pixel_limit_is_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("RECOVER_MAX_PIXELS", "10000")
    page = tmp_path / "page.png"
    Image.new("L", (200, 200), 255).save(page)
    with pytest.raises(UnreadableInputError) as err:
        load_document(page)
    assert "RECOVER_MAX_PIXELS" in err.value.message() and "page.png" in err.value.message()


def test_a_docx_inflating_past_the_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.docx"
    shutil.copy(DOCX, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/padding.bin", b"\0" * (3 * 2**20))
    monkeypatch.setenv("RECOVER_MAX_INFLATED_MB", "2")
    with pytest.raises(UnreadableInputError) as err:
        load_document(bomb)
    assert "RECOVER_MAX_INFLATED_MB" in err.value.message()


def test_a_docx_whose_styles_part_is_damaged_is_read_from_its_document_part(tmp_path):
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_STORED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
    data = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as z:
        styles = z.getinfo("word/styles.xml")
    start = styles.header_offset + 30 + len(styles.filename.encode()) + len(styles.extra)
    data[start + 200] ^= 0xFF  # a flipped byte inside the stored styles part: its checksum fails
    damaged.write_bytes(bytes(data))
    with zipfile.ZipFile(damaged) as z, pytest.raises(zipfile.BadZipFile):
        z.read("word/styles.xml")
    assert _cells(extract(str(damaged))) == _cells(extract(str(DOCX)))


def test_a_table_cell_spanning_a_million_columns_is_read_as_spanning_the_limit(tmp_path):
    wide = tmp_path / "wide.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b'<w:gridSpan w:val="', b'<w:gridSpan w:val="1000000', 1)
            out.writestr(info.filename, data)
    doc = load_document(wide)
    assert doc.grid_rows and max(len(row) for row in doc.grid_rows.values()) <= 200
