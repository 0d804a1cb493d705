"""The repair model on OR-Tools CP-SAT: indicator constraints instead of big-M links.

Variables: an integer value x_c per cell; a Boolean z_uh per hypothesis h of each evidence unit u
(exactly one per unit); per cell a Boolean W_c ("any value", the unit's override cost) and, where a
hypothesis leaves the cell blank, w_c (giving up the blank's default 0, cheap). The chosen
hypothesis fixes x_c unless the cell is released. Narrative figures are soft (n_k). Costs are
scaled to integers (tenths).
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from recover.model import CellKey, Unit

SCALE = 10  # costs are given in tenths
WALL_LIMIT_FACTOR = 6  # wall-clock safety net, in multiples of the deterministic time limit


@dataclass
class CpResult:
    values: dict[CellKey, int]
    choice: dict[int, int]
    released: set[CellKey]
    cost: float
    facts_held: dict[str, bool]


class RepairModel:
    def __init__(self, cells: list[CellKey], units: list[Unit], eqs, facts, blank_cost: float,
                 fact_cost: float, time_limit: float):
        self.cells, self.units, self.time_limit = cells, units, time_limit
        m = self.m = cp_model.CpModel()
        top = max([abs(v) for u in units for h in u.hypotheses for v in h.values.values()
                   if isinstance(v, int)] + [f.value for f in facts] + [0])
        self.ub = 4 * top + 100
        self.x = {c: m.new_int_var(0, self.ub, f"x{c}") for c in cells}
        self.z: dict[tuple[int, int], cp_model.IntVar] = {}
        self.W: dict[CellKey, cp_model.IntVar] = {}
        terms: list[tuple[int, cp_model.IntVar]] = []
        for ui, u in enumerate(units):
            zs = [m.new_bool_var(f"z{ui},{hi}") for hi in range(len(u.hypotheses))]
            m.add_exactly_one(zs)
            for hi, (h, z) in enumerate(zip(u.hypotheses, zs)):
                self.z[ui, hi] = z
                if h.cost:
                    terms.append((round(h.cost * SCALE), z))
            for c in u.cells:
                W = self.W[c] = m.new_bool_var(f"W{c}")
                terms.append((round(u.override_cost * SCALE), W))
                w = None
                if any(c in h.soft for h in u.hypotheses):
                    w = m.new_bool_var(f"w{c}")
                    terms.append((round(blank_cost * SCALE), w))
                for hi, h in enumerate(u.hypotheses):
                    v = h.values.get(c)
                    if not isinstance(v, int):
                        continue  # nothing read: the cell is free under this hypothesis
                    lits = [zs[hi], ~W] + ([~w] if (w is not None and c in h.soft) else [])
                    m.add(self.x[c] == v).only_enforce_if(lits)
        for e in eqs:
            m.add(sum(self.x[c] for c in e.lhs) == sum(self.x[c] for c in e.rhs))
        self.n = {}
        for f in facts:
            n = self.n[f.id] = m.new_bool_var(f"n{f.id}")
            m.add(sum(self.x[c] for c in f.cells) == f.value).only_enforce_if(~n)
            terms.append((round(fact_cost * SCALE), n))
        self.objective = sum(k * v for k, v in terms) if terms else 0
        m.minimize(self.objective)

    def _solver(self) -> cp_model.CpSolver:
        s = cp_model.CpSolver()
        s.parameters.num_workers = 1
        # the limit is CP-SAT's deterministic time (work done, about seconds on an idle core), so a proof's
        # outcome does not depend on how loaded the machine is; the wall-clock limit is only a safety net
        s.parameters.max_deterministic_time = self.time_limit
        s.parameters.max_time_in_seconds = WALL_LIMIT_FACTOR * self.time_limit
        s.parameters.random_seed = 0
        s.parameters.linearization_level = 0  # measured fastest on these models (propagation suffices)
        s.parameters.cp_model_probing_level = 0  # idem: probing costs more than it saves here
        return s

    def solve(self) -> CpResult | None:
        s = self._solver()
        st = s.solve(self.m)
        if st not in (cp_model.OPTIMAL,):
            return None
        values = {c: int(s.value(v)) for c, v in self.x.items()}
        choice = {ui: next(hi for hi in range(len(u.hypotheses)) if s.value(self.z[ui, hi]))
                  for ui, u in enumerate(self.units)}
        released = {c for c, W in self.W.items() if s.value(W)}
        return CpResult(values, choice, released, s.objective_value / SCALE,
                        {fid: not s.value(n) for fid, n in self.n.items()})

    def alternatives(self, values: dict[CellKey, int], best: float, margin: float,
                     rounds: int) -> tuple[dict[CellKey, set[int]], bool]:
        """Cells that another assignment costing at most best + margin changes; and whether the
        search completed (False: time ran out before uniqueness was proven)."""
        m = self.m
        m.add(self.objective <= round((best + margin) * SCALE))
        found: dict[CellKey, set[int]] = {}
        for _ in range(rounds):
            open_cells = [c for c in self.cells if c not in found]
            if not open_cells:
                return found, True
            trial = m.clone()
            bs = []
            for c in open_cells:
                b = trial.new_bool_var(f"d{c}")
                trial.add(self.x[c] != values[c]).only_enforce_if(b)
                bs.append(b)
            trial.add_bool_or(bs)
            trial.clear_objective()
            s = self._solver()
            st = s.solve(trial)
            if st == cp_model.INFEASIBLE:
                return found, True
            if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return found, False
            for c in open_cells:
                v = int(s.value(self.x[c]))
                if v != values[c]:
                    found.setdefault(c, set()).add(v)
        return found, False
