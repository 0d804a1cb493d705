"""Helpers for the batch tests: a mixed input folder built from corpus documents, and the CLI run as a process."""

from __future__ import annotations

import html
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT, source_of

# corpus documents of every kind the batch reads (the scan PDF is left to test_corpus: it takes ~50 s; the image
# kind is exercised by a picture that is not a report)
MIXED = {"seed_002": "text", "pingtan_2023": "text", "shanghai_stc_2024": "text", "hongze_district_2024": "pdf",
         "huaian_city_2024_docx": "docx"}


def run_cli(*args, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "recover", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout, **kw)


def html_of_text(text: str) -> str:
    """A web page of a text report: tab-separated lines become table rows, the others paragraphs."""
    body = "".join("<table><tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr></table>"
                   if "\t" in line else f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def build_mixed(folder: Path) -> dict[str, Path]:
    """The mixed folder of the issue; returns name -> path of what was put there."""
    from PIL import Image, ImageDraw

    (folder / "sub").mkdir(parents=True)
    made = {}
    for name in MIXED:
        src = source_of(CORPUS / name / "truth.json")
        made[name] = shutil.copy(src, folder / ("sub" if name.startswith("seed") else "") / src.name)
    seed = source_of(CORPUS / "seed_002" / "truth.json")
    made["html"] = folder / "seed_002_page.htm"
    made["html"].write_text(html_of_text(seed.read_text(encoding="utf-8")), encoding="utf-8")
    made["duplicate"] = Path(shutil.copy(seed, folder / "copy of the seed report.dat"))
    made["corrupt_pdf"] = folder / "corrupt.pdf"
    made["corrupt_pdf"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    made["empty"] = folder / "empty.txt"
    made["empty"].write_bytes(b"")
    made["picture"] = folder / "picture.png"
    im = Image.new("L", (400, 300), 255)
    draw = ImageDraw.Draw(im)
    draw.ellipse((50, 50, 250, 200), outline=0, width=3)
    draw.rectangle((280, 40, 380, 260), fill=120)
    im.save(made["picture"])
    made["readme"] = Path(shutil.copy(CORPUS / "README.md", folder / "README.md"))
    made["old_word"] = folder / "old.doc"
    made["old_word"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    return made


def store_rows(outdir: Path, sql: str, args: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(outdir / "results.sqlite")
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def documents_so_far(outdir: Path) -> int:
    """Documents in the store of a batch still running (read-only; 0 before the store exists)."""
    try:
        db = sqlite3.connect(f"file:{outdir / 'results.sqlite'}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:  # not created yet
        return 0


def stored_cells(outdir: Path, path: Path) -> dict[tuple[str, str, str], dict]:
    rows = store_rows(outdir, 'SELECT c."table", c."row", c."column", c.value, c.observed, c.status, c.confidence, '
                      "c.page, c.bbox, c.reason FROM cells c JOIN files f ON f.document_id = c.document_id "
                      "WHERE f.path = ?", (str(path),))
    return {(t, r, c): {"value": v, "observed": o, "status": s, "confidence": conf, "page": p,
                        "bbox": json.loads(b) if b else None, "reason": why}
            for t, r, c, v, o, s, conf, p, b, why in rows}


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory):
    """The mixed folder, recovered once by ``recover batch`` with two workers (shared by the tests of a module)."""
    root = tmp_path_factory.mktemp("mixed")
    made = build_mixed(root / "in")
    proc = run_cli("batch", root / "in", "-o", root / "out", "--jobs", 2)
    return root / "in", root / "out", made, proc
