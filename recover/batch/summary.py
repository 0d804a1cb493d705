"""The batch summary page, ``OUTDIR/summary.html``: counts by status and kind, the documents that need review
first, and charts drawn with matplotlib (embedded as PNG): applications received per agency and year, and the
share of each document's cells that were repaired (corrected or inferred).
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path

from recover.batch.store import SUMMARY_NAME, Store
from recover.report.html import CSS, DOC_COLOURS

REVIEW_ORDER = {"error": 0, "failed": 1, "needs_review": 2, "repaired": 3, "ok": 4}
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans"]


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
    by_status = db.execute("SELECT status, COUNT(*) FROM current_documents GROUP BY status").fetchall()
    by_kind = db.execute("SELECT COALESCE(kind, '?'), status, COUNT(*) FROM current_documents "
                         "GROUP BY 1, 2").fetchall()
    docs = db.execute("SELECT id, path, kind, agency, year, status, error, report_html, seconds "
                      "FROM current_documents").fetchall()
    repaired = dict(db.execute("SELECT document_id, AVG(status IN ('corrected', 'inferred')) "
                               "FROM current_cells GROUP BY document_id").fetchall())
    review = dict(db.execute("SELECT document_id, SUM(status NOT IN ('ok', 'corrected', 'inferred')) "
                             "FROM current_cells GROUP BY document_id").fetchall())
    flagged = dict(db.execute("SELECT document_id, SUM(status != 'ok') FROM current_cells GROUP BY document_id"
                              ).fetchall())  # (what recover review lists and counts for the document)
    docs.sort(key=lambda d: (REVIEW_ORDER.get(d[5], 9), -(review.get(d[0]) or 0), d[1]))
    skipped = db.execute("SELECT path, note FROM files WHERE kind IS NULL ORDER BY path").fetchall()
    kinds = sorted({k for k, _, _ in by_kind})
    statuses = sorted({s for _, s, _ in by_kind}, key=lambda s: REVIEW_ORDER.get(s, 9))
    grid = {(k, s): n for k, s, n in by_kind}
    parts = [f"<h1>recover batch summary</h1><p class=note>{len(docs)} documents, {len(skipped)} files skipped. "
             "Store: <code>results.sqlite</code>; export with <code>recover export OUTDIR --format csv</code>.</p>",
             "<h2>Documents by status</h2>",
             _table(("status", "documents"), [(_badge(s), n) for s, n in sorted(by_status, key=lambda r:
                                                                                   REVIEW_ORDER.get(r[0], 9))]),
             "<h2>Documents by kind and status</h2>",
             _table(("kind", *statuses), [(escape(k), *(grid.get((k, s), 0) for s in statuses)) for k in kinds]),
             "<h2>Documents, those needing review first</h2>",
             "<p class=note>flagged cells: every cell not ok, as recover review lists them; of them, needing review: "
             "ambiguous, missing and source_inconsistent ones (corrected and inferred cells satisfy the rules)</p>",
             _table(("status", "document", "agency", "year", "kind", "flagged cells", "of them needing review",
                     "cells repaired", "seconds", "error"),
                    [(_badge(d[5]), _link(d[1], d[7]), escape(d[3] or ""), d[4] or "", escape(d[2] or ""),
                      flagged.get(d[0]) or 0, review.get(d[0]) or 0, f"{100 * (repaired.get(d[0]) or 0):.0f} %",
                      f"{d[8]:.1f}" if d[8] is not None else "", escape(d[6] or "")) for d in docs])]
    parts += _collection(db)
    charts = _charts(store)
    if charts:
        parts.append("<h2>Charts</h2>" + "".join(f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,'
                                                 f'{png}"><figcaption>{escape(alt)}</figcaption></figure>'
                                                 for alt, png in charts))
    if skipped:
        parts.append("<h2>Files skipped (not report inputs)</h2>" +
                     _table(("file", "why"), [(escape(p), escape(n)) for p, n in skipped]))
    return (f"<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>recover batch summary</title>"
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")


def _collection(db) -> list[str]:
    """Agencies with reports of two or more years, and the checks between consecutive years (failures listed)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'cross_year'").fetchone():
        return []
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


def _charts(store: Store) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = CJK_FONTS
    plt.rcParams["axes.unicode_minus"] = False
    db = store.db
    out = []
    received = db.execute(
        "SELECT d.agency, d.year, d.path, c.value FROM current_cells c "
        "JOIN current_documents d ON d.id = c.document_id "
        "WHERE c.\"table\" = 'applications' AND c.\"row\" = 'new_received' AND c.\"column\" = 'total' "
        "AND typeof(c.value) IN ('integer', 'real') ORDER BY 1, 2").fetchall()
    if received:
        fig, ax = plt.subplots(figsize=(8, 0.4 * len(received) + 1.2))
        ax.barh(_labels(received), [r[3] for r in received], color="#1d4ed8")
        ax.invert_yaxis()
        ax.set_xlabel("applications received (table 三, new_received × total)")
        out.append(("Applications received per agency and year", _png(fig)))
    share = db.execute(
        "SELECT d.agency, d.year, d.path, AVG(c.status IN ('corrected', 'inferred')), "
        "AVG(c.status IN ('ambiguous', 'missing', 'source_inconsistent')) FROM current_cells c "
        "JOIN current_documents d ON d.id = c.document_id GROUP BY d.id ORDER BY 1, 2").fetchall()
    if share:
        fig, ax = plt.subplots(figsize=(8, 0.4 * len(share) + 1.2))
        labels = _labels(share)
        repaired = [100 * r[3] for r in share]
        review = [100 * r[4] for r in share]
        ax.barh(labels, repaired, color="#6d28d9", label="repaired (corrected, inferred)")
        ax.barh(labels, review, left=repaired, color="#c2410c", label="needing review (ambiguous, missing, "
                "inconsistent)")
        ax.invert_yaxis()
        ax.set_xlim(0, min(100.0, max(5.0, 1.2 * max(a + b for a, b in zip(repaired, review)))))
        ax.set_xlabel("share of the document's cells (%)")
        ax.legend(loc="lower right", fontsize=8)
        out.append(("Share of cells repaired or needing review, per document", _png(fig)))
    return out


def _labels(rows: list[tuple]) -> list[str]:
    """'agency year' per document (the file name when the title gave no agency, or when two would read alike)."""
    base = [f"{a or Path(p).name} {y or ''}".strip() for a, y, p, *_ in rows]
    return [f"{b} ({Path(r[2]).name})" if base.count(b) > 1 else b for b, r in zip(base, rows)]


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")
