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
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from recover.model import CellKey, Unit

BLANK_OVERRIDE = 1.0
NARRATIVE_COST = 0.5
EPS = 1e-6


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

    def solve(self, objective: list[float], extra: list[tuple[dict[int, float], float, float]]):
        rows = self.rows + extra
        r, c, v = [], [], []
        for i, (coef, _, _) in enumerate(rows):
            for j, a in coef.items():
                r.append(i)
                c.append(j)
                v.append(a)
        A = coo_matrix((v, (r, c)), shape=(len(rows), len(self.cost))).tocsr()
        lo = np.array([b[1] for b in rows], dtype=float)
        hi = np.array([b[2] for b in rows], dtype=float)
        return milp(np.array(objective), constraints=LinearConstraint(A, lo, hi), integrality=np.array(self.integ),
                    bounds=Bounds(np.array(self.lb), np.array(self.ub)), options={"mip_rel_gap": 0})


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
    """Exact minimum-cost assignment and the cells whose value is not unique at that cost."""
    units = plausible(units)
    fast = _fast_path(cells, units, eqs, facts)
    if fast is not None:
        return fast
    m = _Model(cells, units, eqs, facts)
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
    ambiguous = _ambiguity(m, values, best)
    held = {fid: sol[nv] == 0 for fid, nv in m.facts.items()}
    return Solution(values, choice, overridden, best, ambiguous, held, True)


def _ambiguity(m: _Model, values: dict[CellKey, int], best: float) -> dict[CellKey, set[int]]:
    """Cells that take another value in some other assignment of the same minimum cost."""
    found: dict[CellKey, set[int]] = {}
    for _ in range(6):
        open_cells = [c for c in values if c not in found]
        if not open_cells:
            break
        base = len(m.cost)
        extra_cost = list(m.cost)
        obj_row = ({j: a for j, a in enumerate(m.cost) if a}, -np.inf, best + EPS)
        extra = [obj_row]
        dvars = []
        integ, lb, ub = list(m.integ), list(m.lb), list(m.ub)
        for k, c in enumerate(open_cells):
            dp, dm = base + 2 * k, base + 2 * k + 1
            dvars += [dp, dm]
            xv, v = m.x[c], values[c]
            extra.append(({xv: 1.0, dp: -m.M}, v + 1 - m.M, np.inf))  # dp=1 -> x >= v+1
            extra.append(({xv: 1.0, dm: m.M}, -np.inf, v - 1 + m.M))  # dm=1 -> x <= v-1
        extra.append(({d: 1.0 for d in dvars}, 1, np.inf))
        n_new = len(dvars)
        saved = (m.cost, m.integ, m.lb, m.ub)
        m.cost, m.integ, m.lb, m.ub = extra_cost + [0.0] * n_new, integ + [1] * n_new, lb + [0] * n_new, ub + [1] * n_new
        res = m.solve([0.0] * base + [-1.0] * n_new, extra)
        m.cost, m.integ, m.lb, m.ub = saved
        if res.x is None:
            break
        sol = np.round(res.x).astype(np.int64)
        for c in open_cells:
            if int(sol[m.x[c]]) != values[c]:
                found.setdefault(c, set()).add(int(sol[m.x[c]]))
    return found


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
