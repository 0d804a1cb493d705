"""Collections: one agency's reports across years. Names printed differently are one agency (洪泽 2023 prints
洪泽区人民政府, 2024 淮安市洪泽区人民政府); a district name two cities share stays apart; consecutive years are checked
by the template's links (上年结转 = last year's 结转下年度; 现行有效 = last year's + 制发 − 废止), in the store, the
summary and the exports; a mapping file overrides the keys."""

from __future__ import annotations

import shutil
import sqlite3

import pandas as pd

from recover.collection.agency import agency_keys, normalise
from recover.collection.links import cross_checks
from tests.batch.conftest import run_cli
from tests.conftest import CORPUS, source_of


def test_names_of_one_agency_share_a_key_and_a_shared_district_name_does_not():
    keys = agency_keys(["洪泽区人民政府", "淮安市洪泽区人民政府", "淮安市洪澤區人民政府", "上海市人民政府办公厅",
                        "上海市人民政府辦公室", "淮安市市场监督管理局", "市场监督管理局", "南京市鼓楼区人民政府",
                        "福州市鼓楼区人民政府", "鼓楼区人民政府"])
    assert keys[normalise("淮安市洪澤區人民政府")] == keys["淮安市洪泽区人民政府"] == "洪泽区人民政府"
    assert keys[normalise("上海市人民政府办公厅")] == keys[normalise("上海市人民政府辦公室")]
    assert keys["淮安市市场监督管理局"] != keys["市场监督管理局"]  # 市场… is no place: not a short name of it
    assert len({keys["南京市鼓楼区人民政府"], keys["福州市鼓楼区人民政府"], keys["鼓楼区人民政府"]}) == 3


def test_a_link_that_differs_says_by_how_much_and_whether_both_sides_were_read_as_printed():
    earlier = {("applications", "carried_forward", "total"): (12, "ok"),
               ("proactive", "normative_documents", "in_force"): (504, "ok")}
    later = {("applications", "carried_over", "total"): (21, "ok"),
             ("proactive", "normative_documents", "in_force"): (530, "ok"),
             ("proactive", "normative_documents", "issued"): (47, "ok"),
             ("proactive", "normative_documents", "repealed"): (21, "corrected")}
    found = {c.rule: c for c in cross_checks(earlier, later, (2022, 2023))}
    carried = found["carried[total]"]
    assert carried.holds is False and carried.sure and "12 ≠ 21" in carried.detail
    in_force = found["in_force[normative_documents]"]
    assert in_force.holds is True and not in_force.sure  # 504 + 47 − 21 = 530, a corrected figure among them
    assert found["carried[natural_person]"].holds is None  # not printed in these fragments


def _batch(tmp_path, names, *extra):
    inp = tmp_path / "in"
    inp.mkdir()
    for name in names:
        shutil.copy(source_of(CORPUS / name / "truth.json"), inp)
    proc = run_cli("batch", inp, "-o", tmp_path / "out", "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    return sqlite3.connect(tmp_path / "out" / "results.sqlite")


def test_the_hongze_pair_is_one_agency_whose_years_agree(tmp_path):
    db = _batch(tmp_path, ["hongze_district_2023", "hongze_district_2024"])
    keys = dict(db.execute("SELECT year, agency_key FROM current_documents").fetchall())
    assert keys == {2023: "洪泽区人民政府", 2024: "洪泽区人民政府"}
    checks = db.execute("SELECT rule, holds, sure, detail FROM cross_year").fetchall()
    assert len(checks) == 9 and all(h == 1 and s == 1 for _, h, s, _ in checks)
    in_force = next(d for r, _, _, d in checks if r == "in_force[normative_documents]")
    assert in_force == "2023 in_force 5 → 2024 in_force 8 − issued 3 + repealed 0 = 5: holds"
    summary = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert "Agencies across years" in summary and "洪泽区人民政府" in summary
    assert run_cli("export", tmp_path / "out", "--format", "csv").returncode == 0
    cross = pd.read_csv(tmp_path / "out" / "cells.cross_year.csv")
    assert len(cross) == 9 and cross.holds.all() and set(cross.agency_key) == {"洪泽区人民政府"}
    cells = pd.read_csv(tmp_path / "out" / "cells.csv")
    assert set(cells.agency_key) == {"洪泽区人民政府"}


def test_a_mapping_file_sets_the_agency_key(tmp_path):
    """邢台市商务局 2023 and 新乡市商务局 2024 are two agencies; mapped to one key, their years are linked."""
    mapping = tmp_path / "agencies.csv"
    mapping.write_text("path,agency\n000_c065b0c281ef9ff9.txt,商务局（合并）\n001_46ba6e2557a9db6f.txt,商务局（合并）\n",
                       encoding="utf-8")
    db = _batch(tmp_path, ["seed_000", "seed_001"], "--agencies", mapping)
    assert {k for (k,) in db.execute("SELECT agency_key FROM current_documents")} == {"商务局（合并）"}
    assert db.execute("SELECT count(*), min(earlier_year), max(later_year) FROM cross_year").fetchone() == (9, 2023,
                                                                                                          2024)
    bad = tmp_path / "bad.csv"
    bad.write_text("file,who\nx,y\n", encoding="utf-8")
    proc = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out2", "-q", "--agencies", bad)
    assert proc.returncode == 4 and "path and agency" in proc.stderr and "Traceback" not in proc.stderr
