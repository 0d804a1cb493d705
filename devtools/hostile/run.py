"""Run ``recover extract`` on every input of a hostile corpus, one process each, and grade how it ended
(``python3 -m devtools bench-hostile OUT``): handled (a result, or an error naming the input with its exit code), or
crashed (exit 10, a signal, a traceback), hung (past ``TIMEOUT`` seconds wall), over memory (past ``MAX_RSS_MB``
resident). Then the whole corpus as one ``recover batch``: it must finish, store every input, and record no internal
error (exit code 10) for any (the store and the reports see what ``extract`` prints: a 20-digit figure that JSON
holds may overflow SQLite)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 60.0
MAX_RSS_MB = 1024


@dataclass
class Ended:
    path: Path
    code: int | None  # exit code; None when it was killed for running past the time limit
    seconds: float
    rss_mb: float
    stderr: str

    @property
    def verdict(self) -> str:
        if self.code is None:
            return "hung"
        if self.rss_mb > MAX_RSS_MB:
            return "over memory"
        if self.code < 0 or self.code == 10 or "Traceback" in self.stderr:
            return "crashed"
        if self.code != 0 and self.path.name not in self.stderr:
            return "unnamed"  # an error that does not say which input
        return "handled"


def run_one(path: Path) -> Ended:
    with tempfile.TemporaryDirectory() as tmp:
        err = Path(tmp) / "stderr"
        with err.open("w") as f:
            start = time.monotonic()
            proc = subprocess.Popen([sys.executable, "-m", "recover", "extract", str(path), "-o", f"{tmp}/out.json"],
                                    stdout=subprocess.DEVNULL, stderr=f)
            code: int | None = None
            peak_kb = 0
            while True:
                peak_kb = max(peak_kb, _high_water_kb(proc.pid))
                pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    code = os.waitstatus_to_exitcode(status)
                    break
                if time.monotonic() - start > TIMEOUT:
                    proc.send_signal(signal.SIGKILL)
                    os.wait4(proc.pid, 0)
                    break
                time.sleep(0.02)
            seconds = time.monotonic() - start
        proc.returncode = code if code is not None else -9  # (reaped by wait4: keep Popen from waiting again)
        return Ended(path, code, seconds, peak_kb / 1024, err.read_text(errors="replace"))


def _high_water_kb(pid: int) -> int:
    """The process's peak resident memory so far (``VmHWM``), in kB. Read from /proc while it runs, not from the
    rusage of its end: that counts the moment between fork and exec, when the child still maps all of a large
    parent (a test process a gigabyte big)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def grade(paths: list[Path], jobs: int = 2) -> list[Ended]:
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(run_one, paths))


def run_bench_hostile(folder: Path, jobs: int = 2) -> int:
    """Grade every input under ``folder``; print the counts and every input not handled; return how many."""
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    ended = grade(paths, jobs)
    verdicts = Counter(e.verdict for e in ended)
    codes = Counter(e.code for e in ended)
    bad = [e for e in ended if e.verdict != "handled"]
    for e in bad:
        last = e.stderr.strip().splitlines()[-1] if e.stderr.strip() else ""
        print(f"{e.verdict:12s} {e.path.name:28s} exit {e.code} {e.seconds:6.1f} s {e.rss_mb:7.0f} MB  {last[:120]}")
    print(f"{len(ended)} inputs: " + ", ".join(f"{v} {verdicts.get(v, 0)}" for v in
                                                ("handled", "crashed", "hung", "over memory", "unnamed")))
    order = sorted(codes.items(), key=lambda x: (x[0] is None, x[0] or 0))
    print("exit codes: " + ", ".join(f"{'killed' if c is None else c}: {n}" for c, n in order))
    print(f"slowest {max(e.seconds for e in ended):.1f} s, largest {max(e.rss_mb for e in ended):.0f} MB resident")
    return len(bad) + batch_pass(folder, jobs)


def batch_pass(folder: Path, jobs: int) -> int:
    """The corpus as one batch; print how it ended; return the number of failures (internal errors, a batch that
    did not finish or lost inputs)."""
    import sqlite3

    with tempfile.TemporaryDirectory() as tmp:
        start = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "recover", "batch", str(folder), "-o", tmp, "--jobs", str(jobs),
                               "--timeout", str(TIMEOUT), "--memory-mb", str(MAX_RSS_MB * 2), "-q"],
                              capture_output=True, text=True, timeout=3600)
        seconds = time.monotonic() - start
        db = sqlite3.connect(Path(tmp) / "results.sqlite")
        try:
            codes = Counter(r[0] for r in db.execute("SELECT error_code FROM current_documents"))
            files = db.execute("SELECT count(*) FROM files").fetchone()[0]
            internal = db.execute("SELECT path, error FROM current_documents WHERE error_code = 10").fetchall()
        finally:
            db.close()
    for path, error in internal:
        print(f"batch internal error {Path(path).name}: {(error or '')[:120]}")
    print(f"batch: exit {proc.returncode} in {seconds:.0f} s, {files} files, {sum(codes.values())} documents stored, "
          "error codes " + ", ".join(f"{'none' if c is None else c}: {n}" for c, n in
                                     sorted(codes.items(), key=lambda x: (x[0] is not None, x[0] or 0))))
    return len(internal) + (proc.returncode not in (0, 7))
