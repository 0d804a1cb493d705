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

PAGE_FOOTER = re.compile(r"^\s*[-—–－]\s*\d{1,3}\s*[-—–－]\s*$")
# Characters a sound Chinese text layer is made of: CJK, ASCII, CJK punctuation, full-width forms.
SOUND = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s“”‘’《》〈〉（）、·…—]")
MIN_TEXT = 20  # characters below which a page has no text layer worth reading
MAX_GARBLED = 0.3  # share of unsound characters above which a page's text layer is garbled


@dataclass(frozen=True)
class PdfText:
    lines: tuple[str, ...]
    pages: tuple[int, ...]  # 1-based page number of each line
    unreadable: tuple[tuple[int, str], ...]  # (page, why) of pages without a usable text layer


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
    unreadable: list[tuple[int, str]] = []
    for i in range(len(pdf)):
        text = pdf[i].get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        if len(text.strip()) < MIN_TEXT:
            unreadable.append((i + 1, "no text layer (a scanned page)"))
            continue
        share = garbled_share(text)
        if share > MAX_GARBLED:
            unreadable.append((i + 1, f"garbled text layer ({share:.0%} of its characters are not text)"))
            continue
        for ln in text.split("\n"):
            if PAGE_FOOTER.match(ln):
                continue
            lines.append(ln)
            pages.append(i + 1)
    return PdfText(tuple(lines), tuple(pages), tuple(unreadable))
