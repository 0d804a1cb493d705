"""layout.scan.scan_text: how a scanned grid's readings become a table's rows."""

from __future__ import annotations

import numpy as np

from recover.layout.scan.grid import Grid, GridCell
from recover.layout.scan.scan_text import GridText, _lone_chars_among_numbers


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


def test_seal_ink_read_as_characters_under_the_figures_is_unread():
    # family fam19_01 at 150 dpi: a red seal over the last rows of table 三; two 0s came back as .上- and 户“, and
    # the row reader took them for label text and lost the rows
    grid, text = _grid([["", "自然人", "其他", "总计"],
                        ["1.信访举报投诉类申请", "2", "0", "2"],
                        ["2.重复申请", "0", "1", "1"],
                        ["3.要求提供公开出版物", "0", "0", "0"],
                        ["4.无正当理由大量反复申请", "1", "0", "1"],
                        ["5.要求行政机关确认", "0", ".上-", "0"],
                        ["（六）其他处理", "3", "户“", "3"],
                        ["（七）总计", "7", "1", "19"]])
    _lone_chars_among_numbers(text, grid)
    assert [r[2] for r in text.rows] == ["其他", "0", "1", "0", "0", "", "", "1"]  # the header over the figures stays
    assert text.confidences[5][2] == text.confidences[6][2] == 0.0
    assert [r[0] for r in text.rows][5:] == ["5.要求行政机关确认", "（六）其他处理", "（七）总计"]


def test_a_lone_character_in_a_label_column_stays():
    grid, text = _grid([["章", "1"], ["规", "0"], ["其他", "3"]])
    _lone_chars_among_numbers(text, grid)
    assert [r[0] for r in text.rows] == ["章", "规", "其他"]


def test_ink_bands_are_the_text_lines_not_specks_or_rules():
    from recover.layout.scan.page_lines import ink_bands

    page = np.full((200, 300), 255, np.uint8)
    page[20:44, 30:200] = 0  # a line of text, 24 px glyphs
    page[60:62, 10:290] = 0  # a rule left over: 2 px, too thin for a line
    page[90:93, 100:103] = 0  # a speck
    page[120:150, 50:60] = 0  # ink too narrow for a line (less than one glyph wide)
    page[160:190, 20:120] = 0  # a title line, larger
    assert ink_bands(page, 24.0) == [(20, 44), (160, 190)]


def test_a_title_line_the_page_segmentation_skipped_is_read():
    """洪泽 2023's first page scanned at 200 dpi (as ``devtools synth --real`` scans it, seed 0): Tesseract's page
    segmentation returned nothing for the title line 洪泽区人民政府 (larger than the text under it), and the report
    came out without its agency."""
    import json

    from recover.ingest.scan import render_pdf
    from recover.layout.scan.scan_text import page_text
    from recover.read.narrative import title_info
    from devtools.synth.corpus import LEVELS, scan_pages
    from tests.conftest import CORPUS

    doc = CORPUS / "hongze_district_2023"
    truth = json.loads((doc / "truth.json").read_text(encoding="utf-8"))
    pages = [img for _, img in render_pdf(doc / truth["source"], [1], dpi=200)]
    lines = page_text(1, scan_pages(pages, LEVELS["200"], 0, None)[0][0]).lines
    assert title_info(tuple(lines)) == (truth["report"]["agency"], 2023), lines[:3]


def test_a_figure_with_a_speck_read_as_a_character_after_it_is_a_figure():
    """Family fam19_02 at 150 dpi: 1080 read 1080人 by the Chinese model; taken for a label, it cost its row (其他对外
    管理服务事项) all three figures. A unit of an amount and an enumerated label cut short are not such figures."""
    from recover.layout.scan.scan_text import NOISY_SUFFIX

    assert all(NOISY_SUFFIX.match(t) for t in ("1080人", "22了", "12.5人"))
    assert not any(NOISY_SUFFIX.match(t) for t in ("2450004元", "49.02万元", "1.2万", "8.属:", "3、其", "123", "人1"))
