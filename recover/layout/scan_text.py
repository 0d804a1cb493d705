"""Turn a scanned page into text lines the text route reads: table rows as tab-separated lines.

The table grids come from ``grid.analyse_page`` (ruling lines); every cell with ink is read by OCR
(labels with the Chinese model, number cells again with a digit whitelist); the page text outside
the grids (headings, narrative) is read once. Each grid row becomes one line with one tab-separated
field per grid column (a spanning cell's text in its first column), placed among the page's text
lines by its vertical position. Each field keeps its page and pixel box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from recover.layout.grid import Grid, analyse_page
from recover.read.ocr import DIGITS, has_ink, read_strip, words

HAN = re.compile(r"[\u4e00-\u9fff]")
NUMBERISH = re.compile(r"^[\d\s.,/\-—]*$")


@dataclass
class PageText:
    page: int
    lines: list[str] = field(default_factory=list)
    boxes: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)  # (line, field) -> box
    confidences: dict[tuple[int, int], float] = field(default_factory=dict)


def _inset(gray: np.ndarray, box: tuple[int, int, int, int], margin: int) -> np.ndarray:
    x0, y0, x1, y1 = box
    return gray[y0 + margin:max(y0 + margin + 1, y1 - margin), x0 + margin:max(x0 + margin + 1, x1 - margin)]


def _grid_rows(gray: np.ndarray, grid: Grid, glyph_h: float) -> tuple[list[list[str]], list[list[float]]]:
    """Text and confidence of each grid position (spanning cells in their first position)."""
    margin = max(2, round(glyph_h * 0.15))
    cells = [c for c in grid.cells if has_ink(_inset(gray, c.bbox, margin))]
    crops = [_inset(gray, c.bbox, margin) for c in cells]
    first = read_strip(crops, "chi_sim")
    numeric = [k for k, (t, _) in enumerate(first) if t and not HAN.search(t)]
    second = read_strip([crops[k] for k in numeric], "eng", whitelist=DIGITS)
    texts = {id(c): t for c, (t, _) in zip(cells, first)}
    confs = {id(c): conf for c, (_, conf) in zip(cells, first)}
    for k, (t, conf) in zip(numeric, second):
        if t:
            texts[id(cells[k])], confs[id(cells[k])] = t.replace(" ", ""), conf
    rows = [["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    conf_rows = [[0.0 for _ in range(grid.n_cols)] for _ in range(grid.n_rows)]
    for c in grid.cells:
        rows[c.row][c.col] = texts.get(id(c), "")
        conf_rows[c.row][c.col] = confs.get(id(c), 0.0)
    return rows, conf_rows


def page_text(page: int, image: np.ndarray) -> PageText:
    """The lines of one scanned page, tables as tab-separated rows, in reading order."""
    if float((image < 128).mean()) < 0.0005:
        return PageText(page)  # a blank page
    try:
        lay = analyse_page(image)
    except ValueError:  # no glyph-like ink at all (a photo, a blank scan with specks)
        return PageText(page)
    gray = lay.gray
    items: list[tuple[float, str, list[tuple[int, int, int, int]] | None, list[float] | None]] = []
    free = gray.copy()
    for grid in lay.grids:
        x0, y0, x1, y1 = grid.bbox
        free[y0:y1 + 1, x0:x1 + 1] = 255
        rows, confs = _grid_rows(gray, grid, lay.glyph_h)
        for r, (fields, cf) in enumerate(zip(rows, confs)):
            boxes = [grid.cell_at(r, c).bbox for c in range(grid.n_cols)]
            items.append((grid.rows[r], "\t".join(fields), boxes, cf))
    for y, text in _free_lines(free):
        items.append((y, text, None, None))
    items.sort(key=lambda it: it[0])
    out = PageText(page)
    for _y, text, boxes, cf in items:
        ln = len(out.lines)
        out.lines.append(text)
        if boxes is not None and cf is not None:
            for k, b in enumerate(boxes):
                out.boxes[ln, k] = b
                out.confidences[ln, k] = cf[k]
    return out


def _free_lines(gray: np.ndarray) -> list[tuple[float, str]]:
    """Text lines of the page outside the tables, top to bottom."""
    if float((gray < 128).mean()) < 0.001:
        return []
    ws = words(gray, lang="chi_sim", psm=3)
    lines: list[list] = []
    for w in sorted(ws, key=lambda w: (w.box[1] + w.box[3]) / 2):
        cy = (w.box[1] + w.box[3]) / 2
        h = w.box[3] - w.box[1]
        if lines and abs(lines[-1][0] - cy) < max(h, 8) * 0.6:
            lines[-1][1].append(w)
        else:
            lines.append([cy, [w]])
    return [(cy, "".join(w.text for w in sorted(ws_, key=lambda w: w.box[0]))) for cy, ws_ in lines]
