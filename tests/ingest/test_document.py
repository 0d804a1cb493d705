"""ingest: decoding, traditional → simplified conversion, channel, and the errors of load_document."""

from __future__ import annotations

import gzip
import hashlib

import opencc
import pytest

from recover.errors import InputMissingError, UnreadableInputError, UnsupportedFormatError
from recover.ingest import load_document
from recover.ingest.document import decode, to_simplified
from recover.layout.text.rows import rows_of_section
from recover.layout.text.sections import find_sections
from recover.model import Channel
from tests.conftest import CORPUS, source_of

SEED_002 = source_of(CORPUS / "seed_002" / "truth.json")  # tab-separated text, 2021 format
SEED_001 = source_of(CORPUS / "seed_001" / "truth.json")  # OCR markdown (file name without "ocr")
SIMPLIFIED_DOCS = ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004", "pingtan_2023",
                   "shanghai_office_2025", "shanghai_stc_2024", "shuyang_county_2025"]


def raw_lines(path) -> tuple[str, ...]:
    text = path.read_bytes().decode("utf-8-sig")
    return tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def table_labels(doc) -> list[str]:
    sec = find_sections(doc.text)["applications"]
    return [r.label for r in rows_of_section(doc.text, sec.start, sec.end, doc.channel) if r.filled]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_reencoded_corpus_file_gives_the_same_lines(tmp_path, encoding):
    text = SEED_002.read_text(encoding="utf-8")
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    p = tmp_path / "report.txt"
    p.write_bytes(data)
    doc = load_document(p)
    assert doc.lines == load_document(SEED_002).lines
    assert doc.lines == raw_lines(SEED_002)


def test_gb18030_bytes_are_not_valid_utf8_so_the_fallback_is_exercised():
    data = SEED_002.read_text(encoding="utf-8").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, SEED_002) == SEED_002.read_text(encoding="utf-8")


def test_crlf_line_endings_are_normalised(tmp_path):
    text = SEED_002.read_text(encoding="utf-8")
    p = tmp_path / "crlf.txt"
    p.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert load_document(p).lines == raw_lines(SEED_002)


def test_sha256_is_of_the_bytes_on_disk(tmp_path):
    doc = load_document(SEED_002)
    assert doc.sha256 == hashlib.sha256(SEED_002.read_bytes()).hexdigest()
    p = tmp_path / "gb.txt"
    p.write_bytes(SEED_002.read_text(encoding="utf-8").encode("gb18030"))
    assert load_document(p).sha256 != doc.sha256


def test_traditional_copy_is_converted_to_simplified(tmp_path):
    text = SEED_002.read_text(encoding="utf-8")
    trad = opencc.OpenCC("s2t").convert(text)
    assert "渠縣商務局" in trad and "總計" in trad  # the copy really is traditional
    p = tmp_path / "trad.txt"
    p.write_text(trad, encoding="utf-8")
    doc = load_document(p)
    assert doc.converted_traditional
    assert "渠县商务局" in doc.text and "渠縣" not in doc.text
    labels = table_labels(doc)
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert labels[-2:] == ["(七) 总计", "四、结转下年度继续办理"]
    assert "(三) 不予公开 1.属于国家秘密" in labels
    assert not any(ch in "".join(labels) for ch in "總計處請資訊開")


def test_traditional_copy_gives_back_the_original_labels(tmp_path):
    text = SEED_002.read_text(encoding="utf-8")
    p = tmp_path / "trad.txt"
    p.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    assert table_labels(load_document(p)) == table_labels(load_document(SEED_002))


@pytest.mark.parametrize("name", [
    n for n in SIMPLIFIED_DOCS])
def test_simplified_corpus_text_is_left_unchanged(name):
    src = source_of(CORPUS / name / "truth.json")
    doc = load_document(src)
    assert not doc.converted_traditional
    assert doc.lines == raw_lines(src)


def test_to_simplified_leaves_plain_simplified_snippet_alone():
    line = "一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"  # from seed 002
    assert to_simplified(line) == (line, False)


def test_channel_ocr_for_markdown_tables_and_text_for_tab_dump():
    assert load_document(SEED_001).channel is Channel.ocr
    assert load_document(SEED_002).channel is Channel.text


def test_channel_ocr_from_file_name(tmp_path):
    p = tmp_path / "scan_ocr.txt"
    p.write_bytes(SEED_002.read_bytes())
    assert load_document(p).channel is Channel.ocr


# --- errors -------------------------------------------------------------------------------------------


def test_empty_file_is_unreadable(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(UnreadableInputError) as exc:
        load_document(p)
    assert str(p) in exc.value.message() and "Remedy" in exc.value.message()


def test_whitespace_only_file_is_unreadable(tmp_path):
    p = tmp_path / "blank.md"
    p.write_text(" \n\t\n\u3000\n", encoding="utf-8")
    with pytest.raises(UnreadableInputError):
        load_document(p)


def test_missing_file(tmp_path):
    p = tmp_path / "nope.txt"
    with pytest.raises(InputMissingError) as exc:
        load_document(p)
    assert exc.value.path == str(p)


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".xyz"])
def test_unsupported_suffixes(tmp_path, suffix, monkeypatch):
    import recover.ingest.convert as convert

    monkeypatch.setattr(convert, "office", lambda: None)  # .doc/.wps are read only through LibreOffice
    p = tmp_path / f"report{suffix}"
    p.write_bytes(SEED_002.read_bytes())
    with pytest.raises(UnsupportedFormatError):
        load_document(p)


@pytest.mark.parametrize("suffix", [".pdf", ".PDF"])
def test_text_named_pdf_is_a_damaged_pdf(tmp_path, suffix):
    p = tmp_path / f"report{suffix}"
    p.write_bytes(SEED_002.read_bytes())
    with pytest.raises(UnreadableInputError) as exc:
        load_document(p)
    assert "PDF" in exc.value.message()


def test_folder_is_not_a_report(tmp_path):
    with pytest.raises(UnsupportedFormatError):
        load_document(tmp_path)


def test_binary_with_nul_bytes_is_unreadable(tmp_path):
    p = tmp_path / "report.txt"
    p.write_bytes(gzip.compress(SEED_002.read_bytes(), mtime=0))
    with pytest.raises(UnreadableInputError):
        load_document(p)


def test_bytes_of_no_known_encoding_are_unreadable(tmp_path):
    p = tmp_path / "report.txt"
    p.write_bytes(b"\xff\xfd" + b"\xff" * 64)  # no NUL, invalid in UTF-8 and GB18030, no UTF-16 BOM
    with pytest.raises(UnreadableInputError):
        load_document(p)


def test_utf16_without_bom_is_rejected_not_misread(tmp_path):
    p = tmp_path / "report.txt"
    p.write_bytes(SEED_002.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(UnreadableInputError):
        load_document(p)


def test_garbled_text_layer_is_detected_per_page(tmp_path):
    """A font without a ToUnicode map garbles its page's text layer: that page is unreadable as text,
    the others are read normally (scripts/garble_pdf.py strips the map from chosen pages)."""
    import subprocess
    import sys

    from recover.ingest.pdf import read_pdf_text
    from tests.conftest import CORPUS, ROOT

    out = tmp_path / "garbled.pdf"
    subprocess.run([sys.executable, str(ROOT / "scripts/garble_pdf.py"),
                    str(CORPUS / "hongze_district_2023/hongze_district_2023.pdf"), str(out), "1"], check=True)
    pdf = read_pdf_text(out)
    assert [p for p, _ in pdf.unreadable] == [1]
    assert "garbled" in pdf.unreadable[0][1]
    assert 1 not in pdf.pages and {2, 3, 4} <= set(pdf.pages)


def test_radical_characters_of_a_pdf_font_read_as_ideographs():
    from recover.ingest.document import fold_radicals, to_simplified

    printed = "⼀、本年新收政府信息公开申请数量 ⼈ ⾏政"  # Kangxi radicals U+2F00, U+2F08, U+2F8F from a ToUnicode map
    folded = fold_radicals(printed)
    assert folded == "一、本年新收政府信息公开申请数量 人 行政" and len(folded) == len(printed)
    assert to_simplified(printed)[0] == folded
