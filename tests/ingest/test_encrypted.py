"""Copy-protected PDFs (AES-256, an owner password only: anyone can open them, extracting text is "not allowed")
are common among government reports: recovered as their unprotected originals are, through the text layer and
through the ruled tables Camelot reads (from a copy pdfium saves without the security handler)."""

from __future__ import annotations

import pikepdf
import pytest

from recover.pipeline import extract
from tests.conftest import CORPUS

PDFS = [CORPUS / "huaian_city_2024" / "huaian_city_2024.pdf",
        CORPUS / "huaian_city_2024_pdf_blank_zeros" / "huaian_city_2024_blank_zeros.pdf"]


@pytest.mark.parametrize("original", PDFS, ids=[p.stem for p in PDFS])
def test_an_owner_password_pdf_is_recovered_as_its_original(tmp_path, original):
    locked = tmp_path / original.name
    with pikepdf.open(original) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-only", user="", R=6, aes=True,
                                                       allow=pikepdf.Permissions(extract=False)))
    with pikepdf.open(locked) as pdf:
        assert pdf.is_encrypted and not pdf.allow.extract
    want, got = extract(str(original)), extract(str(locked))
    assert got.lattice_pages == want.lattice_pages
    assert [(c.key, c.value, c.status) for c in got.cells] == [(c.key, c.value, c.status) for c in want.cells]
