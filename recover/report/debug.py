"""The debug view of the scan route (``recover extract --debug DIR``): why a scan was read as it was.

Each page read by OCR (a scan, an image-only PDF page, a PDF page whose text layer was missing or garbled) is
drawn as the layout stage saw it — scaled to the reading size and deskewed — with the table grids it found
(``layout.scan.draw.draw_grids``: every grid cell outlined in blue and labelled row,col, spans tinted), and over them
the canonical cells that came out of those grids, numbered: green outline for ``ok``, red and thicker for a
flagged cell. ``DIR/cells.tsv`` lists each number's cell (table, row, column), status, value, observed text
and reason, so a person can match the picture to the JSON.
"""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np

from recover.batch.kinds import sniff
from recover.ingest.scan import DPI, load_images, render_pdf
from recover.layout.scan.draw import draw_grids
from recover.layout.scan.page import analyse_page
from recover.layout.scan.scan_text import MAX_SIDE

OK = (40, 160, 40)  # green
FLAGGED = (38, 38, 220)  # red


def _pages(path: Path, result: dict) -> tuple[list[tuple[int, np.ndarray]], bool]:
    """The pages read by OCR, and whether the cells' boxes are PDF points (OCR'd pages of a text-layer PDF)."""
    source = result["source"]
    pdf = path.is_file() and sniff(path).kind == "pdf"
    if source["kind"] == "scan":
        return (render_pdf(path) if pdf else load_images(path)), False
    ocr = sorted(p["page"] for p in source.get("ocr_pages", []))
    if pdf and ocr:
        return render_pdf(path, ocr), True
    return [], False


def _pixels(bbox: list[float], points: bool, height_px: int) -> tuple[float, float, float, float]:
    """A cell's box in pixels of its page as rendered (top-left origin)."""
    if not points:
        return tuple(bbox)  # type: ignore[return-value]
    k = DPI / 72
    left, bottom, right, top = bbox
    return left * k, height_px - top * k, right * k, height_px - bottom * k


def write_debug(path: Path, result: dict, outdir: Path) -> list[Path]:
    """Write one PNG per page read by OCR and ``cells.tsv`` into ``outdir``; return the files written (none for
    a document no page of which was read by OCR)."""
    pages, points = _pages(path, result)
    if not pages:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    listed: list[list[object]] = []
    for no, image in pages:
        height_px = image.shape[0]
        scale = min(1.0, MAX_SIDE / max(image.shape[:2]))  # the reading size (layout.scan.scan_text.page_text)
        if scale < 1.0:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        try:
            lay = analyse_page(image)
            canvas = draw_grids(lay.gray, lay.grids)  # grid cells labelled row,col, spans tinted
        except ValueError:  # no glyph-like ink: nothing the layout could use
            canvas = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        size = max(0.35, canvas.shape[0] / 3500)  # digit size of the numbers
        for c in result["cells"]:
            if c.get("page") != no or not c.get("bbox"):
                continue
            in_points = (c.get("bbox_origin") or ("pdf" if points else "pixels")) == "pdf"
            x0, y0, x1, y1 = (round(v * scale) for v in _pixels(c["bbox"], in_points, height_px))
            flagged = c["status"] != "ok"
            listed.append([len(listed) + 1, no, c["table"], c["row"], c["column"], c["status"], c["value"],
                           c["observed"], c.get("reason") or ""])
            cv2.rectangle(canvas, (x0 + 2, y0 + 2), (x1 - 2, y1 - 2), FLAGGED if flagged else OK, 3 if flagged else 1)
            cv2.putText(canvas, str(len(listed)), (x0 + 4, y1 - 6),  # (the grid's row,col label is at the top)
                        cv2.FONT_HERSHEY_SIMPLEX, size, FLAGGED if flagged else OK, 1, cv2.LINE_AA)
        out = outdir / f"page-{no:03d}.png"
        cv2.imwrite(str(out), canvas)
        written.append(out)
    tsv = outdir / "cells.tsv"
    with tsv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(["id", "page", "table", "row", "column", "status", "value", "observed", "reason"])
        w.writerows(listed)
    written.append(tsv)
    return written
