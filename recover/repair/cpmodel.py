"""The CP-SAT model class recover builds its models with, and how it sums model expressions.

Kept in a module of its own: it subclasses OR-Tools' extension type, so it stays an interpreted class when the
repair modules are compiled (``setup.py``)."""

from __future__ import annotations

from ortools.sat.python import cp_model

# a sum of model expressions (Python's sum() builds one nested expression per term: 2-3 times slower)
lsum = cp_model.LinearExpr.sum


class Model(cp_model.CpModel):
    """A CP-SAT model without the deprecated camelCase aliases OR-Tools 9.15 attaches to every CpModel it creates
    (``_add_pre_pep8_methods``: some sixty bound methods, 0.37 ms per model against 0.004 ms without; a table's
    repair creates 2-10 models and clones). recover calls only the snake_case API."""

    def _add_pre_pep8_methods(self) -> None:
        pass

    def clone(self) -> Model:
        c = Model()
        c.proto.copy_from(self.proto)
        c.rebuild_constant_map()
        return c
