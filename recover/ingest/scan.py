"""Page images of scanned reports: image-only PDFs (rendered with pypdfium2), PNG/JPEG/TIFF files
(multi-page TIFF included) and folders of page images (one report, pages in name order)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from recover.errors import UnreadableInputError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
DPI = 200  # rendering resolution for PDF pages: glyphs of a 5-号 font come out ~20 px high


def render_pdf(path: Path, pages: list[int] | None = None, dpi: int = DPI) -> list[tuple[int, np.ndarray]]:
    """(1-based page number, grayscale image) of the given pages (all by default). A page holding seal ink (looked
    for on a colour rendering at a quarter of ``dpi``) is rendered in colour and made gray without it
    (``layout.scan.colour.page_gray``); the others are rendered gray by pdfium (the readings were measured on it)."""
    import pypdfium2 as pdfium

    from recover.layout.scan.colour import has_seal, page_gray

    pdf = pdfium.PdfDocument(str(path))
    out = []
    for i in pages or list(range(1, len(pdf) + 1)):
        page = pdf[i - 1]
        if has_seal(np.asarray(page.render(scale=dpi / 72 / 4).to_pil().convert("RGB"))):
            out.append((i, page_gray(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")))))
        else:
            img = page.render(scale=dpi / 72, grayscale=True).to_numpy()
            out.append((i, img if img.ndim == 2 else img[..., 0]))
    return out


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
                for frame in ImageSequence.Iterator(im):
                    gray = frame.mode in ("1", "L", "LA", "I", "I;16", "F")
                    pages.append(np.array(frame.convert("L")) if gray else page_gray(np.array(frame.convert("RGB"))))
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

