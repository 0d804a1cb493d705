"""``recover extract --debug DIR``: the pages read by OCR drawn with their grids and the numbered cells, flagged
ones in red, and cells.tsv matching the numbers to the JSON's cells (淮安 2024's table page rendered as a scan)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import cv2
import numpy as np

from recover.ingest.scan import render_pdf
from recover.layout.scan.draw import GRID_COLOUR as GRID
from recover.report.debug import FLAGGED, OK


def _near(img: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    return np.all(np.abs(img.astype(int) - np.array(colour)) <= 30, axis=2)


def test_debug_view_draws_grids_cells_and_flags(tmp_path):
    page = render_pdf(__import__("pathlib").Path("corpus/huaian_city_2024/huaian_city_2024.pdf"), [4])[0][1]
    scan = tmp_path / "page4.png"
    cv2.imwrite(str(scan), page)
    out = tmp_path / "debug"
    run = subprocess.run([sys.executable, "-m", "recover", "extract", str(scan), "-o", str(tmp_path / "r.json"),
                          "--debug", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "debug view: 1 page image(s)" in run.stderr
    result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    drawn = [c for c in result["cells"] if c["page"] == 1 and c["bbox"]]
    rows = list(csv.DictReader((out / "cells.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == len(drawn) > 60  # table 二's last rows and the first rows of table 三
    assert [(r["table"], r["row"], r["column"], r["status"]) for r in rows] == \
        [(c["table"], c["row"], c["column"], c["status"]) for c in drawn]
    img = cv2.imread(str(out / "page-001.png"))
    assert img.shape[:2] == page.shape[:2]
    assert _near(img, GRID).sum() > 1000 and _near(img, OK).sum() > 1000
    flagged = [c for c in drawn if c["status"] != "ok"]
    assert (_near(img, FLAGGED).sum() > 100) == bool(flagged)
    for c in flagged:  # each flagged cell's outline is red
        x0, y0, x1, y1 = (round(v) for v in c["bbox"])
        assert _near(img[y0:y1 + 1, x0:x1 + 1], FLAGGED).sum() > (x1 - x0)


def test_no_debug_view_for_a_text_report(tmp_path):
    out = tmp_path / "debug"
    run = subprocess.run([sys.executable, "-m", "recover", "extract", "corpus/seed_002/002_c54325003f6269d3.txt",
                          "-o", str(tmp_path / "r.json"), "--debug", str(out)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and "no page of this document was read by OCR" in run.stderr
    assert not out.exists()


def test_a_flagged_cell_is_outlined_in_red(tmp_path):
    from recover.report.debug import write_debug

    page = render_pdf(__import__("pathlib").Path("corpus/huaian_city_2024/huaian_city_2024.pdf"), [4])[0][1]
    scan = tmp_path / "page4.png"
    cv2.imwrite(str(scan), page)
    box = [900.0, 1270.0, 990.0, 1335.0]
    cell = {"table": "applications", "row": "granted", "column": "research", "value": 0, "observed": "9",
            "status": "corrected", "confidence": 0.75, "page": 1, "bbox": box, "reason": "read '9', rules need 0"}
    result = {"source": {"kind": "scan"}, "cells": [dict(cell, status="ok", bbox=[100.0, 100.0, 200.0, 160.0]),
                                                    cell]}
    written = write_debug(scan, result, tmp_path / "d")
    assert [w.name for w in written] == ["page-001.png", "cells.tsv"]
    img = cv2.imread(str(written[0]))
    x0, y0, x1, y1 = (round(v) for v in box)
    assert _near(img[y0:y1 + 1, x0:x1 + 1], FLAGGED).sum() > 2 * (x1 - x0)
    assert _near(img[100:161, 100:201], FLAGGED).sum() == 0 and _near(img[100:161, 100:201], OK).sum() > 100
    rows = list(csv.DictReader(written[1].open(encoding="utf-8"), delimiter="\t"))
    assert [(r["id"], r["status"], r["reason"]) for r in rows] == [("1", "ok", cell["reason"]),
                                                                 ("2", "corrected", cell["reason"])]
