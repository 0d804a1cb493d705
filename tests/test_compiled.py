"""The modules pyproject.toml lists under [tool.recover] compiled run compiled (setup.py builds them with mypyc), and
no compiled module of this checkout is older than its source (Python would import the stale extension).

RECOVER_PURE=1 (an install without compiling) skips the first check."""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import tomllib
from pathlib import Path

import pytest

from recover.bench import compiled_modules

ROOT = Path(__file__).resolve().parent.parent
LISTED = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["recover"]["compiled"]


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def test_listed_modules_exist():
    assert LISTED
    for path in LISTED:
        assert (ROOT / path).is_file(), path


@pytest.mark.skipif(bool(os.environ.get("RECOVER_PURE")), reason="installed without compiling (RECOVER_PURE)")
def test_listed_modules_run_compiled():
    for path in LISTED:
        importlib.import_module(_module(path))
    assert sorted(compiled_modules()) == sorted(_module(p) for p in LISTED), (
        "not compiled: reinstall (pip install -e .), which needs gcc and Python's headers")


def test_no_compiled_module_is_older_than_its_source():
    stale = []
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for ext in (ROOT / "recover").rglob(f"*{suffix}"):
            source = ext.with_name(ext.name.removesuffix(suffix) + ".py")
            if source.exists() and source.stat().st_mtime > ext.stat().st_mtime:
                stale.append(str(source.relative_to(ROOT)))
    assert not stale, f"edited after compiling: {stale}; reinstall (pip install -e .) to compile them again"
