"""A seeded "text family": a ground truth from ``make_truth`` rendered as a whole text report in the shapes real
reports reach recover in.

Shapes (``SHAPES``), each after a real source:

- ``tabs``: tab-separated rows as copied out of Word or a PDF (seeds 002/004): every table row one line on the
  table's grid, a merged cell's text once, blank positions kept; sometimes a group label on its own line.
- ``cells``: one cell per line as copied from a web page (seeds 000/003): each cell a line starting with a tab,
  rows separated by blank lines, multi-line header cells (商业 / 企业) and the vertical 三、本 / 年 / 度 …
- ``markdown``: pipe tables as an OCR or markdown export prints them (seed 001, Shanghai), a separator line
  under each table's first row.
- ``glued``: web text whose cells lost their separators (Pingtan): a table's labels and figures run together.
- ``html``: the saved government web page (``devtools.synth.layout.page``, as ``scripts/render_html.py``).

What varies, drawn from the seed (each seen in a real report or a seed): zeros printed as 0, blank, "—", "/" or
"无" (in every table, in the legal-person columns only, or in table 四 only: seeds 000, 004, the Chromium PDF);
label wordings (catalogue aliases: 规范性文件, 社会组织, （二）部分公开; 1、 for 1.; half-width brackets; ASCII
quotes); full-width digits; spaces inside Han labels (社会 公益 组织: Shanghai); table 三 cut by a page footer
line ("- 3 -", "— 4 —": Shanghai); CRLF line endings; traditional characters (the mirror of seed 002).
No figure is damaged beyond what the shape itself implies (this measures reading, not repair).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from recover.catalogue import load_catalogue
from devtools.synth import layout
from devtools.synth.layout import LEGAL, Labels, SpecCell
from devtools.synth.truth import make_truth

SHAPES = ("tabs", "cells", "markdown", "glued", "html")
SUFFIX = {"tabs": ".txt", "cells": ".txt", "markdown": ".md", "glued": ".txt", "html": ".html"}
FULL = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@dataclass
class Style:
    """How one report prints its tables (drawn by ``draw_style``)."""

    zero: str = "0"  # how a zero is printed: "0", "", "—", "/", "无"
    zero_scope: str = "all"  # where: "all", "legal" (三's legal-person columns), "review" (table 四)
    fullwidth: bool = False
    crlf: bool = False
    traditional: bool = False
    footer: str | None = None  # a page footer line cutting table 三, e.g. "- 3 -"
    footer_after: str = "denied_third_party"  # the row of table 三 the page ends after
    group_own_line: bool = False  # tabs: a group label on its own line above its first row
    encoding: str = "utf-8"  # html: the page's bytes
    labels: Labels = field(default_factory=Labels)

    def describe(self) -> str:
        bits = [f"zero={self.zero or 'blank'}/{self.zero_scope}"]
        bits += [n for n in ("fullwidth", "crlf", "traditional", "group_own_line") if getattr(self, n)]
        if self.footer:
            bits.append(f"footer after {self.footer_after}")
        if self.encoding != "utf-8":
            bits.append(self.encoding)
        return " ".join(bits)


def _spaced(rng: random.Random, text: str) -> str:
    """A space inside a Han label (a PDF line wrap flattened: 社会 公益组织)."""
    if len(text) < 4:
        return text
    i = rng.randint(2, len(text) - 2)
    return text[:i] + " " + text[i:]


def draw_labels(rng: random.Random, truth: dict) -> Labels:
    """Label wordings seen in real reports: catalogue aliases, 1、 / 1. / 1. , half-width brackets, quotes."""
    cat = load_catalogue()
    lab = Labels()
    fmt = truth["applications"]["format"]
    num = rng.choice(("{n}.", "{n}.", "{n}、", "{n}. "))
    half = rng.random() < 0.3
    spaces = rng.random() < 0.2
    for r in cat.tables["applications"].rows_for(fmt):
        text = r.label
        if text[:2] in {f"{n}." for n in range(1, 9)}:
            text = num.format(n=text[0]) + text[2:]
        if half:
            text = text.replace("（", "(").replace("）", ") " if rng.random() < 0.5 else ")")
        if rng.random() < 0.3:
            text = text.replace("“", '"').replace("”", '"')
        if r.aliases and rng.random() < 0.25:
            text = r.aliases[0]
        if spaces and rng.random() < 0.2:
            text = _spaced(rng, text)
        lab.rows[r.key] = text
    for g in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
        text = g.replace("（", "(").replace("）", ") ") if half else g
        lab.groups[g] = _spaced(rng, text) if spaces and rng.random() < 0.3 else text
    for c in cat.tables["applications"].columns:
        text = c.label
        if c.aliases and rng.random() < 0.2:
            text = c.aliases[0]
        if spaces and c.group and rng.random() < 0.5:
            text = _spaced(rng, text)
        lab.columns[c.key] = text
    if fmt == "2019":
        lab.rows["normative_documents"] = "规范性文件"  # the 2019 template's wording (seed 004)
    for c in cat.tables["proactive"].columns:
        if c.aliases and rng.random() < 0.2:
            lab.columns[c.id] = c.aliases[0]
    if half:
        lab.note = lab.note.replace("（", "(").replace("）", ")")
    return lab


def draw_style(rng: random.Random, shape: str, truth: dict) -> Style:
    st = Style()
    r = rng.random()
    st.zero = "0" if r < 0.55 else "" if r < 0.7 else "—" if r < 0.8 else "/" if r < 0.9 else "无"
    if shape == "glued":
        st.zero = "0"  # glued web text as Pingtan's prints its zeros as 0 (a blank or a dash would be lost)
    st.zero_scope = rng.choice(("all", "all", "legal", "review"))
    st.fullwidth = shape != "html" and rng.random() < 0.1
    st.crlf = shape != "html" and rng.random() < 0.25
    st.traditional = rng.random() < 0.1
    if shape in ("tabs", "cells", "markdown") and rng.random() < 0.5:
        st.footer = rng.choice(("- {n} -", "— {n} —", "-{n}-", "第 {n} 页")).format(n=rng.randint(2, 6))
        keys = [k for k in truth["applications"]["rows"] if k not in ("new_received", "carried_over")]
        st.footer_after = rng.choice(keys[:-1])
    st.group_own_line = shape == "tabs" and rng.random() < 0.3
    if shape == "html" and rng.random() < 0.3:
        st.encoding = "gbk"
    st.labels = draw_labels(rng, truth)
    return st


def _formatter(st: Style):
    def fmt(table: str, row: str, col: str, v: object) -> str:
        text = layout.plain(table, row, col, v)
        if v == 0 and not isinstance(v, str):
            if (st.zero_scope == "all" or (st.zero_scope == "legal" and table == "applications" and col in LEGAL)
                    or (st.zero_scope == "review" and table == "review_litigation")):
                text = st.zero
        if st.fullwidth:
            text = text.translate(FULL)
        return text
    return fmt


# -- the shapes ---------------------------------------------------------------------------------------------

def _row_breaks(table: list[list[SpecCell]], truth: dict, st: Style, name: str) -> set[int]:
    """Indexes of table 三's rows after which the page footer falls."""
    if name != "applications" or not st.footer:
        return set()
    keys = [r.key for r in load_catalogue().tables["applications"].rows_for(truth["applications"]["format"])]
    return {3 + keys.index(st.footer_after)}


def _tabs(name, table, truth, st, rng) -> list[str]:
    out = []
    breaks = _row_breaks(table, truth, st, name)
    for i, row in enumerate(layout.grid(table)):
        texts = ["" if c is None else c.text for c in row]
        if st.group_own_line and name == "applications" and i >= 3:
            lead = [j for j, c in enumerate(row[:2]) if c is not None and c.rowspan > 1 and c.text]
            if lead and lead[-1] == 1:  # a group label (（三）不予公开) printed on its own line
                out.append("\t" + texts[1])
                texts[1] = ""
        line = "\t".join(texts)
        if rng.random() < 0.3:
            line += "\t"
        out.append(line)
        if i in breaks:
            out += ["", st.footer or "", ""]
    return out + [""]


def _cells(name, table, truth, st, rng) -> list[str]:
    out = []
    breaks = _row_breaks(table, truth, st, name)
    g = layout.grid(table)
    for i, row in enumerate(g):
        for j, c in enumerate(row):
            if c is None:
                if layout.covered_from_left(g, i, j) or name != "applications" or i < 3:
                    continue  # a merged cell's text once; a row's lead under a group label stays a blank cell
                out.append("\t")
                continue
            text = c.text
            if c.kind == "head" and len(text) >= 4 and rng.random() < 0.3 and not text.startswith(("（", "(")):
                k = rng.randint(2, len(text) - 2)
                text = text[:k] + "\n" + text[k:]
            elif c.kind == "vertical":
                text = text[:3] + "\n" + "\n".join(text[3:])  # 三、本 / 年 / 度 / … (seed 000)
            out.append("\t" + text)
        out.append("")
        if i in breaks:
            out += [st.footer or "", ""]
    return out + ["", ""]


def _markdown(name, table, truth, st, rng) -> list[str]:
    out = [""]
    breaks = _row_breaks(table, truth, st, name)
    g = layout.grid(table)
    width = max(len(r) for r in g)
    first = True
    for i, row in enumerate(g):
        texts = ["" if c is None else c.text for c in row] + [""] * (width - len(row))
        out.append("| " + " | ".join(texts) + " |")
        if first:
            out.append("|" + "---|" * width)
            first = False
        if i in breaks:
            out += ["", st.footer or "", ""]
            first = True  # the export starts a new table on the next page
    return out + [""]


def _glued(name, table, truth, st, rng) -> list[str]:
    return ["".join(c.text for row in table for c in row)]


def _narrative(truth: dict, rng: random.Random) -> tuple[str, list[str]]:
    rep = truth["report"]
    agency, year = rep["agency"], rep["year"]
    title = rng.choice((f"{agency}{year}年政府信息公开工作年度报告", f"{agency} {year} 年政府信息公开工作年度报告",
                        f"{agency}{year}年度政府信息公开工作年度报告"))
    received = truth["applications"]["rows"]["new_received"][6]
    got = f"全年共收到政府信息公开申请{received}件" if received else "全年未收到政府信息公开申请"
    paras = [
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室"
        f"有关要求编制。报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"{year}年，{agency}认真贯彻落实《条例》要求，坚持以公开为常态、不公开为例外，"
        f"全年主动公开政府信息{rng.randint(50, 3000)}条。{got}，均在法定期限内答复。",
    ]
    return title, paras


def render(truth: dict, shape: str, seed: int) -> tuple[bytes, Style]:
    """The bytes of one report of ``truth`` in ``shape``, its printed style drawn from ``seed``."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r} (one of {', '.join(SHAPES)})")
    rng = random.Random(f"text:{seed}:{shape}")
    st = draw_style(rng, shape, truth)
    fmt = _formatter(st)
    if shape == "html":
        text = layout.page(truth, fmt, declare="gb2312" if st.encoding == "gbk" else "utf-8", labels=st.labels)
    else:
        tables = [("proactive", layout.proactive_table(truth, fmt, st.labels)),
                  ("applications", layout.applications_table(truth, fmt, st.labels)),
                  ("review_litigation", layout.review_table(truth, fmt, st.labels))]
        title, paras = _narrative(truth, rng)
        serialise = {"tabs": _tabs, "cells": _cells, "markdown": _markdown, "glued": _glued}[shape]
        body = [serialise(name, table, truth, st, rng) for name, table in tables]
        heads = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况"]
        tail = ["五、存在的主要问题及改进情况", "一是公开内容的全面性有待加强；二是政策解读形式还不够丰富。",
                "六、其他需要报告的事项", "本年度未收取信息处理费。"]
        if shape == "glued":  # Pingtan: the whole article one paragraph
            text = title + "\n" + "".join(paras) + "".join(h + b[0] for h, b in zip(heads, body)) + "".join(tail) + "\n"
        else:
            lines = [title, ""] + [p for para in paras for p in (para, "")]
            for h, sec in zip(heads, body):
                lines += [h] + sec
            lines += tail
            text = "\n".join(lines) + "\n"
    if st.traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    if st.crlf:
        text = text.replace("\n", "\r\n")
    return text.encode(st.encoding), st


def write_report(folder: Path, seed: int, shape: str, fmt: str | None = None) -> tuple[Path, dict, Style]:
    """Write report ``seed`` in ``shape`` under ``folder`` (its file and truth.json); return the file, the truth
    and the style."""
    return save_rendered(folder, f"{shape}_{seed:05d}", make_truth(seed, fmt), shape, seed)


def save_rendered(folder: Path, name: str, truth: dict, shape: str, seed: int) -> tuple[Path, dict, Style]:
    """Render ``truth`` in ``shape`` (its style drawn from ``seed``) into ``folder/name/`` with its truth.json;
    return the file, the truth as written and the style."""
    import json

    data, st = render(truth, shape, seed)
    doc = folder / name
    doc.mkdir(parents=True, exist_ok=True)
    path = doc / (name + SUFFIX[shape])
    path.write_bytes(data)
    truth = dict(truth, source=path.name, notes=truth["notes"] + f" Rendered as {shape}: {st.describe()}.")
    (doc / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return path, truth, st
