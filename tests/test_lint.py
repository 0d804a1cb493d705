"""The code passes ruff's checks (pyproject.toml's [tool.ruff]): CI runs the tests, so this keeps lint in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    paths = ["recover", "devtools", "tests", "scripts"]
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *paths], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
