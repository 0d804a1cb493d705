"""recover's reasons on the review page in Chinese: every reason a cell of the corpus or of generated reports
carries, and every reading the solver weighed, is matched by a pattern of recover/review/reasons.py (so a sentence
changed in the code without its twin fails here), nested reasons included; rules named as the template prints."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from devtools.synth.series import write_series
from devtools.synth.text import SHAPES, write_report
from recover.pipeline import extract
from recover.report.evidence import stored_evidence
from recover.review import data, words
from recover.review.reasons import chinese, english_left
from tests.conftest import CORPUS, source_of, truth_docs


def _zh(text):
    return chinese(text, lambda r: words.rule_name(r, data.labels(), "zh"), data.row_label)


def _said(ex) -> set[str]:
    out = {c.reason for c in ex.cells if c.reason}
    for ev in stored_evidence(ex).values():
        out |= {why for _, _, why, _ in ev["candidates"]} | ({ev["note"]} if ev["note"] else set())
    return out


@pytest.fixture(scope="module")
def reasons() -> set[str]:
    found: set[str] = set()
    for truth in truth_docs():
        src = source_of(truth)
        if src.suffix.lower() in (".pdf", ".docx", ".html", ".htm", ".doc") or "scan" in src.name:
            continue  # (text reports give every reason of the repair; PDFs and scans add OCR's, below)
        found |= _said(extract(str(src)))
    with tempfile.TemporaryDirectory() as tmp:
        for shape in SHAPES:
            for seed in range(4000, 4006):
                found |= _said(extract(str(write_report(Path(tmp), seed, shape)[0])))
        made = write_series(Path(tmp) / "series", 7, 3)
        from recover.collection.links import link_sides

        sides = [link_sides(extract(str(p))) for p, _ in made]
        from recover.collection.links import neighbour_ties

        found |= _said(extract(str(made[1][0]), ties=neighbour_ties(sides[0], sides[2], (2021, 2022, 2023))))
    return found


def test_every_reason_recover_writes_reads_in_chinese(reasons):
    left = {r: _zh(r) for r in reasons if english_left(_zh(r))}
    assert len(reasons) > 100 and not left, left


def test_a_nested_reason_and_its_rules_are_translated_whole():
    reason = ("'b' read as 6 (misprinted glyph); chosen because rules row_total[partially_granted], "
              "outcome_total[natural_person] hold with it")
    assert _zh(reason) == ("「b」读作 6（字形误印）；取此值时勾稽关系〔（二）部分公开（区分处理的，"
                           "只计这一情形，不计其他情形）：各类申请人之和 = 总计〕"
                           "〔自然人：各项办理结果之和 = （七）总计〕成立")
    assert _zh("no pattern says this") == "no pattern says this"  # shown as written


def test_the_scan_and_pdf_reasons_read_in_chinese():
    """OCR's reasons (confidence, second readings, confusions) from the corpus scan and a PDF read by OCR."""
    said = set()
    for name in ("huaian_city_2024_scan", "hongze_district_2024_garbled"):
        said |= _said(extract(str(source_of(CORPUS / name / "truth.json"))))
    left = {r: _zh(r) for r in said if english_left(_zh(r))}
    assert said and not left, left
