"""The Python API: ``recover.extract`` and what its result gives (the output contract as data and JSON, a tidy
table of cells), the exceptions it raises, and the package installed from its wheel into a fresh environment."""

from __future__ import annotations

import json
import subprocess
import sys
import venv

import jsonschema
import pikepdf
import pytest

import recover
from devtools.bench.corpus import truth_cells
from tests.conftest import CORPUS, ROOT

SEED = CORPUS / "seed_000" / "000_c065b0c281ef9ff9.txt"
PDF = CORPUS / "huaian_city_2024" / "huaian_city_2024.pdf"


def test_extract_gives_the_output_contract_and_a_tidy_table_of_cells():
    result = recover.extract(SEED)
    assert isinstance(result, recover.Extraction)
    data = json.loads(result.to_json())
    schema = json.loads((ROOT / "models" / "output.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data == result.to_dict() and data["status"] == result.status
    frame = result.cells_frame()
    assert len(frame) == len(result.cells) == len(data["cells"])
    assert list(frame[["table", "row", "column", "status"]].itertuples(index=False, name=None)) == [
        (c.table, c.row, c.column, str(c.status)) for c in result.cells]
    truth = truth_cells(json.loads((CORPUS / "seed_000" / "truth.json").read_text(encoding="utf-8")))
    got = {(t, r, c): v for t, r, c, v in frame[["table", "row", "column", "value"]].itertuples(index=False)}
    assert got == truth  # (an "exact" corpus document: every cell as the hand-written truth)


def test_extract_raises_the_exception_of_the_failure_with_its_remedy(tmp_path):
    with pytest.raises(recover.InputMissingError) as missing:
        recover.extract(tmp_path / "nowhere.pdf")
    assert missing.value.exit_code == recover.ExitCode.input_missing and missing.value.remedy
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(recover.RecoverError) as unreadable:
        recover.extract(empty)
    assert isinstance(unreadable.value, recover.UnreadableInputError) and "empty.txt" in str(unreadable.value)


def test_import_recover_does_not_load_the_pipeline():
    code = "import sys, recover; print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'ortools', " \
           "'cv2', 'recover.pipeline')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_wheel_installs_and_recovers_a_corpus_report(tmp_path):
    """The wheel built from this checkout, installed into a fresh environment (its dependencies taken from this
    one), recovers a corpus report with the installed command and the API, its data models read from the wheel."""
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(wheels)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("recover-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python, command = env_dir / "bin" / "python", env_dir / "bin" / "recover"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    out = tmp_path / "out.json"
    run = subprocess.run([str(command), "extract", str(SEED), "-o", str(out)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    expected = recover.extract(SEED).to_dict()
    assert json.loads(out.read_text(encoding="utf-8"))["cells"] == expected["cells"]
    api = ("import json, sys, recover, recover.catalogue as c; r = recover.extract(sys.argv[1]); "
           "print(json.dumps([recover.__file__, str(c.models_dir()), r.to_dict()['cells']]))")
    run = subprocess.run([str(python), "-c", api, str(SEED)], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    where, models, cells = json.loads(run.stdout)
    assert where.startswith(str(env_dir)) and models.startswith(str(env_dir)), (where, models)
    assert cells == expected["cells"]
    # a copy-protected PDF (AES-256, owner password only) is recovered by the installed package with nothing it
    # does not declare: `cryptography` (which pypdf would need to decrypt it) made unimportable
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(PDF) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-only", user="", R=6, aes=True,
                                                       allow=pikepdf.Permissions(extract=False)))
    aes = ("import json, sys; sys.modules['cryptography'] = None; import recover; "
           "r = recover.extract(sys.argv[1]); print(json.dumps([r.lattice_pages, r.to_dict()['cells']]))")
    run = subprocess.run([str(python), "-c", aes, str(locked)], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    original = recover.extract(PDF)
    assert json.loads(run.stdout) == [original.lattice_pages, original.to_dict()["cells"]]


def test_an_unknown_ocr_engine_is_a_configuration_error_naming_the_setting(tmp_path):
    scan = next((CORPUS / "huaian_city_2024_scan").glob("*.pdf"))
    env = {"RECOVER_OCR_ENGINE": "abbyy", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "recover", "extract", str(scan), "-o", str(tmp_path / "o.json")],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert run.returncode == recover.ExitCode.configuration, run.stderr
    assert "RECOVER_OCR_ENGINE" in run.stderr and "tesserocr" in run.stderr and "Traceback" not in run.stderr


def test_the_readmes_python_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(recover.extract(SEED).status + " {")
