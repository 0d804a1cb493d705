"""End to end: a generated 300 dpi clean page through ``python -m recover extract`` — no silent error (every wrong
cell is flagged), and the commands ``recover synth`` / ``recover bench-scan`` on the command line.

One page only (the page holding table 四 and the continuation of table 三) keeps the OCR under ~25 s.
"""

from __future__ import annotations

import json
import subprocess
import sys

from PIL import Image

from recover.bench import compare
from recover.errors import ExitCode
from recover.synth.bench import level_folders
from recover.synth.render import render_report
from recover.synth.truth import make_truth
from tests.conftest import ROOT


def run(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recover", *map(str, args)], capture_output=True, text=True,
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
    proc = run("synth", tmp_path / "out", "--count", "1", "--levels", "150", "--seed", "4")
    assert proc.returncode == ExitCode.ok, proc.stderr
    doc = tmp_path / "out" / "150" / "synth_0004"
    truth = json.loads((doc / "truth.json").read_text(encoding="utf-8"))
    assert (doc / truth["source"]).is_file() and truth["source"].endswith(".tif")
    with Image.open(doc / truth["source"]) as im:
        assert im.n_frames == json.loads((doc / "scan.json").read_text(encoding="utf-8"))["pages"]
    assert level_folders(tmp_path / "out") == [tmp_path / "out" / "150"]
    bad = run("synth", tmp_path / "bad", "--levels", "600")
    assert bad.returncode == ExitCode.bad_args and "600" in bad.stderr
    missing = run("bench-scan", tmp_path / "nowhere")
    assert missing.returncode == ExitCode.input_missing and "Remedy" in missing.stderr
