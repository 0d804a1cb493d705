"""PNG crops of a cell from its page (box units: docs/output.md, "Cell boxes"): scans (pixel boxes, origin top-left,
image-only PDF pages rendered at the scan route's dpi) and PDFs (PDF points, origin bottom-left, for text-layer,
Camelot and OCR'd-page cells alike). A PDF cell without a box gets the band of the page where its source line is
printed, found through pypdfium2's text search; else the whole page."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from recover.batch.kinds import sniff
from recover.ingest.scan import DPI, IMAGE_SUFFIXES

PDF_SCALE = 2.0  # render PDFs at 144 dpi for crops
MARGIN = 0.6  # margin around a box, as a share of its height (and at least 24 px); 4× that on the sides
MAX_WIDTH = 1400
PDF_PAD = (110.0, 70.0, 30.0)  # points around a PDF cell's figure: neighbouring columns, the headings above
LINE_PAD = (30.0, 70.0, 20.0)  # points around a printed line (no box stored)


class NoCrop(Exception):
    """No image of this cell can be made (the file is gone, not paginated, or the page does not exist)."""


def _png(img: Image.Image) -> bytes:
    if img.width > MAX_WIDTH:
        img = img.resize((MAX_WIDTH, max(1, round(img.height * MAX_WIDTH / img.width))))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _crop(img: Image.Image, box: tuple[float, float, float, float],
          pad: tuple[float, float, float] | None = None) -> Image.Image:
    """The box with a margin (``pad``: sides, above, below; by default from the box's height) outlined in red."""
    x0, y0, x1, y1 = box
    m = max(24.0, (y1 - y0) * MARGIN)
    side, above, below = pad or (4 * m, m, m)
    area = (max(0, x0 - side), max(0, y0 - above), min(img.width, x1 + side), min(img.height, y1 + below))
    out = img.convert("RGB").crop((round(area[0]), round(area[1]), round(area[2]), round(area[3])))
    ImageDraw.Draw(out).rectangle((x0 - area[0] - 3, y0 - area[1] - 3, x1 - area[0] + 3, y1 - area[1] + 3),
                                  outline=(220, 38, 38), width=3)
    return out


@lru_cache(maxsize=4)
def _pdf_page(path: str, mtime: float, page: int, scale: float) -> tuple[Image.Image, float]:
    """(the page rendered at ``scale``, its height in points); the last few kept (a report's cells share pages)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    if not 1 <= page <= len(pdf):
        raise NoCrop(f"page {page} is not in {Path(path).name}")
    pg = pdf[page - 1]
    return pg.render(scale=scale).to_pil(), pg.get_height()


def _scan_page(path: Path, page: int) -> Image.Image:
    if path.is_file() and sniff(path).kind == "pdf":
        return _pdf_page(str(path), path.stat().st_mtime, page, DPI / 72)[0]
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if path.is_dir() else [path]
    from PIL import ImageSequence

    n = 0
    for f in files:
        with Image.open(f) as im:
            for frame in ImageSequence.Iterator(im):
                n += 1
                if n == page:
                    return frame.convert("RGB")
    raise NoCrop(f"page {page} is not in {path.name}")


def scan_crop(path: Path, page: int, bbox: list[float]) -> bytes:
    return _png(_crop(_scan_page(path, page), tuple(bbox)))  # type: ignore[arg-type]


def pdf_crop(path: Path, page: int, bbox: list[float] | None, line_text: str | None = None) -> bytes:
    """The cell's box (PDF points) on its page; else the band where ``line_text`` is printed; else the page."""
    import pypdfium2 as pdfium

    img, height = _pdf_page(str(path), path.stat().st_mtime, page, PDF_SCALE)
    if bbox:
        x0, y0, x1, y1 = bbox
        return _png(_crop(img, (x0 * PDF_SCALE, (height - y1) * PDF_SCALE, x1 * PDF_SCALE, (height - y0) * PDF_SCALE),
                          tuple(v * PDF_SCALE for v in PDF_PAD)))  # type: ignore[arg-type]
    band = _line_band(pdfium.PdfDocument(str(path))[page - 1].get_textpage(), line_text) if line_text else None
    if band is None:
        return _png(img)
    left, bottom, right, top = band
    return _png(_crop(img, (left * PDF_SCALE, (height - top) * PDF_SCALE, right * PDF_SCALE,
                            (height - bottom) * PDF_SCALE), tuple(v * PDF_SCALE for v in LINE_PAD)))  # type: ignore[arg-type]


def _line_band(textpage, line_text: str) -> tuple[float, float, float, float] | None:
    """The box of the first place on the page where the line's first words are printed."""
    words = line_text.split()
    for n in (len(words), 3, 2, 1):
        probe = " ".join(words[:n]).strip()
        if len(probe) < 2:
            continue
        searcher = textpage.search(probe, match_case=True, match_whole_word=False)
        hit = searcher.get_next()
        if hit:
            index, count = hit
            boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
            return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                    max(b[3] for b in boxes))
    return None


def cell_crop(path: Path, kind: str | None, page: int | None, bbox: list[float] | None,
              line_text: str | None = None) -> bytes:
    """A PNG of the cell on its page; raises NoCrop when there is none to make (the reason in its message)."""
    import pypdfium2 as pdfium

    try:
        return _cell_crop(path, kind, page, bbox, line_text)
    except (OSError, pdfium.PdfiumError) as exc:  # the file changed, vanished or is damaged since the batch
        raise NoCrop(f"the page image of {path.name} cannot be made: {exc}") from None


def _cell_crop(path: Path, kind: str | None, page: int | None, bbox: list[float] | None,
               line_text: str | None) -> bytes:
    if page is None:
        raise NoCrop("the cell has no page (text, HTML and DOCX sources are shown as source text)")
    if not path.exists():
        raise NoCrop(f"the source file {path} is no longer there")
    if kind == "scan":
        if not bbox:
            return _png(_scan_page(path, page))
        return scan_crop(path, page, bbox)
    if kind == "pdf":
        return pdf_crop(path, page, bbox, line_text)
    raise NoCrop(f"a {kind} source has no page images")
