"""layout.scan_text: how a scanned grid's readings become a table's rows."""

from __future__ import annotations

from recover.layout.grid import Grid, GridCell
from recover.layout.scan_text import GridText, _lone_chars_among_numbers


def _grid(rows: list[list[str]]) -> tuple[Grid, GridText]:
    n_rows, n_cols = len(rows), len(rows[0])
    cells = [GridCell(r, c, 1, 1, (c * 10, r * 10, c * 10 + 10, r * 10 + 10))
             for r in range(n_rows) for c in range(n_cols)]
    grid = Grid(tuple(range(0, 10 * n_rows + 1, 10)), tuple(range(0, 10 * n_cols + 1, 10)),
                (0, 0, 10 * n_cols, 10 * n_rows), cells)
    return grid, GridText([list(r) for r in rows], [[0.7] * n_cols for _ in rows], {})


def test_a_lone_character_in_a_column_of_figures_is_unread():
    # synth_0003 at 150 dpi: the 总计 of 2.重复申请 (11) read 也 by the Chinese model, nothing by the digit model
    grid, text = _grid([["", "自然人", "总计"],
                        ["1.信访举报投诉类申请", "66", "69"],
                        ["2.重复申请", "1", "也"],
                        ["3.要求提供公开出版物", "0", "0"],
                        ["4.无正当理由大量反复申请", "无", "0"]])
    _lone_chars_among_numbers(text, grid)
    assert [r[2] for r in text.rows] == ["总计", "69", "", "0", "0"]
    assert text.confidences[2][2] == 0.0
    assert text.rows[4][1] == "无"  # printed for none: kept
    assert text.rows[2][0] == "2.重复申请"  # the label column is no column of figures


def test_a_lone_character_in_a_label_column_stays():
    grid, text = _grid([["章", "1"], ["规", "0"], ["其他", "3"]])
    _lone_chars_among_numbers(text, grid)
    assert [r[0] for r in text.rows] == ["章", "规", "其他"]
