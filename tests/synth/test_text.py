"""The generated text family (devtools.synth.text): deterministic, and every shape read back by ``extract``
with no silent error and its cells right."""

from __future__ import annotations

import pytest

from recover.pipeline import extract
from devtools.bench.scan import compare
from devtools.synth.text import SHAPES, render, write_report
from devtools.synth.truth import make_truth


@pytest.mark.parametrize("shape", SHAPES)
def test_render_is_deterministic(shape):
    truth = make_truth(11)
    assert render(truth, shape, 11)[0] == render(make_truth(11), shape, 11)[0]
    assert render(truth, shape, 11)[0] != render(truth, shape, 12)[0]


def test_variations_are_drawn():
    """Across seeds the printed styles vary as the docstring says (zeros, footers, CRLF, traditional)."""
    styles = [render(make_truth(s), "tabs", s)[1] for s in range(40)]
    assert {st.zero for st in styles} == {"0", "", "—", "/", "无"}
    assert any(st.footer for st in styles) and any(st.crlf for st in styles)
    assert any(st.traditional for st in styles) and any(st.fullwidth for st in styles)
    data, st = render(make_truth(3), "glued", 3)
    assert st.zero == "0"


# (shape, seeds): a few seeds per shape, both formats among them, blank/dash zeros, footers, full-width
CASES = [("tabs", (5, 21, 22)), ("cells", (4, 15, 23)), ("markdown", (0, 6)), ("glued", (0, 22)),
         ("html", (1, 2))]


@pytest.mark.parametrize("shape,seeds", CASES)
def test_shape_round_trips(tmp_path, shape, seeds):
    for seed in seeds:
        path, truth, st = write_report(tmp_path, seed, shape)
        counts = compare(truth, extract(str(path)).to_dict())
        assert counts["silent"] == 0, (path.name, st.describe())
        # every cell is right or flagged; clean shapes get (nearly) all of them right
        assert counts["right"] >= 0.95 * counts["cells"], (path.name, st.describe(), counts)


def test_round_trip_can_fail(tmp_path):
    """The grading sees a wrong figure: a report whose text says 3 where the truth has 4 is not all right."""
    path, truth, _ = write_report(tmp_path, 9, "tabs")
    truth["review_litigation"]["review"][0] += 1
    counts = compare(truth, extract(str(path)).to_dict())
    assert counts["right"] < counts["cells"]
