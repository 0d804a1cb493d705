"""A pool of worker processes with a time limit per document and a memory limit per worker.

Each worker is a process of its own with its own pipe (so killing one never corrupts another's channel). The
parent hands a task to each idle worker, waits on the pipes and on the processes, and turns every ending into
an outcome: the worker's answer, a timeout (the worker is killed with SIGKILL and replaced), or a crash (the
process died: replaced). Workers come from a fork server that has imported the pipeline once, so a replacement
starts in a fraction of a second.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from multiprocessing.connection import wait

from recover.batch.worker import Task, run_task, serve
from recover.errors import DocumentTimeoutError, RecoverError, WorkerCrashedError

_CTX = mp.get_context("forkserver")
_CTX.set_forkserver_preload(["recover.batch.worker", "recover.pipeline", "recover.report.html", "recover.ingest.pdf",
                              "recover.ingest.structured", "recover.repair.cpsat"])


class Worker:
    """A worker process (its address space limited to ``memory_mb``) answering each request sent with
    ``job(request)``: a batch ``Task`` with ``run_task`` (the default), a ``recover.extract`` call with
    ``run_extraction``."""

    def __init__(self, memory_mb: int | None, job: Callable[[Any], Any] = run_task) -> None:
        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=serve, args=(child, memory_mb, job), daemon=True)
        self.proc.start()
        child.close()
        self.task: Any = None
        self.started = 0.0

    def give(self, task: Any) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        """Kill the worker and the programs it runs (Tesseract), which would otherwise outlive it."""
        if self.proc.is_alive() and self.proc.pid:
            for child in _children(self.proc.pid):
                try:
                    os.kill(child, signal.SIGKILL)
                except OSError:
                    pass
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        self.kill()


def _children(pid: int) -> list[int]:
    """Child processes of ``pid`` (Linux /proc; none found elsewhere)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _failure(task: Task, exc: RecoverError, seconds: float) -> dict:
    return {"sha256": task.sha256, "path": task.path, "kind": task.kind, "error_code": int(exc.exit_code),
            "error_name": type(exc).__name__, "error": exc.message(), "seconds": seconds}


def crash_words(exitcode: int | None) -> str:
    """How a worker process ended, from its exit code (negative: the signal that killed it)."""
    if exitcode is not None and exitcode < 0:
        how = f"killed by signal {signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else -exitcode}"
    else:
        how = f"exited with status {exitcode}"
    # the kernel's OOM killer sends SIGKILL; a failed allocation in native code often ends in abort()
    return how + (" (possibly out of memory)" if exitcode in (-signal.SIGKILL, -signal.SIGABRT) else "")


def _crash(task: Task, exitcode: int | None, seconds: float) -> dict:
    return _failure(task, WorkerCrashedError(task.path, f"the worker process died while reading it: "
                                                        f"{crash_words(exitcode)}"), seconds)


def run_pool(tasks: list[Task], jobs: int, timeout: float, memory_mb: int | None,
             on_outcome: Callable[[dict], None], on_start: Callable[[Task, int], None] | None = None) -> None:
    """Run every task; call ``on_outcome`` (in this process) with each outcome dict as it arrives, and
    ``on_start`` with each task and the pid of the worker it was given to."""
    pending = deque(tasks)
    workers = [Worker(memory_mb) for _ in range(max(1, min(jobs, len(tasks))))]
    try:
        while pending or any(w.task for w in workers):
            for w in workers:
                if w.task is None and pending:
                    w.give(pending.popleft())
                    if on_start:
                        on_start(w.task, w.proc.pid)  # type: ignore[arg-type]
            busy = [w for w in workers if w.task]
            now = time.monotonic()
            first_deadline = min(w.started + timeout for w in busy)
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                 timeout=min(0.5, max(first_deadline - now, 0.0) + 0.001))
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                task, elapsed = w.task, time.monotonic() - w.started
                outcome, dead = None, False
                try:
                    if w.conn.poll():
                        outcome = w.conn.recv()
                except (EOFError, OSError):
                    pass
                if outcome is None and not w.proc.is_alive():
                    w.proc.join(1)
                    outcome, dead = _crash(task, w.proc.exitcode, elapsed), True
                elif outcome is None and elapsed > timeout:
                    outcome = _failure(task, DocumentTimeoutError(task.path, f"not finished within {timeout:g} s; "
                                                                             "the worker was killed"), elapsed)
                    dead = True
                if outcome is None:
                    continue
                w.task = None
                if dead:
                    w.kill()
                    workers[i] = Worker(memory_mb)
                on_outcome(outcome)
    finally:  # idle workers are asked to stop; busy ones (an interrupted batch) are killed at once
        for w in workers:
            if w.task:
                w.kill()
            else:
                w.stop()
