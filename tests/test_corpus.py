"""Every corpus document through the CLI, compared cell by cell with its hand-written truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from devtools.bench.corpus import truth_cells
from tests.conftest import ROOT, source_of, truth_docs

SCHEMA = json.loads((ROOT / "models" / "output.schema.json").read_text(encoding="utf-8"))
@pytest.fixture(scope="module", params=truth_docs(), ids=lambda p: p.parent.name)
def run(request, tmp_path_factory):
    truth_path: Path = request.param
    out = tmp_path_factory.mktemp("out") / "result.json"
    html = out.with_suffix(".html")
    proc = subprocess.run([sys.executable, "-m", "recover", "extract", str(source_of(truth_path)), "-o", str(out),
                           "--report", str(html)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(truth_path.read_text(encoding="utf-8")), json.loads(out.read_text(encoding="utf-8")), html


def test_output_matches_schema(run):
    _, result, _ = run
    jsonschema.validate(result, SCHEMA)


def test_report_and_formats(run):
    truth, result, html = run
    assert result["report"] == truth["report"]
    fmt = {t["table"]: t["format"] for t in result["tables"]}
    assert fmt["applications"] == truth["applications"]["format"]
    assert fmt["proactive"] == truth["proactive"]["format"]
    assert html.read_text(encoding="utf-8").count("<table") >= 3


def test_no_silent_errors(run):
    """Every cell is right or flagged: a cell with status ok has the true value."""
    truth, result, _ = run
    expected = truth_cells(truth)
    silent = [(c["table"], c["row"], c["column"], c["value"], expected.get((c["table"], c["row"], c["column"])))
              for c in result["cells"] if c["status"] == "ok"
              and c["value"] != expected.get((c["table"], c["row"], c["column"]), c["value"])]
    assert not silent, silent


def exact(truth: dict) -> None:
    if truth.get("grade") != "exact":
        pytest.skip("graded 'flagged': every cell right or flagged (test_no_silent_errors)")


def test_every_cell_right(run):
    truth, result, _ = run
    exact(truth)
    expected = truth_cells(truth)
    got = {(c["table"], c["row"], c["column"]): c for c in result["cells"]}
    assert set(got) == set(expected), set(got) ^ set(expected)
    special = {(e["table"], e["row"], e["column"]): e for e in truth.get("expect", [])}
    wrong = []
    for key, value in expected.items():
        cell = got[key]
        exp = special.get(key)
        if exp and exp["status"] == "ambiguous":
            assert cell["status"] == "ambiguous", (key, cell)
            continue
        if cell["value"] != value:
            wrong.append((key, cell["value"], value, cell["status"]))
    assert not wrong, wrong


def test_special_cells(run):
    truth, result, _ = run
    exact(truth)
    got = {(c["table"], c["row"], c["column"]): c for c in result["cells"]}
    for e in truth.get("expect", []):
        cell = got[(e["table"], e["row"], e["column"])]
        allowed = {"corrected", "inferred"} if e["status"] in {"corrected", "inferred"} else {e["status"]}
        assert cell["status"] in allowed, (e, cell)
        if "observed" in e and e["status"] != "ambiguous":
            assert cell["observed"] == e["observed"], (e, cell)
        assert cell["reason"], cell


def test_no_unexpected_flags(run):
    """A cell the truth does not single out comes back ok (or ambiguous where the truth says so)."""
    truth, result, _ = run
    exact(truth)
    special = {(e["table"], e["row"], e["column"]) for e in truth.get("expect", [])}
    flagged = [(c["table"], c["row"], c["column"], c["status"], c["reason"]) for c in result["cells"]
               if c["status"] != "ok" and (c["table"], c["row"], c["column"]) not in special]
    assert not flagged, flagged


def test_all_rules_hold(run):
    truth, result, _ = run
    exact(truth)
    failed = [c for c in result["checks"] if not c["holds"]]
    assert not failed, failed


def test_pages_read_by_ocr_as_truth_says(run):
    """A PDF page whose text layer is missing or garbled is read by OCR and reported, never read as garbage."""
    truth, result, _ = run
    assert [p["page"] for p in result["source"]["ocr_pages"]] == truth.get("ocr_pages", [])


def test_ruled_tables_read_through_the_lattice_as_truth_says(run):
    """PDFs whose text layer loses the table's columns (blank cells) are read again through Camelot's
    lattice; those the text layer reads well are not (the lattice costs about half a second a page)."""
    truth, result, _ = run
    assert result["source"].get("lattice_pages", []) == truth.get("lattice_pages", [])
