"""The reviewer's decisions, stored in the batch's results store (``OUTDIR/results.sqlite``, table ``decisions``).

A decision is keyed by the document's content hash (SHA-256 of the file's bytes) and the cell key, not by the
document's row id, so it survives ``recover batch`` being run again on the same file (``--force`` included,
which replaces the document's row) and a new tool version. One decision per cell: the latest replaces the
earlier one, and every decision (and every undo, action ``clear``) is appended to ``decision_history``. A cell's
version is the number of its history entries: a decision made on a page that showed an older version (another
reviewer decided the cell meanwhile) is refused (``StaleDecision``), never silently written over. Actions:

* ``accept`` — the machine's value is right;
* ``override`` — the value is ``value`` (the reviewer's);
* ``source_error`` — the source printed this cell wrong; ``value`` is the right figure when the reviewer gives
  one, else the machine's value stands.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass

ACTIONS = ("accept", "override", "source_error")
MAX_DIGITS = 15  # a reviewer's value: a whole number of at most 15 digits (as the figures recover reads)
WHOLE_NUMBER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")  # ASCII digits only: no '1_000', '１２３' or '٣'

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
CREATE TABLE IF NOT EXISTS decision_history (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    "table" TEXT NOT NULL,
    "row" TEXT NOT NULL,
    "column" TEXT NOT NULL,
    action TEXT NOT NULL,
    value INTEGER,
    reviewer TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_history_cell ON decision_history (sha256, "table", "row", "column");
"""


class StaleDecision(Exception):
    """The cell was decided (or undone) by someone else after the page was shown: ``current`` is what stands now
    (None: no decision)."""

    def __init__(self, current: Decision | None) -> None:
        self.current = current
        super().__init__("the cell changed since the page was shown")


def parse_value(raw: str) -> int:
    """A reviewer's value: an optional minus and 1 to 15 ASCII digits; ValueError saying so otherwise."""
    text = raw.strip()
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"not a whole number of at most {MAX_DIGITS} digits 0-9 (an optional minus): {raw!r}")
    return int(text)


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


def review_state(flagged: int, decided: int) -> str:
    """How far a document's review went: not_needed (no flagged cell), open (none decided), in_progress, or
    reviewed (every flagged cell decided)."""
    if not flagged:
        return "not_needed"
    return "open" if not decided else ("reviewed" if decided >= flagged else "in_progress")


def has_history(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'decision_history'").fetchone() \
        is not None


def has_table(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'decisions'").fetchone() is not None


def version(db: sqlite3.Connection, sha256: str, key: tuple[str, str, str]) -> int:
    """How many decisions (undos included) were made on the cell: the version a page shows and posts back."""
    return db.execute('SELECT count(*) FROM decision_history WHERE sha256 = ? AND "table" = ? AND "row" = ? AND '
                      '"column" = ?', (sha256, *key)).fetchone()[0]


def versions(db: sqlite3.Connection, sha256: str) -> dict[tuple[str, str, str], int]:
    """The version of every cell of a document that has one."""
    rows = db.execute('SELECT "table", "row", "column", count(*) FROM decision_history WHERE sha256 = ? '
                      'GROUP BY "table", "row", "column"', (sha256,))
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def save(db: sqlite3.Connection, sha256: str, key: tuple[str, str, str], action: str, value: int | None,
         reviewer: str, seen: int | None = None) -> Decision:
    """Store (or replace) the decision on one cell and append it to the history; one transaction. ``seen``: the
    cell's version the reviewer saw (None: not checked); another version now raises ``StaleDecision``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "override" and value is None:
        raise ValueError("an override needs a value")
    d = Decision(sha256, *key, action, value if action != "accept" else None, reviewer,
                 time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    with _immediate(db):
        _check(db, sha256, key, seen)
        _put(db, d)
    return d


def save_many(db: sqlite3.Connection, sha256: str, seen: dict[tuple[str, str, str], int], action: str,
              reviewer: str) -> list[Decision]:
    """The same decision (no value: accept, or printed wrong with the machine's value) on several cells, each
    checked against the version its page showed (``seen``): all are stored, or none (``StaleDecision``)."""
    if action not in ("accept", "source_error"):
        raise ValueError(f"{action!r} needs a value per cell")
    at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    made = [Decision(sha256, *key, action, None, reviewer, at) for key in seen]
    with _immediate(db):
        for key, version_seen in seen.items():
            _check(db, sha256, key, version_seen)
        for d in made:
            _put(db, d)
    return made


def clear(db: sqlite3.Connection, sha256: str, key: tuple[str, str, str], reviewer: str,
          seen: int | None = None) -> None:
    """Undo the decision on one cell (recorded in the history as ``clear``)."""
    with _immediate(db):
        _check(db, sha256, key, seen)
        db.execute('DELETE FROM decisions WHERE sha256 = ? AND "table" = ? AND "row" = ? AND "column" = ?',
                   (sha256, *key))
        _record(db, Decision(sha256, *key, "clear", None, reviewer, time.strftime("%Y-%m-%dT%H:%M:%S%z")))


class _immediate:
    """A write transaction taken at its start (BEGIN IMMEDIATE): the version read and the write it allows are
    one step, however many reviewers post at once."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type | None, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _check(db: sqlite3.Connection, sha256: str, key: tuple[str, str, str], seen: int | None) -> None:
    if seen is not None and version(db, sha256, key) != seen:
        raise StaleDecision(for_document(db, sha256).get(key))


def _put(db: sqlite3.Connection, d: Decision) -> None:
    """The cell's decision replaced by ``d``, and ``d`` appended to the history."""
    db.execute('INSERT INTO decisions (sha256, "table", "row", "column", action, value, reviewer, decided_at) '
               'VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, "table", "row", "column") DO UPDATE SET '
               "action = excluded.action, value = excluded.value, reviewer = excluded.reviewer, "
               "decided_at = excluded.decided_at",
               (d.sha256, d.table, d.row, d.column, d.action, d.value, d.reviewer, d.decided_at))
    _record(db, d)


def _record(db: sqlite3.Connection, d: Decision) -> None:
    db.execute('INSERT INTO decision_history (sha256, "table", "row", "column", action, value, reviewer, decided_at) '
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (d.sha256, d.table, d.row, d.column, d.action, d.value, d.reviewer, d.decided_at))


def for_document(db: sqlite3.Connection, sha256: str) -> dict[tuple[str, str, str], Decision]:
    if not has_table(db):
        return {}
    rows = db.execute('SELECT sha256, "table", "row", "column", action, value, reviewer, decided_at '
                      "FROM decisions WHERE sha256 = ?", (sha256,))
    return {(r[1], r[2], r[3]): Decision(*r) for r in rows}
