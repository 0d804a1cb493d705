"""What each evidence unit offers the repair before any model is built: plausible figures only, the prior on
totals printed 0 over non-zero parts, and misreadings only where the printed figures break a rule. Also the
cheapest readings, and the cells' values as the chosen hypotheses read them.

Pure functions over the units and rules of one table (compiled with the repair's other hot modules: setup.py).
"""

from __future__ import annotations

from recover.model import CellKey, Hypothesis, Unit
from recover.repair.terms import EPS, Equation

MAX_VALUE = 10**6  # larger readings in tables 三/四 are digit runs read whole, not figures


def plausible(units: list[Unit]) -> list[Unit]:
    """Drop hypotheses that put an implausibly large number in a cell (keep at least one per unit)."""
    out = []
    for u in units:
        if not any(v.__class__ is int and not -MAX_VALUE <= v <= MAX_VALUE  # (a loop, not a call, per value)
                   for h in u.hypotheses for v in h.values.values()):
            out.append(u)
            continue
        keep = [h for h in u.hypotheses if _sized(h)]
        if not keep:
            keep = [type(h)({c: None for c in h.values}, h.observed, h.cost, h.why + " (number too large)")
                    for h in u.hypotheses[:1]]
        u.hypotheses = keep
        out.append(u)
    return out


def _sized(h: Hypothesis) -> bool:
    for v in h.values.values():
        if isinstance(v, int) and not -MAX_VALUE <= v <= MAX_VALUE:
            return False
    return True


def cheapest_index(hs: list[Hypothesis]) -> int:
    """The index of the first of the cheapest hypotheses (as ``min`` picks, without a key call per hypothesis)."""
    i0, c0 = 0, hs[0].cost
    for j in range(1, len(hs)):
        if hs[j].cost < c0:
            i0, c0 = j, hs[j].cost
    return i0


def cheapest_read(units: list[Unit]) -> dict[CellKey, int | None]:
    """Each cell's value under its unit's cheapest hypothesis (None: nothing read)."""
    read: dict[CellKey, int | None] = {}
    for u in units:
        h = u.hypotheses[cheapest_index(u.hypotheses)]
        for c in u.cells:
            v = h.values.get(c)
            read[c] = v if isinstance(v, int) else None
    return read


def unfilled_totals(units: list[Unit], eqs: list[Equation]) -> list[Unit]:
    """Apply the catalogue's prior on unfilled totals: a single total cell printed 0 while the parts its
    equation sums are printed and non-zero is cheaper to give up, by the rule's ``unfilled_total``."""
    read = cheapest_read(units)
    discount: dict[CellKey, float] = {}
    for e in eqs:
        if not e.unfilled_total or len(e.rhs) != 1 or read.get(e.rhs[0]) != 0:
            continue
        parts = [read.get(c) for c in e.lhs]
        if None not in parts and sum(parts) > 0:  # type: ignore[arg-type]
            discount[e.rhs[0]] = max(discount.get(e.rhs[0], 0.0), e.unfilled_total)
    out = []
    for u in units:
        if len(u.cells) == 1 and u.cells[0] in discount:
            u = Unit(u.cells, u.tokens, u.hypotheses, u.reliable, u.override_cost - discount[u.cells[0]])
        out.append(u)
    return out


def focus(units: list[Unit], eqs: list[Equation]) -> list[Unit]:
    """Offer misreadings only where the printed figures break a rule.

    A single-cell unit whose cell lies only in equations that hold as printed keeps its cheapest
    readings and the "any value" override; its other misreadings cannot make a cheaper repair
    anywhere else, except jointly with another changed cell of the same equations, which the override
    still allows. This keeps OCR documents' models small."""
    read = cheapest_read(units)
    suspect: set[CellKey] = set()
    for e in eqs:
        vals = [read.get(c) for c in e.lhs + e.rhs]
        if None in vals or sum(read[c] for c in e.lhs) != sum(read[c] for c in e.rhs):  # type: ignore[misc]
            suspect.update(e.lhs + e.rhs)
    out = []
    for u in units:
        if len(u.cells) == 1 and u.cells[0] not in suspect and len(u.hypotheses) > 1:
            best = min(h.cost for h in u.hypotheses)
            u = Unit(u.cells, u.tokens, [h for h in u.hypotheses if h.cost - best < EPS], u.reliable,
                     u.override_cost)
        out.append(u)
    return out


def cheapest_only(units: list[Unit]) -> list[Unit]:
    """Each unit with only its cheapest hypotheses (those within EPS of the cheapest)."""
    out = []
    for u in units:
        low = min([h.cost for h in u.hypotheses])
        out.append(Unit(u.cells, u.tokens, [h for h in u.hypotheses if h.cost - low < EPS], u.reliable,
                        u.override_cost))
    return out


def literals(units: list[Unit]) -> int:
    """About how many option literals a model of ``units`` needs: hypotheses of the units with a choice, and one
    release per unit."""
    return sum(len(u.hypotheses) for u in units if len(u.hypotheses) > 1) + len(units)


def as_read(units: list[Unit], choice: dict[int, int], values: dict[CellKey, int]) -> dict[CellKey, int]:
    """Cell values as the chosen hypotheses read them (before overrides); unread cells take ``values``."""
    read = dict(values)
    for ui, u in enumerate(units):
        for c, v in u.hypotheses[choice[ui]].values.items():
            if isinstance(v, int):
                read[c] = v
    return read
