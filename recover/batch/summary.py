"""The batch summary page, ``OUTDIR/summary.html``, built to read the same for five reports or five thousand: what
the collection holds at a glance (documents by status, kind and year; agencies; cells flagged; cross-year checks),
the cells and rules most often flagged, charts (``charts``), the agencies reported over several years with the
checks between their years, then the documents grouped by status, a hundred to a section, and the files skipped.
A static page without script: it opens from disk and through ``recover review``.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from pathlib import Path

from recover.batch.charts import charts
from recover.batch.store import SUMMARY_NAME, Store
from recover.report.html import CSS, DOC_COLOURS

REVIEW_ORDER = {"error": 0, "failed": 1, "needs_review": 2, "repaired": 3, "ok": 4}
PAGE = 100  # documents listed per section of the document list
TOP = 10  # cells and rules listed as most often flagged
SUMMARY_CSS = "details{margin:4px 0}summary{cursor:pointer;font-weight:600}.glance{display:flex;gap:18px;" \
              "flex-wrap:wrap;align-items:flex-start}"


def write_summary(store: Store, outdir: Path) -> Path:
    path = outdir / SUMMARY_NAME
    path.write_text(render_summary_page(store), encoding="utf-8")
    return path


def _table(head: tuple[str, ...], rows: list[tuple]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{th}</tr>{body}</table>"


def render_summary_page(store: Store) -> str:
    db = store.db
    docs = db.execute("SELECT id, path, kind, agency, year, status, error, report_html, seconds, report_json "
                      "FROM current_documents").fetchall()
    repaired = dict(db.execute("SELECT document_id, AVG(status IN ('corrected', 'inferred')) "
                               "FROM current_cells GROUP BY document_id").fetchall())
    review = dict(db.execute("SELECT document_id, SUM(status NOT IN ('ok', 'corrected', 'inferred')) "
                             "FROM current_cells GROUP BY document_id").fetchall())
    flagged = dict(db.execute("SELECT document_id, SUM(status != 'ok') FROM current_cells GROUP BY document_id"
                              ).fetchall())  # (what recover review lists and counts for the document)
    docs.sort(key=lambda d: (REVIEW_ORDER.get(d[5], 9), -(review.get(d[0]) or 0), d[1]))
    skipped = db.execute("SELECT path, note FROM files WHERE kind IS NULL ORDER BY path").fetchall()
    parts = [f"<h1>recover batch summary</h1><p class=note>{len(docs)} documents, {len(skipped)} files skipped. "
             "Store: <code>results.sqlite</code>; export with <code>recover export OUTDIR --format csv</code>; "
             "review with <code>recover review OUTDIR</code>. Flagged cells: every cell not ok, as recover review "
             "lists them; needing review: the ambiguous, missing and source_inconsistent ones (corrected and "
             "inferred cells satisfy the rules).</p>",
             _glance(db, docs, sum(flagged.values()), sum(review.values())),
             _most_flagged(db, docs, Path(store.path).parent)]
    pictures = charts(db)
    if pictures:
        parts.append("<h2>Charts</h2>" + "".join(f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,'
                                                 f'{png}"><figcaption>{escape(alt)}</figcaption></figure>'
                                                 for alt, png in pictures))
    parts += _collection(db)
    parts.append("<h2>Documents, those needing review first</h2>")
    head = ("status", "document", "agency", "year", "kind", "flagged cells", "of them needing review",
            "cells repaired", "seconds", "error")
    for status in sorted({d[5] for d in docs}, key=lambda st: REVIEW_ORDER.get(st, 9)):
        mine = [d for d in docs if d[5] == status]
        sections = []
        for at in range(0, len(mine), PAGE):
            rows = [(_badge(d[5]), _link(d[1], d[7]), escape(d[3] or ""), d[4] or "", escape(d[2] or ""),
                     flagged.get(d[0]) or 0, review.get(d[0]) or 0, f"{100 * (repaired.get(d[0]) or 0):.0f} %",
                     f"{d[8]:.1f}" if d[8] is not None else "", escape(d[6] or "")) for d in mine[at:at + PAGE]]
            if len(mine) <= PAGE:
                sections.append(_table(head, rows))
            else:
                sections.append(f"<details{' open' if not at else ''}><summary>{at + 1}–{at + len(rows)}</summary>"
                                f"{_table(head, rows)}</details>")
        opened = " open" if REVIEW_ORDER.get(status, 9) <= 2 or len(docs) <= PAGE else ""
        parts.append(f"<details{opened}><summary>{escape(status)}: {len(mine)} documents</summary>"
                     f"{''.join(sections)}</details>")
    if skipped:
        parts.append(f"<h2>Files skipped (not report inputs)</h2><details{' open' if len(skipped) <= 20 else ''}>"
                     f"<summary>{len(skipped)} files</summary>" +
                     _table(("file", "why"), [(escape(p), escape(n)) for p, n in skipped]) + "</details>")
    return (f"<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>recover batch summary</title>"
            f"<style>{CSS}{SUMMARY_CSS}</style></head><body>{''.join(parts)}</body></html>")


def _glance(db, docs: list[tuple], flagged: int, needing: int) -> str:
    """Counts by status, kind and year, the agencies, the cells flagged and the cross-year checks, side by side."""
    by_status = Counter(d[5] for d in docs)
    by_kind = Counter(d[2] or "?" for d in docs)
    by_year = Counter(d[4] for d in docs if d[4])
    agencies = db.execute("SELECT count(DISTINCT agency_key), count(DISTINCT CASE WHEN n > 1 THEN agency_key END) "
                          "FROM (SELECT agency_key, count(DISTINCT year) AS n FROM current_documents WHERE agency_key "
                          "IS NOT NULL GROUP BY agency_key)").fetchone()
    cross = dict(db.execute("SELECT coalesce(holds, -1), count(*) FROM cross_year GROUP BY 1").fetchall())
    tables = [
        _table(("status", "documents"), [(_badge(st), n) for st, n in sorted(by_status.items(), key=lambda x:
                                                                            REVIEW_ORDER.get(x[0], 9))]),
        _table(("kind", "documents"), [(escape(k), n) for k, n in sorted(by_kind.items())]),
        _table(("year", "documents"), [(y, n) for y, n in sorted(by_year.items())]),
        _table(("collection", ""), [("agencies", agencies[0]), ("reported over 2+ years", agencies[1]),
                                    ("cells flagged", flagged), ("of them needing review", needing),
                                    ("cross-year checks holding", cross.get(1, 0)),
                                    ("failing", cross.get(0, 0)), ("not checkable", cross.get(-1, 0))]),
    ]
    return "<h2>At a glance</h2><div class=glance>" + "".join(tables) + "</div>"


def _most_flagged(db, docs: list[tuple], outdir: Path) -> str:
    """The cells most often flagged (and how) and the rules most often failing, over the batch."""
    cells = db.execute('SELECT "table" || \'.\' || "row" || \'.\' || "column", count(*), group_concat(DISTINCT '
                       "status) FROM current_cells WHERE status != 'ok' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                       (TOP,)).fetchall()
    rules: Counter = Counter()
    for d in docs:
        if d[5] != "needs_review" or not d[9]:
            continue
        try:
            checks = json.loads((outdir / d[9]).read_text(encoding="utf-8")).get("checks", [])
        except (OSError, ValueError):
            continue  # (a report file removed or damaged: its rules are not counted)
        rules.update(c["rule"] for c in checks if not c.get("holds"))
    if not cells and not rules:
        return ""
    failing = (_table(("rule failing", "documents"), [(escape(r), n) for r, n in rules.most_common(TOP)]) if rules
               else "<p class=note>No rule fails in any document (the repair settled them, or flagged the cells "
                    "it could not).</p>")
    return ("<h2>Most often flagged</h2><div class=glance>" +
            _table(("cell", "documents", "as"), [(escape(k), n, escape(st or "")) for k, n, st in cells]) + failing +
            "</div>")


def _collection(db) -> list[str]:
    """Agencies with reports of two or more years, and the checks between consecutive years (failures listed)."""
    agencies = db.execute("SELECT agency_key, group_concat(DISTINCT year), count(*) FROM current_documents "
                          "WHERE agency_key IS NOT NULL AND year IS NOT NULL GROUP BY agency_key "
                          "HAVING count(DISTINCT year) > 1 ORDER BY agency_key").fetchall()
    if not agencies:
        return []
    tally = {(k, h): n for k, h, n in db.execute("SELECT agency_key, holds, count(*) FROM cross_year GROUP BY 1, 2")}
    failing = db.execute("SELECT c.agency_key, c.earlier_year, c.later_year, c.rule, c.detail, c.sure, e.path, l.path "
                         "FROM cross_year c JOIN documents e ON e.id = c.earlier_id JOIN documents l ON "
                         "l.id = c.later_id WHERE c.holds = 0 ORDER BY 1, 2, 4").fetchall()
    out = ["<h2>Agencies across years</h2><p class=note>The template ties consecutive years: 上年结转 is last "
           "year's 结转下年度 (each column), 现行有效 is last year's plus 本年制发 minus 本年废止. Agencies are "
           "grouped by their printed names (淮安市洪泽区人民政府 = 洪泽区人民政府); "
           "<code>recover batch --agencies MAP.csv</code> overrides.</p>",
           _table(("agency", "years", "reports", "checks holding", "failing", "not checkable"),
                  [(escape(k), escape(", ".join(sorted(set(y.split(","))))), n, tally.get((k, 1), 0),
                    tally.get((k, 0), 0), tally.get((k, None), 0)) for k, y, n in agencies])]
    if failing:
        out.append("<h3>Cross-year checks that fail</h3>" + _table(
            ("agency", "years", "rule", "figures", "why", "earlier report", "later report"),
            [(escape(k), f"{a}→{b}", escape(rule), escape(detail),
              "the two reports disagree as printed" if sure else "a flagged cell is involved", escape(first),
              escape(second)) for k, a, b, rule, detail, sure, first, second in failing]))
    return out


def _badge(status: str) -> str:
    colour = DOC_COLOURS.get(status, "#6b7280")
    return f'<span class=badge style="background:{colour}">{escape(status)}</span>'


def _link(path: str, html: str | None) -> str:
    return f'<a href="{escape(html)}">{escape(path)}</a>' if html else escape(path)
