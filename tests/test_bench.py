"""``devtools bench`` times each report as if first seen: the per-text caches are cleared before every timed run."""

from __future__ import annotations

import shutil
from pathlib import Path

from devtools.bench.corpus import clear_text_caches, run_bench
from recover.pipeline import extract
from recover.read import values
from recover.reconstruct import units

SEED = Path(__file__).resolve().parent.parent / "corpus" / "seed_002"


def test_text_caches_are_cleared():
    extract(str(next(SEED.glob("*.txt"))))
    assert units._cell_readings.cache_info().currsize > 0
    clear_text_caches()
    assert units._cell_readings.cache_info().currsize == 0
    assert values._readings.cache_info().currsize == 0


def test_bench_prints_text_rate(tmp_path, capsys):
    shutil.copy(next(SEED.glob("*.txt")), tmp_path)
    run_bench(tmp_path, 2)
    out = capsys.readouterr().out
    assert out.startswith("compiled modules")  # (which modules ran compiled: tests/test_compiled.py checks them)
    line = next(ln for ln in out.splitlines() if ln.startswith("text reports:"))
    mean, best = float(line.split()[2]), float(line.split("best runs")[1].split()[0])
    assert 0 < mean <= best + 1e-9  # (the best run is at least as fast as the mean)


def test_runs_are_made_in_rounds(tmp_path, monkeypatch, capsys):
    """Each report's runs are spread over the benchmark: round after round, one run of every report."""
    import devtools.bench.corpus as bench

    for name in ("a.txt", "b.txt"):
        shutil.copy(next(SEED.glob("*.txt")), tmp_path / name)
    order: list[str] = []
    real = bench.extract

    def recording(path, *args, **kwargs):
        order.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(bench, "extract", recording)
    run_bench(tmp_path, 3)
    assert order == ["a.txt"] + ["a.txt", "b.txt"] * 4  # the caches' warm-up, each report's warm-up, 3 rounds
    assert "a.txt" in capsys.readouterr().out
