"""A second OCR reading of a cell that disagreed with the first is offered to the repair at a small cost."""

from __future__ import annotations

from recover.model import CellRead, Channel, Token
from recover.reconstruct.units import SECOND_READING, cell_unit


def test_second_reading_is_a_hypothesis_dearer_than_the_first():
    key = ("applications", "granted", "total")
    u = cell_unit(key, Token("1", 0, 3, channel=Channel.ocr, cell=CellRead(0, 3, alternatives=("11",))))
    costs = {h.values[key]: h.cost for h in u.hypotheses}
    assert costs[1] == 0.0
    assert costs[11] == SECOND_READING  # cheaper than "a digit was lost" (2.5) or the override (3)
    assert u.override_cost > SECOND_READING


def test_no_alternatives_no_extra_hypothesis():
    key = ("applications", "granted", "total")
    plain = cell_unit(key, Token("1", 0, 3, channel=Channel.ocr))
    assert not any("second OCR reading" in h.why for h in plain.hypotheses)
