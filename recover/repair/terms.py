"""The repair's problem and answer: rules, narrative facts, the solution, and the costs every part shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from recover.model import CellKey

BLANK_OVERRIDE = 1.0
NARRATIVE_COST = 0.5
EPS = 1e-6
INF = float("inf")
# Assignments within this margin of the optimum are plausible alternatives: a cell they change is
# ambiguous. Above a lost or an extra OCR digit (2.5): a figure whose only rule has an unread cell is
# confirmed by nothing but the cost model, and a lost digit must not pass as proof (a synthetic 200 dpi scan
# read 12 as 2, ok); below one OCR override plus the cheapest confusion, far below a clean printed figure (10).
AMBIGUITY_MARGIN = 2.6


@dataclass(frozen=True)
class Equation:
    id: str
    lhs: tuple[CellKey, ...]
    rhs: tuple[CellKey, ...]
    unfilled_total: float = 0.0  # see offer.unfilled_totals()


@dataclass(frozen=True)
class Fact:
    """A figure restated by the narrative: soft evidence about one cell."""

    id: str
    cells: tuple[CellKey, ...]  # the figure restated is the sum of these cells
    value: int
    sentence: str
    # when not empty, the figure is the sum of ``cells`` or of ``cells`` and these, and the sentence does not say
    # which ("共收到申请75件": the new applications, or with those carried over): checked, not weighed by the repair
    or_plus: tuple[CellKey, ...] = ()
    source: str = "narrative"  # who says it: the report's narrative, or a neighbouring year's report


@dataclass(frozen=True)
class Tie:
    """What a neighbouring year's report says about this one (``recover.collection``): the signed sum of ``terms``
    is one of ``values`` (one value when the neighbour's figures are certain; several when they are themselves cut
    or read more than one way) — soft evidence, weighed as a narrative figure (NARRATIVE_COST when contradicted).
    上年结转 = last year's 结转下年度: one term; 现行有效 − 本年制发 + 本年废止 = last year's 现行有效: three."""

    id: str
    terms: tuple[tuple[CellKey, int], ...]  # (cell, sign)
    values: tuple[int, ...]
    sentence: str  # what the neighbouring report printed, as a reason can quote it
    source: str  # "the 2022 report"
    names: tuple[str, ...] = ()  # the terms as the template labels them (本年制发), for a reason

    def explain(self, values: dict[CellKey, object]) -> str:
        """How ``values`` meet it: "settled by the 2022 report (现行有效 504): 现行有效 530 − 本年制发 47 + 本年废止 21
        = 504"."""
        parts, total = [], 0
        for i, (cell, sign) in enumerate(self.terms):
            v = values.get(cell)
            total += sign * v if isinstance(v, int) else 0
            name = self.names[i] if i < len(self.names) else ".".join(cell[1:])
            parts.append(f"{'− ' if sign < 0 else '+ ' if parts else ''}{name} {v}")
        return f"settled by {self.source} ({self.sentence}): {' '.join(parts)}" + (
            f" = {total}" if len(self.terms) > 1 else "")

    def broken_by(self, values: dict[CellKey, object]) -> bool:
        """Whether ``values`` (holding every term's cell) contradict it; a term without a number does."""
        total = 0
        for cell, sign in self.terms:
            v = values.get(cell)
            if not isinstance(v, int) or isinstance(v, bool):
                return True
            total += sign * v
        return total not in self.values


@dataclass
class Solution:
    values: dict[CellKey, int]
    choice: dict[int, int]  # unit index -> chosen hypothesis index
    overridden: set[CellKey]
    cost: float
    ambiguous: dict[CellKey, set[int]]  # cell -> other values of equally cheap assignments
    facts_held: dict[str, bool]
    solver_used: bool
    proven: bool = True  # uniqueness proof completed (False: time or rounds ran out; every cell flagged)


def holds(e: Equation, values: dict[CellKey, int]) -> bool:
    return sum(values[c] for c in e.lhs) == sum(values[c] for c in e.rhs)


def cheapest_other(two: Sequence[tuple[float, object]], skip: object) -> float:
    """The cost of the cheaper of ``two`` (a rule's two cheapest changes as (cost, whose), cheapest first) that is
    not ``skip``'s; INF if both are. The bounds of the fast path and of the capped models' pinning."""
    if two[0][1] != skip:
        return two[0][0]
    return two[1][0] if len(two) > 1 else INF
