"""Cell crops prepared for reading one number: ruling-line remnants removed, trimmed to their ink, padded and
scaled so the glyphs are as tall as Tesseract reads best. Pure numpy in, numpy out."""

from __future__ import annotations

import cv2
import numpy as np

TARGET_GLYPH_H = 32  # px: glyph height at which Tesseract's LSTM reads digits most reliably (measured, 20–40)
PAD = 12  # white border around the ink, px after scaling


def erase_rules(gray: np.ndarray, h_mask: np.ndarray, v_mask: np.ndarray, grow: int = 1) -> np.ndarray:
    """A copy of ``gray`` with the pixels of the rule masks (255 = rule), grown by ``grow`` px, set to white."""
    rules = cv2.bitwise_or(h_mask, v_mask)
    if grow > 0:
        rules = cv2.dilate(rules, np.ones((2 * grow + 1, 2 * grow + 1), np.uint8))
    out = gray.copy()
    out[rules > 0] = 255
    return out


def ink_box(binary: np.ndarray, min_area: int = 4) -> tuple[int, int, int, int] | None:
    """x0, y0, x1, y1 (exclusive) of the ink (255) in ``binary``, ignoring specks smaller than ``min_area`` px;
    None when there is no ink."""
    n, _lab, stats, _c = cv2.connectedComponentsWithStats((binary > 0).astype(np.uint8), connectivity=8)
    keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_area]
    if not keep:
        return None
    x0 = min(stats[i, 0] for i in keep)
    y0 = min(stats[i, 1] for i in keep)
    x1 = max(stats[i, 0] + stats[i, 2] for i in keep)
    y1 = max(stats[i, 1] + stats[i, 3] for i in keep)
    return int(x0), int(y0), int(x1), int(y1)


def prepare_number(crop: np.ndarray, binary: np.ndarray, glyph_h: float, *, target_h: int = TARGET_GLYPH_H,
                   pad: int = PAD, min_area: int = 4) -> np.ndarray | None:
    """The crop trimmed to its ink (``binary``: the same crop's ink mask), scaled by ``target_h / glyph_h``
    (the page's glyph height) and padded with ``pad`` white px; None when the crop holds no ink."""
    box = ink_box(binary, min_area)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    ink = crop[y0:y1, x0:x1]
    f = target_h / max(glyph_h, 1.0)
    if abs(f - 1) > 0.05:
        ink = cv2.resize(ink, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    return cv2.copyMakeBorder(ink, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def is_empty(binary: np.ndarray, glyph_h: float, min_extent: float = 0.25) -> bool:
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
