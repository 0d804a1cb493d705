"""synth.render and synth.corpus: deterministic pages with the official layout; table 三 crosses a page break."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from devtools.synth.corpus import synth_document
from devtools.synth.render import render_report
from devtools.synth.tables import applications_spec, proactive_spec, review_spec
from devtools.synth.truth import make_truth


def _digest(pages) -> str:
    h = hashlib.sha256()
    for p in pages:
        h.update(np.ascontiguousarray(p).tobytes())
    return h.hexdigest()


def test_same_seed_same_pixels_other_seed_other_pixels():
    truth = make_truth(5)
    a = render_report(truth, 150, seed=5)
    b = render_report(truth, 150, seed=5)
    assert _digest(p.image for p in a) == _digest(p.image for p in b)
    assert _digest(p.image for p in render_report(make_truth(6), 150, seed=6)) != _digest(p.image for p in a)


def test_pages_are_a4_at_the_dpi_and_table_three_crosses_a_page_break():
    for dpi, size in ((150, (1754, 1240)), (300, (3508, 2480))):
        pages = render_report(make_truth(2), dpi, seed=2)
        assert all(p.image.shape == size and p.image.dtype == np.uint8 for p in pages)
        holding = [i for i, p in enumerate(pages) if "applications" in p.tables]
        assert len(holding) == 2 and holding[1] == holding[0] + 1
        assert pages[-1].seal_at is not None and all(0 < v < 1 for v in pages[-1].seal_at)
    for seed in range(3, 9):  # whatever the style and the length of the text before it
        pages = render_report(make_truth(seed), 150, seed=seed)
        assert len([p for p in pages if "applications" in p.tables]) == 2, seed


def test_official_layout_of_the_table_specs():
    truth = make_truth(4, "2021")
    three = applications_spec(truth)
    assert three.n_rows == 3 + 25 and len(three.col_w) == 10
    vlabels = [c for c in three.cells if c[5] == "vlabel"]
    assert [(c[2], c[4]) for c in vlabels] == [(22, "三、本年度办理结果")]  # 21 outcome rows + （七）总计
    assert (1, 4, 1, 5, "法人或其他组织", "head") in three.cells
    groups = {c[4]: c[2] for c in three.cells if c[1] == 1 and c[2] > 1}
    assert groups == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    values = [c for c in three.cells if c[5] == "value"]
    assert len(values) == 175
    dashed = applications_spec(truth, "dash")
    assert any(c[4] == "-" for c in dashed.cells)
    blank = applications_spec(truth, "blank_legal")
    blanks = [c for c in blank.cells if c[5] == "value" and c[4] == ""]
    assert blanks and all(4 <= c[1] <= 8 for c in blanks)  # only legal-person columns go blank
    assert review_spec(truth).n_rows == 4 and len(review_spec(truth).col_w) == 15
    assert len([c for c in proactive_spec(truth).cells if c[5] == "value"]) == 10
    assert len([c for c in proactive_spec(make_truth(4, "2019")).cells if c[5] == "value"]) == 22


def test_written_document_is_deterministic(tmp_path):
    a = synth_document(tmp_path / "a", 11, "200")
    b = synth_document(tmp_path / "b", 11, "200")
    assert (a / "truth.json").read_text(encoding="utf-8") == (b / "truth.json").read_text(encoding="utf-8")
    assert (a / "synth_0011.tif").read_bytes() == (b / "synth_0011.tif").read_bytes()
    meta = json.loads((a / "scan.json").read_text(encoding="utf-8"))
    assert meta["dpi"] == 200 and meta["table_pages"] and all(abs(d["rotation"]) <= 1.5 for d in meta["damage"])


def test_every_container_is_read_back_by_the_scan_ingest(tmp_path):
    from recover.ingest.pdf import read_pdf_text
    from recover.ingest.scan import load_images, render_pdf
    from devtools.synth.corpus import save_pages

    pages = [np.full((400, 300), 255, np.uint8), np.full((400, 300, 3), 200, np.uint8)]  # gray and sealed (RGB)
    tif = save_pages(pages, tmp_path, "doc", "tiff", 150)
    assert [im.shape for _, im in load_images(tmp_path / tif)] == [(400, 300)] * 2
    png = save_pages(pages, tmp_path, "pages", "png", 150)
    assert [im.shape for _, im in load_images(tmp_path / png)] == [(400, 300)] * 2
    pdf = save_pages(pages, tmp_path, "doc", "pdf", 150)
    assert read_pdf_text(tmp_path / pdf).lines == ()  # image-only: recover takes the scan route
    assert len(render_pdf(tmp_path / pdf)) == 2
