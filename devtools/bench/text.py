"""``devtools bench-text``: reading of text reports recover never saw, per text shape (``devtools.synth.text``).

For every shape, ``count`` reports (seeds ``seed`` … ``seed + count - 1``, each a ``make_truth`` ground truth) are
written to a temporary folder and run through ``extract`` in this process; each result is graded against its
truth like ``devtools score``. Printed per shape: reports, cells right (%), cells flagged (status not ok; how many
of them right anyway), silent errors (a wrong value with status ok — must be 0), crashes (an exception that is
not a ``RecoverError``) and errors (a ``RecoverError``: recover gave up on the report, every cell counted
flagged), each named with its exception class and file, and reports per second on one core (CPU time of
``extract`` alone, ``time.process_time``). A total line follows.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from recover.errors import RecoverError
from devtools.bench.scan import _wrong_cells, compare
from devtools.synth.text import SHAPES, write_report


def run_text_bench(count: int = 40, seed: int = 0, shapes: tuple[str, ...] = SHAPES, show_errors: bool = False,
                   keep: Path | None = None) -> dict[str, dict]:
    """Print the per-shape table and the total line; return the per-shape counts (and the problems)."""
    from recover.pipeline import extract

    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="recover-bench-text-") as tmp:
        root = keep or Path(tmp)
        extract(str(write_report(root / "_warm", seed, "tabs")[0]))  # load the catalogue, OpenCC, the solver
        print(f"{'shape':9s} {'reports':>7s} {'cells':>6s} {'right %':>8s} {'flagged':>8s} {'(right)':>7s} "
              f"{'silent':>6s} {'crashes':>7s} {'errors':>6s} {'reports/s':>9s}")
        for shape in shapes:
            c = dict.fromkeys(("reports", "cells", "right", "flagged", "flagged_right", "silent", "crashes",
                               "errors"), 0)
            c["cpu"], c["problems"] = 0.0, []
            for s in range(seed, seed + count):
                path, truth, st = write_report(root / shape, s, shape)
                c["reports"] += 1
                start = time.process_time()
                try:
                    result = extract(str(path)).to_dict()
                except RecoverError as exc:
                    c["cpu"] += time.process_time() - start
                    c["errors"] += 1
                    c["cells"] += compare(truth, {"cells": []})["cells"]
                    c["flagged"] += compare(truth, {"cells": []})["cells"]
                    c["problems"].append(f"error {type(exc).__name__} {path.name}: {exc}")
                    continue
                except Exception as exc:  # noqa: BLE001 - a crash is a bug to report, not to stop the bench
                    c["cpu"] += time.process_time() - start
                    c["crashes"] += 1
                    c["cells"] += compare(truth, {"cells": []})["cells"]
                    c["problems"].append(f"crash {type(exc).__name__} {path.name}: {exc}")
                    continue
                took = time.process_time() - start
                c["cpu"] += took
                if took > c.get("slowest", (0.0, ""))[0]:
                    c["slowest"] = (took, path.name)
                k = compare(truth, result)
                for key in ("cells", "right", "flagged", "flagged_right", "silent"):
                    c[key] += k[key]
                if k["silent"] or (show_errors and k["right"] < k["cells"]):
                    wrong = sorted(_wrong_cells(truth, result), key=lambda w: not w.endswith("(ok)"))
                    kind = "silent" if k["silent"] else "flagged"
                    c["problems"].append(f"{kind} {path.name} ({st.describe()}): " + "; ".join(wrong[:6])
                                         + (f" … {len(wrong)} wrong" if len(wrong) > 6 else ""))
            out[shape] = c
            _line(shape, c)
            if c.get("slowest", (0.0,))[0] > 1.0:
                print(f"    slowest {c['slowest'][1]}: {c['slowest'][0]:.1f} s CPU", file=sys.stderr)
            for p in c["problems"] if show_errors else [p for p in c["problems"] if not p.startswith("flagged")]:
                print(f"    {p}", file=sys.stderr)
        total = {k: sum(out[s][k] for s in out) for k in ("reports", "cells", "right", "flagged", "flagged_right",
                                                          "silent", "crashes", "errors", "cpu")}
        _line("total", total)
    return out


def _line(name: str, c: dict) -> None:
    share = 100 * c["right"] / max(c["cells"], 1)
    rate = c["reports"] / c["cpu"] if c["cpu"] else float("nan")
    print(f"{name:9s} {c['reports']:7d} {c['cells']:6d} {share:8.2f} {c['flagged']:8d} {c['flagged_right']:7d} "
          f"{c['silent']:6d} {c['crashes']:7d} {c['errors']:6d} {rate:9.1f}", flush=True)
