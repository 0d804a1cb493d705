"""layout: find_sections locates tables 二, 三 and 四 by heading and table vocabulary."""

from __future__ import annotations

import pytest

from recover.ingest import load_document
from recover.layout.text.sections import END, FIGURE, TABLE_ORDER, find_sections, tables_behind
from tests.conftest import CORPUS, source_of, text_truth_docs

HEADING_TEXT = {"proactive": "主动公开政府信息情况", "applications": "收到和处理政府信息公开申请情况",
                "review_litigation": "行政诉讼情况"}


def doc_of(name: str):
    return load_document(source_of(CORPUS / name / "truth.json"))


@pytest.mark.parametrize("truth", text_truth_docs(), ids=lambda p: p.parent.name)
def test_three_tables_in_document_order(truth):
    doc = load_document(source_of(truth))
    secs = find_sections(doc.text)
    assert list(secs) == list(TABLE_ORDER)
    bounds = [(secs[t].start, secs[t].end) for t in TABLE_ORDER]
    for (s, e), (s2, _) in zip(bounds, bounds[1:]):
        assert s < e <= s2
    assert all(secs[t].heading_found for t in TABLE_ORDER)


@pytest.mark.parametrize("truth", text_truth_docs(), ids=lambda p: p.parent.name)
def test_each_section_holds_its_own_table_and_not_the_next_heading(truth):
    doc = load_document(source_of(truth))
    secs = find_sections(doc.text)
    body = {t: doc.text[secs[t].start:secs[t].end] for t in TABLE_ORDER}
    assert "行政许可" in body["proactive"] or "规范性文件" in body["proactive"]
    assert HEADING_TEXT["applications"] not in body["proactive"]
    assert "信息公开申请数量" in body["applications"]
    assert HEADING_TEXT["review_litigation"] not in body["applications"]
    assert "审结" in body["review_litigation"] or "维持" in body["review_litigation"]
    assert "存在的主要问题" not in body["review_litigation"]


def test_intro_section_list_is_not_taken_as_a_heading():
    doc = doc_of("seed_003")
    intro = doc.text.index("内容包括总体情况、主动公开政府信息情况")
    heading = doc.text.index("二、主动公开政府信息情况")
    assert intro < heading
    secs = find_sections(doc.text)
    assert secs["proactive"].start >= heading + len("二、主动公开政府信息情况")
    assert secs["proactive"].start - heading < 40
    # the intro also names tables 三 and 四: their sections start at the real headings too
    assert secs["applications"].start > doc.text.index("三、收到和处理政府信息公开申请情况")
    assert secs["review_litigation"].start > doc.text.index("四、政府信息公开行政复议")


def test_table_without_heading_is_found_by_its_vocabulary():
    doc = doc_of("seed_002")
    text = doc.text.replace("二、主动公开政府信息情况", "")
    secs = find_sections(text)
    assert not secs["proactive"].heading_found
    assert text[secs["proactive"].start:].startswith("第二十条第（一）项")
    assert secs["applications"].heading_found and secs["review_litigation"].heading_found


def test_only_the_tables_present_get_sections():
    doc = doc_of("seed_002")
    text = doc.text[doc.text.index("四、政府信息公开行政复议"):]
    secs = find_sections(text)
    assert list(secs) == ["review_litigation"]


def test_narrative_alone_has_no_sections():
    doc = doc_of("seed_002")
    text = doc.text[:doc.text.index("二、主动公开政府信息情况")]
    assert find_sections(text) == {}


def test_a_heading_with_one_character_misread_is_still_a_heading():
    """A 150 dpi scan read 主动公开 as 汪动公开: the heading is taken (not the first 规章 of the narrative before it),
    and the section stops before the next heading misread the same way."""
    text = ("依据规章开展工作。\n二、汪动公开政府信息情况\n信息内容\t本年制发件数\n规章\t1\n"
            "三、收到和处理政府信息公幵申请情况\n申请人情况\n自然人\t商业企业\n")
    secs = find_sections(text)
    assert secs["proactive"].heading_found and secs["applications"].heading_found
    assert text[secs["proactive"].start:].startswith("\n信息内容")
    assert "三、" not in text[secs["proactive"].start:secs["proactive"].end]
    assert text[secs["applications"].start:].startswith("\n申请人情况")


def test_an_exact_heading_wins_over_a_near_miss():
    text = ("二、主动公开政务信息情况\n信息内容\n规章\t0\n二、主动公开政府信息情况\n信息内容\t本年制发件数\n规章\t1\n")
    assert text[find_sections(text)["proactive"].start:].startswith("\n信息内容\t本年制发件数")


def test_table_four_is_found_by_its_column_words_when_its_heading_is_garbled():
    text = ("三、收到和处理政府信息公开申请情况\n自然人\t商业企业\n"
            "四、妇府信息公开行政，议、行政证讼+.况\n行政复议\t\t行政诉愉\n续竖维持\t负果缸证\t其他结果\t尚未审半\t总计\n"
            "72\t64\t178\t37\t351\n")
    secs = find_sections(text)
    assert "review_litigation" in secs and "72\t64" in text[secs["review_litigation"].start:]


@pytest.mark.parametrize("truth", text_truth_docs(), ids=lambda p: p.parent.name)
def test_tables_behind_only_once_section_five_is_read(truth):
    """A scan stops reading pages once table 四's figures and the next section's heading are read; text cut
    before that heading, or inside table 四, must not stop it."""
    text = load_document(source_of(truth)).text
    review = find_sections(text)["review_litigation"]
    five = END.search(text, review.start)
    if five is None or len(FIGURE.findall(text, review.start, review.end)) < 15:
        # a report that ends with table 四, or prints its figures glued into one run (web text): never stops
        assert not tables_behind(text)
        return
    assert tables_behind(text[:five.end()])
    assert not tables_behind(text[:five.start()])
    assert not tables_behind(text[:(review.start + review.end) // 2] + text[five.start():five.end()])


def test_table_three_whose_heading_and_headers_were_misread_is_found_by_its_row_labels():
    """150 dpi under a seal: 收唱和处理政府襄息公开1况, 毕请人情讽, 自角人 — no heading nor header word survives, but
    the whole label of a row does; the section starts at the row before it when that line is a row of figures."""
    text = ("二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t3\t0\t78\n"
            "三三、收唱和处理政府襄息公开1况\n\t自角人\t商业企.业.\t总计\n"
            "一”本年僻收政府信息公开申请数量.，\t1381\t169\t3\t18\t48\t48\t1667\n"
            ":2、上年结转政府信息公开申请数量\t18\t9\t0\t1\t2\t2\t32\n"
            "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结果维持\t结果纠正\n")
    secs = find_sections(text)
    three = text[secs["applications"].start:secs["applications"].end]
    assert three.startswith("一”本年僻收") and "上年结转政府信息公开申请数量" in three
    assert "规章" not in three and "行政复议" not in three


def test_table_four_heading_and_header_words_each_misread_once_are_found():
    """A 150 dpi scan under a seal (family fam19_02 L3): 复 read g and a comma for 、 in the heading, and every header
    word of table 四 misread (直接经诉 for 直接起诉): the heading is taken on the header word one character off."""
    text = ("三、收到和处理政府信息公开申请情况\n自然人\t商业企业\n四、结转下年度继续办理\t13\t16\n"
            "、政府信息公开行政g议，行政诉讼情况“\n2020年，本机关因政府信息公开工作被申请行政复议6件。\n"
            "41\t结果、纠正\t其他\t两审结来\t，==碌经旷议直接经诉确取”\n4\t0\t1\t1\t6\t1\t1\t1\t0\t3\t1\t0\t9\t0\t1\n")
    secs = find_sections(text)
    assert "review_litigation" in secs
    assert text[secs["review_litigation"].start:].lstrip("“\n").startswith("2020年")
    assert "行政g议" not in text[secs["applications"].start:secs["applications"].end]
