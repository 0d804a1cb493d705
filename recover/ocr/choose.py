"""The process's OCR engine: ``get_engine()`` loads it once (models stay in memory between calls): the one named by
the environment variable ``RECOVER_OCR_ENGINE`` if set, else the first available of ``DEFAULT_ORDER`` — chosen
by the scan benchmark (``devtools bench-ocr``), not by taste: in-process Tesseract (tesserocr) reads the same words as
the tesseract command line at a fifth of its CPU time.
"""

from __future__ import annotations

import os
from functools import cache

from recover.errors import ConfigurationError, MissingDependencyError
from recover.ocr.engine import OcrEngine

DEFAULT_ORDER = ("tesserocr", "pytesseract")


def _make(name: str) -> OcrEngine:
    if name == "tesserocr":
        from recover.ocr.tesseract import TesserocrEngine

        return TesserocrEngine()
    if name == "pytesseract":
        from recover.ocr.tesseract import PytesseractEngine

        return PytesseractEngine()
    raise ConfigurationError("RECOVER_OCR_ENGINE", f"unknown OCR engine {name!r} (known: {', '.join(DEFAULT_ORDER)})")


@cache
def get_engine(name: str | None = None) -> OcrEngine:
    """The engine called ``name`` (else ``$RECOVER_OCR_ENGINE``, else the first of ``DEFAULT_ORDER`` that loads),
    created once per process."""
    name = name or os.environ.get("RECOVER_OCR_ENGINE")
    if name:
        return _make(name)
    errors = []
    for candidate in DEFAULT_ORDER:
        try:
            return _make(candidate)
        except (ImportError, RuntimeError, OSError) as exc:
            errors.append(f"{candidate}: {exc}")
    raise MissingDependencyError("tesseract", "no OCR engine available (" + "; ".join(errors) + ")")
