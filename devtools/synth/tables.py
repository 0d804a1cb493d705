"""The official layout of tables 二, 三 and 四 as cell specs, built from ``models/catalogue.yaml`` and a truth dict.

A ``TableSpec`` is a grid: column widths in millimetres and cells ``(row, col, row_span, col_span, text, kind)``
where kind is ``head`` (header, centred), ``label`` (row label, left-aligned), ``vlabel`` (vertical group label,
one character per line) or ``value`` (a printed figure, centred). How figures are printed (zeros as ``0``, as a
dash, or left blank in the legal-person columns) is a ``ZeroStyle``.
"""

from __future__ import annotations

from dataclasses import dataclass

from recover.catalogue import load_catalogue
from recover.catalogue import APP_COLS
from devtools.synth.truth import REV_ROWS

Cell = tuple[int, int, int, int, str, str]

# How a zero is printed: "0" everywhere; "dash": "-" everywhere in tables 三/四; "blank_legal": the five
# legal-person columns of table 三 left blank where zero (自然人 and 总计 keep their 0).
ZERO_STYLES = ("0", "dash", "blank_legal")
LEGAL_COLS = APP_COLS[1:6]


@dataclass(frozen=True)
class TableSpec:
    key: str  # catalogue table key
    col_w: tuple[float, ...]  # column widths, mm
    cells: tuple[Cell, ...]
    header_rows: int  # rows that must stay with the first data row (no page break inside or right after)

    @property
    def n_rows(self) -> int:
        return max(r + rs for r, _, rs, _, _, _ in self.cells)


def _fmt(v: object, zero: str, col: str = "") -> str:
    if v == 0 and zero == "dash":
        return "-"
    if v == 0 and zero == "blank_legal" and col in LEGAL_COLS:
        return ""
    return str(v)


def applications_spec(truth: dict, zero: str = "0", width: float = 156.0) -> TableSpec:
    """Table 三: three header rows (申请人情况 / 法人或其他组织 / its five columns), the note cell in the corner,
    the vertical label 三、本年度办理结果 over the outcome rows and group labels over their numbered rows."""
    cat = load_catalogue().tables["applications"]
    fmt = truth["applications"]["format"]
    rows = cat.rows_for(fmt)
    values = truth["applications"]["rows"]
    col = {c.key: c for c in cat.columns}
    rule = next(r for r in load_catalogue().rules if r.id == "balance").text
    cells: list[Cell] = [
        (0, 0, 3, 3, f"（本列数据的勾稽关系为：{rule}）", "head"), (0, 3, 1, 7, "申请人情况", "head"),
        (1, 3, 2, 1, col["natural_person"].label, "head"), (1, 4, 1, 5, col["commercial"].group or "", "head"),
        (1, 9, 2, 1, col["total"].label, "head")]
    cells += [(2, 4 + i, 1, 1, col[k].label, "head") for i, k in enumerate(LEGAL_COLS)]
    outcome_group = next(r.group for r in rows if r.role == "outcome" and r.key == "granted")
    grouped = [i for i, r in enumerate(rows) if r.group]
    cells.append((3 + grouped[0], 0, len(grouped), 1, outcome_group or "", "vlabel"))
    i = 0
    while i < len(rows):
        r = rows[i]
        if r.group is None:
            cells.append((3 + i, 0, 1, 3, r.label, "label"))
            n = 1
        elif r.group == outcome_group:
            cells.append((3 + i, 1, 1, 2, r.label, "label"))
            n = 1
        else:
            n = sum(1 for x in rows if x.group == r.group)
            cells.append((3 + i, 1, n, 1, r.group, "label"))
            cells += [(3 + i + j, 2, 1, 1, rows[i + j].label, "label") for j in range(n)]
        for j in range(n):
            for c, v in enumerate(values[rows[i + j].key]):
                cells.append((3 + i + j, 3 + c, 1, 1, _fmt(v, zero, APP_COLS[c]), "value"))
        i += n
    fixed = [7.0, 16.0]
    label_w = max(30.0, width - sum(fixed) - 7 * 13.0)
    return TableSpec("applications", tuple(fixed + [label_w] + [(width - sum(fixed) - label_w) / 7] * 7),
                     tuple(cells), header_rows=3)


def review_spec(truth: dict, zero: str = "0", width: float = 156.0) -> TableSpec:
    """Table 四: 行政复议 (5 columns) and 行政诉讼 (未经复议直接起诉 / 复议后起诉, 5 columns each), one value row."""
    cat = load_catalogue().tables["review_litigation"]
    labels = [c.label for c in cat.columns]
    rows = {r.key: r for r in cat.rows}
    cells: list[Cell] = [
        (0, 0, 1, 5, rows["review"].label, "head"), (0, 5, 1, 10, rows["litigation_direct"].group or "", "head"),
        (1, 5, 1, 5, rows["litigation_direct"].label, "head"),
        (1, 10, 1, 5, rows["litigation_after_review"].label, "head")]
    cells += [(1, c, 2, 1, t, "head") for c, t in enumerate(labels)]
    cells += [(2, 5 + c, 1, 1, t, "head") for c, t in enumerate(labels + labels)]
    numbers = [v for k in REV_ROWS for v in truth["review_litigation"][k]]
    cells += [(3, c, 1, 1, _fmt(v, "dash" if zero == "dash" else "0"), "value") for c, v in enumerate(numbers)]
    return TableSpec("review_litigation", (width / 15,) * 15, tuple(cells), header_rows=3)


# Table 二 blocks: (item row keys, header per format) in template order.
_BLOCKS = {
    "2021": (("regulations", "normative_documents"), ("licensing",), ("punishment", "coercion"), ("fees",)),
    "2019": (("regulations", "normative_documents"), ("licensing", "other_services"), ("punishment", "coercion"),
             ("fees",), ("procurement",)),
}


def proactive_spec(truth: dict, width: float = 156.0) -> TableSpec:
    """Table 二: one block per 第二十条 item — a title row (第二十条第（N）项), a header row (信息内容 and the
    format's column labels) and its value rows; a block with fewer than three columns widens its last one."""
    cat = load_catalogue().tables["proactive"]
    fmt = truth["proactive"]["format"]
    vals = truth["proactive"]["cells"]
    cells: list[Cell] = []
    row = 0
    for keys in _BLOCKS[fmt]:
        first = cat.row(keys[0])
        col_ids = first.columns[fmt]
        spans = [1] * len(col_ids)
        spans[-1] = 4 - len(col_ids)
        cells.append((row, 0, 1, 4, first.item or "", "head"))
        cells.append((row + 1, 0, 1, 1, "信息内容", "head"))
        x = 1
        for cid, span in zip(col_ids, spans):
            cells.append((row + 1, x, 1, span, cat.column(cid).label, "head"))
            x += span
        row += 2
        for key in keys:
            r = cat.row(key)
            label = r.label if fmt == "2021" or key != "normative_documents" else r.aliases[0]
            cells.append((row, 0, 1, 1, label, "label"))
            x = 1
            for cid, span in zip(col_ids, spans):
                v = vals[f"{key}.{cat.column(cid).key}"]
                cells.append((row, x, 1, span, str(v), "value"))
                x += span
            row += 1
    return TableSpec("proactive", (width * 0.31,) + (width * 0.23,) * 3, tuple(cells), header_rows=2)
