"""Compiling is opt-in (RECOVER_COMPILE=1 at install: setup.py builds the modules pyproject.toml lists under
[tool.recover] compiled with mypyc). Installed that way, the listed modules run compiled and their pure-Python
sources (the default install) give the same results; either way, no compiled module of this checkout is older than
its source (Python would import the stale extension)."""

from __future__ import annotations

import importlib
import importlib.machinery
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from devtools.bench.corpus import compiled_modules
from recover.pipeline import extract

ROOT = Path(__file__).resolve().parent.parent
LISTED = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["recover"]["compiled"]


def _module(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def test_listed_modules_exist():
    assert LISTED
    for path in LISTED:
        assert (ROOT / path).is_file(), path


COMPILED = bool(os.environ.get("RECOVER_COMPILE"))
needs_compiled = pytest.mark.skipif(not COMPILED, reason="the default install runs pure Python (RECOVER_COMPILE=1 "
                                    "compiles)")


@needs_compiled
def test_listed_modules_run_compiled():
    for path in LISTED:
        importlib.import_module(_module(path))
    assert sorted(compiled_modules()) == sorted(_module(p) for p in LISTED), (
        "not compiled: reinstall (RECOVER_COMPILE=1 pip install --no-build-isolation -e .), which needs mypy, gcc "
        "and Python's headers")


def test_no_compiled_module_is_older_than_its_source():
    stale = []
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for ext in (ROOT / "recover").rglob(f"*{suffix}"):
            source = ext.with_name(ext.name.removesuffix(suffix) + ".py")
            if source.exists() and source.stat().st_mtime > ext.stat().st_mtime:
                stale.append(str(source.relative_to(ROOT)))
    assert not stale, (f"edited after compiling: {stale}; reinstall (RECOVER_COMPILE=1 pip install "
                       "--no-build-isolation -e .) to compile them again, or without RECOVER_COMPILE to remove them")


# Run in a fresh interpreter: import every recover module from its .py source even where an extension is built.
PURE = """
import importlib.machinery as m, importlib.util, json, sys

class Source:
    @staticmethod
    def find_spec(name, path, target=None):
        if name != "recover" and not name.startswith("recover."):
            return None
        spec = m.PathFinder.find_spec(name, path)
        for suffix in m.EXTENSION_SUFFIXES:
            if spec is not None and spec.origin and spec.origin.endswith(suffix):
                return importlib.util.spec_from_file_location(name, spec.origin[:-len(suffix)] + ".py")
        return spec

sys.meta_path.insert(0, Source)
from devtools.bench.corpus import compiled_modules
from recover.pipeline import extract
out = [extract(p).to_dict() for p in sys.argv[1:]]
print(json.dumps({"compiled": compiled_modules(), "results": out}, ensure_ascii=False))
"""


@needs_compiled
def test_pure_python_sources_give_the_same_results():
    # a clean report (fast path), a printed error (CP-SAT and its proof), glued digits (placements) and OCR
    # markdown whose table 三 is large enough for the relaxation (reach.py)
    docs = [str(ROOT / "corpus" / d) for d in ("seed_002/002_c54325003f6269d3.txt", "seed_000/000_c065b0c281ef9ff9.txt",
                                               "pingtan_2023/pingtan_2023_web_text.txt",
                                               "shanghai_stc_2024/shanghai_stc_2024_ocr_markdown.md")]
    run = subprocess.run([sys.executable, "-c", PURE, *docs], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pure = json.loads(run.stdout)
    assert pure["compiled"] == []
    assert pure["results"] == [extract(d).to_dict() for d in docs]
