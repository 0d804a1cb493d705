"""A dash, slash or 无 printed for none is the agency's notation for 0, not a reading recover corrected: the cell
comes back 0 with status ok, its printed symbol in ``observed`` (seed 002 with its zeros written as dashes)."""

from __future__ import annotations

import re

from recover.model import CellRead, Status
from recover.pipeline import extract

SEED = "corpus/seed_002/002_c54325003f6269d3.txt"


def test_dashes_for_zero_are_ok_as_printed(tmp_path):
    text = open(SEED, encoding="utf-8").read()
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("一、本年新收"))
    symbols = ["—", "/", "无", "-"]
    changed = 0
    for i in range(start, start + 6):  # the first rows of table 三: each zero written as one symbol
        cells = lines[i].split("\t")
        for j in range(2, len(cells)):
            if cells[j] == "0":
                cells[j] = symbols[changed % len(symbols)]
                changed += 1
        lines[i] = "\t".join(cells)
    assert changed >= 20
    path = tmp_path / "dashes.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    plain = {c.key: c for c in extract(SEED).cells}
    dashed = [c for c in extract(str(path)).cells if c.observed in symbols]
    assert len(dashed) == changed
    for c in dashed:
        assert c.value == 0 == plain[c.key].value
        assert c.status is Status.ok, (c.key, c.status, c.reason)
        assert re.search("printed for none", c.reason or "")


def test_a_confidently_scanned_dash_keeps_its_notation_and_sure_figures_cost_more_to_change():
    from recover.model import Channel, Token
    from recover.reconstruct.units import SURE_EXTRA, cell_unit

    key = ("applications", "granted", "total")
    dash = cell_unit(key, Token("-", 0, 1, channel=Channel.ocr, cell=CellRead(0, 1, confidence=0.95)))
    assert [(h.values[key], h.notation) for h in dash.hypotheses] == [(0, True)]
    sure = cell_unit(key, Token("8", 0, 1, channel=Channel.ocr, cell=CellRead(0, 1, confidence=0.95)))
    unsure = cell_unit(key, Token("8", 0, 1, channel=Channel.ocr, cell=CellRead(0, 1, confidence=0.6)))
    costs = {h.values[key]: h.cost for h in unsure.hypotheses}
    assert costs[8] == 0 and len(costs) > 1
    for h in sure.hypotheses:
        assert h.cost == (0 if h.values[key] == 8 else costs[h.values[key]] + SURE_EXTRA)
