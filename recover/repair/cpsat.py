"""The repair model on OR-Tools CP-SAT: indicator constraints instead of big-M links.

Variables: an integer value x_c per cell; a Boolean z_uh per hypothesis h of each evidence unit u
(exactly one per unit); per cell a Boolean W_c ("any value", the unit's override cost) and, where a
hypothesis leaves the cell blank, w_c (giving up the blank's default 0, cheap). The chosen
hypothesis fixes x_c unless the cell is released. Narrative figures are soft (n_k). Costs are
scaled to integers (tenths).

A model can be built under a cost cap (``slack``: how much more than the cheapest readings an assignment may
cost). Every option that alone costs more than the slack is left out of the model, and a cell with one option
left becomes a constant: the model then holds exactly the assignments that cost at most the cap, so its
optimum (or its infeasibility) is the answer for them. On a report whose readings are reliable (a printed
figure costs 10 to give up) a cap of a few units leaves CP-SAT a handful of variables instead of hundreds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from recover.model import CellKey, Unit
from recover.repair.cpmodel import FEASIBLE, INFEASIBLE, OPTIMAL, Model, Solver, Status
from recover.repair.plan import SCALE, Planner, scaled
from recover.repair.prototext import INT_MAX, INT_MIN, ProtoText, merged, negated

WALL_LIMIT_FACTOR = 6  # wall-clock safety net, in multiples of the deterministic time limit
# CP-SAT's presolve costs 5-200 ms even on models that the search itself settles in 1-30 ms (a Pingtan table of
# 193 variables: 23 -> 3.5 ms; a glued web-text table of 1 300: 190 -> 36 ms), but it pays off on the uniqueness
# searches of a large OCR table (1 590 variables: 0.13 s with it, 0.26-0.32 s without). Every model is first
# solved without presolve under QUICK_TIME deterministic seconds; if that does not settle it, it is solved again
# with presolve, and later searches of the same model go straight there (the answer is exact either way).
QUICK_TIME = 0.03


@dataclass
class CpResult:
    values: dict[CellKey, int]
    choice: dict[int, int]
    released: set[CellKey]
    cost: float
    facts_held: dict[str, bool]


class RepairModel:
    """The repair of one table as a CP-SAT model, optionally restricted to assignments within ``slack``
    of the cheapest readings' cost (``Planner.base``)."""

    def __init__(self, cells: list[CellKey], units: list[Unit], eqs, facts, blank_cost: float,
                 fact_cost: float, time_limit: float, slack: float | None = None, planner: Planner | None = None):
        self.cells, self.units, self.time_limit = cells, units, time_limit
        self.infeasible = False  # the cap already rules out every assignment (a constant equation fails)
        self.quick = True  # try solves without presolve first (see QUICK_TIME)
        m = self.m = Model()
        room = None if slack is None else round(slack * SCALE)

        blank_sc, fact_sc = scaled(blank_cost), scaled(fact_cost)

        def allowed(extra: int) -> bool:
            return room is None or extra <= room

        planner = planner or Planner(units, eqs, blank_sc)  # (given: the same units' and rules', for every cap)
        self.ub = 4 * max([planner.top] + [f.value for f in facts]) + 100
        p = planner.plan(room)
        self.kept = p.kept  # per unit: indices of the hypotheses within the cap
        self.fixed = p.fixed  # cells with a single value left under the cap
        # variables by their index in the model (prototext.py): hypotheses' z, releases W, broken facts n, cells x
        self.z: dict[tuple[int, int], int] = {}
        self.W: dict[CellKey, int] = {}
        self.n: dict[str, int] = {}
        self.x: dict[CellKey, int] = {}  # (a cell the cap left a single value is in ``fixed`` instead)
        self.const_facts: dict[str, bool] = {}  # facts about cells the cap left constant: held or not
        self.offset = 0
        self.terms: list[tuple[int, int]] = []  # the objective: (cost, literal) pairs
        if p.infeasible:
            self.infeasible = True  # found before building anything: the common fate of a too-low cap
            return
        t = ProtoText(m.proto)
        terms: list[tuple[int, int]] = []
        offset = 0
        links = []  # (cell, value, enforcement literals), added once the cell variables exist
        joint = []  # (cell, each kept hypothesis's value, their literals, enforcement literals)
        for ui, u in enumerate(units):
            costs = planner.costs[ui]
            kept = p.kept[ui]
            if len(kept) == 1:
                offset += costs[kept[0]]
            else:
                zs = [t.new_bool() for _ in kept]
                t.exactly_one(zs)
                for hi, z in zip(kept, zs):
                    self.z[ui, hi] = z
                    if costs[hi]:
                        terms.append((costs[hi], z))
            override = planner.override_sc[ui]
            for c in u.cells:
                if c in self.fixed:
                    continue
                W = None
                if c in p.override:
                    W = self.W[c] = t.new_bool()
                    terms.append((override, W))
                w = None
                if c in p.blank:
                    w = t.new_bool()
                    terms.append((blank_sc, w))
                read = [u.hypotheses[hi].values.get(c) for hi in kept]
                if len(kept) > 1 and all(isinstance(v, int) for v in read) and (
                        w is None or not any(c in u.hypotheses[hi].soft for hi in kept)):
                    # every hypothesis reads the cell: x = the chosen one's value, one linear link for all
                    joint.append((c, cast(list[int], read), [self.z[ui, hi] for hi in kept],
                                  [negated(W)] if W is not None else []))
                    continue
                for hi in kept:
                    h = u.hypotheses[hi]
                    v = h.values.get(c)
                    if not isinstance(v, int):
                        continue  # nothing read: the cell is free under this hypothesis
                    lits = ([self.z[ui, hi]] if len(kept) > 1 else []) + ([negated(W)] if W is not None else []) + \
                        ([negated(w)] if (w is not None and c in h.soft) else [])
                    links.append((c, v, lits))
        for c in cells:
            if c not in self.fixed:
                self.x[c] = t.new_int(0, self.ub)
        for c, v, lits in links:  # x = v
            t.linear({self.x[c]: 1}, [v, v], lits)
        for c, vs, zs, lits in joint:  # x = Σ v_h z_h
            coef = {self.x[c]: 1}
            for z, v in zip(zs, vs):
                coef[z] = coef.get(z, 0) - v
            t.linear(coef, [0, 0], lits)
        for e in eqs:
            if not all(c in self.fixed for c in e.lhs + e.rhs):  # (one of constants holds: the plan checked it)
                coef = {}
                # lhs - rhs = 0; rhs - lhs when every lhs cell is a constant (as OR-Tools writes a constant's ==)
                sign = -1 if all(c in self.fixed for c in e.lhs) else 1
                const = self._add(e.lhs, sign, coef) + self._add(e.rhs, -sign, coef)
                t.linear(coef, [-const, -const])
        for f in facts:
            if all(c in self.fixed for c in f.cells):
                held = self.const_facts[f.id] = sum(self.fixed[c] for c in f.cells) == f.value
                if not held and allowed(fact_sc):
                    offset += fact_sc
                self.infeasible |= not held and not allowed(fact_sc)
                continue
            coef = {}
            rest = f.value - self._add(list(f.cells), 1, coef)
            if allowed(fact_sc):
                n = self.n[f.id] = t.new_bool()
                t.linear(coef, [rest, rest], [negated(n)])
                terms.append((fact_sc, n))
            else:
                t.linear(coef, [rest, rest])
                self.const_facts[f.id] = True  # too costly to break under the cap: it holds
        t.flush()
        self.offset = offset
        self.terms = terms
        m.minimize_terms(terms)

    def _add(self, cells, sign: int, coef: dict[int, int]) -> int:
        """Add ``sign`` times each cell's variable to ``coef``; return ``sign`` times the sum of the cells the cap
        left constant."""
        const = 0
        for c in cells:
            if c in self.fixed:
                const += sign * self.fixed[c]
            else:
                x = self.x[c]
                coef[x] = coef.get(x, 0) + sign
        return const

    def _solver(self, linearization: int, limit: float, presolve: bool = True,
                inprocessing: bool = True) -> Solver:
        s = Solver()
        s.parameters.num_workers = 1
        # the limit is CP-SAT's deterministic time (work done, about seconds on an idle core), so a proof's
        # outcome does not depend on how loaded the machine is; the wall-clock limit is only a safety net
        s.parameters.max_deterministic_time = limit
        s.parameters.max_time_in_seconds = WALL_LIMIT_FACTOR * limit
        s.parameters.cp_model_presolve = presolve
        s.parameters.random_seed = 0
        # level 0 (propagation only) was fastest for the uniqueness searches; the optimisation gains from the LP
        # (a 1 456-variable OCR table: 0.25 s at level 0, 0.06 s at level 2)
        s.parameters.linearization_level = linearization
        s.parameters.cp_model_probing_level = 0  # probing costs more than it saves here
        # symmetry detection costs about a millisecond per solve and has never paid off on these models
        s.parameters.symmetry_level = 0
        s.parameters.use_sat_inprocessing = inprocessing  # (see ``_run``)
        return s

    def _run(self, model: Model, linearization: int = 0, limit: float | None = None,
             trial: bool = False) -> tuple[Solver, Status]:
        """Solve ``model`` within ``limit`` deterministic seconds (default: the model's time limit): first
        without presolve under QUICK_TIME, then with it if needed (see QUICK_TIME). A ``trial`` (a uniqueness
        search: feasibility, no objective) runs without clause inprocessing (vivification, subsumption between
        restarts): the 357 uniqueness searches of the corpus's text reports and 100 generated ones took 0.019
        deterministic seconds without it against 0.078 with it (a glued web-text table's 0.0035-0.0042 s each,
        0.0005-0.0011). The optimisations keep it: without it they gain little (0.0034 -> 0.0020 s over 100) and pick
        other optima among equally cheap ones, where a generated glued report then had fewer cells right."""
        limit = self.time_limit if limit is None else limit
        if self.quick:
            s = self._solver(linearization, min(QUICK_TIME, limit), presolve=False, inprocessing=not trial)
            st = s.solve(model)
            if st in (OPTIMAL, INFEASIBLE):  # (FEASIBLE: optimality not proven yet)
                return s, st
            self.quick = not trial  # a search too hard without presolve: the next ones will be too
        s = self._solver(linearization, limit, inprocessing=not trial)
        return s, s.solve(model)

    def _value(self, sol: list[int], c: CellKey) -> int:
        return self.fixed[c] if c in self.fixed else sol[self.x[c]]

    def solve(self) -> tuple[str, CpResult | None]:
        """("optimal", result), ("infeasible", None): no assignment within the cap, or ("unknown", None):
        the time limit ran out first. The model's optimum may cost more than the cap (the options left can
        combine into dearer assignments): it is the true optimum only if it costs at most the cap."""
        if self.infeasible:
            return "infeasible", None
        s, st = self._run(self.m, linearization=2)
        if st == INFEASIBLE:
            return "infeasible", None
        if st != OPTIMAL:
            return "unknown", None
        sol = s.solution
        values = {c: self._value(sol, c) for c in self.cells}
        choice = {}
        for ui, kept in enumerate(self.kept):
            choice[ui] = kept[0] if len(kept) == 1 else next(hi for hi in kept if sol[self.z[ui, hi]])
        released = {c for c, W in self.W.items() if sol[W]}
        return "optimal", CpResult(values, choice, released, (s.objective_value + self.offset) / SCALE,
                                   {**self.const_facts, **{fid: not sol[n] for fid, n in self.n.items()}})

    def alternatives(self, values: dict[CellKey, int], cap: float, rounds: int,
                     budget: float | None = None) -> tuple[dict[CellKey, set[int]], bool]:
        """Cells that another assignment of this model costing at most ``cap`` changes; and whether the
        search completed (False: ``rounds`` searches, one search's time limit or the ``budget`` of deterministic
        seconds for all of them ran out before uniqueness was proven). The model must hold every assignment
        within ``cap`` (its own cap at least as high). A cell the cap left constant cannot change."""
        if self.infeasible:
            return {}, True
        if self.n or self.W or self.z:
            bound = round(cap * SCALE) - self.offset
            if self.terms:
                t = ProtoText(self.m.proto)
                t.linear(merged(self.terms), [INT_MIN, bound])
                t.flush()
            else:  # (no cost at all: the bound holds or fails as a constant, as OR-Tools adds it)
                self.m.add_bool_or([True] if 0 <= bound else [])
        found: dict[CellKey, set[int]] = {}
        left = self.time_limit * rounds if budget is None else budget
        for _ in range(rounds):
            if left <= 0:
                return found, False
            open_cells = [c for c in self.cells if c not in found and c not in self.fixed]
            if not open_cells:
                return found, True
            trial = self.m.clone()  # (each round on a copy: see reach.movable)
            t = ProtoText(trial.proto)
            bs = []
            for c in open_cells:  # b ⇒ x ≠ its value
                b = t.new_bool()
                v = values[c]
                t.linear({self.x[c]: 1}, [INT_MIN, v - 1, v + 1, INT_MAX], [b])
                bs.append(b)
            t.bool_or(bs)
            t.flush()
            trial.clear_objective()
            s, st = self._run(trial, limit=min(self.time_limit, left), trial=True)
            left -= s.deterministic_time
            if st == INFEASIBLE:
                return found, True
            if st not in (OPTIMAL, FEASIBLE):
                return found, False
            sol = s.solution
            for c in open_cells:
                v = self._value(sol, c)
                if v != values[c]:
                    found.setdefault(c, set()).add(v)
        return found, False
