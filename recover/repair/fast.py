"""The fast path: the cheapest readings proven the unique optimum without search.

When each unit's cheapest hypothesis is unique, the readings (with unread cells fixed by the rules they alone
leave open) satisfy every rule and narrative figure, and a lower bound keeps every other assignment beyond the
ambiguity margin, the repair needs no solver.
"""

from __future__ import annotations

from recover.model import CellKey, Hypothesis, Unit
from recover.repair.offer import cheapest_index
from recover.repair.terms import (AMBIGUITY_MARGIN, BLANK_OVERRIDE, EPS, INF, Equation, Solution, cheapest_other,
                                  holds)


# per rule id: the units whose cells it holds and its two cheapest changes (cost, unit); None when an unread cell
# takes up any difference (``no_near_alternative``)
Info = dict[str, tuple[frozenset, list[tuple[float, int]]] | None]


def fast_path(cells, units, eqs, facts) -> Solution | None:
    """Each unit's cheapest hypothesis is unique, reads every cell, and satisfies every equation and
    fact: then it is the unique optimum (any other assignment costs strictly more), and when no other
    assignment comes within AMBIGUITY_MARGIN of it (``no_near_alternative``) it is proven without search."""
    covered: set[CellKey] = set()
    values: dict[CellKey, int] = {}
    choice = {}
    cost = 0.0
    for ui, u in enumerate(units):
        hs = u.hypotheses
        i0 = _cheapest(hs)
        if i0 < 0:
            return None  # (another hypothesis as cheap: no unique cheapest reading)
        h0 = hs[i0]
        for c in u.cells:
            v = h0.values.get(c)
            covered.add(c)
            if v is None and not h0.soft:
                continue  # nothing read: a free cell, to be fixed by the equations below
            if not isinstance(v, int):
                return None
            values[c] = v
        choice[ui] = i0
        cost += h0.cost
    if not covered <= set(cells):
        return None
    free = [c for c in cells if c not in values]
    if free and not propagate(values, free, eqs):
        return None
    for e in eqs:
        if not holds(e, values):
            return None
    if any(sum(values[c] for c in f.cells) != f.value for f in facts):
        return None
    if not no_near_alternative(units, eqs, set(free), [units[ui].hypotheses[hi] for ui, hi in choice.items()]):
        return None
    return Solution(values, choice, set(free), cost, {}, {f.id: True for f in facts}, False)


def _cheapest(hs: list[Hypothesis]) -> int:
    """The index of the cheapest hypothesis (the first of the cheapest), or -1 when another one costs less than EPS
    more than it."""
    i0 = cheapest_index(hs)
    c0 = hs[i0].cost
    for j in range(len(hs)):
        if j != i0 and hs[j].cost - c0 < EPS:
            return -1
    return i0


def no_near_alternative(units: list[Unit], eqs: list[Equation], free: set[CellKey],
                        cheapest: list[Hypothesis]) -> bool:
    """No assignment other than the cheapest readings costs at most AMBIGUITY_MARGIN more.

    Another assignment changes some unit: one cell (a misreading, "any value", a blank given up) at least that
    cell's ``step``, or a joint reading (a row's placements, a glued run's cuts) by taking another of its
    hypotheses. Every rule the change breaks needs a change in another unit: at least the cheapest step among
    that rule's cells there, or nothing where a free (unread) cell can take up the difference. Over rules whose
    other units are disjoint these costs add up. Free cells alone cannot change (each was fixed by a rule whose
    other cells were fixed before it). ``cheapest``: each unit's cheapest hypothesis."""
    owner: dict[CellKey, int] = {}
    base: dict[CellKey, int] = {}
    step: dict[CellKey, float] = {}
    solo: dict[CellKey, float] = {}  # changing the cell alone
    for ui, u in enumerate(units):
        h0 = cheapest[ui]
        hs = u.hypotheses
        single = len(u.cells) == 1
        for c in u.cells:
            if c in free:
                continue
            owner[c] = ui
            v0 = h0.values[c]
            base[c] = v0  # type: ignore[assignment]
            alone = BLANK_OVERRIDE if c in h0.soft and BLANK_OVERRIDE < u.override_cost else u.override_cost
            cheapest_change = alone  # any change of the cell: released, its blank given up, or another hypothesis
            if len(hs) > 1:
                for h in hs:
                    if h.values.get(c) != v0 and h.cost - h0.cost < cheapest_change:
                        cheapest_change = h.cost - h0.cost
            step[c] = cheapest_change
            solo[c] = cheapest_change if single else alone  # (a joint reading's moves: below)
    of: dict[CellKey, list[Equation]] = {}
    for e in eqs:
        for c in e.lhs + e.rhs:
            mine = of.setdefault(c, [])
            if not mine or mine[-1] is not e:  # (a cell on both sides, or twice: the rule once)
                mine.append(e)

    info: Info = {}
    for e in eqs:
        cells = e.lhs + e.rhs
        if any(c not in owner for c in cells):
            info[e.id] = None  # a free cell takes up any difference
            continue
        per_unit: dict[int, float] = {}  # the cheapest change of each unit among the rule's cells
        for c in cells:
            per_unit[owner[c]] = min(per_unit.get(owner[c], INF), step[c])
        info[e.id] = (frozenset(per_unit), sorted((x, o) for o, x in per_unit.items())[:2])

    limit = AMBIGUITY_MARGIN + EPS
    for c, own in solo.items():  # one cell changed alone: every rule holding it breaks
        if own <= limit and _within(info, own, of.get(c, []), owner[c], limit):
            return False
    for ui, u in enumerate(units):  # a joint reading taking another hypothesis
        if len(u.cells) < 2:
            continue
        h0 = cheapest[ui]
        for h in u.hypotheses:
            d = h.cost - h0.cost
            changed = [c for c in u.cells if c in owner and h.values.get(c) != base[c]]
            if not changed or d > limit:
                continue
            over = {c: v for c, v in h.values.items() if c in owner}  # h's values over the cheapest readings'
            touched = {e.id: e for c in changed for e in of.get(c, [])}.values()
            broken = []
            for e in touched:
                lhs = [over[c] if c in over else base.get(c) for c in e.lhs]
                rhs = [over[c] if c in over else base.get(c) for c in e.rhs]
                if all(isinstance(v, int) for v in lhs + rhs) and sum(lhs) != sum(rhs):  # type: ignore[arg-type]
                    broken.append(e)  # (a cell left unread by h is free: its rules rebalance)
            if _within(info, d, broken, ui, limit):
                return False
    return True


def _least(got: tuple[frozenset, list[tuple[float, int]]] | None, skip: int) -> float:
    """Least cost for units other than ``skip`` to rebalance a rule (``got``: its entry of ``info`` in
    ``no_near_alternative``, None when a free cell takes up any difference)."""
    return 0.0 if got is None else cheapest_other(got[1], skip)


def _within(info: Info, own: float, broken: list[Equation], skip: int, limit: float) -> bool:
    """Whether the bound on a change of unit ``skip`` costing ``own`` that breaks the rules ``broken`` stays within
    ``limit``: each broken rule needs a change in another unit, at least its cheapest there; over rules whose
    other units are disjoint these add up."""
    dearest = 0.0
    for e in broken:
        x = _least(info[e.id], skip)
        if x > dearest:
            dearest = x
    if own + dearest > limit:
        return False  # (the dearest rule alone exceeds it: the sum below starts with it)
    needs = []
    for e in broken:
        got = info[e.id]
        needs.append((0.0, frozenset[int]()) if got is None else (_least(got, skip), got[0] - {skip}))
    total, used = own, set[int]()
    for cost, others in sorted(needs, key=lambda t: -t[0]):
        if not others & used:
            total += cost
            used |= others
    return total <= limit


def propagate(values: dict[CellKey, int], free: list[CellKey], eqs: list[Equation]) -> bool:
    """Fix free cells that are the only unknown of an equation, repeatedly; True if all get fixed
    to non-negative values (then the assignment is forced, hence unique)."""
    left = set(free)
    progress = True
    while left and progress:
        progress = False
        for e in eqs:
            unknown = [c for c in e.lhs + e.rhs if c in left]
            if len(unknown) != 1:
                continue
            c = unknown[0]
            sign = 1 if c in e.lhs else -1
            rest = sum(values[k] for k in e.lhs if k != c) - sum(values[k] for k in e.rhs if k != c)
            v = -rest * sign
            if v < 0 or (e.lhs + e.rhs).count(c) != 1:
                return False
            values[c] = v
            left.discard(c)
            progress = True
    return not left
