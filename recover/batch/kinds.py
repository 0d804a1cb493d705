"""Recognise what a file is from its content (magic bytes), never from its name.

``sniff(path)`` returns the kind the pipeline should read the file as (``recover.ingest.document.KINDS``), or
``None`` with a note when the file is not a report input (it is skipped). Empty files and old binary Word
(OLE2) files are report inputs that fail: the pipeline records them with their error and remedy.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

HEAD = 64 * 1024  # bytes read to decide
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_MARKERS = ("<!doctype html", "<html", "<body", "<table", "<head", "<meta ")
# A text is a report when it names the proactive-disclosure part and the applications/review part of the
# template (or the report's own title); a README that only mentions applications does not qualify.
TITLE_WORDS = ("政府信息公开工作年度报告", "政府信息公开年度报告")
PART_WORDS = ("政府信息公开申请", "依申请公开", "行政复议", "行政诉讼")


@dataclass(frozen=True)
class Sniff:
    kind: str | None  # text | html | docx | pdf | image | doc, or None: not a report input
    note: str  # what the content looked like


def sniff(path: Path) -> Sniff:
    """The kind of ``path`` judged by its first bytes (and, for ZIP and text, a look inside)."""
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head:
        return Sniff("text", "empty file")
    if b"%PDF-" in head[:1024]:
        return Sniff("pdf", "PDF")
    if head.startswith(b"PK\x03\x04"):
        return _zip(path)
    if head.startswith(OLE2_MAGIC):
        return Sniff("doc", "OLE2 compound file (old binary Word/WPS)")
    if any(head.startswith(m) for m in IMAGE_MAGIC):
        return Sniff("image", "image")
    return _text(head)


def _zip(path: Path) -> Sniff:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError):  # (a damaged header can name a
        # compression method or version zipfile lacks)
        return Sniff(None, "damaged ZIP archive")
    if "word/document.xml" in names:
        return Sniff("docx", "DOCX (Office Open XML)")
    return Sniff(None, "ZIP archive that is not a DOCX")


def _text(head: bytes) -> Sniff:
    from recover.ingest.document import to_simplified

    text = _decode(head)
    if text is None:
        return Sniff(None, "binary data of no known report kind")
    lower = text.lstrip()[:4096].lower()
    if any(m in lower for m in HTML_MARKERS) and "<" in lower[:200]:
        return Sniff("html", "HTML")
    if not text.strip():
        return Sniff("text", "blank text")
    if lower[:1] in "{[" and _is_json(text):
        return Sniff(None, "JSON data")
    simplified, _ = to_simplified(text)
    if any(w in simplified for w in TITLE_WORDS) or ("主动公开" in simplified and
                                                     any(w in simplified for w in PART_WORDS)):
        return Sniff("text", "text with report vocabulary")
    return Sniff(None, "text without report vocabulary (no 主动公开 / 政府信息公开申请 / 年度报告)")


def _decode(head: bytes) -> str | None:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head[:4096]:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as exc:
            if enc == "utf-8" and exc.start >= len(head) - 4:  # a character cut by the HEAD limit
                return head[:exc.start].decode(enc)
    return None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
