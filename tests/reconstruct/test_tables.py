"""reconstruct: tables 二, 三 and 四 built from the rows of real corpus documents."""

from __future__ import annotations

import json

import pytest

from recover.catalogue import load_catalogue
from recover.ingest import load_document
from recover.layout.text.rows import rows_of_section
from recover.layout.text.sections import find_sections
from recover.model import Channel
from recover.reconstruct.proactive import build_proactive
from recover.reconstruct.tables import build_applications, build_review
from tests.conftest import CORPUS, source_of

CAT = load_catalogue()
BUILDERS = {"proactive": build_proactive, "applications": build_applications, "review_litigation": build_review}
REVIEW_ROWS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_COLS = ["upheld", "corrected", "other", "pending", "total"]


def truth_of(name: str) -> dict:
    return json.loads((CORPUS / name / "truth.json").read_text(encoding="utf-8"))


def build(name: str, table: str):
    doc = load_document(source_of(CORPUS / name / "truth.json"))
    sec = find_sections(doc.text)[table]
    rows = rows_of_section(doc.text, sec.start, sec.end, doc.channel)
    glued = doc.text.count("\n", sec.start, sec.end) <= 1 and sec.end - sec.start > 40
    return BUILDERS[table](rows, CAT, glued)


def built(text: str, table: str, channel: Channel = Channel.ocr):
    """The table built from the rows of its section in ``text`` (read as from ``channel``)."""
    sec = find_sections(text)[table]
    return BUILDERS[table](rows_of_section(text, sec.start, sec.end, channel), CAT, False)


def cheapest(build_) -> dict:
    out = {}
    for u in build_.units:
        h = min(u.hypotheses, key=lambda h: h.cost)
        out.update(h.values)
    return out


@pytest.mark.parametrize("name", ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004", "pingtan_2023",
                                  "shanghai_office_2025", "shanghai_stc_2024", "shuyang_county_2025"])
def test_applications_format_and_cells_follow_the_truth(name):
    truth = truth_of(name)["applications"]
    b = build(name, "applications")
    assert b.found and b.format == truth["format"]
    rows = list(CAT.tables["applications"].rows_for(truth["format"]))
    assert [c.key for c in b.cells] == [("applications", r.key, c.key) for r in rows
                                        for c in CAT.tables["applications"].columns]
    assert list(truth["rows"]) == [r.key for r in rows]


def test_seed_001_blank_natural_person_of_the_last_row_is_unread():
    b = build("seed_001", "applications")
    best = cheapest(b)
    assert best[("applications", "carried_forward", "natural_person")] is None
    for col in ["commercial", "research", "social_welfare", "legal_service", "other_org", "total"]:
        assert best[("applications", "carried_forward", col)] == 0


def test_seed_003_glyph_b_cell_offers_zero():
    b = build("seed_003", "applications")
    key = ("applications", "partially_granted", "natural_person")
    unit = next(u for u in b.units if key in u.cells)
    assert not unit.reliable
    assert 0 in {h.values[key] for h in unit.hypotheses}


def test_seed_000_agency_error_is_read_as_printed():
    best = cheapest(build("seed_000", "applications"))
    assert best[("applications", "unable_not_held", "natural_person")] == 1  # repair decides, not reconstruct


def test_pingtan_glued_rows_cheapest_cut_is_the_truth():
    truth = truth_of("pingtan_2023")["applications"]["rows"]
    best = cheapest(build("pingtan_2023", "applications"))
    cols = [c.key for c in CAT.tables["applications"].columns]
    for row in ["new_received", "carried_over", "unable_not_held", "total_processed", "carried_forward"]:
        assert [best[("applications", row, c)] for c in cols] == truth[row], row


def test_pingtan_review_splits_uniquely_into_the_truth():
    truth = truth_of("pingtan_2023")["review_litigation"]
    b = build("pingtan_2023", "review_litigation")
    assert len(b.units) == 1
    unit = b.units[0]
    best = min(unit.hypotheses, key=lambda h: h.cost)
    assert all(h.cost > best.cost for h in unit.hypotheses if h is not best)
    for r in REVIEW_ROWS:
        assert [best.values[("review_litigation", r, c)] for c in REVIEW_COLS] == truth[r]


def test_seed_004_review_with_an_extra_value_is_noted_and_read_as_zeros():
    b = build("seed_004", "review_litigation")
    assert any("16" in n and "15" in n for n in b.notes)
    assert set(cheapest(b).values()) == {0}
    assert len(b.cells) == 15


@pytest.mark.parametrize("name", ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004", "shanghai_stc_2024",
                                  "shuyang_county_2025"])
def test_proactive_keys_format_and_values_follow_the_truth(name):
    truth = truth_of(name)["proactive"]
    b = build(name, "proactive")
    assert b.format == truth["format"]
    assert {f"{c.row}.{c.column}" for c in b.cells} == set(truth["cells"])
    best = cheapest(b)
    assert {f"{k[1]}.{k[2]}": v for k, v in best.items()} == truth["cells"]


def test_seed_000_hybrid_table_two_keys_each_block_by_its_own_columns():
    b = build("seed_000", "proactive")
    assert b.format == "hybrid"
    keys = {(c.row, c.column) for c in b.cells}
    assert ("regulations", "newly_made") in keys and ("fees", "amount") in keys
    assert ("regulations", "issued") not in keys


def test_seed_004_procurement_amount_kept_with_its_unit():
    best = cheapest(build("seed_004", "proactive"))
    assert best[("proactive", "procurement", "amount")] == "20044679 元"
    assert best[("proactive", "procurement", "projects")] == 28


def test_pingtan_glued_normative_documents_offer_the_truth_among_equal_cuts():
    b = build("pingtan_2023", "proactive")
    keys = [("proactive", "normative_documents", c) for c in ["issued", "repealed", "in_force"]]
    unit = next(u for u in b.units if u.cells == tuple(keys))
    best_cost = min(h.cost for h in unit.hypotheses)
    top = [tuple(h.values[k] for k in keys) for h in unit.hypotheses if h.cost == best_cost]
    assert (77, 132, 470) in top and len(top) > 1
    assert all("".join(map(str, vals)) == "77132470" for vals in top)


def test_blank_zero_cells_keep_their_columns_when_no_row_prints_all_seven():
    """A web table that leaves every zero of the 法人或其他组织 columns blank: no row prints seven values,
    so the value columns are learnt from the right edge of the grid and each blank stays in its column."""
    b = build("huaian_city_2024_html_gbk", "applications")
    got = cheapest(b)
    truth = truth_of("huaian_city_2024_html_gbk")["applications"]["rows"]
    cols = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
    assert all(len([v for v in vals if v]) < 7 for vals in truth.values())  # the case: no full row
    wrong = {(r, c): got.get(("applications", r, c)) for r, vals in truth.items() for c, v in zip(cols, vals)
             if got.get(("applications", r, c)) != v}
    assert not wrong, wrong


def test_scanned_table_three_split_over_two_grids_keeps_each_grids_columns():
    """Table 三 read from a scan as two grids: three label columns (group, row, sub-row) before the figures on the
    first page, one on the continuation, legal-person zeros printed blank. Each grid's figures go to their own
    columns: learnt from one mapping for both, the continuation's figures would land two columns off."""
    from recover.model import Channel

    rows = CAT.tables["applications"].rows_for("2019")
    truth = {"new_received": [76, 35, 0, 0, 52, 2, 165], "carried_over": [16, 7, 0, 0, 1, 0, 24],
             "granted": [17, 5, 0, 0, 37, 0, 59], "unable_not_held": [70, 18, 0, 0, 5, 0, 93],
             "other_handling": [5, 19, 0, 0, 11, 1, 36], "total_processed": [92, 42, 0, 0, 53, 2, 189],
             "carried_forward": [0, 0, 0, 0, 0, 0, 0]}

    def line(labels: list[str], key: str) -> str:
        vals = truth.get(key, [0] * 7)
        cells = [str(v) if c in (0, 6) or v else "" for c, v in enumerate(vals)]  # legal-person zeros blank
        return "\t".join(labels + cells)

    lines = ["三、收到和处理政府信息公开申请情况", "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计"]
    last = len(rows) - 2
    for r in rows[:last]:
        lines.append(line(["", "", r.label] if r.key not in ("new_received", "carried_over") else [r.label, "", ""],
                          r.key))
    lines += [line([r.label], r.key) for r in rows[last:]]  # the continuation on the next page
    text = "\n".join(lines)
    b = build_applications(rows_of_section(text, 0, len(text), Channel.ocr), CAT, False)
    got = cheapest(b)
    for key, vals in truth.items():
        for col, v in zip(("natural_person", "commercial", "research", "social_welfare", "legal_service",
                           "other_org", "total"), vals):
            if v:
                assert got[("applications", key, col)] == v, (key, col)


def test_a_scanned_table_two_row_keeps_its_lost_figure_in_its_column():
    """淮安 2024 scanned at 150 dpi lost the 1 of 规章 (1 | 0 | 11): the grid's blank cell keeps its place, so
    0 and 11 stay under 本年废止件数 and 现行有效件数 and 本年制发件数 is unread, not given the 0."""
    text = ("二、主动公开政府信息情况\n第二十条第(一)项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
            "规章\t\t0\t11\n行政规范性文件\t8\t26\t66\n")
    sec = find_sections(text)["proactive"]
    for channel in (Channel.ocr, Channel.text):
        best = cheapest(build_proactive(rows_of_section(text, sec.start, sec.end, channel), CAT, False))
        cols = ("issued", "repealed", "in_force")
        assert [best[("proactive", "regulations", c)] for c in cols] == [None, 0, 11]
        assert [best[("proactive", "normative_documents", c)] for c in cols] == [8, 26, 66]


def test_misread_block_headers_of_table_two_are_read_by_their_closest_column():
    """A scanned 2019 table 二 whose header cells OCR misread (本→2, 制→息, 外→和): taken for the 2019 columns they
    are closest to, not for the 2021 columns of the same count."""
    text = ("二、主动公开政府信息情况\n第二十条第(一)项\t\t\t\n信息内容\t2年新息作数量\t2年新公开数量\t对和公开总数量\n"
            "规章\t0\t0\t0\n规范性文件\t1\t0\t79\n")
    build = built(text, "proactive")
    assert build.format == "2019"
    assert {c.key[1:] for c in build.cells} >= {("normative_documents", "newly_made"),
                                                ("normative_documents", "total_published")}


def test_table_two_rows_whose_labels_were_lost_are_placed_by_the_order_of_the_template():
    """A 2019 table 二 scanned at 150 dpi (family fam19_01 L3): 规章's label unread, so its figures joined the
    header line above them; 行政强制 read 行政前制 and 行政事业性收费 read 行政事焊性下各. The template's order places
    them: one unread row between 信息内容 and 规范性文件 is 规章; the labels closest to the one row left between their
    neighbours are that row."""
    text = ("二、主动公开政府信息情况\n"
            "RN客，\t本年新制作数量\t二年新公开数量\t对外公开总数量\n\t0\t0\t0\n宴范性文件，\t3\t3\t9\n"
            ".信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t145\t-5\t4004\n"
            "其他对外管理服务事项\t12\t6\t73\n行政处罚\t2237\t6\t392\n行政前制\t21\t3\t49\n"
            ".信息内容\t上一年项目数量\t本年增/减\n行政事焊性下各\t21\t0\t\n")
    best = cheapest(built(text, "proactive"))
    assert [best[("proactive", "regulations", c)] for c in ("newly_made", "newly_published", "total_published")] == [
        0, 0, 0]
    assert [best[("proactive", "coercion", c)] for c in ("previous", "change", "decisions")] == [21, 3, 49]
    assert [best[("proactive", "fees", c)] for c in ("previous", "change")] == [21, 0]


def test_table_two_rows_whose_labels_were_lost_together_are_placed_in_the_templates_order():
    """A printed report scanned at 300 dpi (generator seed 9513), its table 二 rows as OCR read them: 行政处罚 and
    行政强制 lost their 行 and came back 政处轩 and 政强秆, naming no row. Two such rows lie between
    其他对外管理服务事项 and 行政事业性收费, and two template rows lie between theirs: they are those rows, in order."""
    text = ("二、主动公开政府信息情况\n第二十条第(五)项\t\t\t\t\t\n"
            "舍息内容\t\t\t上一年项目数量\t本年增/碱\t本年处理决定数量\n\t政许互\t\t0\t0\t0\n"
            "其他对外管理服务事项\t\t\t39\t18\t3\n第二十条第(六)项\t\t\t\t\t\n"
            "信息内容\t\t\t上一年项目数量\t本年增/碱\t本年处理决定数量\n\t政处轩\t\t5\t1\t7\n\t政强秆\t\t2\t0\t9\n"
            "第二十条第(八)项\t\t\t\t\t\n和信息内容\t\t\t上一年项目数量\t本年增/碱\t\n行政!\t虽业性收费\t\t26\t-2\t\n")
    best = cheapest(built(text, "proactive"))
    cols = ("previous", "change", "decisions")
    assert [best[("proactive", "punishment", c)] for c in cols] == [5, 1, 7]
    assert [best[("proactive", "coercion", c)] for c in cols] == [2, 0, 9]
    assert [best[("proactive", "fees", c)] for c in ("previous", "change")] == [26, -2]


def test_table_two_garbled_label_with_two_rows_left_between_its_neighbours_is_not_placed():
    text = ("二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n"
            "信息内容\t本年处理决定数量\n条购项目委量\t7\n行政强制\t49\n")
    build_ = built(text, "proactive")
    assert {k[1] for u in build_.units for k in u.cells} == {"regulations", "coercion"}


def test_table_four_narrative_between_heading_and_grid_is_not_read_as_the_table():
    """Family fam19_01 scanned at 150 dpi: the narrative under table 四's heading came back garbled with the year
    (行政2019诉讼年作...), and its 2019 was read as the first figure of the table. Text between a heading and the
    grid's rows is narrative; the grid's row of 15 cells is the table."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政2019诉讼年作，相公。，全开工作二和被才起，\n"
            "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
            "1\t0\t0\t0\t1\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0\n")
    best = cheapest(built(text, "review_litigation"))
    got = [best[("review_litigation", r, c)] for r in REVIEW_ROWS for c in REVIEW_COLS]
    assert got == [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]


def test_table_four_figures_read_in_its_header_rows_are_not_the_tables():
    """A printed report scanned at 300 dpi (generator seed 9310): 总计 printed upright in the header rows was read 7
    and 47 by the digit model. The grid's one row holding only figures is the table; the header rows' digits are
    not among its figures."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
            "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t7\t结果维持\t结果纠正\t其他结果\t尚未审结\t47\n"
            "7\t\t2\t1\t10\t\t\t\t\t\t2\t\t1\t\t3\n")
    best = cheapest(built(text, "review_litigation"))
    got = [best[("review_litigation", r, c)] for r in REVIEW_ROWS for c in REVIEW_COLS]
    assert got == [7, None, 2, 1, 10, None, None, None, None, None, 2, None, 1, None, 3]


def test_a_scanned_mark_left_of_the_columns_of_figures_is_not_a_figure():
    """A printed report scanned at 300 dpi (generator seed 9319): the grid split the label cells into several columns,
    and the 1. of 1.信访举报投诉类申请 was read alone as 1, the 计 of 总计 as a dash. Left of the columns of figures
    they lie in the row's label cells: 20 2 22 and 45 16 2 63 keep their columns, they are not shifted by one."""
    rows = [["一、本年新收政府信息公开申请数量", "", "", "", "43", "20", "", "", "2", "", "65"],
            ["二、上年结转政府信息公开申请数量", "", "", "", "2", "2", "", "", "", "", "4"],
            ["(一)予以公开", "", "", "", "10", "", "", "", "2", "", "12"],
            ["(二)部分公开", "", "", "", "7", "4", "", "", "", "", "11"],
            ["(三)不予公开", "", "1.属于国家秘密", "", "6", "", "", "", "", "", "6"],
            ["(四)无法提供", "", "1.本机关不掌握相关政府信息", "", "2", "", "", "", "", "", "2"],
            ["", "", "2.没有现成信息需要另行制作", "", "10", "", "", "", "", "", "10"],
            ["(五)不予处理", "", "信访举报投诉类申请", "1", "20", "2", "", "", "", "", "22"],
            ["(七)总", "", "", "-", "45", "16", "", "", "2", "", "63"],
            ["四、结转下年度继续办理", "", "", "", "6", "", "", "", "", "", "6"]]
    text = "三、收到和处理政府信息公开申请情况\n自然人\t商业企业\n" + "\n".join("\t".join(r) for r in rows) + "\n"
    best = cheapest(built(text, "applications"))
    cols = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
    assert [best[("applications", "unhandled_petition", c)] for c in cols] == [20, 2, None, None, None, None, 22]
    assert [best[("applications", "total_processed", c)] for c in cols] == [45, 16, None, None, 2, None, 63]


def test_table_four_read_in_a_scanned_grid_row_wider_than_the_table_places_no_figure_for_sure():
    """A printed report (generator seed 9319) scanned at 150 dpi: the uprights of the 1s in table 四's row were taken
    for column rules, and the row came out 18 cells wide for 15; 16 read 4 in a cell that was not its own came out
    ok. A scanned row wider than the table places its figures only as far as the arithmetic proves them."""
    from recover.reconstruct.placement import UNPLACED

    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\t\t\t\t\n"
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t\t\t复议后起诉\t\t\t\t\t\n"
            "\t\t\t\t2\t3\t\t4\t6\t\t6\t\t36\t\t\t\t\t\n")
    build_ = built(text, "review_litigation")
    assert build_.units and all(UNPLACED in h.why for u in build_.units for h in u.hypotheses)
