"""``recover export``: a batch's results as analyst tables (pandas; parquet through pyarrow, xlsx through openpyxl).

Two tables (their columns are documented in docs/batch.md):

* tidy — one row per cell, joined with its document's metadata (``TIDY_COLUMNS``), with the reviewer's decision
  (``recover review``) applied: ``value`` is the reviewer's when they overrode it (``value_by`` = ``human``, the
  machine's value kept in ``machine_value``), else the machine's (``value_by`` = ``machine``);
* wide — one row per document (failed ones included), its metadata then one column per ``table.row.column``
  holding the cell's value.

csv and parquet write the tidy table to FILE and the wide one to ``FILE`` with ``.wide`` before the suffix;
xlsx writes one workbook with the sheets ``cells``, ``wide`` and ``documents``.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pandas as pd

from recover.batch.store import STORE_NAME
from recover.errors import InputMissingError, MissingDependencyError

WRITERS = {"parquet": "pyarrow", "xlsx": "openpyxl"}  # the optional package (extra "export") each format needs

DOCUMENT_COLUMNS = ["document_id", "path", "sha256", "kind", "agency", "year", "document_status", "error_code",
                    "error"]
TIDY_COLUMNS = DOCUMENT_COLUMNS[:7] + ["table", "table_format", "row", "column", "key", "value", "value_text",
                                       "observed", "status", "confidence", "page", "bbox", "reason", "value_by",
                                       "machine_value", "decision", "reviewer", "decided_at"]


def _documents(db: sqlite3.Connection) -> pd.DataFrame:
    return pd.read_sql_query(
        "SELECT id AS document_id, path, sha256, kind, agency, year, status AS document_status, error_code, error, "
        "formats, seconds, cpu_seconds, peak_rss_mb, report_json, report_html, version "
        "FROM current_documents ORDER BY id", db)


def tidy_table(db: sqlite3.Connection) -> pd.DataFrame:
    docs = _documents(db)
    cells = pd.read_sql_query('SELECT document_id, "table", "row", "column", value, CAST(value AS TEXT) AS '
                              "value_text, observed, status, confidence, page, bbox, reason FROM current_cells "
                              "ORDER BY document_id, rowid", db)
    formats = {(d, t): f for d, fm in zip(docs.document_id, docs.formats) if isinstance(fm, str)
               for t, f in json.loads(fm).items()}
    cells["table_format"] = [formats.get((d, t)) for d, t in zip(cells.document_id, cells.table)]
    cells["key"] = cells["table"] + "." + cells["row"] + "." + cells["column"]
    cells["value"] = pd.to_numeric(cells["value"], errors="coerce").astype("Float64")
    out = cells.merge(docs[DOCUMENT_COLUMNS[:7]], on="document_id", how="left")
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
    out["value_by"] = ["human" if h else "machine" for h in human]
    out.loc[human, "value"] = pd.to_numeric(out.loc[human, "human_value"]).astype("Float64")
    out.loc[human, "value_text"] = [str(int(v)) for v in out.loc[human, "human_value"]]
    return out


def wide_table(tidy: pd.DataFrame, db: sqlite3.Connection) -> pd.DataFrame:
    docs = _documents(db)[DOCUMENT_COLUMNS]
    keys = list(dict.fromkeys(tidy["key"]))
    values = tidy.pivot(index="document_id", columns="key", values="value").reindex(columns=keys)
    out = docs.merge(values, left_on="document_id", right_index=True, how="left")
    out["year"] = out["year"].astype("Int64")
    out["error_code"] = out["error_code"].astype("Int64")
    return out


def export(outdir: Path, fmt: str, output: Path | None = None) -> list[Path]:
    """Write the tidy and wide tables of the batch in ``outdir``; return the files written."""
    store = outdir / STORE_NAME
    if not store.is_file():
        raise InputMissingError(store, "no results store here; run recover batch PATH -o OUTDIR first")
    needed = WRITERS.get(fmt)
    if needed is not None and importlib.util.find_spec(needed) is None:
        raise MissingDependencyError(needed, f"writing {fmt} needs the Python package {needed}: "
                                     "pip install 'recover[export]'")
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        tidy = tidy_table(db)
        wide = wide_table(tidy, db)
        docs = _documents(db)
    finally:
        db.close()
    output = output or outdir / f"cells.{fmt}"
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        with pd.ExcelWriter(output, engine="openpyxl") as xw:
            tidy.to_excel(xw, sheet_name="cells", index=False)
            wide.to_excel(xw, sheet_name="wide", index=False)
            docs.to_excel(xw, sheet_name="documents", index=False)
        return [output]
    wide_path = output.with_name(f"{output.stem}.wide{output.suffix}")
    if fmt == "csv":
        tidy.to_csv(output, index=False)
        wide.to_csv(wide_path, index=False)
    else:
        tidy.to_parquet(output, index=False)
        wide.to_parquet(wide_path, index=False)
    return [output, wide_path]
