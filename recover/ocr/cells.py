"""Cell crops prepared for reading one number: ruling-line remnants removed, trimmed to their ink, padded and
scaled so the glyphs are as tall as Tesseract reads best. Pure numpy in, numpy out."""

from __future__ import annotations

import cv2
import numpy as np

TARGET_GLYPH_H = 32  # px: glyph height at which Tesseract's LSTM reads digits most reliably (measured, 20–40)
PAD = 12  # white border around the ink, px after scaling
SPECK = 0.25  # glyph heights: ink smaller than this both ways is no printed mark (a dash is 0.4 wide, a digit 0.7 high)
FAINT = 128  # gray levels: ink less than this much darker than its paper (half the range) is faint print
WHITE_AT = 0.65  # share of the ink-to-paper contrast above which a pixel of a number crop is set white (``stretch``)


def erase_rules(gray: np.ndarray, h_mask: np.ndarray, v_mask: np.ndarray, grow: int = 1) -> np.ndarray:
    """A copy of ``gray`` with the pixels of the rule masks (255 = rule), grown by ``grow`` px, set to white."""
    rules = cv2.bitwise_or(h_mask, v_mask)
    if grow > 0:
        rules = cv2.dilate(rules, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    out = gray.copy()
    out[rules > 0] = 255
    return out


def ink_box(binary: np.ndarray, min_area: int = 4, min_extent: float = 0.0,
            max_gap: float | None = None) -> tuple[int, int, int, int] | None:
    """x0, y0, x1, y1 (exclusive) of the ink (255) in ``binary``, ignoring specks smaller than ``min_area`` px or
    whose width and height are both below ``min_extent`` px; None when there is no ink. With ``max_gap`` (px),
    the components form runs along x wherever less than that separates them, and only the run holding the most
    ink counts: a printed figure is one run of glyphs, a mark far beside it is not part of it."""
    if binary.size == 0 or not binary.any():
        return None
    n, _lab, stats, _c = cv2.connectedComponentsWithStats((binary > 0).astype(np.uint8), connectivity=8)
    keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_area
            and max(stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]) >= min_extent]
    if not keep:
        return None
    if max_gap is not None:
        keep.sort(key=lambda i: stats[i, 0])
        runs, right = [[keep[0]]], stats[keep[0], 0] + stats[keep[0], 2]
        for i in keep[1:]:
            if stats[i, 0] - right > max_gap:
                runs.append([])
            runs[-1].append(i)
            right = max(right, stats[i, 0] + stats[i, 2])
        keep = max(runs, key=lambda run: sum(int(stats[i, cv2.CC_STAT_AREA]) for i in run))
    x0 = min(stats[i, 0] for i in keep)
    y0 = min(stats[i, 1] for i in keep)
    x1 = max(stats[i, 0] + stats[i, 2] for i in keep)
    y1 = max(stats[i, 1] + stats[i, 3] for i in keep)
    return int(x0), int(y0), int(x1), int(y1)


def stretch(crop: np.ndarray, binary: np.ndarray, white_at: float = WHITE_AT, min_contrast: float = 8.0,
            faint: float = FAINT) -> np.ndarray:
    """``crop`` with its contrast stretched from its own ink and paper: the darkest ink (5th percentile of the
    pixels of ``binary``, its ink mask) goes to 0 and every pixel lighter than ``white_at`` of the way from it
    to the paper (the median of the pixels outside the mask) goes to 255. Small figures in a blurred 150 dpi
    scan print as gray blobs on gray paper (ink ≈ 140, paper ≈ 230): Tesseract's own threshold of such a crop
    fills the hole of a 0 and merges neighbouring digits; measured on 淮安 2024's table 三 at 150 dpi, 42 of 49
    figures read right stretched, 23 as they were. Only faint crops are stretched: one whose ink is at least
    ``faint`` gray levels darker than its paper (black print) is returned unchanged — thinned, the strokes of
    clean figures broke (淮安 at 300 dpi: 447 read 17) — and so is one with less than ``min_contrast``."""
    ink_px = crop[binary > 0]
    paper_px = crop[binary == 0]
    if ink_px.size == 0 or paper_px.size < 10:
        return crop
    ink, paper = float(np.percentile(ink_px, 5)), float(np.median(paper_px))
    if not min_contrast <= paper - ink < faint:
        return crop
    out = (crop.astype(np.float32) - ink) * (255.0 / (white_at * (paper - ink)))
    return np.clip(out, 0, 255).astype(np.uint8)


def prepare_number(crop: np.ndarray, binary: np.ndarray, glyph_h: float, *, target_h: int = TARGET_GLYPH_H,
                   pad: int = PAD, min_area: int = 4, speck: float = SPECK) -> np.ndarray | None:
    """The crop trimmed to its ink (``binary``: the same crop's ink mask) less specks (components below ``speck``
    × ``glyph_h`` both ways) and marks more than a glyph height away from the figure (a 6 px speck five glyphs
    left of a 3 at 150 dpi made the crop too wide for one digit, and the label model read it 53; a decimal point
    between digits stays inside the trimmed box), its contrast stretched (``stretch``), scaled by
    ``target_h / glyph_h`` (the table's glyph height) and padded
    with ``pad`` white px; None when the crop holds no ink."""
    box = ink_box(binary, min_area, speck * glyph_h, max_gap=glyph_h)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    ink = stretch(crop, binary)[y0:y1, x0:x1]
    f = target_h / max(glyph_h, 1.0)
    if abs(f - 1) > 0.05:
        ink = cv2.resize(ink, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    return cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def is_empty(binary: np.ndarray, glyph_h: float, min_extent: float = SPECK) -> bool:
    """Whether a cell's ink mask (255 = ink, rules already erased) holds nothing that could be printed: no
    connected component reaches ``min_extent`` × ``glyph_h`` in width or height. The smallest mark a table
    prints for a figure or for none is a dash about 0.4 glyph wide or a digit 0.7 glyph high; specks, JPEG
    ringing and rule stubs stay below a quarter of a glyph, so a cell without such a component was printed
    blank (not a figure the reading lost)."""
    if binary.size == 0 or not binary.any():  # (OpenCV's labelling crashes on an empty array)
        return True
    n, _lab, stats, _c = cv2.connectedComponentsWithStats((binary > 0).astype(np.uint8), connectivity=8)
    extent = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    return bool((extent < min_extent * glyph_h).all())


def glyph_count(binary: np.ndarray, glyph_h: float, min_height: float = 0.4, min_width: int = 2) -> int:
    """How many glyphs side by side a number cell's ink mask (255 = ink, rules erased) shows: runs of ink columns
    separated by blank columns, counting only runs at least ``min_width`` px wide whose ink is at least
    ``min_height`` × ``glyph_h`` tall (a digit is about 0.7 glyph heights; a minus or dash printed for none, a
    decimal point and specks are far lower). A reading with fewer digits than this lost one (a thin leading 1
    of 118 read 18 at 150 dpi); digits blurred into each other make one run, so the count errs low, never high."""
    ink = binary > 0
    cols = ink.any(axis=0)
    if not cols.any():
        return 0
    edges = np.flatnonzero(np.diff(np.r_[0, cols.astype(np.int8), 0]))
    count = 0
    for x0, x1 in zip(edges[::2], edges[1::2]):
        rows = np.flatnonzero(ink[:, x0:x1].any(axis=1))
        count += x1 - x0 >= min_width and rows[-1] - rows[0] + 1 >= min_height * glyph_h
    return int(count)


def whiten_paper(gray: np.ndarray, ink: np.ndarray, grow: int = 1) -> np.ndarray:
    """``gray`` where the ink mask (255 = ink, e.g. the page's adaptive binarisation less its rules), grown by
    ``grow`` px, is set, white elsewhere: the paper's noise, JPEG blocks and uneven light are gone, the strokes
    keep their gray edges. Measured on 150 dpi scans: Tesseract's own global threshold of the gray crops lost
    20 of 23 labels of a synthetic table 三; a hard binarisation lost the small glyphs of 淮安's; this keeps both."""
    mask = (ink > 0).astype(np.uint8)
    if grow > 0:
        mask = cv2.dilate(mask, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    return np.where(mask > 0, gray, 255).astype(np.uint8)
