"""Serialise an ``Extraction`` to the versioned JSON output contract (docs/output.md)."""

from __future__ import annotations

from typing import Any

from recover import SCHEMA_VERSION
from recover.model import Extraction, Status

NEEDS_REVIEW = {Status.ambiguous, Status.missing, Status.source_inconsistent}


def document_status(ex: Extraction) -> str:
    if not any(t.found for t in ex.tables):
        return "failed"
    statuses = {c.status for c in ex.cells}
    if statuses & NEEDS_REVIEW or not all(ch.holds for ch in ex.checks):
        return "needs_review"
    return "repaired" if statuses - {Status.ok} else "ok"


def to_dict(ex: Extraction) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": ex.path, "sha256": ex.sha256, "kind": ex.kind,
                   "ocr_pages": [{"page": p, "why": why} for p, why in ex.ocr_pages],
                   "lattice_pages": ex.lattice_pages,
                   "skipped_pages": [{"page": p, "why": why} for p, why in ex.skipped_pages]},
        "report": {"agency": ex.agency, "year": ex.year},
        "status": document_status(ex),
        "tables": [{"table": t.table, "format": t.format, "found": t.found, "pages": t.pages} for t in ex.tables],
        "cells": [{"table": c.table, "row": c.row, "column": c.column, "value": c.value, "observed": c.observed,
                   "status": str(c.status), "confidence": c.confidence, "page": c.page,
                   "bbox": list(c.bbox) if c.bbox else None,
                   "bbox_origin": str(c.origin) if c.bbox and c.origin else None, "reason": c.reason, "rules": c.rules}
                  for c in ex.cells],
        "checks": [{"rule": ch.rule, "holds": ch.holds, "detail": ch.detail} for ch in ex.checks],
    }
