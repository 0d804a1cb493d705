"""Give every cell its value, status, confidence and a one-sentence reason from the solution."""

from __future__ import annotations

from recover.model import Cell, CellKey, Check, Status, Unit
from recover.ocr.engine import SURE_CONF
from recover.reconstruct.placement import TRUNCATED, UNPLACED
from recover.repair.offer import as_read
from recover.repair.solve import NARRATIVE_COST, Equation, Fact, Solution, holds
from recover.repair.terms import Tie


CONFIDENCE = {Status.ok: 0.99, Status.corrected: 0.75, Status.inferred: 0.85,
              Status.source_inconsistent: 0.6, Status.ambiguous: 0.3, Status.missing: 0.0}


QUOTED = 24  # characters of a printed text quoted in a reason; a longer one is shortened, its length said


def _quote(text: str) -> str:
    """``text`` quoted for a reason: whole when short, else its ends and its length ('7777…7777', 3000 characters)."""
    if len(text) <= QUOTED:
        return f"'{text}'"
    return f"'{text[:QUOTED // 2]}…{text[-QUOTED // 2:]}' ({len(text):,} characters)"


def _fmt_rules(ids: list[str]) -> str:
    return ", ".join(ids[:3]) + ("…" if len(ids) > 3 else "")


def assign(cells: dict[CellKey, Cell], units: list[Unit], sol: Solution, eqs: list[Equation]) -> None:
    """Fill value/observed/status/reason of the constrained cells (tables 三 and 四)."""
    rules_of: dict[CellKey, list[str]] = {}
    for e in eqs:
        for c in e.lhs + e.rhs:
            rules_of.setdefault(c, []).append(e.id)
    where: dict[CellKey, tuple[Unit, int]] = {}
    for ui, u in enumerate(units):
        for c in u.cells:
            where[c] = (u, ui)
    # without search every equation held on the readings (the fast path's proof)
    read = as_read(units, sol.choice, sol.values) if sol.solver_used else {}
    broken_eqs = {e.id for e in eqs if not holds(e, read)} if sol.solver_used else set()
    for key, cell in cells.items():
        if key not in sol.values:
            continue
        x = sol.values[key]
        cell.value = x
        cell.rules = rules_of.get(key, [])
        if key not in where:
            cell.observed = None
            cell.status = Status.missing if key in sol.ambiguous else Status.inferred
            cell.reason = (f"not printed; rules {_fmt_rules(cell.rules)} leave it open" if key in sol.ambiguous
                           else f"not printed; rules {_fmt_rules(cell.rules)} require {x}")
            _finish(cell, sol, key)
            continue
        u, ui = where[key]
        h = u.hypotheses[sol.choice[ui]]
        v, obs = h.values.get(key), h.observed.get(key)
        cell.observed = obs
        if len(u.tokens) < 2:  # (one token: the cell's; its page and box are placed by the pipeline)
            cell.tokens = u.tokens
        else:
            tok = next((t for t in u.tokens if t.text == obs), u.tokens[0])
            cell.tokens = (tok, *(t for t in u.tokens if t is not tok))
        broken = [r for r in cell.rules if r in broken_eqs]
        if v is None:
            cell.status = Status.inferred
            what = _quote(obs) if obs else ("a blank" if obs == "" else "nothing")
            cell.reason = f"{what} printed where a figure belongs; rules {_fmt_rules(cell.rules)} require {x}"
        elif x == v:
            cost_here = h.cost if len(u.cells) == 1 and not h.notation else 0.0
            if cost_here > 0:
                cell.status = Status.corrected
                cell.reason = f"{h.why}; chosen because rules {_fmt_rules(cell.rules)} hold with it"
            elif TRUNCATED in h.why:  # the alternatives could not all be weighed: not proven
                cell.status = Status.ambiguous
                cell.reason = (f"the printed values fit these cells in more ways than were weighed "
                               f"({len(u.hypotheses)}+); read '{obs}'")
            elif UNPLACED in h.why:  # a scanned grid lost a column rule: where its blanks go is a guess
                cell.status = Status.ambiguous
                cell.reason = f"read '{obs}' in a scanned table whose columns did not match the template's"
            else:
                cell.status = Status.ok
                if h.notation:
                    cell.reason = h.why
                elif len(u.cells) > 1 and len(u.hypotheses) > 1:
                    cell.reason = f"{h.why} (the only placement consistent with the arithmetic at least cost)"
        elif key in h.soft or (h.observed.get(key) == "" and h.values.get(key) == 0):  # a blank read as 0
            cell.status = Status.inferred
            cell.reason = f"printed blank (read as 0), but rules {_fmt_rules(broken or cell.rules)} require {x}"
        elif u.reliable:
            cell.status = Status.source_inconsistent
            cell.reason = (f"printed {obs}, but rules {_fmt_rules(broken or cell.rules)} require {x}: "
                           "an error in the published table")
        else:
            cell.status = Status.corrected
            cell.reason = f"read '{obs}', but rules {_fmt_rules(broken or cell.rules)} require {x}"
        _finish(cell, sol, key)
    _compensated(cells, units, eqs)


CHANGED = (Status.corrected, Status.inferred, Status.source_inconsistent)


def _compensated(cells: dict[CellKey, Cell], units: list[Unit], eqs: list[Equation]) -> None:
    """Cells ok by a placement (a row's figures spread over its cells in one of several ways) that the arithmetic
    confirms only with another cell of the same rule changed from what was read: the agreement was bought by that
    change, and a misreading there could have paid for a wrong placement here (a table 四 read without its column
    rules, its figures shifted, its total 'corrected' to their sum). They are flagged ambiguous."""
    changed = {k for k, c in cells.items() if c.status in CHANGED}
    if not changed:
        return
    rules_of: dict[CellKey, list[Equation]] = {}
    for e in eqs:
        for c in e.lhs + e.rhs:
            rules_of.setdefault(c, []).append(e)
    for u in units:
        if len(u.cells) < 2 or len(u.hypotheses) < 2:
            continue
        ok = [k for k in u.cells if k in cells and cells[k].status is Status.ok]
        bought = sorted({c for k in ok for e in rules_of.get(k, []) for c in e.lhs + e.rhs if c in changed})
        if not ok or not bought:
            continue
        for k in ok:
            cell = cells[k]
            cell.status = Status.ambiguous
            cell.reason = (f"placed where the printed figures fit, but the rules hold only with "
                           f"{', '.join(f'{c[1]}.{c[2]}' for c in bought[:2])} changed from its reading")
            cell.confidence = CONFIDENCE[cell.status]


def _finish(cell: Cell, sol: Solution, key: CellKey) -> None:
    if key in sol.ambiguous:
        alts = sorted(sol.ambiguous[key])
        cell.also_fits = tuple(alts)
        if cell.status is Status.source_inconsistent:  # flagged already: say what else would fit
            cell.reason = (f"{cell.reason}; {', '.join(map(str, alts[:4]))} would also fit the arithmetic at "
                           "nearly the same cost")
        else:
            if cell.status is not Status.missing:
                cell.status = Status.ambiguous
            cell.reason = (f"value {cell.value} is not unique: {', '.join(map(str, alts[:4]))} fit the "
                           f"arithmetic at the same or nearly the same cost; observed {cell.observed!r}")
    cell.confidence = CONFIDENCE[cell.status]


def choose_unconstrained(cells: dict[CellKey, Cell], units: list[Unit], facts: list[Fact],
                         ties: list[Tie] | None = None) -> None:
    """Cells no arithmetic ties (table 二): the cheapest reading, a narrative figure, or a neighbouring year's
    report (``ties`` whose cells all belong to one unit: a glued 制发|废止|现行有效 run), counting as soft evidence
    (NARRATIVE_COST per contradiction); ties between different values are ambiguous. A cell a neighbouring report
    settled says so in its reason."""
    said = {f.cells[0]: f.value for f in facts if len(f.cells) == 1}

    def cost(h, ties_here) -> float:
        return (h.cost + sum(NARRATIVE_COST for c, v in h.values.items() if c in said and v != said[c])
                + sum(NARRATIVE_COST for t in ties_here if t.broken_by(h.values)))

    for u in units:
        mine = [t for t in ties or () if all(c in u.cells for c, _ in t.terms)]
        best = min(cost(h, mine) for h in u.hypotheses)
        top = sorted((h for h in u.hypotheses if cost(h, mine) - best < 1e-6), key=lambda h: h.cost)
        h = top[0]
        settled: list[Tie] = []
        if mine:  # did the neighbours choose? (without them, other readings were as cheap)
            alone = min(cost(o, []) for o in u.hypotheses)
            if len({tuple(sorted(o.values.items(), key=str)) for o in u.hypotheses if cost(o, []) - alone < 1e-6}) > 1:
                settled = [t for t in mine if not t.broken_by(h.values)]
        for c in u.cells:
            cell = cells[c]
            cell.value, cell.observed, cell.tokens = h.values.get(c), h.observed.get(c), u.tokens
            alts = sorted({str(o.values.get(c)) for o in top if o.values.get(c) != cell.value})
            if alts:
                cell.status = Status.ambiguous
                cell.reason = (f"'{' '.join(t.text for t in u.tokens)}' can be cut or read several ways with "
                               f"nothing to choose between them: {cell.value} or {', '.join(alts[:4])}")
            elif cell.value is None:
                cell.status = Status.missing
                cell.reason = (f"{_quote(cell.observed)} printed, which is no figure" if cell.observed else
                               "nothing usable was printed for this cell")
            elif doubtful := [t for t in u.tokens if t.conf is not None and t.conf < SURE_CONF]:
                cell.status = Status.ambiguous  # no rule can catch a misreading here: an unsure one is flagged
                cell.reason = (f"read '{doubtful[0].text}' with OCR confidence {doubtful[0].conf:.2f} (a digit may be "
                               "lost or misread) in a table no rule checks")
            elif second := [a for t in u.tokens for a in t.alternatives if a != t.text]:
                cell.status = Status.ambiguous  # two readings of the cell disagree and no rule can choose
                cell.reason = (f"read '{u.tokens[0].text}', read again as '{second[0]}'; no rule of this table "
                               "can choose between them")
            elif h.cost > 0 and len(u.cells) == 1 and not h.notation:
                cell.status = Status.corrected
                cell.reason = h.why
            else:
                cell.status = Status.ok
                cell.reason = h.why if h.notation else cell.reason
            if settled and cell.status is not Status.ambiguous:
                cell.reason = f"{cell.reason or h.why}; {settled[0].explain(h.values)}"
            cell.confidence = CONFIDENCE[cell.status]


def checks(cells: dict[CellKey, Cell], eqs: list[Equation], facts: list[Fact]) -> list[Check]:
    out = []
    for e in eqs:
        lv = [cells[c].value for c in e.lhs]
        rv = [cells[c].value for c in e.rhs]
        if any(not isinstance(v, int) for v in lv + rv):
            out.append(Check(e.id, False, "cannot be checked: a cell has no value"))
            continue
        a, b = sum(lv), sum(rv)  # type: ignore[arg-type]
        out.append(Check(e.id, a == b, f"{a} = {b}" if a == b else f"{a} ≠ {b}"))
    for f in facts:
        held = False
        said = []
        for group in (f.cells, f.cells + f.or_plus) if f.or_plus else (f.cells,):
            vals = [cells[c].value for c in group]
            v = sum(vals) if all(isinstance(x, int) for x in vals) else None  # type: ignore[arg-type]
            held = held or v == f.value
            said.append(f"{' + '.join(f'{c[1]}.{c[2]}' for c in group)} is {v}")
        out.append(Check(f.id, held, f"{f.source} says {f.value} ('{f.sentence}'); table {' or '.join(said)}"))
    return out
