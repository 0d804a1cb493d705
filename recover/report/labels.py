"""Chinese labels of the catalogue, in the shape the HTML report takes."""

from __future__ import annotations

from typing import Any

from recover.catalogue import Catalogue


def report_labels(cat: Catalogue) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, t in cat.tables.items():
        cols: dict[str, str] = {}
        for c in t.columns:
            cols.setdefault(c.key, c.label)
        out[key] = {"title": t.title, "rows": {r.key: r.label for r in t.rows}, "columns": cols}
    return out
