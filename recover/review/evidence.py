"""What the source shows of a cell, and the readings the solver weighed for it.

The results store keeps each cell's value, observed text, page and box but not the pipeline's working
(the source line a cell was read from, the alternative readings of its row). To show them, the source file is
read again (the same pipeline, cached per document for the life of the review server), when it is still at its
stored path with the same SHA-256. Scans and PDF pages read by OCR are not re-read (Tesseract takes seconds a
page): their cells show the page crop from the stored box, and the alternatives named in the cell's reason.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recover.errors import RecoverError

Key = tuple[str, str, str]
CONTEXT = 2  # source lines shown above and below the cell's lines
ALSO_FITS = re.compile(r"(-?\d[\d, ]*?) (?:would also fit|fit) the arithmetic")


@dataclass
class Candidate:
    value: Any  # None: the cell's reading given up (the arithmetic decides)
    cost: float | None
    why: str
    chosen: bool = False

    @property
    def label(self) -> str:
        if self.value is None:
            return "any" if self.why.startswith("any other") else "(not read)"
        return str(self.value)


@dataclass
class CellEvidence:
    lines: list[tuple[int, str, bool]] = field(default_factory=list)  # (1-based line no., text, the cell's line)
    line_text: str | None = None  # the source line the cell was read from (locates it on a PDF page)
    line_page: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    note: str | None = None  # why there is no source text


@dataclass
class DocEvidence:
    lines: tuple[str, ...] = ()
    pages: tuple[int, ...] | None = None
    cells: dict[Key, Any] = field(default_factory=dict)  # key -> pipeline Cell
    units: list[Any] = field(default_factory=list)
    note: str | None = None


_cache: dict[str, DocEvidence] = {}
_lock = threading.Lock()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def document_evidence(path: str, sha256: str, kind: str | None, file_kind: str | None) -> DocEvidence:
    """Re-read the document at ``path`` (cached by content hash); a note instead when that is not possible.
    ``kind`` "scan" (also given for PDFs with pages read by OCR) is not re-read."""
    with _lock:
        if sha256 in _cache:
            return _cache[sha256]
        _cache[sha256] = ev = _read(Path(path), sha256, kind, file_kind)
        return ev


def _read(p: Path, sha256: str, kind: str | None, file_kind: str | None) -> DocEvidence:
    if kind == "scan" or file_kind == "image":
        return DocEvidence(note="read by OCR: the page image is the evidence (not read again here)")
    if not p.is_file():
        return DocEvidence(note=f"the source file {p} is no longer there")
    if _sha256(p) != sha256:
        return DocEvidence(note=f"the source file {p} has changed since the batch read it")
    from recover.catalogue import load_catalogue
    from recover.ingest import load_document
    from recover.pipeline import extract

    try:
        ex = extract(str(p), load_catalogue(), kind=file_kind)
        doc = load_document(str(p), file_kind, ruled_tables=bool(ex.lattice_pages))
    except RecoverError as exc:
        return DocEvidence(note=f"the source could not be read again: {exc.message()}")
    return DocEvidence(doc.lines, doc.line_pages, {c.key: c for c in ex.cells}, list(ex.units))


def cell_evidence(doc: DocEvidence, key: Key, value: Any, reason: str | None) -> CellEvidence:
    out = CellEvidence(note=doc.note)
    cell = doc.cells.get(key)
    if cell is not None and cell.tokens and doc.lines:  # (a scan's lines are not kept: its page image is shown)
        idx = sorted({t.line for t in cell.tokens})
        own = {cell.tokens[0].line}
        lo, hi = max(0, idx[0] - CONTEXT), min(len(doc.lines), idx[-1] + CONTEXT + 1)
        out.lines = [(i + 1, doc.lines[i], i in own) for i in range(lo, hi)]
        out.line_text = doc.lines[cell.tokens[0].line]
        out.line_page = doc.pages[cell.tokens[0].line] if doc.pages else None
    elif doc.cells and out.note is None:
        out.note = "nothing was printed for this cell: its value comes from the arithmetic"
    out.candidates = candidates(doc.units, key, value, reason)
    return out


def candidates(units: list[Any], key: Key, value: Any, reason: str | None) -> list[Candidate]:
    """The readings of the cell the solver chose from (each hypothesis of its unit, with its cost), the
    "any value" override, and the values the uniqueness search found fitting (named in the reason)."""
    found: dict[Any, Candidate] = {}
    for u in units:
        if key not in u.cells:
            continue
        for h in u.hypotheses:
            v = h.values.get(key)
            if v not in found or (found[v].cost or 0) > h.cost:
                found[v] = Candidate(v, h.cost, h.why)
        found.setdefault("override", Candidate(None, u.override_cost, "any other value (the reading given up)"))
    for m in ALSO_FITS.finditer(reason or ""):
        for text in m.group(1).split(","):
            if text.strip().lstrip("-").isdigit():
                v = int(text)
                found.setdefault(v, Candidate(v, None, "also fits the arithmetic at (nearly) the same cost"))
    if value not in found:
        found[value] = Candidate(value, None, "required by the rules")
    out = list(found.values())
    for c in out:
        c.chosen = c.value == value and c.why != "any other value (the reading given up)"
    out.sort(key=lambda c: (not c.chosen, c.cost if c.cost is not None else 99.0))
    return out
