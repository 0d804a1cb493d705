"""recover batch on a mixed folder: the store holds every document cell for cell, errors with their codes,
duplicates once, non-reports skipped; a rerun reuses everything; exports open in pandas and openpyxl."""

from __future__ import annotations

import json

import pytest

from devtools.bench.corpus import truth_cells
from recover.errors import ExitCode
from tests.batch.conftest import MIXED, run_cli, store_rows, stored_cells
from tests.conftest import CORPUS


def _json_cells(path) -> dict:
    result = json.loads(path.read_text(encoding="utf-8"))
    return {(c["table"], c["row"], c["column"]): {k: c[k] for k in ("value", "observed", "status", "confidence",
                                                                    "page", "bbox", "reason")}
            for c in result["cells"]}


def test_mixed_folder_exit_code_and_messages(mixed_batch):
    _, out, made, proc = mixed_batch
    assert proc.returncode == ExitCode.batch_partial, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for bad in ("corrupt_pdf", "empty", "picture", "old_word"):
        assert f"{made[bad]}:" in proc.stderr
    assert "skipped (text without report vocabulary" in proc.stderr and str(made["readme"]) in proc.stderr
    assert (out / "summary.html").read_text(encoding="utf-8").count("data:image/png;base64,") == 2


@pytest.mark.parametrize("name", sorted(MIXED))
def test_store_matches_json_report_and_truth_cell_by_cell(mixed_batch, name):
    src, out, made, _ = mixed_batch
    path = made[name]
    cells = stored_cells(out, path)
    rel = path.relative_to(src).with_suffix("")
    assert cells == _json_cells(out / f"{rel}.json")
    truth = json.loads((CORPUS / name / "truth.json").read_text(encoding="utf-8"))
    ambiguous = {(e["table"], e["row"], e["column"]) for e in truth.get("expect", []) if e["status"] == "ambiguous"}
    for key, want in truth_cells(truth).items():
        got = cells[key]
        if key in ambiguous:
            assert got["status"] == "ambiguous", key
        elif truth["grade"] == "exact":
            assert got["value"] == want, key
        else:  # flagged documents: no silent error
            assert got["value"] == want or got["status"] != "ok", key
    kind, agency, year = store_rows(out, "SELECT d.kind, d.agency, d.year FROM documents d JOIN files f "
                                         "ON f.document_id = d.id WHERE f.path = ?", (str(path),))[0]
    assert (kind, agency, year) == (MIXED[name], truth["report"]["agency"], truth["report"]["year"])


def test_html_page_and_duplicate(mixed_batch):
    src, out, made, _ = mixed_batch
    seed = stored_cells(out, made["seed_002"])
    assert stored_cells(out, made["html"]) == seed  # the same report as a web page reads the same
    dup = store_rows(out, "SELECT path, document_id FROM files WHERE sha256 = (SELECT sha256 FROM files "
                          "WHERE path = ?)", (str(made["seed_002"]),))
    assert len(dup) == 2 and len({d for _, d in dup}) == 1  # two files, one stored document
    assert store_rows(out, "SELECT COUNT(*) FROM documents d JOIN files f ON f.document_id = d.id "
                           "WHERE f.path = ?", (str(made["duplicate"]),)) == [(1,)]
    assert _json_cells(out / "copy of the seed report.json") == seed


def test_failures_are_recorded_with_their_codes(mixed_batch):
    from recover.ingest.convert import office

    _, out, made, _ = mixed_batch
    expected = {"corrupt_pdf": (ExitCode.unreadable, "DamagedPdfError"), "empty": (ExitCode.unreadable,
                "UnreadableInputError"), "picture": (ExitCode.no_tables, "NoTablesError"),
                "old_word": (ExitCode.unreadable, "UnreadableInputError") if office() else
                (ExitCode.unsupported_format, "UnsupportedFormatError")}  # a damaged .doc LibreOffice cannot convert
    for name, (code, cls) in expected.items():
        rows = store_rows(out, "SELECT d.status, d.error_code, d.error_name, d.error, (SELECT COUNT(*) FROM cells c "
                               "WHERE c.document_id = d.id) FROM documents d JOIN files f ON f.document_id = d.id "
                               "WHERE f.path = ?", (str(made[name]),))
        assert len(rows) == 1, name
        status, got_code, got_cls, message, n_cells = rows[0]
        assert (status, got_code, got_cls, n_cells) == ("error", code, cls, 0)
        assert str(made[name]) in message and "Remedy" in message
    skipped = store_rows(out, "SELECT kind, document_id FROM files WHERE path = ?", (str(made["readme"]),))
    assert skipped == [(None, None)]
    n_docs = store_rows(out, "SELECT COUNT(*) FROM documents")[0][0]
    assert n_docs == len(MIXED) + 1 + 4  # corpus documents, the web page, four failures; duplicate and README not


def test_rerun_reuses_the_store(mixed_batch):
    src, out, _, _ = mixed_batch
    before = store_rows(out, "SELECT id, sha256, finished_at FROM documents ORDER BY id")
    proc = run_cli("batch", src, "-o", out, "-q")
    assert proc.returncode == ExitCode.batch_partial
    assert f"{len(before)} already done" in proc.stdout
    assert store_rows(out, "SELECT id, sha256, finished_at FROM documents ORDER BY id") == before


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_exports_open_with_the_documented_columns(mixed_batch, tmp_path, fmt):
    import pandas as pd

    from recover.batch.export import DOCUMENT_COLUMNS, TIDY_COLUMNS

    _, out, made, _ = mixed_batch
    target = tmp_path / f"cells.{fmt}"
    proc = run_cli("export", out, "--format", fmt, "-o", target)
    assert proc.returncode == 0, proc.stderr
    n_cells = store_rows(out, "SELECT COUNT(*) FROM cells")[0][0]
    n_docs = store_rows(out, "SELECT COUNT(*) FROM documents")[0][0]
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(target, read_only=True)
        assert book.sheetnames == ["cells", "wide", "documents", "cross_year"]
        tidy = pd.read_excel(target, sheet_name="cells")
        wide = pd.read_excel(target, sheet_name="wide")
    else:
        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        tidy, wide = read(target), read(tmp_path / f"cells.wide.{fmt}")
    assert list(tidy.columns) == TIDY_COLUMNS and len(tidy) == n_cells
    assert list(wide.columns[:len(DOCUMENT_COLUMNS)]) == DOCUMENT_COLUMNS and len(wide) == n_docs
    truth = truth_cells(json.loads((CORPUS / "huaian_city_2024_docx" / "truth.json").read_text(encoding="utf-8")))
    row = wide[wide["path"] == str(made["huaian_city_2024_docx"])].iloc[0]
    assert all(row[f"{t}.{r}.{c}"] == v for (t, r, c), v in truth.items())
    mine = tidy[(tidy["path"] == str(made["huaian_city_2024_docx"]))]
    assert {(t, r, c): v for t, r, c, v in zip(mine["table"], mine["row"], mine["column"], mine["value"])
            if (t, r, c) in truth} == truth


def test_export_without_a_store_is_a_clean_error(tmp_path):
    proc = run_cli("export", tmp_path, "--format", "csv")
    assert proc.returncode == ExitCode.input_missing
    assert str(tmp_path / "results.sqlite") in proc.stderr and "Remedy" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_changed_file_is_read_again_and_only_its_new_content_is_exported(tmp_path):
    import pandas as pd

    from tests.conftest import source_of

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    report = src / "report.txt"
    report.write_bytes(source_of(CORPUS / "seed_002" / "truth.json").read_bytes())
    assert run_cli("batch", src, "-o", out, "-q").returncode == 0
    report.write_bytes(source_of(CORPUS / "seed_003" / "truth.json").read_bytes())
    proc = run_cli("batch", src, "-o", out, "-q")
    assert proc.returncode == 0 and "0 already done" in proc.stdout
    assert store_rows(out, "SELECT COUNT(*) FROM documents") == [(2,)]  # the old result is kept ...
    assert run_cli("export", out, "--format", "csv").returncode == 0
    tidy = pd.read_csv(out / "cells.csv")
    seed_003 = json.loads((CORPUS / "seed_003" / "truth.json").read_text(encoding="utf-8"))["report"]
    assert set(zip(tidy["agency"], tidy["year"])) == {(seed_003["agency"], seed_003["year"])}  # ... not exported
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["report"] == seed_003


@pytest.mark.parametrize("option", [("--jobs", "0"), ("--timeout", "-1"), ("--timeout", "soon")])
def test_bad_limits_are_a_usage_error(tmp_path, option):
    proc = run_cli("batch", tmp_path, "-o", tmp_path / "out", *option)
    assert proc.returncode == ExitCode.bad_args
    assert option[0] in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
