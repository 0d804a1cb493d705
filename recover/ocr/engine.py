"""The OCR engine interface: an engine reads a grayscale image and returns words (``OcrWord``) with text, a
confidence in 0–1, a pixel box and the engine's alternative readings. The engines are in ``tesseract.py``; the
process's engine is chosen by ``choose.get_engine``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

# A reading less confident than this (0–1) is doubtful: the scan route reads its row a second time, and a figure no
# rule checks (table 二) is flagged (行政处罚 2776 read 2716 at 0.898, 洪泽 2024, 300 dpi).
SURE_CONF = 0.9

DIGITS = "0123456789.-/"


@dataclass(frozen=True)
class OcrWord:
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
             whitelist: str | None = None) -> list[OcrWord]:
        """Words in a grayscale uint8 image (dark text on white). ``lang`` is a Tesseract language name
        (``chi_sim`` labels and page text, ``eng`` numbers), ``psm`` a Tesseract page segmentation mode (engines
        that segment by themselves may ignore it), ``whitelist`` the only characters allowed."""
        ...
