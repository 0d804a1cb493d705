"""The results store of a batch: one SQLite database, ``OUTDIR/results.sqlite``.

SQLite (standard library, no server) in WAL mode: only the parent process writes, and each document — its
``documents`` row and all its ``cells`` — is written in one transaction, so a batch killed at any moment
(SIGKILL included) leaves every document either wholly stored or absent. A document is keyed by the SHA-256
of the file's bytes and the tool/catalogue version (``UNIQUE (sha256, version)``), so a rerun skips what is
done and can never store a document twice. Tables and columns are documented in docs/batch.md.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recover.collection import store as collection

STORE_NAME = "results.sqlite"
SUMMARY_NAME = "summary.html"  # the batch's summary page, beside the store

STORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    path TEXT NOT NULL,
    kind TEXT,
    agency TEXT,
    year INTEGER,
    formats TEXT,
    status TEXT NOT NULL,
    error_code INTEGER,
    error_name TEXT,
    error TEXT,
    seconds REAL,
    cpu_seconds REAL,
    peak_rss_mb REAL,
    report_json TEXT,
    report_html TEXT,
    finished_at TEXT NOT NULL,
    links TEXT,
    UNIQUE (sha256, version)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    kind TEXT,
    note TEXT NOT NULL,
    document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS cells (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    "table" TEXT NOT NULL,
    "row" TEXT NOT NULL,
    "column" TEXT NOT NULL,
    value,
    observed TEXT,
    status TEXT NOT NULL,
    confidence REAL,
    page INTEGER,
    bbox TEXT,
    reason TEXT,
    evidence TEXT,
    PRIMARY KEY (document_id, "table", "row", "column")
);
-- what the summary page and the exports show: the document each file seen now points at (results for an older
-- version of the tool, or for a file's earlier content, stay in the tables but not in these views)
CREATE VIEW IF NOT EXISTS current_documents AS
    SELECT * FROM documents WHERE id IN (SELECT document_id FROM files WHERE document_id IS NOT NULL);
CREATE VIEW IF NOT EXISTS current_cells AS
    SELECT * FROM cells WHERE document_id IN (SELECT document_id FROM files WHERE document_id IS NOT NULL);
"""


NEEDED = {"documents", "files", "cells", "current_documents", "current_cells"}  # what review and export read


def existing_store(outdir: Path) -> Path:
    """The results store of the batch in ``outdir``, checked before anything reads or writes it: present
    (``InputMissingError``), an SQLite database whose pages are intact and that holds the batch's tables
    (``DamagedStoreError``: a truncated, overwritten or empty file)."""
    from recover.errors import DamagedStoreError, InputMissingError

    store = outdir / STORE_NAME
    if not store.is_file():
        raise InputMissingError(store, "no results store here; run recover batch PATH -o OUTDIR first")
    try:
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
        try:
            check = db.execute("PRAGMA quick_check").fetchone()
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedStoreError(store, f"not a readable SQLite database ({exc})") from None
    if check != ("ok",):
        raise DamagedStoreError(store, f"its pages are damaged (SQLite's check: {check[0] if check else 'no answer'})")
    if not NEEDED <= names:
        raise DamagedStoreError(store, "not a results store of recover batch (missing: "
                                f"{', '.join(sorted(NEEDED - names))})")
    return store


@dataclass(frozen=True)
class Outcome:
    """What one document came to: a result dict (docs/output.md) or an error."""

    sha256: str
    path: str
    kind: str | None
    result: dict[str, Any] | None = None
    error_code: int | None = None
    error_name: str | None = None
    error: str | None = None
    seconds: float | None = None
    cpu_seconds: float | None = None
    peak_rss_mb: float | None = None
    report_json: str | None = None
    report_html: str | None = None
    evidence: dict[str, Any] | None = None  # table.row.column -> the evidence of a flagged cell (report/evidence.py)
    links: dict[str, Any] | None = None  # link sides, whether a linked cell is flagged, ties used (collection)


class Store:
    """The batch's SQLite database; every write is one transaction."""

    def __init__(self, outdir: Path) -> None:
        outdir.mkdir(parents=True, exist_ok=True)
        self.path = outdir / STORE_NAME
        if self.path.is_file() and self.path.stat().st_size:
            existing_store(outdir)  # a damaged store is refused, not written into
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(STORE_SCHEMA)
        if "evidence" not in {r[1] for r in self.db.execute("PRAGMA table_info(cells)")}:  # a store of an older recover
            self.db.execute("ALTER TABLE cells ADD COLUMN evidence TEXT")
        if "links" not in {r[1] for r in self.db.execute("PRAGMA table_info(documents)")}:
            self.db.execute("ALTER TABLE documents ADD COLUMN links TEXT")
        collection.ensure(self.db)  # agency keys and cross-year checks (a store of an older recover has neither)

    def close(self) -> None:
        self.db.close()

    def done(self, version: str) -> set[str]:
        """SHA-256 of every document already stored for ``version``."""
        return {r[0] for r in self.db.execute("SELECT sha256 FROM documents WHERE version = ?", (version,))}

    def note_files(self, files: list[tuple[str, str | None, str | None, str]]) -> None:
        """Record the files seen by the walk, (path, sha256, kind, note) each: report inputs and skipped files."""
        with self.db:
            self.db.executemany("INSERT INTO files (path, sha256, kind, note) VALUES (?, ?, ?, ?) ON CONFLICT(path) "
                                "DO UPDATE SET sha256 = excluded.sha256, kind = excluded.kind, note = excluded.note",
                                files)

    def link_files(self, version: str) -> None:
        """Point every file at the stored document of its content."""
        with self.db:
            self.db.execute("UPDATE files SET document_id = (SELECT id FROM documents d WHERE d.sha256 = "
                            "files.sha256 AND d.version = ?)", (version,))

    def put(self, version: str, out: Outcome, replace: bool = False) -> None:
        """Store one document and its cells in a single transaction (all or nothing); with ``replace`` (``--force``)
        the document's previous result is dropped in that same transaction."""
        res = out.result or {}
        report = res.get("report") or {}
        formats = {t["table"]: t["format"] for t in res.get("tables", []) if t.get("found")}
        with self.db:
            if replace:
                self.db.execute("DELETE FROM documents WHERE sha256 = ? AND version = ?", (out.sha256, version))
            cur = self.db.execute(
                "INSERT INTO documents (sha256, version, path, kind, agency, year, formats, status, error_code, "
                "error_name, error, seconds, cpu_seconds, peak_rss_mb, report_json, report_html, finished_at, links) "
                f"VALUES ({', '.join('?' * 18)}) ON CONFLICT (sha256, version) DO NOTHING",
                (out.sha256, version, out.path, res.get("source", {}).get("kind", out.kind), report.get("agency"),
                 report.get("year"), json.dumps(formats) if res else None, res.get("status", "error"),
                 out.error_code, out.error_name, out.error, out.seconds, out.cpu_seconds, out.peak_rss_mb,
                 out.report_json, out.report_html, time.strftime("%Y-%m-%dT%H:%M:%S"),
                 json.dumps(out.links, ensure_ascii=False) if out.links else None))
            if cur.rowcount == 0:  # another batch on the same OUTDIR stored it meanwhile: keep that one
                return
            doc_id = cur.lastrowid
            evidence = out.evidence or {}

            def ev(c: dict[str, Any]) -> str | None:
                found = evidence.get(f'{c["table"]}.{c["row"]}.{c["column"]}')
                return json.dumps(found, ensure_ascii=False) if found is not None else None

            self.db.executemany(
                'INSERT INTO cells (document_id, "table", "row", "column", value, observed, status, confidence, '
                "page, bbox, reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, c["table"], c["row"], c["column"], c["value"], c["observed"], c["status"],
                  c["confidence"], c["page"], json.dumps(c["bbox"]) if c["bbox"] else None, c["reason"], ev(c))
                 for c in res.get("cells", [])])
            self.db.execute("UPDATE files SET document_id = ? WHERE sha256 = ?", (doc_id, out.sha256))

    def outcomes(self, version: str, shas: list[str]) -> list[tuple[str, str, str | None]]:
        """(sha256, status, error message) of the stored documents among ``shas``."""
        wanted = set(shas)
        rows = self.db.execute("SELECT sha256, status, error FROM documents WHERE version = ?", (version,))
        return [r for r in rows if r[0] in wanted]
