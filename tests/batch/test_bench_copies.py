"""bench-batch's copies are distinct documents that read exactly like their source."""

from __future__ import annotations

from devtools.bench.batch import _copies
from recover.batch.kinds import sniff
from recover.batch.plan import file_sha256
from recover.pipeline import extract
from tests.conftest import CORPUS, source_of


def _cells(path, kind=None) -> dict:
    return {(c["table"], c["row"], c["column"]): (c["value"], c["status"])
            for c in extract(str(path), kind=kind).to_dict()["cells"]}


def test_copies_differ_in_hash_not_in_what_they_read(tmp_path):
    sources = [source_of(CORPUS / n / "truth.json") for n in ("seed_002", "hongze_district_2024",
                                                              "huaian_city_2024_docx")]
    assert _copies(sources, 2, tmp_path / "in") == 6
    copies = sorted((tmp_path / "in").iterdir())
    assert len({file_sha256(p) for p in copies} | {file_sha256(s) for s in sources}) == 9
    for src in sources:
        copy = tmp_path / "in" / f"1_{src.name}"
        assert sniff(copy).kind == sniff(src).kind
        assert _cells(copy, sniff(copy).kind) == _cells(src)
