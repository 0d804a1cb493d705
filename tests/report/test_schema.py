"""Tests of models/output.schema.json against the contract of docs/output.md."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .test_html import make_result

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "models" / "output.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def result() -> dict[str, Any]:
    return make_result()


def _first(result: dict[str, Any], status: str) -> dict[str, Any]:
    return next(c for c in result["cells"] if c["status"] == status)


def test_example_validates(validator: jsonschema.Draft202012Validator, result: dict[str, Any]) -> None:
    validator.validate(result)
    validator.validate(json.loads(json.dumps(result, ensure_ascii=False)))


def test_minimal_failed_document_validates(validator: jsonschema.Draft202012Validator) -> None:
    validator.validate({
        "schema_version": 1, "source": {"path": "x.docx", "sha256": "a" * 64, "kind": "docx"},
        "report": {"agency": None, "year": None}, "status": "failed",
        "tables": [{"table": t, "format": None, "found": False, "pages": []}
                   for t in ("proactive", "applications", "review_litigation")],
        "cells": [], "checks": []})


def test_clean_document_may_be_ok(validator: jsonschema.Draft202012Validator, result: dict[str, Any]) -> None:
    for cell in result["cells"]:
        cell.update(status="ok", reason=None, observed="0", value=0)
    for check in result["checks"]:
        check["holds"] = True
    result["status"] = "ok"
    validator.validate(result)
    result["status"] = "repaired"
    validator.validate(result)


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return edit


def _drop(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return edit


def _cell_edit(which: str, **changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: _first(doc, which).update(changes)


BAD: dict[str, Callable[[dict[str, Any]], None]] = {
    "schema_version 2": _set(["schema_version"], 2),
    "schema_version '1'": _set(["schema_version"], "1"),
    "document status unknown": _set(["status"], "partial"),
    "document status ok with non-ok cells": _set(["status"], "ok"),
    "repaired despite ambiguous cell and failing check": _set(["status"], "repaired"),
    "source kind unknown": _set(["source", "kind"], "xlsx"),
    "sha256 not hex": _set(["source", "sha256"], "xyz"),
    "year as string": _set(["report", "year"], "2021"),
    "table key unknown": _set(["tables", 0, "table"], "finance"),
    "table format unknown": _set(["tables", 0, "format"], "2020"),
    "found not bool": _set(["tables", 0, "found"], "yes"),
    "pages not ints": _set(["tables", 0, "pages"], ["3"]),
    "cell status unknown": _cell_edit("ok", status="fixed"),
    "cell table unknown": _cell_edit("ok", table="finance"),
    "applications row unknown": _cell_edit("ambiguous", row="granted_extra"),
    "review column unknown": lambda d: next(c for c in d["cells"] if c["table"] == "review_litigation")
    .update(column="natural_person"),
    "value is a list": _cell_edit("ok", value=[1]),
    "value is an object": _cell_edit("ok", value={"n": 1}),
    "value is a bool": _cell_edit("ok", value=True),
    "observed is a number": _cell_edit("ok", observed=0),
    "confidence above 1": _cell_edit("ok", confidence=1.5),
    "confidence below 0": _cell_edit("ok", confidence=-0.1),
    "bbox of 3 numbers": _cell_edit("ok", bbox=[1, 2, 3]),
    "bbox of 5 numbers": _cell_edit("ok", bbox=[1, 2, 3, 4, 5]),
    "bbox of strings": _cell_edit("ok", bbox=["1", "2", "3", "4"]),
    "bbox_origin unknown": _cell_edit("ok", bbox_origin="top-left"),
    "rules not strings": _cell_edit("ok", rules=[1]),
    "rules a string": _cell_edit("ok", rules="applications.balance.total"),
    "non-ok cell without reason": _cell_edit("corrected", reason=None),
    "non-ok cell with empty reason": _cell_edit("missing", reason=""),
    "check holds not bool": _set(["checks", 0, "holds"], "yes"),
    "extra top-level key": _set(["extra"], True),
    "extra cell key": _cell_edit("ok", note="x"),
}
TOP_KEYS = ["schema_version", "source", "report", "status", "tables", "cells", "checks"]
CELL_KEYS = ["table", "row", "column", "value", "observed", "status", "confidence", "page", "bbox", "bbox_origin",
             "reason", "rules"]
MISSING: dict[str, Callable[[dict[str, Any]], None]] = {
    **{f"missing {k}": _drop([k]) for k in TOP_KEYS},
    **{f"missing source.{k}": _drop(["source", k]) for k in ("path", "sha256", "kind")},
    **{f"missing report.{k}": _drop(["report", k]) for k in ("agency", "year")},
    **{f"missing tables[].{k}": _drop(["tables", 1, k]) for k in ("table", "format", "found", "pages")},
    **{f"missing cells[].{k}": _drop(["cells", 20, k]) for k in CELL_KEYS},
    **{f"missing checks[].{k}": _drop(["checks", 3, k]) for k in ("rule", "holds", "detail")},
}


@pytest.mark.parametrize("edit", list({**BAD, **MISSING}.values()), ids=list({**BAD, **MISSING}))
def test_schema_rejects(validator: jsonschema.Draft202012Validator, result: dict[str, Any],
                        edit: Callable[[dict[str, Any]], None]) -> None:
    bad = copy.deepcopy(result)
    edit(bad)
    assert bad != result
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)


@pytest.mark.parametrize("value", [0, 12, 3.5, "1,234.5万元", None])
def test_value_types_accepted(validator: jsonschema.Draft202012Validator, result: dict[str, Any],
                              value: Any) -> None:
    _first(result, "missing")["value"] = value
    validator.validate(result)


def test_nullable_fields_accepted(validator: jsonschema.Draft202012Validator, result: dict[str, Any]) -> None:
    cell = _first(result, "ok")
    cell.update(page=None, bbox=None, bbox_origin=None, observed=None)
    result["tables"][0]["format"] = "hybrid"
    validator.validate(result)
