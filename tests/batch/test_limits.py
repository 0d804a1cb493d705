"""Per-document limits: a document over the memory limit or the time limit is recorded with its code, and the
batch goes on with the others."""

from __future__ import annotations

import shutil

from recover.errors import ExitCode
from tests.batch.conftest import run_cli, store_rows
from tests.conftest import CORPUS, source_of


def _outcomes(out) -> dict[str, tuple]:
    rows = store_rows(out, "SELECT path, status, error_code, error_name FROM documents")
    return {p.rsplit("/", 1)[-1]: (s, c, n) for p, s, c, n in rows}


def test_out_of_memory_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("RECOVER_MAX_PIXELS", str(10**9))  # (past the default pixel limit it is refused unread)
    src = tmp_path / "in"
    src.mkdir()
    Image.new("L", (12000, 12000), 255).save(src / "huge_page.png")  # 144 Mpixel: copies of it exceed 800 MB
    shutil.copy(source_of(CORPUS / "seed_003" / "truth.json"), src / "seed.txt")
    proc = run_cli("batch", src, "-o", tmp_path / "out", "--memory-mb", 800, "--jobs", 1, "-q")
    assert proc.returncode == ExitCode.batch_partial
    got = _outcomes(tmp_path / "out")
    assert got["huge_page.png"] == ("error", ExitCode.out_of_memory, "DocumentOutOfMemoryError")
    assert got["seed.txt"][0] == "repaired"
    assert "huge_page.png: ran out of memory" in proc.stderr and "--memory-mb" in proc.stderr


def test_timeout_kills_the_worker_and_is_recorded(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    # tens of milliseconds (0.6 s when this test was written): a limit of a millisecond stays below it however
    # fast the repair gets, and the worker cannot even receive and answer within it
    shutil.copy(source_of(CORPUS / "shanghai_stc_2024" / "truth.json"), src / "report.md")
    proc = run_cli("batch", src, "-o", tmp_path / "out", "--timeout", 0.001, "-q")
    assert proc.returncode == ExitCode.batch_partial
    assert _outcomes(tmp_path / "out")["report.md"] == ("error", ExitCode.timeout, "DocumentTimeoutError")
    assert "not finished within 0.001 s" in proc.stderr
    proc = run_cli("batch", src, "-o", tmp_path / "out", "--force", "-q")  # a longer limit: the rerun replaces it
    assert proc.returncode == 0, proc.stderr
    assert _outcomes(tmp_path / "out")["report.md"][1:] == (None, None)
