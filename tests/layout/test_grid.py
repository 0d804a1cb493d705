"""layout.scan.grid: table grids found on rendered page images (clean, rotated, broken rules, 150 dpi with noise,
two tables on a page).

The images are rendered here with Pillow and a CJK font (Noto Sans CJK SC; CI installs fonts-noto-cjk):
table 三 of the national template with the labels of models/catalogue.yaml and the numbers of
corpus/pingtan_2023/truth.json, ruled with 1–3 px lines, merged header cells and the vertical group label.
Every rendered number's position is recorded and carried through the distortion and the deskew.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml
from PIL import Image, ImageDraw, ImageFont

from recover.layout.scan.grid import Grid, find_grids
from recover.layout.scan.lines import binarise, estimate_skew, glyph_height, rules
from recover.layout.scan.page import PageLayout, analyse_page
from recover.ingest.scan import render_pdf
from recover.layout.scan.lines import noise_sigma, quantile_u8
from tests.conftest import CORPUS, ROOT

EM = 44  # 10.5 pt at 300 dpi
LINE_H = 1.35  # text line pitch, em
PAD = 0.3  # cell padding, em


def _font_file() -> tuple[str, int] | None:
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", "Noto Sans CJK SC"],
                             capture_output=True, text=True, check=False).stdout
        path, _, index = out.partition("|")
        if "CJK" in path and Path(path).is_file():
            return path, int(index or 0)
    for path in sorted(Path("/usr/share/fonts").rglob("NotoSansCJK*")):
        if path.suffix.lower() in {".ttc", ".otf", ".ttf"}:
            return str(path), 0
    return None


FONT_FILE = _font_file()
if FONT_FILE is None:
    pytest.skip("no CJK font: install fonts-noto-cjk", allow_module_level=True)

_FONTS: dict[int, ImageFont.FreeTypeFont] = {}


def font(size: int) -> ImageFont.FreeTypeFont:
    if size not in _FONTS:
        path, index = FONT_FILE
        _FONTS[size] = ImageFont.truetype(path, size, index=index)
    return _FONTS[size]


# ---------------------------------------------------------------------------------------------- table specs

@dataclass
class Spec:
    """A table to render: column widths in em and cells (row, col, row_span, col_span, text, kind)."""

    col_w: list[float]
    cells: list[tuple[int, int, int, int, str, str]]
    values: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return max(r + rs for r, _, rs, _, _, _ in self.cells)

    @property
    def structure(self) -> set[tuple[int, int, int, int]]:
        return {(r, c, rs, cs) for r, c, rs, cs, _, _ in self.cells}

    @property
    def spanning(self) -> set[tuple[int, int, int, int]]:
        return {s for s in self.structure if s[2] > 1 or s[3] > 1}


CATALOGUE = yaml.safe_load((ROOT / "models" / "catalogue.yaml").read_text(encoding="utf-8"))
TRUTH = json.loads((CORPUS / "pingtan_2023" / "truth.json").read_text(encoding="utf-8"))


def table_three() -> Spec:
    """Table 三 (2021 format): 3 header rows, 25 data rows; 3 label columns and 7 value columns."""
    cat = CATALOGUE["tables"]["applications"]
    rows = [r for r in cat["rows"] if "2021" in r.get("formats", ["2021"])]
    groups, cols = cat["groups"], cat["columns"]
    rule = next(r for r in CATALOGUE["rules"] if r["id"] == "balance")["text"]
    cells = [(0, 0, 3, 3, f"（本列数据的勾稽关系为：{rule}）", "head"), (0, 3, 1, 7, "申请人情况", "head"),
             (1, 3, 2, 1, cols["natural_person"]["label"], "head"), (1, 4, 1, 5, cols["commercial"]["group"], "head"),
             (1, 9, 2, 1, cols["total"]["label"], "head")]
    cells += [(2, 4 + i, 1, 1, cols[k]["label"], "head")
              for i, k in enumerate(["commercial", "research", "social_welfare", "legal_service", "other_org"])]
    values = {}
    outcome = [i for i, r in enumerate(rows) if r.get("group") is not None]
    cells.append((3 + outcome[0], 0, len(outcome), 1, groups["outcome"], "label"))
    i = 0
    while i < len(rows):
        r, row = rows[i], 3 + i
        g = r.get("group")
        if g is None:
            cells.append((row, 0, 1, 3, r["label"], "label"))
        elif g == "outcome":
            cells.append((row, 1, 1, 2, r["label"], "label"))
        else:
            n = sum(1 for x in rows if x.get("group") == g)
            cells.append((row, 1, n, 1, groups[g], "label"))
            for j in range(n):
                cells.append((row + j, 2, 1, 1, rows[i + j]["label"], "label"))
        for k in range(1 if g in (None, "outcome") else n):
            for c, v in enumerate(TRUTH["applications"]["rows"][rows[i + k]["key"]]):
                cells.append((row + k, 3 + c, 1, 1, str(v), "value"))
                values[(row + k, 3 + c)] = str(v)
        i += 1 if g in (None, "outcome") else n
    return Spec([1.4, 4.6, 10.0] + [3.2] * 7, cells, values)


def table_two() -> Spec:
    """Table 二 (2021 format): four item blocks, each a title row, a header row and value rows."""
    cat = CATALOGUE["tables"]["proactive"]
    vals = TRUTH["proactive"]["cells"]
    cols, rows = cat["columns"], {r["key"]: r for r in cat["rows"]}
    cells, values, row = [], {}, 0
    blocks = [("regulations", "normative_documents"), ("licensing",), ("punishment", "coercion"), ("fees",)]
    for keys in blocks:
        col_keys = rows[keys[0]]["columns"]["2021"]
        cells.append((row, 0, 1, 4, rows[keys[0]]["item"], "head"))
        cells.append((row + 1, 0, 1, 1, "信息内容", "head"))
        wide = len(col_keys) == 1
        for c, k in enumerate(col_keys):
            cells.append((row + 1, 1 + c, 1, 3 if wide else 1, cols[k]["label"], "head"))
        row += 2
        for key in keys:
            cells.append((row, 0, 1, 1, rows[key]["label"], "label"))
            for c, k in enumerate(col_keys):
                v = vals[f"{key}.{k}"]
                text = f"{v:.2f}" if isinstance(v, float) else str(v)
                cells.append((row, 1 + c, 1, 3 if wide else 1, text, "value"))
                values[(row, 1 + c)] = text
            row += 1
    return Spec([6.5, 5.5, 5.5, 5.5], cells, values)


def table_four() -> Spec:
    """Table 四: 行政复议 (5 columns) and 行政诉讼 (two groups of 5), three header rows, one value row."""
    cat = CATALOGUE["tables"]["review_litigation"]
    labels = [c["label"] for c in cat["columns"].values()]
    rows = {r["key"]: r for r in cat["rows"]}
    cells = [(0, 0, 1, 5, rows["review"]["label"], "head"), (0, 5, 1, 10, rows["litigation_direct"]["group"], "head"),
             (1, 5, 1, 5, rows["litigation_direct"]["label"], "head"),
             (1, 10, 1, 5, rows["litigation_after_review"]["label"], "head")]
    cells += [(1, c, 2, 1, t, "head") for c, t in enumerate(labels)]
    cells += [(2, 5 + c, 1, 1, t, "head") for c, t in enumerate(labels + labels)]
    numbers = [v for k in ("review", "litigation_direct", "litigation_after_review")
               for v in TRUTH["review_litigation"][k]]
    cells += [(3, c, 1, 1, str(v), "value") for c, v in enumerate(numbers)]
    return Spec([2.6] * 15, cells, {(3, c): str(v) for c, v in enumerate(numbers)})


# ----------------------------------------------------------------------------------------------- rendering

def wrap(text: str, width_px: float, em: float) -> list[str]:
    per = max(1, int((width_px + 1e-6) // em))
    return [text[i:i + per] for i in range(0, len(text), per)] or [""]


def draw_rule(draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float], t: int, ink: int,
              rng: np.random.Generator | None, em: float) -> None:
    """A rule from a to b (horizontal or vertical), t px thick; with rng, dashed or broken by dropouts."""
    horizontal = a[1] == b[1]
    lo, hi = (a[0], b[0]) if horizontal else (a[1], b[1])
    pieces = [(lo, hi)]
    if rng is not None:
        pieces, p = [], lo
        dashed = rng.random() < 0.5
        while p < hi:
            run = 0.6 * em if dashed else rng.uniform(1.5, 5.0) * em
            pieces.append((p, min(p + run, hi)))
            p += run + (0.18 * em if dashed else rng.uniform(0.08, 0.2) * em)
    off = -(t // 2)
    for p0, p1 in pieces:
        if horizontal:
            draw.rectangle([p0 + off, a[1] + off, p1 - off, a[1] + off + t - 1], fill=ink)
        else:
            draw.rectangle([a[0] + off, p0 + off, a[0] + off + t - 1, p1 - off], fill=ink)


def render_table(draw: ImageDraw.ImageDraw, spec: Spec, x0: float, y0: float, em: float,
                 rng: np.random.Generator, broken: bool = False,
                 open_sides: bool = False) -> tuple[float, dict[tuple[int, int], tuple]]:
    """Draw ``spec`` with its top-left corner at (x0, y0); return its bottom y and each value's ink centre.
    broken: rules dashed or broken by dropouts; open_sides: no outer left and right rules."""
    f = font(int(round(em)))
    xs = np.concatenate([[x0], x0 + np.cumsum(np.array(spec.col_w) * em)])
    n = spec.n_rows
    heights = np.full(n, (LINE_H + 2 * PAD) * em)
    lines = {}
    for r, c, rs, cs, text, _ in sorted(spec.cells, key=lambda cell: cell[2]):
        lines[(r, c)] = wrap(text, xs[c + cs] - xs[c] - 2 * PAD * em, em)
        need = (len(lines[(r, c)]) * LINE_H + 2 * PAD) * em
        if need > heights[r:r + rs].sum():
            heights[r:r + rs] += (need - heights[r:r + rs].sum()) / rs
    ys = np.concatenate([[y0], y0 + np.cumsum(heights)])
    centres = {}
    for r, c, rs, cs, _, kind in spec.cells:
        block = lines[(r, c)]
        top = (ys[r] + ys[r + rs]) / 2 - len(block) * LINE_H * em / 2
        for k, line in enumerate(block):
            width = draw.textlength(line, font=f)
            x = xs[c] + PAD * em if kind == "label" and len(block[0]) > 1 else (xs[c] + xs[c + cs] - width) / 2
            y = top + (k + 0.5) * LINE_H * em
            draw.text((x, y), line, font=f, fill=int(rng.integers(0, 50)), anchor="lm")
            if kind == "value":
                bx0, by0, bx1, by1 = draw.textbbox((x, y), line, font=f, anchor="lm")
                centres[(r, c)] = ((bx0 + bx1) / 2, (by0 + by1) / 2)
    h_edges: dict[int, set[int]] = {}
    v_edges: dict[int, set[int]] = {}
    for r, c, rs, cs, _, _ in spec.cells:
        for cc in range(c, c + cs):
            h_edges.setdefault(r, set()).add(cc)
            h_edges.setdefault(r + rs, set()).add(cc)
        for rr in range(r, r + rs):
            v_edges.setdefault(c, set()).add(rr)
            v_edges.setdefault(c + cs, set()).add(rr)
    thick = max(1, round(em / EM * 3))

    def runs(idx: set[int]) -> list[tuple[int, int]]:
        out: list[list[int]] = []
        for i in sorted(idx):
            if out and out[-1][1] == i:
                out[-1][1] = i + 1
            else:
                out.append([i, i + 1])
        return [(a, b) for a, b in out]

    for r, idx in h_edges.items():
        t = thick if r in (0, n) else max(1, round(em / EM * int(rng.integers(1, 3))))
        for a, b in runs(idx):
            draw_rule(draw, (xs[a], ys[r]), (xs[b], ys[r]), t, int(rng.integers(0, 60)), rng if broken else None, em)
    for c, idx in v_edges.items():
        if open_sides and c in (0, len(spec.col_w)):
            continue
        t = thick if c in (0, len(spec.col_w)) else max(1, round(em / EM * int(rng.integers(1, 3))))
        for a, b in runs(idx):
            draw_rule(draw, (xs[c], ys[a]), (xs[c], ys[b]), t, int(rng.integers(0, 60)), rng if broken else None, em)
    return float(ys[-1]), centres


NARRATIVE = ("本年度共收到政府信息公开申请八十一件，均在法定期限内予以答复。全年未发生因政府信息公开引起的重大"
             "舆情，信息公开工作平稳有序，各项数据如下表所示。")


def paragraph(draw: ImageDraw.ImageDraw, text: str, x0: float, y0: float, width: float, em: float) -> float:
    for k, line in enumerate(wrap(text, width, em)):
        draw.text((x0, y0 + (k + 0.5) * 1.6 * em), line, font=font(int(round(em))), fill=20, anchor="lm")
    return y0 + (len(wrap(text, width, em)) + 0.5) * 1.6 * em


@dataclass
class Page:
    gray: np.ndarray
    specs: list[Spec]
    centres: list[dict[tuple[int, int], tuple[float, float]]]  # per table, in image coordinates
    angle: float = 0.0


def render_page(specs: list[Spec], scale: float = 1.0, broken: bool = False, seed: int = 0,
                open_sides: bool = False) -> Page:
    """Title, table, narrative paragraph for each spec, on white paper sized to fit (scale 1 = 300 dpi)."""
    em = EM * scale
    rng = np.random.default_rng(seed)
    width = int(math.ceil(max(sum(s.col_w) for s in specs) * em + 6 * em))
    img = Image.new("L", (width, int(200 * em)), 255)
    draw = ImageDraw.Draw(img)
    y, centres = 3 * em, []
    for spec in specs:
        draw.text((3 * em, y), "表：政府信息公开情况统计", font=font(int(round(em * 1.2))), fill=0, anchor="lm")
        bottom, ctr = render_table(draw, spec, 3 * em, y + 1.2 * em, em, rng, broken, open_sides)
        centres.append(ctr)
        y = paragraph(draw, NARRATIVE, 3 * em, bottom + 0.8 * em, width - 6 * em, em) + 1.5 * em
    img = img.crop((0, 0, width, int(y + 2 * em)))
    return Page(np.asarray(img).copy(), specs, centres)


def rotate(page: Page, angle: float) -> Page:
    """Turn the page counter-clockwise by ``angle`` degrees about its centre, numbers' centres with it."""
    img = Image.fromarray(page.gray).rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    h, w = page.gray.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return Page(np.asarray(img).copy(), page.specs, [_move(c, m) for c in page.centres], page.angle + angle)


def add_noise(page: Page, sigma: float, blur: float, seed: int = 1) -> Page:
    g = cv2.GaussianBlur(page.gray.astype(np.float32), (0, 0), blur)
    g += np.random.default_rng(seed).normal(0, sigma, g.shape).astype(np.float32)
    return Page(np.clip(g, 0, 255).astype(np.uint8), page.specs, page.centres, page.angle)


def _move(centres: dict, m: np.ndarray) -> dict:
    return {k: tuple(m @ np.array([x, y, 1.0])) for k, (x, y) in centres.items()}


def deskewed_centres(page: Page, layout: PageLayout) -> list[dict]:
    h, w = page.gray.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -layout.angle, 1.0)
    return [_move(c, m) for c in page.centres]


# ---------------------------------------------------------------------------------------------- assertions

def assert_grid_matches(grid: Grid, spec: Spec, centres: dict) -> None:
    assert (grid.n_rows, grid.n_cols) == (spec.n_rows, len(spec.col_w))
    found = {(c.row, c.col, c.row_span, c.col_span) for c in grid.cells}
    assert {(c.row, c.col, c.row_span, c.col_span) for c in grid.spanning} == spec.spanning
    assert found == spec.structure
    for (r, c), (x, y) in centres.items():
        cell = grid.cell_at(r, c)
        assert (cell.row, cell.col) == (r, c)
        assert cell.contains(x, y), ((r, c), cell.bbox, (x, y))
        assert grid.cell_containing(x, y) == cell


# ------------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def clean() -> Page:
    return render_page([table_three()])


@pytest.fixture(scope="module")
def clean_layout(clean: Page) -> PageLayout:
    return analyse_page(clean.gray)


def test_table_three_spec_has_25_data_rows_and_the_template_spans():
    spec = table_three()
    assert (spec.n_rows, len(spec.col_w)) == (28, 10)
    assert len(spec.values) == 25 * 7
    assert (3 + 2, 0, 22, 1) in spec.spanning  # 三、本年度办理结果 over the 22 outcome rows


def test_glyph_height_is_about_the_font_size(clean: Page):
    gh = glyph_height(binarise(clean.gray))
    assert 0.55 * EM <= gh <= 1.0 * EM


def test_clean_table_three(clean: Page, clean_layout: PageLayout):
    assert abs(clean_layout.angle) < 0.05
    assert len(clean_layout.grids) == 1
    assert_grid_matches(clean_layout.grids[0], clean.specs[0], deskewed_centres(clean, clean_layout)[0])


def test_spanning_cells_of_table_three(clean_layout: PageLayout):
    grid = clean_layout.grids[0]
    assert (grid.cell_at(10, 0).row, grid.cell_at(10, 0).row_span) == (5, 22)  # vertical group label
    assert (grid.cell_at(9, 1).row, grid.cell_at(9, 1).row_span) == (7, 8)  # （三）不予公开 over its 8 sub-rows
    assert (grid.cell_at(0, 7).col, grid.cell_at(0, 7).col_span) == (3, 7)  # 申请人情况
    assert (grid.cell_at(1, 6).col, grid.cell_at(1, 6).col_span) == (4, 5)  # 法人或其他组织
    assert grid.cell_at(2, 3).row_span == 2  # 自然人
    top_left = grid.cell_at(2, 2)
    assert (top_left.row, top_left.col, top_left.row_span, top_left.col_span) == (0, 0, 3, 3)


@pytest.mark.parametrize("angle", [1.5, -0.7])
def test_rotated_table_three(clean: Page, angle: float):
    page = rotate(clean, angle)
    assert abs(estimate_skew(binarise(page.gray)) - angle) < 0.3
    layout = analyse_page(page.gray)
    assert abs(layout.angle - angle) < 0.1
    assert len(layout.grids) == 1
    assert_grid_matches(layout.grids[0], page.specs[0], deskewed_centres(page, layout)[0])


def test_broken_and_dashed_rules():
    page = render_page([table_three()], broken=True, seed=3)
    layout = analyse_page(page.gray)
    assert len(layout.grids) == 1
    assert_grid_matches(layout.grids[0], page.specs[0], deskewed_centres(page, layout)[0])


def test_150_dpi_with_noise():
    page = add_noise(render_page([table_three()], scale=0.5, seed=5), sigma=20, blur=0.6)
    layout = analyse_page(page.gray)
    assert len(layout.grids) == 1
    assert_grid_matches(layout.grids[0], page.specs[0], deskewed_centres(page, layout)[0])


def test_two_tables_on_a_page():
    page = render_page([table_two(), table_four()], seed=7)
    layout = analyse_page(page.gray)
    assert [(g.n_rows, g.n_cols) for g in layout.grids] == [(14, 4), (4, 15)]
    centres = deskewed_centres(page, layout)
    for grid, spec, ctr in zip(layout.grids, page.specs, centres):
        assert_grid_matches(grid, spec, ctr)
    assert layout.grids[0].bbox[3] < layout.grids[1].bbox[1]


def test_text_without_rules_has_no_grid():
    img = Image.new("L", (40 * EM, 12 * EM), 255)
    draw = ImageDraw.Draw(img)
    y = paragraph(draw, NARRATIVE * 3, 2 * EM, 2 * EM, 36 * EM, EM)
    draw.rectangle([2 * EM, y, 38 * EM, y + 1], fill=0)  # a lone underline is not a table
    binary = binarise(np.asarray(img))
    gh = glyph_height(binary)
    h_mask, v_mask = rules(binary, gh)
    assert find_grids(h_mask, v_mask, glyph_h=gh) == []
    assert not v_mask.any()


def test_table_without_outer_side_rules():
    page = render_page([table_four(), table_three()], seed=11, open_sides=True)
    layout = analyse_page(page.gray)
    assert len(layout.grids) == 2
    for grid, spec, ctr in zip(layout.grids, page.specs, deskewed_centres(page, layout)):
        assert_grid_matches(grid, spec, ctr)


def test_empty_masks_have_no_grid():
    empty = np.zeros((200, 300), dtype=np.uint8)
    assert find_grids(empty, empty) == []


def one_row() -> Spec:
    """The last row of table 三 alone on a page (四、结转下年度继续办理): one label column and seven figures."""
    return Spec([10.0] + [3.2] * 7, [(0, 0, 1, 1, "四、结转下年度继续办理", "label")]
                + [(0, 1 + c, 1, 1, v, "value") for c, v in enumerate("9000009")],
                {(0, 1 + c): v for c, v in enumerate("9000009")})


def test_small_table_text_under_a_large_narrative_font():
    """A report whose narrative is printed half as large again as its tables, a line of it right on the table's
    top rule: the rules are found with the tables' glyph height (a one-row table's column rules are shorter than
    1.5 narrative glyphs), and the downstrokes of the narrative line touching the top rule add no row or column."""
    em, big = EM * 2 / 3, EM
    rng = np.random.default_rng(4)
    width = int(math.ceil(sum(table_four().col_w) * em + 6 * em))
    img = Image.new("L", (width, int(60 * em)), 255)
    draw = ImageDraw.Draw(img)
    y = paragraph(draw, NARRATIVE, 3 * em, 2 * em, width - 6 * em, big)
    bottom, first = render_table(draw, one_row(), 3 * em, y, em, rng)
    y = paragraph(draw, NARRATIVE + "事到事到事到", 3 * em, bottom + 0.6 * em, width - 6 * em, big) - 0.45 * big
    bottom, second = render_table(draw, table_four(), 3 * em, y, em, rng)
    paragraph(draw, NARRATIVE, 3 * em, bottom + 0.8 * em, width - 6 * em, big)
    page = Page(np.asarray(img.crop((0, 0, width, int(bottom + 6 * big)))).copy(), [one_row(), table_four()],
                [first, second])
    layout = analyse_page(page.gray)
    assert layout.glyph_h < 0.8 * glyph_height(binarise(page.gray))  # the tables' text, not the narrative's
    assert [(g.n_rows, g.n_cols) for g in layout.grids] == [(1, 8), (4, 15)]
    for grid, spec, ctr in zip(layout.grids, page.specs, deskewed_centres(page, layout)):
        assert_grid_matches(grid, spec, ctr)


def test_strokes_of_a_text_line_on_the_top_rule_are_not_columns():
    """Vertical strokes standing on a table's top rule from above (a text line printed against it) that continue
    no rule inside the table are not rules of the table; rules continuing inside it are."""
    h = np.zeros((300, 400), np.uint8)
    v = np.zeros_like(h)
    for y in (100, 160, 220):
        h[y:y + 2, 50:351] = 255
    for x in (50, 200, 350):
        v[100:222, x:x + 2] = 255
    v[60:99, 120:122] = 255  # a downstroke of the line above, ending on the top rule
    v[60:99, 280:282] = 255
    grids = find_grids(h, v, glyph_h=24)
    assert [(g.n_rows, g.n_cols) for g in grids] == [(2, 2)]
    assert grids[0].bbox[1] >= 99
    v[60:99, 200:202] = 255  # a rule of the table standing above its top rule (an open-topped header)
    assert [(g.n_rows, g.n_cols) for g in find_grids(h, v, glyph_h=24)] == [(3, 2)]


def test_a_heading_in_bold_strokes_is_not_a_table():
    """Rule-like strokes of one line of large bold text can meet; no row of theirs can hold a line of text."""
    h = np.zeros((200, 400), np.uint8)
    v = np.zeros_like(h)
    h[100:103, 50:300] = 255
    h[124:127, 50:300] = 255
    for x in (50, 120, 200, 299):
        v[100:127, x:x + 3] = 255
    assert find_grids(h, v, glyph_h=24) == []


def test_a_thin_column_rule_touched_by_its_labels_is_kept():
    """洪泽 2024's table 四 scanned at the 150 dpi level (seed 0, its page 4): the 1 px rule between 结果纠正 and
    其他结果 of 未经复议直接起诉, with the characters of 其他结果 printed against it, is a rule (a thin straight run
    three glyph heights long): clustered with those strokes it went with them, and two figures shared one cell."""
    from devtools.synth.corpus import scan_pages
    from devtools.synth.degrade import LEVELS

    pdf = CORPUS / "hongze_district_2024" / "hongze_district_2024.pdf"
    gray = [img for _, img in render_pdf(pdf, dpi=150)]
    pages, _ = scan_pages(gray, LEVELS["150"], 0, (0.72, 0.8))
    layout = analyse_page(pages[3])
    assert [(g.n_rows, g.n_cols) for g in layout.grids] == [(10, 10), (4, 15)]
    four = layout.grids[1]
    assert [(c.row_span, c.col_span) for c in four.cells if c.row == 3] == [(1, 1)] * 15


@pytest.mark.parametrize("n", [1, 2, 7, 1000])
def test_histogram_quantile_equals_numpy(n: int):
    values = np.random.default_rng(n).integers(0, 256, (n, 3)).astype(np.uint8)
    for q in (0.0, 0.25, 0.5, 0.75, 1.0):
        assert quantile_u8(values, q) == pytest.approx(float(np.quantile(values, q)))


def test_noise_sigma_measures_gaussian_noise():
    paper = np.random.default_rng(3).normal(200, 8, (400, 300))
    sigma = noise_sigma(np.clip(paper, 0, 255).astype(np.uint8))
    assert 5 < sigma < 11  # the 3x3 median's residual: a robust estimate, not the exact 8
    assert noise_sigma(np.full((50, 50), 200, np.uint8)) == 0.0


@pytest.mark.parametrize("corner", ["top_right", "bottom_left"])
def test_a_red_seal_over_a_table_corner_does_not_break_the_grid(clean: Page, clean_layout: PageLayout, corner: str):
    from recover.layout.scan.colour import page_gray
    from devtools.synth.degrade import red_seal

    x0, y0, x1, y1 = clean_layout.grids[0].bbox
    centre = (x1, y0) if corner == "top_right" else (x0, y1)
    rgb = red_seal(clean.gray, centre, 3.2 * EM, np.random.default_rng(0))
    plain = analyse_page(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))  # gray alone: the seal's arcs become rules
    assert (plain.grids[0].n_rows, plain.grids[0].n_cols) != (28, 10)
    layout = analyse_page(page_gray(rgb))
    assert len(layout.grids) == 1
    assert_grid_matches(layout.grids[0], clean.specs[0], deskewed_centres(clean, layout)[0])


@pytest.mark.parametrize("keystone", [0.015, 0.03, -0.03, -0.04])
def test_perspective_is_undone_on_the_tables_frame(keystone: float):
    """A page scanned or photographed at a tilt: its top edge ``keystone`` of the width narrower (or wider) on each
    side than its bottom. Without correction the grid absorbed 1.5 %; from 2 % a spanning header came out wrong and
    at 3 % the slanted column rules split into extra columns. Rectified on the table's frame, all come out whole."""
    page = render_page([table_three()], scale=0.5, seed=5)
    h, w = page.gray.shape
    d = keystone * w
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, np.float32([[d, 0], [w - d, 0], [w, h], [0, h]]))
    layout = analyse_page(cv2.warpPerspective(page.gray, m, (w, h), borderValue=255))
    assert len(layout.grids) == 1
    grid, spec = layout.grids[0], page.specs[0]
    assert (grid.n_rows, grid.n_cols) == (spec.n_rows, len(spec.col_w))
    assert {(c.row, c.col, c.row_span, c.col_span) for c in grid.cells} == spec.structure


def test_one_row_table_under_a_larger_narrative_font_is_found():
    """Table 四's figure row carried alone onto a page of narrative (a family report's last page): its row is
    shorter than the vertical kernel sized from the narrative's glyphs, so its column rules are looked for again
    at the table's scale, where its two horizontal rules lie outside every grid."""
    four = table_four()
    row = Spec(four.col_w, [(0, c, 1, 1, t, kind) for r, c, _, _, t, kind in four.cells if r == 3],
               {(0, c): v for (r, c), v in four.values.items()})
    em, rng = EM * 0.8, np.random.default_rng(3)
    width = int(sum(row.col_w) * em + 6 * em)
    img = Image.new("L", (width, int(40 * em)), 255)
    draw = ImageDraw.Draw(img)
    bottom, _ = render_table(draw, row, 3 * em, 3 * em, em, rng)
    y = bottom + em
    for _ in range(4):  # narrative paragraphs in a font twice the table's
        y = paragraph(draw, NARRATIVE, 3 * em, y, width - 6 * em, 2 * em)
    layout = analyse_page(np.asarray(img.crop((0, 0, width, int(y + em)))).copy())
    assert [(g.n_rows, g.n_cols) for g in layout.grids] == [(1, 15)]


@pytest.mark.parametrize("present, ruled, spans, stroke", [
    ([0, 1, 0, 0, 0], [], True, True),  # one edge inside a header cell: 信's vertical stroke
    ([0, 1, 1, 1, 0], [2, 3], True, False),  # a column rule through the header and the rows below, meeting their rules
    ([0, 1, 1, 1, 0], [], True, True),  # strokes down a cell spanning rows (三、本年度办理结果 stacked)
    ([1, 0, 0, 0], [], True, False),  # a split of the first row only (table 四's 行政复议 | 行政诉讼)
    ([0, 0, 0, 1], [], True, False),  # the last row's own rule
    ([0, 0, 0, 1], [], False, True),  # the upright of a 1 in the last row: thinner than the rules, or short of them
])
def test_strokes_only(present, ruled, spans, stroke):
    from recover.layout.scan.grid import _strokes_only
    v_cov = np.zeros((len(present), 3))
    v_cov[:, 1] = present
    h_cov = np.zeros((len(present) + 1, 2))
    h_cov[ruled, 0] = 1.0  # row boundaries ruled in the cell left of the boundary
    assert _strokes_only(1, h_cov, v_cov, 0.5, np.full(len(present), spans)) is stroke


def test_a_segment_spans_a_row_when_it_meets_its_rules_and_is_as_thick_as_the_column_rules():
    from recover.layout.scan.grid import Segment, _rule_like, _spans

    ys = [100, 140, 180]
    rules = [Segment(10.0, 98, 182, 5.0, 1), Segment(200.0, 98, 182, 5.0, 2)]
    one = Segment(60.0, 140, 182, 2.0, 3)  # a 1's upright closed onto the rules: 2 px against 5 px rules
    short = Segment(120.0, 150, 172, 5.0, 4)  # a stroke stopping short of the rules
    ruled = _rule_like(rules + [one, short])
    assert one not in ruled and short in ruled
    assert list(_spans(ruled, ys, 10, 3)) == [True, True]
    assert list(_spans(ruled, ys, 60, 3)) == [False, False]
    assert list(_spans(ruled, ys, 120, 3)) == [False, False]


def _cells_grid(spans: list[tuple[int, int, int, int]], n_rows: int, n_cols: int) -> Grid:
    from recover.layout.scan.grid import GridCell

    rows, cols = tuple(range(0, 30 * n_rows + 1, 30)), tuple(range(0, 50 * n_cols + 1, 50))
    cells = [GridCell(r, c, rs, cs, (cols[c], rows[r], cols[c + cs], rows[r + rs])) for r, c, rs, cs in spans]
    return Grid(rows, cols, (0, 0, cols[-1], rows[-1]), cells)


def test_a_label_cell_spanning_rows_of_figures_is_cut_into_one_label_per_row():
    """Family fam21_02 at 150 dpi: the rule under （一）予以公开 was lost on its blue fill, so its label cell spanned
    the row of （二）部分公开 too; the labels read as one and every row below shifted. Each row of figures has its
    own label: the cell next to the figures is cut at the rows' boundaries. The group label left of the row labels
    (（三）不予公开) and the header cell over the header rows stay whole."""
    from recover.layout.scan.split import split_label_cells

    # rows 0-1: header (a cell spanning both over the labels, headers over the figures: row 0 one spanning cell);
    # rows 2-3: one label cell spanning both (the lost rule); rows 4-5: a group label and its own row labels
    spans = [(0, 0, 2, 2), (0, 2, 1, 2), (1, 2, 1, 1), (1, 3, 1, 1), (2, 0, 2, 2), (4, 0, 2, 1), (4, 1, 1, 1),
             (5, 1, 1, 1)] + [(r, c, 1, 1) for r in range(2, 6) for c in (2, 3)]
    grid = _cells_grid(spans, 6, 4)
    figures = {(r, c) for r in range(2, 6) for c in (2, 3)}
    out = split_label_cells(grid, figures, set())
    assert [(c.row, c.col, c.row_span, c.col_span) for c in out.cells if c.col < 2] == [
        (0, 0, 2, 2), (2, 0, 1, 2), (3, 0, 1, 2), (4, 0, 2, 1), (4, 1, 1, 1), (5, 1, 1, 1)]
    assert out.cell_at(3, 1).bbox == (0, 90, 100, 120)
    assert split_label_cells(grid, set(), set()) is grid  # no column of figures: nothing is cut
