"""Render one ``recover`` output dict (docs/output.md) for a human reviewer.

``render_html`` returns one self-contained page (inline CSS, no script, no external resource): a
header with the source and the document status, one grid per table in which every non-``ok`` cell
is coloured by its status and footnoted to a "cells needing attention" list, then the arithmetic
checks, failed ones first. Every string taken from the document or from ``labels`` is escaped.
With ``evidence`` (``recover.report.evidence.flagged_evidence``) each flagged cell also shows its image crop or
source lines and the values the solver weighed. ``render_summary`` returns a few plain-text lines for a terminal.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from recover.layout.text.sections import TABLE_ORDER

CELL_STATUSES = ("ok", "corrected", "inferred", "source_inconsistent", "ambiguous", "missing")
CELL_COLOURS = {  # status -> (background, accent)
    "ok": ("#ffffff", "#374151"),
    "corrected": ("#dbeafe", "#1d4ed8"),
    "inferred": ("#ede9fe", "#6d28d9"),
    "source_inconsistent": ("#ffedd5", "#c2410c"),
    "ambiguous": ("#fef08a", "#854d0e"),
    "missing": ("#fee2e2", "#b91c1c"),
}
STATUS_NOTES = {
    "ok": "read as printed",
    "corrected": "value differs from what the source shows",
    "inferred": "nothing usable in the source; value deduced",
    "source_inconsistent": "the agency's own figures disagree",
    "ambiguous": "more than one reading is plausible",
    "missing": "no value could be recovered",
}
DOC_COLOURS = {"ok": "#15803d", "repaired": "#1d4ed8", "needs_review": "#c2410c", "failed": "#b91c1c"}

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:24px;color:#111827;background:#f9fafb;font-size:14px;line-height:1.45}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 6px}h3{font-size:15px;margin:14px 0 6px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
.meta dt{color:#6b7280}.meta dd{margin:0;word-break:break-all}code{font-size:12px}
.badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:600}
.chip{display:inline-block;margin:2px 6px 2px 0;padding:1px 8px;border-radius:8px;font-size:12px;
 border:1px solid}.zero{opacity:.45}
table{border-collapse:collapse;background:#fff;margin:6px 0}
th,td{border:1px solid #d1d5db;padding:3px 6px;vertical-align:top}
th{background:#f3f4f6;font-weight:600;font-size:12px}
.grid td.c{text-align:right;min-width:56px;font-variant-numeric:tabular-nums}
.grid th.r{text-align:left;max-width:30em;font-weight:normal}.grid td.none{background:#f3f4f6}
.grid td.c:not(.s-ok){font-weight:700;border-width:2px}
.obs{display:block;font-size:11px;font-weight:normal;white-space:nowrap}
a.fn{font-size:10px;vertical-align:super;margin-left:2px;text-decoration:none;font-weight:700}
.key{color:#6b7280;font-size:11px;font-family:monospace;margin-left:6px}
.att td{font-size:12px}.att td.reason{max-width:36em}
.note{color:#6b7280;font-size:12px}.scroll{overflow-x:auto}
img.crop{max-width:520px;border:1px solid #d1d5db;display:block}pre.src{font-size:11px;margin:0;white-space:pre-wrap;
 max-width:40em}pre.src b{background:#fef08a}ul.cands{margin:2px 0;padding-left:16px;font-size:11px}
li.fail{background:#fee2e2;border-left:4px solid #b91c1c;padding:3px 8px;margin:2px 0}
li.pass{padding:1px 8px;color:#374151;break-inside:avoid}ul.checks{list-style:none;padding:0;margin:4px 0}
ul.passed{columns:2;column-gap:24px;font-size:12px}
""" + "".join(
    f".s-{s}{{background:{bg};border-color:{fg}!important;color:{fg}}}" for s, (bg, fg) in CELL_COLOURS.items()
)


def _e(text: object) -> str:
    """Escape anything for HTML text and attribute values."""
    return escape(str(text), quote=True)


def _value(value: object) -> str:
    """Plain text of a cell value (``—`` for none)."""
    return "—" if value is None else str(value)


def _observed(observed: str | None) -> str:
    """Plain text of what the source shows, telling blank from absent."""
    if observed is None:
        return "(absent)"
    return "(blank)" if observed == "" else f"「{observed}」"


def _label(labels: dict[str, Any], table: str, kind: str, key: str) -> str:
    """The reviewer's label of a row/column key, or the key itself."""
    found = (labels.get(table) or {}).get(kind) or {}
    return str(found.get(key) or key)


def _named(label: str, key: str) -> str:
    """A label followed by its key in small type, or the key alone when there is no label."""
    return _e(key) if label == key else f'{_e(label)}<span class="key">{_e(key)}</span>'


def _count(result: dict[str, Any]) -> Counter[str]:
    return Counter(str(c.get("status")) for c in result.get("cells") or [])


def _header(result: dict[str, Any]) -> str:
    source, report = result.get("source") or {}, result.get("report") or {}
    status = str(result.get("status"))
    counts = _count(result)
    chips = "".join(
        f'<span class="chip s-{s}{"" if counts[s] else " zero"}">{_e(s)}: {counts[s]}</span>'
        for s in CELL_STATUSES
    )
    sha = str(source.get("sha256") or "")
    rows = [
        ("source", f"<code>{_e(source.get('path'))}</code>"),
        ("kind", _e(source.get("kind"))),
        ("sha256", f'<code title="{_e(sha)}">{_e(sha[:12])}…</code>'),
        ("agency", _e(report.get("agency") or "(unknown)")),
        ("year", _e(report.get("year") or "(unknown)")),
        ("status", (f'<span class="badge" style="background:{DOC_COLOURS.get(status, "#374151")}">'
                    f"{_e(status)}</span>")),
        ("cells", f"{sum(counts.values())} &nbsp; {chips}"),
    ]
    ocr = source.get("ocr_pages") or []
    if ocr:
        rows.insert(2, ("read by OCR", "; ".join(f"page {_e(o.get('page'))}: {_e(o.get('why'))}" for o in ocr)))
    skipped = source.get("skipped_pages") or []
    if skipped:
        rows.insert(2, ("not read", "; ".join(f"page {_e(o.get('page'))}: {_e(o.get('why'))}" for o in skipped)))
    title = _e(report.get("agency") or source.get("path") or "")
    return (f"<h1>{title} {_e(report.get('year') or '')} · 政府信息公开工作年度报告</h1>"
            '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>")


def _legend() -> str:
    items = "".join(f'<span class="chip s-{s}">{_e(s)}: {_e(STATUS_NOTES[s])}</span>' for s in CELL_STATUSES)
    return f'<p class="legend"><b>Legend</b> &nbsp;{items}</p>'


def _grid_cell(cell: dict[str, Any] | None, note: int | None, tip: str) -> str:
    if cell is None:
        return '<td class="c none"></td>'
    status = str(cell.get("status"))
    text = _e(_value(cell.get("value")))
    if note is None:
        return f'<td class="c s-{_e(status)}">{text}</td>'
    return (f'<td class="c s-{_e(status)}" id="cell-{note}" title="{_e(tip)}">{text}'
            f'<a class="fn" href="#att-{note}">[{note}]</a>'
            f'<span class="obs">seen {_e(_observed(cell.get("observed")))}</span></td>')


def _evidence(ev: dict[str, Any] | None) -> str:
    """A flagged cell's crop or source lines, and the values weighed (all text escaped)."""
    if not ev:
        return "—"
    out = []
    if ev.get("crop"):
        out.append(f'<img class="crop" alt="page {_e(ev.get("page"))}" src="{_e(ev["crop"])}">')
    if ev.get("lines"):
        out.append('<pre class="src">' + "\n".join(
            (f"<b>{n:>4} {_e(a)}{f'<mark>{_e(fig)}</mark>' if fig else ''}{_e(b)}</b>" if own else
             f"{n:>4} {_e(a)}{_e(b)}") for n, a, fig, b, own in ev["lines"]) + "</pre>")
    if ev.get("candidates"):
        out.append('<ul class="cands">' + "".join(
            f"<li>{'<b>' if chosen else ''}{_e(label)}{' (chosen)</b>' if chosen else ''} — "
            f"{'cost ' + format(cost, '.2f') + ', ' if cost is not None else ''}{_e(why)}</li>"
            for label, cost, why, chosen in ev["candidates"]) + "</ul>")
    return "".join(out) or "—"


def _table(key: str, meta: dict[str, Any] | None, cells: list[dict[str, Any]],
           labels: dict[str, Any], start: int, evidence: dict[str, Any] | None = None) -> tuple[str, int]:
    """One table section; returns its HTML and the next footnote number."""
    title = (labels.get(key) or {}).get("title") or key
    found = meta.get("found") if meta else None
    info = ("not listed in tables" if meta is None else
            f"format {_e(meta.get('format') or 'unknown')} · {'found' if found else 'NOT found'}"
            f" · pages {_e(', '.join(str(p) for p in meta.get('pages') or []) or '—')}")
    out = [f'<h2 id="t-{_e(key)}">{_named(str(title), key)}</h2><p class="note">{info}</p>']
    if not cells:
        out.append('<p class="note">No cells.</p>')
        return "".join(out), start
    rows = list(dict.fromkeys(str(c.get("row")) for c in cells))
    cols = list(dict.fromkeys(str(c.get("column")) for c in cells))
    by_pos = {(str(c.get("row")), str(c.get("column"))): c for c in cells}
    notes: dict[tuple[str, str], int] = {}
    for c in cells:
        pos = (str(c.get("row")), str(c.get("column")))
        if c.get("status") != "ok" and pos not in notes:
            notes[pos] = start + len(notes)
    head = "".join(f'<th>{_named(_label(labels, key, "columns", c), c)}</th>'
                   for c in cols)
    out.append(f'<div class="scroll"><table class="grid"><thead><tr><th></th>{head}</tr></thead><tbody>')
    for r in rows:
        tds = []
        for c in cols:
            cell = by_pos.get((r, c))
            tip = "" if cell is None else f"{cell.get('status')}: {cell.get('reason') or ''}"
            tds.append(_grid_cell(cell, notes.get((r, c)), tip))
        out.append(f'<tr><th class="r">{_named(_label(labels, key, "rows", r), r)}</th>{"".join(tds)}</tr>')
    out.append("</tbody></table></div>")
    if notes:
        out.append(f"<h3>Cells needing attention ({len(notes)})</h3><div class='scroll'><table class='att'><thead><tr>"
                   "<th>#</th><th>row</th><th>column</th><th>observed</th><th>value</th><th>status</th>"
                   "<th>confidence</th><th>reason</th><th>rules</th>"
                   + ("<th>source and values weighed</th>" if evidence is not None else "") + "</tr></thead><tbody>")
        for (r, c), n in notes.items():
            cell = by_pos[(r, c)]
            status = str(cell.get("status"))
            conf = cell.get("confidence")
            conf_text = f"{conf:.2f}" if isinstance(conf, (int, float)) else "—"
            out.append(
                f'<tr id="att-{n}"><td><a href="#cell-{n}">[{n}]</a></td>'
                f"<td>{_e(_label(labels, key, 'rows', r))}</td><td>{_e(_label(labels, key, 'columns', c))}</td>"
                f"<td>{_e(_observed(cell.get('observed')))}</td><td>{_e(_value(cell.get('value')))}</td>"
                f'<td class="s-{_e(status)}">{_e(status)}</td><td>{conf_text}</td>'
                f'<td class="reason">{_e(cell.get("reason") or "")}</td>'
                f"<td><code>{'<br>'.join(_e(x) for x in cell.get('rules') or []) or '—'}</code></td>"
                + (f"<td>{_evidence(evidence.get(f'{key}.{r}.{c}'))}</td>" if evidence is not None else "")
                + "</tr>")
        out.append("</tbody></table></div>")
    return "".join(out), start + len(notes)


def _checks(checks: list[dict[str, Any]]) -> str:
    """Failed checks first, one per line; passing ones after, in columns."""
    def item(k: dict[str, Any]) -> str:
        mark = "✓" if k.get("holds") else "✗ FAILS"
        return (f'<li class="{"pass" if k.get("holds") else "fail"}">{mark} '
                f'<code>{_e(k.get("rule"))}</code> — {_e(k.get("detail") or "")}</li>')
    failed = [item(k) for k in checks if not k.get("holds")]
    passed = [item(k) for k in checks if k.get("holds")]
    return (f"<h2>Checks <span class='note'>{len(failed)} failed of {len(checks)}</span></h2>"
            f'<ul class="checks">{"".join(failed)}</ul><ul class="checks passed">{"".join(passed)}</ul>'
            + ("" if checks else '<p class="note">No checks.</p>'))


def render_html(result: dict[str, Any], labels: dict[str, Any] | None = None,
                evidence: dict[str, Any] | None = None) -> str:
    """Return one self-contained HTML review page for an output dict of docs/output.md (``evidence``: see the
    module's docstring)."""
    labels = labels or {}
    metas = {str(t.get("table")): t for t in result.get("tables") or []}
    cells = list(result.get("cells") or [])
    keys = list(TABLE_ORDER) + [k for k in dict.fromkeys(
        [*metas, *(str(c.get("table")) for c in cells)]) if k not in TABLE_ORDER]
    body, note = [_header(result), _legend()], 1
    for key in keys:
        section, note = _table(key, metas.get(key), [c for c in cells if c.get("table") == key], labels, note,
                               evidence)
        body.append(f"<section>{section}</section>")
    body.append(_checks(list(result.get("checks") or [])))
    title = _e(f"{(result.get('source') or {}).get('path', '')} — recover")
    return ('<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>\n")


def render_summary(result: dict[str, Any]) -> str:
    """Return a 4-line plain-text summary for a terminal."""
    source, report = result.get("source") or {}, result.get("report") or {}
    counts = _count(result)
    odd = ", ".join(f"{counts[s]} {s}" for s in CELL_STATUSES[1:] if counts[s]) or "none"
    checks = list(result.get("checks") or [])
    failed = sum(1 for k in checks if not k.get("holds"))
    return "\n".join([
        f"{source.get('path')} [{source.get('kind')}]"
        + (f" (pages {', '.join(str(o.get('page')) for o in source['ocr_pages'])} read by OCR: text layer unusable)"
           if source.get("ocr_pages") else ""),
        (f"{report.get('agency') or '(unknown agency)'} · {report.get('year') or '(unknown year)'}"
         f" · status {result.get('status')}"),
        f"cells {sum(counts.values())}, not ok: {odd}",
        f"checks: {failed} failed of {len(checks)}",
    ])
