"""One agency's reports of consecutive years (``devtools.synth.text`` shapes), tied as the national template ties
them: each year's 上年结转 is the year before's 结转下年度 (each applicant column), each year's 现行有效 is the year
before's plus 本年制发 minus 本年废止. In the glued web-text shape (Pingtan's) a row's figures run together, so a
run such as 4721530 (制发 | 废止 | 现行有效) can be cut several ways: only the neighbouring year settles it.
"""

from __future__ import annotations

import copy
from pathlib import Path

from devtools.synth.text import save_rendered
from devtools.synth.truth import make_truth, rule_violations

APPLICANTS = 6  # applicant columns before the total


def make_series(seed: int, years: int = 6, first_year: int = 2021) -> list[dict]:
    """The truths of ``years`` consecutive reports of one agency, each consistent in itself and with the last."""
    out: list[dict] = []
    for i in range(years):
        t = copy.deepcopy(make_truth(seed * 1000 + i, "2021"))
        t["report"] = {"agency": out[0]["report"]["agency"] if out else t["report"]["agency"],
                       "year": first_year + i}
        if out:
            _follow(out[-1], t)
        t["notes"] += f" Year {i + 1} of {years} of series {seed} (devtools.synth.series)."
        assert not rule_violations(t), rule_violations(t)
        out.append(t)
    return out


def _follow(before: dict, t: dict) -> None:
    """Make ``t`` the report of the year after ``before``'s."""
    rows, prev = t["applications"]["rows"], before["applications"]["rows"]
    for c in range(APPLICANTS):
        rows["carried_over"][c] = prev["carried_forward"][c]
        new = rows["total_processed"][c] + rows["carried_forward"][c] - rows["carried_over"][c]
        if new < 0:  # more carried in than this year's work and carry-out hold: carry more out
            rows["carried_forward"][c] -= new
            new = 0
        rows["new_received"][c] = new
    for key in ("new_received", "carried_over", "carried_forward"):
        rows[key][APPLICANTS] = sum(rows[key][:APPLICANTS])
    cells, last = t["proactive"]["cells"], before["proactive"]["cells"]
    for row in ("regulations", "normative_documents"):
        had, issued = last[f"{row}.in_force"], cells[f"{row}.issued"]
        cells[f"{row}.repealed"] = min(cells[f"{row}.repealed"], had + issued)
        cells[f"{row}.in_force"] = had + issued - cells[f"{row}.repealed"]


def write_series(folder: Path, seed: int, years: int = 6, shape: str = "glued") -> list[tuple[Path, dict]]:
    """Write the series (each report and its truth.json in a folder of its own); return (file, truth) per year."""
    out = []
    for i, truth in enumerate(make_series(seed, years)):
        path, written, _ = save_rendered(folder, f"series{seed:04d}_{truth['report']['year']}_{shape}", truth, shape,
                                         seed * 1000 + i)
        out.append((path, written))
    return out
