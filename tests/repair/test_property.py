"""Property: damage a consistent table with realistic misreadings; the repair restores every damaged
cell or flags it, and never returns a wrong value with status ``ok``.

At most two cells are damaged per table: the smallest change that keeps every rule of table 三 true
touches four cells (a rectangle of +d/−d), so three damaged cells can form a perfectly consistent
wrong table that no arithmetic can detect; two cannot. A lost or blanked cell counts twice: it
removes its evidence altogether, and the equation that recovers it can then no longer also expose
a misprint beside it (a printed 14 values plus one wrong total is explained by the wrong value's
cell being the lost one). Each group of table 四 is a single equation over five cells, so it can
expose one damaged cell but not two: at most one damage per group.
"""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recover.catalogue import load_catalogue
from recover.pipeline import extract

CAT = load_catalogue()
APP = CAT.tables["applications"]
ROWS = [r for r in APP.rows_for("2021")]
COLS = [c.key for c in APP.columns]
REV_ROWS = ["review", "litigation_direct", "litigation_after_review"]
REV_COLS = ["upheld", "corrected", "other", "pending", "total"]
GLYPHS = {"0": ["b", "o", "O"], "1": ["l", "I"], "5": ["S"], "8": ["B"], "2": ["Z"]}
OCR_SWAPS = {"0": "8", "1": "7", "3": "8", "5": "6", "6": "5", "8": "3", "7": "1"}


def consistent_table(rng: random.Random) -> dict[tuple[str, str, str], int]:
    def small() -> int:
        return rng.choice([0] * 6 + [rng.randint(1, 9), rng.randint(10, 120)])

    outcome = [r.key for r in ROWS if r.role == "outcome"]
    t: dict[tuple[str, str, str], int] = {}
    for c in COLS[:-1]:
        for r in outcome:
            t["applications", r, c] = small() if c in ("natural_person", "commercial") else rng.choice([0] * 12 + [1])
        t["applications", "total_processed", c] = sum(t["applications", r, c] for r in outcome)
        t["applications", "carried_forward", c] = small()
        out = t["applications", "total_processed", c] + t["applications", "carried_forward", c]
        t["applications", "carried_over", c] = rng.randint(0, out)
        t["applications", "new_received", c] = out - t["applications", "carried_over", c]
    for r in ROWS:
        t["applications", r.key, "total"] = sum(t["applications", r.key, c] for c in COLS[:-1])
    for r in REV_ROWS:
        vals = [small() for _ in range(4)]
        for c, v in zip(REV_COLS, vals + [sum(vals)]):
            t["review_litigation", r, c] = v
    return t


def render(t: dict, tokens: dict) -> str:
    lines = ["测试局2023年政府信息公开工作年度报告", "", "二、主动公开政府信息情况", "第二十条第（一）项",
             "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t0", "",
             "三、收到和处理政府信息公开申请情况",
             "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况",
             "\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
             "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"]
    for r in ROWS:
        group = f"{r.group}\t" if r.group and r.label[0].isdigit() else ""
        vals = [tokens.get(("applications", r.key, c), str(t["applications", r.key, c])) for c in COLS]
        lines.append(f"{group}{r.label}\t" + "\t".join(v for v in vals if v is not None))
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况", "行政复议\t\t\t\t\t行政诉讼",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
              "\t".join(v for v in (tokens.get(("review_litigation", r, c), str(t["review_litigation", r, c]))
                                    for r in REV_ROWS for c in REV_COLS) if v is not None),
              "", "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


def damage(t: dict, rng: random.Random, k: int, ocr: bool) -> dict:
    """Printed tokens that differ from the truth: glyphs, OCR digit swaps, a digit OCR lost, blanks, lost
    cells."""
    tokens: dict = {}
    keys = rng.sample(sorted(t), k)
    while len({(key[0], key[1]) for key in keys if key[0] == "review_litigation"}) < sum(
            key[0] == "review_litigation" for key in keys):
        keys = rng.sample(sorted(t), k)  # one group of table 四 is a single equation: at most one damage
    budget = 2
    for key in keys:
        if budget <= 0:
            break
        s = str(t[key])
        kind = rng.choice(["glyph", "swap", "dropped", "blank", "lost", "print"])
        i = rng.randrange(len(s))
        if kind == "dropped" and ocr and len(s) > 1 and s[1] != "0":
            tokens[key] = s[1:]  # a faint leading digit lost (a 150 dpi scan read 12 as 2)
        elif kind == "glyph" and s[i] in GLYPHS:
            tokens[key] = s[:i] + rng.choice(GLYPHS[s[i]]) + s[i + 1:]
        elif kind == "swap" and s[i] in OCR_SWAPS:
            tokens[key] = s[:i] + OCR_SWAPS[s[i]] + s[i + 1:]
        elif kind == "blank" and budget == 2:
            tokens[key] = ""
            budget -= 1
        elif kind == "lost" and key[0] == "applications" and budget == 2:
            tokens[key] = None  # the cell and its separator are gone: later values shift left
            budget -= 1
        else:
            tokens[key] = str(t[key] + rng.choice([1, 2, 10, -1])) if t[key] > 1 else str(t[key] + 1)
        budget -= 1
    return tokens


EXAMPLES = int(os.environ.get("RECOVER_PROPERTY_EXAMPLES", "150"))  # set 2000+ for a thorough run
# the same examples on every run (CI stays reproducible); RECOVER_PROPERTY_RANDOM=1 draws new ones
RANDOM = bool(os.environ.get("RECOVER_PROPERTY_RANDOM"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=not RANDOM, database=None if not RANDOM else settings.default.database)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 2), ocr=st.booleans())
def test_damaged_tables_are_restored_or_flagged(tmp_path, seed, k, ocr):
    check_restored_or_flagged(tmp_path, seed, k, ocr)


@pytest.mark.xfail(strict=True, reason="known limit: two compensating misprints in one row (1 for 0, 2 for 1) are "
                   "explained by a cheaper pair of OCR confusions in another row (16 read for 15), flagged there, "
                   "and the misprinted row passes as ok")
def test_two_compensating_misprints_in_one_row(tmp_path):
    check_restored_or_flagged(tmp_path, 76390913, 2, True)


def check_restored_or_flagged(tmp_path, seed: int, k: int, ocr: bool) -> None:
    rng = random.Random(seed)
    truth = consistent_table(rng)
    tokens = damage(truth, rng, k, ocr)
    path = tmp_path / f"report{'_ocr' if ocr else ''}_{seed}.txt"
    path.write_text(render(truth, tokens), encoding="utf-8")
    ex = extract(str(path))
    got = {c.key: c for c in ex.cells}
    silent = [(key, got[key].value, v, tokens.get(key)) for key, v in truth.items()
              if got[key].status == "ok" and got[key].value != v]
    assert not silent, silent
    # a damaged cell never passes as ok unless its value is right
    for key in tokens:
        assert got[key].status != "ok" or got[key].value == truth[key]
    # undamaged tables come back untouched
    if not tokens:
        assert all(c.status == "ok" for c in ex.cells)
