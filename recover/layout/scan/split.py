"""Grid refinements that need to know what the cells hold (figures, ink), not only the rules."""

from __future__ import annotations

from recover.layout.scan.grid import Grid, GridCell

__all__ = ["split_label_cells"]


def split_label_cells(grid: Grid, figures: set[tuple[int, int]], empty: set[tuple[int, int]],
                      figure_share: float = 0.6) -> Grid:
    """``grid`` with each label cell that spans several rows of figures cut into one cell per row.

    figures: grid positions (of cells' first positions) read as figures; empty: those holding no ink.
    figure_share: a column is a column of figures when at least this share of its one-position cells that hold
        ink are figures.
    In a statistical table each row of figures has its own label. A cell just left of the first column of
    figures that spans rows each holding their own figure cells is the labels of those rows with the rules
    between them lost (faint on a filled header at 150 dpi: （一）予以公开 over （二）部分公开 read as one cell,
    and every row below it shifted), not one label. A row is a row of figures when its cells in the columns of
    figures are each one row tall and hold at least as many figures as other marks (a header row holds words,
    or cells spanning its header rows). A group label (（三）不予公开) stands left of its rows' own labels, not
    next to the figures, and is kept whole."""
    single = [c for c in grid.cells if c.row_span == 1 and c.col_span == 1 and (c.row, c.col) not in empty]
    cols = [col for col in range(grid.n_cols)
            if (inked := [c for c in single if c.col == col])
            and sum((c.row, c.col) in figures for c in inked) >= figure_share * len(inked) and len(inked) >= 2]
    if not cols:
        return grid
    first = min(cols)

    def figure_row(r: int) -> bool:
        cells = [grid.cell_at(r, col) for col in cols]
        if any(c.row_span > 1 for c in cells):
            return False
        marks = [c for c in cells if (c.row, c.col) not in empty]
        read = sum((c.row, c.col) in figures for c in marks)
        return read > 0 and read >= len(marks) - read

    out: list[GridCell] = []
    for c in grid.cells:
        span = range(c.row, c.row + c.row_span)
        if c.row_span > 1 and c.col + c.col_span == first and all(figure_row(r) for r in span):
            out += [GridCell(r, c.col, 1, c.col_span, (c.bbox[0], grid.rows[r], c.bbox[2], grid.rows[r + 1]))
                    for r in span]
        else:
            out.append(c)
    if len(out) == len(grid.cells):
        return grid
    return Grid(grid.rows, grid.cols, grid.bbox, sorted(out, key=lambda c: (c.row, c.col)))
