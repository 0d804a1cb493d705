"""Render a synthetic report as A4 page images with Pillow and the Noto CJK fonts (fonts-noto-cjk).

The pages follow the 公文 look of real reports: a two-line title (agency, year), 黑体-style section headings,
serif body paragraphs with a two-character first-line indent, the three tables ruled in full with their merged
header cells and group labels, page numbers ``— N —``, and the agency and date at the end. Tables flow with
the text: a table that does not fit is continued on the next page (table 三, 25 rows high, always crosses a
page break), and a merged cell cut by the break keeps part of its text on each page, as in 淮安 2024
('（四）无' / '法提供').

Everything is laid out in millimetres and drawn at the requested dpi, so the same document renders at 150,
200 or 300 dpi with the same layout. Output: grayscale uint8 arrays (ink dark on white paper).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devtools.synth.tables import ZERO_STYLES, TableSpec, applications_spec, proactive_spec, review_spec

PAGE_MM = (210.0, 297.0)
MARGIN_MM = (27.0, 37.0, 27.0, 30.0)  # left, top, right, bottom (公文 margins)
PT_MM = 25.4 / 72.0
TITLE_PT, HEAD_PT, BODY_PT, TABLE_PT = 20.0, 15.0, 14.0, 9.0
LINE = 1.55  # body line pitch, in font sizes
CELL_LINE, CELL_PAD_MM = 1.3, 1.2  # table text line pitch (font sizes) and cell padding
RULE_MM = 0.2  # ruling line thickness

FONTS = {"title": "Noto Serif CJK SC:style=Bold", "head": "Noto Sans CJK SC:style=Bold",
         "body": "Noto Serif CJK SC:style=Regular", "table": "Noto Sans CJK SC:style=Regular",
         "table_serif": "Noto Serif CJK SC:style=Regular"}
KEEP_MM = 30.0  # a section heading needs this much room below it, or it moves to the next page with its table


@lru_cache(maxsize=8)
def font_file(pattern: str) -> tuple[str, int]:
    """(file, face index) of a fontconfig pattern; raises if no CJK font is installed (apt fonts-noto-cjk)."""
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", pattern], capture_output=True, text=True,
                             check=False).stdout
        path, _, index = out.partition("|")
        if "CJK" in path and Path(path).is_file():
            return path, int(index or 0)
    for found in sorted(Path("/usr/share/fonts").rglob("Noto*CJK*")):
        if found.suffix.lower() in {".ttc", ".otf", ".ttf"}:
            return str(found), 0
    raise FileNotFoundError("no CJK font found: install fonts-noto-cjk")


@lru_cache(maxsize=64)
def font(kind: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = font_file(FONTS[kind])
    return ImageFont.truetype(path, px, index=index)


def wrap(text: str, f: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy character wrap (Chinese breaks anywhere) of ``text`` to lines at most ``width`` px wide."""
    lines, cur = [], ""
    for ch in text:
        if cur and f.getlength(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return lines + [cur] if cur or not lines else lines


@dataclass
class Page:
    """One rendered page: the image and which tables (catalogue keys) have rows on it."""

    image: np.ndarray
    tables: list[str] = field(default_factory=list)
    seal_at: tuple[float, float] | None = None  # where a seal would be stamped (fractions of width, height)
    style: dict = field(default_factory=dict)  # the document's printed style (zeros, table font and size)


class _Flow:
    """Pages filled top to bottom; ``need(h)`` starts a new page when ``h`` px do not fit."""

    def __init__(self, dpi: int, rng: random.Random, table_font: str = "table", table_pt: float = TABLE_PT):
        self.dpi, self.rng, self.table_font, self.table_pt = dpi, rng, table_font, table_pt
        self.w, self.h = (round(v / 25.4 * dpi) for v in PAGE_MM)
        self.left, self.top, self.right, self.bottom = (self.px(v) for v in MARGIN_MM)
        self.pages: list[Page] = []
        self.draw: ImageDraw.ImageDraw
        self.new_page()

    def px(self, mm: float) -> float:
        return mm / 25.4 * self.dpi

    def pt(self, size: float) -> int:
        return max(6, round(self.px(size * PT_MM)))

    @property
    def width(self) -> float:
        return self.w - self.left - self.right

    def new_page(self) -> None:
        if self.pages:
            self._footer()
        self.img = Image.new("L", (self.w, self.h), 255)
        self.draw = ImageDraw.Draw(self.img)
        self.pages.append(Page(np.zeros(0, np.uint8)))
        self.y = float(self.top)

    def need(self, height: float) -> None:
        if self.y + height > self.h - self.bottom:
            self.new_page()

    def _footer(self) -> None:
        f = font("body", self.pt(11))
        self.draw.text((self.w / 2, self.h - self.bottom / 2), f"— {len(self.pages)} —", font=f, fill=20,
                       anchor="mm")
        self.pages[-1].image = np.asarray(self.img).copy()

    def finish(self) -> list[Page]:
        self._footer()
        return self.pages

    def ink(self) -> int:
        return self.rng.randint(0, 40)

    def text_line(self, text: str, kind: str, size: float, align: str = "left", indent: float = 0.0) -> None:
        f = font(kind, self.pt(size))
        pitch = self.pt(size) * LINE
        self.need(pitch)
        x = {"left": self.left + indent, "center": self.w / 2, "right": self.w - self.right - indent}[align]
        anchor = {"left": "lm", "center": "mm", "right": "rm"}[align]
        self.draw.text((x, self.y + pitch / 2), text, font=f, fill=self.ink(), anchor=anchor)
        self.y += pitch

    def paragraph(self, text: str, kind: str = "body", size: float = BODY_PT) -> None:
        f = font(kind, self.pt(size))
        indent = 2 * self.pt(size)
        first = wrap(text, f, self.width - indent)[0]
        rest = wrap(text[len(first):], f, self.width) if len(first) < len(text) else []
        self.text_line(first, kind, size, indent=indent)
        for line in rest:
            self.text_line(line, kind, size)

    def gap(self, mm: float) -> None:
        self.y += self.px(mm)

    # ------------------------------------------------------------------------------------------ tables

    def _measure(self, spec: TableSpec) -> tuple:
        f = font(self.table_font, self.pt(self.table_pt))
        pitch, pad = self.pt(self.table_pt) * CELL_LINE, self.px(CELL_PAD_MM)
        scale = self.width / sum(spec.col_w)
        xs = self.left + np.concatenate([[0.0], np.cumsum(np.array(spec.col_w) * scale)])
        lines: dict[tuple[int, int], list[str]] = {}
        heights = np.full(spec.n_rows, pitch + 2 * pad)
        for r, c, rs, cs, text, kind in sorted(spec.cells, key=lambda cell: cell[2]):
            inner = xs[c + cs] - xs[c] - 2 * pad
            lines[(r, c)] = list(text) if kind == "vlabel" else wrap(text, f, inner)
            need = len(lines[(r, c)]) * pitch + 2 * pad
            if need > heights[r:r + rs].sum():
                heights[r:r + rs] += (need - heights[r:r + rs].sum()) / rs
        return f, pitch, pad, xs, heights, lines

    def fits(self, spec: TableSpec) -> bool:
        """Whether the whole table fits in what is left of the page."""
        return self.y + float(self._measure(spec)[4].sum()) <= self.h - self.bottom

    def table(self, spec: TableSpec) -> None:
        f, pitch, pad, xs, heights, lines = self._measure(spec)
        self.need(heights[:spec.header_rows + 1].sum())
        start = 0
        while start < spec.n_rows:
            room = self.h - self.bottom - self.y
            end = start
            while end < spec.n_rows and heights[start:end + 1].sum() <= room:
                end += 1
            if end == start:  # not even one row fits: a new page
                self.new_page()
                continue
            self._table_part(spec, xs, heights, lines, start, end, f, pitch, pad)
            self.y += heights[start:end].sum()
            start = end
            if start < spec.n_rows:
                self.new_page()

    def _table_part(self, spec: TableSpec, xs: np.ndarray, heights: np.ndarray, lines: dict, start: int, end: int,
                    f: ImageFont.FreeTypeFont, pitch: float, pad: float) -> None:
        """Rows start..end-1 of ``spec`` at the cursor; a merged cell cut by the page keeps the share of its
        text lines that its rows on this page hold of its height."""
        ys = self.y + np.concatenate([[0.0], np.cumsum(heights[start:end])])
        thick = max(1, round(self.px(RULE_MM)))
        self.pages[-1].tables.append(spec.key)
        for r, c, rs, cs, _, kind in spec.cells:
            lo, hi = max(r, start), min(r + rs, end)
            if lo >= hi:
                continue
            block = lines[(r, c)]
            if rs > 1 and (lo, hi) != (r, r + rs):
                total = heights[r:r + rs].sum()
                a = round(len(block) * heights[r:lo].sum() / total)
                b = round(len(block) * heights[r:hi].sum() / total)
                block = block[a:b]
            x0, x1, y0, y1 = xs[c], xs[c + cs], ys[lo - start], ys[hi - start]
            self.draw.rectangle([round(x0), round(y0), round(x1), round(y1)], outline=self.rng.randint(0, 50),
                                width=thick)
            top = (y0 + y1) / 2 - len(block) * pitch / 2
            for k, line in enumerate(block):
                y = top + (k + 0.5) * pitch
                if kind == "label" and len(block) > 0 and len(lines[(r, c)][0]) > 3:
                    self.draw.text((x0 + pad, y), line, font=f, fill=self.ink(), anchor="lm")
                else:
                    self.draw.text(((x0 + x1) / 2, y), line, font=f, fill=self.ink(), anchor="mm")


# ---------------------------------------------------------------------------------------------- text

OPENING = ("{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息"
           "公开条例》和上级关于政务公开工作的部署要求，围绕中心工作，持续深化政务公开，不断提升政务公开质量。"
           "现将本年度政府信息公开工作情况报告如下。")
POOL = (
    "（一）主动公开。严格落实“五公开”要求，通过门户网站、政务新媒体等渠道及时发布政策文件、工作动态和"
    "重点领域信息，全年主动公开政府信息{pub}条。",
    "（三）政府信息管理。健全信息发布审核机制，落实“先审查、后公开”和“一事一审”制度，全年未发生泄密事件。",
    "（四）平台建设。优化政府信息公开专栏，规范栏目设置，做好政策文件的集中统一公开和动态更新。",
    "（五）监督保障。将政务公开工作纳入年度绩效考核，组织业务培训{train}次，切实提升工作人员业务水平。",
)
PROBLEMS = ("本年度政府信息公开工作仍存在一些不足：一是公开内容的深度和广度有待加强；二是政策解读形式较为单一。"
            "下一步，将进一步完善工作机制，丰富解读形式，提高信息发布的及时性和准确性。")
OTHER = "本年度未收取信息处理费。无其他需要报告的事项。"
# Text that may stand between heading 三 and its table; added until table 三 no longer fits on its page, so that
# it always crosses a page break (as in most real reports).
APPLY_TEXTS = (
    "本机关严格按照《中华人民共和国政府信息公开条例》规定的程序和时限办理依申请公开事项，做到依法答复、规范答复。",
    "对申请内容不明确的，及时一次性告知申请人补正；对不属于本机关公开职责的，告知申请人并说明理由。",
    "进一步规范依申请公开答复文书格式，完善登记、审核、办理、答复、归档等环节的工作流程。",
    "加强与申请人的沟通，做好答复前的解释说明工作，有效减少因政府信息公开引发的行政争议。",
    "具体情况见下表。",
)


def _narrative_apply(t: dict) -> str:
    rows = t["applications"]["rows"]
    new, over, done, fwd = (rows[k][6] for k in ("new_received", "carried_over", "total_processed",
                                                 "carried_forward"))
    if new == 0 and over == 0:
        return "（二）依申请公开。本年度未收到政府信息公开申请。"
    return (f"（二）依申请公开。本年度共收到政府信息公开申请{new}件，上年结转{over}件，已办结{done}件，"
            f"结转下年度继续办理{fwd}件，均在法定期限内予以答复。")


def _narrative_review(t: dict) -> str:
    rl = t["review_litigation"]
    review, lit = rl["review"][4], rl["litigation_direct"][4] + rl["litigation_after_review"][4]
    parts = [f"本年度发生政府信息公开行政复议案件{review}件" if review else "本年度未发生政府信息公开行政复议案件",
             f"行政诉讼案件{lit}件" if lit else "未发生政府信息公开行政诉讼案件"]
    return "，".join(parts) + "。"


def render_report(truth: dict, dpi: int = 300, seed: int = 0) -> list[Page]:
    """The pages of the report whose figures are ``truth`` (a truth.json dict), drawn at ``dpi``.

    seed: chooses the printed style (how zeros are printed, sans or serif table font of 9 or 10.5 pt, ink shades, which
        narrative paragraphs appear); the same truth, dpi and seed always give the same pixels.
    """
    rng = random.Random(seed)
    zero = rng.choices(ZERO_STYLES, weights=(0.7, 0.15, 0.15))[0]
    agency, year = truth["report"]["agency"], truth["report"]["year"]
    table_font, table_pt = rng.choice(("table", "table", "table_serif")), rng.choice((TABLE_PT, 10.5))
    style = {"zeros": zero, "table_font": table_font, "table_pt": table_pt}
    flow = _Flow(dpi, rng, table_font, table_pt)
    flow.text_line(agency, "title", TITLE_PT, align="center")
    flow.text_line(f"{year}年政府信息公开工作年度报告", "title", TITLE_PT, align="center")
    flow.gap(6)
    flow.paragraph(OPENING.format(year=year, agency=agency))
    flow.text_line("一、总体情况", "head", HEAD_PT, indent=2 * flow.pt(BODY_PT))
    pool = [p.format(pub=rng.randint(50, 3000), train=rng.randint(1, 6)) for p in POOL]
    flow.paragraph(pool[0])
    flow.paragraph(_narrative_apply(truth))
    for p in rng.sample(pool[1:], rng.randint(0, 3)):
        flow.paragraph(p)
    sections = (("二、主动公开政府信息情况", proactive_spec(truth)),
                ("三、收到和处理政府信息公开申请情况", applications_spec(truth, zero)),
                ("四、政府信息公开行政复议、行政诉讼情况", review_spec(truth, zero)))
    for heading, spec in sections:
        flow.gap(2)
        flow.need(flow.px(KEEP_MM))
        flow.text_line(heading, "head", HEAD_PT, indent=2 * flow.pt(BODY_PT))
        extra = iter(APPLY_TEXTS * 4)
        while spec.key == "applications" and flow.fits(spec):
            flow.paragraph(next(extra))
        flow.gap(1)
        flow.table(spec)
    flow.gap(2)
    flow.paragraph(_narrative_review(truth))
    flow.text_line("五、存在的主要问题及改进情况", "head", HEAD_PT, indent=2 * flow.pt(BODY_PT))
    flow.paragraph(PROBLEMS)
    flow.text_line("六、其他需要报告的事项", "head", HEAD_PT, indent=2 * flow.pt(BODY_PT))
    flow.paragraph(OTHER)
    flow.gap(10)
    flow.need(3 * flow.pt(BODY_PT) * LINE)
    seal_y = (flow.y + flow.pt(BODY_PT) * LINE) / flow.h
    flow.text_line(agency, "body", BODY_PT, align="right", indent=flow.px(12))
    flow.text_line(f"{year + 1}年1月{rng.randint(10, 31)}日", "body", BODY_PT, align="right", indent=flow.px(16))
    pages = flow.finish()
    for page in pages:
        page.style = style
    pages[-1].seal_at = (1 - (MARGIN_MM[2] + 30) / PAGE_MM[0], seal_y)
    return pages
