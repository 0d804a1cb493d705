"""The reviewer's decisions, stored in the batch's results store (``OUTDIR/results.sqlite``, table ``decisions``).

A decision is keyed by the document's content hash (SHA-256 of the file's bytes) and the cell key, not by the
document's row id, so it survives ``recover batch`` being run again on the same file (``--force`` included,
which replaces the document's row) and a new tool version. One decision per cell: the latest replaces the
earlier one. Actions:

* ``accept`` — the machine's value is right;
* ``override`` — the value is ``value`` (the reviewer's);
* ``source_error`` — the source printed this cell wrong; ``value`` is the right figure when the reviewer gives
  one, else the machine's value stands.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

ACTIONS = ("accept", "override", "source_error")

DECISIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    sha256 TEXT NOT NULL,
    "table" TEXT NOT NULL,
    "row" TEXT NOT NULL,
    "column" TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'override', 'source_error')),
    value INTEGER,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (sha256, "table", "row", "column")
);
"""


@dataclass(frozen=True)
class Decision:
    sha256: str
    table: str
    row: str
    column: str
    action: str
    value: int | None
    reviewer: str
    decided_at: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.column)

    @property
    def human_value(self) -> bool:
        """True when the value to use is the reviewer's rather than the machine's."""
        return self.value is not None and self.action in ("override", "source_error")


def ensure(db: sqlite3.Connection) -> None:
    db.executescript(DECISIONS_SCHEMA)


def has_table(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'decisions'").fetchone() is not None


def save(db: sqlite3.Connection, sha256: str, key: tuple[str, str, str], action: str, value: int | None,
         reviewer: str) -> Decision:
    """Store (or replace) the decision on one cell; one transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "override" and value is None:
        raise ValueError("an override needs a value")
    d = Decision(sha256, *key, action, value if action != "accept" else None, reviewer,
                 time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    with db:
        db.execute('INSERT INTO decisions (sha256, "table", "row", "column", action, value, reviewer, decided_at) '
                   'VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, "table", "row", "column") DO UPDATE SET '
                   "action = excluded.action, value = excluded.value, reviewer = excluded.reviewer, "
                   "decided_at = excluded.decided_at",
                   (d.sha256, d.table, d.row, d.column, d.action, d.value, d.reviewer, d.decided_at))
    return d


def clear(db: sqlite3.Connection, sha256: str, key: tuple[str, str, str]) -> None:
    with db:
        db.execute('DELETE FROM decisions WHERE sha256 = ? AND "table" = ? AND "row" = ? AND "column" = ?',
                   (sha256, *key))


def for_document(db: sqlite3.Connection, sha256: str) -> dict[tuple[str, str, str], Decision]:
    if not has_table(db):
        return {}
    rows = db.execute('SELECT sha256, "table", "row", "column", action, value, reviewer, decided_at '
                      "FROM decisions WHERE sha256 = ?", (sha256,))
    return {(r[1], r[2], r[3]): Decision(*r) for r in rows}
