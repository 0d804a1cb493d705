"""Which options a capped repair model keeps (``Planner.plan``), and a lower bound on the cost of any repair.

A table's repair builds capped models under growing caps (``solve.SLACKS``). What a cap leaves in depends on
each unit's costs and on the cells' readings, which do not change between caps: ``Planner`` works them out
once per table, and each ``plan(room)`` only compares them with the room. ``lower_bound`` gives, from the same
figures, the least extra cost of any assignment, so that caps below it need no model at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from recover.model import CellKey, Unit
from recover.repair.terms import INF, cheapest_other

SCALE = 10  # costs are given in tenths (cpsat.SCALE)


def scaled(cost: float) -> int:
    return round(cost * SCALE)


@dataclass
class Plan:
    """Which options of each unit and cell a capped model keeps."""

    kept: list[list[int]]  # per unit: indices of the hypotheses kept
    override: set[CellKey]  # cells that may be released ("any value")
    blank: set[CellKey]  # cells whose blank default 0 may be given up
    fixed: dict[CellKey, int]  # cells with a single value left: constants of the model
    infeasible: bool  # an equation of constants fails: no assignment within the cap


class Planner:
    """The room-independent figures of one table's units and rules (all in tenths):

    * per unit: each hypothesis's cost above the unit's cheapest (``extra``), and its override cost;
    * per cell: its value under its unit's cheapest hypotheses when they agree (``read``); for a cell that is a
      unit of its own, the least extra cost of a hypothesis reading another value (``alt``); the least extra
      cost of a hypothesis holding it as a soft blank (``soft_extra``);
    * the rules that hold on the readings, and for each of their cells (of single-cell units) those rules."""

    def __init__(self, units: list[Unit], eqs, blank_sc: int):
        self.units, self.eqs, self.blank_sc = units, eqs, blank_sc
        self.costs: list[list[int]] = []  # per unit: each hypothesis's cost
        self.extra: list[list[int]] = []
        self.override_sc: list[int] = []
        self.all_kept: list[list[int]] = []
        self.owner: dict[CellKey, int] = {}
        self.read: dict[CellKey, int] = {}
        self.alt: dict[CellKey, float] = {}  # single-cell units only
        self.soft_extra: dict[CellKey, float] = {}
        self.top = 0  # the largest figure any hypothesis reads (the models' variables range up to a few times it)
        only = [0]  # the extra costs, and the hypotheses kept, of a unit with one hypothesis (shared: never changed)
        for ui, u in enumerate(units):
            if len(u.hypotheses) == 1:  # the common unit (a printed figure, a blank): nothing to weigh
                h = u.hypotheses[0]
                self.costs.append([scaled(h.cost)])
                self.extra.append(only)
                self.all_kept.append(only)
                self.override_sc.append(scaled(u.override_cost))
                for c in u.cells:
                    self.owner[c] = ui
                    if c in h.soft:
                        self.soft_extra[c] = 0
                    v = h.values.get(c)
                    if isinstance(v, int):
                        self.read[c] = v
                        self.top = max(self.top, abs(v))
                        if len(u.cells) == 1:
                            self.alt[c] = INF
                continue
            costs = [scaled(h.cost) for h in u.hypotheses]
            self.costs.append(costs)
            low = min(costs)
            extra = [c - low for c in costs]
            self.extra.append(extra)
            self.all_kept.append(list(range(len(extra))))
            self.override_sc.append(scaled(u.override_cost))
            cheapest = [h for h, e in zip(u.hypotheses, extra) if e == 0]
            self.top = max([self.top] + [abs(v) for h in u.hypotheses for v in h.values.values()
                                         if isinstance(v, int)])
            for c in u.cells:
                self.owner[c] = ui
                soft = [e for h, e in zip(u.hypotheses, extra) if c in h.soft]
                if soft:
                    self.soft_extra[c] = min(soft)
                seen = {h.values.get(c) for h in cheapest}
                if len(seen) == 1 and isinstance(v0 := next(iter(seen)), int):
                    self.read[c] = v0
                    if len(u.cells) == 1:
                        self.alt[c] = min((e for h, e in zip(u.hypotheses, extra) if h.values.get(c) != v0),
                                          default=INF)
        self.base = sum(min(c) for c in self.costs) / SCALE  # the cheapest readings' cost: no assignment costs less
        read = self.read
        holding = [e.lhs + e.rhs for e in eqs if all(c in read for c in e.lhs + e.rhs)
                   and sum(read[c] for c in e.lhs) == sum(read[c] for c in e.rhs)]
        # ``_pin`` works on numbers: the cells of those rules numbered in key order (so that ties between equally
        # cheap changes are broken as sorting (cost, key) pairs would), each rule as its cells' numbers
        self.keys: list[CellKey] = sorted({c for cs in holding for c in cs})
        number = {c: i for i, c in enumerate(self.keys)}
        self.rules: list[list[int]] = [sorted({number[c] for c in cs}) for cs in holding]
        self.rule_sets = [frozenset(r) for r in self.rules]
        # per numbered cell of a single-cell unit: the rules holding it (indices into ``rules``); others: none
        self.of: list[list[int]] = [[] for _ in self.keys]
        for ei, r in enumerate(self.rules):
            for i in r:
                if self.keys[i] in self.alt:
                    self.of[i].append(ei)
        self.judged = [i for i, rs in enumerate(self.of) if rs]

    def _step(self, c: CellKey, room: int | None, override: bool, blank: bool) -> float:
        """The least cost (tenths) of cell ``c`` (a unit of its own, read) taking another value within ``room``."""
        a = self.alt[c]
        d = a if room is None or a <= room else INF
        if override:
            d = min(d, self.override_sc[self.owner[c]])
        if blank:  # giving up a blank's 0: on top of the cheapest hypothesis holding the blank
            d = min(d, self.soft_extra[c] + self.blank_sc)
        return d

    def lower_bound(self) -> float:
        """Least cost (tenths) above the cheapest readings of any assignment satisfying every rule: each rule the
        readings break needs a changed cell, at least that cell's cheapest change (0 in a joint reading: a row's
        placements move several cells for one cost); over rules sharing no cell these add up."""
        need = []
        for e in self.eqs:
            cs = e.lhs + e.rhs
            if not all(c in self.read for c in cs) or \
                    sum(self.read[c] for c in e.lhs) == sum(self.read[c] for c in e.rhs):
                continue
            least = min(self._step(c, None, True, c in self.soft_extra) if c in self.alt else 0.0 for c in cs)
            need.append((least, frozenset(cs)))
        total, used = 0.0, set[CellKey]()
        for cost, cs in sorted(need, key=lambda t: -t[0]):
            if not cs & used:
                total += cost
                used |= cs
        return total

    def plan(self, room: int | None) -> Plan:
        """Leave out every option that costs more than ``room`` (tenths) above its unit's cheapest hypothesis,
        then pin cells that cannot change within ``room`` at all: a cell read the same by its cheapest readings
        whose change costs at least d, in equations that hold on the cheapest readings, needs another changed
        cell in each of them; over equations sharing no other cell those costs add up. A cell whose least total
        exceeds the room keeps its cheapest reading only. Repeated until nothing more is pinned (pinned cells
        cannot compensate). Exact: every assignment within the room keeps its options."""
        units = self.units
        override: set[CellKey] = set()
        blank: set[CellKey] = set()
        kept: list[list[int]] = []
        for ui, u in enumerate(units):
            extra = self.extra[ui]
            kept.append(self.all_kept[ui] if room is None or max(extra) <= room
                        else [hi for hi, e in enumerate(extra) if e <= room])
            if room is None or self.override_sc[ui] <= room:
                override.update(u.cells)
        if room is None or self.blank_sc <= room:
            blank = {c for c, e in self.soft_extra.items() if room is None or e <= room}
        if room is not None:
            self._pin(room, kept, override, blank)
        fixed: dict[CellKey, int] = {}
        for ui, u in enumerate(units):
            if len(kept[ui]) != 1:
                continue
            h = u.hypotheses[kept[ui][0]]
            for c in u.cells:
                v = h.values.get(c)
                if isinstance(v, int) and c not in override and not (c in blank and c in h.soft):
                    fixed[c] = v
        infeasible = any(all(c in fixed for c in e.lhs + e.rhs)
                         and sum(fixed[c] for c in e.lhs) != sum(fixed[c] for c in e.rhs) for e in self.eqs)
        return Plan(kept, override, blank, fixed, infeasible)

    def _pin(self, room: int, kept: list[list[int]], override: set[CellKey], blank: set[CellKey]) -> None:
        """The pinning of ``plan``, in rounds: each round judges its cells against the rules' two cheapest cells
        as they stood at the round's start; a later round judges again only the cells of rules whose two cheapest
        cells changed (the others would be judged as before), and a rule none of whose cells is left to judge is
        not looked at again. Cells by number (``keys``)."""
        keys, of, rules, sets = self.keys, self.of, self.rules, self.rule_sets
        step = [0.0] * len(keys)  # (a cell of a joint reading: 0, its unit may change it for nothing)
        for i in self.judged:
            c = keys[i]
            step[i] = self._step(c, room, c in override, c in blank)
        lows = [_low2(r, step) for r in rules]
        todo = list(self.judged)
        while todo:
            pinned: list[int] = []
            for i in todo:
                own = step[i]
                if own > room:
                    continue  # (a cell whose own change exceeds the room has that option left out already; INF too)
                costs = [cheapest_other(lows[ei], i) for ei in of[i]]
                if own + max(costs) > room:  # the dearest rule alone (the sum below starts with it)
                    pinned.append(i)
                    continue
                need = sorted(zip(costs, (sets[ei] - {i} for ei in of[i])), key=lambda t: -t[0])
                total, used = own, set[int]()
                for cost, others in need:
                    if not others & used:
                        total += cost
                        used |= others
                if total > room:
                    pinned.append(i)
            for i in pinned:
                c = keys[i]
                ui = self.owner[c]
                if len(kept[ui]) > 1:  # (a unit of one hypothesis keeps it: its extra cost is 0)
                    kept[ui] = [hi for hi in kept[ui] if self.extra[ui][hi] == 0]
                override.discard(c)
                blank.discard(c)
                step[i] = INF
            changed = {ei for i in pinned for ei in of[i]}
            todo = []
            seen: set[int] = set()
            for ei in sorted(changed):
                judged = [j for j in rules[ei] if of[j] and step[j] != INF]
                if not judged:
                    continue  # every cell of the rule is pinned: its two cheapest are never asked for again
                new = _low2(rules[ei], step)
                if new != lows[ei]:
                    lows[ei] = new
                    todo += [j for j in judged if j not in seen]
                    seen.update(rules[ei])


def _low2(cells: list[int], step: list[float]) -> list[tuple[float, int]]:
    """The two cheapest changes among ``cells`` (numbers), cheapest first, as ``sorted(...)[:2]`` would give them
    (ties by number), in one pass."""
    first: tuple[float, int] | None = None
    second: tuple[float, int] | None = None
    for d in cells:
        t = (step[d], d)
        if first is None:
            first = t
        elif t < first:
            second = first
            first = t
        elif second is None or t < second:
            second = t
    assert first is not None  # (a rule has cells)
    return [first] if second is None else [first, second]


def plan(units: list[Unit], eqs, room: int | None, blank_sc: int) -> Plan:
    """``Planner(units, eqs, blank_sc).plan(room)``: the options a model capped at ``room`` keeps."""
    return Planner(units, eqs, blank_sc).plan(room)
