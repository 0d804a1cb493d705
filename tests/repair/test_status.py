"""repair.status: statuses that say how far the arithmetic vouches for a cell."""

from __future__ import annotations

from recover.model import Cell, Channel, Hypothesis, Status, Token, Unit
from recover.repair.status import _compensated
from recover.repair.terms import Equation

T = "review_litigation"
KEYS = [(T, "review", c) for c in ("upheld", "corrected", "other", "pending", "total")]
RULE = Equation("group_total[review]", tuple(KEYS[:4]), (KEYS[4],))


def placed_row(total_status: Status) -> dict:
    """A table 四 row read without its column rules: four figures placed over the four parts in one of several
    ways, the total a cell of its own with ``total_status``."""
    toks = tuple(Token(t, 0, channel=Channel.ocr) for t in ("28", "8", "2", "38"))
    hyps = [Hypothesis({k: int(t.text) for k, t in zip(KEYS, toks)}, {k: t.text for k, t in zip(KEYS, toks)}, 0.0,
                       "as printed"),
            Hypothesis({k: int(t.text) for k, t in zip(KEYS[1:], toks)}, {}, 1.0, "one cell not printed")]
    unit = Unit(tuple(KEYS[:4]), toks, hyps, reliable=False, override_cost=3.0)
    cells = {k: Cell(*k) for k in KEYS}
    for k in KEYS[:4]:
        cells[k].status = Status.ok
    cells[KEYS[4]].status = total_status
    return {"cells": cells, "units": [unit]}


def test_a_placement_the_rules_confirm_only_with_a_changed_cell_is_flagged():
    row = placed_row(Status.corrected)  # the total 'corrected' to the parts' sum: the placement is not vouched for
    _compensated(row["cells"], row["units"], [RULE])
    assert [row["cells"][k].status for k in KEYS[:4]] == [Status.ambiguous] * 4
    assert "review.total changed" in row["cells"][KEYS[0]].reason


def test_a_placement_the_rules_confirm_as_read_stays_ok():
    row = placed_row(Status.ok)
    _compensated(row["cells"], row["units"], [RULE])
    assert [row["cells"][k].status for k in KEYS[:4]] == [Status.ok] * 4
