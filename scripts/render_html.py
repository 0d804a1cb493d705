"""Render a corpus truth.json as a saved government web page with the official table layout.

Used to make the HTML documents of the corpus from hand-written ground truth (issue 4): tables 二, 三 and 四
laid out as the national template prints them (multi-level headers with rowspan/colspan, the vertical group
label 三、本年度办理结果 one character per line, the 第二十条 item headers of table 二), inside a page with
site navigation, scripts, styles and a footer, in a chosen encoding and script.

    python3 scripts/render_html.py TRUTH.json OUT.html [--encoding gbk] [--declare gb2312]
                                        [--traditional] [--blank-legal-zeros] [--dash-review-zeros]
                                        [--single-rules]

``--declare`` writes that charset in <meta> (government sites often declare gb2312 and print GBK-only
characters); ``--traditional`` converts the page to traditional characters with OpenCC (a mirror site);
``--blank-legal-zeros`` leaves zero cells of the five 法人或其他组织 columns blank, ``--dash-review-zeros``
prints the zeros of table 四 as "—", ``--single-rules`` draws each ruling line once (collapsed borders, as
Word and WPS print them: the page to print to PDF with ``chromium --headless --print-to-pdf``). Table 二 is
rendered in the 2021 layout only.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recover.catalogue import load_catalogue  # noqa: E402

LEGAL = ("commercial", "research", "social_welfare", "legal_service", "other_org")
APP_COLS = ("natural_person",) + LEGAL + ("total",)
REV_COLS = ("upheld", "corrected", "other", "pending", "total")
RULES = " table { border-collapse: collapse; } td { border: 0.8pt solid #000; }"
SPAN_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def td(text: object = "", rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{text}</td>"


def fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return html.escape(str(v))


def proactive_table(cells: dict[str, object]) -> str:
    rows = [td("第二十条第（一）项", colspan=4),
            td("信息内容") + td("本年制发件数") + td("本年废止件数") + td("现行有效件数")]
    for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        rows.append(td(label) + "".join(td(fmt(cells[f"{key}.{c}"])) for c in ("issued", "repealed", "in_force")))
    blocks = (("第二十条第（五）项", "本年处理决定数量", (("licensing", "行政许可", "decisions"),)),
              ("第二十条第（六）项", "本年处理决定数量", (("punishment", "行政处罚", "decisions"),
                                             ("coercion", "行政强制", "decisions"))),
              ("第二十条第（八）项", "本年收费金额（单位：万元）", (("fees", "行政事业性收费", "amount"),)))
    for item, header, members in blocks:
        rows.append(td(item, colspan=4))
        rows.append(td("信息内容") + td(header, colspan=3))
        for key, label, col in members:
            rows.append(td(label) + td(fmt(cells[f"{key}.{col}"]), colspan=3))
    return _table(rows)


def applications_table(truth: dict, blank_legal_zeros: bool) -> str:
    cat = load_catalogue()
    fmt_ = truth["applications"]["format"]
    data = truth["applications"]["rows"]
    t = cat.tables["applications"]
    rows_ = t.rows_for(fmt_)
    groups = {g: [r for r in rows_ if r.group == g] for g in {r.group for r in rows_ if r.group}}

    def values(key: str) -> str:
        out = []
        for col, v in zip(APP_COLS, data[key]):
            out.append(td("" if (blank_legal_zeros and col in LEGAL and v == 0) else fmt(v)))
        return "".join(out)

    out = [td(SPAN_NOTE, rowspan=3, colspan=3) + td("申请人情况", colspan=7),
           td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2),
           "".join(td(c.label) for c in t.columns if c.group)]
    outcome_label = next(r.group for r in rows_ if r.key == "granted")  # 三、本年度办理结果
    outcome = [r for r in rows_ if r.role == "outcome"] + [r for r in rows_ if r.key == "total_processed"]
    first_outcome = True
    seen_groups: set[str] = set()
    for r in rows_:
        if r in outcome:
            lead = ""
            if first_outcome:
                lead = td("<br>".join(outcome_label), rowspan=len(outcome))
                first_outcome = False
            sub = r.group if r.group and r.group != outcome_label else None
            if sub:
                if sub not in seen_groups:
                    seen_groups.add(sub)
                    lead += td(sub, rowspan=len(groups[sub]))
                out.append(lead + td(r.label) + values(r.key))
            else:
                out.append(lead + td(r.label, colspan=2) + values(r.key))
        else:
            out.append(td(r.label, colspan=3) + values(r.key))
    return _table(out)


def review_table(truth: dict, dash_zeros: bool) -> str:
    rl = truth["review_litigation"]
    head = [td("行政复议", colspan=5) + td("行政诉讼", colspan=10),
            "".join(td(h, rowspan=2) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
            + td("未经复议直接起诉", colspan=5) + td("复议后起诉", colspan=5),
            "".join(td(h) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")) * 2]
    vals = [v for row in ("review", "litigation_direct", "litigation_after_review") for v in rl[row]]
    head.append("".join(td("—" if (dash_zeros and v == 0) else fmt(v)) for v in vals))
    return _table(head)


def _table(rows: list[str]) -> str:
    body = "\n".join(f"<tr>{r}</tr>" for r in rows)
    return f'<table border="1" cellspacing="0" cellpadding="2" class="MsoNormalTable">\n{body}\n</table>'


def page(truth: dict, blank_legal_zeros: bool, dash_zeros: bool, declare: str, single_rules: bool = False) -> str:
    rep = truth["report"]
    agency, year = rep["agency"], rep["year"]
    received = truth["applications"]["rows"]["new_received"][6]
    fees = truth["proactive"]["cells"].get("fees.amount")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declare}">' if declare else ""
    return f"""<!DOCTYPE html>
<html><head>{meta}
<title>{agency}{year}年政府信息公开工作年度报告_政府信息公开年报</title>
<style>.nav li {{ display: inline; }} td {{ text-align: center; }}{RULES if single_rules else ""}</style>
<script>var _hmt = _hmt || []; document.write("<span>统计代码 首页 加载中</span>");</script>
</head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/xxgk/">信息公开目录</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<div class="search">搜索 热门搜索：政策解读 办事指南</div></div>
<div class="position">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<div class="article">
<h1>{agency}{year}年政府信息公开工作年度报告</h1>
<div class="info">发布时间：{year + 1}-01-20 来源：{agency}办公室 浏览次数：1024</div>
<p>本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室有关要求编制。
报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。</p>
<p>一、总体情况</p>
<p>{year}年，{agency}认真贯彻落实《条例》要求，全年共收到政府信息公开申请{received}件，均在法定期限内答复。</p>
<p>二、主动公开政府信息情况</p>
{proactive_table(truth["proactive"]["cells"])}
<p>三、收到和处理政府信息公开申请情况</p>
{applications_table(truth, blank_legal_zeros)}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
{review_table(truth, dash_zeros)}
<p>五、存在的主要问题及改进情况</p>
<p>一是公开内容的全面性有待加强；二是解读形式还不够丰富。下一步将加强业务培训。</p>
<p>六、其他需要报告的事项</p>
<p>本年度未收取信息处理费。{'行政事业性收费金额见上表。' if fees is not None else ''}</p>
</div>
<div class="footer">版权所有：{agency} 网站标识码 3208000000 主办单位：{agency}办公室</div>
<script>document.getElementById("footer"); // 访问量统计</script>
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("truth")
    ap.add_argument("out")
    ap.add_argument("--encoding", default="utf-8")
    ap.add_argument("--declare", default=None, help="charset written in <meta> (default: the encoding)")
    ap.add_argument("--traditional", action="store_true")
    ap.add_argument("--blank-legal-zeros", action="store_true")
    ap.add_argument("--dash-review-zeros", action="store_true")
    ap.add_argument("--single-rules", action="store_true")
    a = ap.parse_args(argv)
    truth = json.loads(Path(a.truth).read_text(encoding="utf-8"))
    if truth["proactive"]["format"] != "2021":
        raise SystemExit("table 二 is rendered in the 2021 layout only")
    text = page(truth, a.blank_legal_zeros, a.dash_review_zeros, a.declare if a.declare is not None else a.encoding,
                a.single_rules)
    if a.traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    Path(a.out).write_bytes(text.encode(a.encoding))
    return 0


if __name__ == "__main__":
    sys.exit(main())
