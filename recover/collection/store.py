"""A batch's collection in its results store: each document's agency key (``documents.agency_key``) and the
checks between consecutive years of one agency (table ``cross_year``), computed again after every batch run from
the documents current then."""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from pathlib import Path

from recover.collection.agency import agency_keys, normalise
from recover.collection.links import Cells, cross_checks
from recover.errors import UnreadableInputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS cross_year (
    agency_key TEXT NOT NULL,
    rule TEXT NOT NULL,
    earlier_id INTEGER NOT NULL,
    later_id INTEGER NOT NULL,
    earlier_year INTEGER NOT NULL,
    later_year INTEGER NOT NULL,
    holds INTEGER,
    sure INTEGER NOT NULL,
    detail TEXT NOT NULL
);
"""


def read_overrides(path: Path) -> dict[str, str]:
    """A mapping file (CSV with columns ``path`` and ``agency``): file path or file name -> the agency key to use."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableInputError(path, f"not a readable CSV mapping file ({exc})") from None
    if rows and not {"path", "agency"} <= set(rows[0]):
        raise UnreadableInputError(path, "a mapping file needs the columns path and agency")
    return {r["path"].strip(): r["agency"].strip() for r in rows if r.get("path") and r.get("agency")}


def ensure(db: sqlite3.Connection) -> None:
    db.executescript(SCHEMA)
    if "agency_key" not in {r[1] for r in db.execute("PRAGMA table_info(documents)")}:
        db.execute("ALTER TABLE documents ADD COLUMN agency_key TEXT")


def relink(db: sqlite3.Connection, overrides: dict[str, str] | None = None) -> None:
    """Agency keys of the current documents (a mapping file's first), then every cross-year check; one
    transaction."""
    overrides = overrides or {}
    docs = db.execute("SELECT id, agency, year FROM current_documents WHERE status NOT IN ('error', 'failed')"
                      ).fetchall()
    named: dict[int, str] = {}
    for doc_id, path in db.execute("SELECT document_id, path FROM files WHERE document_id IS NOT NULL"):
        given = overrides.get(path) or overrides.get(Path(path).name)
        if given:
            named[doc_id] = given
    keys = agency_keys([agency for _, agency, _ in docs])
    with db:
        by_agency: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, agency, year in docs:
            key = named.get(doc_id) or keys.get(normalise(agency) or "")
            db.execute("UPDATE documents SET agency_key = ? WHERE id = ?", (key, doc_id))
            if key and year:
                by_agency[key].append((year, doc_id))
        db.execute("DELETE FROM cross_year")
        read: dict[int, Cells] = {}  # (a document is the earlier or the later of several pairs: read once)

        def cells(doc_id: int) -> Cells:
            if doc_id not in read:
                read[doc_id] = _cells(db, doc_id)
            return read[doc_id]

        for key, found in by_agency.items():
            for year, earlier in found:
                for later_year, later in found:
                    if later_year != year + 1:
                        continue
                    for c in cross_checks(cells(earlier), cells(later), (year, later_year)):
                        db.execute("INSERT INTO cross_year VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   (key, c.rule, earlier, later, year, later_year,
                                    None if c.holds is None else int(c.holds), int(c.sure), c.detail))


def to_settle(db: sqlite3.Connection) -> dict[str, tuple]:
    """sha256 -> the ties to repair a current document with again (``settle.ties_for``), for the documents whose
    ties differ from those they were last repaired with."""
    import json

    from recover.collection.settle import Member, ties_for, ties_json

    rows = db.execute("SELECT id, sha256, agency_key, year, links FROM current_documents WHERE agency_key IS NOT NULL "
                      "AND year IS NOT NULL AND links IS NOT NULL").fetchall()
    groups: dict[str, list[Member]] = defaultdict(list)
    info: dict[int, tuple[str, str]] = {}
    for doc_id, sha, key, year, links in rows:
        got = json.loads(links)
        groups[key].append(Member(doc_id, year, {k: tuple(v) for k, v in got["sides"].items()}, bool(got["open"])))
        info[doc_id] = (sha, got.get("ties") or "[]")
    out: dict[str, tuple] = {}
    for members in groups.values():
        for doc_id, ties in ties_for(members).items():
            sha, used = info[doc_id]
            if ties_json(ties) != used:
                out[sha] = tuple(ties)
    return out


def _cells(db: sqlite3.Connection, doc_id: int) -> Cells:
    return {(t, r, c): (v, s) for t, r, c, v, s in
            db.execute('SELECT "table", "row", "column", value, status FROM cells WHERE document_id = ?', (doc_id,))}
