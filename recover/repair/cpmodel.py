"""The CP-SAT model class recover builds its models with, and how it sums model expressions.

Kept in a module of its own: it subclasses OR-Tools' extension type, so it stays an interpreted class when the
repair modules are compiled (``setup.py``)."""

from __future__ import annotations

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import CpBaseModel
from ortools.util.python.sorted_interval_list import Domain

from recover.repair.prototext import merged

# a sum of model expressions (Python's sum() builds one nested expression per term: 2-3 times slower)
lsum = cp_model.LinearExpr.sum
_BOOL = Domain(0, 1)


class Model(cp_model.CpModel):
    """A CP-SAT model without the deprecated camelCase aliases OR-Tools 9.15 attaches to every CpModel it creates
    (``_add_pre_pep8_methods``: some sixty bound methods, 0.37 ms per model against 0.004 ms without; a table's
    repair creates 2-10 models and clones). recover calls only the snake_case API."""

    def _add_pre_pep8_methods(self) -> None:
        pass

    # The relaxation (reach.py) builds hundreds of unnamed Booleans and linear constraints per model; OR-Tools' own
    # ``new_bool_var`` names each variable and makes a fresh domain object (2.1 us a variable), and ``add`` checks
    # in Python what it was given before passing it on (4.5 us an enforced ``x == v``). These make the same proto
    # (tests/repair/test_cpmodel.py) with fewer wrapper calls: 1.0 and 2.9 us. (The repair models themselves are
    # written as protobuf text: prototext.py.)

    def new_bool(self) -> cp_model.IntVar:
        """A new unnamed Boolean variable (``new_bool_var("")``)."""
        return cp_model.IntVar(self.model_proto).with_domain(_BOOL)

    # ``add`` of a linear (in)equality between model expressions, the check left out: the extension's own method
    add_linear = CpBaseModel._add_bounded_linear_expression

    def minimize_terms(self, terms: list[tuple[int, int]]) -> None:
        """Minimise the sum of ``coefficient * variable`` over ``terms`` (variables by index): the objective
        ``minimize`` would make of their ``LinearExpr.weighted_sum``, written to the model in bulk (OR-Tools flattens
        the expression and appends its variables one wrapper call at a time: 150 terms 0.41 ms a model, here 0.16)."""
        coef = merged(terms)
        self.clear_objective()
        objective = self.proto.objective
        order = sorted(i for i, k in coef.items() if k)  # (by variable, zeros left out: as OR-Tools flattens)
        objective.vars.extend(order)
        objective.coeffs.extend([coef[i] for i in order])
        objective.scaling_factor = 1.0

    def clone(self) -> Model:
        c = Model()
        c.proto.copy_from(self.proto)
        c.rebuild_constant_map()
        return c
