"""The evidence of each flagged cell, as the pipeline leaves it: the source lines the cell was read from (text,
HTML, DOCX and text-layer PDFs; a scan's evidence is its page image), and the values the solver weighed — each
reading of the cell's evidence unit with its cost, the "any value" override, and the values the uniqueness search
found fitting the arithmetic as well.

``stored_evidence`` is what a batch keeps in its results store for ``recover review``; ``flagged_evidence`` adds
each PDF or scan cell's page crop (a PNG data URI) for the self-contained ``recover extract --report`` page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recover.model import Cell, Extraction, Status, Unit, Value

CONTEXT = 2  # source lines shown above and below the cell's lines
WINDOW = 60  # characters shown either side of the cell's figure in a long source line (web text glues paragraphs)
SHORTLIST = 6  # values weighed listed at first; the rest behind a "more" disclosure
GIVEN_UP = "any other value (the reading given up)"


@dataclass
class Candidate:
    value: Value  # None: the cell's reading given up (the arithmetic decides)
    cost: float | None
    why: str
    chosen: bool = False

    @property
    def label(self) -> str:
        if self.value is None:
            return "any" if self.why == GIVEN_UP else "(not read)"
        return str(self.value)


@dataclass
class CellEvidence:
    lines: list[tuple[int, str, bool]] = field(default_factory=list)  # (1-based line no., text, the cell's line)
    line_text: str | None = None  # the source line the cell was read from (locates it on a PDF page)
    line_page: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    note: str | None = None  # why there is no source text
    mark: tuple[int, int] | None = None  # where the cell's figure is in its own line (start, end), when known

    def to_dict(self) -> dict[str, Any]:
        return {"lines": [list(x) for x in self.lines], "line_text": self.line_text, "line_page": self.line_page,
                "candidates": [[c.value, c.cost, c.why, c.chosen] for c in self.candidates], "note": self.note,
                "mark": list(self.mark) if self.mark else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CellEvidence:
        lines = [(int(n), str(t), bool(own)) for n, t, own in d.get("lines", [])]
        found = [Candidate(v, cost, why, chosen) for v, cost, why, chosen in d.get("candidates", [])]
        mark = d.get("mark")
        return cls(lines, d.get("line_text"), d.get("line_page"), found, d.get("note"),
                   (int(mark[0]), int(mark[1])) if mark else None)

    def excerpt(self) -> list[tuple[int, str, str, str, bool]]:
        """The lines to show, each (line no., before, figure, after, the cell's line): the cell's figure marked
        in its own line, a long line cut to WINDOW characters either side of it (or of its start), other long
        lines to their first 2 × WINDOW characters."""
        out = []
        for n, text, own in self.lines:
            if own and self.mark and self.mark[1] <= len(text):
                a, b = self.mark
                lo, hi = max(0, a - WINDOW), min(len(text), b + WINDOW)
                out.append((n, ("…" if lo else "") + text[lo:a], text[a:b], text[b:hi] + ("…" if hi < len(text)
                                                                                           else ""), True))
            elif len(text) > 2 * WINDOW:
                out.append((n, text[:2 * WINDOW] + "…", "", "", own))
            else:
                out.append((n, text, "", "", own))
        return out

    def shortlist(self) -> tuple[list[Candidate], list[Candidate]]:
        """The values weighed to show first (the chosen one, then the cheapest, SHORTLIST in all) and the rest."""
        ranked = sorted(self.candidates, key=lambda c: (not c.chosen, c.cost if c.cost is not None else -1.0))
        return ranked[:SHORTLIST], ranked[SHORTLIST:]


def cell_evidence(ex: Extraction, cell: Cell) -> CellEvidence:
    """The source lines of ``cell`` (when the extraction kept its document's lines) and its candidates."""
    out = CellEvidence()
    if cell.tokens and ex.lines:
        idx = sorted({t.line for t in cell.tokens})
        own = cell.tokens[0].line
        lo, hi = max(0, idx[0] - CONTEXT), min(len(ex.lines), idx[-1] + CONTEXT + 1)
        out.lines = [(i + 1, ex.lines[i], i == own) for i in range(lo, hi)]
        out.line_text = ex.lines[own]
        out.line_page = ex.line_pages[own] if ex.line_pages else None
        out.mark = _figure_at(cell.tokens[0], out.line_text)
    elif cell.tokens:
        out.note = "read by OCR: the page image is the evidence"
    else:
        out.note = "nothing was printed for this cell: its value comes from the arithmetic"
    out.candidates = candidates(ex.units, cell)
    return out


def _figure_at(tok: Any, line: str) -> tuple[int, int] | None:
    """Where the token's text is in its source line: its recorded offset, else its one occurrence."""
    text = tok.text.strip()
    if not text:
        return None
    if tok.start is not None and line[tok.start:tok.start + len(tok.text)] == tok.text:
        a = tok.start + tok.text.index(text)
        return a, a + len(text)
    return (line.index(text), line.index(text) + len(text)) if line.count(text) == 1 else None


def candidates(units: list[Unit], cell: Cell) -> list[Candidate]:
    """The readings the solver chose the cell's value from: each hypothesis of its evidence unit (with its cost),
    the "any value" override, and the values the uniqueness search found fitting as well (``Cell.also_fits``)."""
    key, value = cell.key, cell.value
    found: dict[Any, Candidate] = {}
    for u in units:
        if key not in u.cells:
            continue
        for h in u.hypotheses:
            v = h.values.get(key)
            if v not in found or (found[v].cost or 0) > h.cost:
                found[v] = Candidate(v, h.cost, h.why)
        found.setdefault("override", Candidate(None, u.override_cost, GIVEN_UP))
    for v in cell.also_fits:
        found.setdefault(v, Candidate(v, None, "also fits the arithmetic at (nearly) the same cost"))
    if value not in found:
        found[value] = Candidate(value, None, "required by the rules")
    out = list(found.values())
    for c in out:
        c.chosen = c.value == value and c.why != GIVEN_UP
    out.sort(key=lambda c: (not c.chosen, c.cost if c.cost is not None else 99.0))
    return out


def stored_evidence(ex: Extraction) -> dict[str, dict[str, Any]]:
    """``table.row.column`` -> ``CellEvidence.to_dict()`` of every cell not ``ok`` (what a batch stores)."""
    return {".".join(c.key): cell_evidence(ex, c).to_dict() for c in ex.cells if c.status is not Status.ok}


def flagged_evidence(ex: Extraction) -> dict[str, dict[str, Any]]:
    """``table.row.column`` -> {"crop": data URI or None, "page", "lines": ``CellEvidence.excerpt()`` (no., text
    before the figure, the figure, text after, own line), "candidates": [...]} of every cell not ``ok``, for the
    ``--report`` page."""
    from recover.review import crops

    out: dict[str, dict[str, Any]] = {}
    for c in ex.cells:
        if c.status is Status.ok:
            continue
        ev = cell_evidence(ex, c)
        crop = None
        if c.page is not None and ex.kind in ("pdf", "scan"):
            line = ev.line_text if ev.line_page in (None, c.page) else None
            try:
                png = crops.cell_crop(Path(ex.path), ex.kind, c.page, list(c.bbox) if c.bbox else None, line)
                crop = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            except crops.NoCrop:
                crop = None
        out[".".join(c.key)] = {"crop": crop, "page": c.page, "lines": ev.excerpt(),
                                "candidates": [(x.label, x.cost, x.why, x.chosen) for x in ev.candidates]}
    return out
