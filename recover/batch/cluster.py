"""``recover batch --scheduler``: the documents of a batch run on a Dask distributed cluster.

The client (this process) plans the batch as for the local pool and stays the single writer of the store and of
the report files: each document is one Dask task, its outcome streamed back as it completes (``as_completed``),
stored and its JSON and HTML reports written here. A task reads the document in a process of its own on the Dask
worker (``pool.run_pool`` with one task: the same time and memory limits, the same outcomes for a timeout, a crash,
out of memory), so a document that hangs or takes a worker's memory costs that process, not the worker. A worker
lost mid-task has its task run again elsewhere (``RETRIES``); a document whose tasks kill workers until the
scheduler gives up on it (``KilledWorker``) is recorded as failed with that reason, and the batch goes on.

Workers read inputs by path (shared storage), or, with ``ship_inputs``, receive each document's bytes. Dask is an
optional dependency (``pip install 'recover[cluster]'``): the local pool needs none of it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from recover.batch.worker import Task
from recover.errors import ConfigurationError, MissingDependencyError, WorkerCrashedError

RETRIES = 2  # runs of a task again after the worker running it was lost
IN_FLIGHT = 4  # tasks submitted per worker ahead of the outcomes
CONNECT_TIMEOUT = "10s"  # for a scheduler to answer


def read_on_worker(task: Task, timeout: float, memory_mb: int | None, data: bytes | None = None) -> dict:
    """On a Dask worker: the outcome dict of one document, read in a child process under the limits (the report
    files are the client's to write: the task carries none). ``data``: the document's bytes, when shipped."""
    import multiprocessing

    from recover.batch.pool import run_pool

    if multiprocessing.current_process().daemon:  # (Dask's default: its workers may start no process of their own)
        raise ConfigurationError("DASK_DISTRIBUTED__WORKER__DAEMON", "this Dask worker is a daemonic process and may "
                                 "not start the process a document is read in: start the workers with "
                                 "DASK_DISTRIBUTED__WORKER__DAEMON=False (docs/batch.md)")
    outcomes: list[dict] = []
    if data is None:
        run_pool([task], 1, timeout, memory_mb, outcomes.append)
        return outcomes[0]
    with tempfile.TemporaryDirectory(prefix="recover-shipped-") as tmp:
        local = Path(tmp) / Path(task.path).name
        local.write_bytes(data)
        run_pool([replace(task, path=str(local))], 1, timeout, memory_mb, outcomes.append)
    outcome = dict(outcomes[0], path=task.path)
    if "result" in outcome:  # (the result names the file it was read from: the one the client knows)
        outcome["result"]["source"]["path"] = task.path
    return outcome


@contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A Dask client: ``local:N`` starts a LocalCluster of N single-threaded worker processes (for tests and one big
    machine), anything else is a scheduler address (``tcp://HOST:8786``)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingDependencyError("dask", "recover batch --scheduler runs on Dask distributed: pip install "
                                     "'recover[cluster]'") from None
    if scheduler.startswith("local:"):
        import dask

        try:
            n = int(scheduler.split(":", 1)[1])
        except ValueError:
            n = 0
        if n < 1:
            raise ConfigurationError("--scheduler", f"local:N needs a number of workers above 0, not {scheduler!r}")
        with dask.config.set({"distributed.worker.daemon": False}), LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0,
                silence_logs=50) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigurationError("--scheduler", f"no Dask scheduler answers at {scheduler} ({exc})") from None
    try:
        yield client
    finally:
        client.close()


def run_cluster(client: Any, tasks: list[Task], timeout: float, memory_mb: int | None,
                on_outcome: Callable[[dict], None], ship_inputs: bool = False) -> None:
    """Every task on the cluster; ``on_outcome`` (here, the single writer) with each outcome as it completes, the
    report files written here from it. At most ``IN_FLIGHT`` per worker are submitted at a time: a batch of a
    hundred thousand documents (their bytes, with ``ship_inputs``) is never held at once."""
    from distributed import as_completed

    from recover.batch.worker import write_reports

    pending = iter(tasks)
    futures: dict[Any, Task] = {}

    def submit() -> Any | None:
        task = next(pending, None)
        if task is None:
            return None
        data = Path(task.path).read_bytes() if ship_inputs else None
        future = client.submit(read_on_worker, replace(task, reports=()), timeout, memory_mb, data, retries=RETRIES,
                               pure=False)
        futures[future] = task
        return future

    window = IN_FLIGHT * max(1, len(client.scheduler_info().get("workers", {})))
    running = as_completed([f for f in (submit() for _ in range(window)) if f is not None])
    for future in running:
        task = futures.pop(future)
        try:
            outcome = future.result()
        except Exception as exc:  # noqa: BLE001 - the scheduler gave up on it (KilledWorker): failed, the batch goes on
            err = WorkerCrashedError(task.path, f"the cluster's workers died reading it ({type(exc).__name__}: "
                                                f"{exc})")
            outcome = {"sha256": task.sha256, "path": task.path, "kind": task.kind, "error_code": int(err.exit_code),
                       "error_name": type(err).__name__, "error": err.message(), "seconds": None}
        if "result" in outcome:
            write_reports(outcome["result"], task.reports)
        on_outcome(outcome)
        future.release()
        following = submit()
        if following is not None:
            running.add(following)
