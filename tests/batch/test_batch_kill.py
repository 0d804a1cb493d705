"""A batch killed with SIGKILL mid-way and restarted loses no finished result and duplicates none."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from tests.batch.conftest import documents_so_far, run_cli, store_rows
from tests.conftest import ROOT, source_of, text_truth_docs

COPIES = 3


def test_sigkill_mid_batch_then_restart(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    texts = [source_of(t) for t in text_truth_docs() if source_of(t).suffix in (".txt", ".md")]
    for i in range(COPIES):  # distinct contents (trailing newlines differ), so each copy is a document of its own
        for s in texts:
            (src / f"{i}_{s.name}").write_bytes(s.read_bytes() + b"\n" * (i + 1))
    total = COPIES * len(texts)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "recover", "batch", str(src), "-o", str(out), "--jobs", "2", "-q"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while documents_so_far(out) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the parent, its workers and the fork server, all at once
    proc.wait()
    before = store_rows(out, "SELECT id, sha256, finished_at FROM documents ORDER BY id")
    assert 4 <= len(before) < total, "the kill did not land mid-way"
    cells_before = store_rows(out, "SELECT document_id, COUNT(*) FROM cells GROUP BY document_id ORDER BY 1")

    done = run_cli("batch", src, "-o", out, "--jobs", "2", "-q")
    assert done.returncode == 0, done.stderr
    assert f"{len(before)} already done" in done.stdout
    after = store_rows(out, "SELECT id, sha256, finished_at FROM documents ORDER BY id")
    assert after[:len(before)] == before  # nothing finished was lost or redone
    assert len(after) == total == len({sha for _, sha, _ in after})  # every document once
    per_doc = dict(store_rows(out, "SELECT document_id, COUNT(*) FROM cells GROUP BY document_id"))
    assert all(per_doc[d] == n for d, n in cells_before)  # no half-stored document before the kill
    files = store_rows(out, "SELECT path, document_id FROM files")
    assert len(files) == total and all(d is not None for _, d in files)
    for path, doc_id in files:  # each stored document has its whole cell set and its report
        name = os.path.basename(path).rsplit(".", 1)[0]
        report = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert per_doc[doc_id] == len(report["cells"])
