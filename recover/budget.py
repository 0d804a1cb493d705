"""A time and a memory budget for reading one document, the same as a batch worker's: past its time a document ends
in ``DocumentTimeoutError`` (exit 8), past its memory in ``DocumentOutOfMemoryError`` (exit 9).

Two ways to hold a document to them:

- ``held(path, timeout, memory_mb)``: in this process (``recover extract``, a process of its own): its address space
  limited (``RLIMIT_AS``) and its wall time by SIGALRM, both restored after.
- ``extract_in_worker(path, kind, timeout, memory_mb)``: in a worker process (``recover.extract``, which runs in the
  caller's process: a library must not change the caller's limits or signal handlers). The worker is killed when
  the time runs out; it is kept for the next document when the read ends normally, so a loop over many documents
  starts one worker, not one per document.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import TYPE_CHECKING

from recover.errors import DocumentOutOfMemoryError, DocumentTimeoutError, WorkerCrashedError

if TYPE_CHECKING:
    from recover.batch.pool import Worker
    from recover.model import Extraction


@contextmanager
def held(path: str, timeout: float, memory_mb: int) -> Iterator[None]:
    """This process's limits while it reads one document: its address space (``RLIMIT_AS``; past it an allocation
    fails with MemoryError; 0 for none) and its wall time (SIGALRM raises DocumentTimeoutError; in the main thread
    only). The limits in force before are restored after (``recover.cli.main`` may be called in a process that
    goes on to other work)."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    if memory_mb:
        wanted = memory_mb * 1024 * 1024
        hard = before[1]
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))

    def expired(signum: int, frame: object) -> None:
        raise DocumentTimeoutError(path, f"ran past its time limit of {timeout:g} s")

    timed = threading.current_thread() is threading.main_thread()
    handler = signal.signal(signal.SIGALRM, expired) if timed else None
    if timed:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, handler)
        resource.setrlimit(resource.RLIMIT_AS, before)


def loads_unlimited(module: str) -> bool:
    """Whether ``module`` imports now that a document's budget is lifted (an ImportError under the budget was then
    the memory limit: a library's shared objects could not be mapped within it)."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


_idle: dict[int | None, list[Worker]] = {}  # workers between documents, by their memory limit
_lock = threading.Lock()


def _settings() -> dict[str, str]:
    """The caller's recover settings (``RECOVER_*``): a worker started earlier applies them to each document."""
    return {k: v for k, v in os.environ.items() if k.startswith("RECOVER_")}


def extract_in_worker(path: str, kind: str | None, timeout: float | None, memory_mb: int | None) -> Extraction:
    """``recover.pipeline.extract(path, kind=kind)`` in a worker process whose address space is limited to
    ``memory_mb`` (None: no limit), given ``timeout`` seconds (None: no limit). The worker's result, or the
    ``RecoverError`` it raised, or another error of the pipeline (a bug: its traceback in the exception's notes).
    Safe to call from several threads: each call takes a worker of its own."""
    from recover.batch.pool import Worker, crash_words
    from recover.batch.worker import run_extraction

    with _lock:
        idle = _idle.setdefault(memory_mb, [])
        worker = idle.pop() if idle else None
    if worker is None or not worker.proc.is_alive():
        worker = Worker(memory_mb, run_extraction)
    try:
        worker.give((path, kind, _settings()))
        ready = wait([worker.conn, worker.proc.sentinel], timeout=timeout)
        answer = None
        if worker.conn in ready:
            try:
                answer = worker.conn.recv()
            except (EOFError, OSError):
                pass
    except BaseException:  # interrupted (Ctrl-C in the caller): the worker goes with the document
        worker.kill()
        raise
    if answer is None:
        alive = worker.proc.is_alive()
        worker.kill()
        if alive:
            raise DocumentTimeoutError(path, f"ran past its time limit of {timeout:g} s; its worker process was "
                                       "killed")
        raise WorkerCrashedError(path, f"the worker process died while reading it: {crash_words(worker.proc.exitcode)}")
    worker.task = None
    ok, payload = answer
    if isinstance(payload, DocumentOutOfMemoryError):  # a heap that hit its limit is not reused
        worker.kill()
        payload = DocumentOutOfMemoryError(path, f"ran past its memory limit of {memory_mb} MB")
    else:
        with _lock:
            _idle[memory_mb].append(worker)
    if ok:
        return payload
    raise payload
