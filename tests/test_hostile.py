"""A seeded sample of the hostile corpus (devtools/hostile: truncated, bit-flipped, mislabelled and empty files,
password PDFs, page, pixel, zip, span, nesting and entity bombs, glued digits, a lying charset), each run through
``recover extract`` in its own process: none crashes (exit 10, a signal, a traceback), hangs past 60 s or holds more
than 1 GB; every error names its input; the readable ones are recovered."""

from __future__ import annotations

from devtools.hostile.corpus import make_corpus
from devtools.hostile.run import grade


def test_a_hostile_sample_is_handled(tmp_path):
    inputs = make_corpus(tmp_path / "hostile", count=64, seed=11)
    ended = {e.path.name: e for e in grade(inputs, jobs=2)}
    bad = {name: (e.verdict, e.code, e.stderr.strip()[-200:]) for name, e in ended.items() if e.verdict != "handled"}
    assert not bad, bad
    assert ended["password_owner.pdf"].code == 0  # copy protection only: anyone can open it
    assert ended["password_user.pdf"].code == 4 and "password_user.pdf" in ended["password_user.pdf"].stderr
    assert ended["pages_3000.pdf"].code == 6  # blank pages: no table, after reading the first 60 only
    assert ended["pixels_30000.png"].code == 4 and "RECOVER_MAX_PIXELS" in ended["pixels_30000.png"].stderr
    assert ended["zip_1gb.docx"].code == 4 and "RECOVER_MAX_INFLATED_MB" in ended["zip_1gb.docx"].stderr
    assert ended["nesting.html"].code == 4 and "RECOVER_MAX_DEPTH" in ended["nesting.html"].stderr
    assert all(ended[f"digits_{n}.txt"].code == 0 for n in (20, 3000, 5000))


def test_the_bombs_in_one_batch_are_stored_without_an_internal_error(tmp_path):
    """The store sees what the JSON holds: a figure of 20 digits overflowed SQLite's integers (exit 10)."""
    import sqlite3

    from tests.batch.conftest import run_cli

    inputs = [p for p in make_corpus(tmp_path / "hostile", count=0, seed=11)
              if p.name.startswith(("digits", "nesting", "span", "entities", "charset", "password"))]
    (tmp_path / "in").mkdir()
    for p in inputs:
        p.rename(tmp_path / "in" / p.name)
    proc = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "--jobs", 2, "-q")
    assert proc.returncode in (0, 7), proc.stderr
    db = sqlite3.connect(tmp_path / "out" / "results.sqlite")
    codes = dict(db.execute("SELECT path, error_code FROM current_documents").fetchall())
    seen = db.execute("SELECT count(*) FROM files").fetchone()[0]  # (a file judged no report is listed, skipped)
    assert seen == len(inputs) and 10 not in codes.values(), codes
    assert codes[str(tmp_path / "in" / "digits_20.txt")] is None  # stored, its 20-digit cell flagged
