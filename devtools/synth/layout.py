"""The official layout of tables 二, 三 and 四 as a grid of cells with row/column spans, and the saved web page.

A table is a list of rows, each a list of ``SpecCell`` (text, rowspan, colspan) as an HTML table writes it: a cell
covered by a span above or to the left is not written again. ``grid`` expands a table to its full grid (a merged
cell's text once, at its top-left position; the positions it covers are ``None``), which is what a copy out of
Word or a PDF, a markdown export and web text are made from (``devtools.synth.text``). ``page`` is the saved
government web page ``scripts/render_html.py`` writes (moved here so that the package does not import scripts/).

``Labels`` holds the label wording a report uses; the default is the catalogue's canonical text, and
``devtools.synth.text`` draws real variants (aliases of ``models/catalogue.yaml``, half-width brackets, 1、 for 1.).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from recover.catalogue import APP_COLS, REV_COLS, load_catalogue

LEGAL = ("commercial", "research", "social_welfare", "legal_service", "other_org")
REV_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
RULES = " table { border-collapse: collapse; } td { border: 0.8pt solid #000; }"
SPAN_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# A value formatter: (table, row, column, value) -> printed text.
Fmt = Callable[[str, str, str, object], str]


@dataclass(frozen=True)
class SpecCell:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # "label", "value", "head" or "vertical" (三、本年度办理结果, one character a line)


@dataclass
class Labels:
    """Label wording of one report: a catalogue key → printed text (missing keys print the catalogue label)."""

    rows: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    note: str = SPAN_NOTE

    def row(self, key: str, default: str) -> str:
        return self.rows.get(key, default)

    def column(self, key: str, default: str) -> str:
        return self.columns.get(key, default)

    def group(self, key: str, default: str) -> str:
        return self.groups.get(key, default)


def plain(table: str, row: str, col: str, v: object) -> str:
    """A figure as printed: integers as they are, decimals without a trailing zero, amounts with their unit."""
    if isinstance(v, float):
        return repr(v).removesuffix(".0")
    return str(v)


def proactive_table(truth: dict, fmt: Fmt = plain, labels: Labels | None = None) -> list[list[SpecCell]]:
    """Table 二 in the layout of its format (2021: 第二十条 items (一)(五)(六)(八); 2019: also (九)), each item a
    heading row over the four columns, a 信息内容 header row and its rows; a block of one figure a row (2021
    (五)(六)(八)) spans its header and figures over the three value columns."""
    lab = labels or Labels()
    cells = truth["proactive"]["cells"]
    cat = load_catalogue().tables["proactive"]
    form = truth["proactive"]["format"]
    by_id = {c.id: c for c in cat.columns}
    items: dict[str, list] = {}
    for r in cat.rows:
        if r.columns.get(form):
            items.setdefault(r.item, []).append(r)
    rows: list[list[SpecCell]] = []
    for item, members in items.items():
        rows.append([SpecCell(lab.group(item, item), colspan=4, kind="head")])
        ids = list(members[0].columns[form])
        heads = [SpecCell(lab.column(i, by_id[i].label), kind="head") for i in ids]
        if len(ids) == 1:
            rows.append([SpecCell(lab.column("信息内容", "信息内容"), kind="head"), SpecCell(heads[0].text, colspan=3,
                                                                                kind="head")])
        else:
            rows.append([SpecCell(lab.column("信息内容", "信息内容"), kind="head")] + heads
                        + [SpecCell("", kind="head")] * (3 - len(ids)))
        for r in members:
            vals = [SpecCell(fmt("proactive", r.key, by_id[i].key, cells[f"{r.key}.{by_id[i].key}"]),
                         colspan=3 if len(ids) == 1 else 1, kind="value") for i in r.columns[form]]
            rows.append([SpecCell(lab.row(r.key, r.label))] + vals
                        + ([SpecCell("", kind="value")] * (3 - len(ids)) if len(ids) > 1 else []))
    return rows


def applications_table(truth: dict, fmt: Fmt = plain, labels: Labels | None = None) -> list[list[SpecCell]]:
    """Table 三: the 3-row header (the note cell, 申请人情况, 法人或其他组织 over its five columns), rows with the
    vertical 三、本年度办理结果 and the group labels （三）…（六） spanning their rows."""
    lab = labels or Labels()
    cat = load_catalogue().tables["applications"]
    form = truth["applications"]["format"]
    data = truth["applications"]["rows"]
    rows_ = cat.rows_for(form)
    groups = {g: [r for r in rows_ if r.group == g] for g in {r.group for r in rows_ if r.group}}

    def values(key: str) -> list[SpecCell]:
        return [SpecCell(fmt("applications", key, col, v), kind="value") for col, v in zip(APP_COLS, data[key])]

    cols = {c.key: c for c in cat.columns}
    out = [[SpecCell(lab.note, rowspan=3, colspan=3, kind="head"),
            SpecCell(lab.column("申请人情况", "申请人情况"), colspan=7, kind="head")],
           [SpecCell(lab.column("natural_person", "自然人"), rowspan=2, kind="head"),
            SpecCell(lab.column("法人或其他组织", "法人或其他组织"), colspan=5, kind="head"),
            SpecCell(lab.column("total", "总计"), rowspan=2, kind="head")],
           [SpecCell(lab.column(k, cols[k].label), kind="head") for k in LEGAL]]
    outcome_label = next(r.group for r in rows_ if r.key == "granted")  # 三、本年度办理结果
    outcome = [r for r in rows_ if r.role == "outcome"] + [r for r in rows_ if r.key == "total_processed"]
    first = True
    seen: set[str] = set()
    for r in rows_:
        label = lab.row(r.key, r.label)
        if r in outcome:
            lead: list[SpecCell] = []
            if first:
                lead.append(SpecCell(lab.group("outcome", outcome_label), rowspan=len(outcome), kind="vertical"))
                first = False
            sub = r.group if r.group and r.group != outcome_label else None
            if sub:
                if sub not in seen:
                    seen.add(sub)
                    lead.append(SpecCell(lab.group(sub, sub), rowspan=len(groups[sub])))
                out.append(lead + [SpecCell(label)] + values(r.key))
            else:
                out.append(lead + [SpecCell(label, colspan=2)] + values(r.key))
        else:
            out.append([SpecCell(label, colspan=3)] + values(r.key))
    return out


def review_table(truth: dict, fmt: Fmt = plain, labels: Labels | None = None) -> list[list[SpecCell]]:
    """Table 四: 行政复议 over five columns, 行政诉讼 over ten (未经复议直接起诉, 复议后起诉), one row of 15 figures."""
    lab = labels or Labels()
    rl = truth["review_litigation"]
    heads = [lab.column(k, t) for k, t in zip(REV_COLS, REV_LABELS)]
    rows = [[SpecCell(lab.row("review", "行政复议"), colspan=5, kind="head"),
             SpecCell(lab.group("行政诉讼", "行政诉讼"), colspan=10, kind="head")],
            [SpecCell(h, rowspan=2, kind="head") for h in heads]
            + [SpecCell(lab.row("litigation_direct", "未经复议直接起诉"), colspan=5, kind="head"),
               SpecCell(lab.row("litigation_after_review", "复议后起诉"), colspan=5, kind="head")],
            [SpecCell(h, kind="head") for h in heads] * 2]
    rows.append([SpecCell(fmt("review_litigation", row, col, v), kind="value")
                 for row in ("review", "litigation_direct", "litigation_after_review")
                 for col, v in zip(REV_COLS, rl[row])])
    return rows


def grid(table: list[list[SpecCell]]) -> list[list[SpecCell | None]]:
    """The table expanded to its full grid: each cell at its top-left position, covered positions ``None``."""
    out: list[list[SpecCell | None]] = []
    taken: dict[tuple[int, int], bool] = {}
    for i, row in enumerate(table):
        line: list[SpecCell | None] = []
        j = 0
        for cell in row:
            while taken.get((i, j)):
                line.append(None)
                j += 1
            line.append(cell)
            for di in range(cell.rowspan):
                for dj in range(cell.colspan):
                    taken[(i + di, j + dj)] = True
            line += [None] * (cell.colspan - 1)
            j += cell.colspan
        while taken.get((i, j)):
            line.append(None)
            j += 1
        out.append(line)
    return out


def covered_from_left(g: list[list[SpecCell | None]], i: int, j: int) -> bool:
    """Whether grid position (i, j) is covered by a cell of the same row spanning columns (not from above)."""
    for k in range(j - 1, -1, -1):
        c = g[i][k]
        if c is not None:
            return k + c.colspan > j
    return False


def _td(cell: SpecCell) -> str:
    attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
    text = html.escape(cell.text)
    if cell.kind == "vertical":  # 三、本年度办理结果, one character a line
        text = "<br>".join(html.escape(ch) for ch in cell.text)
    return f"<td{attrs}>{text}</td>"


def html_table(table: list[list[SpecCell]]) -> str:
    body = "\n".join("<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in table)
    return f'<table border="1" cellspacing="0" cellpadding="2" class="MsoNormalTable">\n{body}\n</table>'


def page(truth: dict, fmt: Fmt = plain, declare: str = "utf-8", single_rules: bool = False,
         labels: Labels | None = None) -> str:
    """The saved web page of a report: site navigation, scripts and styles, the title, a narrative, the three
    tables and a footer."""
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
{html_table(proactive_table(truth, fmt, labels))}
<p>三、收到和处理政府信息公开申请情况</p>
{html_table(applications_table(truth, fmt, labels))}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
{html_table(review_table(truth, fmt, labels))}
<p>五、存在的主要问题及改进情况</p>
<p>一是公开内容的全面性有待加强；二是解读形式还不够丰富。下一步将加强业务培训。</p>
<p>六、其他需要报告的事项</p>
<p>本年度未收取信息处理费。{'行政事业性收费金额见上表。' if fees is not None else ''}</p>
</div>
<div class="footer">版权所有：{agency} 网站标识码 3208000000 主办单位：{agency}办公室</div>
<script>document.getElementById("footer"); // 访问量统计</script>
</body></html>
"""
