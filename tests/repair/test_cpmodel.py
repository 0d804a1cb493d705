"""recover's shortcuts for building CP-SAT models (repair/cpmodel.py) write the same proto as OR-Tools' own calls."""

from __future__ import annotations

from ortools.sat.python import cp_model

from recover.repair.cpmodel import Model, lsum


def _build(fast: bool) -> Model:
    m = Model()
    bools = [m.new_bool() if fast else m.new_bool_var("") for _ in range(4)]
    ints = [m.new_int_var(0, 40, "") for _ in range(3)]
    add = m.add_linear if fast else m.add
    add(ints[0] == 7).only_enforce_if([bools[0], ~bools[1]])
    add(ints[1] == cp_model.LinearExpr.weighted_sum(bools[:3], [3, 0, 5])).only_enforce_if(~bools[3])
    add(lsum(ints[:2]) == ints[2])
    add(ints[2] != 12).only_enforce_if(bools[2])
    add(lsum(bools[:2]) <= 2 * lsum(bools[2:]))
    m.add_exactly_one(bools[:2])
    m.minimize_terms([(3, bools[0].index), (0, bools[1].index), (2, bools[3].index), (1, bools[0].index)])
    return m


def test_shortcuts_write_the_same_proto_as_the_api():
    fast, api = _build(True), _build(False)
    assert str(fast.proto) == str(api.proto)
    assert len(fast.proto.variables) == 7 and len(fast.proto.constraints) == 6


def test_the_model_built_with_shortcuts_solves_as_written():
    m = _build(True)
    s = cp_model.CpSolver()
    assert s.solve(m) == cp_model.OPTIMAL
    b0, b1, b2, b3, x0, x1, x2 = s.response_proto.solution
    assert s.objective_value == 0 and (b0, b1, b3) == (0, 1, 0)  # the cheapest: b1 is the one of b0, b1
    assert x1 == 5 * b2 and x0 + x1 == x2  # (b3 off enforces x1 = 3 b0 + 5 b2)
    assert not b2 or x2 != 12
