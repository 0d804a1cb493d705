"""synth.truth: seeded ground truth that satisfies the template arithmetic."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools.synth.corpus import synth_document
from recover.catalogue import APP_COLS
from devtools.synth.truth import make_truth, rule_violations
from tests.conftest import ROOT


def test_same_seed_same_truth_and_seeds_differ():
    assert make_truth(7) == make_truth(7)
    assert make_truth(7) != make_truth(8)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_catalogue_rule_holds(fmt):
    for seed in range(150):
        truth = make_truth(seed, fmt)
        assert truth["applications"]["format"] == fmt == truth["proactive"]["format"]
        assert rule_violations(truth) == [], seed


def test_rule_violations_sees_a_broken_cell():
    truth = make_truth(3, "2021")
    truth["applications"]["rows"]["granted"][0] += 1
    broken = rule_violations(truth)
    assert any("row_total[granted]" in b for b in broken)
    assert any("outcome_total[natural_person]" in b for b in broken)


def test_figures_are_realistic_non_zero_with_zero_heavy_legal_person_columns():
    truths = [make_truth(s) for s in range(100)]
    totals = [t["applications"]["rows"]["new_received"][6] for t in truths]
    assert sum(v > 0 for v in totals) > 70  # most reports received applications
    legal = [t["applications"]["rows"]["total_processed"][APP_COLS.index("research")] for t in truths]
    assert sum(v == 0 for v in legal) > 50  # research institutes rarely apply
    assert {t["applications"]["format"] for t in truths} == {"2019", "2021"}
    assert any(t["review_litigation"]["review"][4] > 0 for t in truths)


def test_written_truth_passes_the_corpus_checker(tmp_path):
    """corpus/check_truth.py (stdlib, written independently of the catalogue) accepts generated documents."""
    for seed in (0, 1, 2):
        synth_document(tmp_path, seed, "150")
    res = subprocess.run([sys.executable, str(ROOT / "corpus" / "check_truth.py"), str(tmp_path / "150")],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout
    assert "3/3 documents pass" in res.stdout
