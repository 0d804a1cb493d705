from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def truth_docs() -> list[Path]:
    return sorted(CORPUS.glob("*/truth.json"))


def source_of(truth: Path) -> Path:
    return truth.parent / json.loads(truth.read_text(encoding="utf-8"))["source"]


def text_truth_docs() -> list[Path]:
    """Corpus documents with a text or text-layer source (the scan documents are exercised end to end)."""
    return [t for t in truth_docs() if not t.parent.name.endswith("_scan")]
