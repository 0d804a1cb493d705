"""``recover export``: a batch's results as analyst tables (pandas; parquet through pyarrow, xlsx through openpyxl).

Two tables (their columns are documented in docs/batch.md):

* tidy — one row per cell, joined with its document's metadata (``TIDY_COLUMNS``), with the reviewer's decision
  (``recover review``) applied: ``value`` is the reviewer's when they gave one (``value_by`` = ``reviewer``, the
  machine's value kept in ``machine_value``), else the machine's (``value_by`` = ``machine``); ``review_state``
  says how far the document's review went;
* wide — one row per document (failed ones included), its metadata then one column per ``table.row.column``
  holding the cell's value;
* cross_year — the checks between consecutive years of each agency (``recover.collection``);
* history (``--history``) — every decision made in review, undos included, in order.

csv and parquet write the tidy table to FILE, the others to ``FILE`` with ``.wide``, ``.cross_year`` and
``.history`` before the suffix; xlsx writes one workbook with the sheets ``cells``, ``wide``, ``documents``,
``cross_year`` (and ``history``). Whole numbers are written as such (32471, not 32471.0); text that a
spreadsheet would run as a formula (an agency name starting with ``=``) is written as text.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pandas as pd

from recover.batch.store import existing_store
from recover.errors import DamagedStoreError, MissingDependencyError

WRITERS = {"parquet": "pyarrow", "xlsx": "openpyxl"}  # the optional package (extra "export") each format needs

DOCUMENT_COLUMNS = ["document_id", "path", "sha256", "kind", "agency", "agency_key", "year", "document_status",
                    "review_state", "error_code", "error"]
# review_state: not_needed (no flagged cell), open (none decided), in_progress, reviewed (every flagged cell decided)
TIDY_COLUMNS = DOCUMENT_COLUMNS[:9] + ["table", "table_format", "row", "column", "key", "value", "value_text",
                                       "observed", "status", "confidence", "page", "bbox", "reason", "value_by",
                                       "machine_value", "decision", "reviewer", "decided_at"]


def _documents(db: sqlite3.Connection) -> pd.DataFrame:
    keyed = "agency_key" in {r[1] for r in db.execute("PRAGMA table_info(documents)")}  # (a store before collections)
    docs = pd.read_sql_query(
        f"SELECT id AS document_id, path, sha256, kind, agency, {'agency_key' if keyed else 'NULL AS agency_key'}, "
        "year, status AS document_status, error_code, error, formats, seconds, cpu_seconds, peak_rss_mb, report_json, "
        "report_html, version FROM current_documents ORDER BY id", db)
    docs.insert(8, "review_state", [_review_state(db, d, sha) for d, sha in zip(docs.document_id, docs.sha256)])
    return docs


def _review_state(db: sqlite3.Connection, doc_id: int, sha256: str) -> str:
    from recover.review import decisions

    flagged = {r for r in db.execute('SELECT "table", "row", "column" FROM cells WHERE document_id = ? AND '
                                     "status != 'ok'", (doc_id,))}
    return decisions.review_state(len(flagged), len(flagged & set(decisions.for_document(db, sha256))))


def tidy_table(db: sqlite3.Connection, docs: pd.DataFrame) -> pd.DataFrame:
    """One row per cell (``docs``: the batch's documents, ``_documents``)."""
    cells = pd.read_sql_query('SELECT document_id, "table", "row", "column", value, CAST(value AS TEXT) AS '
                              "value_text, observed, status, confidence, page, bbox, reason FROM current_cells "
                              "ORDER BY document_id, rowid", db)
    formats = {(d, t): f for d, fm in zip(docs.document_id, docs.formats) if isinstance(fm, str)
               for t, f in json.loads(fm).items()}
    cells["table_format"] = [formats.get((d, t)) for d, t in zip(cells.document_id, cells.table)]
    cells["key"] = cells["table"] + "." + cells["row"] + "." + cells["column"]
    cells["value"] = pd.to_numeric(cells["value"], errors="coerce").astype("Float64")
    out = cells.merge(docs[DOCUMENT_COLUMNS[:9]], on="document_id", how="left")
    out = _apply_decisions(out, db)
    for col in ("year", "page", "document_id"):
        out[col] = out[col].astype("Int64")
    return out[TIDY_COLUMNS]


def _apply_decisions(cells: pd.DataFrame, db: sqlite3.Connection) -> pd.DataFrame:
    """The reviewer's decisions (``recover.review.decisions``, keyed by content hash and cell) on the cells."""
    from recover.review import decisions

    cols = ["sha256", "table", "row", "column", "decision", "human_value", "reviewer", "decided_at"]
    if decisions.has_table(db):
        dec = pd.read_sql_query('SELECT sha256, "table", "row", "column", action AS decision, value AS human_value, '
                                "reviewer, decided_at FROM decisions", db)
    else:
        dec = pd.DataFrame(columns=cols)
    out = cells.merge(dec, on=["sha256", "table", "row", "column"], how="left")
    human = out["human_value"].notna() & out["decision"].isin(["override", "source_error"])
    out["machine_value"] = out["value"]
    out["value_by"] = ["reviewer" if h else "machine" for h in human]
    out.loc[human, "value"] = pd.to_numeric(out.loc[human, "human_value"]).astype("Float64")
    out.loc[human, "value_text"] = [str(int(v)) for v in out.loc[human, "human_value"]]
    return out


def wide_table(tidy: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """One row per document: ``docs``' columns, then one per cell key."""
    docs = docs[DOCUMENT_COLUMNS]
    keys = list(dict.fromkeys(tidy["key"]))
    values = tidy.pivot(index="document_id", columns="key", values="value").reindex(columns=keys)
    out = docs.merge(values, left_on="document_id", right_index=True, how="left")
    out["year"] = out["year"].astype("Int64")
    out["error_code"] = out["error_code"].astype("Int64")
    return out


def history_table(db: sqlite3.Connection) -> pd.DataFrame:
    """Every decision made in review (``clear``: an undo), oldest first, with the document's path."""
    from recover.review import decisions

    if not decisions.has_history(db):
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    out = pd.read_sql_query('SELECT h.sha256, d.path, h."table", h."row", h."column", h.action, h.value, h.reviewer, '
                            "h.decided_at FROM decision_history h LEFT JOIN current_documents d ON d.sha256 = h.sha256 "
                            "ORDER BY h.id", db)
    out.insert(5, "key", out["table"] + "." + out["row"] + "." + out["column"])
    out["value"] = out["value"].astype("Int64")
    return out[HISTORY_COLUMNS]


CROSS_YEAR_COLUMNS = ["agency_key", "earlier_year", "later_year", "rule", "holds", "sure", "detail", "earlier_path",
                      "later_path", "earlier_id", "later_id"]


def cross_year_table(db: sqlite3.Connection) -> pd.DataFrame:
    """The checks between consecutive years of each agency (``recover.collection.links``)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'cross_year'").fetchone():
        return pd.DataFrame(columns=CROSS_YEAR_COLUMNS)
    out = pd.read_sql_query("SELECT c.agency_key, c.earlier_year, c.later_year, c.rule, c.holds, c.sure, c.detail, "
                            "e.path AS earlier_path, l.path AS later_path, c.earlier_id, c.later_id FROM cross_year c "
                            "JOIN documents e ON e.id = c.earlier_id JOIN documents l ON l.id = c.later_id "
                            "ORDER BY c.agency_key, c.earlier_year, c.earlier_id, c.later_id, c.rule", db)
    out["holds"] = out["holds"].map({1: True, 0: False}).astype("boolean")
    out["sure"] = out["sure"].astype(bool)
    return out[CROSS_YEAR_COLUMNS]


HISTORY_COLUMNS = ["sha256", "path", "table", "row", "column", "key", "action", "value", "reviewer", "decided_at"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell's text a formula


def spreadsheet_text(value: object) -> object:
    """Text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM(…)``, ``-1+2``) prefixed with ``'``
    (the OWASP advice for CSV); numbers, and text that is a plain number, as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as CSV and xlsx cells: whole numbers as integers (a column of counts and amounts is Float64:
    32471 would be written 32471.0), text defused (``spreadsheet_text``)."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_float_dtype(series.dtype):
            out[col] = pd.Series([None if pd.isna(v) else int(v) if float(v).is_integer() else float(v)
                                  for v in series], index=series.index, dtype=object)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.map(spreadsheet_text)
    return out


def _text_not_formulas(book: object) -> None:
    """Every cell openpyxl took for a formula (text starting with ``=``) stored as the text it is."""
    for sheet in book.worksheets:  # type: ignore[attr-defined]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def export(outdir: Path, fmt: str, output: Path | None = None, history: bool = False) -> list[Path]:
    """Write the tidy and wide tables of the batch in ``outdir`` (and the review history with ``history``);
    return the files written."""
    store = existing_store(outdir)
    needed = WRITERS.get(fmt)
    if needed is not None and importlib.util.find_spec(needed) is None:
        raise MissingDependencyError(needed, f"writing {fmt} needs the Python package {needed}: "
                                     "pip install 'recover[export]'")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        docs = _documents(db)
        tables = {"cells": tidy_table(db, docs)}
        tables["wide"] = wide_table(tables["cells"], docs)
        tables["documents"] = docs
        tables["cross_year"] = cross_year_table(db)
        if history:
            tables["history"] = history_table(db)
    except sqlite3.DatabaseError as exc:
        raise DamagedStoreError(store, f"cannot be read ({exc})") from None
    finally:
        db.close()
    output = output or outdir / f"cells.{fmt}"
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        with pd.ExcelWriter(output, engine="openpyxl") as xw:
            for name, frame in tables.items():
                _for_spreadsheet(frame).to_excel(xw, sheet_name=name, index=False)
            _text_not_formulas(xw.book)
        return [output]
    del tables["documents"]  # (csv and parquet: its columns are the wide table's first ones)
    paths = {name: output if name == "cells" else output.with_name(f"{output.stem}.{name}{output.suffix}")
             for name in tables}
    for name, frame in tables.items():
        if fmt == "csv":
            _for_spreadsheet(frame).to_csv(paths[name], index=False)
        else:
            frame.to_parquet(paths[name], index=False)
    return list(paths.values())
