"""Typed view of the template catalogue in ``models/catalogue.yaml``.

The catalogue holds the canonical keys, labels and aliases of the three report tables in both national
formats (2019, 2021) and the arithmetic rules of the template, all as data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

FORMATS = ("2021", "2019")
# the column keys of tables 三 (applications) and 四 (review_litigation), in the template's order
APP_COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")
REV_COLS = ("upheld", "corrected", "other", "pending", "total")


def models_dir() -> Traversable:
    """The folder holding the data models: the package ``recover.models`` (the repository's ``models/``, shipped
    inside the package), read through ``importlib.resources``; the RECOVER_MODELS environment variable names
    another folder."""
    env = os.environ.get("RECOVER_MODELS")
    return Path(env) if env else files("recover.models")


@dataclass(frozen=True)
class Column:
    id: str  # catalogue id (unique within the table)
    key: str  # output key
    label: str
    aliases: tuple[str, ...] = ()
    type: str = "int"  # int | signed | decimal | amount_with_unit
    formats: tuple[str, ...] = FORMATS
    group: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    group: str | None = None  # group label text (e.g. （三）不予公开)
    role: str | None = None  # "outcome" for the rows summed into （七）总计
    formats: tuple[str, ...] = FORMATS
    item: str | None = None  # proactive: 第二十条第（N）项
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # proactive: format -> column ids

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headings: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def rows_for(self, fmt: str) -> tuple[Row, ...]:
        """The rows the given format prints, in template order."""
        return tuple(r for r in self.rows if fmt in r.formats)

    def column(self, cid: str) -> Column:
        return next(c for c in self.columns if c.id == cid)

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


@dataclass(frozen=True)
class Rule:
    id: str
    table: str
    over: str  # "columns": one equation per column, lhs/rhs are rows; "rows": per row, lhs/rhs are columns
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    lhs_role: str | None
    strength: str
    text: str
    unfilled_total: float = 0.0  # override discount for a total printed 0 over non-zero parts (a prior)

    def instances(self, table: Table, fmt: str) -> list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]:
        """Each equation as (instance id, lhs cells, rhs cells), cells being (row, column) keys."""
        rows = [r.key for r in table.rows_for(fmt)]
        lhs = [r.key for r in table.rows_for(fmt) if r.role == self.lhs_role] if self.lhs_role else list(self.lhs)
        out = []
        if self.over == "columns":
            for c in table.columns:
                out.append((f"{self.id}[{c.key}]", [(r, c.key) for r in lhs], [(r, c.key) for r in self.rhs]))
        else:
            for r in rows:
                out.append((f"{self.id}[{r}]", [(r, c) for c in lhs], [(r, c) for c in self.rhs]))
        return out


@dataclass(frozen=True)
class NarrativeRule:
    id: str
    pattern: str
    cells: tuple[tuple[str, str, str], ...]  # the figure is the sum of these (table, row, column) cells
    value: int | None


@dataclass(frozen=True)
class Catalogue:
    version: int
    tables: dict[str, Table]
    rules: tuple[Rule, ...]
    narrative: tuple[NarrativeRule, ...]

    def rules_for(self, table: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.table == table)


def _column(cid: str, d: dict) -> Column:
    return Column(id=cid, key=d.get("key", cid), label=d["label"], aliases=tuple(d.get("aliases", ())),
                  type=d.get("type", "int"), formats=tuple(d.get("formats", FORMATS)), group=d.get("group"))


def _row(d: dict, groups: dict[str, str]) -> Row:
    g = d.get("group")
    return Row(key=d["key"], label=d["label"], aliases=tuple(d.get("aliases", ())),
               group=groups.get(g, g) if g else None, role=d.get("role"),
               formats=tuple(d.get("formats", tuple(d.get("columns", {}).keys()) or FORMATS)),
               item=d.get("item"), columns={k: tuple(v) for k, v in d.get("columns", {}).items()})


@lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and type the catalogue (cached)."""
    data = yaml.safe_load((path or models_dir() / "catalogue.yaml").read_text(encoding="utf-8"))
    tables = {}
    for key, t in data["tables"].items():
        groups = t.get("groups", {})
        tables[key] = Table(key=key, title=t["title"], headings=tuple(t.get("headings", ())),
                            columns=tuple(_column(cid, c) for cid, c in t["columns"].items()),
                            rows=tuple(_row(r, groups) for r in t["rows"]))
    rules = tuple(Rule(id=r["id"], table=r["table"], over=r["over"], lhs=tuple(r.get("lhs", ())),
                       rhs=tuple(r["rhs"]), lhs_role=r.get("lhs_role"), strength=r.get("strength", "hard"),
                       text=r.get("text", ""), unfilled_total=float(r.get("unfilled_total", 0.0)))
                  for r in data["rules"])
    narrative = tuple(NarrativeRule(id=n["id"], pattern=n["pattern"],
                                    cells=tuple((c["table"], c["row"], c["column"])
                                                for c in (n["cells"] if "cells" in n else [n["cell"]])),
                                    value=n.get("value"))
                      for n in data.get("narrative", ()))
    return Catalogue(version=data["version"], tables=tables, rules=rules, narrative=narrative)
