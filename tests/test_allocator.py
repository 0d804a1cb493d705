"""The recover command runs with TCMalloc when it is installed (recover/allocator.py), gives the same results with
either allocator, and runs with the C library's when asked (RECOVER_ALLOCATOR=system)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from recover.allocator import library
from tests.conftest import CORPUS, ROOT

needs_tcmalloc = pytest.mark.skipif(library() is None, reason="libtcmalloc-minimal4 not installed "
                                    "(scripts/install.sh installs it)")


def _recover(*args, allocator: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("LD_PRELOAD", None)
    env.pop("RECOVER_ALLOCATOR", None)
    if allocator:
        env["RECOVER_ALLOCATOR"] = allocator
    return subprocess.run([sys.executable, "-m", "recover", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


@needs_tcmalloc
def test_the_command_runs_with_tcmalloc_and_system_malloc_on_request(tmp_path):
    report = tmp_path / "in"
    report.mkdir()
    (report / "pingtan.txt").write_bytes((CORPUS / "pingtan_2023" / "pingtan_2023_web_text.txt").read_bytes())
    fast = _recover("bench", report, "--repeat", "1")
    assert fast.returncode == 0, fast.stderr
    assert "allocator: tcmalloc" in fast.stdout
    plain = _recover("bench", report, "--repeat", "1", allocator="system")
    assert plain.returncode == 0, plain.stderr
    assert "allocator: system" in plain.stdout


@needs_tcmalloc
@pytest.mark.parametrize("doc", ["shanghai_stc_2024/shanghai_stc_2024_ocr_markdown.md",
                                 "pingtan_2023/pingtan_2023_web_text.txt", "seed_000/000_c065b0c281ef9ff9.txt"])
def test_both_allocators_give_the_same_json(tmp_path, doc):
    out = {}
    for allocator in (None, "system"):  # (the default: TCMalloc)
        path = tmp_path / f"{allocator or 'tcmalloc'}.json"
        proc = _recover("extract", CORPUS / doc, "-o", path, allocator=allocator)
        assert proc.returncode == 0, proc.stderr
        out[allocator or "tcmalloc"] = json.loads(path.read_text(encoding="utf-8"))
    assert out["tcmalloc"] == out["system"]
    assert out["tcmalloc"]["cells"]
