"""A real report scanned whole at 200 dpi (``devtools synth --real``): the narrative page after its tables is not read,
and the JSON says so; the tables before it come back right."""

from __future__ import annotations

import json

from recover.pipeline import extract
from devtools.bench.scan import compare
from devtools.synth.corpus import real_document
from tests.conftest import CORPUS


def test_the_page_after_table_four_and_section_five_is_not_read(tmp_path):
    # 洪泽 2023: table 四 and the heading 五、存在的主要问题及改进情况 are on page 4; page 5 is narrative only
    doc = real_document(tmp_path, CORPUS / "hongze_district_2023", "200")
    truth = json.loads((doc / "truth.json").read_text(encoding="utf-8"))
    result = extract(str(doc / truth["source"])).to_dict()
    assert [p["page"] for p in result["source"]["skipped_pages"]] == [5]
    assert "page 4" in result["source"]["skipped_pages"][0]["why"]
    counts = compare(truth, result)
    assert counts["silent"] == 0
    assert counts["right"] == counts["cells"], counts  # measured 186 of 186 (2026-11-26), as before the skip
