"""synth.printed: reports printed to PDF by headless Chromium in varied styles, read back cell for cell."""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace

import pytest

from devtools.bench.corpus import truth_cells
from recover.pipeline import extract
from devtools.synth.printed import draw_style, printed_document

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium prints the reports")


@pytest.mark.parametrize("seed, changes", [
    (7101, {"zero": "blank", "narrative": True, "vertical": "writing-mode"}),  # blanks for zeros, in their columns
    (7102, {"zero": "dash", "narrative": True, "fill": "#dce6f1"}),
    (7103, {"zero": "0", "narrative": True, "received_with_carried": True, "rule_px": 0.5}),
    # table 四's one row of figures carried over alone to the next page, zeros blank: 7 | 4 | 11 keep their columns
    (9303, {}),
    # table 四's row carried over with every cell blank (zeros left blank): fifteen 0s, not a table not printed
    (9317, {}),
])
def test_printed_report_reads_back_exactly(tmp_path, seed, changes):
    style = replace(draw_style(random.Random(seed)), **changes)
    folder = printed_document(tmp_path, seed, style=style)[0]
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    result = extract(str(folder / truth["source"])).to_dict()
    got = {(c["table"], c["row"], c["column"]): c for c in result["cells"]}
    wrong = [(k, v, got[k]["value"], got[k]["status"]) for k, v in truth_cells(truth).items()
             if got[k]["value"] != v or got[k]["status"] != "ok"]
    assert not wrong, (style, wrong)
    assert all(c["holds"] for c in result["checks"]), [c for c in result["checks"] if not c["holds"]]
