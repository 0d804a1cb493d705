"""Born-digital PDF: the text layer of each page, read with pypdfium2, with page provenance.

A page whose text layer is missing or garbled (fonts without a usable ToUnicode map yield private-use
or replacement characters) cannot be read this way and is reported; a PDF none of whose pages has a
text layer is a scan and goes the scan route (OCR) as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from recover.errors import DamagedPdfError
from recover.ingest.limits import PAGES, limit, over

PAGE_FOOTER = re.compile(r"^\s*[-—–－]\s*\d{1,3}\s*[-—–－]\s*$")
# Characters a sound Chinese text layer is made of: CJK, ASCII, CJK punctuation, full-width forms.
SOUND = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s“”‘’《》〈〉（）、·…—]")
MIN_TEXT = 20  # characters below which a page has no text layer worth reading
MAX_GARBLED = 0.3  # share of unsound characters above which a page's text layer is garbled


Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points (origin bottom-left)


@dataclass(frozen=True)
class PdfText:
    lines: tuple[str, ...]
    pages: tuple[int, ...]  # 1-based page number of each line
    unreadable: tuple[tuple[int, str], ...]  # (page, why) of pages without a usable text layer
    char_boxes: tuple[tuple[Box | None, ...] | None, ...] = ()  # per line, the box of each character
    skipped: tuple[tuple[int, str], ...] = ()  # (first page, why) of the pages past the page limit, not read


def garbled_share(text: str) -> float:
    """Share of characters that no sound Chinese text layer produces (private use, replacement…)."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 1.0
    return sum(1 for ch in chars if not SOUND.match(ch)) / len(chars)


def read_pdf_text(path: Path) -> PdfText:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DamagedPdfError(path, f"not a readable PDF ({exc})") from exc
    lines: list[str] = []
    pages: list[int] = []
    boxes: list[tuple[Box | None, ...] | None] = []
    unreadable: list[tuple[int, str]] = []
    read = min(len(pdf), limit(PAGES))
    skipped = () if read == len(pdf) else (
        (read + 1, f"pages {read + 1}-{len(pdf)} not read: " + over(PAGES, f"the document has {len(pdf)} pages")),)
    for i in range(read):
        try:
            textpage = pdf[i].get_textpage()
        except pdfium.PdfiumError as exc:
            unreadable.append((i + 1, f"damaged page: pdfium could not load it ({exc})"))
            continue
        raw = textpage.get_text_range()
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        if len(text.strip()) < MIN_TEXT:
            unreadable.append((i + 1, "no text layer (a scanned page)"))
            continue
        share = garbled_share(text)
        if share > MAX_GARBLED:
            unreadable.append((i + 1, f"garbled text layer ({share:.0%} of its characters are not text)"))
            continue
        for ln, bx in _lines_with_boxes(textpage, raw):
            if PAGE_FOOTER.match(ln):
                continue
            lines.append(ln)
            pages.append(i + 1)
            boxes.append(bx)
    return PdfText(tuple(lines), tuple(pages), tuple(unreadable), tuple(boxes), skipped)


def _lines_with_boxes(textpage, raw: str) -> list[tuple[str, tuple[Box | None, ...] | None]]:
    """The page's lines, each with its characters' boxes (pdfium counts the line breaks it generates as
    characters, so character i of the text range is character i of the text page; when the counts differ
    the boxes are left out)."""
    aligned = textpage.count_chars() == len(raw)
    out: list[tuple[str, tuple[Box | None, ...] | None]] = []
    line, line_boxes = "", []
    k = 0
    while k < len(raw):
        ch = raw[k]
        if ch in "\r\n":
            out.append((line, tuple(line_boxes) if aligned else None))
            line, line_boxes = "", []
            k += 2 if raw[k:k + 2] == "\r\n" else 1
            continue
        line += ch
        if aligned:
            box = textpage.get_charbox(k)
            line_boxes.append(box if box[2] > box[0] else None)
        k += 1
    out.append((line, tuple(line_boxes) if aligned else None))
    return out
