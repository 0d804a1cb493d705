"""The code a batch worker process runs: read documents sent by the parent, one at a time, and send back each
outcome (the result dict or the error). The worker writes the per-document JSON and HTML reports itself; only
the parent writes the store.

The worker limits its own address space (``RLIMIT_AS``) so a document that needs too much memory ends in a
``MemoryError`` (recorded as out of memory) instead of taking the machine down; a document that makes the
process die anyway is recorded by the parent.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import signal
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from recover.errors import DocumentOutOfMemoryError, RecoverError


@dataclass(frozen=True)
class Task:
    sha256: str
    path: str
    kind: str
    reports: tuple[tuple[str, str], ...]  # (json, html) output paths, one pair per file with this content
    ties: tuple[Any, ...] = ()  # what the agency's neighbouring years say about it (recover.collection.settle)


def peak_rss_mb() -> float:
    """Peak resident memory of this worker and of the programs it ran (Tesseract), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _cpu_seconds() -> float:
    """CPU time used by this worker and the programs it ran (Tesseract)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


YOUNG_COLLECTION = 10_000  # allocations between the collector's young-generation passes (Python's default: 700)


def settle_heap() -> None:
    """Tune the garbage collector for a process that has read its first document and will read many more.

    What that document loaded (modules, the catalogue, the confusion model, the solver) stays for the process's
    life: frozen, the collector's full passes no longer walk it. A document creates tens of thousands of
    short-lived objects, nearly all freed by their reference counts: young passes every YOUNG_COLLECTION
    allocations instead of every 700 find as much garbage for less work. In a loop over the corpus's text
    reports the collector took 8.3 % of the time, 3.4 % frozen, 1.4 % frozen with this threshold (perf)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, 10, 10)


def _out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is this worker running out of its address space: a MemoryError, or an ImportError other than
    a module not installed while a limit is set (a library's shared objects could not be mapped within it)."""
    if isinstance(exc, MemoryError):
        return True
    limited = resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY
    return limited and isinstance(exc, ImportError) and not isinstance(exc, ModuleNotFoundError)


def serve(conn: Connection, memory_mb: int | None, job: Callable[[Any], Any]) -> None:
    """Worker main loop: receive a request, answer with ``job(request)``; stop on ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    warnings.simplefilter("ignore")  # a worker's warnings would tear the parent's progress bar; outcomes say it all
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    first = True
    while True:
        try:
            task = conn.recv()
            if task is None:
                return
            conn.send(job(task))
            if first:
                first = False
                settle_heap()
        except (EOFError, BrokenPipeError):  # the parent is gone (killed): nothing left to do
            return


def run_task(task: Task) -> dict:
    from recover.collection.links import link_sides
    from recover.collection.settle import is_open, ties_json
    from recover.pipeline import extract
    from recover.report.evidence import stored_evidence

    start, cpu_start = time.perf_counter(), _cpu_seconds()
    out: dict = {"sha256": task.sha256, "path": task.path, "kind": task.kind}
    try:
        ex = extract(task.path, kind=task.kind, ties=list(task.ties))
        result = ex.to_dict()
        write_reports(result, task.reports)
        out["result"] = result
        out["evidence"] = stored_evidence(ex)  # (for recover review: the source lines and the values weighed)
        out["links"] = {"sides": link_sides(ex), "open": is_open(ex), "ties": ties_json(task.ties)}  # (the
        # neighbouring years' reports: what this one says about them, and what they said about it)
    except RecoverError as exc:
        out.update(error_code=int(exc.exit_code), error_name=type(exc).__name__, error=exc.message())
    except Exception as exc:  # noqa: BLE001 - a bug on one document is recorded, the batch goes on
        if _out_of_memory(exc):
            oom = DocumentOutOfMemoryError(task.path, "ran out of memory (the worker's limit was reached)")
            out.update(error_code=int(oom.exit_code), error_name=type(oom).__name__, error=oom.message())
        else:
            out.update(error_code=10, error_name=type(exc).__name__,
                       error=f"{task.path}: internal error {type(exc).__name__}: {exc}. "
                             "Remedy: report this as a bug with the input file.")
    out["seconds"] = time.perf_counter() - start
    out["cpu_seconds"] = _cpu_seconds() - cpu_start
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def run_extraction(request: tuple[str, str | None, dict[str, str]]) -> tuple[bool, Any]:
    """One ``recover.extract`` call (``recover.budget.extract_in_worker``): ``(path, kind, settings)``, the settings
    the caller's ``RECOVER_*`` environment variables. ``(True, Extraction)``, or ``(False, the exception)``: a
    ``RecoverError``, ``DocumentOutOfMemoryError`` for a MemoryError, another exception (a bug) with its traceback
    as a note, or a RuntimeError naming it when it cannot be sent."""
    import pickle
    import traceback

    from recover.pipeline import extract

    path, kind, settings = request
    for name in [k for k in os.environ if k.startswith("RECOVER_") and k not in settings]:
        del os.environ[name]
    os.environ.update(settings)
    try:
        return True, extract(path, kind=kind)
    except RecoverError as exc:
        return False, exc
    except Exception as exc:  # noqa: BLE001 - a bug: raised in the caller's process with its traceback
        if _out_of_memory(exc):
            return False, DocumentOutOfMemoryError(path, "ran past its memory limit (the worker's address space)")
        exc.add_note("".join(traceback.format_exception(exc)))
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot be sent is named instead
            return False, RuntimeError(f"{type(exc).__name__}: {exc}\n{exc.__notes__[-1]}")
        return False, exc


def write_reports(result: dict, reports: tuple[tuple[str, str], ...]) -> None:
    from recover.catalogue import load_catalogue
    from recover.report.html import render_html
    from recover.report.labels import report_labels

    text = json.dumps(result, ensure_ascii=False, indent=1)
    html = render_html(result, report_labels(load_catalogue()))
    for json_path, html_path in reports:
        _atomic_write(Path(json_path), text)
        _atomic_write(Path(html_path), html)


def _atomic_write(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a killed worker never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
