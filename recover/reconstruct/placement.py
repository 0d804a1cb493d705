"""Hypotheses for how a row's value tokens fill its cells.

When a row shows exactly as many values as it has cells, the placement is certain. Otherwise the row
is a puzzle with several answers: a lost blank shifts later values left (choose where the gaps are),
a glued digit run covers several cells (choose the cut), an extra value was printed (choose which one
to drop). Each answer is a hypothesis with a cost; the arithmetic in the repair stage chooses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import combinations
from math import comb

from recover.read.values import split_runs

INTEGER = re.compile(r"^[-−]?\d+$")
POSITION_COST = 0.5  # per column a value sits away from where the line's separators put it
SPLIT_COST = 1.5  # per extra cell cut out of one digit run, when the text is not glued throughout
DROP_COST = 1.0  # per printed value left unused
MAX_GLUED_GAPS = 3  # glued text rarely loses more than a few cells of one row
GLUED_GAP_COST = 2.0  # per cell left empty in glued text, where blanks cannot be seen at all
MAX_HYPOTHESES = 400
MAX_DROPS = 200_000  # ways of leaving values out of a row beyond which only runs of consecutive values are weighed
TRUNCATED = " [one of too many equally good placements]"
UNPLACED = " [a scanned grid whose columns could not be matched to the template: blanks' places unknown]"


@dataclass(slots=True, unsafe_hash=True, init=False)
class Slot:
    """What a hypothesis puts in one cell: a token (or part of one), a blank, or nothing. Not changed once made
    (not frozen: a glued row makes thousands, and a frozen dataclass cannot have a compiled ``__init__``: see
    recover.model)."""

    kind: str  # "token" | "part" | "gap"
    token: int = -1  # index into the row's tokens (-1 for a gap)
    value: int | None = None  # for parts of a split run

    def __init__(self, kind: str, token: int = -1, value: int | None = None) -> None:
        self.kind = kind
        self.token = token
        self.value = value


@dataclass(slots=True, unsafe_hash=True, init=False)
class Placement:
    """A placement of a row's tokens into its cells; not changed once made (as Slot)."""

    slots: tuple[Slot, ...]
    cost: float
    why: str

    def __init__(self, slots: tuple[Slot, ...], cost: float, why: str) -> None:
        self.slots = slots
        self.cost = cost
        self.why = why


def place(texts: list[str], n: int, positions: list[int | None] | None = None, glued: bool = False,
          consistent: Callable[[list[int | None]], bool] | None = None,
          whole: list[bool] | None = None, drop_costs: list[float] | None = None) -> list[Placement]:
    """Placements of k value tokens into n cells, cheapest first.

    ``positions`` gives each token's column as printed (None: unknown); ``glued`` says the text lost
    its separators, so cutting digit runs is expected rather than a repair. ``consistent`` tests the
    integer values of a split against arithmetic that lies within the row; splits that fail it are
    kept only when no split passes. ``whole`` marks tokens never cut (a scanned grid cell holds one number:
    its digits do not belong to the cells beside it). ``drop_costs``: what leaving each token unused costs
    (default DROP_COST each): a clean figure is firmer evidence than a stray mark.
    """
    k = len(texts)
    pos = positions or [None] * k
    if k == n:
        return [Placement(tuple(Slot("token", i) for i in range(n)), 0.0, "one value per cell")]
    if k > n:
        if comb(k, n) > MAX_DROPS:  # far more values than cells (a page's markup read as a row): the runs of n
            # consecutive values only, none of them proven (every cell flagged)
            return [Placement(tuple(Slot("token", i) for i in range(s, s + n)), DROP_COST * (k - n),
                              f"{k} values for {n} cells: values #{s + 1}-#{s + n}{TRUNCATED}")
                    for s in range(min(k - n + 1, MAX_HYPOTHESES))]
        out = []
        for drop in combinations(range(k), k - n):
            keep = [i for i in range(k) if i not in drop]
            cost = sum(drop_costs[i] if drop_costs else DROP_COST for i in drop) + _pos_cost([pos[i] for i in keep])
            out.append(Placement(tuple(Slot("token", i) for i in keep), cost,
                                 f"{k} values for {n} cells: dropped value #{', #'.join(str(d + 1) for d in drop)}"))
        return sorted(out, key=lambda p: p.cost)[:MAX_HYPOTHESES]
    # (cost, how to make the placement): a glued row has thousands, of which MAX_HYPOTHESES are kept and made
    found = list(_fill(texts, n, pos, glued, consistent, whole or [False] * k))
    found.sort(key=lambda t: t[0])
    if len(found) > MAX_HYPOTHESES:
        kept = [make() for _, make in found[:MAX_HYPOTHESES]]
        if found[MAX_HYPOTHESES][0] - found[0][0] < 1e-9:  # equally good placements were cut: nothing is proven
            kept = [Placement(p.slots, p.cost, p.why + TRUNCATED) for p in kept]
        return kept
    return [make() for _, make in found]


def _pos_cost(pos: list[int | None]) -> float:
    return sum(POSITION_COST * abs(p - c) for c, p in enumerate(pos) if p is not None)


def _fill(texts: list[str], n: int, pos: list[int | None], glued: bool,
          consistent: Callable[[list[int | None]], bool] | None,
          whole: list[bool]) -> Iterator[tuple[float, Callable[[], Placement]]]:
    """k < n: each token takes a span of cells (span > 1 only for digit runs); leftover cells are gaps."""
    k = len(texts)
    max_span = [min(len(t.lstrip("-−")), n) if INTEGER.match(t) and not w else 1 for t, w in zip(texts, whole)]

    def spans(i: int, left: int) -> Iterator[tuple[int, ...]]:
        if i == k:
            yield ()
            return
        lo = left if i == k - 1 else 1
        for s in range(lo, min(max_span[i], left - (k - i - 1)) + 1):
            for rest in spans(i + 1, left - s):
                yield (s,) + rest

    cuts: dict[tuple[int, int], list[tuple[int, ...]]] = {}  # (token, parts) -> its cuts: spans share them

    def cut(i: int, s: int) -> list[tuple[int, ...]]:
        if (i, s) not in cuts:
            cuts[i, s] = split_runs(texts[i], s)
        return cuts[i, s]

    found_at: int | None = None
    for gaps in range(n - k + 1):  # fewest unprinted cells first
        if found_at is not None and gaps > found_at + 1:
            break
        if glued and gaps > MAX_GLUED_GAPS:
            break
        for sp in spans(0, n - gaps):
            split_parts = [cut(i, s) if s > 1 else [None] for i, s in enumerate(sp)]
            if any(not p for p in split_parts):
                continue
            cut_cost = sum(s - 1 for s in sp) * (0.0 if glued else SPLIT_COST)
            for starts in _starts(sp, n):
                cost = cut_cost + sum(POSITION_COST * abs(p - st) for p, st in zip(pos, starts) if p is not None)
                if glued:
                    cost += GLUED_GAP_COST * gaps
                for make, ok in _expand(texts, sp, starts, split_parts, n, cost, consistent, gaps):
                    if ok and found_at is None:
                        found_at = gaps
                    yield cost, make


def _starts(sp: tuple[int, ...], n: int) -> Iterator[tuple[int, ...]]:
    """Start cell of each token, in order, leaving gaps anywhere."""
    k = len(sp)

    def rec(i: int, at: int) -> Iterator[tuple[int, ...]]:
        if i == k:
            yield ()
            return
        rest = sum(sp[i + 1:])
        for st in range(at, n - rest - sp[i] + 1):
            for tail in rec(i + 1, st + sp[i]):
                yield (st,) + tail

    yield from rec(0, 0)


def _expand(texts, sp, starts, split_parts, n, cost, consistent,
            gaps) -> Iterator[tuple[Callable[[], Placement], bool]]:
    """The placements of every way to cut the digit runs (each as the means to make it), and whether the row's
    arithmetic accepts each: those it accepts, or (none does) up to 50 of the others."""
    combos: list[list[tuple[int, ...] | None]] = [[]]
    for parts in split_parts:
        combos = [c + [p] for c in combos for p in parts][:20000]
    token_value = [int(t) if INTEGER.match(t) else None for t in texts]
    why = "glued digits cut" if any(s > 1 for s in sp) else f"{gaps} cell(s) not printed"

    def placement(combo) -> Placement:
        slots = [Slot("gap")] * n
        for i, (st, s) in enumerate(zip(starts, sp)):
            if s == 1:
                slots[st] = Slot("token", i)
            else:
                for j, v in enumerate(combo[i]):
                    slots[st + j] = Slot("part", i, v)
        return Placement(tuple(slots), cost, why)

    ok: list = []  # the combinations the row's arithmetic accepts
    bad: list = []  # the combinations the row's arithmetic rejects: placed only if none passes (50 at most)
    for combo in combos:
        vals: list[int | None] = [None] * n
        for i, (st, s) in enumerate(zip(starts, sp)):
            if s == 1:
                vals[st] = token_value[i]
            else:
                vals[st:st + s] = combo[i]  # type: ignore[assignment]  # (a cut run: its parts)
        if consistent is None or consistent(vals):
            ok.append(combo)
        elif len(bad) < 50:
            bad.append(combo)
    if ok:
        yield from ((partial(placement, c), True) for c in ok)
    else:
        yield from ((partial(placement, c), False) for c in bad)
