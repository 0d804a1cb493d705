"""Many cell crops read in one engine call.

Cells are not read one call per cell (7–10 s per page with one tesseract process a cell): the crops of many
cells are stacked into one strip image, separated by white space, read by one call, and the words are given
back to their cells by their vertical position in the strip.
"""

from __future__ import annotations

import numpy as np

from recover.ocr.engine import OcrEngine, OcrWord

STRIP_HEIGHT = 40  # pixels per text line in the strip (crops are scaled to it)
GAP = 24  # white pixels between two crops in the strip


def read_strip(engine: OcrEngine, crops: list[np.ndarray], lang: str,
               whitelist: str | None = None,
               scales: list[float | None] | None = None) -> list[tuple[str, float]]:
    """Read many crops with one engine call: (text, mean confidence 0–1) per crop. Crop k is scaled by
    ``scales[k]`` when given (the caller knows its glyph height), else so that a line of it is ``STRIP_HEIGHT``
    tall."""
    if not crops:
        return []
    scaled = []
    for k, c in enumerate(crops):
        h, w = c.shape
        if scales is not None and scales[k] is not None:
            f = float(scales[k])  # type: ignore[arg-type]
        else:
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
    found = engine.read(strip, lang=lang, psm=6, whitelist=whitelist)
    out: list[list[OcrWord]] = [[] for _ in crops]
    for w in found:
        cy = (w.box[1] + w.box[3]) / 2
        for k, (a, b) in enumerate(spans):
            if a - GAP / 2 <= cy <= b + GAP / 2:
                out[k].append(w)
                break
    result = []
    for ws in out:
        joiner = "" if lang.startswith("chi") else " "
        lines = [joiner.join(w.text for w in line) for line in text_lines(ws)]
        text = ""
        for line in lines:  # wrapped Chinese text joins up; numbers on two lines (a lost row rule) stay apart
            text += (" " if text and (text[-1].isdigit() and line[:1].isdigit() or joiner) else "") + line
        conf = float(np.mean([w.conf for w in ws])) if ws else 0.0
        result.append((text, conf))
    return result


def text_lines(tokens: list[OcrWord]) -> list[list[OcrWord]]:
    """Tokens grouped into text lines, top to bottom, each left to right: a token joins the line above when its
    vertical centre lies within that line's band (top of its highest token to bottom of its lowest). A fixed
    pitch or a centre-to-centre distance instead splits a line where words straddle the pitch (行政处罚 read as
    处罚行政) or where a small glyph sits low (the 、 of 四、 on a line of its own)."""
    lines: list[list[OcrWord]] = []
    for t in sorted(tokens, key=lambda t: (t.box[1] + t.box[3]) / 2):
        cy = (t.box[1] + t.box[3]) / 2
        if lines:
            top = min(u.box[1] for u in lines[-1])
            bottom = max(u.box[3] for u in lines[-1])
            # ... or when the line so far is a sliver less than half as tall as the token and lies inside it: a
            # glyph read alone from its top strokes (发 boxed 7 px high over a 23 px line) must not start a line
            sliver = 2 * (bottom - top) < t.box[3] - t.box[1] and t.box[1] <= (top + bottom) / 2 <= t.box[3]
            if top <= cy <= bottom or sliver:
                lines[-1].append(t)
                continue
        lines.append([t])
    return [sorted(line, key=lambda t: t.box[0]) for line in lines]


def _resize(img: np.ndarray, f: float) -> np.ndarray:
    import cv2

    if abs(f - 1) < 0.05:
        return img
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
