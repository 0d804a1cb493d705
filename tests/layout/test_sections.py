"""layout: find_sections locates tables 二, 三 and 四 by heading and table vocabulary."""

from __future__ import annotations

import pytest

from recover.ingest import load_document
from recover.layout.sections import TABLE_ORDER, find_sections
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
