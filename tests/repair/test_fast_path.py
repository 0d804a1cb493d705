"""The fast path (no search) must give exactly what the solver gives: the same values and no ambiguous cell the
solver would find. On random consistent grids read by OCR (cheap misreadings, some cells unread, some read with
high confidence) whenever the fast path answers, the full solve (fast path switched off) must agree."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recover.model import CellRead, Channel, Hypothesis, Token, Unit
from recover.reconstruct.units import cell_unit
from recover.repair import solve as solve_mod
from tests.repair.test_solve import COLS, ROWS, grid_equations, k


def _table(seed: int) -> tuple[list, list[Unit]]:
    rng = random.Random(seed)
    a = {(r, c): rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 18]) for r in ("r1", "r2") for c in ("a", "b")}
    for r in ("r1", "r2"):
        a[r, "total"] = a[r, "a"] + a[r, "b"]
    for c in COLS:
        a["sum", c] = a["r1", c] + a["r2", c]
    cells = [k(r, c) for r in ROWS for c in COLS]
    units = []
    for (r, c), v in a.items():
        key = k(r, c)
        roll = rng.random()
        if roll < 0.15:  # unread: free, fixed by the arithmetic
            units.append(Unit((key,), (Token("", 0, channel=Channel.ocr),),
                              [Hypothesis({key: None}, {key: ""}, 0.0, "unread")], False, 1.0))
        else:
            conf = rng.choice([None, 0.3, 0.7, 0.95])
            units.append(cell_unit(key, Token(str(v), 0, channel=Channel.ocr, cell=CellRead(0, 0, confidence=conf))))
    return cells, units


@settings(max_examples=120, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_fast_path_agrees_with_the_solver(seed):
    cells, units = _table(seed)
    eqs = grid_equations()
    fast = solve_mod.fast_path(cells, units, eqs, [])
    if fast is None:
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solve_mod, "fast_path", lambda *a: None)
        full = solve_mod.solve(cells, units, eqs, [])
    assert fast.values == full.values
    assert set(full.ambiguous) == set(), (seed, full.ambiguous)
