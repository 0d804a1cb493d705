"""``recover.extract`` holds a document to a time and a memory budget in a worker process, as the batch does, and
leaves the caller's process as it was: its limits, its signal handlers, its environment."""

from __future__ import annotations

import resource
import signal
import threading

import pytest

import recover
from recover.batch.worker import run_extraction
from recover.pipeline import extract as in_process
from tests.conftest import CORPUS

SEED = CORPUS / "seed_000" / "000_c065b0c281ef9ff9.txt"
PDF = CORPUS / "huaian_city_2024" / "huaian_city_2024.pdf"
SCAN = next((CORPUS / "huaian_city_2024_scan").glob("*.pdf"))


@pytest.mark.parametrize("path", [SEED, PDF], ids=["text", "pdf"])
def test_the_worker_recovers_what_the_pipeline_recovers_in_process(path):
    assert recover.extract(path).to_dict() == in_process(str(path)).to_dict()


def test_past_its_time_the_document_ends_in_exit_8_and_the_next_one_is_read():
    limits, handler = resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)
    with pytest.raises(recover.DocumentTimeoutError) as raised:
        recover.extract(SCAN, timeout=0.3)
    assert raised.value.exit_code == recover.ExitCode.timeout == 8
    assert str(SCAN) in raised.value.message() and "timeout=" in raised.value.message()
    assert recover.extract(SEED, timeout=60).status == in_process(str(SEED)).status
    assert resource.getrlimit(resource.RLIMIT_AS) == limits and signal.getsignal(signal.SIGALRM) == handler


def test_past_its_memory_the_document_ends_in_exit_9():
    """A scan needs far more than 300 MB of address space: its worker's allocation (or a library mapped on first
    use) fails, and the caller gets the batch's out-of-memory error, not the worker's MemoryError or ImportError."""
    with pytest.raises(recover.DocumentOutOfMemoryError) as raised:
        recover.extract(SCAN, memory_mb=300)
    assert raised.value.exit_code == recover.ExitCode.out_of_memory == 9
    assert "300 MB" in raised.value.message() and str(SCAN) in raised.value.message()


def test_the_callers_settings_reach_a_worker_started_before_them(monkeypatch):
    recover.extract(SEED)  # a worker now exists
    monkeypatch.setenv("RECOVER_MAX_PAGES", "2")
    got = recover.extract(PDF)
    assert got.to_dict() == in_process(str(PDF)).to_dict()
    assert got.skipped_pages and got.skipped_pages[0][0] == 3  # pages 3 on not read
    monkeypatch.delenv("RECOVER_MAX_PAGES")
    assert recover.extract(PDF).skipped_pages == []


def test_a_bad_input_raises_its_own_error_through_the_worker(tmp_path):
    with pytest.raises(recover.InputMissingError) as raised:
        recover.extract(tmp_path / "nowhere.pdf")
    assert raised.value.path == str(tmp_path / "nowhere.pdf") and raised.value.remedy


def test_threads_each_get_a_worker():
    results: dict[int, str] = {}

    def read(i: int) -> None:
        results[i] = recover.extract(SEED if i % 2 else PDF).to_json()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results[1] == results[3] == in_process(str(SEED)).to_json()
    assert results[0] == results[2] == in_process(str(PDF)).to_json()


def test_a_bug_in_the_worker_comes_back_with_its_traceback(monkeypatch):
    """(run in this process: what the worker sends for an exception of the pipeline that is no RecoverError)"""
    def broken(path, kind=None):
        raise ValueError("a bug")

    monkeypatch.setattr("recover.pipeline.extract", broken)
    ok, exc = run_extraction((str(SEED), None, {}))
    assert not ok and isinstance(exc, ValueError)
    assert "Traceback" in exc.__notes__[-1] and "broken" in exc.__notes__[-1]


def test_with_no_budget_the_document_is_read_in_this_process(monkeypatch):
    calls = []
    monkeypatch.setattr("recover.pipeline.extract", lambda path, kind=None: calls.append(path) or "read here")
    assert recover.extract(SEED, timeout=None, memory_mb=None) == "read here" and calls == [str(SEED)]
