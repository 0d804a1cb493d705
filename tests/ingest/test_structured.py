"""DOCX and HTML backends: tables keep their grid (merged cells once), text keeps its order."""

from __future__ import annotations

import json
import subprocess
import sys

from recover.ingest import load_document
from recover.ingest.structured import html_lines
from tests.conftest import CORPUS, ROOT

BLANK = CORPUS / "blank_template_2021" / "blank_template_2021.docx"


def test_blank_national_template_tables_found_cells_missing(tmp_path):
    out = tmp_path / "blank.json"
    proc = subprocess.run([sys.executable, "-m", "recover", "extract", str(BLANK), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["source"]["kind"] == "docx"
    assert all(t["found"] for t in result["tables"])
    assert len(result["cells"]) == 200
    assert {c["status"] for c in result["cells"]} == {"missing"}
    assert all(c["value"] is None for c in result["cells"])


def test_docx_merged_cells_give_their_text_once():
    doc = load_document(BLANK)
    header = next(ln for ln in doc.lines if ln.startswith("行政复议\t"))
    fields = header.split("\t")
    assert len(fields) == 15
    assert fields.count("行政复议") == 1 and fields.count("行政诉讼") == 1


def test_html_rowspan_colspan_and_gbk(tmp_path):
    page = ("<html><head><meta charset='gbk'><script>var x=1;</script></head><body>"
            "<h2>四、政府信息公开行政复议、行政诉讼情况</h2><table>"
            "<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
            "<tr><td rowspan=2>结果维持</td><td>x</td></tr><tr><td>y</td></tr></table><p>五、存在的主要问题</p>"
            "</body></html>").encode("gbk")
    read = html_lines(page, tmp_path / "p.html")
    lines = read.lines
    assert "四、政府信息公开行政复议、行政诉讼情况" in lines
    at = next(ln for ln, row in read.rows.items() if row[0].text == "行政复议")
    assert at > lines.index("四、政府信息公开行政复议、行政诉讼情况")
    header = read.rows[at]
    assert [c.text for c in header[:6]] == ["行政复议", "", "", "", "", "行政诉讼"]
    assert (header[0].col_span, header[5].col_span) == (5, 10) and header[5].col == 5
    row3 = read.rows[at + 2]
    assert row3[0].text == "" and row3[1].text == "y"  # the rowspan cell holds column 0 of the third row
    assert read.rows[at + 1][0].row_span == 2
    assert lines[at + 2] == "\t".join(c.text for c in row3)  # the row's line, for the section finder
    assert not any("var x" in ln for ln in lines)


def test_html_encoding_is_detected_not_assumed():
    from recover.ingest.structured import html_encoding

    text = "<html><body>行政复议 结果纠正 镕</body></html>"  # 镕: in GBK, not in GB2312
    declared = text.replace("<html>", "<html><meta charset='gb2312'>")
    assert html_encoding(declared.encode("gbk")) == "gb18030"  # declared gb2312, printed GBK: read as superset
    assert html_encoding(text.encode("gbk")) == "gb18030"  # nothing declared: the bytes decide
    assert html_encoding(text.encode("utf-8")) == "utf-8"
    lying = text.replace("<html>", "<html><meta charset='gbk'>").encode("utf-8")
    assert lying.decode(html_encoding(lying)) == lying.decode("utf-8")  # a wrong declaration loses to the bytes


def test_html_page_in_gbk_without_declaration_reads_its_tables(tmp_path):
    page = ("<html><body><p>三、收到和处理政府信息公开申请情况</p><table><tr><td>自然人</td><td>总计</td></tr>"
            "</table></body></html>").encode("gbk")
    read = html_lines(page, tmp_path / "p.html")
    assert "三、收到和处理政府信息公开申请情况" in read.lines and "自然人\t总计" in read.lines
    assert [c.text for row in read.rows.values() for c in row] == ["自然人", "总计"]


def test_corpus_html_pages_are_reproducible_from_their_truth(tmp_path):
    """The HTML corpus documents are made from hand-written truth by scripts/render_html.py."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    cases = [("huaian_city_2024", "huaian_city_2024_html_gbk/huaian_city_2024_gbk.html",
              ["--encoding", "gbk", "--declare", "gb2312", "--blank-legal-zeros", "--dash-review-zeros"]),
             ("hongze_district_2024", "hongze_district_2024_html_traditional/hongze_district_2024_traditional.html",
              ["--traditional", "--blank-legal-zeros"])]
    for truth, doc, opts in cases:
        out = tmp_path / "page.html"
        subprocess.run([sys.executable, str(ROOT / "scripts/render_html.py"),
                        str(ROOT / "corpus" / truth / "truth.json"), str(out), *opts], check=True)
        assert out.read_bytes() == (ROOT / "corpus" / doc).read_bytes(), doc
