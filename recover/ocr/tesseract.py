"""Tesseract engines: in process through tesserocr's C++ API (one loaded model per language, kept for the
life of the process), or one ``tesseract`` process per call through pytesseract (the old path: it pays
process start-up and model loading on every call, ≈ 5× the CPU time on the corpus scan)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import numpy as np

from recover.ocr.engine import OcrWord

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract's OpenMP threads only spin on a shared machine

TESSDATA_CANDIDATES = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                       "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")


def tessdata_dir(lang: str = "chi_sim") -> str:
    """The folder holding ``{lang}.traineddata``: ``$TESSDATA_PREFIX``, the usual system folders, else the one the
    tesseract command line reports."""
    env = os.environ.get("TESSDATA_PREFIX")
    for d in ([env] if env else []) + list(TESSDATA_CANDIDATES):
        if (Path(d) / f"{lang}.traineddata").is_file():
            return str(d)
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"no tessdata folder with {lang}.traineddata found") from exc
    m = re.search(r'"([^"]+)"', out)
    if m and (Path(m.group(1)) / f"{lang}.traineddata").is_file():
        return m.group(1)
    raise RuntimeError(f"no tessdata folder with {lang}.traineddata found (install tesseract-ocr-chi-sim)")


class TesserocrEngine:
    """Tesseract in process. ``read`` sets the image once and iterates the words with their boxes and
    confidences; for a whitelisted (number) read each word also carries its alternatives: the reading with its
    least certain character replaced by that character's next choice."""

    name = "tesserocr"

    def __init__(self) -> None:
        import tesserocr  # noqa: F401  (ImportError: the caller falls back to pytesseract)

        self._apis: dict[str, object] = {}

    def _api(self, lang: str):
        from tesserocr import OEM, PyTessBaseAPI

        if lang not in self._apis:
            api = self._apis[lang] = PyTessBaseAPI(path=tessdata_dir(lang), lang=lang, oem=OEM.LSTM_ONLY)
            # no second reading of a doubtful line from the inverted image (white on black, which these reports
            # never print): on a 200 dpi scan it cost a quarter of the digit reads' time and came back with garbage
            # at confidence 0 (a dash read 5) or a row of figures with its 0s dropped. (Turned off for the figures'
            # model alone, 淮安 2024's table 三 at 150 dpi read worse: its repair ran out of time, 187 of 200 right.)
            api.SetVariable("tessedit_do_invert", "0")
        return self._apis[lang]

    def read(self, image: np.ndarray, *, lang: str = "chi_sim", psm: int = 6,
             whitelist: str | None = None) -> list[OcrWord]:
        from tesserocr import RIL, iterate_level

        api = self._api(lang)
        api.SetPageSegMode(psm)
        api.SetVariable("tessedit_char_whitelist", whitelist or "")
        # raw pixels, not a PIL image (tesserocr encodes those as BMP first): ≈ 8 % of a digit cell's read
        pixels = np.ascontiguousarray(image, dtype=np.uint8)
        depth = 1 if pixels.ndim == 2 else pixels.shape[2]
        api.SetImageBytes(pixels.tobytes(), pixels.shape[1], pixels.shape[0], depth, depth * pixels.shape[1])
        api.Recognize()
        out = []
        for w in iterate_level(api.GetIterator(), RIL.WORD):
            try:
                text = (w.GetUTF8Text(RIL.WORD) or "").strip()
            except RuntimeError:  # an empty word
                continue
            box = w.BoundingBox(RIL.WORD)
            if not text or box is None:
                continue
            out.append(OcrWord(text, w.Confidence(RIL.WORD) / 100.0, tuple(int(v) for v in box)))
        api.Clear()
        return out


class PytesseractEngine:
    """One tesseract process per call (pytesseract): no extra Python dependency beyond the command line."""

    name = "pytesseract"

    def __init__(self) -> None:
        import pytesseract

        pytesseract.get_tesseract_version()  # raises when the command line is missing
        self._pt = pytesseract

    def read(self, image: np.ndarray, *, lang: str = "chi_sim", psm: int = 6,
             whitelist: str | None = None) -> list[OcrWord]:
        config = f"--psm {psm}"
        if whitelist:
            config += f" -c tessedit_char_whitelist={whitelist}"
        d = self._pt.image_to_data(image, lang=lang, config=config, output_type=self._pt.Output.DICT)
        out = []
        for i, t in enumerate(d["text"]):
            t = t.strip()
            if t:
                x, y, w, h = d["left"][i], d["top"][i], d["width"][i], d["height"][i]
                out.append(OcrWord(t, max(0.0, float(d["conf"][i])) / 100.0, (x, y, x + w, y + h)))
        return out
