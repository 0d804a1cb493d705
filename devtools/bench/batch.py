"""``devtools bench-batch``: documents per second of ``recover batch`` with 1 and N workers, per mix of inputs.

The mixes come from a corpus folder (documents with a ``truth.json``): ``text`` (text dumps, web text, OCR
markdown), ``digital`` (PDFs with a text layer, DOCX) and ``scan`` (image-only PDFs). Each document is copied
``copies`` times with distinct bytes (trailing newline bytes: text readers drop them, PDF and ZIP readers
ignore bytes after the end), so every copy is a document of its own for the store. Each run starts from an
empty store and is timed wall-clock, worker start-up included (the summary page is not drawn). Peak memory is
the largest resident size a worker reached (or a program it ran, Tesseract). Also printed: the seconds workers
spent inside documents and the CPU seconds they used (summed; in-document time growing with N workers while CPU
time stays means the workers waited for a core) and the 1-minute load average (the machine may be shared).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from recover.batch.run import run_batch
from recover.batch.store import STORE_NAME

MIX_OF_KIND = {"text": "text", "pdf": "digital", "docx": "digital", "html": "digital", "scan": "scan",
               "image": "scan"}


def _mixes(folder: Path) -> dict[str, list[Path]]:
    from recover.batch.kinds import sniff

    out: dict[str, list[Path]] = {}
    for truth in sorted(folder.glob("*/truth.json")):
        src = truth.parent / json.loads(truth.read_text(encoding="utf-8"))["source"]
        kind = sniff(src).kind or "?"
        if kind == "pdf" and truth.parent.name.endswith("_scan"):
            kind = "scan"
        out.setdefault(MIX_OF_KIND.get(kind, kind), []).append(src)
    return out


def _copies(sources: list[Path], n: int, dest: Path) -> int:
    dest.mkdir(parents=True)
    for i in range(n):
        for s in sources:
            (dest / f"{i}_{s.name}").write_bytes(s.read_bytes() + b"\n" * (i + 1))
    return n * len(sources)


def _measures(outdir: Path) -> tuple[float, float, float]:
    """Peak resident MB of a worker, the seconds workers spent inside documents, and the CPU seconds they used."""
    db = sqlite3.connect(outdir / STORE_NAME)
    try:
        peak, busy, cpu = db.execute("SELECT MAX(peak_rss_mb), SUM(seconds), SUM(cpu_seconds) "
                                     "FROM documents").fetchone()
        return peak or 0.0, busy or 0.0, cpu or 0.0
    finally:
        db.close()


def run_bench_batch(folder: Path, jobs: int = 2, copies: int = 6, mixes: tuple[str, ...] = ("text", "digital",
                                                                                          "scan"),
                    scheduler: str | None = None) -> None:
    """``scheduler``: ``local`` runs each measure on a Dask LocalCluster of 1 and then ``jobs`` workers (start-up
    included), an address on that cluster (its workers as they are; the 1-worker measure then uses the local pool)."""
    found = _mixes(folder)
    print(f"{'mix':8s} {'docs':>5s} {'1 worker':>14s} {f'{jobs} workers':>14s} {'scaling':>8s} {'peak MB/worker':>15s} "
          f"{'in-document s (1 / N)':>22s} {'CPU s (1 / N)':>18s} {'load avg':>9s}")
    with tempfile.TemporaryDirectory(prefix="recover-bench-") as tmp:
        for mix in mixes:
            sources = found.get(mix)
            if not sources:
                continue
            n_copies = 2 * max(jobs, 1) if mix == "scan" else copies  # a scan takes ~10 s: two per worker
            n = _copies(sources, n_copies, Path(tmp) / mix / "in")
            rates, peaks, busy, cpu = [], [], [], []
            for j in (1, jobs):
                out = Path(tmp) / mix / f"out{j}"
                start = time.perf_counter()
                on = (f"local:{j}" if scheduler == "local" else scheduler if j > 1 else None) if scheduler else None
                run_batch([Path(tmp) / mix / "in"], out, jobs=j, progress=False, summary=False, scheduler=on)
                rates.append(n / (time.perf_counter() - start))
                peak, inside, used = _measures(out)
                peaks.append(peak)
                busy.append(inside)
                cpu.append(used)
            print(f"{mix:8s} {n:5d} {rates[0]:10.2f} d/s {rates[1]:10.2f} d/s {rates[1] / rates[0]:7.2f}x "
                  f"{max(peaks):15.0f} {busy[0]:10.1f} / {busy[1]:9.1f} {cpu[0]:8.1f} / {cpu[1]:7.1f} "
                  f"{os.getloadavg()[0]:9.2f}", flush=True)
