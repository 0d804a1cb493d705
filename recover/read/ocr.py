"""Tesseract OCR of table cells and page text (pytesseract).

Cells are not read one process per cell (7–10 s per page): the crops of many cells are stacked into
one strip image, separated by white space, read by one tesseract call, and the words are given back to
their cells by their vertical position in the strip. Number cells are read a second time with a digit
whitelist, which is where OCR errors would hurt most.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STRIP_HEIGHT = 40  # pixels per text line in the strip (crops are scaled to it)
GAP = 24  # white pixels between two crops in the strip
DIGITS = "0123456789.-/"


@dataclass(frozen=True)
class Word:
    text: str
    conf: float  # 0..100 as tesseract reports it
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the image read


def words(image: np.ndarray, lang: str = "chi_sim", psm: int = 6, whitelist: str | None = None) -> list[Word]:
    """Words tesseract reads in a grayscale image, with confidence and box."""
    import pytesseract

    config = f"--psm {psm}"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    d = pytesseract.image_to_data(image, lang=lang, config=config, output_type=pytesseract.Output.DICT)
    out = []
    for i, t in enumerate(d["text"]):
        t = t.strip()
        if t:
            x, y, w, h = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
            out.append(Word(t, float(d["conf"][i]), (x, y, x + w, y + h)))
    return out


def has_ink(crop: np.ndarray, min_share: float = 0.004) -> bool:
    """Whether a cell crop holds any writing (dark pixels beyond scanner noise)."""
    return crop.size > 0 and float((crop < 128).mean()) > min_share


def read_strip(crops: list[np.ndarray], lang: str, whitelist: str | None = None) -> list[tuple[str, float]]:
    """Read many crops with one tesseract call: (text, mean confidence) per crop."""
    if not crops:
        return []
    scaled = []
    for c in crops:
        h, w = c.shape
        lines = max(1, round(h / (STRIP_HEIGHT * 1.4)))  # wrapped text keeps its lines
        f = min(2.0, STRIP_HEIGHT * lines / max(h, 1))
        scaled.append(_resize(c, f))
    width = max(s.shape[1] for s in scaled) + 2 * GAP
    spans = []
    rows = []
    y = GAP
    for s in scaled:
        pad = np.full((s.shape[0], width), 255, dtype=np.uint8)
        pad[:, GAP:GAP + s.shape[1]] = s
        rows += [np.full((GAP, width), 255, dtype=np.uint8), pad]
        spans.append((y, y + s.shape[0]))
        y += s.shape[0] + GAP
    strip = np.vstack(rows + [np.full((GAP, width), 255, dtype=np.uint8)])
    found = words(strip, lang=lang, psm=6, whitelist=whitelist)
    out: list[list[Word]] = [[] for _ in crops]
    for w in found:
        cy = (w.box[1] + w.box[3]) / 2
        for k, (a, b) in enumerate(spans):
            if a - GAP / 2 <= cy <= b + GAP / 2:
                out[k].append(w)
                break
    result = []
    for ws in out:
        ws.sort(key=lambda w: (round(w.box[1] / STRIP_HEIGHT), w.box[0]))
        joiner = "" if lang.startswith("chi") else " "
        text = joiner.join(w.text for w in ws)
        conf = float(np.mean([w.conf for w in ws])) if ws else 0.0
        result.append((text, conf))
    return result


def _resize(img: np.ndarray, f: float) -> np.ndarray:
    import cv2

    if abs(f - 1) < 0.05:
        return img
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
