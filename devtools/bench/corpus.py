"""Benchmarks that print numbers (they assert nothing): throughput, and accuracy against the corpus truth.

``devtools bench`` times the whole pipeline per file on one core. ``devtools score`` compares every
corpus document that has a hand-written ``truth.json`` with recover's output: cells right, cells
flagged for review, and silent errors (a wrong value with status ok — the number that must be 0).
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import sys
import time
from pathlib import Path

from recover.batch.worker import settle_heap
from recover.catalogue import APP_COLS, REV_COLS
from recover.pipeline import extract

REPORT_SUFFIXES = {".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".png", ".jpg", ".jpeg", ".tif",
                   ".tiff"}


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                  and p.name.lower() != "readme.md")


def truth_cells(truth: dict) -> dict[tuple[str, str, str], object]:
    """The cells of a corpus truth.json, keyed (table, row, column)."""
    out: dict[tuple[str, str, str], object] = {}
    for row, vals in truth["applications"]["rows"].items():
        out.update({("applications", row, c): v for c, v in zip(APP_COLS, vals)})
    for row, vals in truth["review_litigation"].items():
        out.update({("review_litigation", row, c): v for c, v in zip(REV_COLS, vals)})
    for rc, v in truth["proactive"]["cells"].items():
        r, c = rc.split(".")
        out[("proactive", r, c)] = v
    return out


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (a tesseract process per call, when used): the time on
    one core, whatever else the machine is running."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def allocator() -> str:
    """The malloc this process runs with: "tcmalloc" when that library is mapped into it (LD_PRELOAD), else
    "system"."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return "system"
    return "tcmalloc" if "libtcmalloc" in maps else "system"


def compiled_modules() -> list[str]:
    """The recover modules loaded so far that run compiled (C extensions built by mypyc at install when
    RECOVER_COMPILE=1: setup.py)."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return sorted(name for name, mod in list(sys.modules.items())
                  if name.startswith("recover.") and (getattr(mod, "__file__", None) or "").endswith(suffixes))


def clear_text_caches() -> None:
    """Forget what was read from earlier texts (readings of a figure, normalised labels), so that a report timed
    again is timed as if first seen, not from what its own earlier run left behind."""
    from recover.match import normalise
    from recover.read import values
    from recover.reconstruct import units

    for f in (normalise.normalise, normalise.core, values._readings, units._cell_readings, units._override_of):
        f.cache_clear()


def run_bench(folder: Path, repeat: int) -> None:
    """Time every report under ``folder`` (after one warm-up run, ``repeat`` times, fewer if a run takes over
    a second; a report whose warm-up takes over 5 s is measured by it, each run with the per-text caches cleared:
    ``clear_text_caches``) and print reports/s per kind of input and ms per page of paginated inputs, on one core
    (CPU time, ``cpu_seconds``). After the first report, the garbage collector is settled as a batch worker's is
    after its first document (``settle_heap``).

    Each report's time is given as the mean of its runs and as the best of them. On a shared machine the CPU time
    of the same run varies by a third, at times by half, from one minute to the next (other tenants' load slows
    this process's own instructions: caches, memory bandwidth, clock); the best run is the time the code needs, the
    mean what this machine gave it at that moment (as ``timeit`` advises). The runs are made in rounds, each
    round one run of every report still measured, so that each report's runs are spread over the whole benchmark
    and a slow minute does not take all the runs of one report."""
    files = report_files(folder)
    extract(str(files[0]))  # warm caches (catalogue, OpenCC, confusion model, solver)
    settle_heap()  # as a batch worker does after its first document
    compiled = compiled_modules()
    print(f"compiled modules (mypyc, RECOVER_COMPILE=1 at install): {len(compiled)}" if compiled else
          "compiled modules: none (pure Python, the default install)")
    print(f"allocator: {allocator()} (docs/install.md: TCMalloc through LD_PRELOAD)")
    times: dict[Path, list[float]] = {f: [] for f in files}
    kinds: dict[Path, str] = {}
    measured = []  # the reports timed in rounds
    for f in files:
        s = cpu_seconds()
        kinds[f] = extract(str(f)).to_dict()["source"]["kind"]  # warm-up: lazy imports (Camelot, Tesseract) load once
        if cpu_seconds() - s > 5.0:  # a slow input (a scan): the warm-up run measures it well enough
            times[f].append(cpu_seconds() - s)
        else:
            measured.append(f)
    for _ in range(repeat):
        for f in list(measured):
            clear_text_caches()
            s = cpu_seconds()
            extract(str(f)).to_dict()
            times[f].append(cpu_seconds() - s)
            if times[f][0] > 1.0:  # a slow input (a scan): one run measures it well enough
                measured.remove(f)
    per_kind: dict[str, list[float]] = {}
    best_kind: dict[str, list[float]] = {}
    paged: dict[str, list[tuple[float, int]]] = {}
    for f in files:
        ts, kind = times[f], kinds[f]
        ms = 1000 * sum(ts) / len(ts)
        pages = _pages(f)
        per_page = f"  {ms / pages:8.1f} ms/page ({pages} pages)" if pages else ""
        print(f"{f.name:44s} {kind:5s} {ms:9.1f} ms (best {1000 * min(ts):.1f}){per_page}")
        per_kind.setdefault(kind, []).append(sum(ts) / len(ts))
        best_kind.setdefault(kind, []).append(min(ts))
        if pages:
            paged.setdefault(kind, []).append((sum(ts) / len(ts), pages))
    for kind, ts in sorted(per_kind.items()):
        bs = best_kind[kind]
        print(f"{kind:5s}: {len(ts)} reports, mean {1000 * sum(ts) / len(ts):.1f} ms, "
              f"{len(ts) / sum(ts):.1f} reports/s on one core (best runs: {1000 * sum(bs) / len(bs):.1f} ms, "
              f"{len(bs) / sum(bs):.1f} reports/s)")
    for kind, tp in sorted(paged.items()):
        print(f"{kind:5s}: {1000 * sum(t for t, _ in tp) / sum(n for _, n in tp):.1f} ms per page on one core")
    text = per_kind.get("text", [])
    if text:
        best = best_kind["text"]
        print(f"text reports: {len(text) / sum(text):.1f} reports/s on one core, best runs "
              f"{len(best) / sum(best):.1f} reports/s")
        walls = {f: min(start_up(f) for _ in range(3)) for f in files if kinds[f] == "text"}
        slow = max(walls, key=walls.__getitem__)
        print(f"start-up: recover extract in a fresh process, imports included, best of 3 runs per text report: "
              f"{min(walls.values()):.2f}-{walls[slow]:.2f} s wall (slowest {slow.name}; target <= 0.5)")


def start_up(path: Path) -> float:
    """Wall seconds of ``recover extract PATH`` in a fresh interpreter (what one report on the command line costs,
    imports included)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        s = time.perf_counter()
        subprocess.run([sys.executable, "-m", "recover", "extract", str(path), "-o", f"{tmp}/out.json"],
                       capture_output=True, check=True)
        return time.perf_counter() - s


def _pages(path: Path) -> int | None:
    """Page count of a PDF (None for other inputs)."""
    if path.suffix.lower() != ".pdf":
        return None
    import pypdfium2 as pdfium

    try:
        return len(pdfium.PdfDocument(str(path)))
    except pdfium.PdfiumError:
        return None


def run_score(folder: Path) -> int:
    """Print cells right / flagged / silent errors per corpus document; return the silent errors."""
    totals = {"cells": 0, "right": 0, "flagged": 0, "flagged_right": 0, "silent": 0}
    print(f"{'document':28s} {'cells':>5s} {'right':>5s} {'flagged':>7s} {'silent':>6s}")
    for tp in sorted(folder.glob("*/truth.json")):
        truth = json.loads(tp.read_text(encoding="utf-8"))
        result = extract(str(tp.parent / truth["source"])).to_dict()
        expected = truth_cells(truth)
        right = flagged = silent = flagged_right = 0
        for c in result["cells"]:
            key = (c["table"], c["row"], c["column"])
            if key not in expected:
                continue
            ok_value = c["value"] == expected[key]
            right += ok_value
            if c["status"] != "ok":
                flagged += 1
                flagged_right += ok_value
            elif not ok_value:
                silent += 1
        n = len(expected)
        print(f"{tp.parent.name:28s} {n:5d} {right:5d} {flagged:7d} {silent:6d}")
        for k, v in (("cells", n), ("right", right), ("flagged", flagged), ("flagged_right", flagged_right),
                     ("silent", silent)):
            totals[k] += v
    print(f"{'total':28s} {totals['cells']:5d} {totals['right']:5d} {totals['flagged']:7d} {totals['silent']:6d}")
    print(f"cells right {100 * totals['right'] / max(totals['cells'], 1):.1f} %, flagged for review "
          f"{totals['flagged']} ({totals['flagged_right']} of them right anyway), silent errors {totals['silent']}")
    return totals["silent"]
