"""What a reviewer of many reports gets: the page in Chinese by default (labels as the template prints them, rules
named by their rows and columns, group headings of table 三), bulk accept of a table whose open cells share one
status, the batch's progress on the queue, and a long web-text line cut around the cell's figure, marked."""

from __future__ import annotations

import re
import sqlite3

from recover.pipeline import extract
from recover.report.evidence import CellEvidence, stored_evidence
from tests.conftest import CORPUS
from tests.review.test_app import GLYPH, TOTAL, UPHELD, doc_id, post

PINGTAN = CORPUS / "pingtan_2023" / "pingtan_2023_web_text.txt"


def test_the_page_speaks_chinese_unless_asked_for_english(client, outdir):
    client.delete_cookie("lang")
    queue = client.get("/").get_data(as_text=True)
    assert "待审阅的报告" in queue and "有歧义" in queue and "原表矛盾" in queue and 'lang="zh"' in queue
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    assert "行政复议：各项结果之和 = 总计" in page  # the rule named as the template prints its row
    assert "确认 11（a）" in page and "原表印错（s）" in page and "原表自身数字互相矛盾" in page
    assert "原表印为 0，但勾稽关系〔行政复议：各项结果之和 = 总计〕要求为 11：公开的表格有误" in page  # the reason
    assert "按原表所印" in page  # a reading the solver weighed
    english = client.get(f"/doc/{doc}?cell={TOTAL}&lang=en")
    assert "Accept 11 (a)" in english.get_data(as_text=True) and "lang=en" in english.headers["Set-Cookie"]
    assert "Documents to review" in client.get("/").get_data(as_text=True)  # the cookie keeps the choice


def test_table_three_prints_its_group_headings(client, outdir):
    page = client.get(f"/doc/{doc_id(outdir, '003_2f09d4f0b144d3c3.txt')}?cell={GLYPH}").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"group\"><th colspan=\"8\">([^<]+)</th></tr>\s*<tr><th class=\"r\">([^<]+)</th>",
                      page)
    assert ("（三）不予公开", "1.属于国家秘密") in rows and ("（四）无法提供", "1.本机关不掌握相关政府信息") in rows
    assert [g for g, _ in rows].count("三、本年度办理结果") == 1


def test_bulk_accept_decides_a_tables_open_cells_sharing_one_status(client, outdir):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    assert "bulk-accept" not in page  # ambiguous and source_inconsistent cells open in table 四: no bulk
    assert post(client, doc, UPHELD, action="accept", version="0").status_code == 303
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    listed = re.search(r'name="cells" value="([^"]+)"', page).group(1)
    assert sorted(listed.split()) == ["review_litigation.litigation_after_review.total:0", f"{TOTAL}:0"]
    assert "Accept all 2 source_inconsistent cells of this table (A)" in page
    bulk = client.post(f"/doc/{doc}/table/review_litigation/accept",
                       data={"csrf": client.csrf, "reviewer": "王芳", "cells": listed})
    assert bulk.status_code == 303
    again = client.post(f"/doc/{doc}/table/review_litigation/accept",
                        data={"csrf": client.csrf, "reviewer": "李伟", "cells": listed})
    assert again.status_code == 400  # the cells are decided: no longer open
    db = sqlite3.connect(outdir / "results.sqlite")
    assert db.execute("SELECT count(*), count(DISTINCT reviewer) FROM decisions").fetchone() == (3, 1)
    queue = client.get("/").get_data(as_text=True)
    assert re.search(r"1 of 3 documents reviewed · 3 of \d+ flagged cells decided", queue)
    assert 'href="/files/summary.html"' in queue


def test_a_stale_bulk_accept_writes_nothing(client, outdir):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    post(client, doc, UPHELD, action="accept", version="0")
    listed = f"{TOTAL}:0 review_litigation.litigation_after_review.total:0"
    post(client, doc, TOTAL, action="override", value="11", version="0", reviewer="李伟")  # meanwhile
    client.post(f"/doc/{doc}/cell/{TOTAL}", data={"csrf": client.csrf, "reviewer": "李伟", "action": "clear",
                                                  "version": "1"})
    stale = client.post(f"/doc/{doc}/table/review_litigation/accept",
                        data={"csrf": client.csrf, "reviewer": "王芳", "cells": listed})
    assert stale.status_code == 409 and "Not saved" in stale.get_data(as_text=True)
    db = sqlite3.connect(outdir / "results.sqlite")
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1  # the first accept only


def test_a_long_web_text_line_is_cut_around_the_marked_figure():
    """平潭's web text glues its tables into paragraphs of thousands of characters: the review shows the cell's
    figure marked with a window either side, and a shortlist of the values weighed."""
    ex = extract(str(PINGTAN))
    stored = stored_evidence(ex)  # (as a batch stores it for the review)
    marked = 0
    for ev in stored.values():
        shown = CellEvidence.from_dict(ev)
        own = [x for x in shown.excerpt() if x[4]]
        if not own or shown.mark is None:
            continue
        _, before, figure, after, _ = own[0]
        line = shown.line_text
        assert len(line) > 1000 and len(before) + len(figure) + len(after) < 140
        assert figure == line[shown.mark[0]:shown.mark[1]] and figure[:1].isdigit()
        first, rest = shown.shortlist()
        assert len(first) <= 6 and len(first) + len(rest) == len(shown.candidates)
        assert any(c.chosen for c in first) or not any(c.chosen for c in shown.candidates)
        marked += 1
    assert marked >= 3
