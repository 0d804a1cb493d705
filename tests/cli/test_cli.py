"""cli: exit codes, error messages with remedies (never a traceback), outputs of extract and batch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from recover import cli
from recover.errors import ExitCode
from tests.conftest import CORPUS, ROOT, source_of

SEED_002 = source_of(CORPUS / "seed_002" / "truth.json")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "recover", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def assert_clean_error(proc: subprocess.CompletedProcess, code: int, path) -> None:
    assert proc.returncode == code, proc.stderr
    assert str(path) in proc.stderr
    assert "Remedy" in proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_missing_file_exits_3(tmp_path):
    path = tmp_path / "no_such_report.txt"
    assert_clean_error(run("extract", path), ExitCode.input_missing, path)


def test_empty_text_exits_4(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_clean_error(run("extract", path), ExitCode.unreadable, path)


def test_damaged_pdf_exits_4(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    proc = run("extract", path)
    assert_clean_error(proc, ExitCode.unreadable, path)
    assert "PDF is damaged" in proc.stderr


def test_pdf_without_text_layer_goes_the_scan_route(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)  # no text layer: the scan route renders and reads it, and finds no table on it
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    proc = run("extract", path)
    assert_clean_error(proc, ExitCode.no_tables, path)


def test_text_without_a_table_exits_6(tmp_path):
    # seed 002 with its three tables cut out: the narrative (一) and parts 五/六 remain
    text = SEED_002.read_text(encoding="utf-8")
    path = tmp_path / "narrative_only.txt"
    path.write_text(text[:text.index("二、主动公开政府信息情况")] + text[text.index("五、存在的主要问题"):],
                    encoding="utf-8")
    assert_clean_error(run("extract", path), ExitCode.no_tables, path)


def test_batch_with_one_good_and_one_bad_file_exits_7_and_keeps_the_good_outputs(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEED_002, src / "good.txt")
    bad = src / "sub" / "bad.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    proc = run("batch", src, "-o", out)
    assert_clean_error(proc, ExitCode.batch_partial, bad)
    result = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert result["schema_version"] == 1
    assert result["report"] == {"agency": "渠县商务局", "year": 2023}
    html = (out / "good.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "渠县商务局" in html
    assert not (out / "sub" / "bad.json").exists()
    assert "2 files" in proc.stdout and "failed 1" in proc.stdout


def test_batch_on_a_missing_folder_exits_3(tmp_path):
    path = tmp_path / "nowhere"
    assert_clean_error(run("batch", path, "-o", tmp_path / "out"), ExitCode.input_missing, path)


def test_help_and_bad_command_line():
    proc = run("--help")
    assert proc.returncode == 0
    assert "extract" in proc.stdout and "batch" in proc.stdout
    proc = run("extract")  # the path is missing
    assert proc.returncode == ExitCode.bad_args
    assert "Traceback" not in proc.stderr


def test_extract_writes_json_with_schema_version_1(tmp_path):
    out = tmp_path / "deep" / "result.json"
    html = tmp_path / "result.html"
    proc = run("extract", SEED_002, "-o", out, "--report", html)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # the JSON went to the file
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["schema_version"] == 1
    assert result["status"] == "ok"
    assert [t["table"] for t in result["tables"]] == ["proactive", "applications", "review_litigation"]
    app = [c for c in result["cells"] if c["table"] == "applications"]
    assert len(app) == 25 * 7 and {c["value"] for c in app} == {0}
    assert html.exists() and html.stat().st_size > 0


def test_extract_without_output_prints_json(tmp_path):
    proc = run("extract", SEED_002)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["schema_version"] == 1 and result["source"]["path"].endswith(SEED_002.name)


def test_internal_error_is_reported_without_traceback(monkeypatch, capsys):
    import recover.pipeline

    def boom(path, cat=None):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(recover.pipeline, "extract", boom)
    code = cli.main(["extract", str(SEED_002)])
    err = capsys.readouterr().err
    assert code == ExitCode.internal
    assert str(SEED_002) in err and "ZeroDivisionError" in err and "Remedy" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name, code", [("empty.md", ExitCode.unreadable), ("scan.png", ExitCode.unreadable)])
def test_main_in_process_returns_the_exit_code(tmp_path, capsys, name, code):
    path = tmp_path / name
    path.write_bytes(b"")
    assert cli.main(["extract", str(path)]) == code
    assert "Remedy" in capsys.readouterr().err


def test_old_binary_word_without_libreoffice_names_the_remedy(tmp_path, capsys, monkeypatch):
    import recover.ingest.convert as convert

    monkeypatch.setattr(convert, "office", lambda: None)
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert cli.main(["extract", str(path)]) == ExitCode.unsupported_format
    err = capsys.readouterr().err
    assert str(path) in err and "LibreOffice" in err and ".docx" in err


def test_damaged_wps_file_is_unreadable_not_a_crash(tmp_path, capsys):
    from recover.ingest.convert import office

    if office() is None:
        pytest.skip("LibreOffice is not installed (scripts/install.sh installs it)")
    path = tmp_path / "report.wps"
    path.write_bytes(b"not a WPS document")
    code = cli.main(["extract", str(path)])
    err = capsys.readouterr().err
    assert code in (ExitCode.unreadable, ExitCode.no_tables), err
    assert str(path) in err and "Traceback" not in err
