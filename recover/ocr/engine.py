"""The OCR engine interface: an engine reads a grayscale image and returns tokens with text, a confidence in
0–1, a pixel box and the engine's alternative readings.

``get_engine()`` returns the process's engine, loaded once (models stay in memory between calls): the one named by
the environment variable ``RECOVER_OCR_ENGINE`` if set, else the first available of ``DEFAULT_ORDER`` — chosen
by the scan benchmark (``recover bench-scan-speed``), not by taste: in-process Tesseract (tesserocr) reads the
same words as the tesseract command line at a fifth of its CPU time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import numpy as np

from recover.errors import ConfigurationError, MissingDependencyError

# A reading less confident than this (0–1) is doubtful: the scan route reads its row a second time, and a figure no
# rule checks (table 二) is flagged (行政处罚 2776 read 2716 at 0.898, 洪泽 2024, 300 dpi).
SURE_CONF = 0.9

DIGITS = "0123456789.-/"


@dataclass(frozen=True)
class Token:
    """One word as read: ``conf`` in 0–1, ``box`` x0, y0, x1, y1 in the pixels of the image read, ``alternatives``
    other readings of the whole word with their confidences (best first), when the engine gives them."""

    text: str
    conf: float
    box: tuple[int, int, int, int]
    alternatives: tuple[tuple[str, float], ...] = field(default=())


class OcrEngine(Protocol):
    """What the scan route needs of an OCR engine."""

    name: str

    def read(self, image: np.ndarray, *, lang: str = "chi_sim", psm: int = 6,
             whitelist: str | None = None) -> list[Token]:
        """Words in a grayscale uint8 image (dark text on white). ``lang`` is a Tesseract language name
        (``chi_sim`` labels and page text, ``eng`` numbers), ``psm`` a Tesseract page segmentation mode (engines
        that segment by themselves may ignore it), ``whitelist`` the only characters allowed."""
        ...


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
