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
