"""Minimum-cost consistent assignment of cell values, solved exactly (OR-Tools CP-SAT, ``cpsat.py``).

Every cell of tables 三 and 四 gets its value from the hypothesis chosen for its evidence unit, or
is released ("any value") at a cost; the template's equations must hold; narrative figures are soft.
Any other assignment within AMBIGUITY_MARGIN of the optimal cost that changes a cell makes that cell
ambiguous. The fast path proves optimality and uniqueness without search when the cheapest readings already
satisfy every equation and a lower bound keeps every other assignment beyond the margin
(``fast.no_near_alternative``). Otherwise the solver finds the optimum, then searches for such assignments.
Both run on capped models (SLACKS): the model holds every assignment within its cap and leaves out options
dearer than the cap, so on reliable readings CP-SAT sees a handful of open cells instead of the whole table.
A large table (RELAX_FROM option literals or more: OCR readings, each with its misreadings) is solved near an
upper bound instead (``_around_upper_bound``): the sign relaxation of ``reach.py`` rules out the cells that no
assignment within the margin of the cheapest readings' own optimum can change, and the model holds the others.
"""

from __future__ import annotations


from recover.model import CellKey, Unit
from recover.repair.cpsat import SCALE, CpResult, RepairModel, scaled
from recover.repair.fast import fast_path
from recover.repair.offer import (MAX_VALUE, as_read, cheapest_only, cheapest_read, focus, literals, plausible,
                                  unfilled_totals)
from recover.repair.plan import Planner
from recover.repair.reach import movable, pinned, reprice
from recover.repair.terms import (AMBIGUITY_MARGIN, BLANK_OVERRIDE, EPS, NARRATIVE_COST, Equation, Fact, Solution,
                                  holds)

__all__ = ["AMBIGUITY_MARGIN", "BLANK_OVERRIDE", "NARRATIVE_COST", "Equation", "Fact", "Solution", "holds", "solve",
           "as_read", "cheapest_read", "plausible", "unfilled_totals", "MAX_VALUE"]

MAX_ROUNDS = 40  # uniqueness searches per table; each finds an assignment changing a still-open cell
TIME_LIMIT = 10.0  # CP-SAT deterministic seconds per solve (load-independent); more needed: flagged, not stalled
# deterministic seconds for all the uniqueness searches of a table together: a table whose readings need many
# fixes can take 20+ searches of 1-8 s each (a 150 dpi scan: 65 s, then flagged whole anyway); past the budget
# the proof is given up and the table flagged, as when one search runs out of time
PROOF_BUDGET = 30.0
# The optimum is searched under growing caps on its cost above the cheapest readings (see cpsat.py): a few OCR
# fixes, one printed figure given up (10), a few, then no cap. A capped model holds every assignment within its
# cap, so the first feasible one gives the optimum; the failed ones are tiny on reliable readings.
SLACKS = (4.0, 12.0, 30.0, None)
# A table whose model needs this many option literals (hypotheses and releases) or more is solved near an upper
# bound (``_around_upper_bound``), and a uniqueness search this large runs on the cells the sign relaxation
# (reach.py) cannot rule out, the others constants. The relaxation costs 5-30 ms on a text table; an OCR markdown
# table of 1 253 literals took 0.6 s to prove unique, 0.1 s this way, while tables of under 100 literals are
# solved and proven in 1-8 ms without it.
RELAX_FROM = 200


def solve(cells: list[CellKey], units: list[Unit], eqs: list[Equation], facts: list[Fact]) -> Solution:
    """Exact minimum-cost assignment and the cells whose value is not unique at that cost.

    Tables share no rule, so each is solved on its own and the solutions are merged."""
    units = unfilled_totals(plausible(units), eqs)
    tables = sorted({c[0] for c in cells})
    parts = []
    for t in tables:
        idx = [ui for ui, u in enumerate(units) if u.cells and u.cells[0][0] == t]
        part = _solve_one([c for c in cells if c[0] == t], [units[ui] for ui in idx],
                          [e for e in eqs if e.lhs and e.lhs[0][0] == t], [f for f in facts if f.cells[0][0] == t])
        parts.append((idx, part))
    out = Solution({}, {}, set(), 0.0, {}, {}, False, True)
    for idx, p in parts:
        out.values.update(p.values)
        out.choice.update({idx[k]: h for k, h in p.choice.items()})
        out.overridden |= p.overridden
        out.cost += p.cost
        out.ambiguous.update(p.ambiguous)
        out.facts_held.update(p.facts_held)
        out.solver_used |= p.solver_used
        out.proven &= p.proven
    return out


def _solve_one(cells: list[CellKey], units: list[Unit], eqs: list[Equation], facts: list[Fact]) -> Solution:
    fast = fast_path(cells, units, eqs, facts)
    if fast is not None:
        return fast
    focused = focus(units, eqs)
    bounded = _around_upper_bound(cells, focused, eqs, facts) if literals(focused) >= RELAX_FROM else None
    res: CpResult | None
    planner: Planner | None = None
    if bounded is not None:
        model, res = bounded
        slack = None  # the model holds every assignment within the margin of the optimum: no wider one needed
    else:
        planner = Planner(focused, eqs, scaled(BLANK_OVERRIDE))
        model, res, slack = _under_caps(cells, focused, eqs, facts, planner)
    if res is None:
        return _unsolved(cells, units, eqs)
    for e in eqs:
        if not holds(e, res.values):
            raise RuntimeError(f"solver returned values violating {e.id}")
    # the choice as indices into the callers' units (focusing dropped some of their hypotheses)
    choice = {ui: units[ui].hypotheses.index(focused[ui].hypotheses[hi]) for ui, hi in res.choice.items()}
    cap = res.cost + AMBIGUITY_MARGIN
    if planner is not None and slack is not None and res.cost - planner.base > slack + EPS:  # the optimum lies above
        # this model's own slack: the margin above it needs a wider cap
        model = RepairModel(cells, focused, eqs, facts, BLANK_OVERRIDE, NARRATIVE_COST, TIME_LIMIT,
                            res.cost - planner.base + AMBIGUITY_MARGIN, planner)
    if len(model.z) + len(model.W) >= RELAX_FROM:  # a large search: first rule out the cells that cannot change
        can = movable(cells, focused, eqs, facts, res.values, res.choice, res.released, res.facts_held,
                      set(model.fixed), scaled(res.cost), scaled(cap) - scaled(res.cost))
        if can is not None:
            kept = pinned(focused, res.values, res.choice, res.released, can)
            model = _capped(cells, kept, eqs, facts, cap)
    ambiguous, proven = model.alternatives(res.values, cap, MAX_ROUNDS, PROOF_BUDGET)
    if not proven:  # an assignment not yet found could change any cell: none passes as proven
        for c in cells:
            ambiguous.setdefault(c, set())
    return Solution(res.values, choice, res.released, res.cost, ambiguous, res.facts_held, True, proven)


def _under_caps(cells, units, eqs, facts, planner: Planner) -> tuple[RepairModel, CpResult | None, float | None]:
    """The optimum, searched under the growing caps of SLACKS: the model that settled it, the optimum (None: the
    time limit ran out first) and the slack of that model's cap (None: uncapped). Caps below ``planner``'s lower
    bound hold no assignment: they are skipped without a model."""
    base = planner.base
    least = planner.lower_bound()
    for slack in SLACKS:  # each model also holds the assignments within the margin of an optimum under slack
        if slack is not None and least > scaled(slack + AMBIGUITY_MARGIN):
            continue
        model = RepairModel(cells, units, eqs, facts, BLANK_OVERRIDE, NARRATIVE_COST, TIME_LIMIT,
                            None if slack is None else slack + AMBIGUITY_MARGIN, planner)
        state, res = model.solve()
        if slack is None or state == "unknown":
            break
        if res is not None and res.cost - base <= slack + AMBIGUITY_MARGIN + EPS:
            break  # every assignment as cheap is in the model: the optimum
    return model, res, slack


def _capped(cells, units, eqs, facts, cap: float) -> RepairModel:
    """The model of ``units`` holding every assignment that costs at most ``cap`` in all."""
    planner = Planner(units, eqs, scaled(BLANK_OVERRIDE))
    return RepairModel(cells, units, eqs, facts, BLANK_OVERRIDE, NARRATIVE_COST, TIME_LIMIT, cap - planner.base,
                       planner)


def _around_upper_bound(cells, units, eqs, facts) -> tuple[RepairModel, CpResult] | None:
    """The optimum of a large table, found near an upper bound: solve the table on its cheapest readings alone
    (and the "any value" overrides: always feasible, and small), price that assignment y0 with every option,
    rule out with the sign relaxation the cells no assignment costing at most y0 plus the margin changes, and
    solve exactly on the cells left. The optimum costs at most y0, so that model holds it and every assignment
    within the margin of it: the uniqueness searches run on it too. None: a step did not settle."""
    cheap = cheapest_only(units)
    _, y0, _ = _under_caps(cells, cheap, eqs, facts, Planner(cheap, eqs, scaled(BLANK_OVERRIDE)))
    if y0 is None:
        return None
    choice, released, held, cost_sc = reprice(units, y0.values, facts)
    margin_sc = scaled(AMBIGUITY_MARGIN)
    can = movable(cells, units, eqs, facts, y0.values, choice, released, held, set(), cost_sc, margin_sc)
    if can is None:
        return None
    kept = pinned(units, y0.values, choice, released, can)
    model = _capped(cells, kept, eqs, facts, (cost_sc + margin_sc) / SCALE)
    state, res = model.solve()
    if state != "optimal" or res is None:
        return None
    # choices as indices into ``units``: a pinned unit holds only the reading y0 was priced at
    res.choice = {ui: hi if kept[ui] is units[ui] else choice[ui] for ui, hi in res.choice.items()}
    return model, res


def _unsolved(cells: list[CellKey], units: list[Unit], eqs: list[Equation]) -> Solution:
    """No optimum within the time limit: keep the cheapest readings and flag every cell of the table, so
    nothing unproven passes as ok (misreadings that cancel out would hold every equation)."""
    values: dict[CellKey, int] = {}
    choice = {}
    for ui, u in enumerate(units):
        hi = min(range(len(u.hypotheses)), key=lambda h: u.hypotheses[h].cost)
        choice[ui] = hi
        for c in u.cells:
            v = u.hypotheses[hi].values.get(c)
            if isinstance(v, int):
                values[c] = v
    flagged: dict[CellKey, set[int]] = {c: set() for c in cells}
    for c in cells:
        values.setdefault(c, 0)
    return Solution(values, choice, set(), float("nan"), flagged, {}, True, False)


