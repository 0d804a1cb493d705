"""The summary page's charts (matplotlib, embedded as PNG), drawn to scale with the batch: totals per year rather than
a bar per document, the spread of the share of cells flagged, and one small panel per agency reported over several
years (applications received and processed, review and litigation cases) with the years whose cross-year checks
fail marked.
"""

from __future__ import annotations

import base64
import io
import sqlite3
from collections import defaultdict

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "WenQuanYi Micro Hei", "DejaVu Sans"]
MAX_PANELS = 12  # agencies drawn over time (those with the most years)
SERIES = {  # line of an agency's panel -> (table, row, column)
    "新收申请 new applications": ("applications", "new_received", "total"),
    "办理结果合计 processed": ("applications", "total_processed", "total"),
    "行政复议 reviews": ("review_litigation", "review", "total"),
    "行政诉讼 lawsuits": ("review_litigation", "litigation_direct", "total"),
}


def charts(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """(caption, base64 PNG) of every chart the batch has data for."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = CJK_FONTS
    plt.rcParams["axes.unicode_minus"] = False
    out = []
    per_year = db.execute(
        "SELECT d.year, count(DISTINCT d.id), sum(CASE WHEN typeof(c.value) IN ('integer', 'real') THEN c.value END) "
        "FROM current_documents d LEFT JOIN current_cells c ON c.document_id = d.id AND c.\"table\" = 'applications' "
        "AND c.\"row\" = 'new_received' AND c.\"column\" = 'total' WHERE d.year IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    if per_year:
        fig, ax = plt.subplots(figsize=(8, 3.2))
        years = [str(y) for y, _, _ in per_year]
        ax.bar(years, [s or 0 for _, _, s in per_year], color="#1d4ed8")
        ax.set_ylabel("applications received (table 三)")
        for x, (_, n, _) in enumerate(per_year):
            ax.annotate(f"{n} reports", (x, 0), ha="center", va="bottom", fontsize=8, color="#fff")
        out.append(("Applications received per year, all agencies (reports per year on the bars)", _png(fig)))
    shares = [r[0] for r in db.execute("SELECT avg(status != 'ok') FROM current_cells GROUP BY document_id")]
    if shares:
        fig, ax = plt.subplots(figsize=(8, 2.8))
        ax.hist([100 * s for s in shares], bins=[0, 0.5, 1, 2, 5, 10, 20, 50, 100], color="#c2410c")
        ax.set_xscale("symlog", linthresh=1)
        ax.set_xlabel("share of the document's cells flagged (%)")
        ax.set_ylabel("documents")
        out.append(("Documents by the share of their cells flagged", _png(fig)))
    panels = _agency_panels(db)
    if panels:
        out.append(panels)
    return out


def _agency_panels(db: sqlite3.Connection) -> tuple[str, str] | None:
    import matplotlib.pyplot as plt

    agencies = [k for k, in db.execute(
        "SELECT agency_key FROM current_documents WHERE agency_key IS NOT NULL AND year IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT year) > 1 ORDER BY count(DISTINCT year) DESC, 1 LIMIT ?", (MAX_PANELS,))]
    if not agencies:
        return None
    values: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for label, (table, row, column) in SERIES.items():
        for key, year, value in db.execute(
                "SELECT d.agency_key, d.year, max(c.value) FROM current_cells c JOIN current_documents d "
                "ON d.id = c.document_id WHERE c.\"table\" = ? AND c.\"row\" = ? AND c.\"column\" = ? "
                "AND typeof(c.value) IN ('integer', 'real') AND d.agency_key IS NOT NULL GROUP BY 1, 2",
                (table, row, column)):
            values[key, label][year] = value
    failing = defaultdict(set)
    for key, year in db.execute("SELECT DISTINCT agency_key, later_year FROM cross_year WHERE holds = 0"):
        failing[key].add(year)
    cols = 3
    rows = (len(agencies) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(10, 2.6 * rows), squeeze=False)
    for ax, key in zip(axes.flat, agencies):
        for label in SERIES:
            line = sorted(values.get((key, label), {}).items())
            if line:
                ax.plot([y for y, _ in line], [v for _, v in line], marker="o", markersize=3, label=label)
        for year in sorted(failing.get(key, ())):
            ax.axvline(year, color="#b91c1c", linestyle="--", linewidth=1)
        ax.set_title(key, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in list(axes.flat)[len(agencies):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=6, loc="upper left")
    return ("Agencies over the years (a dashed red line: a year whose cross-year checks with the year before fail)",
            _png(fig))


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")
