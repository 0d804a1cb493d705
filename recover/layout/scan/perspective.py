"""Small perspective (a page scanned or photographed at a tilt) measured on a table's outer rules and undone.

Deskewing turns the page by one angle; under perspective the table's outer rules are not parallel (its top edge
narrower or wider than its bottom), and beyond about 2 % of the width on each side the slanted column rules no
longer cluster into one column each. The frame's four rules are fitted with straight lines (least squares over
their pixels); where their corners lie off the table's box by more than a fraction of a glyph height, the page is
warped so that they meet it (a homography). Pure functions, numpy in and out.
"""

from __future__ import annotations

import cv2
import numpy as np

from recover.layout.scan.grid import Grid, segments
from recover.layout.scan.lines import quantile_u8

MIN_SHIFT = 0.5  # glyph heights: corners closer than this to the table's box are left alone (the grid absorbs it)
MIN_COVER = 0.5  # share of its side a fitted outer rule must run along


def _fit(labels: np.ndarray, picked: list, horizontal: bool, tol: float) -> tuple[float, float] | None:
    """(slope, intercept) of the line through the pixels of the ``picked`` segments: y = a x + b for a horizontal
    rule, x = a y + b for a vertical one (looked for within ``tol`` px of their positions)."""
    if not picked:
        return None
    lo, hi = min(s.lo for s in picked), max(s.hi for s in picked) + 1
    a0, a1 = max(0, int(min(s.pos for s in picked) - 2 * tol)), int(max(s.pos for s in picked) + 2 * tol) + 1
    window = labels[a0:a1, lo:hi] if horizontal else labels[lo:hi, a0:a1]
    ys, xs = np.nonzero(np.isin(window, [s.label for s in picked]))
    ys, xs = (ys + a0, xs + lo) if horizontal else (ys + lo, xs + a0)
    if xs.size < 10:
        return None
    along, across = (xs, ys) if horizontal else (ys, xs)
    a, b = np.polyfit(along.astype(np.float64), across.astype(np.float64), 1)
    return float(a), float(b)


def frame_corners(h_mask: np.ndarray, v_mask: np.ndarray, grid: Grid, tol: float) -> np.ndarray | None:
    """The corners (top-left, top-right, bottom-right, bottom-left, as x, y) where straight lines fitted to the
    grid's four outer rules meet, or None when a side has no rule running along at least ``MIN_COVER`` of it.
    ``tol``: how far (px) from the grid's outer boundary a rule's segment may lie."""
    x0, y0, x1, y1 = grid.bbox
    found = {True: segments(h_mask, True), False: segments(v_mask, False)}  # (labelled once per mask)
    lines = []
    for horizontal, at, lo, hi in ((True, y0, x0, x1), (False, x1, y0, y1), (True, y1, x0, x1), (False, x0, y0, y1)):
        segs, labels = found[horizontal]
        picked = [s for s in segs if abs(s.pos - at) <= tol and s.hi >= lo - tol and s.lo <= hi + tol]
        if sum(s.hi - s.lo + 1 for s in picked) < MIN_COVER * (hi - lo):
            return None
        fit = _fit(labels, picked, horizontal, tol)
        if fit is None:
            return None
        lines.append((horizontal, fit))
    corners = []
    for (h1, (a, b)), (h2, (c, d)) in zip(lines, lines[1:] + lines[:1]):
        if h1 == h2:
            return None
        (ha, hb), (va, vb) = ((a, b), (c, d)) if h1 else ((c, d), (a, b))  # y = ha x + hb, x = va y + vb
        den = 1.0 - va * ha
        if abs(den) < 1e-9:
            return None
        x = (va * hb + vb) / den
        corners.append((x, ha * x + hb))
    # the loop met top×right, right×bottom, bottom×left, left×top: reorder to TL, TR, BR, BL
    tr, br, bl, tl = corners
    return np.float32([tl, tr, br, bl])


def _box_corners(box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])  # TL, TR, BR, BL


def rectify(gray: np.ndarray, corners: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """``gray`` warped so that ``corners`` (TL, TR, BR, BL) land on the corners of ``box`` (x0, y0, x1, y1)."""
    m = cv2.getPerspectiveTransform(np.float32(corners), _box_corners(box))
    return cv2.warpPerspective(gray, m, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=round(quantile_u8(gray, 0.5)))


def off_box(corners: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """How far (px) the farthest corner lies from the matching corner of ``box``."""
    return float(np.abs(corners - _box_corners(box)).max())


def straighten(gray: np.ndarray, h_mask: np.ndarray, v_mask: np.ndarray, grids: list[Grid], glyph_h: float):
    """The page again, rectified on its largest table's frame when that frame's corners lie at least ``MIN_SHIFT``
    glyph heights off its box: (gray, binary, h_mask, v_mask, grids), or None when there is nothing to undo or the
    warped page's frame does not come out square (then the first reading stands)."""
    from recover.layout.scan.grid import find_grids
    from recover.layout.scan.lines import binarise, components, rules

    table = max(grids, key=lambda g: len(g.cells))
    corners = frame_corners(h_mask, v_mask, table, glyph_h)
    if corners is None or off_box(corners, table.bbox) < MIN_SHIFT * glyph_h:
        return None
    warped = rectify(gray, corners, table.bbox)
    binary = binarise(warped)
    h2, v2 = rules(binary, glyph_h, labelled=components(binary))
    found = find_grids(h2, v2, glyph_h=glyph_h)
    if not found:
        return None
    table = max(found, key=lambda g: len(g.cells))
    again = frame_corners(h2, v2, table, glyph_h)
    if again is None or off_box(again, table.bbox) >= MIN_SHIFT * glyph_h:
        return None
    return warped, binary, h2, v2, found
