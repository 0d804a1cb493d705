"""Throughput benchmark: text reports per second on one core (prints numbers; asserts nothing)."""

from __future__ import annotations

import time
from pathlib import Path

from recover.pipeline import extract
from recover.report.json_out import to_dict


def run_bench(folder: Path, repeat: int) -> None:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in {".txt", ".md"} and p.name != "README.md")
    extract(str(files[0]))  # warm caches (catalogue, OpenCC, confusion model)
    per_file = {}
    t0 = time.perf_counter()
    for _ in range(repeat):
        for f in files:
            s = time.perf_counter()
            to_dict(extract(str(f)))
            per_file[f.name] = per_file.get(f.name, 0.0) + time.perf_counter() - s
    total = time.perf_counter() - t0
    n = repeat * len(files)
    for name, t in sorted(per_file.items()):
        print(f"{name:40s} {1000 * t / repeat:8.1f} ms")
    print(f"{n} extractions in {total:.2f} s: {n / total:.1f} reports/s on one core (target >= 100)")
