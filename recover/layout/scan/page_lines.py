"""The page text outside a scanned page's tables, as text lines with their boxes (the scan route's narrative,
headings and titles): one Tesseract page read, and any line of ink it returned nothing for read alone."""

from __future__ import annotations

import cv2
import numpy as np

from recover.ocr.cells import PAD
from recover.ocr.engine import OcrEngine, OcrWord
from recover.ocr.strips import text_lines

INK = 128  # gray level below which a pixel of a page whitened outside its ink (``whiten_paper``) is ink
FREE_GLYPH_H = 24  # px: glyph height the page text outside the tables is read at (scaled down only)


def ink_bands(gray: np.ndarray, glyph_h: float, *, ink: int = INK, min_height: float = 0.5, max_height: float = 3.0,
              min_width: float = 1.0) -> list[tuple[int, int]]:
    """Horizontal bands (y0, y1 exclusive) of ``gray`` whose rows hold ink (pixels darker than ``ink``): the text
    lines of a page, told by their height (``min_height`` to ``max_height`` × ``glyph_h``: specks and rules are
    shorter or thinner, a photo taller) and their ink spanning at least ``min_width`` × ``glyph_h`` columns."""
    rows = (gray < ink).any(axis=1)
    edges = np.flatnonzero(np.diff(np.r_[0, rows.astype(np.int8), 0]))
    out = []
    for y0, y1 in zip(edges[::2], edges[1::2]):
        if not min_height * glyph_h <= y1 - y0 <= max_height * glyph_h:
            continue
        if int((gray[y0:y1] < ink).any(axis=0).sum()) >= min_width * glyph_h:
            out.append((int(y0), int(y1)))
    return out


def free_lines(engine: OcrEngine, gray: np.ndarray,
                glyph_h: float) -> list[tuple[float, str, tuple[int, int, int, int]]]:
    """Text lines of the page outside the tables, top to bottom: (y, text, box) in page pixels. Read with glyphs
    scaled down to ``FREE_GLYPH_H`` when larger: on the corpus scan (200 dpi) the same headings and sentences for
    30 % less time. A line of ink (``ink_bands``) that no word of the page read overlaps is read again alone."""
    if float((gray < INK).mean()) < 0.001:
        return []
    f = min(1.0, FREE_GLYPH_H / max(glyph_h, 1.0))
    if f < 0.95:
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    else:
        f = 1.0
    tokens = engine.read(gray, lang="chi_sim", psm=3)
    for y0, y1 in ink_bands(gray, glyph_h * f):
        if any(min(y1, t.box[3]) - max(y0, t.box[1]) > 0.5 * (y1 - y0) for t in tokens):
            continue
        # a line of ink the page segmentation returned nothing for (洪泽 2023's title line 洪泽区人民政府 at 200 dpi,
        # larger than the text below it): read alone as one line
        cols = np.flatnonzero((gray[y0:y1] < INK).any(axis=0))
        x0, top = max(0, int(cols[0]) - PAD), max(0, y0 - PAD)
        crop = gray[top:y1 + PAD, x0:int(cols[-1]) + PAD + 1]
        read = engine.read(crop, lang="chi_sim", psm=7) or engine.read(crop, lang="chi_sim", psm=13)  # (13: raw
        # line, where 7 returned nothing for a bold title line of a synthetic 300 dpi scan)
        tokens += [OcrWord(t.text, t.conf, (t.box[0] + x0, t.box[1] + top, t.box[2] + x0, t.box[3] + top))
                   for t in read]
    out = []
    for line in text_lines(tokens):
        box = tuple(round(v / f) for v in (min(w.box[0] for w in line), min(w.box[1] for w in line),
                                           max(w.box[2] for w in line), max(w.box[3] for w in line)))
        out.append(((box[1] + box[3]) / 2, "".join(w.text for w in line), box))
    return out
