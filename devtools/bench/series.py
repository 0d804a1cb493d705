"""``devtools bench-series``: one agency's consecutive years, read alone and then settled with their neighbouring
years (``recover.collection.settle``, as ``recover batch`` does), graded against their truths.

``count`` agencies (seeds ``seed`` … ``seed + count - 1``), ``years`` reports each, in the glued web-text shape
(``devtools.synth.series``). Printed: cells, right, flagged, silent errors, read alone and with the neighbouring
years, and the rounds it took.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from devtools.bench.scan import _wrong_cells, compare
from devtools.synth.series import write_series


def run_series_bench(count: int = 10, seed: int = 0, years: int = 6, shape: str = "glued",
                     show_errors: bool = False) -> dict[str, dict[str, int]]:
    from recover.collection.links import link_sides
    from recover.collection.settle import SETTLING_ROUNDS, Member, is_open, ties_for, ties_json
    from recover.pipeline import extract

    totals = {k: dict.fromkeys(("cells", "right", "flagged", "silent"), 0) for k in ("alone", "with neighbours")}
    rounds_used = 0
    with tempfile.TemporaryDirectory(prefix="recover-bench-series-") as tmp:
        for s in range(seed, seed + count):
            made = write_series(Path(tmp), s, years, shape)
            results = {i: extract(str(path)) for i, (path, _) in enumerate(made)}
            for i, (_, truth) in enumerate(made):
                _add(totals["alone"], compare(truth, results[i].to_dict()))
            used: dict[int, str] = {}
            for r in range(SETTLING_ROUNDS):
                members = [Member(i, truth["report"]["year"], link_sides(results[i]), is_open(results[i]))
                           for i, (_, truth) in enumerate(made)]
                todo = {i: ties for i, ties in ties_for(members).items() if ties_json(ties) != used.get(i)}
                if not todo:
                    break
                rounds_used = max(rounds_used, r + 1)
                for i, ties in todo.items():
                    results[i] = extract(str(made[i][0]), ties=ties)
                    used[i] = ties_json(ties)
            for i, (path, truth) in enumerate(made):
                result = results[i].to_dict()
                k = compare(truth, result)
                _add(totals["with neighbours"], k)
                if k["silent"] or (show_errors and k["right"] < k["cells"]):
                    print(f"    {path.name}: " + "; ".join(_wrong_cells(truth, result)[:6]), file=sys.stderr)
    print(f"{'read':16s} {'reports':>7s} {'cells':>6s} {'right':>6s} {'right %':>8s} {'flagged':>8s} {'silent':>6s}")
    for name, c in totals.items():
        share = 100 * c["right"] / max(c["cells"], 1)
        print(f"{name:16s} {count * years:7d} {c['cells']:6d} {c['right']:6d} {share:8.2f} {c['flagged']:8d} "
              f"{c['silent']:6d}")
    print(f"settling rounds used: {rounds_used}")
    return totals


def _add(total: dict[str, int], k: dict) -> None:
    for key in total:
        total[key] += k[key]
