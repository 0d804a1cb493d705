"""recover batch on a Dask LocalCluster of 2 worker processes: the same results as the local pool, cell for cell
and report for report (inputs read by path or shipped as bytes); a worker killed with SIGKILL mid-batch and the
client killed and restarted each lose and double nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.batch.conftest import documents_so_far, run_cli, store_rows
from tests.conftest import CORPUS, ROOT, source_of, text_truth_docs

pytest.importorskip("distributed", reason="recover[cluster] (Dask distributed) is not installed")

MIX = ["seed_000", "seed_001", "seed_003", "pingtan_2023", "hongze_district_2024", "huaian_city_2024_docx"]


def _cells(out) -> list[tuple]:
    return store_rows(out, 'SELECT d.sha256, c."table", c."row", c."column", c.value, c.status, c.reason FROM cells c '
                           "JOIN documents d ON d.id = c.document_id ORDER BY 1, 2, 3, 4")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    (root / "in").mkdir()
    for name in MIX:
        src = source_of(CORPUS / name / "truth.json")
        (root / "in" / src.name).write_bytes(src.read_bytes())
    local = run_cli("batch", root / "in", "-o", root / "local", "--jobs", 2, "-q")
    assert local.returncode == 0, local.stderr
    return root


@pytest.mark.parametrize("ship", [False, True], ids=["paths", "shipped"])
def test_a_local_cluster_gives_the_local_pools_results(mixed, tmp_path, ship):
    out = tmp_path / "out"
    ship_inputs = ["--ship-inputs"] if ship else []
    proc = run_cli("batch", mixed / "in", "-o", out, "--scheduler", "local:2", "-q", *ship_inputs)
    assert proc.returncode == 0, proc.stderr
    assert _cells(out) == _cells(mixed / "local")
    for report in (mixed / "local").glob("*.json"):
        assert (out / report.name).read_bytes() == report.read_bytes()
    assert store_rows(out, "SELECT count(*) FROM documents")[0][0] == len(MIX)


def test_an_unreachable_scheduler_is_a_configuration_error(tmp_path, mixed):
    proc = run_cli("batch", mixed / "in", "-o", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:9", "-q",
                   timeout=120)
    assert proc.returncode == 12 and "--scheduler" in proc.stderr and "Traceback" not in proc.stderr


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the children of each of its threads: Dask starts workers from a thread)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = []
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children", encoding="ascii") as f:
                    kids += [int(c) for c in f.read().split()]
        except OSError:
            pass
        out += kids
        todo += kids
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _copies(tmp_path, copies: int = 4) -> tuple:
    src = tmp_path / "in"
    src.mkdir()
    texts = [source_of(t) for t in text_truth_docs() if source_of(t).suffix in (".txt", ".md")]
    for i in range(copies):  # distinct contents, each a document of its own
        for s in texts:
            (src / f"{i}_{s.name}").write_bytes(s.read_bytes() + b"\n" * (i + 1))
    return src, copies * len(texts)


def _start(src, out):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "recover", "batch", str(src), "-o", str(out), "--scheduler",
                             "local:2", "-q"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path):
    src, total = _copies(tmp_path, copies=12)
    out = tmp_path / "out"
    proc = _start(src, out)
    deadline = time.monotonic() + 120
    while documents_so_far(out) < 1 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = [p for p in _descendants(proc.pid) if "spawn_main" in _cmdline(p)]  # (LocalCluster's workers)
    assert workers and documents_so_far(out) < total, "the kill would not land mid-batch"
    os.kill(workers[-1], signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    rows = store_rows(out, "SELECT sha256 FROM documents")
    assert len(rows) == total == len({r[0] for r in rows})  # every document once
    assert store_rows(out, "SELECT count(*) FROM files WHERE document_id IS NULL")[0][0] == 0


def test_a_client_killed_and_restarted_loses_and_doubles_nothing(tmp_path):
    src, total = _copies(tmp_path)
    out = tmp_path / "out"
    proc = _start(src, out)
    deadline = time.monotonic() + 120
    while documents_so_far(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the client and its local cluster, all at once
    proc.wait()
    before = store_rows(out, "SELECT id, sha256, finished_at FROM documents ORDER BY id")
    assert 3 <= len(before) < total, "the kill did not land mid-way"
    done = run_cli("batch", src, "-o", out, "--scheduler", "local:2", "-q")
    assert done.returncode == 0, done.stderr
    after = store_rows(out, "SELECT id, sha256, finished_at FROM documents ORDER BY id")
    assert after[:len(before)] == before and len(after) == total == len({s for _, s, _ in after})


def test_without_dask_the_local_pool_runs_and_the_scheduler_asks_for_the_extra(tmp_path, mixed):
    """Dask made unimportable: the default batch runs as always; --scheduler ends with exit 11 naming the extra."""
    code = ("import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None; from recover.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    one = mixed / "in" / next(p.name for p in (mixed / "in").iterdir() if p.suffix == ".txt")
    plain = subprocess.run([sys.executable, "-c", code, "batch", str(one), "-o", str(tmp_path / "a"), "-q"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert plain.returncode == 0, plain.stderr
    asked = subprocess.run([sys.executable, "-c", code, "batch", str(one), "-o", str(tmp_path / "b"), "-q",
                            "--scheduler", "local:2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert asked.returncode == 11 and "recover[cluster]" in asked.stderr and "Traceback" not in asked.stderr
