"""recover extract holds one document to a time and a memory budget, as a batch worker does: past either it ends
with the batch's exit codes (8, 9), naming the file and the option that raises the limit, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recover.errors import ExitCode
from tests.conftest import CORPUS, ROOT

SCAN = next((CORPUS / "huaian_city_2024_scan").glob("*.pdf"))


def _extract(tmp_path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recover", "extract", str(SCAN), "-o", str(tmp_path / "o.json"),
                           *options], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize(("options", "code", "words"), [
    (("--timeout", "0.5"), ExitCode.timeout, "time limit of 0.5 s"),
    (("--memory-mb", "300"), ExitCode.out_of_memory, "memory limit of 300 MB"),
])
def test_a_document_past_its_budget_ends_with_the_batch_exit_code(tmp_path, options, code, words):
    run = _extract(tmp_path, *options)
    assert run.returncode == code, run.stderr
    assert words in run.stderr and SCAN.name in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "o.json").exists()


def test_the_budget_is_lifted_after_the_document(tmp_path):
    """main() called in a process that goes on (a test, a notebook) leaves its limits as they were."""
    import resource

    from recover.cli import main

    before = resource.getrlimit(resource.RLIMIT_AS)
    assert main(["extract", str(CORPUS / "seed_000" / "000_c065b0c281ef9ff9.txt"), "-o", str(tmp_path / "o.json"),
                 "--memory-mb", "4096", "--timeout", "60"]) == 0
    assert resource.getrlimit(resource.RLIMIT_AS) == before
