"""Load a report file into a ``Document`` (kind, sha256, text lines).

Text dumps of any origin (.txt, .md, web-page text, OCR markdown) are decoded (UTF-8, UTF-16 with BOM,
GB18030), and traditional-character mirror pages are converted to simplified characters with OpenCC.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from recover.errors import InputMissingError, UnreadableInputError, UnsupportedFormatError
from recover.ingest.scan import IMAGE_SUFFIXES
from recover.model import CellRead, Channel, Origin
from recover.read.values import HAN

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv", ".tsv", ""}
LATER_SUFFIXES = {".doc": "doc", ".wps": "wps"}  # old binary Word/WPS files
OCR_MARKERS = ("ocr",)


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    kind: str  # text | html | docx | pdf | scan
    lines: tuple[str, ...]
    channel: Channel
    converted_traditional: bool = False
    line_pages: tuple[int, ...] | None = None  # page of each line (paginated inputs)
    # line -> the cells of the table grid row that line stands for (``CellRead``: position, box and its origin,
    # text, confidence, other readings, seen without ink): scans, a PDF's ruled tables and OCR'd pages, DOCX and HTML
    # tables. The line holds the cells' text between tabs for the section finder; the rows are read from the cells.
    grid_rows: dict[int, tuple[CellRead, ...]] | None = None
    line_boxes: dict[int, tuple[float, float, float, float]] | None = None  # line -> box of a scanned text line
    unreadable_pages: tuple[tuple[int, str], ...] = ()  # (page, why) of pages that could not be read
    ocr_pages: tuple[tuple[int, str], ...] = ()  # (page, why) of PDF pages read by OCR instead of their text layer
    line_channels: tuple[Channel, ...] | None = None  # channel of each line, when they differ (mixed PDFs)
    lattice_pages: tuple[int, ...] = ()  # PDF pages whose ruled tables were read through Camelot's lattice
    skipped_pages: tuple[tuple[int, str], ...] = ()  # (page, why) of scanned pages not read (after the tables)
    # per line, the PDF box (points) of each of its characters, for lines of a PDF's text layer
    char_boxes: tuple[tuple[tuple[float, float, float, float] | None, ...] | None, ...] | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@lru_cache(maxsize=1)
def _t2s():  # OpenCC loads its dictionaries once
    import opencc

    return opencc.OpenCC("t2s")


def decode(data: bytes, path: Path) -> str:
    """Decode bytes of a text report; raise UnreadableInputError when no known encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise UnreadableInputError(path, "binary content (NUL bytes) where text was expected")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableInputError(path, "the bytes are neither UTF-8, UTF-16 nor GB18030 text")


# Frequent characters that exist only in traditional script; a text with none of them is simplified.
TRADITIONAL_HINTS = re.compile("[資訊開報數據與關於機構處這個們為會來時發過還樣當麼網頁後區縣請結轉總計複議訴訟審產規範執務費稅統辦須條項]")  # noqa: E501


# Kangxi radicals and CJK radical forms that some PDF fonts' ToUnicode maps give for the ideographs they look like
# (⼀ U+2F00 for 一, ⼈ U+2F08 for 人, ⾏ U+2F8F for 行): the ideograph each stands for under NFKC, one character for
# one, so offsets and character boxes hold
RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2E80, 0x2FE0)
            if len(unicodedata.normalize("NFKC", chr(cp))) == 1 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)}

RADICAL_CHAR = re.compile("[\u2e80-\u2fdf]")


def fold_radicals(text: str) -> str:
    """``text`` with radical characters (``RADICALS``) read as the ideographs they stand for."""
    return text.translate(RADICALS) if RADICAL_CHAR.search(text) else text


def simplified(text: str) -> str:
    """A short text (a name) in simplified characters, whatever it was written in (``to_simplified`` decides for a
    whole document, from how many characters are traditional)."""
    return _t2s().convert(fold_radicals(text))


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert a traditional-character text to simplified (radical characters folded first, ``fold_radicals``);
    leave simplified text untouched."""
    text = fold_radicals(text)
    if len(TRADITIONAL_HINTS.findall(text)) < 5:
        return text, False
    han = len(HAN.findall(text))
    if han == 0:
        return text, False
    converted = _t2s().convert(text)
    changed = sum(map(str.__ne__, text, converted))  # (characters that differ, position by position)
    if len(converted) == len(text) and changed < max(5, 0.02 * han):
        return text, False
    return converted, True


def _simplified(rows: dict[int, tuple[CellRead, ...]], converted: bool) -> dict[int, tuple[CellRead, ...]]:
    """Grid rows with their cells' text as the lines they stand for read (``to_simplified``): radical characters
    folded, and in simplified characters when the document's text was converted."""
    def text(t: str) -> str:
        t = fold_radicals(t)
        return _t2s().convert(t) if converted else t

    return {ln: tuple(replace(c, text=t) if (t := text(c.text)) != c.text else c for c in row)
            for ln, row in rows.items()}


KINDS = ("text", "html", "docx", "pdf", "image", "doc")  # what ``kind`` may force (recover.batch.kinds sniffs it)


def load_document(path: Path | str, kind: str | None = None, ruled_tables: bool = False) -> Document:
    """Read one report file. Raises a RecoverError subclass naming the file and the remedy.

    The file's kind comes from its suffix unless ``kind`` (one of ``KINDS``, as sniffed from the content by
    the batch command) says otherwise. ``ruled_tables``: read the ruled tables of a PDF's table pages
    through Camelot's lattice (their grid, blank cells in place) instead of the text layer's lines; the
    text layer still gives the other text."""
    p = Path(path)
    if not p.exists():
        raise InputMissingError(p, "no such file")
    if kind is not None:
        return _load_kind(p, kind, ruled_tables)
    if p.is_dir():
        if any(q.suffix.lower() in IMAGE_SUFFIXES for q in p.iterdir()):
            return _load_scan(p)  # a folder of page images: one scanned report
        raise UnsupportedFormatError(p, "is a folder; give a report file (the batch command takes folders)")
    suffix = p.suffix.lower()
    if suffix in LATER_SUFFIXES:
        return _load_converted(p, LATER_SUFFIXES[suffix])
    if suffix in (".docx", ".html", ".htm"):
        return _load_structured(p, suffix)
    if suffix == ".pdf":
        return _load_pdf(p, ruled_tables)
    if suffix in IMAGE_SUFFIXES:
        return _load_scan(p)
    if suffix not in TEXT_SUFFIXES:
        raise UnsupportedFormatError(p, f"unknown file type '{suffix}'")
    return _load_text(p)


def _load_kind(p: Path, kind: str, ruled_tables: bool = False) -> Document:
    if kind == "doc":
        return _load_converted(p, "Word/WPS (OLE2)")
    if kind in ("docx", "html"):
        return _load_structured(p, "." + kind)
    if kind == "pdf":
        return _load_pdf(p, ruled_tables)
    if kind == "image":
        return _load_scan(p)
    if kind == "text":
        return _load_text(p)
    raise UnsupportedFormatError(p, f"unknown file kind '{kind}'")


def _load_text(p: Path) -> Document:
    data = _read(p)
    text = decode(data, p)
    if not text.strip():
        raise UnreadableInputError(p, "the file is empty")
    text, converted = to_simplified(text)
    channel = Channel.ocr if any(m in p.name.lower() for m in OCR_MARKERS) or _looks_ocr(text) else Channel.text
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return Document(path=str(p), sha256=hashlib.sha256(data).hexdigest(), kind="text", lines=lines,
                    channel=channel, converted_traditional=converted)


def _looks_ocr(text: str) -> bool:
    """Markdown pipe tables with separator rows are what OCR-to-markdown engines print."""
    return text.count("|---") >= 3 or "<table" in text.lower()


def _load_pdf(p: Path, ruled_tables: bool) -> Document:
    """A PDF, page by page: its text layer; with ``ruled_tables``, the ruled tables of its table pages
    through Camelot's lattice (their grid, blanks in place) and the text layer around them; pages without
    a usable text layer (scanned, or fonts without a ToUnicode map) rendered and read by OCR. Each line
    keeps its page, its channel and, in a table, its cell's box."""
    from recover.ingest.pdf import read_pdf_text
    from recover.layout.pdf.lattice import lattice_pages, table_pages

    data = _read(p)
    pdf = read_pdf_text(p)
    if not pdf.lines:  # no page has a text layer: a scanned PDF
        return _load_scan(p, data, pdf=True)
    text_lines: dict[int, list[str]] = {}
    text_boxes: dict[int, list] = {}
    for ln, no, bx in zip(pdf.lines, pdf.pages, pdf.char_boxes):
        text_lines.setdefault(no, []).append(ln)
        text_boxes.setdefault(no, []).append(bx)
    lattice = lattice_pages(p, table_pages({no: "\n".join(lns) for no, lns in text_lines.items()})) \
        if ruled_tables else {}
    why = dict(pdf.unreadable)
    ocr = {}
    if why:
        from recover.ingest.scan import pixel_box_to_points, render_pdf
        from recover.layout.scan.scan_text import page_text

        rendered = render_pdf(p, sorted(why))
        heights = {no: image.shape[0] for no, image in rendered}
        ocr = {no: page_text(no, image) for no, image in rendered}
    lines: list[str] = []
    pages: list[int] = []
    channels: list[Channel] = []
    grid_rows: dict[int, tuple[CellRead, ...]] = {}
    line_boxes: dict[int, tuple[float, float, float, float]] = {}
    char_boxes: list = []
    for no in sorted(set(text_lines) | set(ocr)):
        base = len(lines)
        channel = Channel.text
        if no in ocr:  # (a page footer stays a line of its own: the rows read it as a page number)
            page_lines, channel = ocr[no].lines, Channel.ocr
            in_points = {ln: tuple(replace(c, box=pixel_box_to_points(c.box, heights[no]), origin=Origin.pdf)
                                   if c.box is not None else c for c in row) for ln, row in ocr[no].rows.items()}
            grid_rows.update({base + ln: row for ln, row in in_points.items()})
            line_boxes.update({base + ln: pixel_box_to_points(b, heights[no]) for ln, b in ocr[no].line_boxes.items()})
            page_boxes = [None] * len(page_lines)
        elif no in lattice:
            page_lines = lattice[no].lines
            grid_rows.update({base + ln: row for ln, row in lattice[no].rows.items()})
            page_boxes = [None] * len(page_lines)
        else:
            page_lines, page_boxes = text_lines[no], text_boxes[no]  # (footers dropped by read_pdf_text)
        lines += page_lines
        pages += [no] * len(page_lines)
        channels += [channel] * len(page_lines)
        char_boxes += page_boxes
    text, converted = to_simplified("\n".join(lines))
    unread = tuple((no, f"{why[no]}; OCR found no text either") for no in sorted(ocr) if not ocr[no].lines)
    return Document(path=str(p), sha256=hashlib.sha256(data).hexdigest(), kind="pdf",
                    lines=tuple(text.split("\n")), channel=Channel.text, converted_traditional=converted,
                    line_pages=tuple(pages), grid_rows=_simplified(grid_rows, converted) or None,
                    line_boxes=line_boxes or None,
                    unreadable_pages=unread,
                    lattice_pages=tuple(sorted(lattice)), char_boxes=tuple(char_boxes), skipped_pages=pdf.skipped,
                    ocr_pages=tuple((no, why[no]) for no in sorted(ocr) if ocr[no].lines),
                    line_channels=tuple(channels) if ocr else None)


def _load_scan(p: Path, data: bytes | None = None, pdf: bool = False) -> Document:
    """Scanned pages (an image-only PDF when ``pdf``, else image files): table grids from ruling lines, cells read
    by OCR (the scan route). A PDF's pages are rendered one at a time, up to the page limit (``limits.PAGES``), and
    not past section 五 (the narrative after the tables)."""
    from recover.ingest.limits import PAGES, limit, over
    from recover.ingest.scan import load_images, pdf_page_count, pdf_pages
    from recover.layout.scan.scan_text import page_text
    from recover.layout.text.sections import tables_behind

    if pdf:
        total = pdf_page_count(p)
        pages = pdf_pages(p)
    else:
        images = load_images(p)
        total = len(images)
        pages = ((no, image, None) for no, image in images)
    if data is None:
        data = b"".join(f.read_bytes() for f in sorted(p.iterdir())) if p.is_dir() else p.read_bytes()
    lines: list[str] = []
    line_pages: list[int] = []
    grid_rows: dict[int, tuple[CellRead, ...]] = {}
    line_boxes: dict[int, tuple[float, float, float, float]] = {}
    skipped: list[tuple[int, str]] = []
    unread: list[tuple[int, str]] = []
    last = min(total, limit(PAGES))
    if last < total:
        skipped.append((last + 1, f"pages {last + 1}-{total} not read: "
                        + over(PAGES, f"the document has {total} pages")))
    for k, (no, image, why) in enumerate(pages):
        if k and tables_behind("\n".join(lines)):  # the rest is narrative after the tables: not worth its OCR
            skipped[:0] = [(n, f"after the tables (section 五 begins on page {line_pages[-1]})")
                           for n in range(no, last + 1)]
            break
        if image is None:
            unread.append((no, str(why)))
            continue
        pt = page_text(no, image)
        base = len(lines)
        lines += pt.lines
        line_pages += [no] * len(pt.lines)
        grid_rows.update({base + ln: row for ln, row in pt.rows.items()})
        line_boxes.update({base + ln: tuple(float(v) for v in b) for ln, b in pt.line_boxes.items()})  # type: ignore[misc]
    text, converted = to_simplified("\n".join(lines))
    return Document(path=str(p), sha256=hashlib.sha256(data).hexdigest(), kind="scan",
                    lines=tuple(text.split("\n")), channel=Channel.ocr, converted_traditional=converted,
                    line_pages=tuple(line_pages), grid_rows=_simplified(grid_rows, converted), line_boxes=line_boxes,
                    unreadable_pages=tuple(unread), skipped_pages=tuple(skipped))


def _load_structured(p: Path, suffix: str) -> Document:
    """DOCX and HTML: their tables as grid rows, their text as lines (see ingest/structured.py)."""
    from recover.ingest.structured import docx_lines, html_lines

    data = _read(p)
    read = docx_lines(p) if suffix == ".docx" else html_lines(data, p)
    text, converted = to_simplified("\n".join(read.lines))
    return Document(path=str(p), sha256=hashlib.sha256(data).hexdigest(), kind="docx" if suffix == ".docx" else "html",
                    lines=tuple(text.split("\n")), channel=Channel.text, converted_traditional=converted,
                    grid_rows=_simplified(read.rows, converted) or None)


def _load_converted(p: Path, kind: str) -> Document:
    """An old binary .doc/.wps: converted to DOCX by LibreOffice, then read as DOCX (provenance: the original)."""
    from recover.ingest.convert import as_docx

    data = _read(p)
    with as_docx(p, kind) as docx:
        doc = _load_structured(docx, ".docx")
    return replace(doc, path=str(p), sha256=hashlib.sha256(data).hexdigest())


def _read(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputMissingError(p, f"cannot be read ({exc.strerror})") from exc
