"""batch.pool: a worker that dies mid-document is recorded as crashed and replaced; the other documents go on."""

from __future__ import annotations

import os
import signal

from recover.batch.kinds import sniff
from recover.batch.plan import file_sha256
from recover.batch.pool import run_pool
from recover.batch.worker import Task
from recover.errors import ExitCode
from tests.conftest import CORPUS, source_of


def _task(name: str, tmp_path) -> Task:
    src = source_of(CORPUS / name / "truth.json")
    return Task(file_sha256(src), str(src), sniff(src).kind or "",
                ((str(tmp_path / f"{name}.json"), str(tmp_path / f"{name}.html")),))


def test_a_killed_worker_is_recorded_and_replaced(tmp_path):
    victim, other = _task("shanghai_stc_2024", tmp_path), _task("seed_002", tmp_path)
    outcomes: list[dict] = []
    pids: list[int] = []

    def start(task: Task, pid: int) -> None:
        pids.append(pid)
        if task is victim:
            os.kill(pid, signal.SIGKILL)  # the worker dies while it holds the document

    run_pool([victim, other], jobs=1, timeout=60, memory_mb=None, on_outcome=outcomes.append, on_start=start)
    by_path = {o["path"]: o for o in outcomes}
    crashed = by_path[victim.path]
    assert crashed["error_name"] == "WorkerCrashedError" and crashed["error_code"] == ExitCode.internal
    assert "SIGKILL" in crashed["error"] and victim.path in crashed["error"] and "Remedy" in crashed["error"]
    assert by_path[other.path]["result"]["status"] == "ok"
    assert len(set(pids)) == 2  # the second document went to a fresh worker
    assert (tmp_path / "seed_002.json").exists() and not (tmp_path / "shanghai_stc_2024.json").exists()
