"""The catalogue's arithmetic rules as ``Equation``s over the tables a document prints.

A rule's equations depend only on the catalogue, the table and its format, so they are built once for each
and shared by every document (an Equation is immutable): a report no longer rebuilds some forty equations and
their cell keys.
"""

from __future__ import annotations

from recover.catalogue import Catalogue
from recover.repair.terms import Equation

# (id of the catalogue, table, format) -> (that catalogue, its equations); the catalogue is kept so that an id
# reused by another object after it is gone cannot return a stale list
_BUILT: dict[tuple[int, str, str], tuple[Catalogue, list[Equation]]] = {}


def table_equations(cat: Catalogue, table: str, fmt: str) -> list[Equation]:
    """The equations of every rule of ``table`` in format ``fmt`` (cell keys (table, row, column))."""
    got = _BUILT.get((id(cat), table, fmt))
    if got is not None and got[0] is cat:
        return got[1]
    out = []
    for rule in cat.rules:
        if rule.table != table:
            continue
        for iid, lhs, rhs in rule.instances(cat.tables[table], fmt):
            out.append(Equation(iid, tuple([(table, r, c) for r, c in lhs]),
                                tuple([(table, r, c) for r, c in rhs]), rule.unfilled_total))
    _BUILT[(id(cat), table, fmt)] = (cat, out)
    return out
