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
