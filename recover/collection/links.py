"""The ties the national template makes between an agency's reports of consecutive years, checked cell by cell.

- ``carried[COLUMN]``: this year's 二、上年结转政府信息公开申请数量 (``carried_over``) is last year's
  四、结转下年度继续办理 (``carried_forward``), for each applicant column and the total;
- ``in_force[ROW]``: this year's 现行有效件数 of 规章 and of 行政规范性文件 is last year's plus this year's 本年制发
  minus 本年废止 (``in_force = in_force(last year) + issued − repealed``).

A check holds, fails, or cannot be made (a figure missing). A failure between figures both reports print as read
(status ``ok`` on both sides) is an inconsistency of the sources; one involving a flagged cell may be the reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
                     "total")
COUNTED_ROWS = ("regulations", "normative_documents")  # table 二's rows with 制发 / 废止 / 现行有效

Cells = dict[tuple[str, str, str], tuple[Any, str]]  # cell key -> (value, status) of one document


@dataclass(frozen=True)
class Link:
    """One tie: ``sum(later terms) == sum(earlier terms)`` with a sign per term."""

    rule: str
    earlier: tuple[tuple[tuple[str, str, str], int], ...]  # (cell of last year's report, sign)
    later: tuple[tuple[tuple[str, str, str], int], ...]  # (cell of this year's report, sign)
    words: str  # how the template says it


def template_links() -> list[Link]:
    out = [Link(f"carried[{c}]", ((("applications", "carried_forward", c), 1),),
                ((("applications", "carried_over", c), 1),), "上年结转 = 上年报告的结转下年度继续办理")
           for c in APPLICANT_COLUMNS]
    for row in COUNTED_ROWS:
        out.append(Link(f"in_force[{row}]", ((("proactive", row, "in_force"), 1),),
                        ((("proactive", row, "in_force"), 1), (("proactive", row, "issued"), -1),
                         (("proactive", row, "repealed"), 1)),
                        "现行有效 = 上年现行有效 + 本年制发 − 本年废止"))
    return out


@dataclass(frozen=True)
class CrossCheck:
    rule: str
    holds: bool | None  # None: a figure on either side is missing
    sure: bool  # every figure involved was read as printed (status ok) in both reports
    detail: str


def check(link: Link, earlier: Cells, later: Cells, years: tuple[int, int]) -> CrossCheck:
    """The link between two reports of one agency, ``years`` = (earlier year, later year)."""
    def side(terms: tuple[tuple[tuple[str, str, str], int], ...], cells: Cells) -> tuple[int | None, bool, str]:
        total, sure, parts = 0, True, []
        for key, sign in terms:
            value, status = cells.get(key, (None, "missing"))
            if not isinstance(value, int) or isinstance(value, bool):
                return None, False, ""
            total += sign * value
            sure = sure and status == "ok"
            parts.append(f"{'−' if sign < 0 else '+'} {key[2] if key[1] in COUNTED_ROWS else key[1]} {value}")
        return total, sure, " ".join(parts).lstrip("+ ")

    a, a_sure, a_words = side(link.earlier, earlier)
    b, b_sure, b_words = side(link.later, later)
    if a is None or b is None:
        return CrossCheck(link.rule, None, False, f"{link.words}: a figure is missing")
    holds = a == b
    sums = f" = {b}" if len(link.later) > 1 else ""
    return CrossCheck(link.rule, holds, a_sure and b_sure,
                      f"{years[0]} {a_words} → {years[1]} {b_words}{sums}: "
                      f"{'holds' if holds else f'differs ({a} ≠ {b})'}")


def cross_checks(earlier: Cells, later: Cells, years: tuple[int, int]) -> list[CrossCheck]:
    """Every template link between two consecutive reports of one agency."""
    return [check(link, earlier, later, years) for link in template_links()]


Sides = dict[str, tuple[int, ...]]  # "RULE/earlier" or "RULE/later" -> the values that side may have in a document
MAX_SIDE_VALUES = 12  # a side that may take more values than this says nothing a neighbour can use


def link_sides(ex: Any) -> Sides:
    """For one document (an ``Extraction``), the values each side of each link may have: one value when its cells
    were read as printed (status ok); the readings its glued run offers at the least cost when it was cut more
    than one way; the values the uniqueness search found for a cell the arithmetic left open. A side with a cell
    read no way at all is left out. "RULE/earlier" is what the report of the year after is tied to, "RULE/later"
    what the report of the year before is."""
    cells = {c.key: c for c in ex.cells}
    out: Sides = {}
    for link in template_links():
        for name, terms in (("earlier", link.earlier), ("later", link.later)):
            values = _side_values(terms, cells, ex.units)
            if values and len(values) <= MAX_SIDE_VALUES:
                out[f"{link.rule}/{name}"] = values
    return out


def _side_values(terms: tuple[tuple[tuple[str, str, str], int], ...], cells: dict, units: list) -> tuple[int, ...]:
    fixed, open_terms = 0, []
    for key, sign in terms:
        c = cells.get(key)
        if c is None or not isinstance(c.value, int) or isinstance(c.value, bool):
            return ()
        if c.status.value == "ok":
            fixed += sign * c.value
        else:
            open_terms.append((key, sign))
    if not open_terms:
        return (fixed,)
    keys = {k for k, _ in open_terms}
    unit = next((u for u in units if keys <= set(u.cells)), None)
    if unit is not None and unit.hypotheses and all(k[0] == "proactive" for k in keys):  # table 二: no arithmetic;
        # the readings of its unit at the least cost
        least = min(h.cost for h in unit.hypotheses)
        found = set()
        for h in unit.hypotheses:
            vals = [h.values.get(k) for k, _ in open_terms]
            if h.cost - least < 1e-6 and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
                found.add(fixed + sum(s * v for (_, s), v in zip(open_terms, vals)))
        if found:
            return tuple(sorted(found))
    if len(open_terms) == 1:  # a cell of a table the arithmetic ties: its value, or the others that fit as well
        key, sign = open_terms[0]
        c = cells[key]
        return tuple(sorted({fixed + sign * v for v in (c.value, *c.also_fits) if isinstance(v, int)}))
    return ()


def neighbour_ties(before: Sides | None, after: Sides | None, years: tuple[int, int, int]) -> list:
    """What the reports of the year before and the year after say about this year's (``years`` = (year before,
    this year, year after); ``before``/``after``: their ``link_sides``, None when there is no such report), as
    ``recover.repair.terms.Tie``s for the repair."""
    from recover.repair.terms import Tie

    out = []
    for link in template_links():
        said = before.get(f"{link.rule}/earlier") if before else None
        if said:  # this year's later side must be what last year's report allows
            out.append(Tie(f"cross_year[{link.rule}]", link.later, said, _said(link.earlier, said),
                           f"the {years[0]} report", _names(link.later)))
        said = after.get(f"{link.rule}/later") if after else None
        if said:
            out.append(Tie(f"cross_year[{link.rule}]", link.earlier, said, _said(link.later, said),
                           f"the {years[2]} report", _names(link.earlier)))
    return out


LABELS = {"carried_forward": "结转下年度继续办理", "carried_over": "上年结转", "in_force": "现行有效",
          "issued": "本年制发", "repealed": "本年废止"}


def _names(terms: tuple[tuple[tuple[str, str, str], int], ...]) -> tuple[str, ...]:
    return tuple(LABELS.get(k[2] if k[0] == "proactive" else k[1], k[1])
                 + ("" if k[0] == "proactive" or k[2] == "total" else f"（{k[2]}）") for k, _ in terms)


def _said(terms: tuple[tuple[tuple[str, str, str], int], ...], values: tuple[int, ...]) -> str:
    """The neighbour's side as a reason quotes it: 现行有效 504; 现行有效 − 本年制发 + 本年废止 = 504 or 530."""
    parts = []
    for name, (_, sign) in zip(_names(terms), terms):
        parts.append(f"{'− ' if sign < 0 else '+ ' if parts else ''}{name}")
    what = " or ".join(str(v) for v in values)
    return f"{' '.join(parts)} {what}" if len(terms) == 1 else f"{' '.join(parts)} = {what}"
