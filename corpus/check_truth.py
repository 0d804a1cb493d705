#!/usr/bin/env python3
"""Check every corpus/*/truth.json against the arithmetic of shared/template.md.

Standalone, stdlib only.  Usage:  python3 corpus/check_truth.py [corpus_dir]
Prints one line per document and exits 1 if any document has a violation.

Checks:
  * shape: source file present next to truth.json, report.agency/year,
    applications.format in {"2019", "2021"} with exactly the row keys of that
    format in template order, 7 non-negative ints per row;
    review_litigation with 3 groups of 5 non-negative ints;
    proactive.format and cell keys known for the format; expect entries well formed.
  * rule 1: per column, new_received + carried_over = total_processed + carried_forward
  * rule 2: per row, total = sum of the 6 applicant columns
  * rule 3: per column, total_processed = sum of the outcome rows (21 in 2021, 19 in 2019)
  * rule 4: per review/litigation group, total = upheld + corrected + other + pending
  * every expect entry names an existing cell and its value equals the truth value.
"""
import json
import sys
from pathlib import Path

COLUMNS = ["natural_person", "commercial", "research", "social_welfare",
           "legal_service", "other_org", "total"]

HEAD = ["new_received", "carried_over"]
OUTCOMES_COMMON = [
    "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited_by_law", "denied_three_safeties",
    "denied_third_party", "denied_internal_affairs", "denied_process_info",
    "denied_enforcement_file", "denied_inquiry",
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    "unhandled_petition", "unhandled_duplicate", "unhandled_publication",
    "unhandled_excessive", "unhandled_confirmation",
]
OUTCOMES = {
    "2021": OUTCOMES_COMMON + ["other_no_correction", "other_no_fee", "other_other"],
    "2019": OUTCOMES_COMMON + ["other_handling"],
}
TAIL = ["total_processed", "carried_forward"]
ROWS = {fmt: HEAD + outs + TAIL for fmt, outs in OUTCOMES.items()}

RL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
RL_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

PROACTIVE_2021 = {
    "regulations": {"issued", "repealed", "in_force"},
    "normative_documents": {"issued", "repealed", "in_force"},
    "licensing": {"decisions"},
    "punishment": {"decisions"},
    "coercion": {"decisions"},
    "fees": {"amount"},
}
PROACTIVE_2019 = {
    "regulations": {"newly_made", "newly_published", "total_published"},
    "normative_documents": {"newly_made", "newly_published", "total_published"},
    "licensing": {"previous", "change", "decisions"},
    "other_services": {"previous", "change", "decisions"},
    "punishment": {"previous", "change", "decisions"},
    "coercion": {"previous", "change", "decisions"},
    "fees": {"previous", "change"},
    "procurement": {"projects", "amount"},
}
PROACTIVE_ANY = {r: PROACTIVE_2021.get(r, set()) | PROACTIVE_2019.get(r, set())
                 for r in set(PROACTIVE_2021) | set(PROACTIVE_2019)}

EXPECT_STATUS = {"source_inconsistent", "corrected", "inferred", "ambiguous"}


def is_count(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def check_proactive(pro, errs):
    if not isinstance(pro, dict):
        errs.append("proactive: missing or not an object")
        return
    fmt = pro.get("format")
    catalogue = {"2021": PROACTIVE_2021, "2019": PROACTIVE_2019, "hybrid": PROACTIVE_ANY}.get(fmt)
    if catalogue is None:
        errs.append(f"proactive.format {fmt!r} not in 2021/2019/hybrid")
        return
    cells = pro.get("cells")
    if not isinstance(cells, dict) or not cells:
        errs.append("proactive.cells: missing or empty")
        return
    for key, val in cells.items():
        row, _, col = key.partition(".")
        if col not in catalogue.get(row, ()):
            errs.append(f"proactive: unknown cell {key!r} for format {fmt}")
            continue
        if key == "fees.amount":
            if isinstance(val, bool) or not isinstance(val, (int, float)) or val < 0:
                errs.append(f"proactive: {key} must be a non-negative number, got {val!r}")
        elif key == "procurement.amount":
            if not isinstance(val, str) or not val.strip():
                errs.append(f"proactive: {key} must keep its unit as a string, got {val!r}")
        elif col == "change":
            if isinstance(val, bool) or not isinstance(val, int):
                errs.append(f"proactive: {key} must be an int (signed), got {val!r}")
        elif not is_count(val):
            errs.append(f"proactive: {key} must be a non-negative int, got {val!r}")
    if fmt in ("2021", "2019"):
        missing = sorted(f"{r}.{c}" for r, cs in catalogue.items() for c in cs
                         if f"{r}.{c}" not in cells)
        if missing:
            # allowed (a block may be absent from the document) but worth seeing
            errs.append("proactive: note only, cells not printed: " + ", ".join(missing))


def lookup(truth, table, row, column):
    """Return (found, value) for an expect entry's cell."""
    if table == "applications":
        rows = truth["applications"]["rows"]
        if row in rows and column in COLUMNS:
            return True, rows[row][COLUMNS.index(column)]
    elif table == "review_litigation":
        rl = truth["review_litigation"]
        if row in rl and column in RL_COLUMNS:
            return True, rl[row][RL_COLUMNS.index(column)]
    elif table == "proactive":
        cells = truth["proactive"]["cells"]
        key = f"{row}.{column}"
        if key in cells:
            return True, cells[key]
    return False, None


def check(path):
    """Return (summary, errors, notes) for one truth.json."""
    errs = []
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return "unreadable", [f"cannot load: {e}"], []

    src = truth.get("source")
    if not isinstance(src, str) or not (path.parent / src).is_file():
        errs.append(f"source file {src!r} not found next to truth.json")
    rep = truth.get("report", {})
    if rep is None or (rep.get("agency") is None and rep.get("year") is None):
        pass  # the document prints no title (a scan of the table pages only): both null
    elif not isinstance(rep.get("agency"), str) or not rep.get("agency"):
        errs.append("report.agency missing")
    elif (not isinstance(rep.get("year"), int) or not 2008 <= rep["year"] <= 2100):
        errs.append(f"report.year {rep.get('year')!r} not a plausible year")

    # --- applications: shape -------------------------------------------------
    app = truth.get("applications", {})
    fmt = app.get("format")
    rows = app.get("rows", {})
    if fmt not in ROWS:
        errs.append(f"applications.format {fmt!r} not 2019/2021")
        return f"format={fmt}", errs, []
    want = ROWS[fmt]
    if list(rows) != want:
        missing = [k for k in want if k not in rows]
        extra = [k for k in rows if k not in want]
        if missing:
            errs.append(f"applications: missing rows {missing}")
        if extra:
            errs.append(f"applications: rows not in format {fmt}: {extra}")
        if not missing and not extra:
            errs.append("applications: rows not in template order")
    shape_ok = True
    for k in want:
        v = rows.get(k)
        if not (isinstance(v, list) and len(v) == 7 and all(is_count(x) for x in v)):
            errs.append(f"applications.{k}: need 7 non-negative ints, got {v!r}")
            shape_ok = False

    # --- applications: arithmetic -------------------------------------------
    if shape_ok:
        for k in want:  # rule 2
            r = rows[k]
            if sum(r[:6]) != r[6]:
                errs.append(f"rule 2 row {k}: sum {sum(r[:6])} != total {r[6]}")
        for c, col in enumerate(COLUMNS):
            lhs = rows["new_received"][c] + rows["carried_over"][c]
            rhs = rows["total_processed"][c] + rows["carried_forward"][c]
            if lhs != rhs:  # rule 1
                errs.append(f"rule 1 column {col}: new+carried_over {lhs} != processed+forward {rhs}")
            s = sum(rows[k][c] for k in OUTCOMES[fmt])
            if s != rows["total_processed"][c]:  # rule 3
                errs.append(f"rule 3 column {col}: outcomes sum {s} != total_processed {rows['total_processed'][c]}")

    # --- review_litigation ----------------------------------------------------
    rl = truth.get("review_litigation", {})
    if set(rl) != set(RL_GROUPS):
        errs.append(f"review_litigation: groups {sorted(rl)} != {RL_GROUPS}")
    for g in RL_GROUPS:
        v = rl.get(g)
        if not (isinstance(v, list) and len(v) == 5 and all(is_count(x) for x in v)):
            errs.append(f"review_litigation.{g}: need 5 non-negative ints, got {v!r}")
        elif sum(v[:4]) != v[4]:  # rule 4
            errs.append(f"rule 4 {g}: sum {sum(v[:4])} != total {v[4]}")

    # --- proactive --------------------------------------------------------------
    pro_errs = []
    check_proactive(truth.get("proactive"), pro_errs)
    notes = [e for e in pro_errs if "note only" in e]
    errs.extend(e for e in pro_errs if "note only" not in e)

    # --- expect -----------------------------------------------------------------
    exp = truth.get("expect", [])
    if not isinstance(exp, list):
        errs.append("expect must be a list")
        exp = []
    for i, e in enumerate(exp):
        need = {"table", "row", "column", "value", "observed", "status", "why"}
        if not isinstance(e, dict) or not need <= set(e):
            errs.append(f"expect[{i}]: needs keys {sorted(need)}")
            continue
        if e["status"] not in EXPECT_STATUS:
            errs.append(f"expect[{i}]: status {e['status']!r} not in {sorted(EXPECT_STATUS)}")
        try:
            found, val = lookup(truth, e["table"], e["row"], e["column"])
        except (KeyError, TypeError, IndexError):
            found, val = False, None
        if not found:
            errs.append(f"expect[{i}]: no cell {e['table']}.{e['row']}.{e['column']}")
        elif val != e["value"]:
            errs.append(f"expect[{i}]: value {e['value']!r} != truth {val!r} at {e['row']}.{e['column']}")

    if not isinstance(truth.get("notes"), str):
        errs.append("notes must be a string")

    n_rows = len(want)
    total = rows.get("total_processed", [None] * 7)[6] if shape_ok else "?"
    rl_tot = "/".join(str(rl.get(g, [None] * 5)[4]) for g in RL_GROUPS) if isinstance(rl, dict) else "?"
    summary = (f"applications {fmt} ({n_rows} rows, processed {total}), "
               f"review/litigation {rl_tot}, proactive {truth.get('proactive', {}).get('format')} "
               f"({len(truth.get('proactive', {}).get('cells', {}))} cells), expect {len(exp)}")
    return summary, errs, notes


def main():
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    files = sorted(corpus.glob("*/truth.json"))
    if not files:
        print(f"no */truth.json under {corpus}")
        return 1
    bad = 0
    for f in files:
        summary, errs, notes = check(f)
        status = "FAIL" if errs else "ok"
        print(f"{status:4} {f.parent.name}: {summary}")
        for e in errs:
            print(f"       - {e}")
        for n in notes:
            print(f"       . {n}")
        bad += bool(errs)
    print(f"{len(files) - bad}/{len(files)} documents pass")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
