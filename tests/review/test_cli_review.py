"""``recover review`` on the command line: clear errors with their exit codes, and a real server that stops
cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request

from tests.batch.conftest import run_cli
from tests.conftest import ROOT


def test_missing_store_is_exit_3(tmp_path):
    proc = run_cli("review", tmp_path, timeout=60)
    assert proc.returncode == 3 and "results.sqlite" in proc.stderr and "Remedy" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_taken_port_is_exit_2(outdir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        proc = run_cli("review", outdir, "--port", s.getsockname()[1], timeout=60)
    assert proc.returncode == 2 and "choose another --port" in proc.stderr and "Traceback" not in proc.stderr
    assert run_cli("review", outdir, "--port", "70000", timeout=60).returncode == 2


def test_serves_loopback_and_stops_on_ctrl_c(outdir):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "recover", "review", str(outdir), "--port", "0"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("recover review: http://127.0.0.1:")
        url = line.split()[2]
        with urllib.request.urlopen(url, timeout=30) as resp:
            assert resp.status == 200 and "hongze_district_2023.pdf" in resp.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in err
