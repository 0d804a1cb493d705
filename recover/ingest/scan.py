"""Page images of scanned reports: image-only PDFs (rendered with pypdfium2), PNG/JPEG/TIFF files
(multi-page TIFF included) and folders of page images (one report, pages in name order)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from recover.errors import DamagedPdfError, UnreadableInputError
from recover.ingest.limits import PAGES, PIXELS, limit, over

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
DPI = 200  # rendering resolution for PDF pages: glyphs of a 5-号 font come out ~20 px high


def render_pdf(path: Path, pages: list[int] | None = None, dpi: int = DPI) -> list[tuple[int, np.ndarray]]:
    """(1-based page number, grayscale image) of the given pages (by default all, up to the page limit), each as
    ``pdf_pages`` renders it; pages it skips are left out."""
    return [(no, image) for no, image, _ in pdf_pages(path, pages, dpi) if image is not None]


def pdf_pages(path: Path, pages: list[int] | None = None,
              dpi: int = DPI) -> Iterator[tuple[int, np.ndarray | None, str | None]]:
    """(1-based page number, grayscale image, None) of the given pages (by default the first ``limits.PAGES``),
    rendered one at a time as they are asked for; (page, None, why) for a page that is not rendered: too large
    for the pixel limit, or damaged. A page holding seal ink (looked for on a colour rendering at a quarter of
    ``dpi``) is rendered in colour and made gray without it (``layout.scan.colour.page_gray``); the others are
    rendered gray by pdfium (the readings were measured on it)."""
    import pypdfium2 as pdfium

    from recover.layout.scan.colour import has_seal, page_gray

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DamagedPdfError(path, f"not a readable PDF ({exc})") from exc
    for i in pages or list(range(1, min(len(pdf), limit(PAGES)) + 1)):
        try:
            page = pdf[i - 1]
        except pdfium.PdfiumError as exc:
            yield i, None, f"damaged page: pdfium could not load it ({exc})"
            continue
        width, height = page.get_size()
        if width * height * (dpi / 72) ** 2 > limit(PIXELS):
            yield i, None, over(PIXELS, f"a page of {width / 72:.0f}×{height / 72:.0f} inches is "
                                        f"{width * height * (dpi / 72) ** 2:,.0f} pixels at {dpi} dpi")
            continue
        if has_seal(np.asarray(page.render(scale=dpi / 72 / 4).to_pil().convert("RGB"))):
            yield i, page_gray(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))), None
        else:
            img = page.render(scale=dpi / 72, grayscale=True).to_numpy()
            yield i, img if img.ndim == 2 else img[..., 0], None


def pdf_page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        return len(pdfium.PdfDocument(str(path)))
    except pdfium.PdfiumError as exc:
        raise DamagedPdfError(path, f"not a readable PDF ({exc})") from exc


def load_images(path: Path) -> list[tuple[int, np.ndarray]]:
    """Pages of an image file or of a folder of page images, as grayscale arrays (colour pages without their red
    seal ink, ``layout.scan.colour.page_gray``)."""
    from PIL import Image, ImageSequence

    from recover.layout.scan.colour import page_gray

    files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES) if path.is_dir() else [path]
    pages = []
    for f in files:
        try:
            with Image.open(f) as im:
                if im.width * im.height > limit(PIXELS):
                    raise UnreadableInputError(f, over(PIXELS, f"an image of {im.width}×{im.height} pixels"))
                for frame in ImageSequence.Iterator(im):
                    if len(pages) >= limit(PAGES):
                        raise UnreadableInputError(f, over(PAGES, "more page images than that"))
                    gray = frame.mode in ("1", "L", "LA", "I", "I;16", "F")
                    pages.append(np.array(frame.convert("L")) if gray else page_gray(np.array(frame.convert("RGB"))))
        except Image.DecompressionBombError:  # (Pillow's own guard, past twice its limit, before ours)
            raise UnreadableInputError(f, over(PIXELS, "an image too large to decode")) from None
        except OSError as exc:
            raise UnreadableInputError(f, f"not a readable image ({exc})") from exc
    if not pages:
        raise UnreadableInputError(path, "no page images found")
    return list(enumerate(pages, start=1))


def pixel_box_to_points(box: tuple[float, float, float, float], height_px: int,
                        dpi: int = DPI) -> tuple[float, float, float, float]:
    """A box in pixels of a page rendered at ``dpi`` (x0, y0, x1, y1, origin top-left) as a PDF box in points
    (left, bottom, right, top, origin bottom-left), the coordinates of the page's text layer."""
    k = 72 / dpi
    x0, y0, x1, y1 = box
    return (x0 * k, (height_px - y1) * k, x1 * k, (height_px - y0) * k)

