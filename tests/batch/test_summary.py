"""The summary page reads the same for five reports or five thousand: counts at a glance, the cells most often
flagged, charts drawn per year and per agency (never a bar per document), the document list grouped by status and
cut into sections of a hundred, no script."""

from __future__ import annotations

import re

from recover.batch.store import Outcome, Store
from recover.batch.summary import render_summary_page
from recover.collection.store import relink
from recover.pipeline import extract
from tests.conftest import CORPUS


def test_a_batch_of_hundreds_of_reports_gets_a_summary_to_scale(tmp_path):
    seed = next((CORPUS / "seed_003").glob("*.txt"))
    result = extract(str(seed)).to_dict()
    store = Store(tmp_path)
    try:
        for i in range(250):  # one report stored 250 times under other hashes: what a big batch looks like
            res = dict(result, report={"agency": f"第{i % 50}商务局", "year": 2019 + i % 5})
            store.note_files([(f"in/{i}.txt", f"{i:064x}", "text", "text with report vocabulary")])
            store.put("v", Outcome(f"{i:064x}", f"in/{i}.txt", "text", result=res, seconds=0.1))
        store.link_files("v")
        relink(store.db)
        page = render_summary_page(store)
    finally:
        store.close()
    assert page.count("data:image/png;base64,") <= 3 and len(page) < 2_000_000
    assert "At a glance" in page and "Most often flagged" in page and "<script" not in page
    sections = re.findall(r"<summary>(\d+)–(\d+)</summary>", page)
    assert sections == [("1", "100"), ("101", "200"), ("201", "250")]
    assert re.search(r"<td>year</td>|<th>year</th>", page) and "<td>2019</td><td>50</td>" in page
    assert "applications.partially_granted.natural_person" in page  # seed 003's corrected cell, 250 times
