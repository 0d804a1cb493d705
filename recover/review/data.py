"""Reading a batch for review: the queue of documents, one document's tables, and the arithmetic of its rules
recomputed from the current values (the machine's, with the reviewer's decisions applied)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from recover.catalogue import Catalogue, load_catalogue
from recover.report.html import TABLE_ORDER
from recover.report.labels import report_labels
from recover.review import decisions
from recover.review.decisions import Decision

URGENT = ("ambiguous", "source_inconsistent")  # the source or the arithmetic leaves the value open
REPAIRED = ("corrected", "inferred")  # the machine changed or deduced the value
Key = tuple[str, str, str]


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load_catalogue()


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return report_labels(catalogue())


def key_text(key: Key) -> str:
    return ".".join(key)


def parse_key(text: str) -> Key | None:
    parts = text.split(".")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 and all(parts) else None


@dataclass
class QueueItem:
    id: int
    path: str
    kind: str | None
    agency: str | None
    year: int | None
    status: str
    counts: dict[str, int]  # open (undecided) flagged cells by status
    decided: int  # flagged cells decided
    flagged: int = 0  # flagged cells in all

    @property
    def review_state(self) -> str:
        return decisions.review_state(self.flagged, self.decided)

    @property
    def urgent(self) -> int:
        return sum(self.counts.get(s, 0) for s in URGENT)

    @property
    def repaired(self) -> int:
        return sum(self.counts.get(s, 0) for s in REPAIRED)


def queue(db: sqlite3.Connection) -> list[QueueItem]:
    """Documents with flagged cells not yet decided, most urgent first: ambiguous + source_inconsistent cells,
    then corrected + inferred, then missing; documents with nothing left to review at the end."""
    docs = db.execute("SELECT id, path, kind, agency, year, status, sha256 FROM current_documents "
                      "WHERE status != 'error' ORDER BY id").fetchall()
    items = []
    for doc_id, path, kind, agency, year, status, sha in docs:
        done = decisions.for_document(db, sha)
        counts: dict[str, int] = {}
        flagged = decided = 0
        for table, row, column, st in db.execute('SELECT "table", "row", "column", status FROM cells '
                                                 "WHERE document_id = ? AND status != 'ok'", (doc_id,)):
            flagged += 1
            if (table, row, column) in done:
                decided += 1
            else:
                counts[st] = counts.get(st, 0) + 1
        items.append(QueueItem(doc_id, path, kind, agency, year, status, counts, decided, flagged))
    items.sort(key=lambda q: (-q.urgent, -q.repaired, -q.counts.get("missing", 0), q.id))
    return items


def progress(items: list[QueueItem]) -> dict[str, int]:
    """The batch's review so far: documents with flagged cells and those reviewed, flagged cells and those decided
    (the same count as the summary page's "flagged cells")."""
    needing = [q for q in items if q.flagged]
    return {"docs": len(needing), "docs_done": sum(q.review_state == "reviewed" for q in needing),
            "cells": sum(q.flagged for q in items), "cells_done": sum(q.decided for q in items)}


def group_of(cell: CellView) -> str | None:
    """The printed group heading of a cell's row when its own label needs it ("1.属于国家秘密" is under
    "（三）不予公开"; "复议后起诉" under "行政诉讼")."""
    group = _groups().get((cell.table, cell.row))
    label = labels().get(cell.table, {}).get("rows", {}).get(cell.row, "")
    return group if group and (label[:1].isdigit() or cell.table == "review_litigation") else None


@lru_cache(maxsize=1)
def _groups() -> dict[tuple[str, str], str]:
    return {(t.key, r.key): r.group for t in catalogue().tables.values() for r in t.rows if r.group}


def row_label(row: str) -> str:
    """A row key as the template prints it (the first table that has it)."""
    return next((str(t["rows"][row]) for t in labels().values() if row in t.get("rows", {})), row)


def term_name(key: Key, balance: Balance) -> str:
    """A cell's name within one rule: its column's label when the rule runs along a row, else its row's."""
    keys = balance.lhs + balance.rhs
    names = labels().get(key[0], {})
    if len({k[1] for k, _ in keys}) == 1:
        return str(names.get("columns", {}).get(key[2], key[2]))
    row = str(names.get("rows", {}).get(key[1], key[1]))
    return row if len(row) <= 14 else row[:13] + "…"


@dataclass
class CellView:
    table: str
    row: str
    column: str
    value: Any
    observed: str | None
    status: str
    confidence: float | None
    page: int | None
    bbox: list[float] | None
    reason: str | None
    decision: Decision | None = None
    version: int = 0  # decisions made on the cell so far (posted back: a stale page's decision is refused)
    rules: list[str] = field(default_factory=list)
    evidence: dict[str, Any] | None = None  # a flagged cell's evidence as the batch stored it (report/evidence.py)

    @property
    def key(self) -> Key:
        return (self.table, self.row, self.column)

    @property
    def key_text(self) -> str:
        return key_text(self.key)

    @property
    def current(self) -> Any:
        """The value in force: the reviewer's when they gave one, else the machine's."""
        return self.decision.value if self.decision and self.decision.human_value else self.value

    @property
    def flagged(self) -> bool:
        return self.status != "ok"


@dataclass
class Balance:
    rule: str
    table: str
    lhs: list[tuple[Key, Any]]
    rhs: list[tuple[Key, Any]]
    holds: bool | None  # None: a cell has no number, the rule cannot be checked

    def sums(self) -> tuple[Any, Any]:
        if self.holds is None:
            return None, None
        return sum(v for _, v in self.lhs), sum(v for _, v in self.rhs)


@dataclass
class DocumentView:
    id: int
    sha256: str
    path: str
    kind: str | None
    agency: str | None
    year: int | None
    status: str
    formats: dict[str, str | None]
    report_html: str | None
    cells: dict[Key, CellView]
    equations: list[Any]

    def table_cells(self, table: str) -> list[CellView]:
        return [c for c in self.cells.values() if c.table == table]

    def tables(self) -> list[str]:
        seen = list(dict.fromkeys(c.table for c in self.cells.values()))
        return [t for t in TABLE_ORDER if t in seen] + [t for t in seen if t not in TABLE_ORDER]

    def grid(self, table: str) -> tuple[list[str], list[str], dict[tuple[str, str], CellView]]:
        cells = self.table_cells(table)
        rows = list(dict.fromkeys(c.row for c in cells))
        cols = list(dict.fromkeys(c.column for c in cells))
        return rows, cols, {(c.row, c.column): c for c in cells}

    def group_headings(self) -> dict[tuple[str, str], str]:
        """(table, row) -> the group heading to print above that row: each group once, above its first row."""
        out: dict[tuple[str, str], str] = {}
        for table in self.tables():
            shown: set[str] = set()
            for row in self.grid(table)[0]:
                group = _groups().get((table, row))
                if group and group not in shown:
                    out[table, row] = group
                    shown.add(group)
        return out

    def bulks(self) -> dict[str, list[CellView]]:
        """Tables whose open (undecided) flagged cells, two or more, all hold the same status: those cells, which
        the reviewer may accept at once."""
        out = {}
        for table in self.tables():
            open_cells = [c for c in self.table_cells(table) if c.flagged and c.decision is None]
            if len(open_cells) >= 2 and len({c.status for c in open_cells}) == 1:
                out[table] = open_cells
        return out

    def flagged(self) -> list[CellView]:
        """Flagged cells in reading order, tables in template order."""
        return [c for t in self.tables() for c in self.table_cells(t) if c.flagged]

    def balances(self, table: str | None = None) -> list[Balance]:
        """Every rule (of ``table``, or all) recomputed from the current values."""
        out = []
        for e in self.equations:
            t = e.lhs[0][0] if e.lhs else e.rhs[0][0]
            if table is not None and t != table:
                continue
            lhs = [(k, self._number(k)) for k in e.lhs]
            rhs = [(k, self._number(k)) for k in e.rhs]
            left = [v for _, v in lhs if v is not None]
            right = [v for _, v in rhs if v is not None]
            holds = sum(left) == sum(right) if len(left) + len(right) == len(lhs) + len(rhs) else None
            out.append(Balance(e.id, t, lhs, rhs, holds))
        return out

    def _number(self, key: Key) -> int | float | None:
        cell = self.cells.get(key)
        v = cell.current if cell else None
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def document(db: sqlite3.Connection, doc_id: int) -> DocumentView | None:
    row = db.execute("SELECT id, sha256, path, kind, agency, year, status, formats, report_html FROM documents "
                     "WHERE id = ? AND status != 'error'", (doc_id,)).fetchone()
    if row is None:
        return None
    formats = json.loads(row[7]) if row[7] else {}
    done, made = decisions.for_document(db, row[1]), decisions.versions(db, row[1])
    cells: dict[Key, CellView] = {}
    stored = "evidence" if "evidence" in {r[1] for r in db.execute("PRAGMA table_info(cells)")} else "NULL"
    for r in db.execute('SELECT "table", "row", "column", value, observed, status, confidence, page, bbox, reason, '
                        f"{stored} FROM cells WHERE document_id = ? ORDER BY rowid", (doc_id,)):
        c = CellView(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]) if r[8] else None, r[9],
                     evidence=json.loads(r[10]) if r[10] else None)
        c.decision, c.version = done.get(c.key), made.get(c.key, 0)
        cells[c.key] = c
    eqs = equations_for(formats)
    for e in eqs:
        for k in e.lhs + e.rhs:
            if k in cells:
                cells[k].rules.append(e.id)
    return DocumentView(row[0], row[1], row[2], row[3], row[4], row[5], row[6], formats, row[8], cells, eqs)


def equations_for(formats: dict[str, str | None]) -> list[Any]:
    """The catalogue's rules for the tables found, in their formats (as ``recover.pipeline.equations`` builds)."""
    from recover.pipeline import equations

    builds = {t: SimpleNamespace(found=True, format=f) for t, f in formats.items()}
    return equations(catalogue(), builds)  # type: ignore[arg-type]
