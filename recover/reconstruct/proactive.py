"""Rebuild table 二 (主动公开) from text rows.

Each block of table 二 prints its own column headers, and real reports mix the 2019 and 2021 headers
in one table. The headers seen most recently decide the column keys of the rows that follow them, so
every block is keyed by the columns it actually prints; the table's format is 2019, 2021 or hybrid.
"""

from __future__ import annotations

from typing import TypeVar

from rapidfuzz import fuzz

from recover.catalogue import Catalogue, Column, Row, Table
from recover.layout.text.rows import TextRow
from recover.match.labels import similarity
from recover.match.normalise import normalise
from recover.model import Cell, Token
from recover.reconstruct.tables import TableBuild
from recover.reconstruct.units import row_units

T = TypeVar("T")


def _longest_first(names: list[tuple[str, T]]) -> list[tuple[str, T]]:
    """``names`` ordered for ``_find_all``: longest first (in their order among names of one length)."""
    return sorted(names, key=lambda x: -len(x[0]))


def _find_all(text: str, names: list[tuple[str, T]]) -> list[tuple[int, T]]:
    """Non-overlapping occurrences of the given (normalised) names in text, the longer names taking their places
    first (``names``: ordered by ``_longest_first``)."""
    taken = [False] * len(text)
    hits: list[tuple[int, T]] = []
    for name, obj in names:
        start = 0
        while name and (i := text.find(name, start)) >= 0:
            if not any(taken[i:i + len(name)]):
                hits.append((i, obj))
                for k in range(i, i + len(name)):
                    taken[k] = True
            start = i + 1
    return sorted(hits, key=lambda h: h[0])


HEADER_SIMILARITY = 0.7  # a misread header cell (OCR: 2年新息作数量) is taken for the column label it is this close to
ORDER_SIMILARITY = 0.6  # a label this close to a template row names it when the order of rows allows no other
HEADER_WORD = "信息内容"  # the first cell of every block's header line


def _read_header(context: str, col_names: list[tuple[str, Column]]) -> list[Column]:
    """The columns a block's header line names when none is printed exactly (a scanned header, its cells read
    with a character or two wrong): each cell after 信息内容 taken for the column label it is closest to, if
    ``HEADER_SIMILARITY`` close and closer than to any other column."""
    at = context.rfind(HEADER_WORD)
    if at < 0:
        return []
    out: list[Column] = []
    for cell in context[at + len(HEADER_WORD):].split():
        cell = normalise(cell)
        scored = sorted(((fuzz.ratio(cell, name) / 100.0, col) for name, col in col_names), key=lambda x: -x[0])
        if not scored or scored[0][0] < HEADER_SIMILARITY:
            continue
        if len(scored) > 1 and scored[1][1].id != scored[0][1].id and scored[1][0] >= scored[0][0]:
            continue  # as close to another column: unread
        out.append(scored[0][1])
    return out


def _columns_for(table: Table, row: Row, header: list[Column], n_values: int) -> tuple[str, list[Column]]:
    """The format and columns a row is printed with: the format with as many columns as the row prints figures
    whose column set holds the block's headers (a scan's header cell split by a stroke read as a rule loses some
    of its headers: 行政许可's 2019 columns with only 处理决定数量 read must not be taken for its 2021 one); else
    the block's headers if they fit the row, else the format whose column set they belong to, else the format
    whose column count matches the values."""
    ids = [c.id for c in header]
    for fmt, cols in row.columns.items():
        if ids and len(cols) == n_values and set(ids) <= set(cols) and len(row.columns) > 1:
            return fmt, [table.column(cid) for cid in cols]
    for fmt, cols in row.columns.items():
        if ids and ids == list(cols):
            return fmt, header
    for fmt, cols in row.columns.items():  # headers partly lost: take the format they belong to
        if ids and set(ids) <= set(cols) and len(cols) >= n_values:
            return fmt, [table.column(cid) for cid in cols]
    for fmt, cols in row.columns.items():  # ... even when more figures were read than it has cells (a label's
        if ids and set(ids) <= set(cols) and len(row.columns) > 1:  # stroke read as 0): the repair weighs them
            return fmt, [table.column(cid) for cid in cols]
    fmt = sorted(row.columns, key=lambda f: (len(row.columns[f]) != n_values, f != "2021"))[0]
    return fmt, [table.column(cid) for cid in row.columns[fmt]]


def _in_place(tr: TextRow) -> list[Token] | None:
    """A separated line's value cells with its printed blanks in their places (trailing empty cells dropped),
    when it has blanks among its figures: a scan whose 1 was lost prints 规章 | | 0 | 11, and without the blank's
    place 0 and 11 would shift into the first two columns. None when every cell holds a figure (or the row was
    not read from separated cells)."""
    if not tr.line_mode:
        return None
    cells = list(tr.values)
    while cells and cells[-1].is_blank:
        cells.pop()
    return cells if any(t.is_blank for t in cells) else None


def _place_rows(table: Table, rows: list[TextRow], col_names: list[tuple[str, Column]],
                row_names: list[tuple[str, Row]]) -> list[tuple[TextRow, Row | None, list[Column]]]:
    """Each text row with the template row its label names (None if none) and the column headers it prints.

    A row of figures read from a grid, or whose label is a block's header line (its own label unread, 规章 lost
    at 150 dpi, so its figures joined the header above them), that names no row (行政强制 read 牙绩制) is placed by
    the order of the template: when n such rows lie between two placed rows and exactly n template rows lie between
    theirs (行政处罚 and 行政强制 read 政处轩 and 政强秆), they are those rows, in order. A label read too badly to
    name a row alone (行政事焊性下各) names the template row between its placed neighbours' rows it is
    ``ORDER_SIMILARITY`` close to, when no other row there is as close (0.1 apart)."""
    out: list[tuple[TextRow, Row | None, list[Column]]] = []
    for tr in rows:
        text = normalise(f"{tr.context} {tr.label}")
        cols_here = [c for _, c in _find_all(text, col_names)] or _read_header(tr.context, col_names)
        rows_here = [r for _, r in _find_all(text, row_names)]
        row: Row | None = rows_here[-1] if rows_here else None
        if row is None:
            best = max(table.rows, key=lambda r: similarity(tr.label, r))
            row = best if similarity(tr.label, best) >= 0.7 else None
        out.append((tr, row, cols_here))
    order = {r.key: k for k, r in enumerate(table.rows)}
    headed = [k for k, (tr, row, _) in enumerate(out)
              if row is None and tr.filled and (tr.line_mode or _find_all(normalise(tr.label), col_names))]
    gaps: dict[tuple[int, int], list[int]] = {}
    for k in headed:
        gaps.setdefault(_between(out, k, order), []).append(k)
    for (lo, hi), ks in gaps.items():
        if hi - lo - 1 == len(ks):
            for n, k in enumerate(ks):
                out[k] = (out[k][0], table.rows[lo + 1 + n], out[k][2])
    for k, (tr, row, cols_here) in enumerate(out):
        if row is not None or not tr.filled:
            continue
        lo, hi = _between(out, k, order)
        scored = sorted(((similarity(tr.label, r), r) for r in table.rows[lo + 1:hi]), key=lambda x: -x[0])
        if scored and scored[0][0] >= ORDER_SIMILARITY and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.1):
            out[k] = (tr, scored[0][1], cols_here)
    return out


def _between(out: list[tuple[TextRow, Row | None, list[Column]]], k: int, order: dict[str, int]) -> tuple[int, int]:
    """Template positions of the nearest placed rows before and after text row ``k`` (-1 and len: none)."""
    before = [order[r.key] for _, r, _ in out[:k] if r is not None]
    after = [order[r.key] for _, r, _ in out[k + 1:] if r is not None]
    return max(before, default=-1), min(after, default=len(order))


def build_proactive(rows: list[TextRow], cat: Catalogue, glued: bool) -> TableBuild:
    table = cat.tables["proactive"]
    col_names = _longest_first([(normalise(lab), c) for c in table.columns for lab in c.labels])
    row_names = _longest_first([(normalise(lab), r) for r in table.rows for lab in r.labels])
    build = TableBuild(table.key, None, False)
    header: list[Column] = []
    seen_formats: set[str] = set()
    done: set[str] = set()
    placed = _place_rows(table, rows, col_names, row_names)
    for tr, row, cols_here in placed:
        if cols_here:
            header = cols_here
        if row is None or row.key in done or not tr.filled:
            if tr.filled:
                build.notes.append(f"table 二: values {[t.text for t in tr.filled]} after '{tr.label}' not placed")
            continue
        done.add(row.key)
        cells = _in_place(tr)
        if cells is not None and len(cells) not in {len(c) for c in row.columns.values()}:
            cells = None  # blanks of a grid's extra columns (a spanning cell, a stroke read as a rule): not cells
        fmt, cols = _columns_for(table, row, header, len(cells or tr.filled))
        if cells is not None and len(cells) != len(cols):
            cells = None
        seen_formats.add(fmt)
        keys = [(table.key, row.key, c.key) for c in cols]
        build.cells += [Cell(*k) for k in keys]
        build.units += row_units(keys, cells or tr.filled, None if cells is None else list(range(len(cells))),
                                 False, glued, kinds=[c.type for c in cols])
    build.found = bool(build.cells)
    if len(seen_formats) == 1:  # rows printed with every cell blank (or lost) are still the table's: missing
        fmt = next(iter(seen_formats))
        build.cells += [Cell(table.key, r.key, table.column(cid).key) for r in table.rows
                        if r.key not in done for cid in r.columns.get(fmt, ())]
    if not build.found:  # not printed: report the cells of the current (2021) format as missing
        build.cells = [Cell(table.key, r.key, table.column(cid).key) for r in table.rows_for("2021")
                       for cid in r.columns.get("2021", ())]
    build.format = (seen_formats.pop() if len(seen_formats) == 1 else "hybrid") if seen_formats else None
    return build
