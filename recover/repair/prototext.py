"""CP-SAT model parts written as protobuf text and added to a model's proto in one call.

OR-Tools' Python layer makes a wrapper object per variable, an expression object per sum, and canonicalises each
linear constraint in its extension: 1-2 us a variable, 4-6 us an enforced ``x == v``. A repair model of a large
table has hundreds of each, and a table's repair builds several. Here a variable is its index, a literal its index
or, negated, ``-index - 1`` (as in the proto), and each constraint is written in the canonical form OR-Tools itself
writes: variables in index order, a variable's coefficients merged, zero coefficients left out, constants moved
into the bounds. The protos are the same as OR-Tools' (tests/repair/test_prototext.py; and the same for every
model the corpus and generated reports solve), so the searches are the same. Repeated fields are written as lists
(``vars:[3,5]``): protobuf parses that about twice as fast as one ``vars:`` per value.
"""

from __future__ import annotations

from typing import Any

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1


def negated(literal: int) -> int:
    """The negation of a literal (``~x`` in OR-Tools)."""
    return -literal - 1


class ProtoText:
    """Variables and constraints to append to a model's proto (``proto``: ``CpModel.proto``), written by ``flush``.
    Variable indices count on from the variables the proto already holds."""

    def __init__(self, proto: Any) -> None:
        self.proto = proto
        self.count = len(proto.variables)
        self.parts: list[str] = []

    def new_bool(self) -> int:
        self.parts.append("variables{domain:[0,1]}")
        self.count += 1
        return self.count - 1

    def new_int(self, lb: int, ub: int) -> int:
        self.parts.append(f"variables{{domain:[{lb},{ub}]}}")
        self.count += 1
        return self.count - 1

    def linear(self, coef: dict[int, int], domain: list[int], enforce: list[int] | None = None) -> None:
        """``Σ coef[v] · v`` within ``domain`` (closed intervals, as the proto lists them), only where every literal
        of ``enforce`` holds."""
        head = f"constraints{{enforcement_literal:[{_joined(enforce)}] linear{{" if enforce else "constraints{linear{"
        order = sorted([v for v, k in coef.items() if k])
        terms = f"vars:[{_joined(order)}] coeffs:[{_joined([coef[v] for v in order])}] " if order else ""
        self.parts.append(f"{head}{terms}domain:[{_joined(domain)}]}}}}")

    def bool_or(self, literals: list[int]) -> None:
        self._literals("bool_or", literals)

    def exactly_one(self, literals: list[int]) -> None:
        self._literals("exactly_one", literals)

    def _literals(self, kind: str, literals: list[int]) -> None:
        self.parts.append(f"constraints{{{kind}{{literals:[{_joined(literals)}]}}}}" if literals else
                          f"constraints{{{kind}{{}}}}")

    def flush(self) -> None:
        """Append what was written to the proto."""
        if self.parts:
            self.proto.merge_text_format(" ".join(self.parts))
            self.parts = []


def _joined(values: list[int]) -> str:
    return ",".join([str(v) for v in values])


def merged(terms: list[tuple[int, int]]) -> dict[int, int]:
    """The coefficient of each variable in a sum of (coefficient, variable index) terms."""
    coef: dict[int, int] = {}
    for k, v in terms:
        coef[v] = coef.get(v, 0) + k
    return coef
