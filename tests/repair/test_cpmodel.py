"""recover's CP-SAT layer (repair/cpmodel.py, on OR-Tools' extension module without its pandas-importing Python
layer) writes the same proto as OR-Tools' own API and solves it as OR-Tools' solver does."""

from __future__ import annotations

import subprocess
import sys

from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from recover.repair.cpmodel import OPTIMAL, IntVar, Model, Solver, lsum
from tests.conftest import ROOT


def _build(m, ours: bool):
    """The same model through recover's Model (``ours``) or OR-Tools' CpModel."""
    bools = [m.new_bool() if ours else m.new_bool_var("") for _ in range(4)]
    ints = [IntVar(m.model_proto).with_domain(Domain(0, 40)) if ours else m.new_int_var(0, 40, "") for _ in range(3)]
    add = m.add_linear if ours else m.add
    add(ints[0] == 7).only_enforce_if([bools[0], ~bools[1]])
    add(ints[1] == cp_model.LinearExpr.weighted_sum(bools[:3], [3, 0, 5])).only_enforce_if(~bools[3])
    add(lsum(ints[:2]) == ints[2])
    add(ints[2] != 12).only_enforce_if(bools[2])
    add(lsum(bools[:2]) <= 2 * lsum(bools[2:]))
    m.add_exactly_one(bools[:2])
    m.add_bool_or([bools[1], bools[2], bools[3]]).only_enforce_if(bools[0])
    m.add_at_most_one([bools[2], bools[3]])
    terms = [(3, bools[0].index), (0, bools[1].index), (2, bools[3].index), (1, bools[0].index)]
    if ours:
        m.minimize_terms(terms)
    else:
        m.minimize(cp_model.LinearExpr.weighted_sum([bools[0], bools[3]], [4, 2]))
    return m


def test_the_model_is_the_proto_the_api_writes():
    ours, api = _build(Model(), True), _build(cp_model.CpModel(), False)
    assert str(ours.proto) == str(api.proto)
    assert len(ours.proto.variables) == 7 and len(ours.proto.constraints) == 8
    assert str(ours.clone().proto) == str(ours.proto)


def test_the_model_solves_as_ortools_solves_it():
    m = _build(Model(), True)
    s = Solver()
    s.parameters.num_workers = 1
    assert s.solve(m) == OPTIMAL
    b0, b1, b2, b3, x0, x1, x2 = s.solution
    assert s.objective_value == 0 and (b0, b1, b3) == (0, 1, 0)  # the cheapest: b1 is the one of b0, b1
    assert x1 == 5 * b2 and x0 + x1 == x2  # (b3 off enforces x1 = 3 b0 + 5 b2)
    assert not b2 or x2 != 12
    theirs = cp_model.CpSolver()
    theirs.parameters.num_workers = 1
    assert theirs.solve(_build(cp_model.CpModel(), False)) == cp_model.OPTIMAL
    assert theirs.objective_value == s.objective_value


def test_repairing_a_report_does_not_import_pandas():
    """OR-Tools' Python layer imports pandas (half a second); the repair, CP-SAT included, does without it."""
    code = ("import sys; from recover.pipeline import extract; "
            "ex = extract('corpus/seed_000/000_c065b0c281ef9ff9.txt'); "
            "print(any(u for u in ex.units), 'pandas' in sys.modules, 'ortools.sat.python.cp_model' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["True", "False", "False"], out.stdout + out.stderr
