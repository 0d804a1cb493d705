"""The review server and the parquet/xlsx exports are optional parts (extras ``review`` and ``export``): without
their packages the commands end with exit 11 naming the package and how to install it, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from recover.errors import ExitCode
from tests.conftest import CORPUS, ROOT

WITHOUT = "import sys; sys.modules.update({{m: None for m in {mods!r}}}); from recover.cli import main; " \
          "sys.exit(main(sys.argv[1:]))"


def _recover_without(mods: list[str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT.format(mods=mods), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    run = subprocess.run([sys.executable, "-m", "recover", "batch", str(CORPUS / "seed_000"), "-o", str(out), "-q"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


def test_review_without_flask_names_the_extra(batch_out):
    run = _recover_without(["flask"], "review", str(batch_out), "--port", "0")
    assert run.returncode == ExitCode.missing_dependency, run.stderr
    assert "recover[review]" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(("fmt", "package"), [("parquet", "pyarrow"), ("xlsx", "openpyxl")])
def test_export_without_its_writer_names_the_extra(batch_out, fmt, package):
    run = _recover_without([package], "export", str(batch_out), "--format", fmt)
    assert run.returncode == ExitCode.missing_dependency, run.stderr
    assert package in run.stderr and "recover[export]" in run.stderr and "Traceback" not in run.stderr
    csv = _recover_without([package], "export", str(batch_out), "--format", "csv")
    assert csv.returncode == 0, csv.stderr
