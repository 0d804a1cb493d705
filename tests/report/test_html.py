"""Tests of recover.report.html on a realistic 2021-format report with every kind of non-ok cell."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from recover.report.html import render_html, render_summary

APP_ROWS = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partially_granted", "（二）部分公开"),
    ("denied_state_secret", "（三）1.属于国家秘密"),
    ("denied_prohibited_by_law", "（三）2.其他法律行政法规禁止公开"),
    ("denied_three_safeties", "（三）3.危及“三安全一稳定”"),
    ("denied_third_party", "（三）4.保护第三方合法权益"),
    ("denied_internal_affairs", "（三）5.属于三类内部事务信息"),
    ("denied_process_info", "（三）6.属于四类过程性信息"),
    ("denied_enforcement_file", "（三）7.属于行政执法案卷"),
    ("denied_inquiry", "（三）8.属于行政查询事项"),
    ("unable_not_held", "（四）1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", "（四）2.没有现成信息需要另行制作"),
    ("unable_unclear", "（四）3.补正后申请内容仍不明确"),
    ("unhandled_petition", "（五）1.信访举报投诉类申请"),
    ("unhandled_duplicate", "（五）2.重复申请"),
    ("unhandled_publication", "（五）3.要求提供公开出版物"),
    ("unhandled_excessive", "（五）4.无正当理由大量反复申请"),
    ("unhandled_confirmation", "（五）5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "（六）3.其他"),
    ("total_processed", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
APP_COLS = [
    ("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
    ("social_welfare", "社会公益组织"), ("legal_service", "法律服务机构"), ("other_org", "其他"),
    ("total", "总计"),
]
RL_ROWS = [("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"),
           ("litigation_after_review", "复议后起诉")]
RL_COLS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
           ("pending", "尚未审结"), ("total", "总计")]
OUTCOMES = [k for k, _ in APP_ROWS[2:23]]
# Non-zero applications figures of the example (everything else is 0); arithmetic holds throughout.
APP_VALUES = {
    ("new_received", "natural_person"): 10, ("new_received", "commercial"): 2,
    ("carried_over", "natural_person"): 1,
    ("granted", "natural_person"): 5, ("granted", "commercial"): 1,
    ("partially_granted", "natural_person"): 1, ("denied_third_party", "natural_person"): 1,
    ("unable_not_held", "natural_person"): 2, ("unable_needs_creation", "commercial"): 1,
    ("unhandled_duplicate", "natural_person"): 1,
    ("total_processed", "natural_person"): 11, ("total_processed", "commercial"): 2,
    ("carried_forward", "natural_person"): 0,
}
NON_OK = {  # (table, row, column) -> (observed, status, confidence, reason)
    ("applications", "granted", "natural_person"):
        ("S", "corrected", 0.93, "OCR read the letter S; 5 restores the row and column sums."),
    ("applications", "denied_third_party", "natural_person"):
        ("1", "ambiguous", 0.55,
         "A collapsed blank leaves this 1 in row （三）4 or （三）5; both readings satisfy every rule."),
    ("applications", "new_received", "total"):
        ("12", "source_inconsistent", 0.9,
         "The table prints 12 new applications but the narrative says 共收到政府信息公开申请13件."),
    ("proactive", "coercion", "decisions"):
        ("", "inferred", 0.8, "Blank cell in the 行政强制 row read as reported nothing (0)."),
    ("proactive", "fees", "amount"):
        (None, "missing", 0.0, "The 行政事业性收费 row is cut off at the page break."),
}


def _app_value(row: str, col: str) -> int:
    if col == "total":
        return sum(_app_value(row, c) for c, _ in APP_COLS[:-1])
    return APP_VALUES.get((row, col), 0)


def _app_rules(row: str, col: str) -> list[str]:
    rules = [f"applications.row_total.{row}"]
    if row in OUTCOMES or row == "total_processed":
        rules.append(f"applications.outcomes.{col}")
    if row in ("new_received", "carried_over", "total_processed", "carried_forward"):
        rules.append(f"applications.balance.{col}")
    if (row, col) == ("new_received", "total"):
        rules.append("narrative.new_received")
    return rules


def _cell(table: str, row: str, col: str, value: Any, rules: list[str], n: int) -> dict[str, Any]:
    observed, status, conf, reason = NON_OK.get((table, row, col), (str(value), "ok", 0.99, None))
    return {"table": table, "row": row, "column": col, "value": value, "observed": observed,
            "status": status, "confidence": conf, "page": 3 if table != "review_litigation" else 4,
            "bbox": [72.0 + 60 * (n % 8), 100.0 + 14 * (n // 8), 120.0 + 60 * (n % 8), 112.0 + 14 * (n // 8)],
            "bbox_origin": "pdf", "reason": reason, "rules": rules}


def make_result() -> dict[str, Any]:
    """A realistic needs_review result: 2021 tables, one cell of each non-ok status, one failing check."""
    cells: list[dict[str, Any]] = []
    proactive = [("regulations", "issued", 0), ("regulations", "repealed", 0), ("regulations", "in_force", 0),
                 ("normative_documents", "issued", 3), ("normative_documents", "repealed", 1),
                 ("normative_documents", "in_force", 25), ("licensing", "decisions", 120),
                 ("punishment", "decisions", 8), ("coercion", "decisions", 0), ("fees", "amount", None)]
    for row, col, value in proactive:
        cells.append(_cell("proactive", row, col, value, [], len(cells)))
    for row, _ in APP_ROWS:
        if row == "other_handling":
            continue
        for col, _ in APP_COLS:
            cells.append(_cell("applications", row, col, _app_value(row, col), _app_rules(row, col), len(cells)))
    rl = {"review": [1, 0, 0, 1, 2]}
    for row, _ in RL_ROWS:
        for (col, _), value in zip(RL_COLS, rl.get(row, [0] * 5)):
            cells.append(_cell("review_litigation", row, col, value, [f"review_litigation.group.{row}"],
                               len(cells)))
    checks = [{"rule": f"applications.balance.{c}", "holds": True, "detail": "新收+结转 = 总计+结转下年"}
              for c, _ in APP_COLS]
    checks += [{"rule": f"applications.row_total.{r}", "holds": True, "detail": "总计 = sum of columns"}
               for r, _ in APP_ROWS]
    checks += [{"rule": f"applications.outcomes.{c}", "holds": True, "detail": "（七）总计 = sum of outcomes"}
               for c, _ in APP_COLS]
    checks.insert(20, {"rule": "narrative.new_received", "holds": False,
                       "detail": "正文称共收到政府信息公开申请13件，表中新收为12件"})
    checks += [{"rule": f"review_litigation.group.{r}", "holds": True, "detail": "总计 = 维持+纠正+其他+尚未审结"}
               for r, _ in RL_ROWS]
    return {
        "schema_version": 1,
        "source": {"path": "corpus/2022/某市某区人民政府办公室_2021年度报告.pdf",
                   "sha256": "3b5d5c3712955042212316173ccf37be8000e2f0a1b1c2d3e4f5a6b7c8d9e0f1", "kind": "pdf"},
        "report": {"agency": "某市某区人民政府办公室", "year": 2021},
        "status": "needs_review",
        "tables": [{"table": "proactive", "format": "2021", "found": True, "pages": [2, 3]},
                   {"table": "applications", "format": "2021", "found": True, "pages": [3]},
                   {"table": "review_litigation", "format": "2021", "found": True, "pages": [4]}],
        "cells": cells,
        "checks": checks,
    }


def make_labels() -> dict[str, Any]:
    return {
        "proactive": {"title": "二、主动公开政府信息情况",
                      "rows": {"regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
                               "punishment": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费"},
                      "columns": {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                                  "decisions": "本年处理决定数量", "amount": "本年收费金额（单位：万元）"}},
        "applications": {"title": "三、收到和处理政府信息公开申请情况",
                         "rows": dict(APP_ROWS), "columns": dict(APP_COLS)},
        "review_litigation": {"title": "四、政府信息公开行政复议、行政诉讼情况",
                              "rows": dict(RL_ROWS), "columns": dict(RL_COLS)},
    }


@pytest.fixture
def result() -> dict[str, Any]:
    return make_result()


@pytest.fixture
def labels() -> dict[str, Any]:
    return make_labels()


class _Page(HTMLParser):
    """Collects grid tables (rows of (attrs, text) cells), ids, hrefs and the check list items."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grids: list[list[list[tuple[dict[str, str], str]]]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.check_items: list[tuple[str, str]] = []
        self._grid = False
        self._cell: tuple[dict[str, str], list[str]] | None = None
        self._li: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag == "table" and "grid" in a.get("class", "").split():
            self._grid = True
            self.grids.append([])
        elif self._grid and tag == "tr":
            self.grids[-1].append([])
        elif self._grid and tag in ("td", "th"):
            self._cell = (a, [])
        elif tag == "li" and a.get("class") in ("fail", "pass"):
            self._li = (a["class"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._grid = False
        elif tag in ("td", "th") and self._cell is not None:
            self.grids[-1][-1].append((self._cell[0], "".join(self._cell[1])))
            self._cell = None
        elif tag == "li" and self._li is not None:
            self.check_items.append((self._li[0], "".join(self._li[1])))
            self._li = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[1].append(data)
        if self._li is not None:
            self._li[1].append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_page_is_one_self_contained_document(result: dict[str, Any], labels: dict[str, Any]) -> None:
    page = render_html(result, labels)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page and '<html lang="zh">' in page
    assert page.count("<html") == 1 and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    assert not re.search(r"https?://", page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page and "<link" not in page


def test_header_shows_source_status_and_counts(result: dict[str, Any]) -> None:
    page = render_html(result)
    assert "某市某区人民政府办公室" in page and "2021" in page and "pdf" in page
    assert result["source"]["path"] in page
    assert "3b5d5c371295" in page
    assert 'class="badge"' in page and ">needs_review</span>" in page
    for status, n in [("ok", 195), ("corrected", 1), ("inferred", 1), ("source_inconsistent", 1),
                      ("ambiguous", 1), ("missing", 1)]:
        assert f"{status}: {n}</span>" in page


def test_header_names_the_pages_not_read(result: dict[str, Any]) -> None:
    assert "not read" not in render_html(result)
    result["source"]["skipped_pages"] = [{"page": 6, "why": "after the tables (section 五 begins on page 5)"}]
    page = render_html(result)
    assert "<dt>not read</dt><dd>page 6: after the tables (section 五 begins on page 5)</dd>" in page


def test_grids_follow_cell_order_and_mark_non_ok_cells(result: dict[str, Any], labels: dict[str, Any]) -> None:
    parsed = _parse(render_html(result, labels))
    assert len(parsed.grids) == 3
    proactive, applications, review = parsed.grids
    assert len(applications) == 1 + 25 and all(len(r) == 1 + 7 for r in applications)
    assert len(review) == 1 + 3 and all(len(r) == 1 + 5 for r in review)
    assert [text for _, text in applications[0][1:]] == [f"{label}{key}" for key, label in APP_COLS]
    assert [r[0][1] for r in applications[1:]] == [f"{label}{key}" for key, label in APP_ROWS if key != "other_handling"]  # noqa: E501
    # proactive: 6 rows, 5 columns in order of appearance, blank grid cells where a row has no such column
    assert [r[0][1] for r in proactive[1:]][:2] == ["规章regulations", "行政规范性文件normative_documents"]
    assert len(proactive) == 7 and len(proactive[0]) == 6
    assert "none" in proactive[4][1][0]["class"]  # punishment has no `issued`
    rows = {r[0][1]: r[1:] for r in applications[1:]}
    corrected = rows["（一）予以公开granted"][0]
    assert "s-corrected" in corrected[0]["class"] and corrected[1].startswith("5") and "「S」" in corrected[1]
    ambiguous = rows["（三）4.保护第三方合法权益denied_third_party"][0]
    assert "s-ambiguous" in ambiguous[0]["class"] and "A collapsed blank" in ambiguous[0]["title"]
    inconsistent = rows["一、本年新收政府信息公开申请数量new_received"][6]
    assert "s-source_inconsistent" in inconsistent[0]["class"] and inconsistent[1].startswith("12")
    assert rows["（七）总计total_processed"][6][1] == "13" and "s-ok" in rows["（七）总计total_processed"][6][0]["class"]  # noqa: E501
    missing = proactive[6][5]
    assert "s-missing" in missing[0]["class"] and "(absent)" in missing[1] and missing[1].startswith("—")
    inferred = proactive[5][4]  # coercion / decisions
    assert "s-inferred" in inferred[0]["class"] and inferred[1].startswith("0") and "(blank)" in inferred[1]


def test_every_non_ok_cell_is_footnoted_with_its_reason(result: dict[str, Any], labels: dict[str, Any]) -> None:
    page = render_html(result, labels)
    parsed = _parse(page)
    for cell in result["cells"]:
        if cell["status"] != "ok":
            assert cell["reason"] in page, cell
    attention = sorted(i for i in parsed.ids if i.startswith("att-"))
    assert len(attention) == len(NON_OK) == 5
    for ident in attention:
        n = ident.removeprefix("att-")
        assert f"#att-{n}" in parsed.hrefs and f"cell-{n}" in parsed.ids and f"#cell-{n}" in parsed.hrefs
    assert "applications.row_total.granted<br>applications.outcomes.natural_person" in page
    assert "0.55" in page and "0.93" in page
    assert page.index("Legend") < page.index("s-ambiguous\" id=")


def test_tables_in_canonical_order_whatever_the_input_order(result: dict[str, Any]) -> None:
    result["tables"].reverse()
    result["cells"].reverse()
    page = render_html(result)
    assert page.index('id="t-proactive"') < page.index('id="t-applications"') < page.index('id="t-review_litigation"')


def test_labels_fall_back_to_keys(result: dict[str, Any]) -> None:
    page = render_html(result, {"applications": {"rows": {"granted": "（一）予以公开"}}})
    parsed = _parse(page)
    heads = [r[0][1] for r in parsed.grids[1][1:]]
    assert heads[2] == "（一）予以公开granted" and heads[0] == "new_received"
    assert '<h2 id="t-review_litigation">review_litigation</h2>' in page


def test_missing_table_is_shown_as_not_found(result: dict[str, Any]) -> None:
    result["tables"][2] = {"table": "review_litigation", "format": None, "found": False, "pages": []}
    result["cells"] = [c for c in result["cells"] if c["table"] != "review_litigation"]
    page = render_html(result)
    section = page[page.index('id="t-review_litigation"'):]
    assert "NOT found" in section and "No cells." in section


def test_document_text_is_escaped(result: dict[str, Any]) -> None:
    bad = copy.deepcopy(result)
    bad["report"]["agency"] = "<script>alert('agency')</script>某局"
    bad["source"]["path"] = 'x/"><img src=x onerror=alert(1)>.pdf'
    cell = next(c for c in bad["cells"] if c["status"] == "ambiguous")
    cell["observed"] = "<script>alert('obs')</script>"
    cell["reason"] = 'reason with " quote & <b>tag</b>'
    bad["checks"][0]["detail"] = "<iframe src=evil>"
    labels = {"applications": {"title": "<u>t</u>", "rows": {"granted": "<i>g</i>"}, "columns": {"total": "<s>"}}}
    page = render_html(bad, labels)
    lowered = page.lower()
    for tag in ("<script", "<img", "<iframe", "<b>tag", "<u>t", "<i>g", "<s>"):
        assert tag not in lowered, tag
    assert "&lt;script&gt;alert(&#x27;agency&#x27;)&lt;/script&gt;某局" in page
    assert "&lt;script&gt;alert(&#x27;obs&#x27;)&lt;/script&gt;" in page
    assert "reason with &quot; quote &amp; &lt;b&gt;tag&lt;/b&gt;" in page
    parsed = _parse(page)
    ambiguous = next(c for r in parsed.grids[1] for c in r if "s-ambiguous" in c[0].get("class", ""))
    assert ambiguous[0]["title"].startswith("ambiguous: reason with \" quote & <b>")


def test_failed_checks_come_first_and_stand_out(result: dict[str, Any]) -> None:
    page = render_html(result)
    items = _parse(page).check_items
    assert len(items) == len(result["checks"]) == 43
    assert [cls for cls, _ in items] == ["fail"] + ["pass"] * 42
    assert "narrative.new_received" in items[0][1] and "13件" in items[0][1]
    assert "1 failed of 43" in page


def test_all_passing_checks_keep_input_order(result: dict[str, Any]) -> None:
    for check in result["checks"]:
        check["holds"] = True
    items = _parse(render_html(result)).check_items
    assert [text.split("— ")[0].split()[-1] for _, text in items] == [k["rule"] for k in result["checks"]]


def test_summary_is_short_plain_text(result: dict[str, Any]) -> None:
    summary = render_summary(result)
    lines = summary.splitlines()
    assert 2 <= len(lines) <= 5
    assert "<" not in summary
    assert result["source"]["path"] in summary and "某市某区人民政府办公室" in summary and "2021" in summary
    assert "needs_review" in summary
    for part in ("1 corrected", "1 inferred", "1 source_inconsistent", "1 ambiguous", "1 missing"):
        assert part in summary
    assert "1 failed of 43" in summary


def test_summary_of_a_clean_report() -> None:
    clean = {"schema_version": 1, "source": {"path": "a.txt", "sha256": "0" * 64, "kind": "text"},
             "report": {"agency": None, "year": None}, "status": "failed", "tables": [], "cells": [],
             "checks": []}
    summary = render_summary(clean)
    assert "failed" in summary and "not ok: none" in summary and "0 failed of 0" in summary
    page = render_html(clean)
    assert page.count("No cells.") == 3 and "No checks." in page and "<li" not in page
