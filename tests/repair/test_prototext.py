"""ProtoText (repair/prototext.py) writes the same proto as OR-Tools' own calls for every kind of constraint the
repair models use, so the searches on them are the same."""

from __future__ import annotations

from ortools.sat.python import cp_model

from recover.repair.cpmodel import OPTIMAL, Model, Solver, lsum
from recover.repair.prototext import INT_MAX, INT_MIN, ProtoText, negated


def test_the_same_proto_as_the_api():
    api = cp_model.CpModel()
    z = [api.new_bool_var("") for _ in range(3)]
    x = [api.new_int_var(0, 90, "") for _ in range(3)]
    api.add_exactly_one(z)
    api.add(x[0] == 7).only_enforce_if([z[0], ~z[1]])  # a reading: x = v where its hypothesis holds
    api.add(x[1] == cp_model.LinearExpr.weighted_sum(z, [4, 0, 9])).only_enforce_if(~z[2])  # x = Σ v_h z_h
    api.add(lsum([x[0], 5, x[1]]) == lsum([x[2], x[0], 2]))  # a rule with constants: they move to the bounds
    api.add(lsum([3, 1]) == lsum([x[2]]))  # a rule whose left side is all constants: OR-Tools writes rhs - lhs
    api.add(x[2] != 0).only_enforce_if(z[1])  # the uniqueness searches' "changes"
    api.add(cp_model.LinearExpr.weighted_sum([z[0], z[2], z[0]], [5, 2, 1]) <= 11)  # the objective's bound
    api.add_bool_or(z[1:])

    m = Model()
    t = ProtoText(m.proto)
    zt = [t.new_bool() for _ in range(3)]
    xt = [t.new_int(0, 90) for _ in range(3)]
    t.exactly_one(zt)
    t.linear({xt[0]: 1}, [7, 7], [zt[0], negated(zt[1])])
    t.linear({xt[1]: 1, zt[0]: -4, zt[1]: 0, zt[2]: -9}, [0, 0], [negated(zt[2])])
    t.linear({xt[0]: 0, xt[1]: 1, xt[2]: -1}, [-3, -3])
    t.linear({xt[2]: 1}, [4, 4])
    t.linear({xt[2]: 1}, [INT_MIN, -1, 1, INT_MAX], [zt[1]])
    t.linear({zt[0]: 6, zt[2]: 2}, [INT_MIN, 11])
    t.bool_or(zt[1:])
    t.flush()
    assert zt == [v.index for v in z] and xt == [v.index for v in x]
    assert str(m.proto) == str(api.proto)


def test_flush_appends_to_what_the_model_holds():
    m = Model()
    y = m.new_bool()
    t = ProtoText(m.proto)
    b = t.new_bool()
    t.bool_or([negated(y.index), b])
    t.flush()
    assert b == 1 and len(m.proto.variables) == 2 and len(m.proto.constraints) == 1
    s = Solver()
    m.add_linear(y == 1)
    assert s.solve(m) == OPTIMAL and s.solution[b] == 1  # y holds, so b must
