"""The read-only ``recover extract --report`` page shows the same evidence as the review page: crops for PDF cells,
source lines for text cells, the values weighed; all document text escaped."""

from __future__ import annotations

import base64
import io

from PIL import Image

from recover.pipeline import extract
from recover.report.evidence import flagged_evidence
from recover.report.html import render_html
from tests.batch.conftest import run_cli
from tests.conftest import CORPUS, source_of
from tests.review.conftest import HOSTILE_LINE, hostile_text


def test_pdf_report_embeds_a_crop_per_flagged_cell(tmp_path):
    html = tmp_path / "hz.html"
    proc = run_cli("extract", source_of(CORPUS / "hongze_district_2023" / "truth.json"), "-o", tmp_path / "hz.json",
                   "--report", html)
    assert proc.returncode == 0, proc.stderr
    page = html.read_text(encoding="utf-8")
    crops = page.split('<img class="crop" alt="page 4" src="data:image/png;base64,')[1:]
    assert len(crops) == 3  # 2 source_inconsistent + 1 ambiguous cells
    img = Image.open(io.BytesIO(base64.b64decode(crops[0].split('"', 1)[0])))
    assert img.width > 200
    assert "printed 0, but rules group_total[review] require 11" in page and "as printed" in page
    assert "<script" not in page  # still read-only and script-free


def test_text_report_shows_the_source_line_escaped(tmp_path):
    src = tmp_path / "hostile.txt"
    src.write_text(hostile_text(), encoding="utf-8")
    ex = extract(str(src))
    ev = flagged_evidence(ex)
    (key,) = ev
    assert key == "applications.partially_granted.natural_person" and ev[key]["crop"] is None
    assert any(own and figure == "b" for _, _before, figure, _after, own in ev[key]["lines"])  # marked
    assert any(HOSTILE_LINE in before + after for _, before, _fig, after, _own in ev[key]["lines"])

    page = render_html(ex.to_dict(), None, ev)
    assert HOSTILE_LINE not in page and "&lt;img src=x onerror=" in page
    assert "&#x27;b&#x27; read as 6" in page and "<mark>b</mark>" in page


def test_values_the_uniqueness_search_found_are_candidates_without_reading_the_reason():
    """洪泽 2023: 5 printed for 复议后起诉/结果维持, 0 fits the arithmetic as well. The cell carries the values found
    (``also_fits``); the candidates take them from there, not from the wording of the reason."""
    from recover.report.evidence import cell_evidence

    ex = extract(str(source_of(CORPUS / "hongze_district_2023" / "truth.json")))
    cell = next(c for c in ex.cells if c.key == ("review_litigation", "litigation_after_review", "upheld"))
    assert cell.value == 5 and cell.also_fits == (0,)
    cell.reason = "(reworded)"
    found = {c.value: c for c in cell_evidence(ex, cell).candidates}
    assert found[5].chosen and found[0].why.startswith("also fits") and None in found
