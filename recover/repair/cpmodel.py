"""CP-SAT models and their solving, on OR-Tools' extension module (``cp_model_helper``) directly.

OR-Tools' own Python layer (``ortools.sat.python.cp_model``) imports pandas and NumPy for its ``*_series`` methods:
half a second before a first model, where recover's models take milliseconds. recover builds its models and reads
their solutions through the extension the layer wraps, the few calls it needs written here: ``Model`` (variables,
the constraints recover adds, the objective, cloning) and ``Solver`` (parameters, solve, the response). They use
the extension's private methods (``_add_bounded_linear_expression``, ``_add_bool_argument_constraint``) as OR-Tools'
layer does, so ``pyproject.toml`` pins the OR-Tools minor version they are tested with (tests/repair/test_cpmodel.py).
"""

from __future__ import annotations

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain

from recover.repair.prototext import merged

IntVar = cmh.IntVar
LinearExpr = cmh.LinearExpr
Status = cmh.CpSolverStatus
OPTIMAL = cmh.CpSolverStatus.OPTIMAL
FEASIBLE = cmh.CpSolverStatus.FEASIBLE
INFEASIBLE = cmh.CpSolverStatus.INFEASIBLE

# a sum of model expressions (Python's sum() builds one nested expression per term: 2-3 times slower)
lsum = cmh.LinearExpr.sum
_BOOL = Domain(0, 1)


class Model(cmh.CpBaseModel):
    """A CP-SAT model: unnamed Boolean variables and constants, linear (in)equalities between model expressions,
    Boolean clauses, an objective, copies. The repair models themselves are written as protobuf text
    (prototext.py); the relaxation (reach.py) builds hundreds of Booleans and linear constraints per model, each
    one wrapper call here (OR-Tools' layer names each variable, makes a fresh domain and checks what ``add`` was
    given in Python first: 2.1 against 1.0 us a variable, 4.5 against 2.9 us an enforced ``x == v``)."""

    def __init__(self) -> None:
        cmh.CpBaseModel.__init__(self, None)

    @property
    def proto(self) -> cmh.CpModelProto:
        return self.model_proto

    def new_bool(self) -> cmh.IntVar:
        """A new unnamed Boolean variable."""
        return cmh.IntVar(self.model_proto).with_domain(_BOOL)

    def new_constant(self, value: int) -> cmh.IntVar:
        """The model's constant ``value`` (one variable per constant)."""
        return cmh.IntVar(self.model_proto, self.get_or_make_index_from_constant(value))

    # a linear (in)equality between model expressions (``expr <= k``, ``a == b``), as OR-Tools' ``add`` adds it
    add_linear = cmh.CpBaseModel._add_bounded_linear_expression

    def add_bool_or(self, literals: list) -> cmh.Constraint:
        """At least one of ``literals`` is true (Booleans or True/False; none given: the model is infeasible)."""
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.bool_or, literals)

    def add_at_most_one(self, literals: list) -> cmh.Constraint:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.at_most_one, literals)

    def add_exactly_one(self, literals: list) -> cmh.Constraint:
        return self._add_bool_argument_constraint(cmh.BoolArgumentConstraint.exactly_one, literals)

    def minimize_terms(self, terms: list[tuple[int, int]]) -> None:
        """Minimise the sum of ``coefficient * variable`` over ``terms`` (variables by index), written to the model
        in bulk, variables in order, zeros left out (as OR-Tools flattens a ``LinearExpr.weighted_sum``; 150 terms
        0.41 ms a model that way, here 0.16)."""
        coef = merged(terms)
        self.clear_objective()
        objective = self.model_proto.objective
        order = sorted(i for i, k in coef.items() if k)
        objective.vars.extend(order)
        objective.coeffs.extend([coef[i] for i in order])
        objective.scaling_factor = 1.0

    def clear_objective(self) -> None:
        self.model_proto.clear_objective()
        self.model_proto.clear_floating_point_objective()

    def clone(self) -> Model:
        c = Model()
        c.model_proto.copy_from(self.model_proto)
        c.rebuild_constant_map()
        return c


class Solver:
    """One solve of a model: its parameters (``cmh.SatParameters``) and, after ``solve``, its response."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self.response: cmh.CpSolverResponse | None = None

    def solve(self, model: Model) -> cmh.CpSolverStatus:
        wrapper = cmh.SolveWrapper()
        wrapper.set_parameters(self.parameters)
        self.response = wrapper.solve(model.model_proto)
        return self.response.status

    def _solved(self) -> cmh.CpSolverResponse:
        if self.response is None:
            raise RuntimeError("solve() has not been called")
        return self.response

    @property
    def solution(self) -> list[int]:
        """The values of the model's variables, by variable index (read once: one wrapper call)."""
        return list(self._solved().solution)

    @property
    def objective_value(self) -> float:
        return self._solved().objective_value

    @property
    def deterministic_time(self) -> float:
        return self._solved().deterministic_time
