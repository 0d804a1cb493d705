"""Whole synthetic reports scanned at 200 dpi (±1.5°, blur, noise, JPEG 75) through the scan route: every cell
right and none wrong with status ok, for the two printed styles that leave zeros without a digit — dashes for
zero, and legal-person columns left blank — whose table 三 crosses a page break."""

from __future__ import annotations

import json

import pytest

from recover.pipeline import extract
from devtools.bench.scan import compare
from devtools.synth.corpus import synth_document


@pytest.mark.parametrize("seed, zeros", [(0, "dash"), (2, "blank_legal")])
def test_200_dpi_report_with_zeros_printed_without_a_digit_comes_back_right(tmp_path, seed, zeros):
    doc = synth_document(tmp_path, seed, "200")
    assert json.loads((doc / "scan.json").read_text(encoding="utf-8"))["style"]["zeros"] == zeros
    truth = json.loads((doc / "truth.json").read_text(encoding="utf-8"))
    counts = compare(truth, extract(str(doc / truth["source"])).to_dict())
    assert counts["silent"] == 0
    assert counts["right"] == counts["cells"], counts  # measured 198 of 198 each (2026-11-25); 157 and 130 before
