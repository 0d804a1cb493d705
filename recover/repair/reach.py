"""Which cells can change at all within the ambiguity margin of an assignment: a sign relaxation of the repair.

It is used around an optimum (before the uniqueness searches) and around an upper bound (an assignment found
on the cheapest readings, priced with every option by ``reprice``: the optimum and every assignment within the
margin of it cost at most that bound plus the margin, so they differ from it only on the cells found here).

The uniqueness proof (``RepairModel.alternatives``) searches for assignments within the margin of the optimum
x* that change a cell. Before it, this module bounds where such an assignment can differ from x*, on a model
without arithmetic: each cell may move up, down or not at all, and

* a move costs at least the cheapest option of the cell's evidence unit that allows it, minus what x* pays
  for that unit (negative where x* gave up a reading: the repair's own fixes can be undone); a unit whose
  cells keep their values costs no less than x* pays for it, since x* pays the least its unit allows for
  those values (true of an optimum; ``reprice`` makes it true of an upper bound);
* a rule Σ lhs = Σ rhs in which a cell moves its side up needs another cell moving it back (the same side
  down or the other side up): exactly what the integer rule requires of the signs of the changes;
* a cell at 0 cannot move down (figures are not negative);
* a narrative figure x* breaks may be met again, for its cost back, only by moving one of its cells.

Every real alternative is a solution of this relaxation at no more than its real cost, so a cell that no
relaxed solution within the margin moves keeps its value in every alternative: the exact search may treat
it as a constant. The relaxation is all Booleans and tiny; it settles in milliseconds where the exact search
over hundreds of cheap misreadings took a tenth of a second per round (an OCR markdown table whose zeros
each carry six misreadings).
"""

from __future__ import annotations

from recover.model import CellKey, Hypothesis, Unit
from recover.repair.cpmodel import FEASIBLE, INFEASIBLE, OPTIMAL, IntVar, LinearExpr, Model, Solver, lsum
from recover.repair.cpsat import SCALE, scaled
from recover.repair.terms import BLANK_OVERRIDE, NARRATIVE_COST

NEVER = 1e6  # the override cost of a pinned unit: above any cap, so never released
# deterministic seconds for all the relaxation's searches; past it no cell is ruled out. 淮安's table 三 scanned at
# 150 dpi (1 347 option literals) needs 1.4 (31 searches); its exact proof then completes in 14 s on the 63 cells
# left, where on the whole table it ran out of its budget after 36 s and every cell was flagged
RELAX_TIME = 2.0


BLANK_SC, FACT_SC = scaled(BLANK_OVERRIDE), scaled(NARRATIVE_COST)


FREE, ABOVE, BELOW, NEGATIVE, SAME = range(5)
NEVER_SC = scaled(NEVER)


def _sign(v, x: int) -> int:
    """What a hypothesis reading ``v`` says of a cell at ``x``: nothing read (FREE), ABOVE, BELOW (not negative),
    NEGATIVE, the SAME."""
    if not isinstance(v, int):
        return FREE
    if v > x:
        return ABOVE
    if 0 <= v < x:
        return BELOW
    return NEGATIVE if v < 0 else SAME


def unit_cost(u: Unit, h: Hypothesis, values: dict[CellKey, int], released: set[CellKey]) -> int:
    """What an assignment pays (scaled) for unit ``u`` read as ``h`` with cell ``values``: the hypothesis, each
    released cell's override, each blank whose 0 was given up."""
    cost = scaled(h.cost)
    for c in u.cells:
        v = h.values.get(c)
        if c in released:
            cost += scaled(u.override_cost)
        elif isinstance(v, int) and values[c] != v and c in h.soft:
            cost += BLANK_SC
    return cost


def movable(cells: list[CellKey], units: list[Unit], eqs, facts, values: dict[CellKey, int],
            choice: dict[int, int], released: set[CellKey], facts_held: dict[str, bool], frozen: set[CellKey],
            cost_sc: int, margin_sc: int) -> set[CellKey] | None:
    """The cells some assignment costing at most ``margin_sc`` (scaled) more than the assignment ``values``
    (scaled cost ``cost_sc``, unit choices ``choice``, released cells ``released``: an optimum, or an upper bound
    priced by ``reprice``) may change; a superset of the cells any such assignment changes. ``frozen``: cells
    already known not to change within the margin (a capped model's constants). None: the assignment's cost
    could not be accounted for, or the relaxation ran out of time (then nothing is ruled out)."""
    m = Model()
    up: dict[CellKey, IntVar] = {}
    down: dict[CellKey, IntVar] = {}
    terms: list[tuple[int, IntVar]] = []
    offset = 0  # minus what the assignment pays for the units modelled by option literals
    accounted = 0  # the assignment's cost, rebuilt unit by unit: must equal cost_sc

    def move(c: CellKey, upward: bool) -> IntVar:
        d = up if upward else down
        if c in frozen:
            return m.new_constant(0)
        if c not in d:
            d[c] = m.new_bool()
        return d[c]

    owned: set[CellKey] = set()
    for ui, u in enumerate(units):
        override = scaled(u.override_cost)
        base = unit_cost(u, u.hypotheses[choice[ui]], values, released)
        owned.update(u.cells)
        accounted += base
        if len(u.cells) == 1:
            c = u.cells[0]
            if c in frozen:
                continue
            x = values[c]
            # the cheapest option leaving the cell free (``loose``: released, a blank's 0 given up, nothing read),
            # and the cheapest reading above and below x (NEVER_SC: none)
            loose = over = under = NEVER_SC
            for h in u.hypotheses:
                hc = scaled(h.cost)
                v = h.values.get(c)
                loose = min(loose, hc + override, hc + BLANK_SC if c in h.soft else NEVER_SC,
                            hc if not isinstance(v, int) else NEVER_SC)
                if isinstance(v, int):
                    if v > x:
                        over = min(over, hc)
                    elif 0 <= v < x:
                        under = min(under, hc)
            for upward, best in ((True, min(loose, over)), (False, min(loose if x > 0 else NEVER_SC, under))):
                if best < NEVER_SC:
                    terms.append((best - base, move(c, upward)))
            continue
        # a joint reading (a row's placements, a glued run's cuts): one literal per hypothesis, and per cell
        # "any value" (released, or a blank's 0 given up) at the cheaper of the two
        offset -= base
        # the relaxation sees a hypothesis only through its cost and what it reads for each cell against x (free,
        # above, below, negative, the same): hypotheses alike in that are one option at the cheapest's cost (a
        # glued row's hundreds of cuts fall into a few dozen)
        cheapest: dict[tuple[int, ...], int] = {}
        xs = [(c, values[c]) for c in u.cells]
        for h in u.hypotheses:
            hv = h.values
            sign = tuple([_sign(hv.get(c), x) for c, x in xs])
            cost = scaled(h.cost)
            if cost < cheapest.get(sign, NEVER_SC):
                cheapest[sign] = cost
        signs = list(cheapest)
        zs = [m.new_bool() for _ in signs]
        m.add_exactly_one(zs)
        for sign, z in zip(signs, zs):
            terms.append((cheapest[sign], z))
        for ci, c in enumerate(u.cells):
            x = values[c]
            soft = any(c in h.soft for h in u.hypotheses)
            a = m.new_bool()
            terms.append((min(override, BLANK_SC) if soft else override, a))
            # the options by what they read for c
            free, above, below, negative, same = ([z for sign, z in zip(signs, zs) if sign[ci] == k] for k in range(5))
            # exactly one hypothesis holds, so each class's sum is 0 or 1: reading c above (below) x moves it up
            # (down) unless c is released, reading x keeps it, a negative reading needs the release; a move needs
            # a hypothesis that allows it, or the release
            up_c = move(c, True)
            down_c = move(c, False) if x > 0 else None
            if above:
                m.add_linear(lsum(above) <= up_c + a)
            if below:  # (a reading below x means x > 0: down_c exists)
                m.add_linear(lsum(below) <= down_c + a)  # type: ignore[operator]
            if negative:
                m.add_linear(lsum(negative) <= a)
            if same:
                m.add_linear(lsum(same) + up_c <= 1 + a)
                if down_c is not None:
                    m.add_linear(lsum(same) + down_c <= 1 + a)
            m.add_linear(up_c <= a + lsum(above + free))
            if down_c is not None:
                m.add_linear(down_c <= a + lsum(below + free))
    for c in cells:  # a cell no unit reads: any value, free
        if c not in owned:
            move(c, True)
            if values[c] > 0:
                move(c, False)
    for f in facts:
        if facts_held.get(f.id, True):
            continue
        accounted += FACT_SC
        g = m.new_bool()
        terms.append((-FACT_SC, g))
        m.add_bool_or([d[c] for c in f.cells for d in (up, down) if c in d]).only_enforce_if(g)
    if accounted != cost_sc:
        return None
    for c in set(up) & set(down):
        m.add_at_most_one([up[c], down[c]])
    for e in eqs:
        coef: dict[CellKey, int] = {}
        for c in e.lhs:
            coef[c] = coef.get(c, 0) + 1
        for c in e.rhs:
            coef[c] = coef.get(c, 0) - 1
        # the moves raising the left side against the right (pos) and lowering it (neg). A move needs a move of
        # another cell the other way; a cell cannot move both ways (at most one of up, down), so "another cell's"
        # is "any" such move: Σ pos > 0 ⇒ Σ neg > 0 and the converse, one linear constraint each way
        pos = [lit for c, k in coef.items() if k and (lit := (up if k > 0 else down).get(c)) is not None]
        neg = [lit for c, k in coef.items() if k and (lit := (down if k > 0 else up).get(c)) is not None]
        for these, back in ((pos, neg), (neg, pos)):
            if these:
                m.add_linear(lsum(these) <= len(these) * lsum(back))
    m.add_linear(LinearExpr.weighted_sum([v for _, v in terms], [k for k, _ in terms]) + offset
                 <= margin_sc)
    moves = [(c, lit) for d in (up, down) for c, lit in d.items()]
    found: set[CellKey] = set()
    left = RELAX_TIME
    while True:
        open_moves = [lit for c, lit in moves if c not in found]
        if not open_moves:
            return found
        # (a copy with this round's clause alone: the earlier rounds' clauses, implied by it, left in the model
        # cost the search more than the copy saves: Shanghai STC's five rounds took 5.0 deterministic ms, not 4.0)
        trial = m.clone()
        trial.add_bool_or(open_moves)
        s = Solver()
        s.parameters.num_workers = 1
        s.parameters.cp_model_presolve = False
        s.parameters.linearization_level = 0  # propagation only: 淮安's relaxation 1.4 deterministic s, 3+ with the LP
        s.parameters.max_deterministic_time = left
        s.parameters.random_seed = 0
        s.parameters.cp_model_probing_level = 0  # (as in cpsat.RepairModel: these cost more than they save)
        s.parameters.symmetry_level = 0
        # clause inprocessing (vivification, subsumption between restarts) does not pay on these small searches:
        # off, Shanghai STC's relaxation rounds take 1.0-1.5 ms instead of 2.1-2.3 (the uniqueness searches of
        # cpsat.py keep it: their hard infeasibility proofs, a glued report's 5-20 ms, take half as long with it)
        s.parameters.use_sat_inprocessing = False
        st = s.solve(trial)
        left -= s.deterministic_time
        if st == INFEASIBLE:
            return found
        if st not in (OPTIMAL, FEASIBLE) or left <= 0:
            return None
        sol = s.solution
        found |= {c for c, lit in moves if sol[lit.index]}


def reprice(units: list[Unit], values: dict[CellKey, int],
            facts) -> tuple[dict[int, int], set[CellKey], dict[str, bool], int]:
    """The cheapest way for ``units`` to give their cells ``values``: per unit the hypothesis (index) and the
    cells it must release, whether each narrative figure holds, and the total (scaled). An assignment found on a
    model with fewer options (the cheapest readings only) may pay more for its values than ``units`` ask: the
    relaxation measures moves from what each unit pays at best, or it would miss those savings."""
    choice: dict[int, int] = {}
    released: set[CellKey] = set()
    total = 0
    for ui, u in enumerate(units):
        override = scaled(u.override_cost)
        blank = BLANK_SC <= override  # (giving up a blank's 0 is the cheaper way to change a soft cell)
        xs = [(c, values[c]) for c in u.cells]
        best, best_hi = 1 << 62, 0  # (an int above any scaled cost: the first hypothesis is taken)
        for hi, h in enumerate(u.hypotheses):
            cost = scaled(h.cost)
            for c, x in xs:
                v = h.values.get(c)
                if isinstance(v, int) and v != x:
                    cost += BLANK_SC if blank and c in h.soft else override
            if cost < best:
                best, best_hi = cost, hi
        h = u.hypotheses[best_hi]
        total += best
        choice[ui] = best_hi
        released.update(c for c, x in xs if isinstance(v := h.values.get(c), int) and v != x
                        and not (blank and c in h.soft))
    held = {f.id: sum(values[c] for c in f.cells) == f.value for f in facts}
    total += FACT_SC * sum(not h for h in held.values())
    return choice, released, held, total


def pinned(units: list[Unit], values: dict[CellKey, int], choice: dict[int, int], released: set[CellKey],
           can: set[CellKey]) -> list[Unit]:
    """The units with every unit none of whose cells is in ``can`` reduced to the assignment's reading of it (an
    optimum, or a repriced upper bound): one hypothesis giving its cells their values at what the assignment pays
    for it, nothing to release. The exact search then sees those cells as constants (``plan.Planner``)."""
    out = []
    for ui, u in enumerate(units):
        if any(c in can for c in u.cells):
            out.append(u)
            continue
        h = u.hypotheses[choice[ui]]
        cost = unit_cost(u, h, values, released) / SCALE
        out.append(Unit(u.cells, u.tokens, [Hypothesis({c: values[c] for c in u.cells}, h.observed, cost, h.why)],
                        u.reliable, NEVER))
    return out
