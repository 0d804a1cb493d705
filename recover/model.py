"""The typed records that flow through the pipeline.

A ``Token`` is a piece of text read from the source with its position and the reliability of the
channel that produced it. Reconstruction turns tokens into ``Unit``s (the evidence about one or more
cells, with alternative ``Hypothesis`` readings and their costs) and ``Cell``s. Repair fills each
Cell's value, status, confidence and reason; the report serialises Cells. Evidence is never collapsed
to a bare string: a Cell keeps the tokens it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Value = int | float | str | None
CellKey = tuple[str, str, str]  # (table, row, column)


class Status(StrEnum):
    ok = "ok"
    corrected = "corrected"
    inferred = "inferred"
    source_inconsistent = "source_inconsistent"
    ambiguous = "ambiguous"
    missing = "missing"


class Channel(StrEnum):
    """Where a token's text came from; decides how far a reading can be trusted."""

    text = "text"  # a text dump with the original digits (web page, DOCX/PDF text layer)
    ocr = "ocr"  # text produced by OCR (markdown from an OCR engine, tesseract)


class Origin(StrEnum):
    """The coordinate system of a box."""

    pdf = "pdf"  # PDF points (1/72 inch), origin at the page's bottom-left corner, y upwards
    pixels = "pixels"  # pixels of the page image as read, origin at its top-left corner, y downwards


@dataclass(frozen=True)
class CellRead:
    """One cell of a table grid as its reader saw it (a scan's OpenCV grid, a PDF's ruling lines through Camelot, a
    DOCX or HTML table): its position in the grid and its spans, its box and that box's coordinate system (none for
    DOCX and HTML), its text, how sure the reader was (0–1; None for the exact characters of a text layer or file),
    the other readings it offered, and whether the cell was seen to hold no ink at all (a printed blank, not a
    reading lost). A document keeps each grid row as its cells; every token read from a cell carries its record."""

    row: int
    col: int
    box: tuple[float, float, float, float] | None = None
    origin: Origin | None = None
    text: str = ""
    confidence: float | None = None
    alternatives: tuple[str, ...] = ()
    empty: bool = False
    row_span: int = 1
    col_span: int = 1


def row_line(cells: tuple[CellRead, ...]) -> str:
    """The text line a grid row stands as among a document's lines: its cells' text between tabs. The section
    finder and the narrative read it; the row itself is read from its cells (``Document.grid_rows``)."""
    return "\t".join(c.text for c in cells)


# The records made by the thousand per report (tokens, readings, hypotheses, units, cells) are dataclasses with
# an ``__init__`` of their own (``init=False``): compiled (mypyc), it takes 35-50 ns, where the one ``dataclass``
# generates is interpreted Python (250-400 ns; 23 000 records for the corpus's ten text reports took 7-9 % of
# their time). The decorator still gives them their fields, ``replace``, ``==``, ``repr`` and hashing; each
# ``__init__`` takes the fields in their order, with their defaults.


@dataclass(slots=True, unsafe_hash=True, init=False)
class Token:
    """A piece of source text: a label fragment, a value, or a blank cell. Treated as immutable (``replace`` makes
    changed copies) and hashable, but not frozen: a frozen dataclass cannot have a compiled ``__init__`` (above),
    and a text report creates several hundred tokens. A token read from a table grid keeps that grid cell's record
    (``cell``): its position and box, how sure its reader was, the other readings it offered, whether it held no
    ink; the repair weighs them and the report places the cell with them."""

    text: str
    line: int  # line number in the source (0-based)
    col: int | None = None  # cell index within its line (a grid row's column, or a field between tabs or pipes)
    start: int | None = None  # offset of the text in its source line, when known
    channel: Channel = Channel.text
    cell: CellRead | None = None  # the grid cell the token was read from (scans, a PDF's ruled tables, OCR'd pages)

    def __init__(self, text: str, line: int, col: int | None = None, start: int | None = None,
                 channel: Channel = Channel.text, cell: CellRead | None = None) -> None:
        self.text = text
        self.line = line
        self.col = col
        self.start = start
        self.channel = channel
        self.cell = cell

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Other readings of the token's grid cell (a second OCR reading that disagreed)."""
        return self.cell.alternatives if self.cell is not None else ()

    @property
    def conf(self) -> float | None:
        """The reader's confidence (0–1) in the token's grid cell, when known."""
        return self.cell.confidence if self.cell is not None else None

    @property
    def seen_empty(self) -> bool:
        """A blank grid cell whose image holds no ink: a printed blank, not a reading lost."""
        return self.is_blank and self.cell is not None and self.cell.empty


@dataclass(slots=True, unsafe_hash=True, init=False)
class Reading:
    """One interpretation of a value token: the value, its cost and why. Treated as immutable and hashable (not
    frozen, as Token)."""

    value: Value
    cost: float
    why: str  # "as printed", "glued digits split", "OCR confusion b→6", …
    notation: bool = False  # the source's own way of writing the value ("-" or 无 for none): no correction

    def __init__(self, value: Value, cost: float, why: str, notation: bool = False) -> None:
        self.value = value
        self.cost = cost
        self.why = why
        self.notation = notation


@dataclass(slots=True, init=False)
class Hypothesis:
    """A joint reading of the cells of a unit: cell key -> (value or None = not read, observed text)."""

    values: dict[CellKey, Value]
    observed: dict[CellKey, str | None]
    cost: float
    why: str
    soft: frozenset[CellKey] = frozenset()  # cells holding a blank's default 0 (cheap to override)
    notation: bool = False  # a single cell's reading as printed in the source's notation (a dash for 0), whose
    # cost only weighs it against other readings: taken, the cell is ok, not corrected

    def __init__(self, values: dict[CellKey, Value], observed: dict[CellKey, str | None], cost: float, why: str,
                 soft: frozenset[CellKey] = frozenset(), notation: bool = False) -> None:
        self.values = values
        self.observed = observed
        self.cost = cost
        self.why = why
        self.soft = soft
        self.notation = notation


@dataclass(slots=True, init=False)
class Unit:
    """The evidence about a set of cells (a row, a glued digit run, or one cell) and its hypotheses."""

    cells: tuple[CellKey, ...]
    tokens: tuple[Token, ...]
    hypotheses: list[Hypothesis]
    reliable: bool  # a clean reading from a channel that does not misread digits
    override_cost: float  # cost of giving up the reading of one cell ("any value")

    def __init__(self, cells: tuple[CellKey, ...], tokens: tuple[Token, ...], hypotheses: list[Hypothesis],
                 reliable: bool, override_cost: float) -> None:
        self.cells = cells
        self.tokens = tokens
        self.hypotheses = hypotheses
        self.reliable = reliable
        self.override_cost = override_cost


@dataclass(init=False)
class Cell:
    """A canonical table cell: what was read, what was chosen, and why."""

    table: str
    row: str
    column: str
    value: Value = None
    observed: str | None = None
    status: Status = Status.missing
    confidence: float = 0.0
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    reason: str | None = None
    rules: list[str] = field(default_factory=list)
    tokens: tuple[Token, ...] = ()
    origin: Origin | None = None  # the coordinate system of ``bbox``
    also_fits: tuple[Value, ...] = ()  # other values the arithmetic allows at (nearly) the same cost

    def __init__(self, table: str, row: str, column: str, value: Value = None, observed: str | None = None,
                 status: Status = Status.missing, confidence: float = 0.0, page: int | None = None,
                 bbox: tuple[float, float, float, float] | None = None, reason: str | None = None,
                 rules: list[str] | None = None, tokens: tuple[Token, ...] = (), origin: Origin | None = None,
                 also_fits: tuple[Value, ...] = ()) -> None:
        self.table = table
        self.row = row
        self.column = column
        self.value = value
        self.observed = observed
        self.status = status
        self.confidence = confidence
        self.page = page
        self.bbox = bbox
        self.reason = reason
        self.rules = [] if rules is None else rules
        self.tokens = tokens
        self.origin = origin
        self.also_fits = also_fits

    @property
    def key(self) -> CellKey:
        return (self.table, self.row, self.column)

    def to_dict(self) -> dict[str, Any]:
        """The cell in the output contract (docs/output.md)."""
        return {"table": self.table, "row": self.row, "column": self.column, "value": self.value,
                "observed": self.observed, "status": str(self.status), "confidence": self.confidence, "page": self.page,
                "bbox": list(self.bbox) if self.bbox else None,
                "bbox_origin": str(self.origin) if self.bbox and self.origin else None, "reason": self.reason,
                "rules": self.rules}


NEEDS_REVIEW = frozenset({Status.ambiguous, Status.missing, Status.source_inconsistent})  # a document holding one
# of these needs a person's eyes


@dataclass
class TableResult:
    table: str
    format: str | None
    found: bool
    pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(init=False)
class Check:
    rule: str
    holds: bool
    detail: str

    def __init__(self, rule: str, holds: bool, detail: str) -> None:
        self.rule = rule
        self.holds = holds
        self.detail = detail


@dataclass
class Extraction:
    """Everything recovered from one document (``recover.extract``): its tables, every canonical cell with its value,
    status, confidence, reason and the tokens it was read from, the arithmetic checks, and where each page was read.
    ``to_dict``/``to_json`` give the versioned output contract (docs/output.md), ``cells_frame`` a table of cells."""

    path: str
    sha256: str
    kind: str
    agency: str | None
    year: int | None
    tables: list[TableResult]
    cells: list[Cell]
    checks: list[Check]
    units: list[Unit] = field(default_factory=list)
    narrative: list[tuple[str, int, str]] = field(default_factory=list)  # (rule id, value, sentence)
    ocr_pages: list[tuple[int, str]] = field(default_factory=list)  # (page, why) PDF pages read by OCR
    lattice_pages: list[int] = field(default_factory=list)  # PDF pages whose ruled tables Camelot read
    skipped_pages: list[tuple[int, str]] = field(default_factory=list)  # (page, why) scanned pages not read
    # the document's lines as read and the page of each (for the evidence of its cells: report/evidence.py); none
    # for scans and PDFs with pages read by OCR, whose evidence is the page image
    lines: tuple[str, ...] = ()
    line_pages: tuple[int, ...] | None = None

    @property
    def status(self) -> str:
        """ok: every cell ok; repaired: some cells corrected or inferred, every rule holds, nothing ambiguous;
        needs_review: a cell ambiguous, missing or source_inconsistent, or a check fails; failed: no table read."""
        if not any(t.found for t in self.tables):
            return "failed"
        statuses = {c.status for c in self.cells}
        if statuses & NEEDS_REVIEW or not all(ch.holds for ch in self.checks):
            return "needs_review"
        return "repaired" if statuses - {Status.ok} else "ok"

    def to_dict(self) -> dict[str, Any]:
        """The versioned output contract as plain data (docs/output.md; models/output.schema.json validates it)."""
        from recover import SCHEMA_VERSION

        return {
            "schema_version": SCHEMA_VERSION,
            "source": {"path": self.path, "sha256": self.sha256, "kind": self.kind,
                       "ocr_pages": [{"page": p, "why": why} for p, why in self.ocr_pages],
                       "lattice_pages": self.lattice_pages,
                       "skipped_pages": [{"page": p, "why": why} for p, why in self.skipped_pages]},
            "report": {"agency": self.agency, "year": self.year},
            "status": self.status,
            "tables": [{"table": t.table, "format": t.format, "found": t.found, "pages": t.pages} for t in self.tables],
            "cells": [c.to_dict() for c in self.cells],
            "checks": [{"rule": ch.rule, "holds": ch.holds, "detail": ch.detail} for ch in self.checks],
        }

    def to_json(self, indent: int | None = 1) -> str:
        """``to_dict`` as JSON text (UTF-8 characters kept)."""
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def cells_frame(self) -> Any:
        """A tidy pandas DataFrame, one row per canonical cell: table, row, column, value, observed, status,
        confidence, page, the box (x0, y0, x1, y1) and its origin, reason, and the rules involving the cell."""
        import pandas as pd

        rows = []
        for c in self.to_dict()["cells"]:
            box = c.pop("bbox") or [None] * 4
            rows.append({**c, "x0": box[0], "y0": box[1], "x1": box[2], "y1": box[3]})
        columns = ["table", "row", "column", "value", "observed", "status", "confidence", "page", "x0", "y0", "x1",
                   "y1", "bbox_origin", "reason", "rules"]
        return pd.DataFrame(rows, columns=columns)
