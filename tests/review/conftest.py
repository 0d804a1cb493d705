"""A batch with flagged cells for the review tests: 洪泽区 2023 (PDF: 2 source_inconsistent + 1 ambiguous cells),
seed 003 (text: one corrected glyph) and a copy of seed 003 whose name and text carry HTML that would run script
if it were not escaped. The batch runs once per session; each test gets its own copy of OUTDIR."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.batch.conftest import run_cli
from tests.conftest import CORPUS, source_of

HOSTILE_NAME = "report<img src=x onerror=alert(1)>.txt"
HOSTILE_TITLE = '<script>document.title="pwned"</script>'
HOSTILE_LINE = "<img src=x onerror=\"document.title='pwned'\">"


def hostile_text() -> str:
    text = source_of(CORPUS / "seed_003" / "truth.json").read_text(encoding="utf-8")
    text = text.replace("青州市商务局2023年", f"青州市{HOSTILE_TITLE}商务局2023年", 1)
    label = "[bookmark: _Hlk66973981]"
    return text.replace(f"{label}（二）部分公开", f"{label}{HOSTILE_LINE}（二）部分公开", 1)


@pytest.fixture(scope="session")
def review_batch(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("review")
    inp = root / "in"
    inp.mkdir()
    for name in ("hongze_district_2023", "seed_003"):
        shutil.copy(source_of(CORPUS / name / "truth.json"), inp)
    (inp / HOSTILE_NAME).write_text(hostile_text(), encoding="utf-8")
    proc = run_cli("batch", inp, "-o", root / "out", "--jobs", 2, "-q")
    assert proc.returncode == 0, proc.stderr
    return inp, root / "out"


@pytest.fixture
def outdir(review_batch, tmp_path) -> Path:
    """A fresh copy of the batch's OUTDIR (decisions start empty)."""
    return Path(shutil.copytree(review_batch[1], tmp_path / "out"))


@pytest.fixture
def client(outdir):
    from recover.review.app import create_app

    app = create_app(outdir, "tester")
    c = app.test_client()
    c.environ_base["HTTP_HOST"] = "127.0.0.1:8765"
    c.set_cookie("lang", "en")  # (the page's words in English, as the assertions; Chinese is the default)
    c.csrf = app.config["CSRF"]
    return c


@pytest.fixture
def live_server(outdir):
    """The review app on a free loopback port, in a thread; yields (base URL, OUTDIR)."""
    from werkzeug.serving import make_server

    from recover.review.app import create_app

    server = make_server("127.0.0.1", 0, create_app(outdir, "tester"), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", outdir
    server.shutdown()
    thread.join(5)
