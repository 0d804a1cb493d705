"""Turn a scanned page into text lines the text route reads: table rows as tab-separated lines.

A page larger than A4 at about 200 dpi is first scaled down to it (``MAX_SIDE``). The table grids come from
``grid.analyse_page`` (ruling lines). Number cells are read one by one with a digit whitelist (``_digit_cells``:
rules erased, trimmed, scaled to the glyph height Tesseract reads best); the rows holding a number read with a
confidence below ``SECOND_OPINION_CONF`` are read again as whole rows (``_digit_rows``), and where the two
readings disagree the row reading goes with the cell as an alternative for the repair. The cells that are not
confidently numbers are read with the Chinese model, stacked in one strip; the page text outside the grids
(headings, narrative) is read once. Each grid row is kept as its cells (``model.CellRead``: grid position and
spans, pixel box on the deskewed page at the input resolution, text, confidence 0–1, alternative readings, and
whether the cell holds no ink; a spanning cell's text in its first column), placed among the page's text lines by
its vertical position as one line, its cells' text between tabs, for the section finder and the narrative (the
rows are read from the cells, never from that line). The OCR engine is ``recover.ocr.engine.get_engine()``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from recover.layout.scan.grid import Grid
from recover.layout.scan.split import split_label_cells
from recover.layout.scan.page import PageLayout, analyse_page, grid_glyph_height, grid_rules
from recover.layout.scan.page_lines import free_lines
from recover.model import CellRead, Origin, row_line
from recover.ocr.choose import get_engine
from recover.ocr.engine import DIGITS, SURE_CONF, OcrEngine
from recover.read.values import HAN
from recover.ocr.cells import (PAD, SPECK, TARGET_GLYPH_H, erase_rules, glyph_count, ink_box, is_empty,
                                prepare_number, whiten_paper)
from recover.read.values import is_none_symbol
from recover.ocr.strips import _resize, read_strip

NOISY_NUMBER = re.compile(r"^[^\u4e00-\u9fff\d]*[\u4e00-\u9fff]{1,2}[^\u4e00-\u9fff\d]*\d[\d\s.]*$")  # 浊2, 民熙0
# a figure with a speck read as a character after it (1080人, 22了), not a unit of an amount (2450004元, 49.02万元)
# nor an enumerated label cut short (8.属)
NOISY_SUFFIX = re.compile(r"^[^\u4e00-\u9fff\d]*\d[\d\s,]*(?:\.\d+)?\s*(?![元万亿])[\u4e00-\u9fff][^\u4e00-\u9fff\d]*$")
NUMBERISH = re.compile(r"^[\d\s.,/\-—]*$")
MAX_SIDE = 2400  # px: pages larger than A4 at ≈ 200 dpi are scaled down to this longer side before reading
SECOND_OPINION_CONF = SURE_CONF  # rows holding a number read less confidently than this are read again whole
NUMBER_CONF = 0.8  # a cell whose digit reading is at least this confident is a number cell (not read as a label)
NUMBER_COLUMN = 0.6  # share of a grid column's readings that are numbers above which it is a column of figures
LONE_CHAR_CONF = 0.5  # a single Chinese character read less confidently than this in a cell is no label
RETRY_PSMS = (6, 8, 13)  # modes tried, in order, on a number-sized crop psm 7 read nothing in (a clean lone 0 at 32 px
# glyphs came back empty under psm 7 and was read under 6 and 8, a blurred 150 dpi 1 only under 13)
LINE_CELL = 2.2  # a cell less than this many glyph heights tall holds one line of text: read alone as a raw line
# (psm 13) when the strip read nothing in it (Tesseract 5.5's psm 6 and 7 returned nothing for a clean 政府集中采购
# that psm 13 and 8 read, measured on a 300 dpi synthetic scan)
LABEL_GLYPH_H = 24  # px: glyph height label cells are read at (measured on 淮安 2024 at 150 dpi, 13 px labels:
# 20 and 28 px read about as well, the cell-height scale of before far worse)
HAN_WIDTH = 1.0  # glyph heights: ink width of a Chinese character (square, nearly as wide as the glyph height)
DIGIT_WIDTH = 0.55  # glyph heights: ink width per digit of a figure (half-width digits, their spacing included)
MIN_TABLE_GLYPH = 0.5  # a table's glyph height is at least this share of the one its rules were found with (a 9 pt
# table under 16 pt narrative: 24 px against 37, 0.65); below it the estimate is noise and that one is used: the
# corpus scan's (σ 12) table 二 of few figures measured 4 px against 20, its labels scaled 6× read as nothing
WIDEN = 1.3  # horizontal stretch of a doubtful number crop's second look (``_variant_readings``)
RETRY_WIDTH = 3.0  # ink at most this many glyph heights wide (a few digits) is worth reading again
# Ink wider than (WIDE_DIGITS × digits read + WIDE_SLACK) target glyph heights is wider than the figure read: measured
# over the 200 and 150 dpi scan corpus, figures read with confidence >= 0.9 came out at most 0.88, 1.77 and 2.34
# glyph heights wide (1st-99th percentile) for 1, 2 and 3 digits. Tesseract can drop a digit and stay confident (84
# read 4 at 0.96 at 150 dpi, the two digits blurred into one blob the glyph count cannot split): such a reading
# is read again as a block (psm 6); one with more digits is taken first, at confidence 0, the narrow one second
WIDE_DIGITS = 0.85
WIDE_SLACK = 0.05


@dataclass
class PageText:
    """A scanned page read: its lines (a table's grid row as one line, its cells' text between tabs), the cells of
    each grid row (``CellRead``, under the line's number in ``rows``; boxes in pixels of the page as given) and the
    box of each text line outside the tables."""

    page: int
    lines: list[str] = field(default_factory=list)
    rows: dict[int, tuple[CellRead, ...]] = field(default_factory=dict)
    line_boxes: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)


def _inset(gray: np.ndarray, box: tuple[int, int, int, int], margin: int) -> np.ndarray:
    x0, y0, x1, y1 = box
    return gray[y0 + margin:max(y0 + margin + 1, y1 - margin), x0 + margin:max(x0 + margin + 1, x1 - margin)]


def _digit_rows(engine: OcrEngine, gray: np.ndarray, grid: Grid, margin: int,
                rows: set[int] | None = None) -> dict[tuple[int, int], tuple[str, float]]:
    """Read every one-row cell (of ``rows``, default all) with a digit whitelist, one engine call per grid.

    The cells of each grid row are laid side by side with white gaps, and the rows stacked: Tesseract
    reads a row of numbers as a text line far better than lone glyphs (measured on 淮安 2024 page 5:
    single-cell strips lost a fifth of the digits, row lines almost none). Words go back to their
    cell by position."""
    gap = 40
    width = grid.bbox[2] - grid.bbox[0] + gap * (grid.n_cols + 2)
    blocks: list[np.ndarray] = []
    meta = []
    y = gap
    for r in range(grid.n_rows) if rows is None else sorted(rows):
        cells = [c for c in grid.cells if c.row == r and c.row_span == 1]
        crops = [_inset(gray, c.bbox, margin) for c in cells]
        if not crops:
            continue
        h = max(cr.shape[0] for cr in crops)
        line = np.full((h, width), 255, dtype=np.uint8)
        spans = []
        x = gap
        for c, cr in zip(cells, crops):
            line[:cr.shape[0], x:x + cr.shape[1]] = cr[:, :max(0, min(cr.shape[1], width - x))]
            spans.append((c, x, x + cr.shape[1]))
            x += cr.shape[1] + gap
        blocks += [np.full((gap, width), 255, dtype=np.uint8), line]
        meta.append((y, y + h, spans))
        y += h + gap
    if not blocks:
        return {}
    strip = np.vstack(blocks + [np.full((gap, width), 255, dtype=np.uint8)])
    found: dict[tuple[int, int], list] = {}
    for w in engine.read(strip, lang="eng", psm=6, whitelist=DIGITS):
        cy, cx = (w.box[1] + w.box[3]) / 2, (w.box[0] + w.box[2]) / 2
        for a, b, spans in meta:
            if a - gap / 2 <= cy <= b + gap / 2:
                for c, xa, xb in spans:
                    if xa - gap / 2 <= cx <= xb + gap / 2:
                        found.setdefault((c.row, c.col), []).append(w)
                break
    return {k: ("".join(w.text for w in sorted(ws, key=lambda w: w.box[0])), float(np.mean([w.conf for w in ws])))
            for k, ws in found.items()}


def _variant_readings(engine: OcrEngine, img: np.ndarray, first: str) -> tuple[str, ...]:
    """Other readings of a prepared number crop that Tesseract read with doubt: the crop slightly blurred, and
    widened by ``WIDEN``. On small blurred figures Tesseract's reading swings with such changes (淮安 2024 at
    150 dpi: 3001 read 001 as prepared, 3001 blurred; 34 read nothing, 34 widened); the readings that differ
    from ``first`` go to the repair as second readings, where the arithmetic chooses."""
    out: list[str] = []
    wide = cv2.resize(img, None, fx=WIDEN, fy=1.0, interpolation=cv2.INTER_CUBIC)
    for im in (cv2.GaussianBlur(img, (3, 3), 0), wide):
        text = "".join(t.text for t in engine.read(im, lang="eng", psm=7, whitelist=DIGITS))
        if text and text != first and text not in out:
            out.append(text)
    return tuple(out)


def _digit_cells(engine: OcrEngine, clean: np.ndarray, binary: np.ndarray, grid: Grid, glyph_h: float,
                 margin: int, variants: dict[tuple[int, int], tuple[str, ...]] | None = None,
                 ) -> dict[tuple[int, int], tuple[str, float]]:
    """Read every cell alone with a digit whitelist as one text line (psm 7): rules erased, trimmed to its ink,
    scaled to the glyph height Tesseract reads best and padded (``ocr.cells.prepare_number``). Measured on the
    corpus scan: every figure right, where the whole-row reading lost the second 1 of 11. Cells spanning
    columns (table 二's single figures) and rows are read too: a row boundary found in other columns only (a
    stroke of a wrapped label at 150 dpi) leaves the figures of that row in cells two grid rows tall; labels
    come back too wide for their digits and are dropped below. ``variants``, when given, receives other
    readings of the cells read with confidence below SECOND_OPINION_CONF (``_variant_readings``)."""
    out = {}
    for c in grid.cells:
        x0, y0, x1, y1 = c.bbox
        sl = (slice(y0 + margin, max(y0 + margin + 1, y1 - margin)),
              slice(x0 + margin, max(x0 + margin + 1, x1 - margin)))
        img = prepare_number(clean[sl], np.where(clean[sl] < 255, binary[sl], 0).astype(np.uint8), glyph_h)
        if img is None:
            continue
        toks = engine.read(img, lang="eng", psm=7, whitelist=DIGITS)
        if not toks and img.shape[1] - 2 * PAD <= RETRY_WIDTH * TARGET_GLYPH_H:
            for psm in RETRY_PSMS:  # psm 7 now and then returns nothing for a lone clean glyph
                toks = engine.read(img, lang="eng", psm=psm, whitelist=DIGITS)
                if toks:
                    break
        text = "".join(t.text for t in toks)
        conf = float(np.mean([t.conf for t in toks])) if toks else 0.0
        looks: tuple[str, ...] | None = None
        digits, ink_w = sum(ch.isdigit() for ch in text), img.shape[1] - 2 * PAD
        if digits and TARGET_GLYPH_H * (WIDE_DIGITS * digits + WIDE_SLACK) < ink_w <= TARGET_GLYPH_H * (
                0.8 * len(text) + 1):  # (wider still: a label the whitelist forced into digits, dropped below)
            block = "".join(t.text for t in engine.read(img, lang="eng", psm=6, whitelist=DIGITS))
            if sum(ch.isdigit() for ch in block) > digits:  # the reading the ink's width fits comes first
                others = (text,) + _variant_readings(engine, img, text)
                text, conf, looks = block, 0.0, tuple(dict.fromkeys(v for v in others if v != block))
        if not text and img.shape[1] - 2 * PAD <= RETRY_WIDTH * TARGET_GLYPH_H:
            # still nothing (a blurred 11 at 150 dpi): the second looks' readings, the first taken as the cell's
            # at confidence 0 (the repair may give it up as cheaply as garbage)
            looks = _variant_readings(engine, img, "")
            if looks:
                text, looks, conf = looks[0], looks[1:], 0.0
        if text and img.shape[1] - 2 * PAD <= TARGET_GLYPH_H * (0.8 * len(text) + 1):
            if glyph_count(np.where(clean[sl] < 255, binary[sl], 0), glyph_h) > sum(ch.isdigit() for ch in text):
                conf = 0.0  # more glyphs printed than digits read: one was lost (118 read 18), whatever the engine says
            out[c.row, c.col] = (text, conf)
            if variants is not None and conf < SECOND_OPINION_CONF:
                variants[c.row, c.col] = looks if looks is not None else _variant_readings(engine, img, text)
        # else: ink far wider than that many digits (a digit is about half a glyph wide): a label the
        # whitelist forced into digits, not a number
    return out


def _han_wide(han: str, digits: str, width: float | None, glyph_h: float) -> bool:
    """Whether a cell's ink, ``width`` px wide, is closer to the width of the Chinese characters one model read
    in it (``han``: about ``HAN_WIDTH`` glyph heights each) than to that of the figure the digit model read
    (``digits``, its longest reading of the cell: about ``DIGIT_WIDTH`` each): a two-character label (规章 at 150
    dpi) that the digit whitelist forced into 18 is a label, a blurred 1 read 上 is a number."""
    n_han = len(HAN.findall(han))
    if width is None or n_han < 2:  # one character is too short a reading to judge by its width
        return False
    n_dig = sum(ch.isdigit() for ch in digits)
    return abs(width - n_han * HAN_WIDTH * glyph_h) < abs(width - n_dig * DIGIT_WIDTH * glyph_h)


def label_crop(crop: np.ndarray, glyph_h: float) -> np.ndarray:
    """A label cell's crop (white paper, ``whiten_paper``) trimmed to its ink, specks below ``SPECK`` glyph
    heights both ways left out: the strip then scales text, not the cell's empty margins."""
    box = ink_box((crop < 255).astype(np.uint8) * 255, 4, SPECK * glyph_h)
    if box is None:
        return crop
    x0, y0, x1, y1 = box
    return crop[y0:y1, x0:x1]


def _blank(clean: np.ndarray, binary: np.ndarray, box: tuple[int, int, int, int], margin: int,
           glyph_h: float) -> bool:
    """Whether the cell at ``box`` holds no mark (``ocr.cells.is_empty`` on its ink less the erased rules). The
    binarised ink, not a gray-level share: two blurred characters in a wide cell (规章 at 200 dpi) hold too few
    pixels darker than mid-gray to count, and were never read."""
    ink = _inset(clean, box, margin) < 255
    return is_empty(np.where(ink, _inset(binary, box, margin), 0), glyph_h)


@dataclass
class GridText:
    """Text, confidence (0–1) and other readings of each grid position (spanning cells in their first one)."""

    rows: list[list[str]]
    confidences: list[list[float]]
    alternatives: dict[tuple[int, int], tuple[str, ...]]
    empty: set[tuple[int, int]] = field(default_factory=set)  # grid positions whose cell holds no ink at all
    grid: Grid | None = None  # the grid as read (``_grid_rows`` sets it: label cells split by ``split_label_cells``)


def _lone_chars_among_numbers(text: GridText, grid: Grid, share: float = NUMBER_COLUMN) -> None:
    """Blank out (unread, confidence 0) the marks read as one or two Chinese characters and no digit (punctuation
    aside) below the first figure of a column whose other readings are mostly numbers: a blurred figure the Chinese
    model took for a character (11 read 也 in a 150 dpi 总计 column), or a 0 under a seal's red ink read 户“ or
    .上-, which the row reader would otherwise take for label text. A none-symbol (无) is kept; the headers over a
    column of figures stand above its first figure (总计, 其他), and label columns are not mostly numbers."""
    for col in range(grid.n_cols):
        cells = [r for r in range(grid.n_rows) if text.rows[r][col].strip()]  # (a spanning cell: at its origin)
        numbers = [r for r in cells if NUMBERISH.match(text.rows[r][col].replace(" ", ""))]
        if not numbers or len(numbers) < share * len(cells):
            continue
        for r in cells:
            t = text.rows[r][col].strip()
            han = HAN.findall(t)
            if (1 <= len(han) <= 2 and not any(ch.isdigit() for ch in t) and not is_none_symbol(t)
                    and (r > numbers[0] or len(t) == 1)):
                text.rows[r][col] = ""
                text.confidences[r][col] = 0.0


def _grid_rows(engine: OcrEngine, layout: PageLayout, grid: Grid) -> GridText:
    """Labels from the Chinese model (the cells that are not confidently numbers, stacked in one strip, rules
    erased), numbers read cell by cell
    (``_digit_cells``) and again as whole rows (``_digit_rows``): where the two number readings differ, the row
    reading is kept as an alternative for the repair to weigh."""
    gray = layout.gray
    clean = erase_rules(gray, *grid_rules(layout, grid))
    glyph_h = grid_glyph_height(layout.binary, np.where(clean == 255, 255, 0).astype(np.uint8), grid,
                                layout.glyph_h)  # the table's own text, not the page's dominant font ...
    if glyph_h < MIN_TABLE_GLYPH * layout.glyph_h:
        glyph_h = layout.glyph_h  # ... unless noise made it implausibly small: the glyphs the rules were found with
    margin = max(2, round(glyph_h * 0.15))
    variants: dict[tuple[int, int], tuple[str, ...]] = {}
    digits = _digit_cells(engine, clean, layout.binary, grid, glyph_h, margin, variants)  # gray: a faint minus survives
    doubtful = {r for (r, _c), (_t, conf) in digits.items() if conf < SECOND_OPINION_CONF}
    second = _digit_rows(engine, gray, grid, margin, doubtful) if doubtful else {}
    # the Chinese model reads only cells that are not confidently numbers: fewer lines in its strip (its cost
    # grows with them) and none of the number lines that disturb its reading of the labels
    blank = {(c.row, c.col) for c in grid.cells if _blank(clean, layout.binary, c.bbox, margin, glyph_h)}
    split = split_label_cells(grid, {k for k, (t, _) in digits.items() if t.strip(".-/")}, blank)
    if split is not grid:  # labels of several rows read as one cell: each row's label read on its own
        cut = set(split.cells) - set(grid.cells)
        blank = (blank - {(c.row, c.col) for c in cut}) | {
            (c.row, c.col) for c in cut if _blank(clean, layout.binary, c.bbox, margin, glyph_h)}
        grid = split
    cells = [c for c in grid.cells if (c.row, c.col) not in blank
             and digits.get((c.row, c.col), ("", 0.0))[1] < NUMBER_CONF]
    # labels are read on white paper (``whiten_paper``: the page's own local binarisation decides what is ink)
    ink = whiten_paper(gray, np.where(clean < 255, layout.binary, 0))
    # trimmed to their ink and scaled from the table's glyph height (not from the cell's height: 淮安 2024's labels,
    # 13 px glyphs in 45 px rows at 150 dpi, were shrunk to 12 px and read as noise)
    crops = [label_crop(_inset(ink, c.bbox, margin), glyph_h) for c in cells]
    scale = LABEL_GLYPH_H / glyph_h
    first = read_strip(engine, crops, "chi_sim", scales=[scale] * len(crops))
    for k in range(len(cells)):  # the strip read nothing in a cell with ink: read that one line alone
        crop = _resize(crops[k], scale)
        if not first[k][0] and crops[k].shape[0] < LINE_CELL * glyph_h:
            toks = engine.read(cv2.copyMakeBorder(crop, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255),
                               lang="chi_sim", psm=13)
            if toks:
                first[k] = ("".join(t.text for t in toks), float(np.mean([t.conf for t in toks])))
    widths = {}  # ink width (px) of the cells both models read something in
    for c, (tx, _cf) in zip(cells, first):
        if HAN.search(tx) and digits.get((c.row, c.col), ("", 0.0))[0]:
            m = _inset(clean, c.bbox, margin) < 255
            box = ink_box(np.where(m, _inset(layout.binary, c.bbox, margin), 0).astype(np.uint8), 4,
                          SPECK * glyph_h, max_gap=glyph_h)
            if box is not None:
                widths[c.row, c.col] = box[2] - box[0]
    out = GridText([["" for _ in range(grid.n_cols)] for _ in range(grid.n_rows)],
                   [[0.0 for _ in range(grid.n_cols)] for _ in range(grid.n_rows)], {})
    read = {id(c): tc for c, tc in zip(cells, first)}
    for c in grid.cells:  # a thin "1" may be read by the digit model alone: its reading decides
        t, conf = read.get(id(c), ("", 0.0))
        d, dconf = digits.get((c.row, c.col), ("", 0.0))
        number = False
        if len(t.strip()) <= 1 and is_none_symbol(d):  # a dash or slash printed for none (the label model reads
            t, conf = d, dconf  # nothing there, or a lone 一 or 四): the cell is not blank
        if HAN.search(t) and len(t) <= 2 and d.strip(".-/") and not _han_wide(
                t, max((d, second.get((c.row, c.col), ("", 0.0))[0], *variants.get((c.row, c.col), ())),
                       key=lambda r: sum(ch.isdigit() for ch in r)),  # its longest reading (319; blurred 3119)
                widths.get((c.row, c.col)), glyph_h):
            t, conf, number = d, dconf, True  # a number the Chinese model took for a character
        elif NOISY_NUMBER.match(t) and not d:  # 多浊1: specks and a digit where no number was read: unreadable
            t, conf = "", 0.0
        elif NOISY_SUFFIX.match(t):  # 1080人: the digit model's reading decides, else the figure without the speck
            t, conf, number = (d, dconf, True) if d.strip(".-/") else (re.sub(r"[^\d.\s]", "", t).strip(), 0.0, True)
        elif NOISY_NUMBER.match(t) and d.strip(".-/"):  # 了77: the digit model's reading of the figure decides
            t, conf, number = d, dconf, True
        elif (len(t) == 1 and HAN.search(t) and conf < LONE_CHAR_CONF and not d.strip(".-/")
              and not is_none_symbol(t)):
            t, conf = "", 0.0  # a lone character guessed at (a blurred 1 read 上 at 0.18): unreadable, not a label
        if not HAN.search(t):  # a number cell (or one the Chinese model read nothing in)
            if d.strip(".-/"):
                t, conf, number = d, dconf, True
            elif not NUMBERISH.match(t.replace(" ", "")):
                t = ""
        if number:
            others = (second.get((c.row, c.col), ("", 0.0))[0],) + variants.get((c.row, c.col), ())
            others = tuple(dict.fromkeys(o for o in others if o.strip(".-/") and o != t))
            if others:
                out.alternatives[c.row, c.col] = others
        out.rows[c.row][c.col] = t.replace("|", "").replace("\t", " ")
        out.confidences[c.row][c.col] = conf
        if not out.rows[c.row][c.col].strip() and (c.row, c.col) in blank:
            out.empty.add((c.row, c.col))  # printed blank, not a figure the reading lost
    _lone_chars_among_numbers(out, grid)
    out.grid = grid
    return out


def page_text(page: int, image: np.ndarray, engine: OcrEngine | None = None) -> PageText:
    """The lines of one scanned page, tables as tab-separated rows, in reading order (``engine``: the process's
    default OCR engine unless given)."""
    engine = engine or get_engine()
    scale = min(1.0, MAX_SIDE / max(image.shape[:2]))
    if scale < 1.0:  # a 300 dpi page costs 2.25× the pixels of 200 dpi and reads no better: work at ≈ 200 dpi
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if float((image < 128).mean()) < 0.0005:
        return PageText(page)  # a blank page
    try:
        lay = analyse_page(image)
    except ValueError:  # no glyph-like ink at all (a photo, a blank scan with specks)
        return PageText(page)
    items: list[tuple[float, str, tuple[CellRead, ...] | None, tuple[int, int, int, int] | None]] = []  # (y, line,
    # cells of a grid row, box of a text line outside the grids)
    # the page text too, on white paper without its rules (a table's frame left beside the blanked grid, bent by
    # perspective, was read as letters glued to the heading next to it), the tables blanked below
    free = whiten_paper(erase_rules(lay.gray, lay.h_mask, lay.v_mask, grow=2), lay.binary)

    def unscaled(box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        return tuple(float(round(v / scale)) for v in box)  # type: ignore[return-value]

    for grid in lay.grids:
        x0, y0, x1, y1 = grid.bbox
        free[y0:y1 + 1, x0:x1 + 1] = 255
        gt = _grid_rows(engine, lay, grid)
        grid = gt.grid or grid
        for r, (fields, cf) in enumerate(zip(gt.rows, gt.confidences)):
            cells = []
            for c in range(grid.n_cols):
                gc = grid.cell_at(r, c)
                cells.append(CellRead(r, c, unscaled(gc.bbox), Origin.pixels, fields[c], cf[c],
                                      gt.alternatives.get((r, c), ()), (r, c) in gt.empty, gc.row_span, gc.col_span))
            row = tuple(cells)
            items.append((grid.rows[r], row_line(row), row, None))
    for y, text, box in free_lines(engine, free, lay.text_glyph_h or lay.glyph_h):
        items.append((y, text, None, box))
    items.sort(key=lambda it: it[0])
    out = PageText(page)
    for _y, text, row_cells, line_box in items:
        ln = len(out.lines)
        out.lines.append(text)
        if row_cells is not None:
            out.rows[ln] = row_cells
        elif line_box is not None:  # a text line outside the tables
            out.line_boxes[ln] = tuple(round(v / scale) for v in line_box)  # type: ignore[assignment]
    return out
