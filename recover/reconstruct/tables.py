"""Rebuild the canonical tables 三 (applications) and 四 (review_litigation) from text rows."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from recover.catalogue import Catalogue, Table
from recover.layout.text.rows import TextRow
from recover.match.labels import align, similarity_matrix
from recover.model import Cell, CellKey, Channel, Hypothesis, Token, Unit
from recover.read.values import HAN
from recover.reconstruct.placement import UNPLACED
from recover.reconstruct.units import row_units

SPARSE_ROWS = 0.3  # share of rows printing fewer values than cells above which blanks mean 0


@dataclass
class TableBuild:
    table: str
    format: str | None
    found: bool
    units: list[Unit] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    all_blank: bool = False  # found as a printed row of cells all left blank (no figure read in the table)


def _cells(table: Table, row_keys: list[str], columns: list[str]) -> list[Cell]:
    return [Cell(table.key, r, c) for r in row_keys for c in columns]


def _grid(rows: list[TextRow], n: int) -> dict[int, int] | None:
    """Source column -> cell index, learnt from the rows that print all n values on a separated line."""
    shapes: Counter[tuple[int, ...]] = Counter()
    for r in rows:
        if r.line_mode and len(r.filled) == n:
            shape = tuple(t.col for t in r.filled if t.col is not None)
            if len(shape) == n:
                shapes[shape] += 1
    if not shapes:
        return _grid_from_right(rows, n)
    cols, _ = shapes.most_common(1)[0]
    if list(cols) != list(range(cols[0], cols[0] + n)):
        return None
    return {c: i for i, c in enumerate(cols)}


def _unplaced(u: Unit) -> Unit:
    """The unit with every hypothesis marked unproven (``UNPLACED``): its cells can only come back ambiguous."""
    hyps = [Hypothesis(h.values, h.observed, h.cost, h.why + UNPLACED, h.soft) for h in u.hypotheses]
    return Unit(u.cells, u.tokens, hyps, reliable=u.reliable, override_cost=u.override_cost)


def _grid_from_right(rows: list[TextRow], n: int) -> dict[int, int] | None:
    """Source column -> cell index when no row prints every value (blank cells for none): the value
    columns are the n rightmost columns of the grid, ending at the column where most rows print their
    last figure (the total), provided most rows print all their figures inside those n columns and labels
    inside them (a grid that lost a column rule: its value columns would start among the labels)."""
    line_rows, line_cols = [], []  # rows of separated cells whose figures all have a column, and those columns
    for r in rows:
        cs = [t.col for t in r.filled if t.col is not None]
        if r.line_mode and r.filled and len(cs) == len(r.filled):
            line_rows.append(r)
            line_cols.append(cs)
    if len(line_rows) < 3:
        return None
    last, count = Counter(max(cs) for cs in line_cols).most_common(1)[0]
    first = last - n + 1
    inside = sum(1 for cs in line_cols if all(first <= c <= last for c in cs))
    if first < 0 or count < 0.5 * len(line_rows) or inside < 0.8 * len(line_rows):
        return None
    labelled = sum(1 for r in line_rows if any(t.col is not None and first <= t.col <= last for t in r.labels))
    if labelled > 0.2 * len(line_rows):
        return None
    return {first + i: i for i in range(n)}


def _grids(rows: list[TextRow], n: int) -> dict[int | None, dict[int, int] | None]:
    """Source column -> cell index for each shape of source line (its number of cells, ``TextRow.width``).

    A table split over pages, or read from several grids, numbers its columns per grid: table 三's first
    part has three label columns (group, row, sub-row) before its seven figures, its continuation after a
    page break one, so one mapping learnt from all rows would put the continuation's figures two columns
    off. The rows of one line shape share their columns; a shape with too few rows to learn from
    (the two rows of a continuation whose blanks mean none) takes the last n columns when every figure it
    prints lies there and no label does (the template's last column is the total)."""
    groups: dict[int | None, list[TextRow]] = {}
    for r in rows:
        groups.setdefault(r.width if r.line_mode else None, []).append(r)
    out: dict[int | None, dict[int, int] | None] = {}
    for width, group in groups.items():
        grid = _grid(group, n)
        if grid is None and width is not None and width > n and all(
                all(t.col is not None and width - n <= t.col < width for t in r.filled)
                and not any(t.col is not None and t.col >= width - n for t in r.labels) for r in group):
            grid = {width - n + i: i for i in range(n)}
        out[width] = grid
    return out


def _blank_row(r: TextRow, grid: dict[int, int] | None, n: int) -> bool:
    """A separated line printing no figure is a row of the table (every cell blank: zeros left blank, or figures
    not read) when its blank cells fill the value columns of its line shape's grid, learnt from the rows that
    print figures, and its labels stand before them (a header line prints labels over those columns; blanks
    before them are the columns a label cell spans)."""
    if grid is None or not r.line_mode or not r.labels:
        return False
    cols = {t.col for t in r.values if t.col is not None}
    label_cols = {t.col for t in r.labels if t.col is not None}
    if any(t.col is None for t in r.values) or any(t.col is None for t in r.labels):
        return False
    first = min(grid)
    return len(grid) == n and cols >= set(grid) and all(c < first for c in cols - set(grid)) and all(
        c < first for c in label_cols)


def _row_total(values: list[int | None]) -> bool:
    return None in values or sum(v for v in values[:-1] if v is not None) == values[-1]


def build_applications(rows: list[TextRow], cat: Catalogue, glued: bool) -> TableBuild:
    table = cat.tables["applications"]
    cols = [c.key for c in table.columns]
    n = len(cols)
    filled = [r for r in rows if r.filled]
    if not filled:
        return TableBuild(table.key, None, False, cells=_cells(table, [r.key for r in table.rows_for("2021")], cols))
    grids = _grids(filled, n)
    rows = [r for r in rows if r.filled or _blank_row(r, grids.get(r.width), n)]
    labels = [r.label for r in rows]
    every = similarity_matrix(labels, list(table.rows))  # once for the rows of both formats
    scored = {fmt: align(labels, list(table.rows_for(fmt)),
                         every[:, [k for k, r in enumerate(table.rows) if fmt in r.formats]])
              for fmt in ("2021", "2019")}
    fmt = max(scored, key=lambda f: (round(scored[f].score, 6), f == "2021"))
    template = list(table.rows_for(fmt))
    build = TableBuild(table.key, fmt, True, cells=_cells(table, [r.key for r in template], cols))
    matched = [rows[i] for i, _, _ in scored[fmt].pairs]
    sparse = sum(1 for r in matched if len(r.filled) < n) > SPARSE_ROWS * max(len(matched), 1)
    for i, j, sim in scored[fmt].pairs:
        row, key = rows[i], template[j].key
        keys: list[CellKey] = [(table.key, key, c) for c in cols]
        toks: list[Token] = row.values
        positions: list[int | None] | None = None
        grid = grids.get(row.width if row.line_mode else None)
        if grid is not None and row.line_mode:
            in_grid = [t for t in toks if t.col in grid]
            debris = [t for t in toks if not t.is_blank and t.col not in grid]
            if len(in_grid) == n and (not debris or all(
                    t.channel is Channel.ocr and t.col is not None and t.col < min(grid) for t in debris)):
                # (a scanned grid's mark left of its columns of figures is in a label's cells: the 1. of 1.信访举报
                # read alone, the 计 of 总计 read as a dash; not a figure of the row)
                toks, positions = in_grid, [grid[t.col] for t in in_grid]  # type: ignore[index]
                if debris:
                    build.notes.append(f"row '{row.label}': {[t.text for t in debris]} read in its label cells, "
                                       "left of the columns of figures, are not its figures")
            else:
                positions = [grid.get(t.col) if t.col is not None else None for t in toks]
        if row.stream_blanks and len(toks) == n:  # one cell per line, its blank cells printed: all in place
            positions = list(range(n))
        units = row_units(keys, toks, positions, sparse, glued, consistent=_row_total)
        if grid is None and row.line_mode and any(t.channel is Channel.ocr and t.col is not None for t in row.filled):
            units = [_unplaced(u) if len(u.cells) > 1 else u for u in units]
        build.units += units
        if sim < 0.6:
            build.notes.append(f"row '{row.label}' placed as {key} by its neighbours (label similarity {sim:.2f})")
    unmatched = [r for k, r in enumerate(rows) if k not in {i for i, _, _ in scored[fmt].pairs}]
    for r in unmatched:
        build.notes.append(f"printed row '{r.label}' with {len(r.filled)} values matched no template row")
    return build


def _group_totals(values: list[int | None]) -> bool:
    for g in range(0, len(values), 5):
        part = values[g:g + 5]
        if len(part) == 5 and None not in part and sum(part[:4]) != part[4]:  # type: ignore[arg-type]
            return False
    return True


REVIEW_WORDS = re.compile(r"行政复议|行政诉讼|结果|维持|纠正|其他|尚未|审结|总计|未经复议直接起诉|复议后起诉|注")


def _prose(label: str) -> bool:
    """A label that is a sentence of the narrative rather than a header of table 四."""
    rest = REVIEW_WORDS.sub("", label)
    return "。" in label or "，" in label or len(HAN.findall(rest)) >= 8


def _trimmed(cells: list[Token], n: int) -> list[Token]:
    """A separated line's cells less the blank ones past the n-th (trailing tabs)."""
    cells = list(cells)
    while len(cells) > n and cells[-1].is_blank:
        cells.pop()
    return cells


def _blank_review_row(rows: list[TextRow], n: int) -> list[Token] | None:
    """The cells of table 四's row of figures printed with every cell blank (zeros left blank): the last row of its
    grid, n blank cells after the header lines (a ruled grid read cell by cell keeps them; a text layer drops
    them). None when no such row was read."""
    if not rows or not rows[-1].line_mode or rows[-1].label:
        return None
    cells = _trimmed(rows[-1].values, n)
    return cells if len(cells) == n and all(t.is_blank for t in cells) and len(rows) > 1 else None


def build_review(rows: list[TextRow], cat: Catalogue, glued: bool) -> TableBuild:
    table = cat.tables["review_litigation"]
    row_keys = [r.key for r in table.rows]
    cols = [c.key for c in table.columns]
    toks: list[Token] = []
    printed: list[TextRow] = []
    first_cell = next((k for k, r in enumerate(rows) if r.line_mode and r.width and r.filled), 0)
    rows = [r for k, r in enumerate(rows) if k >= first_cell or r.width]  # text between heading and grid: narrative
    for r in rows:
        if toks and _prose(r.label):
            break  # the table has ended; narrative numbers follow
        toks += [t for t in r.values if not t.is_blank]
        if r.filled:
            printed.append(r)
    keys = [(table.key, r, c) for r in row_keys for c in cols]
    if not toks and (blank := _blank_review_row(rows, len(keys))) is not None:
        build = TableBuild(table.key, None, True, cells=_cells(table, row_keys, cols), all_blank=True)
        build.units = row_units(keys, blank, list(range(len(keys))), True, glued, consistent=_group_totals)
        build.notes.append("table 四 prints its row of figures with every cell blank")
        return build
    build = TableBuild(table.key, None, bool(toks), cells=_cells(table, row_keys, cols))  # same in both formats
    if not toks:
        return build
    grid_rows = [r for r in printed if r.line_mode and not r.labels and len(_trimmed(r.values, len(keys))) == len(keys)]
    if len(printed) > 1 and len(grid_rows) == 1:  # the grid's one row of figures; what the header rows hold beside
        printed = grid_rows  # their words is not the table's (总计 printed upright, read 47 by the digit model)
        toks = [t for t in printed[0].values if not t.is_blank]
    positions = None
    line = printed[0].values if len(printed) == 1 and (printed[0].line_mode or printed[0].stream_blanks) else []
    line = _trimmed(line, len(keys))  # a trailing tab; blank last cells keep their places
    if len(line) == len(keys):  # one separated line holding every cell: blanks keep their places
        toks, positions = line, list(range(len(keys)))
    sparse = sum(t.is_blank for t in line) > SPARSE_ROWS * len(keys)
    build.units = row_units(keys, toks, positions, sparse, glued, consistent=_group_totals)
    if positions is not None and (printed[0].width or 0) > len(keys) and any(
            t.channel is Channel.ocr for t in printed[0].filled):  # a scanned grid row wider than the table: strokes
        build.units = [_unplaced(u) for u in build.units]  # taken for rules split its cells; no column is certain
        build.notes.append(f"table 四's row was read in {printed[0].width} grid cells for {len(keys)}")
    n_printed = sum(not t.is_blank for t in toks)
    if n_printed != len(keys):
        build.notes.append(f"table 四 prints {n_printed} values for {len(keys)} cells")
    return build
