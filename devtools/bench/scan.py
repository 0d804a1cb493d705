"""``devtools bench-scan``: accuracy and speed of the scan route on a scan corpus written by ``devtools synth``.

For every level folder (``OUTDIR/300``, ``OUTDIR/200`` …) and every document in it, recover runs once on one
core (Tesseract limited to one thread with ``OMP_THREAD_LIMIT=1``, OpenCV with ``cv2.setNumThreads(1)``) and
its cells are compared with the document's truth.json. Printed per document and per level: cells right (%),
flagged for review (and how many of those were right anyway), silent errors (a wrong value with status ok —
the number that must be 0; a document recover gives up on, e.g. finding no table, counts every cell as flagged)
and seconds per table page (the document's time divided by the pages holding a
table, from its scan.json) as well as per page, both wall-clock and CPU (this process and its Tesseract
children: on a machine shared with other work the CPU seconds are the fair measure of one core). Also the cells
right before the repair (``raw``: the cell's text as read, taken at its cheapest reading, ``raw_value``) and the
peak memory (resident set of this process).
``engine`` picks the OCR engine (``recover.ocr.engine.get_engine``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from devtools.bench.corpus import truth_cells
from recover.errors import RecoverError
from recover.pipeline import extract

KEYS = ("cells", "raw", "right", "flagged", "flagged_right", "silent", "pages", "table_pages")


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def raw_value(observed: str | None) -> object:
    """A cell's text as read (its ``observed``), taken at its cheapest reading with no repair: "12" is 12, "-" is 0,
    a blank or garbage is None."""
    from recover.model import Channel
    from recover.read.values import readings

    found = readings(observed, Channel.ocr) if observed else []
    return found[0].value if found else None


def compare(truth: dict, result: dict) -> dict[str, int]:
    """Cells of ``truth`` against recover's ``result`` (its JSON dict), counted as ``devtools score`` counts them:
    cells, raw (right as read, before the repair: ``raw_value``), right, flagged (status not ok), flagged_right
    (flagged but right anyway) and silent (a wrong value with status ok)."""
    expected = truth_cells(truth)
    counts = {"cells": len(expected), "raw": 0, "right": 0, "flagged": 0, "flagged_right": 0, "silent": 0}
    for c in result["cells"]:
        key = (c["table"], c["row"], c["column"])
        if key not in expected:
            continue
        ok_value = c["value"] == expected[key]
        counts["raw"] += raw_value(c["observed"]) == expected[key]
        counts["right"] += ok_value
        if c["status"] != "ok":
            counts["flagged"] += 1
            counts["flagged_right"] += ok_value
        elif not ok_value:
            counts["silent"] += 1
    return counts


def level_folders(root: Path) -> list[Path]:
    """The level folders under ``root`` (folders whose subfolders hold a truth.json), or ``root`` itself."""
    if any(root.glob("*/truth.json")):
        return [root]
    return sorted((p for p in root.iterdir() if p.is_dir() and any(p.glob("*/truth.json"))),
                  key=lambda p: (-int(p.name) if p.name.isdigit() else 0, p.name))


def _wrong_cells(truth: dict, result: dict) -> list[str]:
    expected = truth_cells(truth)
    return [f"{c['table']}.{c['row']}.{c['column']}: truth {expected[k]!r}, got {c['value']!r} ({c['status']})"
            for c in result["cells"] if (k := (c["table"], c["row"], c["column"])) in expected
            and c["value"] != expected[k]]


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux units). (Not its children's: a forked child's
    ru_maxrss counts the parent's pages it was forked with.)"""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scan_bench(root: Path, show_errors: bool = False, engine: str | None = None) -> int:
    """Print the per-document and per-level table; return the total of silent errors."""
    import cv2

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if engine:
        os.environ["RECOVER_OCR_ENGINE"] = engine
    cv2.setNumThreads(1)
    from recover.ocr.choose import get_engine

    print(f"OCR engine: {get_engine().name}")
    silent = 0
    summary = []
    for folder in level_folders(root):
        totals = dict.fromkeys(KEYS, 0)
        seconds = cpu_seconds = 0.0
        print(f"level {folder.name}")
        print(f"  {'document':30s} {'cells':>5s} {'raw':>5s} {'right':>5s} {'flagged':>7s} {'silent':>6s} "
              f"{'s/table page':>12s} {'cpu s/table page':>16s}")
        for tp in sorted(folder.glob("*/truth.json")):
            truth = json.loads(tp.read_text(encoding="utf-8"))
            meta_path = tp.parent / "scan.json"
            meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
            start, cpu_start = time.perf_counter(), _cpu()
            try:
                result = extract(str(tp.parent / truth["source"])).to_dict()
                failure = ""
            except RecoverError as exc:  # e.g. no table found: every cell is lost, loudly (counted as flagged)
                result, failure = {"cells": []}, f"  ({type(exc).__name__})"
            took, cpu = time.perf_counter() - start, _cpu() - cpu_start
            counts = compare(truth, result)
            if failure:
                counts["flagged"] = counts["cells"]
            counts["pages"] = meta.get("pages", 0)
            counts["table_pages"] = len(meta.get("table_pages", ())) or counts["pages"] or 1
            print(f"  {tp.parent.name:30s} {counts['cells']:5d} {counts['raw']:5d} {counts['right']:5d} "
                  f"{counts['flagged']:7d} "
                  f"{counts['silent']:6d} {took / counts['table_pages']:12.1f} {cpu / counts['table_pages']:16.1f}"
                  f"{failure}", flush=True)
            if show_errors:
                for line in _wrong_cells(truth, result):
                    print(f"      {tp.parent.name}: {line}", file=sys.stderr)
            for k in KEYS:
                totals[k] += counts[k]
            seconds += took
            cpu_seconds += cpu
        silent += totals["silent"]
        share = 100 * totals["right"] / max(totals["cells"], 1)
        per_table, per_page = max(totals["table_pages"], 1), max(totals["pages"], 1)
        line = (f"level {folder.name}: {totals['cells']} cells, right {share:.1f} % "
                f"(before the repair {100 * totals['raw'] / max(totals['cells'], 1):.1f} %), "
                f"flagged {totals['flagged']} ({totals['flagged_right']} right anyway), "
                f"silent errors {totals['silent']}, {seconds / per_table:.1f} s per table page "
                f"({seconds / per_page:.1f} s per page; CPU {cpu_seconds / per_table:.1f} s per table page, one core); "
                f"peak memory {peak_mb():.0f} MB")
        summary.append(line)
        print(line, flush=True)
    print("\n".join(["summary:"] + summary))
    return silent
