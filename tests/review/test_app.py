"""The review application through Flask's test client: queue order, evidence, decisions, arithmetic after an
override, security guards, decisions kept across a re-run and applied by the export."""

from __future__ import annotations

import io
import re
import sqlite3

import pandas as pd
from PIL import Image

from tests.batch.conftest import run_cli
from tests.review.conftest import HOSTILE_LINE, HOSTILE_NAME

TOTAL = "review_litigation.review.total"  # 洪泽: printed 0, the rules require 11 (source_inconsistent)
UPHELD = "review_litigation.litigation_after_review.upheld"  # 洪泽: 5, but 0 fits as well (ambiguous)
GLYPH = "applications.partially_granted.natural_person"  # seed 003: 'b' read as 0 (corrected)


def doc_id(outdir, name: str) -> int:
    db = sqlite3.connect(outdir / "results.sqlite")
    try:
        return db.execute("SELECT document_id FROM files WHERE path LIKE ?", (f"%{name}",)).fetchone()[0]
    finally:
        db.close()


def post(client, doc: int, key: str, **form):
    return client.post(f"/doc/{doc}/cell/{key}", data={"csrf": client.csrf, "reviewer": "王芳", **form})


def test_queue_most_urgent_first_with_counts(client):
    page = client.get("/").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"(?:open|done)\">(.*?)</tr>", page, re.S)
    assert "hongze_district_2023.pdf" in rows[0]  # 1 ambiguous + 2 source_inconsistent before corrected-only ones
    counts = [int(n) for n in re.findall(r'<td class="n[^"]*">(\d+)</td>', rows[0])]
    assert counts[:2] == [1, 2]  # ambiguous, source_inconsistent
    assert len(rows) == 3


def test_pdf_cell_shows_crop_reason_rules_and_candidates(client, outdir):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    assert f'src="/doc/{doc}/crop/{TOTAL}.png"' in page
    assert "printed 0, but rules group_total[review] require 11" in page
    assert re.search(r"<b>11 = 11</b>\s*<span class=\"key\">group_total\[review\]</span>", page)  # the rule and
    # its balance with the current values
    cands = re.search(r'<table class="cands">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"<td>11</td>.*chosen", cands, re.S) and "<td>0</td>" in cands and "as printed" in cands
    png = client.get(f"/doc/{doc}/crop/{TOTAL}.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    img = Image.open(io.BytesIO(png.data))
    assert img.width > 200 and 30 < img.height < img.width  # a band of the page, not the whole page


def test_text_cell_shows_its_source_line(client, outdir):
    doc = doc_id(outdir, "003_2f09d4f0b144d3c3.txt")
    page = client.get(f"/doc/{doc}?cell={GLYPH}").get_data(as_text=True)
    assert re.search(r'<span class="own"><span class="ln">\d+</span>\t<mark>b</mark></span>', page)  # the figure
    # marked in its line
    assert "crop/" not in page  # no page image for a text source
    assert "&#39;b&#39; read as 6" in page  # an alternative the solver weighed, with its cost
    assert client.get(f"/doc/{doc}/crop/{GLYPH}.png").status_code == 404


def test_override_reruns_the_arithmetic_and_accept_moves_on(client, outdir):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    resp = post(client, doc, TOTAL, action="override", value="12")
    assert resp.status_code == 303 and TOTAL in resp.headers["Location"]
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    assert re.search(r'<li class="fail">\s*✗ [^<]*<b>11 ≠ 12</b>\s*<span class="key">group_total\[review\]', page)
    assert "override → 12 by 王芳" in page
    resp = post(client, doc, UPHELD, action="accept", next=TOTAL)
    assert resp.status_code == 303 and TOTAL in resp.headers["Location"]  # accept goes on to the next open cell
    post(client, doc, TOTAL, action="override", value="11")  # a second decision replaces the first
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    assert re.search(r"<b>11 = 11</b>\s*<span class=\"key\">group_total\[review\]", page) and "override → 11" in page
    queue = client.get("/").get_data(as_text=True)
    row = re.search(r'<tr class="open">(.*?hongze.*?)</tr>', queue, re.S).group(1)
    assert [int(n) for n in re.findall(r'<td class="n[^"]*">(\d+)</td>', row)][:2] == [0, 1]  # 2 decided


def test_bad_posts_are_refused(client, outdir):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    assert client.post(f"/doc/{doc}/cell/{TOTAL}", data={"action": "accept", "reviewer": "x"}).status_code == 403
    assert post(client, doc, TOTAL, action="accept", csrf="forged").status_code == 403
    evil = client.post(f"/doc/{doc}/cell/{TOTAL}", data={"csrf": client.csrf, "reviewer": "x", "action": "accept"},
                       headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    assert post(client, doc, TOTAL, action="override", value="12abc").status_code == 400
    assert post(client, doc, TOTAL, action="override", value="12", reviewer="").status_code == 400
    assert post(client, doc, "no.such.cell", action="accept").status_code == 404
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400  # DNS rebinding
    db = sqlite3.connect(outdir / "results.sqlite")
    assert db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_paths_outside_outdir_are_refused(client, outdir):
    (outdir.parent / "secret.txt").write_text("secret", encoding="utf-8")
    assert client.get("/files/hongze_district_2023.html").status_code == 200
    for bad in ("../secret.txt", "..%2Fsecret.txt", "%2E%2E/secret.txt", "/etc/passwd", "results.sqlite"):
        assert client.get(f"/files/{bad}", follow_redirects=True).status_code == 404, bad


def test_document_text_is_escaped(client, outdir):
    doc = doc_id(outdir, HOSTILE_NAME)
    page = client.get(f"/doc/{doc}?cell={GLYPH}").get_data(as_text=True)
    assert "<img src=x" not in page and "<script>document" not in page
    assert "&lt;img src=x onerror=&#34;document.title=&#39;pwned&#39;&#34;&gt;" in page
    assert "report&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert HOSTILE_LINE not in client.get("/").get_data(as_text=True)
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_decisions_survive_a_rerun_and_reach_the_export(client, outdir, review_batch):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    post(client, doc, TOTAL, action="override", value="12")
    post(client, doc, UPHELD, action="accept")
    post(client, doc, "review_litigation.litigation_after_review.total", action="source_error")
    proc = run_cli("batch", review_batch[0], "-o", outdir, "--force", "--jobs", 1, "-q")
    assert proc.returncode == 0, proc.stderr
    assert "0 already done" in proc.stdout  # every document was read and stored again
    proc = run_cli("export", outdir, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    cells = pd.read_csv(outdir / "cells.csv")
    hz = cells[cells.path.str.endswith("hongze_district_2023.pdf")].set_index("key")
    t, u, s = hz.loc[TOTAL], hz.loc[UPHELD], hz.loc["review_litigation.litigation_after_review.total"]
    assert (t.value, t.machine_value, t.value_by, t.decision, t.reviewer) == (12, 11, "reviewer", "override", "王芳")
    assert (u.value, u.value_by, u.decision) == (5, "machine", "accept")
    assert (s.value, s.value_by, s.decision) == (5, "machine", "source_error")
    assert (hz.value_by == "machine").sum() == len(hz) - 1 and hz.decided_at.notna().sum() == 3
    wide = pd.read_csv(outdir / "cells.wide.csv")
    assert wide[wide.path.str.endswith("hongze_district_2023.pdf")][TOTAL].item() == 12


def test_evidence_comes_from_the_store_not_from_the_source(client, outdir, review_batch, tmp_path):
    """The batch stored each flagged cell's source lines and the values weighed: the review page shows them with
    the source file gone (moved away), and the values the uniqueness search found are among the candidates."""
    inp = review_batch[0]
    away = tmp_path / "moved"
    away.mkdir()
    src = inp / "003_2f09d4f0b144d3c3.txt"
    moved = away / src.name
    src.rename(moved)
    try:
        doc = doc_id(outdir, "003_2f09d4f0b144d3c3.txt")
        page = client.get(f"/doc/{doc}?cell={GLYPH}").get_data(as_text=True)
        assert re.search(r'<span class="own"><span class="ln">\d+</span>\t<mark>b</mark></span>', page)  # the figure
    # marked in its line
        assert "&#39;b&#39; read as 6" in page
    finally:
        moved.rename(src)
    hz = doc_id(outdir, "hongze_district_2023.pdf")
    cands = re.search(r'<table class="cands">(.*?)</table>',
                      client.get(f"/doc/{hz}?cell={UPHELD}").get_data(as_text=True), re.S).group(1)
    assert re.search(r"<td>5</td>.*chosen", cands, re.S) and "<td>0</td>" in cands
