"""End to end: a generated 300 dpi clean page through ``python -m recover extract`` — no silent error (every wrong
cell is flagged), and the commands ``devtools synth`` / ``devtools bench-scan`` on the command line.

One page only (the page holding table 四 and the continuation of table 三) keeps the OCR under ~25 s.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
from PIL import Image

from recover.errors import ExitCode
from devtools.bench.scan import compare, level_folders
from devtools.synth.render import render_report
from devtools.synth.truth import make_truth
from tests.conftest import ROOT


def run(*args: str, timeout: int = 180, tool: str = "recover") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", tool, *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def test_clean_300_dpi_page_has_no_silent_error(tmp_path):
    truth = make_truth(1)
    page = next(p for p in render_report(truth, 300, seed=1) if "review_litigation" in p.tables)
    assert "applications" in page.tables  # table 三's continuation is on it too
    path = tmp_path / "page.tif"
    Image.fromarray(page.image).save(path, compression="tiff_deflate")
    proc = run("extract", path)
    assert proc.returncode == ExitCode.ok, proc.stderr
    result = json.loads(proc.stdout)
    counts = compare(truth, result)
    assert counts["silent"] == 0
    review = {(c["row"], c["column"]): c for c in result["cells"] if c["table"] == "review_litigation"}
    expected = dict(zip(("upheld", "corrected", "other", "pending", "total"), truth["review_litigation"]["review"]))
    assert {k: review[("review", k)]["value"] for k in expected} == expected


def test_synth_command_writes_a_gradeable_corpus(tmp_path):
    proc = run("synth", tmp_path / "out", "--count", "1", "--levels", "150", "--seed", "4", tool="devtools")
    assert proc.returncode == ExitCode.ok, proc.stderr
    doc = tmp_path / "out" / "150" / "synth_0004"
    truth = json.loads((doc / "truth.json").read_text(encoding="utf-8"))
    assert (doc / truth["source"]).is_file() and truth["source"].endswith(".tif")
    with Image.open(doc / truth["source"]) as im:
        assert im.n_frames == json.loads((doc / "scan.json").read_text(encoding="utf-8"))["pages"]
    assert level_folders(tmp_path / "out") == [tmp_path / "out" / "150"]
    bad = run("synth", tmp_path / "bad", "--levels", "600", tool="devtools")
    assert bad.returncode == ExitCode.bad_args and "600" in bad.stderr
    missing = run("bench-scan", tmp_path / "nowhere", tool="devtools")
    assert missing.returncode == ExitCode.input_missing and "Remedy" in missing.stderr


def test_bench_scan_counts_a_document_without_tables_as_flagged(tmp_path, capsys):
    from devtools.bench.scan import run_scan_bench
    from devtools.synth.corpus import save_pages

    doc = tmp_path / "300" / "blank"
    doc.mkdir(parents=True)
    source = save_pages([np.full((600, 400), 255, np.uint8)], doc, "blank", "tiff", 300)
    truth = dict(make_truth(0), source=source)
    (doc / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    (doc / "scan.json").write_text(json.dumps({"pages": 1, "table_pages": [1]}), encoding="utf-8")
    assert run_scan_bench(tmp_path) == 0
    out = capsys.readouterr().out
    cells = sum(len(v) for v in truth["applications"]["rows"].values()) + 15 + len(truth["proactive"]["cells"])
    assert "NoTablesError" in out
    assert (f"level 300: {cells} cells, right 0.0 % (before the repair 0.0 %), flagged {cells} (0 right anyway), "
            "silent errors 0") in out
    assert re.search(r"peak memory \d+ MB", out) and "OCR engine: " in out


def test_raw_value_is_the_cell_as_read_without_repair():
    from devtools.bench.scan import raw_value

    assert raw_value("12") == 12 and raw_value("0") == 0
    assert raw_value("-") == 0  # a dash printed for none
    assert raw_value("") is None and raw_value(None) is None and raw_value("■ ##") is None
