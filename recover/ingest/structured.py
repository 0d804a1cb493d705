"""Declarative backends: DOCX (python-docx) and HTML (lxml) documents as text lines and table grids.

Their tables are kept as tables: each row is kept as its cells (``model.CellRead``: grid position, spans, text;
no box), one per grid column, a merged cell (gridSpan/vMerge, colspan/rowspan) giving its text once, in its first
position, and blanks elsewhere — the shape every grid route hands on. The row stands among the lines as one line,
its cells' text between tabs, for the section finder. Paragraphs and the page text around the tables become
ordinary lines (headings, narrative, title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from recover.errors import UnreadableInputError
from recover.ingest.limits import DEPTH, INFLATED_MB, SPAN, ZIP_RATIO, limit, over
from recover.model import CellRead, row_line
from recover.read.values import SPACE



def _cell_text(text: str) -> str:
    """Text of a table cell on one line: wrapped labels joined, tabs and pipes removed."""
    return SPACE.sub(" ", text.replace("\n", "")).strip().replace("\t", " ").replace("|", " ")


@dataclass
class StructuredText:
    """A DOCX or HTML document's lines, and the cells of each line that stands for a table row (``rows``)."""

    lines: list[str] = field(default_factory=list)
    rows: dict[int, tuple[CellRead, ...]] = field(default_factory=dict)

    def add_row(self, cells: tuple[CellRead, ...]) -> None:
        self.rows[len(self.lines)] = cells
        self.lines.append(row_line(cells))


def docx_lines(path: Path) -> StructuredText:
    """A DOCX file's paragraphs and tables in document order. Its parts are checked against the inflation limit
    before anything is parsed; a package python-docx cannot open (a damaged part it does not need, such as
    ``word/styles.xml`` with a bad checksum) is read from its main part alone; a table cell spanning more grid
    columns than the span limit is read as spanning that many."""
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_inflation(path)
    try:
        doc = docx.Document(str(path))
        body = doc.element.body
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError,
            SyntaxError, NotImplementedError) as exc:  # (lxml's XMLSyntaxError is a SyntaxError: an entity bomb, a
        # damaged part; zipfile's NotImplementedError: a damaged header naming a method or version it lacks)
        body = _main_part(path, exc)
    return _body_lines(body)


ZIP_PART_MB = 1  # parts smaller than this may inflate any number of times (nothing to fear)


def _check_inflation(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:  # (a damaged header naming a version zipfile
        # does not read)
        raise UnreadableInputError(path, f"not a readable DOCX file ({exc})") from exc
    size = sum(i.file_size for i in parts)
    if size > limit(INFLATED_MB) * 2**20:
        raise UnreadableInputError(path, over(INFLATED_MB, f"its parts inflate to {size / 2**20:,.0f} MB"))
    for part in parts:  # (a bomb within the size limit: one part of repeated bytes, inflating a thousandfold)
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > ZIP_PART_MB * 2**20 and ratio > limit(ZIP_RATIO):
            raise UnreadableInputError(path, over(ZIP_RATIO, f"its part {part.filename} inflates {ratio:,.0f} "
                                                             "times"))


def _main_part(path: Path, why: Exception):
    """The body of ``word/document.xml`` read on its own (the package as a whole could not be opened: ``why``)."""
    import zipfile
    import zlib

    from docx.oxml import parse_xml

    try:
        with zipfile.ZipFile(path) as z:
            return parse_xml(z.read("word/document.xml")).body
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, SyntaxError,
            NotImplementedError) as exc:
        raise UnreadableInputError(path, f"not a readable DOCX file ({why}; its document part: {exc})") from exc


def _body_lines(body) -> StructuredText:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for span in body.xpath(".//w:gridSpan"):  # (python-docx lays a row out on its grid: a span is as many cells)
        if span.val is not None and span.val > limit(SPAN):
            span.val = limit(SPAN)
    out = StructuredText()
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.lines.append(Paragraph(child, None).text)
        elif tag == "tbl":
            seen: dict[int, object] = {}  # id -> element: holding the element keeps its id unique
            for r, row in enumerate(Table(child, None).rows):
                cells = []
                for k, cell in enumerate(row.cells):  # python-docx repeats a merged cell at every grid position
                    key = id(cell._tc)
                    cells.append(CellRead(r, k, text="" if key in seen else _cell_text(cell.text)))
                    seen[key] = cell._tc
                out.add_row(tuple(cells))
            out.lines.append("")
    return out


META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Chinese sites declare gb2312 or gbk and print characters only their superset GB18030 has
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "euc-cn": "gb18030",
             "big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252"}


def html_encoding(data: bytes) -> str:
    """The encoding of an HTML page's bytes: a BOM, else the declared charset if the bytes decode under it
    (gb2312/gbk read as their superset GB18030), else the first of UTF-8, GB18030, Big5 that decodes the
    whole page. Never assumed: a wrong declaration is caught by strict decoding."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return enc
    candidates = []
    m = META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        candidates.append(SUPERSETS.get(declared, declared))
    candidates += ["utf-8", "gb18030", "big5hkscs"]
    for enc in candidates:
        try:
            data.decode(enc)
            return enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise ValueError("no known encoding decodes the page")


def html_lines(data: bytes, path: Path) -> StructuredText:
    import lxml.html

    try:
        text = data.decode(html_encoding(data))
        text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses an encoding declaration in a str
        parser = lxml.html.HTMLParser(huge_tree=parser_depth(limit(DEPTH)) > LIBXML2_DEPTH)
        root = lxml.html.document_fromstring(text, parser=parser)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise UnreadableInputError(path, f"not a readable HTML page ({exc})") from exc
    depth, stopped = _depth(root), any(e.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)
    if stopped and parser_depth(limit(DEPTH)) < limit(DEPTH):  # (libxml2 drops the rest of a page nested past its
        # own limit: what the tables are in)
        raise UnreadableInputError(path, f"its elements nest deeper than {depth:,}, the most the HTML parser reads")
    if depth > limit(DEPTH) or stopped:
        raise UnreadableInputError(path, over(DEPTH, f"its elements nest {depth:,}{'+' * stopped} deep"))
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    out = StructuredText()
    body = root.find("body") if root.find("body") is not None else root
    _walk(body, out)
    return out


BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article", "td", "th", "tr"}


LIBXML2_DEPTH, LIBXML2_HUGE_DEPTH = 256, 2048  # nesting libxml2 parses without and with its huge-tree option


def parser_depth(wanted: int) -> int:
    """The nesting the HTML parser reads when ``wanted`` is asked for."""
    return LIBXML2_DEPTH if wanted <= LIBXML2_DEPTH else LIBXML2_HUGE_DEPTH


def _depth(root) -> int:
    """How deep the elements under ``root`` nest (``root`` alone: 1)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in el)
    return deepest


def _walk(root, out: StructuredText) -> None:
    """Document order: tables as grid rows, other blocks as lines (a loop, not recursion: pages nest deep)."""
    lines = out.lines
    stack = [(root, True)]
    while stack:
        el, entering = stack.pop()
        if entering and el.tag == "table":
            for cells in _table_rows(el):
                out.add_row(cells)
            lines.append("")
        elif entering:
            if el.text and el.text.strip():
                _append(lines, el.text, el.tag in BLOCKS)
            stack.append((el, False))
            stack.extend((child, True) for child in reversed(el) if isinstance(child.tag, str))
            continue
        elif el.tag in BLOCKS:  # leaving a block
            lines.append("")
        if el is not root and el.tail and el.tail.strip():
            _append(lines, el.tail, False)


def _append(lines: list[str], text: str, new_line: bool) -> None:
    text = SPACE.sub(" ", text).strip()
    if not lines or new_line or lines[-1] == "":
        lines.append(text)
    else:
        lines[-1] += text


def _table_rows(table) -> list[tuple[CellRead, ...]]:
    """Rows of an HTML table on a grid: rowspan/colspan cells give their text once, in their first position."""
    grid: dict[tuple[int, int], CellRead] = {}
    taken: set[tuple[int, int]] = set()
    rows = [tr for tr in table.iter("tr") if tr.getparent() is not None and _owner(tr) is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rs, cs = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            grid[r, c] = CellRead(r, c, text=_cell_text(cell.text_content()), row_span=rs, col_span=cs)
            c += cs
    width = max((c for _, c in taken), default=-1) + 1
    return [tuple(grid.get((r, c)) or CellRead(r, c) for c in range(width)) for r in range(len(rows))]


def _owner(tr):
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _span(v: str | None) -> int:
    try:
        return max(1, min(int(v or 1), limit(SPAN)))
    except ValueError:
        return 1
