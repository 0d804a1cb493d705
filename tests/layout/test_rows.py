"""layout: rows_of_section splits a table section into rows of label text and value tokens."""

from __future__ import annotations

import pytest

from recover.ingest import load_document
from recover.layout.text.rows import pieces_of_cell, rows_of_section, split_cells
from recover.layout.text.sections import find_sections
from recover.model import Channel
from tests.conftest import CORPUS, source_of


def doc_of(name: str):
    return load_document(source_of(CORPUS / name / "truth.json"))


def rows_of(doc, table: str, text: str | None = None):
    text = doc.text if text is None else text
    sec = find_sections(text)[table]
    return rows_of_section(text, sec.start, sec.end, doc.channel)


def pieces(text: str, channel: Channel = Channel.text) -> list[tuple[str, str]]:
    return [(p.kind, p.token.text) for p in pieces_of_cell(text, 0, None, channel)]


def test_seed_002_table_three_has_25_rows_of_seven_values():
    every = rows_of(doc_of("seed_002"), "applications")
    rows = [r for r in every if r.filled]  # (the header line 自然人 | 法人或其他组织 | blanks is a row of blanks,
    assert len(rows) == 25  # which the table's builder drops: its blanks do not fill the value columns)
    assert [r.label for r in every if not r.filled] == ["自然人 法人或其他组织"]
    assert all(r.line_mode for r in rows)
    assert all([t.text for t in r.filled] == ["0"] * 7 for r in rows)
    assert rows[0].label == "一、本年新收政府信息公开申请数量"
    assert rows[-1].label == "四、结转下年度继续办理"
    # the page break inside （四）无法提供 does not create or lose a row
    assert rows[12].label.endswith("1.本机关不掌握相关政府信息")
    assert rows[13].label.endswith("2.没有现成信息需要另行制作")


def test_line_mode_keeps_blank_cells_and_columns():
    rows = [r for r in rows_of(doc_of("seed_004"), "applications") if r.filled]
    first = rows[0]
    assert first.label == "一、本年新收政府信息公开申请数量"
    assert [t.text for t in first.filled] == ["0"]
    assert any(t.is_blank for t in first.values)
    assert all(t.col is not None for t in first.values)


def test_markdown_cell_with_label_and_value_splits():
    doc = doc_of("seed_001")
    line = next(ln for ln in doc.lines if ln.startswith("| 行政许可 92 |"))
    cells = split_cells(line)
    assert cells[:3] == ["行政许可 92", "", ""]
    assert pieces(cells[0]) == [("label", "行政许可"), ("value", "92")]
    row = next(r for r in rows_of(doc, "proactive") if r.label == "行政许可")
    assert [t.text for t in row.filled] == ["92"]


def test_markdown_separator_row_has_no_cells():
    assert split_cells("|---------|---------------|") == []
    assert split_cells("行政许可 92") is None
    assert split_cells("行政处罚\t0\t\t") == ["行政处罚", "0", "", ""]


def test_glued_web_text_splits_labels_from_digit_runs():
    assert pieces("规章000行政规范性文件77132470") == [
        ("label", "规章"), ("value", "000"), ("label", "行政规范性文件"), ("value", "77132470")]


def test_sub_row_number_stays_with_its_label():
    assert pieces("3100000312.没有现成信息需要另行制作") == [
        ("value", "310000031"), ("label", "2.没有现成信息需要另行制作")]


def test_numbers_inside_a_label_are_not_values():
    assert pieces("第二十条第（五）项") == [("label", "第二十条第（五）项")]
    assert pieces("2023年新收申请") == [("label", "2023年新收申请")]


def test_bookmark_debris_is_dropped_from_labels():
    rows = rows_of(doc_of("seed_003"), "applications")
    assert not any("bookmark" in r.label for r in rows)
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in [r.label for r in rows]
    partial = next(r for r in rows if r.label.startswith("（二）部分公开"))
    assert [t.text for t in partial.filled][0] == "b"  # the misprinted glyph is kept as a value token


def test_pingtan_glued_table_three_stream_rows():
    rows = rows_of(doc_of("pingtan_2023"), "applications")
    assert len(rows) == 25
    assert not any(r.line_mode for r in rows)
    by_label = {r.label: [t.text for t in r.values] for r in rows}
    assert by_label["二、上年结转政府信息公开申请数量"] == ["0000000"]
    assert by_label["（四）无法提供1.本机关不掌握相关政府信息"] == ["310000031"]
    assert by_label["2.没有现成信息需要另行制作"] == ["0000000"]
    assert by_label["（七）总计"] == ["801000081"]
    assert rows[0].values[0].text == "801000081" and rows[0].label.endswith("一、本年新收政府信息公开申请数量")


def test_page_footer_inside_a_table_is_skipped():
    doc = doc_of("shanghai_office_2025")
    footer = doc.lines.index("— 5 —")
    sec = find_sections(doc.text)["applications"]
    first = doc.text.count("\n", 0, sec.start)
    last = doc.text.count("\n", 0, sec.end)
    assert first < footer < last  # the footer really lies inside table 三
    rows = rows_of(doc, "applications")
    assert not any(t.line == footer for r in rows for t in r.labels + r.values)
    assert "5" not in [r.label for r in rows]


@pytest.mark.parametrize("footer", ["— 5 —", "- 12 -", "第 3 页", "第3页，共8页", "2/7"])
def test_footer_lines_added_to_a_real_table_change_nothing(footer):
    doc = doc_of("seed_002")
    before = rows_of(doc, "applications")
    marker = "\t\t3.补正后申请内容仍不明确"
    text = doc.text.replace(marker, f"{footer}\n{marker}", 1)
    assert text != doc.text
    after = rows_of(doc, "applications", text)
    assert [r.label for r in after] == [r.label for r in before]
    assert [[t.text for t in r.values] for r in after] == [[t.text for t in r.values] for r in before]


def test_lattice_cell_text_joins_wrapped_and_vertical_labels():
    from recover.layout.pdf.lattice import cell_text

    assert cell_text("三、\n本\n年\n度\n办\n理\n结\n果") == "三、本年度办理结果"
    assert cell_text("商 业 企\n业") == "商 业 企业"
    assert cell_text("108\n2") == "108 2"  # two figures wrapped into one cell stay two tokens


def test_table_pages_need_numbers_and_catalogue_labels():
    from recover.layout.pdf.lattice import table_pages

    pages = {1: "2024年政府信息公开工作年度报告 一、总体情况 1 2 3 4 5 6 7 8 9",
             2: "信息内容 本年制发件数 规章 1 0 11 行政规范性文件 8 26 66 行政许可 447228 行政处罚 3985758",
             3: "自然人 商业企业 一、本年新收政府信息公开申请数量",
             5: "信息内容 本年制发件数 规章"}
    assert table_pages(pages) == [2, 3]  # page 3 continues page 2's tables (zeros left blank print few figures)


def test_a_page_opening_with_a_row_carried_over_is_searched_for_its_grid():
    from recover.layout.pdf.lattice import table_pages

    table = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 1 2 3 4 5 6 7 8 9"
    assert table_pages({3: table, 4: "7 4 11\n五、存在的主要问题及改进情况"}) == [3, 4]
    assert table_pages({3: table, 4: "- 4 -\n五、存在的主要问题及改进情况"}) == [3, 4]  # blanks and the page number
    assert table_pages({3: table, 4: "五、存在的主要问题及改进情况 2024年"}) == [3]


def test_a_pipe_rows_blank_last_cell_stays_a_cell_but_a_trailing_tab_is_dropped():
    # Shanghai STC's OCR markdown: "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |" has its 总计 unread, in
    # a table where some lines are one cell narrower: the blank is the total's cell, the 1 stays 自然人
    rows = rows_of(doc_of("shanghai_stc_2024"), "applications")
    row = next(r for r in rows if "结转下年度" in r.label)
    assert [t.text for t in row.values] == ["1", "0", "0", "0", "0", "0", ""]
    # a Word copy's trailing tab: one blank cell more than the narrower lines around it, dropped
    text = ("三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
            "二、上年结转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2\t\n"
            "三、本年度办理结果\t（一）予以公开\t3\t0\t0\t0\t0\t0\t3\n")
    tabbed = rows_of_section(text, 0, len(text), Channel.text)
    carried = next(r for r in tabbed if "上年结转" in r.label)
    assert [t.text for t in carried.values] == ["2", "0", "0", "0", "0", "0", "2"]


@pytest.mark.parametrize("footer", ["- \n4 -", "—\n5 —"])
def test_footer_broken_over_two_lines_changes_nothing(footer):
    doc = doc_of("seed_002")
    before = rows_of(doc, "applications")
    marker = "\t\t3.补正后申请内容仍不明确"
    text = doc.text.replace(marker, f"{footer}\n{marker}", 1)
    after = rows_of(doc, "applications", text)
    assert [[t.text for t in r.values] for r in after] == [[t.text for t in r.values] for r in before]


def test_narrative_between_heading_and_grid_is_not_a_row():
    doc = doc_of("family_anping_2023_pdf")
    review = rows_of(doc, "review_litigation")
    assert [t.text for r in review for t in r.filled] == \
        "21 6 18 6 51 7 1 5 1 14 9 3 3 5 20".split()  # not 51 and 34 of the sentence before the grid
    proactive = {r.label: [t.text for t in r.filled] for r in rows_of(doc, "proactive")}
    assert proactive["行政规范性文件"] == ["14", "1", "104"]


@pytest.mark.parametrize("line, prose", [
    ("2019年，本机关因政府信息公开工作被申请行政复议172件，被提起行政诉讼141件。", True),
    ("效104件。", True),
    ("四、行政复议诉讼情况2019年，被申请行政复议3件。行政复议 结果维持 3 0 0 0 3", False),  # glued: the table stays
    ("行政许可 92件", False),  # a unit in a cell, no sentence
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形） 0 0 0 0 0 0 0", False),
])
def test_narrative_end(line, prose):
    from recover.layout.text.rows import narrative_end
    cut = narrative_end(line)
    assert (cut == len(line)) == prose
    if not prose and "结果维持" in line:
        assert line[cut:].strip().startswith("行政复议 结果维持")


def test_negative_figure_after_a_space_keeps_its_sign():
    doc = doc_of("family_nanling_2020_pdf")
    rows = {r.label.split()[-1]: [t.text for t in r.filled] for r in rows_of(doc, "proactive")}
    assert rows["行政强制"] == ["45", "-1", "72"]
    assert rows["行政事业性收费"] == ["21", "-2"]


def test_page_footer_with_an_ocr_tilde_is_skipped():
    """A scanned footer "- 3 -" read as "-~3-" between table 四's header (page 3) and its figures (page 4)."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n-~3-\n"
            "21\t6\t18\t6\t51\t7\t1\t5\t1\t14\t9\t3\t3\t5\t20\n")
    sec = find_sections(text)["review_litigation"]
    values = [t.text for r in rows_of_section(text, sec.start, sec.end, Channel.ocr) for t in r.filled]
    assert values == "21 6 18 6 51 7 1 5 1 14 9 3 3 5 20".split()


def test_a_docx_tables_rows_are_read_from_its_grid_cells():
    """A DOCX table's rows come from its grid: every token keeps the cell it was read from (column and text)."""
    doc = doc_of("huaian_city_2024_docx")
    sec = find_sections(doc.text)["applications"]
    rows = [r for r in rows_of_section(doc.text, sec.start, sec.end, doc.channel, doc.grid_rows) if r.filled]
    assert len(rows) >= 20
    for r in rows:
        for t in r.values + r.labels:
            assert t.cell is not None and t.cell.col == t.col and t.text in t.cell.text
            assert doc.grid_rows[t.line][t.col] is t.cell


def test_a_grid_rows_cells_are_not_split_again_from_its_line():
    """An OCR'd label cell holding a '|' (a rule read as a stroke) stays one cell: the row's figures keep the grid
    columns they were read in, where splitting the row's line again would cut it at the stroke."""
    from recover.model import CellRead

    texts = ["（一）予以公开|", "12", "3", "", "", "", "1", "16"]
    cells = tuple(CellRead(0, k, text=t) for k, t in enumerate(texts))
    line = "\t".join(texts)
    text = "三、本年度办理结果\n" + "\n".join([line] * 3) + "\n四、结转下年度继续办理"
    grid = {k: cells for k in (1, 2, 3)}
    for r in rows_of_section(text, 0, len(text), Channel.ocr, grid):
        assert r.width == 8 and [t.col for t in r.filled] == [1, 2, 6, 7] and r.label == "（一）予以公开|"
    again = rows_of_section(text, 0, len(text), Channel.ocr)
    assert any(r.width != 8 for r in again)
