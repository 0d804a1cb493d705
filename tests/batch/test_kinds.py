"""batch.kinds: every corpus source is recognised by content, whatever its name; non-reports are skipped."""

from __future__ import annotations

import shutil

import pytest

from recover.batch.kinds import sniff
from tests.conftest import CORPUS, source_of, truth_docs

EXPECTED = {".txt": "text", ".md": "text", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".doc": "doc"}


@pytest.mark.parametrize("truth", truth_docs(), ids=lambda t: t.parent.name)
def test_corpus_sources_are_recognised_under_a_meaningless_name(truth, tmp_path):
    src = source_of(truth)
    renamed = tmp_path / "document.bin"
    shutil.copy(src, renamed)
    assert sniff(renamed).kind == EXPECTED[src.suffix]


def test_non_report_files_are_skipped_and_broken_reports_are_kept(tmp_path):
    from PIL import Image

    cases = {"empty.pdf": b"", "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
             "notes.txt": "会议纪要：讨论了明年的预算安排。".encode(), "data.txt": b'{"a": [1, 2]}',
             "blob.dat": bytes(range(256)) * 4, "page.html": b"<!DOCTYPE html><html><body><p>x</p></body></html>",
             "gbk.txt": "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况".encode("gb18030"),
             "archive.zip": b"PK\x03\x04 truncated"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    Image.new("L", (40, 30), 255).save(tmp_path / "photo.txt", format="PNG")
    kinds = {p.name: sniff(p).kind for p in tmp_path.iterdir()}
    assert kinds == {"empty.pdf": "text", "old.doc": "doc", "notes.txt": None, "data.txt": None, "blob.dat": None,
                     "page.html": "html", "gbk.txt": "text", "archive.zip": None, "photo.txt": "image"}
    assert sniff(CORPUS / "README.md").kind is None
    assert sniff(CORPUS / "check_truth.py").kind is None


def test_a_zip_naming_a_version_zipfile_lacks_is_skipped_and_the_batch_goes_on(tmp_path):
    """A bit flipped in a DOCX's central directory can make it ask for "zip file version 8.4": zipfile raises
    NotImplementedError, which ended the whole batch with exit 10."""
    from tests.batch.conftest import run_cli

    data = bytearray((CORPUS / "huaian_city_2024_docx" / "huaian_city_2024_filled_template.docx").read_bytes())
    data[data.index(b"PK\x01\x02") + 6] = 84  # version needed to extract: 8.4
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "damaged.docx").write_bytes(bytes(data))
    assert sniff(tmp_path / "in" / "damaged.docx").kind is None
    shutil.copy(source_of(CORPUS / "seed_001" / "truth.json"), tmp_path / "in")
    proc = run_cli("batch", tmp_path / "in", "-o", tmp_path / "out", "-q")
    assert proc.returncode == 0 and "damaged.docx" in proc.stderr and "damaged ZIP" in proc.stderr, proc.stderr
