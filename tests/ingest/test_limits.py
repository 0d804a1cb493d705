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


def test_a_docx_part_inflating_a_thousandfold_is_refused_within_the_size_limit(tmp_path, monkeypatch):
    """50 MB of zeros deflate to 50 kB: within RECOVER_MAX_INFLATED_MB, past RECOVER_MAX_ZIP_RATIO."""
    bomb = tmp_path / "bomb.docx"
    shutil.copy(DOCX, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/padding.bin", b"\0" * (50 * 2**20))
    with pytest.raises(UnreadableInputError) as err:
        load_document(bomb)
    assert "RECOVER_MAX_ZIP_RATIO" in err.value.message() and "word/media/padding.bin" in err.value.message()
    monkeypatch.setenv("RECOVER_MAX_ZIP_RATIO", "100000")
    assert _cells(extract(str(bomb))) == _cells(extract(str(DOCX)))  # raised: read as the report it is


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


HTML = next((CORPUS / "huaian_city_2024_html_gbk").glob("*.htm*"))


def _nested(depth: int) -> bytes:
    """The corpus web page with its body wrapped in ``depth`` unclosed <div> elements."""
    data = HTML.read_bytes()
    at = data.lower().index(b"<body") + data[data.lower().index(b"<body"):].index(b">") + 1
    return data[:at] + b"<div>" * depth + data[at:]


def test_a_page_nested_past_the_depth_limit_is_refused_naming_the_limit(tmp_path):
    """libxml2 drops what is nested past its limit (the tables): refused with exit 4, not 'no tables found'."""
    bomb = tmp_path / "nested.html"
    bomb.write_bytes(_nested(100_000))
    with pytest.raises(UnreadableInputError) as raised:
        extract(str(bomb))
    assert raised.value.exit_code == 4 and "RECOVER_MAX_DEPTH" in raised.value.message()


def test_a_page_nested_within_a_raised_depth_limit_is_read(tmp_path, monkeypatch):
    """Past libxml2's default (256) the parser reads deeper when the limit is raised, and the reader walks the
    page without recursion; the tables come out as from the page as published."""
    deep = tmp_path / "deep.html"
    deep.write_bytes(_nested(1500))
    with pytest.raises(UnreadableInputError):
        extract(str(deep))
    monkeypatch.setenv("RECOVER_MAX_DEPTH", "2000")
    assert _cells(extract(str(deep))) == _cells(extract(str(HTML)))


SEED = CORPUS / "seed_000" / "000_c065b0c281ef9ff9.txt"


@pytest.mark.parametrize(("figure", "table"), [(0, "proactive"), (40, "applications"), (-3, "review_litigation")])
def test_a_run_of_thousands_of_digits_is_no_figure_and_flagged(tmp_path, figure, table):
    """(Past Python's 4,300-digit conversion limit, and past what SQLite and JSON readers hold.) The cell holding
    it is flagged with the run's length, or set by the rules; every other cell as in the report."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    at = [i for i, ln in enumerate(lines) if ln.strip().isdigit()][figure]
    lines[at] = lines[at].replace(lines[at].strip(), "7" * 5000)
    damaged = tmp_path / "digits.txt"
    damaged.write_text("\n".join(lines), encoding="utf-8")
    got, want = extract(str(damaged)), extract(str(SEED))
    hit = [c for c in got.cells if c.observed == "7" * 5000]
    assert len(hit) == 1 and hit[0].key[0] == table and hit[0].status.value in ("missing", "inferred")
    assert "5,000 characters" in hit[0].reason
    assert all(isinstance(c.value, int | float | None) and abs(c.value or 0) < 10**15 for c in got.cells)
    assert [(c.key, c.value) for c in got.cells if c is not hit[0]] == \
        [(c.key, c.value) for c in want.cells if c.key != hit[0].key]


def test_a_glued_run_past_the_digit_limit_is_not_cut(monkeypatch):
    from recover.read.values import split_runs

    run = "1" * 70
    assert split_runs(run, 7) == []
    monkeypatch.setenv("RECOVER_MAX_DIGITS", "80")
    assert split_runs("1" * 70, 7)  # (within seven figures of 15 digits)
