"""Consecutive years settle each other: in glued web text (Pingtan's) a row's 制发 | 废止 | 现行有效 run together
and can be cut several ways; the year before or after (its 现行有效, or its own cuts) leaves one. A batch of one
agency's six years written by devtools.synth.series recovers more cells right than the same reports read alone,
with no silent error; the cells a neighbour settled say so; a single report is read as before."""

from __future__ import annotations

import json
import sqlite3

from devtools.bench.scan import compare
from devtools.synth.series import make_series, write_series
from devtools.synth.truth import rule_violations
from recover.pipeline import extract
from tests.batch.conftest import run_cli


def test_a_series_is_tied_as_the_template_ties_consecutive_years():
    years = make_series(31, 6)
    assert [t["report"]["year"] for t in years] == list(range(2021, 2027))
    assert len({t["report"]["agency"] for t in years}) == 1 and not any(rule_violations(t) for t in years)
    for before, after in zip(years, years[1:]):
        assert before["applications"]["rows"]["carried_forward"] == after["applications"]["rows"]["carried_over"]
        b, a = before["proactive"]["cells"], after["proactive"]["cells"]
        for row in ("regulations", "normative_documents"):
            assert a[f"{row}.in_force"] == b[f"{row}.in_force"] + a[f"{row}.issued"] - a[f"{row}.repealed"]


def _score(truth: dict, cells: list[dict]) -> dict:
    return compare(truth, {"cells": cells})


def test_a_batch_of_six_years_recovers_more_than_each_year_alone(tmp_path):
    made = [m for s in (100, 101) for m in write_series(tmp_path / "gen", s, 6)]
    (tmp_path / "in").mkdir()
    for path, _ in made:
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    proc = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "-q")
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "out" / "results.sqlite")
    alone, settled = ({"right": 0, "flagged": 0, "silent": 0} for _ in range(2))
    reasons = []
    for path, truth in made:
        (doc_id,) = db.execute("SELECT document_id FROM files WHERE path LIKE ?", (f"%{path.name}",)).fetchone()
        cells = [{"table": t, "row": r, "column": c, "value": v, "observed": o, "status": s}
                 for t, r, c, v, o, s in db.execute('SELECT "table", "row", "column", value, observed, status '
                                                    "FROM cells WHERE document_id = ?", (doc_id,))]
        reasons += [r for (r,) in db.execute("SELECT reason FROM cells WHERE document_id = ? AND reason LIKE "
                                             "'%settled by the 20%'", (doc_id,))]
        for k, v in _score(truth, cells).items():
            if k in settled:
                settled[k] += v
        for k, v in compare(truth, extract(str(path)).to_dict()).items():
            if k in alone:
                alone[k] += v
    assert settled["silent"] == alone["silent"] == 0
    assert settled["right"] > alone["right"] and settled["flagged"] < alone["flagged"], (alone, settled)
    assert reasons and all("现行有效" in r or "结转" in r for r in reasons)
    report = json.loads(next((tmp_path / "out").glob("series0100_2022*.json")).read_text(encoding="utf-8"))
    assert any("settled by the 2021 report" in (c["reason"] or "") for c in report["cells"])  # the report says so
    assert db.execute("SELECT count(*) FROM cross_year WHERE holds = 0").fetchone()[0] == 0


def test_a_single_report_of_a_series_reads_as_before(tmp_path):
    """No neighbour, nothing said: the batch of one report gives what extract gives."""
    (path, truth), *_ = write_series(tmp_path / "gen", 100, 2)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    assert run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "-q").returncode == 0
    stored = json.loads(next((tmp_path / "out").glob("*.json")).read_text(encoding="utf-8"))
    assert stored["cells"] == extract(str(path)).to_dict()["cells"]


def test_a_series_with_a_gap_links_only_the_years_that_follow_each_other(tmp_path):
    """2021, 2022 and 2024 of one agency: 2022 is checked against 2021, 2024 against nothing; 2024 reads as alone."""
    made = write_series(tmp_path / "gen", 101, 4)
    kept = [m for m in made if m[1]["report"]["year"] != 2023]
    (tmp_path / "in").mkdir()
    for path, _ in kept:
        (tmp_path / "in" / path.name).write_bytes(path.read_bytes())
    assert run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "-q").returncode == 0
    db = sqlite3.connect(tmp_path / "out" / "results.sqlite")
    assert {(a, b) for a, b in db.execute("SELECT earlier_year, later_year FROM cross_year")} == {(2021, 2022)}
    path, _ = kept[-1]
    stored = json.loads(next((tmp_path / "out").glob(f"{path.stem}.json")).read_text(encoding="utf-8"))
    assert stored["cells"] == extract(str(path)).to_dict()["cells"]
