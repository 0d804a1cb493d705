"""read: the title's agency and year, and figures restated by the narrative."""

from __future__ import annotations

import json

import pytest

from recover.catalogue import load_catalogue
from recover.ingest import load_document
from recover.layout.text.sections import find_sections
from recover.read.narrative import narrative_facts, title_info
from tests.conftest import CORPUS, source_of, text_truth_docs


@pytest.mark.parametrize("truth", text_truth_docs(), ids=lambda p: p.parent.name)
def test_title_info_matches_truth(truth):
    expected = json.loads(truth.read_text(encoding="utf-8"))["report"]
    doc = load_document(source_of(truth))
    assert title_info(doc.lines) == (expected["agency"], expected["year"])


def test_title_broken_over_two_lines():
    lines = ("青州市商务局2023年政府信息公开工作", "年度报告", "")  # seed 003's first lines
    assert title_info(lines) == ("青州市商务局", 2023)


def test_agency_on_the_line_above_the_title():
    lines = ("", "渠县商务局", "", "2023 年政府信息公开工作年度报告")  # seed 002's first lines
    assert title_info(lines) == ("渠县商务局", 2023)


def test_no_title():
    assert title_info(("一、总体情况", "2023年，我局未收到政府信息公开申请。")) == (None, None)


@pytest.mark.parametrize(("row", "stated_by"), [
    ("new_received", ("00", "pingtan")),  # these narratives state what was received (or that nothing was); 受理
    # (which may include carried-over applications) is not read as new_received
    ("carried_over", ("shanghai",)),  # "上年结转 189 件", "上年结转政府信息公开\n申请 2 件"
])
@pytest.mark.parametrize("truth", text_truth_docs(), ids=lambda p: p.parent.name)
def test_narrative_count_agrees_with_truth(truth, row, stated_by):
    t = json.loads(truth.read_text(encoding="utf-8"))
    doc = load_document(source_of(truth))
    first = min(s.start for s in find_sections(doc.text).values())
    facts = {cells: value for _, cells, value, _ in narrative_facts(doc.text[:first], load_catalogue())}
    key = (("applications", row, "total"),)
    if t["source"].startswith(stated_by):
        assert key in facts
    if key in facts:
        assert facts[key] == t["applications"]["rows"][row][-1]


def test_carried_over_applications_stated_inside_what_was_answered():
    text = ("2024年，全市共受理政府信息公开申请3119件，答复3050件(含上年度结转申请34件，"  # 淮安 2024
            "另有103件顺延到下年度答复)。")
    facts = narrative_facts(text, load_catalogue())
    assert [(f[1], f[2]) for f in facts] == [((("applications", "carried_over", "total"),), 34)]


def test_narrative_fact_sentence_is_the_one_quoted():
    doc = load_document(source_of(CORPUS / "pingtan_2023" / "truth.json"))
    facts = narrative_facts(doc.text, load_catalogue())
    received = [f for f in facts if f[0] == "narrative_received_count"]
    assert len(received) == 1
    assert received[0][2] == 81 and "81件" in received[0][3]
    issued = [f for f in facts if f[1] == (("proactive", "normative_documents", "issued"),)]
    assert issued and issued[0][2] == 77


def test_no_figures_in_text_without_them():
    assert narrative_facts("一、总体情况\n我局认真贯彻落实条例。", load_catalogue()) == []


def test_title_after_a_breadcrumb_line_names_the_agency_only():
    lines = ("首页", "当前位置：首页 > 政府信息公开 > 政府信息公开年报", "淮安市人民政府2024年政府信息公开工作年度报告",
             "发布时间：2025-01-20")
    assert title_info(lines) == ("淮安市人民政府", 2024)


def test_agency_on_the_line_before_the_title():
    assert title_info(("某某县人民政府", "2022年政府信息公开工作年度报告")) == ("某某县人民政府", 2022)


# first lines of scanned reports as the scan route read them (python3 -m devtools synth --real, seed 0)
SYNTH_0000_200 = ("宿迁市玖言局", "2020年政府信息公开工作年卢报告",
                  "2020年，宿迁市教育局坚持以习近平新时代中国特色社会主义思想")
HONGZE_2023_150 = ("。。洪泽区人民政府", "2023年政府信息公开工作年度报告",
                   "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和")


def test_a_scanned_title_is_read_through_its_misread_characters():
    assert title_info(SYNTH_0000_200, ocr=True) == ("宿迁市教育局", 2020)  # the body's own writing of the agency
    assert title_info(HONGZE_2023_150, ocr=True) == ("洪泽区人民政府", 2023)  # stray punctuation dropped
    # synth_0003 at 300 dpi: the title read right, the body gained a character; no shifted window replaces it
    lines = ("青州市自然资源和规划局", "2025年政府信息公开工作年度报告", "2025年，青州二市自然资源和规划局坚持以习近平")
    assert title_info(lines, ocr=True) == ("青州市自然资源和规划局", 2025)


def test_a_printed_title_is_not_corrected_by_a_similar_name_in_the_body():
    lines = ("沭阳县人民政府", "2021年政府信息公开工作年度报告", "2021年，沭阳县人民法院依法公开审判信息")
    assert title_info(lines) == ("沭阳县人民政府", 2021)
    assert title_info(SYNTH_0000_200) == ("宿迁市玖言局", 2020)  # text input: the title as printed
    assert title_info(("淮安市洪泽区人民政府", "2024年政府信息公开工作年度报告", "淮安市洪泽区人民政府办公室"),
                      ocr=True) == ("淮安市洪泽区人民政府", 2024)  # found as read: kept


@pytest.mark.parametrize("lead", ["", "共", "累计", "全年", "共计"])
def test_received_count_with_any_leading_word(lead):
    """The words before 收到 are not part of the pattern (models/catalogue.yaml): the figure and the sentence quoted
    are the same whichever is printed."""
    text = f"一、总体情况。本年度，本机关{lead}收到政府信息公开申请12件，均按时答复。"
    facts = {rule: (value, sentence) for rule, _, value, sentence in narrative_facts(text, load_catalogue())}
    assert facts["narrative_received_count"] == (12, f"本年度，本机关{lead}收到政府信息公开申请12件，均按时答复")


@pytest.mark.parametrize("lead", ["", "本年", "本年度", "全年"])
def test_normative_documents_issued_with_any_leading_word(lead):
    text = f"二、主动公开情况。{lead}制发行政规范性文件3件，均已公开。"
    facts = {rule: value for rule, _, value, _ in narrative_facts(text, load_catalogue())}
    assert facts["narrative_normative_issued"] == 3


NEW, CARRIED = ("applications", "new_received", "total"), ("applications", "carried_over", "total")


@pytest.mark.parametrize("text, cells, also", [
    ("本年度共收到政府信息公开申请75件，均按时答复。", (NEW,), (CARRIED,)),  # new only, or with carried over
    ("本年度共收到政府信息公开申请75件，其中上年结转1件。", (NEW, CARRIED), ()),
    ("本年度新收政府信息公开申请74件，上年结转1件。", (NEW,), ()),
])
def test_received_count_knows_whether_it_includes_carried_over(text, cells, also):
    from recover.read.narrative import narrative_evidence
    got = [e for e in narrative_evidence(text, load_catalogue()) if e[0] == "narrative_received_count"]
    assert [(e[1], e[2], e[4]) for e in got] == [(cells, 75 if "75" in text else 74, also)]


def test_received_count_with_carried_over_checks_against_either_sum():
    from recover.model import Cell
    from recover.repair import status
    from recover.repair.solve import Fact
    cells = {k: Cell(*k) for k in (NEW, CARRIED)}
    cells[NEW].value, cells[CARRIED].value = 74, 1
    said = Fact("narrative_received_count", (NEW,), 75, "共收到政府信息公开申请75件", (CARRIED,))
    assert [c.holds for c in status.checks(cells, [], [said])] == [True]
    cells[CARRIED].value = 2
    assert [c.holds for c in status.checks(cells, [], [said])] == [False]
