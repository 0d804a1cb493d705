"""Born-digital reports of varied layout, printed to PDF by headless Chromium, and their scans.

Every report follows the national template (tables 二, 三 and 四 with their merged header cells, ``layout.py``),
but each draws its own print style from its seed, so that a reading tuned to one layout fails here:

* fonts: body, table and digit faces among the CJK fonts installed (AR PL UMing/UKai, WenQuanYi Zen/Micro Hei,
  Noto Sans/Serif CJK), digits sometimes in a Latin face (Liberation, DejaVu);
* table text 9-12 pt, cell padding, rule width 0.5-1.5 px, header cells filled (gray, blue) or not;
* the vertical 三、本年度办理结果 label as one character a line or in vertical writing mode;
* zeros printed as 0, left blank or as a dash (tables 三 and 四);
* a narrative sentence restating the section's figures between a heading and its table, or none; the
  overview restates the applications received, with or without those carried over;
* page numbers in the bottom margin; tables break over pages where the page ends (table 三 always does;
  table 四 at times keeps its headers on one page and its figures on the next).

Chromium lays the page out (fonts, wrapping, page breaks) as a word processor's PDF export does. The truth is
``truth.make_truth(seed)`` in corpus shape (``grade`` exact for the PDF, flagged for its scans).

``printed_corpus`` writes ``OUTDIR/pdf/printed_<seed>/`` (the PDF, ``truth.json``, ``style.json``) and, per scan
level, ``OUTDIR/<level>/printed_<seed>/`` (the scanned pages, ``truth.json``, ``scan.json``): ``devtools score``
grades ``OUTDIR/pdf``, ``python3 -m devtools bench-scan OUTDIR`` the scans.
"""

from __future__ import annotations

import html
import json
import random
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from recover.errors import MissingDependencyError
from devtools.synth.layout import Labels, SpecCell, applications_table, proactive_table, review_table
from devtools.synth.truth import make_truth

SERIF = ("AR PL UMing CN", "Noto Serif CJK SC", "AR PL UKai CN")
SANS = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK SC")
LATIN_DIGITS = (None, None, "Liberation Sans", "Liberation Serif", "DejaVu Sans")  # None: the table's own face
FILLS = (None, None, "#d9d9d9", "#dce6f1", "#deeaf6")
ZEROS = ("0", "0", "blank", "dash")


@dataclass(frozen=True)
class PrintStyle:
    body_font: str
    table_font: str
    digit_font: str | None
    body_pt: float
    table_pt: float
    rule_px: float
    pad_v: int  # cell padding above and below, px
    fill: str | None  # header cells' background
    vertical: str  # "br": one character a line; "writing-mode": vertical text
    zero: str  # "0", "blank" or "dash"
    narrative: bool  # a sentence restating the figures under each table heading
    received_with_carried: bool  # the overview's count of applications includes those carried over


@lru_cache(maxsize=1)
def installed_fonts() -> frozenset[str]:
    """Family names fontconfig knows (empty when fc-list is missing)."""
    if shutil.which("fc-list") is None:
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def _pick(rng: random.Random, names: tuple, fallback: str) -> str:
    have = [n for n in names if n in installed_fonts()]
    return rng.choice(have) if have else fallback


def draw_style(rng: random.Random) -> PrintStyle:
    """A print style drawn from ``rng`` among the fonts installed."""
    body = _pick(rng, SERIF + SANS[:1], "Noto Sans CJK SC")
    table = _pick(rng, SERIF + SANS, "Noto Sans CJK SC")
    digits = rng.choice(LATIN_DIGITS)
    return PrintStyle(body_font=body, table_font=table,
                 digit_font=digits if digits is None or digits in installed_fonts() else None,
                 body_pt=rng.choice((12.0, 14.0, 15.0, 16.0)), table_pt=rng.choice((9.0, 9.5, 10.5, 12.0)),
                 rule_px=rng.choice((0.5, 0.75, 1.0, 1.5)), pad_v=rng.choice((1, 2, 4, 6)), fill=rng.choice(FILLS),
                 vertical=rng.choice(("br", "writing-mode")), zero=rng.choice(ZEROS),
                 narrative=rng.random() < 0.7, received_with_carried=rng.random() < 0.5)


def _formatter(zero: str):
    def fmt(table: str, row: str, col: str, v: object) -> str:
        if isinstance(v, float):
            return repr(v).removesuffix(".0")
        if v == 0 and table != "proactive":
            return {"blank": "", "dash": "-"}.get(zero, "0")
        return str(v)
    return fmt


def _td(cell: SpecCell, style: PrintStyle) -> str:
    attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
    cls = {"head": "h", "value": "v", "vertical": "vt"}.get(cell.kind, "")
    text = html.escape(cell.text)
    if cell.kind == "vertical":
        text = "<br>".join(html.escape(ch) for ch in cell.text) if style.vertical == "br" else \
            f'<span class="wm">{text}</span>'
    return f'<td class="{cls}"{attrs}>{text}</td>'


def _table(rows: list[list[SpecCell]], style: PrintStyle) -> str:
    body = "\n".join("<tr>" + "".join(_td(c, style) for c in row) + "</tr>" for row in rows)
    return f"<table>\n{body}\n</table>"


def _narratives(truth: dict) -> dict[str, str]:
    year = truth["report"]["year"]
    a = truth["applications"]["rows"]
    rl = truth["review_litigation"]
    cells = truth["proactive"]["cells"]
    if truth["proactive"]["format"] == "2021":
        pro = (f"{year}年，本机关制发行政规范性文件{cells['normative_documents.issued']}件，废止"
               f"{cells['normative_documents.repealed']}件，现行有效{cells['normative_documents.in_force']}件。")
    else:
        pro = (f"{year}年，本机关新制作规范性文件{cells['normative_documents.newly_made']}件，新公开"
               f"{cells['normative_documents.newly_published']}件。")
    other = "other_handling" if "other_handling" in a else "other_other"
    app = (f"{year}年，本机关共新收政府信息公开申请{a['new_received'][6]}件，上年结转{a['carried_over'][6]}件；"
           f"本年度办结{a['total_processed'][6]}件，其中予以公开{a['granted'][6]}件、部分公开"
           f"{a['partially_granted'][6]}件，其他处理{a[other][6]}件，结转下年度继续办理{a['carried_forward'][6]}件。")
    rev = (f"{year}年，本机关因政府信息公开工作被申请行政复议{rl['review'][4]}件，被提起行政诉讼"
           f"{rl['litigation_direct'][4] + rl['litigation_after_review'][4]}件。")
    return {"proactive": pro, "applications": app, "review_litigation": rev}


def report_html(truth: dict, style: PrintStyle) -> str:
    """The report as one printable HTML page (A4, page numbers in the bottom margin)."""
    rep = truth["report"]
    agency, year = rep["agency"], rep["year"]
    a = truth["applications"]["rows"]
    new, carried = a["new_received"][6], a["carried_over"][6]
    received = (f"全年共收到政府信息公开申请{new + carried}件（含上年结转{carried}件）" if style.received_with_carried
                else f"全年新收政府信息公开申请{new}件")
    fmt = _formatter(style.zero)
    said = _narratives(truth) if style.narrative else {}
    digits = f'"{style.digit_font}", ' if style.digit_font else ""
    fill = f"td.h {{ background: {style.fill}; }}" if style.fill else ""
    tables = {"proactive": proactive_table(truth, fmt, Labels()),
              "applications": applications_table(truth, fmt, Labels()),
              "review_litigation": review_table(truth, fmt, Labels())}
    headings = {"proactive": "二、主动公开政府信息情况", "applications": "三、收到和处理政府信息公开申请情况",
                "review_litigation": "四、政府信息公开行政复议、行政诉讼情况"}
    sections = "\n".join(f"<h2>{headings[t]}</h2>\n" + (f"<p>{said[t]}</p>\n" if t in said else "")
                         + _table(tables[t], style) for t in headings)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{agency}{year}年政府信息公开工作年度报告</title>
<style>
@page {{ size: A4; margin: 30mm 26mm 28mm 27mm;
  @bottom-center {{ content: "- " counter(page) " -"; font-family: "{style.body_font}"; font-size: 12pt; }} }}
body {{ font-family: "{style.body_font}", serif; font-size: {style.body_pt}pt; line-height: 1.6; }}
h1 {{ text-align: center; font-size: {style.body_pt + 6}pt; font-weight: bold; margin: 0 0 1em; }}
h2 {{ font-size: {style.body_pt}pt; font-family: "{style.table_font}", sans-serif; margin: 0.6em 0 0.3em; }}
p {{ text-indent: 2em; margin: 0.2em 0; }}
table {{ border-collapse: collapse; width: 100%; font-family: "{style.table_font}", serif;
  font-size: {style.table_pt}pt; line-height: 1.3; margin: 0.4em 0; }}
td {{ border: {style.rule_px}px solid #000; padding: {style.pad_v}px 3px; text-align: center; }}
td.v {{ font-family: {digits}"{style.table_font}", serif; }}
td.vt .wm {{ writing-mode: vertical-rl; }}
{fill}
</style></head><body>
<h1>{agency}<br>{year}年政府信息公开工作年度报告</h1>
<p>本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。本报告中所列数据的统计期限自{year}年1月1日起至
{year}年12月31日止。如对本报告有疑问，请与{agency}办公室联系。</p>
<h2>一、总体情况</h2>
<p>{year}年，{agency}认真贯彻落实《条例》和上级关于政务公开工作的部署要求，扎实推进政府信息公开各项工作。</p>
<p>（一）依申请公开。严格落实依申请公开受理、审查、办理、答复等各环节规范，{received}，均在法定期限内答复。</p>
<p>（二）平台建设。持续优化政府网站政府信息公开专栏，规范栏目设置，加强政务新媒体日常监测。</p>
{sections}
<h2>五、存在的主要问题及改进情况</h2>
<p>本年度政府信息公开工作取得了一定成效，但也存在政策解读形式较为单一等问题。下一步将加强业务培训。</p>
<h2>六、其他需要报告的事项</h2>
<p>{year}年，本机关未收取政府信息公开信息处理费。</p>
<p style="text-align: right">{agency}<br>{year + 1}年3月20日</p>
</body></html>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise MissingDependencyError("chromium", "headless Chromium prints the reports (Debian package chromium)")


def print_pdf(page: str, pdf: Path, timeout: float = 120.0) -> None:
    """Print an HTML page to ``pdf`` with headless Chromium (no header or footer of its own)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        src.as_uri()], capture_output=True, timeout=timeout, check=True)


def printed_document(outdir: Path, seed: int, levels: tuple[str, ...] = (), container: str = "tiff",
                     style: PrintStyle | None = None) -> list[Path]:
    """One report of seed ``seed``: its PDF under ``outdir/pdf`` and its scans under ``outdir/<level>``. ``style``:
    the print style (default: drawn from the seed, ``draw_style``)."""
    from recover.ingest.scan import render_pdf
    from devtools.synth.corpus import _write, scan_pages
    from devtools.synth.degrade import LEVELS

    truth = make_truth(seed)
    style = style or draw_style(random.Random(f"style-{seed}"))
    name = f"printed_{seed:04d}"
    folder = outdir / "pdf" / name
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{name}.pdf"
    print_pdf(report_html(truth, style), pdf)
    exact = dict(truth, grade="exact", source=pdf.name,
                 notes=f"Printed report (devtools.synth.printed, seed {seed}); style in style.json.")
    (folder / "truth.json").write_text(json.dumps(exact, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "style.json").write_text(json.dumps(asdict(style), ensure_ascii=False, indent=1), encoding="utf-8")
    out = [folder]
    for level_name in levels:
        level = LEVELS[level_name]
        gray = [img for _, img in render_pdf(pdf, dpi=level.dpi)]
        pages, damage = scan_pages(gray, level, seed, (0.72, 0.8))
        meta = {"level": level_name, "dpi": level.dpi, "seed": seed, "pages": len(pages), "from": str(pdf),
                "style": asdict(style), "damage": damage}
        out.append(_write(outdir / level_name / name, name, pages, dict(truth, grade="flagged"), meta, container,
                          level.dpi))
    return out


def printed_corpus(outdir: Path, seed: int = 0, count: int = 3, levels: tuple[str, ...] = ()) -> list[Path]:
    """``count`` printed reports (seeds ``seed`` … ``seed + count - 1``), each as a PDF and scanned at ``levels``."""
    out: list[Path] = []
    for i in range(count):
        out += printed_document(outdir, seed + i, levels)
    return out
