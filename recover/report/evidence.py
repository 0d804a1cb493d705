"""The evidence of each flagged cell for the read-only ``--report`` page of ``recover extract``: the same image crop
(PDF and scan pages) or source lines (text, HTML, DOCX), and the values the solver weighed, that ``recover review``
shows. Crops are embedded as PNG data URIs so the page stays one self-contained file."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from recover.model import Extraction, Status
from recover.review import crops
from recover.review.evidence import DocEvidence, cell_evidence


def flagged_evidence(ex: Extraction) -> dict[str, dict[str, Any]]:
    """``table.row.column`` -> {"crop": data URI or None, "lines": [(no., text, own)], "candidates": [...]} of every
    cell not ``ok``. Text sources are read again for their lines (cheap); scans are not (their pages are)."""
    flagged = [c for c in ex.cells if c.status is not Status.ok]
    if not flagged:
        return {}
    ocr = {p for p, _ in ex.ocr_pages}
    lines: tuple[str, ...] = ()
    pages = None
    if ex.kind != "scan" and not ocr:
        from recover.ingest import load_document

        doc = load_document(ex.path, None, ruled_tables=bool(ex.lattice_pages))
        lines, pages = doc.lines, doc.line_pages
    doc_ev = DocEvidence(lines, pages, {c.key: c for c in ex.cells}, list(ex.units))
    out: dict[str, dict[str, Any]] = {}
    for c in flagged:
        ev = cell_evidence(doc_ev, c.key, c.value, c.reason)
        crop = None
        kind = ex.kind  # (a PDF's boxes are in points, OCR'd pages included; a scan's in pixels: docs/output.md)
        if c.page is not None and kind in ("pdf", "scan"):
            line = ev.line_text if ev.line_page in (None, c.page) else None
            try:
                png = crops.cell_crop(Path(ex.path), kind, c.page, list(c.bbox) if c.bbox else None, line)
                crop = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            except crops.NoCrop:
                crop = None
        out[".".join(c.key)] = {"crop": crop, "page": c.page, "lines": ev.lines,
                                "candidates": [(x.label, x.cost, x.why, x.chosen) for x in ev.candidates]}
    return out
