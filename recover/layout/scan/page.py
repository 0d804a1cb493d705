"""One page image through the layout stage: binarise, skew, deskew, glyph height, rules, table grids.

``analyse_page`` is the stage's entry for a scanned page; the rule masks come from ``recover.layout.scan.lines``, the
grids from ``recover.layout.scan.grid.find_grids``. Where the first pass leaves ruled rows outside every grid, or the
tables' glyphs are smaller than the page's, the rules are looked for again with kernels sized for them.
``grid_rules`` keeps of the rule masks the pieces that lie on one grid's boundaries (what is erased before its cells
are read).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.layout.scan.grid import Grid, find_grids, segments
from recover.layout.scan.lines import binarise, components, deskew, estimate_skew, glyph_height, rules, to_gray

__all__ = ["PageLayout", "ROW_TO_KERNEL", "analyse_page", "grid_glyph_height", "grid_rules"]

RULE_BAND = 1.0  # glyph heights from a grid boundary within which a rule piece's centre line lies to be erased

# A row between two stray rules is this many kernel glyph heights tall when it is looked for again: the vertical
# kernel (``rules``: 1.5 glyph heights) then fits in the row with a quarter to spare, and the rule-thickness cap
# (a quarter glyph height) is measured from the row, not from the digits in it (blurred 200 dpi rules are
# thicker than a quarter of a 9 pt digit)
ROW_TO_KERNEL = 1.5 * 1.25


@dataclass(frozen=True)
class PageLayout:
    """The layout stage's result for one page; ``gray`` and every bbox are in deskewed page coordinates."""

    angle: float
    gray: np.ndarray
    binary: np.ndarray
    glyph_h: float  # the tables' glyph height, the unit the rules were found with
    h_mask: np.ndarray
    v_mask: np.ndarray
    grids: list[Grid]
    text_glyph_h: float = 0.0  # the glyph height of the page's dominant text (its narrative), when measured


def analyse_page(image: np.ndarray, *, correct_skew: bool = True, smaller_table_text: float = 0.8) -> PageLayout:
    """Binarise, estimate and undo the skew, measure the glyph height, find the rules and the table grids.

    The rules are looked for with kernels sized from the page's glyph height. When horizontal rules lie outside
    every grid found, in pairs a row apart (``_stray_rows``), they are looked for again with kernels sized for
    the shortest such row (``ROW_TO_KERNEL``), at most ``smaller_table_text`` × the page's glyph height (a table
    of rows shorter than the vertical kernel: its column rules were lost), and the grids found there are added.
    When the tables found hold text smaller than ``smaller_table_text`` × that height (a page of narrative in a
    large font over a table in a small one), they are looked for again with the tables' glyph height (sized
    from the narrative, the vertical kernel outgrows a one-line table row and its column rules are lost), and
    that reading is kept unless it finds fewer grid positions (a blurred rule thicker than the stroke cap of
    the small glyphs is dropped as text)."""
    gray = to_gray(image)
    binary = binarise(gray)
    angle = estimate_skew(binary) if correct_skew else 0.0
    if angle:
        gray = deskew(gray, angle)
        binary = binarise(gray)
    labelled = components(binary)  # shared by the glyph height and the rules (both passes)
    page_gh = gh = glyph_height(binary, stats=labelled[2])
    h_mask, v_mask = rules(binary, gh, labelled=labelled)
    grids = find_grids(h_mask, v_mask, glyph_h=gh)
    stray = _stray_rows(h_mask, grids, gh)
    if stray:  # ruled rows no grid holds: a table whose rows are shorter than the vertical kernel
        small = min(smaller_table_text * gh, min(bottom - top for top, bottom, _, _ in stray) / ROW_TO_KERNEL)
        h2, v2 = rules(binary, small, labelled=labelled)
        more = [g for g in find_grids(h2, v2, glyph_h=small)
                if any(g.bbox[1] - small <= top and bottom <= g.bbox[3] + small for top, bottom, _, _ in stray)]
        if more:
            gh = small  # (the unit the tables were found with)
            for g in more:  # their rules join the page's masks
                x0, y0, x1, y1 = g.bbox
                window = np.s_[max(y0 - 2, 0):y1 + 3, max(x0 - 2, 0):x1 + 3]
                h_mask[window] |= h2[window]
                v_mask[window] |= v2[window]
            grids = sorted(grids + more, key=lambda gr: (gr.bbox[1], gr.bbox[0]))
    if grids:
        ruled = cv2.dilate(cv2.bitwise_or(h_mask, v_mask), np.ones((3, 3), np.uint8))
        table_gh = min(grid_glyph_height(binary, ruled, g, gh) for g in grids)
        if table_gh < smaller_table_text * gh:
            h3, v3 = rules(binary, table_gh, labelled=labelled)
            again = find_grids(h3, v3, glyph_h=table_gh)
            if _positions(again) >= _positions(grids):  # (kept unless it loses cells: a blurred rule thicker than
                gh, h_mask, v_mask, grids = table_gh, h3, v3, again  # the small glyphs' stroke cap is dropped)
    if grids:  # under perspective the frame's rules are not parallel: rectified on them (layout.scan.perspective)
        from recover.layout.scan.perspective import straighten

        gray, binary, h_mask, v_mask, grids = straighten(gray, h_mask, v_mask, grids, gh) or (
            gray, binary, h_mask, v_mask, grids)
    return PageLayout(angle, gray, binary, gh, h_mask, v_mask, grids, page_gh)


def _positions(grids: list[Grid]) -> int:
    """Grid positions (rows × columns) of the grids found on a page."""
    return sum(g.n_rows * g.n_cols for g in grids)


def _stray_rows(h_mask: np.ndarray, grids: list[Grid], glyph_h: float, *, min_row: float = 0.6,
                max_row: float = 3.0, min_length: float = 8.0,
                min_overlap: float = 0.9) -> list[tuple[float, float, int, int]]:
    """(top, bottom, left, right) of pairs of horizontal rules that lie outside every grid found, one above the
    other at most ``max_row`` glyph heights apart and sharing ``min_overlap`` of their length: the rules of a
    table row whose column rules were not found (a row shorter than the vertical kernel sized from the page's
    narrative font, as a table's one figure row carried over to a page of narrative is). A row holds a line of
    text, at least ``min_row`` glyph heights of the page's text, and spans a table's width, at least
    ``min_length`` of them (shorter pairs are strokes, underlines or the scan's edge)."""
    hs, _ = segments(h_mask, horizontal=True)
    free = sorted((s for s in hs if not any(g.bbox[1] - glyph_h <= s.pos <= g.bbox[3] + glyph_h for g in grids)),
                  key=lambda s: s.pos)
    out = []
    for a, b in zip(free, free[1:]):
        shared = min(a.hi, b.hi) - max(a.lo, b.lo)
        if (min_row * glyph_h <= b.pos - a.pos <= max_row * glyph_h and shared >= min_length * glyph_h
                and shared >= min_overlap * max(a.hi - a.lo, b.hi - b.lo)):
            out.append((a.pos, b.pos, max(a.lo, b.lo), min(a.hi, b.hi)))
    return out


def grid_glyph_height(binary: np.ndarray, rule_mask: np.ndarray, grid: Grid, fallback: float) -> float:
    """The glyph height of the text inside one table (``glyph_height`` of its ink less its rules,
    ``rule_mask`` 255 on rule pixels), or ``fallback`` when the table holds no character-like ink.

    A page's glyph height is that of its dominant text: on a page of narrative in a large font above a small
    table it overstates the table's glyphs (37 px against 24 px at 200 dpi in a 16 pt report with a 9 pt
    table), and cell crops scaled by it shrink the figures below what OCR reads reliably (45 read as 4)."""
    x0, y0, x1, y1 = grid.bbox
    ink = binary[y0:y1 + 1, x0:x1 + 1].copy()
    ink[rule_mask[y0:y1 + 1, x0:x1 + 1] > 0] = 0
    try:
        return glyph_height(ink)
    except ValueError:
        return fallback


def grid_rules(layout: PageLayout, grid: Grid, band: float = RULE_BAND) -> tuple[np.ndarray, np.ndarray]:
    """The page's rule masks less the rule pieces (connected components) whose centre line lies farther than ``band``
    glyph heights from every row (column) boundary of the grid: a stroke the masks took for a rule piece but the grid
    dropped as no boundary (the upright of a 1 in a row of figures) is part of a character, and erasing it read 14
    as 4. A whole piece is kept or dropped, so a rule bent by perspective is erased all along."""
    b = band * layout.glyph_h
    out = []
    for mask, horizontal, lines in ((layout.h_mask, True, grid.rows), (layout.v_mask, False, grid.cols)):
        segs, labels = segments(mask, horizontal)
        keep = np.zeros(int(labels.max()) + 1, dtype=bool)
        at = np.array(lines, dtype=float)
        for sg in segs:
            keep[sg.label] = bool(np.abs(at - sg.pos).min() <= b) if at.size else False
        out.append(np.where(keep[labels], mask, 0).astype(np.uint8))
    return out[0], out[1]
