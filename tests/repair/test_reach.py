"""The sign relaxation (``reach.py``) may only rule out cells that no alternative within the margin changes:
with it, the uniqueness proof must flag exactly the cells it flags without it, on damaged tables and on the
real OCR markdown report whose proof it was built for."""

from __future__ import annotations

import glob
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recover import pipeline
from recover.pipeline import extract
from recover.repair import reach
from recover.repair import solve as solve_mod
from tests.repair.test_property import OCR_SWAPS, consistent_table, damage, render

EXAMPLES = int(os.environ.get("RECOVER_PROPERTY_EXAMPLES", "150")) // 3
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def _outcome(path: str, mp: pytest.MonkeyPatch, relax_from: int) -> tuple[dict, dict, bool]:
    """Cell values and statuses, the ambiguous cells with their other values, and whether every proof
    completed, with the relaxation used from ``relax_from`` option literals on."""
    seen: dict = {}
    proven = [True]

    def spy(*args):
        sol = solve_mod.solve(*args)
        seen.update(sol.ambiguous)
        proven[0] &= sol.proven
        return sol

    mp.setattr(pipeline, "solve", spy)
    mp.setattr(solve_mod, "RELAX_FROM", relax_from)
    ex = extract(path)
    return {c.key: (c.value, c.status) for c in ex.cells}, seen, proven[0]


def _misread(truth: dict, tokens: dict, rng: random.Random, n: int) -> dict:
    """``n`` more cells read with an OCR digit swap (beyond the damage the repair is guaranteed to undo)."""
    out = dict(tokens)
    for key in rng.sample(sorted(k for k in truth if k not in tokens), n):
        s = str(truth[key])
        i = rng.randrange(len(s))
        if s[i] in OCR_SWAPS:
            out[key] = s[:i] + OCR_SWAPS[s[i]] + s[i + 1:]
    return out


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 2), extra=st.integers(0, 3), ocr=st.booleans())
def test_relaxation_changes_no_answer(tmp_path, seed, k, extra, ocr):
    rng = random.Random(seed)
    truth = consistent_table(rng)
    tokens = _misread(truth, damage(truth, rng, k, ocr), rng, extra)
    path = tmp_path / f"report{'_ocr' if ocr else ''}_{seed}.txt"
    path.write_text(render(truth, tokens), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        relaxed = _outcome(str(path), mp, 0)
        exact = _outcome(str(path), mp, 10**9)
    assert relaxed[2] == exact[2]
    assert set(relaxed[1]) == set(exact[1])
    for key, (value, _status) in relaxed[0].items():  # equally cheap optima may differ only where ambiguous
        assert value == exact[0][key][0] or key in exact[1], (key, relaxed[0][key], exact[0][key])


def test_ocr_markdown_proof_runs_on_the_cells_that_can_change(monkeypatch):
    """Shanghai STC's table 三 (175 cells, six misreadings for each printed 0) is proven unique except where an
    alternative within the margin exists; the relaxation leaves only a few cells to the exact search, and the
    answer is the one the search over the whole table gives."""
    path = glob.glob(os.path.join(ROOT, "corpus", "shanghai_stc_2024", "*.md"))[0]
    sizes = []
    real = reach.movable

    def spy(*args):
        got = real(*args)
        sizes.append((len(args[0]), None if got is None else len(got)))
        return got

    monkeypatch.setattr(solve_mod, "movable", spy)
    relaxed = _outcome(path, monkeypatch, solve_mod.RELAX_FROM)
    exact = _outcome(path, monkeypatch, 10**9)
    assert sizes and all(n is not None and n <= cells // 5 for cells, n in sizes), sizes
    assert relaxed == exact
    assert exact[1], "the report has cells whose value is not unique"
