"""``recover batch``: plan the inputs, skip what the store already holds, run the rest in the worker pool, store
each outcome as it arrives, then write the summary page.
"""

from __future__ import annotations

import os
from collections import Counter
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from recover import __version__
from recover.batch.defaults import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from recover.batch.plan import make_plan
from recover.batch.pool import run_pool
from recover.batch.store import Outcome, Store
from recover.collection.settle import SETTLING_ROUNDS
from recover.collection.store import relink, to_settle


def version_key() -> str:
    """What a stored result is valid for: the tool version and the catalogue version."""
    from recover.catalogue import load_catalogue

    return f"recover {__version__}; catalogue {load_catalogue().version}"


@dataclass
class BatchResult:
    files: int = 0  # report inputs seen (duplicates included)
    documents: int = 0  # distinct contents
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, note) of files that are no report
    reused: int = 0  # documents already in the store
    statuses: Counter = field(default_factory=Counter)  # status of every document of this batch
    errors: list[str] = field(default_factory=list)  # messages of documents that failed


def run_batch(paths: list[Path], outdir: Path, jobs: int | None = None, timeout: float = DEFAULT_TIMEOUT,
              memory_mb: int | None = DEFAULT_MEMORY_MB, force: bool = False, progress: bool = True,
              summary: bool = True, agencies: dict[str, str] | None = None, scheduler: str | None = None,
              ship_inputs: bool = False) -> BatchResult:
    """Run a batch into ``outdir`` (see docs/batch.md); ``summary`` draws ``summary.html`` at the end. ``agencies``:
    file path or name -> agency key, over the keys recover gives (``collection.store.read_overrides``).
    ``scheduler``: run the documents on a Dask cluster (``batch/cluster.py``; ``local:N`` or an address) instead of
    the local pool, ``ship_inputs`` sending each document's bytes to it."""
    version = version_key()
    plan = make_plan(paths, outdir)
    if outdir.is_dir():
        for stale in outdir.rglob(".*.tmp"):  # a report a killed worker was writing
            stale.unlink(missing_ok=True)
    store = Store(outdir)
    held = ExitStack()  # the Dask client, when the batch runs on a cluster (opened on first use)
    clients: list = []
    try:
        store.note_files([(str(f.path), f.sha256, f.kind, f.note) for f in plan.files])
        reports = {t.sha256: t.reports[0] for t in plan.tasks}
        done = set() if force else store.done(version)
        todo = [t for t in plan.tasks if t.sha256 not in done]
        res = BatchResult(files=len(plan.inputs), documents=len(plan.tasks), reused=len(plan.tasks) - len(todo),
                          skipped=[(str(f.path), f.note) for f in plan.skipped])

        def _rel(outcome: dict, i: int) -> str | None:
            return str(Path(reports[outcome["sha256"]][i]).relative_to(outdir)) if "result" in outcome else None

        def stored(outcome: dict) -> None:
            out = Outcome(**outcome, report_json=_rel(outcome, 0), report_html=_rel(outcome, 1))
            store.put(version, out, replace=force)
            status = outcome["result"]["status"] if "result" in outcome else "error"
            if bar:
                bar.advance(status)

        def settled(outcome: dict) -> None:
            if "result" in outcome:  # (a reading again that failed keeps the first)
                store.put(version, Outcome(**outcome, report_json=_rel(outcome, 0), report_html=_rel(outcome, 1)),
                          replace=True)

        def run(tasks: list, on_outcome) -> None:
            """The tasks in the local pool, or on the cluster."""
            if scheduler is None:
                run_pool(tasks, jobs or os.cpu_count() or 1, timeout, memory_mb, on_outcome)
                return
            from recover.batch.cluster import connect, run_cluster

            if not clients:
                clients.append(held.enter_context(connect(scheduler)))
            run_cluster(clients[0], tasks, timeout, memory_mb, on_outcome, ship_inputs)

        bar = None
        if todo:
            from recover.batch.progress import BatchProgress

            with BatchProgress(len(todo)) if progress else nullcontext() as bar:
                run(todo, stored)
        store.link_files(version)
        relink(store.db, agencies)  # agency keys and the checks between consecutive years
        by_sha = {t.sha256: t for t in plan.tasks}
        for _ in range(SETTLING_ROUNDS):  # documents a neighbouring year can settle, repaired again with what it says
            again = [replace(by_sha[sha], ties=ties) for sha, ties in to_settle(store.db).items() if sha in by_sha]
            if not again:
                break
            run(again, settled)
            store.link_files(version)
            relink(store.db, agencies)
        shas = [t.sha256 for t in plan.tasks]
        for _sha, status, error in store.outcomes(version, shas):
            res.statuses[status] += 1
            if error:
                res.errors.append(error)
        if summary:
            from recover.batch.summary import write_summary

            write_summary(store, outdir)
        return res
    finally:
        held.close()
        store.close()
