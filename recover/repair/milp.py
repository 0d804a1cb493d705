"""Minimum-cost consistent assignment of cell values, by mixed-integer programming (HiGHS via SciPy).

Variables: an integer value x_c per cell; a binary z_uh per hypothesis h of each evidence unit u
(exactly one per unit); per cell three override binaries that release x_c from the chosen
hypothesis: W_c ("any value", the unit's override cost), w_c (a blank's default 0 given up, cheap,
only when the chosen hypothesis left the cell blank) and f_c (a cell nothing was read for, free).
Narrative figures are soft: violating one costs a little and is reported, never forced.
Uniqueness is proven afterwards: another assignment of equal cost that changes a cell makes that
cell ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import highspy
from scipy.sparse import coo_matrix

from recover.model import CellKey, Unit

BLANK_OVERRIDE = 1.0
NARRATIVE_COST = 0.5
EPS = 1e-6
# Assignments within this margin of the optimum are plausible alternatives: a cell they change is
# ambiguous. Below one OCR override (3) minus the cheapest confusion (1): a repair that wins by a
# single digit confusion over another is not proof; far below a clean printed figure (10).
AMBIGUITY_MARGIN = 2.0
MAX_ROUNDS = 12
TIME_LIMIT = 10.0  # seconds per MILP; a document that needs more is flagged, not stalled


@dataclass(frozen=True)
class Equation:
    id: str
    lhs: tuple[CellKey, ...]
    rhs: tuple[CellKey, ...]


@dataclass(frozen=True)
class Fact:
    """A figure restated by the narrative: soft evidence about one cell."""

    id: str
    cell: CellKey
    value: int
    sentence: str


@dataclass
class Solution:
    values: dict[CellKey, int]
    choice: dict[int, int]  # unit index -> chosen hypothesis index
    overridden: set[CellKey]
    cost: float
    ambiguous: dict[CellKey, set[int]]  # cell -> other values of equally cheap assignments
    facts_held: dict[str, bool]
    solver_used: bool
    proven: bool = True  # uniqueness proof completed (False: time ran out; suspects flagged)


class _Model:
    def __init__(self, cells: list[CellKey], units: list[Unit], eqs: list[Equation], facts: list[Fact]):
        self.idx: dict[str, int] = {}
        self.cost: list[float] = []
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integ: list[int] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []
        top = max([abs(v) for u in units for h in u.hypotheses for v in h.values.values()
                   if isinstance(v, int)] + [f.value for f in facts] + [0])
        # a tight big-M keeps HiGHS's integrality tolerance from leaking whole units through the links
        self.M = float(10 * top + 1000)
        x = {c: self.var(f"x{c}", 0.0, 0, self.M) for c in cells}
        self.x = x
        self.z: dict[tuple[int, int], int] = {}
        for ui, u in enumerate(units):
            for hi, h in enumerate(u.hypotheses):
                self.z[ui, hi] = self.var(f"z{ui},{hi}", h.cost, 0, 1)
            self.rows.append(({self.z[ui, hi]: 1.0 for hi in range(len(u.hypotheses))}, 1, 1))
            for c in u.cells:
                soft = {self.z[ui, hi]: -1.0 for hi, h in enumerate(u.hypotheses) if c in h.soft}
                unread = {self.z[ui, hi]: -1.0 for hi, h in enumerate(u.hypotheses) if h.values.get(c) is None}
                release = [self.var(f"W{c}", u.override_cost, 0, 1)]
                if soft:  # only where some hypothesis leaves the cell blank
                    release.append(self.var(f"w{c}", BLANK_OVERRIDE, 0, 1))
                    self.rows.append(({release[-1]: 1.0, **soft}, -np.inf, 0))
                if unread:  # only where some hypothesis read nothing for the cell
                    release.append(self.var(f"f{c}", 0.0, 0, 1))
                    self.rows.append(({release[-1]: 1.0, **unread}, -np.inf, 0))
                link = {x[c]: 1.0}
                for hi, h in enumerate(u.hypotheses):
                    v = h.values.get(c)
                    if isinstance(v, int) and v:
                        link[self.z[ui, hi]] = link.get(self.z[ui, hi], 0.0) - v
                self.rows.append(({**link, **{r: -self.M for r in release}}, -np.inf, 0))
                self.rows.append(({**link, **{r: self.M for r in release}}, 0, np.inf))
        for e in eqs:
            coef: dict[int, float] = {}
            for c in e.lhs:
                coef[x[c]] = coef.get(x[c], 0.0) + 1
            for c in e.rhs:
                coef[x[c]] = coef.get(x[c], 0.0) - 1
            self.rows.append((coef, 0, 0))
        self.n_vars_base = len(self.cost)
        self.facts = {}
        for fa in facts:
            nv = self.var(f"n{fa.id}", NARRATIVE_COST, 0, 1)
            self.facts[fa.id] = nv
            self.rows.append(({x[fa.cell]: 1.0, nv: -self.M}, -np.inf, fa.value))
            self.rows.append(({x[fa.cell]: 1.0, nv: self.M}, fa.value, np.inf))

    def var(self, name: str, cost: float, lo: float, hi: float) -> int:
        self.idx[name] = len(self.cost)
        self.cost.append(cost)
        self.lb.append(lo)
        self.ub.append(hi)
        self.integ.append(1)
        return self.idx[name]

    def solve(self, objective: list[float], extra: list[tuple[dict[int, float], float, float]],
              stop_above: float | None = None) -> "_Result":
        """Solve with HiGHS; ``stop_above`` prunes every branch that cannot beat it (a cutoff)."""
        rows = self.rows + extra
        r, c, v = [], [], []
        for i, (coef, _, _) in enumerate(rows):
            for j, a in coef.items():
                r.append(i)
                c.append(j)
                v.append(a)
        A = coo_matrix((v, (r, c)), shape=(len(rows), len(self.cost))).tocsc()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.cost), len(rows)
        lp.col_cost_ = np.asarray(objective, dtype=float)
        lp.col_lower_ = np.asarray(self.lb, dtype=float)
        lp.col_upper_ = np.asarray(self.ub, dtype=float)
        lp.row_lower_ = np.array([b[1] for b in rows], dtype=float)
        lp.row_upper_ = np.array([b[2] for b in rows], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr
        lp.a_matrix_.index_ = A.indices
        lp.a_matrix_.value_ = A.data
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(self.cost)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("time_limit", TIME_LIMIT)
        h.setOptionValue("threads", 1)
        if stop_above is not None:
            h.setOptionValue("objective_bound", stop_above)
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        ok = status == highspy.HighsModelStatus.kOptimal
        x = np.array(h.getSolution().col_value) if ok else None
        infeasible = status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kObjectiveBound)
        return _Result(x, h.getInfo().objective_function_value if ok else float("inf"), infeasible,
                       h.modelStatusToString(status))


@dataclass
class _Result:
    x: np.ndarray | None
    fun: float
    infeasible: bool  # no solution at all (within the cutoff)
    message: str


MAX_VALUE = 10**6  # larger readings in tables 三/四 are digit runs read whole, not figures


def plausible(units: list[Unit]) -> list[Unit]:
    """Drop hypotheses that put an implausibly large number in a cell (keep at least one per unit)."""
    out = []
    for u in units:
        keep = [h for h in u.hypotheses
                if all(not isinstance(v, int) or abs(v) <= MAX_VALUE for v in h.values.values())]
        if not keep:
            keep = [type(h)({c: None for c in h.values}, h.observed, h.cost, h.why + " (number too large)")
                    for h in u.hypotheses[:1]]
        u.hypotheses = keep
        out.append(u)
    return out


def solve(cells: list[CellKey], units: list[Unit], eqs: list[Equation], facts: list[Fact]) -> Solution:
    """Exact minimum-cost assignment and the cells whose value is not unique at that cost.

    Tables share no rule, so each is solved on its own and the solutions are merged."""
    units = plausible(units)
    tables = sorted({c[0] for c in cells})
    parts = []
    for t in tables:
        idx = [ui for ui, u in enumerate(units) if u.cells and u.cells[0][0] == t]
        part = _solve_one([c for c in cells if c[0] == t], [units[ui] for ui in idx],
                          [e for e in eqs if e.lhs and e.lhs[0][0] == t], [f for f in facts if f.cell[0] == t])
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


def _focus(units: list[Unit], eqs: list[Equation]) -> list[Unit]:
    """Offer misreadings only where the printed figures break a rule.

    A single-cell unit whose cell lies only in equations that hold as printed keeps its cheapest
    readings and the "any value" override; its other misreadings cannot make a cheaper repair
    anywhere else, except jointly with another changed cell of the same equations, which the override
    still allows. This keeps OCR documents' models small."""
    read: dict[CellKey, int | None] = {}
    for u in units:
        h = min(u.hypotheses, key=lambda h: h.cost)
        for c in u.cells:
            v = h.values.get(c)
            read[c] = v if isinstance(v, int) else None
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


def _solve_one(cells: list[CellKey], units: list[Unit], eqs: list[Equation], facts: list[Fact]) -> Solution:
    fast = _fast_path(cells, units, eqs, facts)
    if fast is not None:
        return fast
    focused = _focus(units, eqs)
    m = _Model(cells, focused, eqs, facts)
    res = m.solve(m.cost, [])
    if res.x is None:
        raise RuntimeError(f"repair model infeasible: {res.message}")
    sol = np.round(res.x).astype(np.int64)
    values = {c: int(sol[m.x[c]]) for c in cells}
    for e in eqs:
        if sum(values[c] for c in e.lhs) != sum(values[c] for c in e.rhs):
            raise RuntimeError(f"solver returned values violating {e.id}")
    choice = {ui: next(hi for hi in range(len(u.hypotheses)) if sol[m.z[ui, hi]] == 1) for ui, u in enumerate(units)}
    overridden = {c for c in cells if any(sol[m.idx[f"{k}{c}"]] == 1 for k in "Wwf" if f"{k}{c}" in m.idx)}
    best = float(res.fun)
    suspects = {c for e in eqs if not _balanced(e, units, choice, values) for c in e.lhs + e.rhs}
    ambiguous, proven = _ambiguity(m, values, best, suspects)
    held = {fid: sol[nv] == 0 for fid, nv in m.facts.items()}
    return Solution(values, choice, overridden, best, ambiguous, held, True, proven)


def _balanced(e: Equation, units: list[Unit], choice: dict[int, int], values: dict[CellKey, int]) -> bool:
    """Whether an equation holds on the chosen readings (before overrides)."""
    read = dict(values)
    for ui, u in enumerate(units):
        for c, v in u.hypotheses[choice[ui]].values.items():
            if isinstance(v, int):
                read[c] = v
    return sum(read[c] for c in e.lhs) == sum(read[c] for c in e.rhs)


def _ambiguity(m: _Model, values: dict[CellKey, int], best: float,
               suspects: set[CellKey]) -> tuple[dict[CellKey, set[int]], bool]:
    """Cells that take another value in some other assignment of the same minimum cost.

    Each round asks HiGHS for any equally cheap assignment that changes at least one cell not yet
    known to be ambiguous (a feasibility problem, no objective); the cells it changes are recorded
    and excluded, until none is left (uniqueness proven). Returns the cells and whether the proof
    completed; when a round runs out of time, the ``suspects`` are reported instead.
    """
    found: dict[CellKey, set[int]] = {}
    base = len(m.cost)
    saved = (m.cost, m.integ, m.lb, m.ub)
    for _ in range(MAX_ROUNDS):
        open_cells = [c for c in values if c not in found]
        if not open_cells:
            return found, True
        extra = []
        dvars = []
        for k, c in enumerate(open_cells):
            dp, dm = base + 2 * k, base + 2 * k + 1
            dvars += [dp, dm]
            xv, v = m.x[c], values[c]
            extra.append(({xv: 1.0, dp: -m.M}, v + 1 - m.M, np.inf))  # dp=1 -> x >= v+1
            extra.append(({xv: 1.0, dm: m.M}, -np.inf, v - 1 + m.M))  # dm=1 -> x <= v-1
        extra.append(({d: 1.0 for d in dvars}, 1, np.inf))
        n_new = len(dvars)
        m.cost, m.integ = saved[0] + [0.0] * n_new, saved[1] + [1] * n_new
        m.lb, m.ub = saved[2] + [0] * n_new, saved[3] + [1] * n_new
        # cheapest assignment that changes an open cell: B&B prunes with the cost bound
        res = m.solve(list(saved[0]) + [0.0] * n_new, extra, stop_above=best + AMBIGUITY_MARGIN)
        m.cost, m.integ, m.lb, m.ub = saved
        if res.infeasible or (res.x is not None and res.fun > best + AMBIGUITY_MARGIN):
            return found, True
        if res.x is None:  # time limit without an answer: no proof
            for c in suspects:
                found.setdefault(c, set())
            return found, False
        sol = np.round(res.x).astype(np.int64)
        for c in open_cells:
            if int(sol[m.x[c]]) != values[c]:
                found.setdefault(c, set()).add(int(sol[m.x[c]]))
    return found, False


def _fast_path(cells, units, eqs, facts) -> Solution | None:
    """Each unit's cheapest hypothesis is unique, reads every cell, and satisfies every equation and
    fact: then it is the unique optimum (any other assignment costs strictly more); no search needed."""
    covered: set[CellKey] = set()
    values: dict[CellKey, int] = {}
    choice = {}
    cost = 0.0
    for ui, u in enumerate(units):
        order = sorted(range(len(u.hypotheses)), key=lambda h: u.hypotheses[h].cost)
        h0 = u.hypotheses[order[0]]
        if len(order) > 1 and u.hypotheses[order[1]].cost - h0.cost < EPS:
            return None
        for c in u.cells:
            v = h0.values.get(c)
            covered.add(c)
            if v is None and not h0.soft:
                continue  # nothing read: a free cell, to be fixed by the equations below
            if not isinstance(v, int):
                return None
            values[c] = v
        choice[ui] = order[0]
        cost += h0.cost
    if not covered <= set(cells):
        return None
    free = [c for c in cells if c not in values]
    if free and not _propagate(values, free, eqs):
        return None
    for e in eqs:
        if sum(values[c] for c in e.lhs) != sum(values[c] for c in e.rhs):
            return None
    if any(values[f.cell] != f.value for f in facts):
        return None
    return Solution(values, choice, set(free), cost, {}, {f.id: True for f in facts}, False)


def _propagate(values: dict[CellKey, int], free: list[CellKey], eqs: list[Equation]) -> bool:
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
