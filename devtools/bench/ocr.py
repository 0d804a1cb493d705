"""``python3 -m devtools bench-ocr``: seconds per table page and accuracy of the scan route, at several resolutions.

Every born-digital PDF of the corpus that has a ``truth.json`` has its table pages (those printing the
catalogue's labels and numbers, ``layout.pdf.lattice.table_pages``) rendered at each dpi, degraded like a scan
(``degrade``: rotation, blur, Gaussian noise, from a fixed seed) and read as a folder of page images through the
whole pipeline; the corpus scan (``huaian_city_2024_scan``) is read as it is. For each it prints seconds per
table page — CPU (this process plus child processes, so a tesseract process per call is counted) and wall — and
cells right / flagged / silent errors (a wrong value with status ok) against the truth.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

DPIS = (300, 200, 150)
SCAN_DOC = "huaian_city_2024_scan"


def degrade(gray: np.ndarray, *, angle: float = 0.6, blur_sigma: float = 0.6, noise_sigma: float = 8.0,
            seed: int = 0) -> np.ndarray:
    """A scan-like copy of a clean grayscale page: rotated ``angle`` degrees counter-clockwise about its centre
    (paper-white corners), blurred with a Gaussian of ``blur_sigma`` px (0: none), plus Gaussian noise of
    ``noise_sigma`` gray levels drawn with ``seed``."""
    h, w = gray.shape
    out = gray
    if angle:
        m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
        out = cv2.warpAffine(out, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if blur_sigma > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur_sigma)
    if noise_sigma > 0:
        noise = np.random.default_rng(seed).normal(0.0, noise_sigma, out.shape)
        out = np.clip(out.astype(np.float64) + noise, 0, 255).astype(np.uint8)
    return out


def _cpu() -> float:
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def score_cells(result: dict, truth: dict) -> tuple[int, int, int, int]:
    """(cells, right, flagged, silent) of a JSON result against a corpus truth; a truth cell absent from the
    result counts as flagged (it is not claimed right)."""
    from devtools.bench.corpus import truth_cells

    expected = truth_cells(truth)
    got = {(c["table"], c["row"], c["column"]): c for c in result["cells"]}
    right = flagged = silent = 0
    for key, value in expected.items():
        c = got.get(key)
        ok_value = c is not None and c["value"] == value
        right += ok_value
        if c is None or c["status"] != "ok":
            flagged += 1
        elif not ok_value:
            silent += 1
    return len(expected), right, flagged, silent


def _table_page_images(pdf: Path, dpi: int, seed: int) -> list[np.ndarray]:
    from recover.ingest.pdf import read_pdf_text
    from recover.ingest.scan import render_pdf
    from recover.layout.pdf.lattice import table_pages

    text = read_pdf_text(pdf)
    by_page: dict[int, list[str]] = {}
    for ln, no in zip(text.lines, text.pages):
        by_page.setdefault(no, []).append(ln)
    pages = table_pages({no: "\n".join(lns) for no, lns in by_page.items()})
    return [degrade(img, seed=seed + no) for no, img in render_pdf(pdf, pages, dpi=dpi)]


def run_bench_ocr(corpus: Path, dpis: tuple[int, ...] = DPIS, engine: str | None = None) -> list[dict]:
    """Print and return one row per (document, dpi): pages, s/page CPU and wall, cells right/flagged/silent."""
    import os

    from PIL import Image

    from recover.pipeline import extract

    if engine:
        os.environ["RECOVER_OCR_ENGINE"] = engine
    jobs: list[tuple[str, str, Path, dict, int]] = []
    tmp = Path(tempfile.mkdtemp(prefix="recover-bench-ocr-"))
    for tp in sorted(corpus.glob("*/truth.json")):
        truth = json.loads(tp.read_text(encoding="utf-8"))
        src = tp.parent / truth["source"]
        if tp.parent.name == SCAN_DOC:
            import pypdfium2 as pdfium

            jobs.append((tp.parent.name, "scan", src, truth, len(pdfium.PdfDocument(str(src)))))
            continue
        if src.suffix.lower() != ".pdf" or "garbled" in tp.parent.name:
            continue
        for dpi in dpis:
            folder = tmp / f"{tp.parent.name}_{dpi}"
            folder.mkdir()
            images = _table_page_images(src, dpi, seed=dpi)
            for k, img in enumerate(images, start=1):
                Image.fromarray(img).save(folder / f"page{k:02d}.png")
            if images:
                jobs.append((tp.parent.name, str(dpi), folder, truth, len(images)))
    rows = []
    print(f"{'document':34s} {'dpi':>4s} {'pages':>5s} {'cpu s/p':>8s} {'wall s/p':>8s} {'cells':>5s} {'right':>5s} "
          f"{'flagged':>7s} {'silent':>6s}")
    for name, dpi_s, path, truth, n_pages in jobs:
        c0, w0 = _cpu(), time.perf_counter()
        result = extract(str(path)).to_dict()
        cpu, wall = _cpu() - c0, time.perf_counter() - w0
        n, right, flagged, silent = score_cells(result, truth)
        row = {"document": name, "dpi": dpi_s, "pages": n_pages, "cpu_per_page": cpu / n_pages,
               "wall_per_page": wall / n_pages, "cells": n, "right": right, "flagged": flagged, "silent": silent}
        rows.append(row)
        print(f"{name:34s} {dpi_s:>4s} {n_pages:5d} {row['cpu_per_page']:8.2f} {row['wall_per_page']:8.2f} {n:5d} "
              f"{right:5d} {flagged:7d} {silent:6d}", flush=True)
    for dpi_s in dict.fromkeys(r["dpi"] for r in rows):
        sel = [r for r in rows if r["dpi"] == dpi_s]
        pages = sum(r["pages"] for r in sel)
        cells = sum(r["cells"] for r in sel)
        cpu = sum(r["cpu_per_page"] * r["pages"] for r in sel) / pages
        wall = sum(r["wall_per_page"] * r["pages"] for r in sel) / pages
        right, flagged, silent = (sum(r[k] for r in sel) for k in ("right", "flagged", "silent"))
        print(f"{'all at ' + dpi_s:34s} {'':>4s} {pages:5d} {cpu:8.2f} {wall:8.2f} {cells:5d} {right:5d} {flagged:7d} "
              f"{silent:6d}")
    return rows
