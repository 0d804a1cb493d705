"""A seeded random ground truth in the shape of ``corpus/*/truth.json``.

The figures satisfy every hard rule of ``models/catalogue.yaml`` by construction: outcome rows are drawn per
applicant column, （七）总计 is their sum, 上年结转 and 结转下年度 are drawn and 本年新收 closes the balance, the 总计
column is the sum of the applicant columns, and each 复议/诉讼 group's 总计 is the sum of its four results.
``rule_violations`` checks a truth dict against the catalogue rules themselves (the same rules recover repairs
with), so the generator is tested against the data, not against a copy of it.
"""

from __future__ import annotations

import random

from recover.catalogue import APP_COLS, REV_COLS, load_catalogue

REV_ROWS = ("review", "litigation_direct", "litigation_after_review")

PLACES = ("淮安市", "宿迁市", "邢台市", "新乡市", "青州市", "渠县", "石家庄市", "洪泽区", "沭阳县", "盐城市", "扬州市",
          "泰州市", "镇江市", "常州市", "南通市", "连云港市", "徐州市", "无锡市", "平潭县", "临沂市")
BODIES = ("人民政府", "人民政府办公室", "商务局", "财政局", "教育局", "自然资源和规划局", "市场监督管理局",
          "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会", "司法局", "民政局",
          "人力资源和社会保障局")

# Per applicant column: (probability that the whole column is zero, typical size of a non-zero outcome cell).
# Legal-person columns are zero-heavy, as in real reports (most agencies hear only from individuals).
COLUMN_PROFILE = {
    "natural_person": (0.05, 40),
    "commercial": (0.35, 8),
    "research": (0.75, 2),
    "social_welfare": (0.75, 2),
    "legal_service": (0.5, 5),
    "other_org": (0.55, 3),
}
# Share of outcome rows that are non-zero in a non-zero column, and the relative weight of each outcome row.
OUTCOME_WEIGHT = {"granted": 6.0, "partially_granted": 2.0, "unable_not_held": 3.0, "unhandled_petition": 1.0,
                  "other_no_correction": 1.0, "other_other": 1.5, "other_handling": 2.0}


def _count(rng: random.Random, scale: float) -> int:
    """A small non-negative count: geometric-like with mean about ``scale``."""
    return int(rng.expovariate(1.0 / max(scale, 0.3)))


def _applications(rng: random.Random, fmt: str) -> dict[str, list[int]]:
    table = load_catalogue().tables["applications"]
    rows = [r.key for r in table.rows_for(fmt)]
    outcomes = [r.key for r in table.rows_for(fmt) if r.role == "outcome"]
    quiet = rng.random() < 0.15  # a quiet agency: a handful of applications, mostly zero table
    cols: dict[str, dict[str, int]] = {}
    for col, (p_zero, typical) in COLUMN_PROFILE.items():
        size = typical / 10 if quiet else typical * rng.uniform(0.3, 3.0)
        vals = dict.fromkeys(rows, 0)
        if rng.random() >= (0.6 if quiet and col != "natural_person" else p_zero):
            for key in outcomes:
                weight = OUTCOME_WEIGHT.get(key, 0.35)
                if rng.random() < min(0.9, 0.25 * weight):
                    vals[key] = _count(rng, size * weight / 3)
            vals["total_processed"] = sum(vals[k] for k in outcomes)
            vals["carried_forward"] = _count(rng, size / 8) if rng.random() < 0.5 else 0
            vals["carried_over"] = rng.randint(0, (vals["total_processed"] + vals["carried_forward"]) // 4)
            vals["new_received"] = vals["total_processed"] + vals["carried_forward"] - vals["carried_over"]
        cols[col] = vals
    out = {}
    for key in rows:
        row = [cols[c][key] for c in APP_COLS[:-1]]
        out[key] = row + [sum(row)]
    return out


def _review(rng: random.Random) -> dict[str, list[int]]:
    out = {}
    for key in REV_ROWS:
        scale = rng.choice((0, 0, 1, 3, 10))
        vals = [_count(rng, scale * w) if scale else 0 for w in (1.0, 0.4, 0.6, 0.3)]
        out[key] = vals + [sum(vals)]
    return out


def _proactive(rng: random.Random, fmt: str, city: bool) -> dict[str, object]:
    big = rng.choice((10, 100, 1000, 100000))
    if fmt == "2021":
        reg_in_force = rng.randint(0, 40) if city else 0
        reg_issued = min(reg_in_force, rng.randint(0, 3)) if city else 0
        doc_in_force = rng.randint(0, 120)
        fees = round(rng.uniform(0, 5000), rng.choice((0, 1, 2))) if rng.random() < 0.6 else 0
        return {
            "regulations.issued": reg_issued, "regulations.repealed": rng.randint(0, 2) if city else 0,
            "regulations.in_force": reg_in_force,
            "normative_documents.issued": min(doc_in_force, rng.randint(0, 15)),
            "normative_documents.repealed": rng.randint(0, 10), "normative_documents.in_force": doc_in_force,
            "licensing.decisions": _count(rng, big), "punishment.decisions": _count(rng, big / 3),
            "coercion.decisions": _count(rng, big / 20),
            "fees.amount": int(fees) if fees == int(fees) else fees,
        }
    cells: dict[str, object] = {}
    for row in ("regulations", "normative_documents"):
        total = rng.randint(0, 60) if (row == "normative_documents" or city) else 0
        made = min(total, rng.randint(0, 8))
        cells.update({f"{row}.newly_made": made, f"{row}.newly_published": made, f"{row}.total_published": total})
    for row in ("licensing", "other_services", "punishment", "coercion"):
        prev = rng.randint(0, 300) if rng.random() < 0.6 else 0
        change = rng.randint(-min(prev, 20), 20) if prev else 0
        cells.update({f"{row}.previous": prev, f"{row}.change": change,
                      f"{row}.decisions": _count(rng, big / 5) if prev else 0})
    prev = rng.randint(0, 30) if rng.random() < 0.5 else 0
    cells.update({"fees.previous": prev, "fees.change": rng.randint(-min(prev, 3), 3) if prev else 0,
                  "procurement.projects": rng.randint(0, 60)})
    amount = rng.randint(0, 5_000_000)
    cells["procurement.amount"] = rng.choice((f"{amount} 元", f"{amount / 10000:.2f} 万元"))
    return cells


def make_truth(seed: int, fmt: str | None = None) -> dict:
    """The ground truth of one synthetic report.

    seed: everything (agency, year, format, every figure) follows from it.
    fmt: "2019" or "2021" to force the national format of tables 二 and 三 (default: drawn, 2021 three times in
        four; the year follows the format: 2019–2020 reports use the 2019 template, later ones the 2021 one).
    """
    rng = random.Random(seed)
    fmt = fmt or ("2021" if rng.random() < 0.75 else "2019")
    year = rng.randint(2021, 2025) if fmt == "2021" else rng.randint(2019, 2020)
    place, body = rng.choice(PLACES), rng.choice(BODIES)
    city = body.startswith("人民政府") and place.endswith("市")
    apps = _applications(rng, fmt)
    return {
        "grade": "flagged",
        "source": None,
        "report": {"agency": place + body, "year": year},
        "applications": {"format": fmt, "rows": apps},
        "review_litigation": _review(rng),
        "proactive": {"format": fmt, "cells": _proactive(rng, fmt, city)},
        "expect": [],
        "notes": f"Synthetic report (devtools.synth, seed {seed}), {fmt} format; every figure as printed.",
    }


def rule_violations(truth: dict) -> list[str]:
    """Every instance of a catalogue rule (models/catalogue.yaml ``rules``) that ``truth`` breaks, by id."""
    cat = load_catalogue()
    fmt = truth["applications"]["format"]
    cells = {("applications", r, c): v for r, vals in truth["applications"]["rows"].items()
             for c, v in zip(APP_COLS, vals)}
    cells.update({("review_litigation", r, c): v for r, vals in truth["review_litigation"].items()
                  for c, v in zip(REV_COLS, vals)})
    bad = []
    for rule in cat.rules:
        table = cat.tables[rule.table]
        for iid, lhs, rhs in rule.instances(table, fmt):
            if table.key == "review_litigation" and not all((table.key, *c) in cells for c in lhs + rhs):
                continue
            left = sum(cells[(table.key, *c)] for c in lhs)
            right = sum(cells[(table.key, *c)] for c in rhs)
            if left != right:
                bad.append(f"{rule.table}.{iid}: {left} != {right}")
    bad += [f"negative {k}" for k, v in cells.items() if v < 0]
    return bad
