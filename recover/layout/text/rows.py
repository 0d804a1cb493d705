"""Split a table section of a text report into rows of label text and value tokens.

Two shapes of text are handled:

* line mode: tables whose cells are known on each line: a table grid's row (a scan's, a PDF's ruled table's, a
  DOCX or HTML table's: its cells as read, each token keeping its cell's record) or a line whose cells are
  separated (tabs, markdown pipes); a line is a row, blank cells keep their position, and a line without values
  (a header, a group label, a label continued after a page break) carries no row of its own;
* stream mode: one cell per line, or a whole table glued onto one line (web text); a row is a run of
  label text followed by a run of values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from recover.match.normalise import BOOKMARK
from recover.model import CellRead, Channel, Token
from recover.read.values import HAN, ascii_figure, is_value_text

PAGE_NUMBER = re.compile(r"^\s*(?:[—\-–－~～]+\s*\d{1,3}\s*[—\-–－~～]+|"  # (~: OCR's reading of a dash, -~3-)
                         r"第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|"
                         r"\d{1,3}\s*/\s*\d{1,3}|Page\s*\d+)\s*$", re.IGNORECASE)
DIGIT = re.compile(r"\d")
WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # Han or Latin letters: text that makes a label
SEPARATOR_ROW = re.compile(r"^[\s|:\-]*$")
# A number run inside a label cell: values glued to labels ("行政许可 92", "规章000", "数量801000081二、").
# A minus glued after a figure (14-1) or after a space (145 -5 4004) signs the figure after it.
# A single digit followed by 、/. and Han text is a sub-row number ("2.没有现成…"), part of the label.
PIECE = re.compile(r"(\d+(?:\.\d+)?(?:\s*(?:万元|元))?)(?=\d[.、．]\s*[\u4e00-\u9fff“\"])|"
                   r"(\d[.、．]\s*(?=[\u4e00-\u9fff“\"]))|"
                   r"((?:(?<=[\d\s])[-−]|^[-−])?\d+(?:\.\d+)?(?:\s*(?:万元|元))?)")
# A figure stated in prose: a count with its measure word, then punctuation ("被申请行政复议51件，", "现行有效104件。").
# Table cells print bare figures, so a line of text holding one is narrative between a heading and its table
# (class 1 of issue-style failures: the narrative row taken for the table's own), never a row of cells.
NARRATIVE_FIGURE = re.compile(r"\d\s*(?:件|条|篇|次|个|份|人次|家)\s*[，,。；;、：:）)]")
MIN_BLANK_ROW = 3  # blank cells after its label that make a line a row of blanks (a header line prints its labels)
SENTENCE_END = re.compile(r"[。；;]")


def narrative_end(line: str, following: str = "") -> int:
    """Where the prose at the start of an unseparated line ends: 0 when the line states no figure in prose;
    else the end of the sentence holding its last prose figure (the whole line when what follows holds no
    figure). A glued web-text line keeps the table printed after the narrative's full stop. ``following``: the
    next line, whose start completes a figure the line ends with ("…被申请行政复议0" + "件，被提起…")."""
    joined = line + following.lstrip()[:3]
    found = [m for m in NARRATIVE_FIGURE.finditer(joined) if m.start() < len(line)]
    if not found:
        return 0
    end = min(found[-1].end(), len(line))
    stop = SENTENCE_END.search(line, end)
    rest = line[end:stop.end() if stop else len(line)]
    if not DIGIT.search(rest):
        end += len(rest)
    return end


@dataclass(slots=True, init=False)
class Piece:
    kind: str  # label | value | blank
    token: Token

    def __init__(self, kind: str, token: Token) -> None:  # (compiled: see recover.model)
        self.kind = kind
        self.token = token


@dataclass(init=False)
class TextRow:
    """Label text and the value tokens that follow it (blanks included in line mode)."""

    label: str
    labels: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)
    line_mode: bool = False
    width: int | None = None  # number of cells of the source line, in line mode
    context: str = ""  # label-only lines (headers, group labels) printed just before this row
    stream_blanks: bool = False  # stream mode: printed blank cells are among the values, in their places
    tabbed: bool = False  # line mode: the source line's cells were separated by tabs (not pipes or commas)

    def __init__(self, label: str, labels: list[Token] | None = None, values: list[Token] | None = None,
                 line_mode: bool = False, width: int | None = None, context: str = "", stream_blanks: bool = False,
                 tabbed: bool = False) -> None:  # (compiled: see recover.model)
        self.label = label
        self.labels = [] if labels is None else labels
        self.values = [] if values is None else values
        self.line_mode = line_mode
        self.width = width
        self.context = context
        self.stream_blanks = stream_blanks
        self.tabbed = tabbed

    @property
    def filled(self) -> list[Token]:
        return [t for t in self.values if not t.is_blank]


def split_cells(line: str) -> list[str] | None:
    """Cells of a separated line (pipes or tabs), or None for an unseparated line."""
    s = line.strip()
    if "|" in s:
        if SEPARATOR_ROW.match(s):
            return []
        s = s.strip("|")
        return [c.strip() for c in s.split("|")]
    if "\t" in line:
        return [c.strip() for c in line.rstrip("\n").split("\t")]
    if line.count(",") >= 3 and re.search(r"\d\s*,|,\s*\d", line) and not re.search(r"\d,\d{3}\b", line):
        return [c.strip() for c in line.split(",")]  # CSV export (not thousands separators)
    return None


def pieces_of_cell(text: str, line: int, col: int | None, channel: Channel, offset: int | None = None,
                   cell: CellRead | None = None) -> list[Piece]:
    """Label, value and blank pieces of one cell's text; ``offset``: where the cell starts in its line (value
    tokens then know where they start, for their boxes); ``cell``: the grid cell the text was read from, which
    every piece's token keeps."""
    s = text.strip()
    if s.isdigit() and s.isascii():  # the common cells: a plain figure, a blank
        start = None if offset is None else offset + len(text) - len(text.lstrip())
        return [Piece("value", Token(s, line, col, start, channel, cell))]
    if not s:
        return [Piece("blank", Token("", line, col, channel=channel, cell=cell))]
    if BOOKMARK.search(text):
        text, offset = BOOKMARK.sub("", text), None
    if offset is not None:
        offset += len(text) - len(text.lstrip())
    text = text.strip()
    if not text:
        return [Piece("blank", Token("", line, col, channel=channel, cell=cell))]
    if is_value_text(text):
        return [Piece("value", Token(text, line, col, offset, channel, cell))]
    if not DIGIT.search(text):  # no figure to cut out (PIECE needs a digit): a label, or noise (■ ##, [·], \Box)
        return [Piece("label", Token(text, line, col, channel=channel, cell=cell))] if HAN.search(text) else []
    out: list[Piece] = []
    pos = 0
    label_buf = ""
    for m in PIECE.finditer(text):
        if m.group(2):  # sub-row number: part of the label
            continue
        num = m.group(1) or m.group(3)
        before = text[pos:m.start()]
        if not WORD.search(before):
            before = " " if before else ""  # spaces or punctuation between two numbers separate them
        label_buf += before
        # digits inside a label (第1项, 2023年) are not values: require Han text not to continue it
        after = text[m.end():m.end() + 1]
        if after and after in "年月日号项条款%％":
            label_buf += text[m.start():m.end()]
            pos = m.end()
            continue
        if label_buf.strip():
            out.append(Piece("label", Token(label_buf.strip(), line, col, channel=channel, cell=cell)))
        label_buf = ""
        start = None if offset is None else offset + m.start() + (len(num) - len(num.lstrip()))
        out.append(Piece("value", Token(num.strip(), line, col, start, channel, cell)))
        pos = m.end()
    label_buf += text[pos:]
    if label_buf.strip() and HAN.search(label_buf):
        out.append(Piece("label", Token(label_buf.strip(), line, col, channel=channel, cell=cell)))
    return out


def _cell_starts(line: str, cells: list[str]) -> list[int] | None:
    """Where each (stripped) cell of a tab-separated line starts in the line; None for other separators."""
    if "\t" not in line or "|" in line:
        return None
    out, pos = [], 0
    for cell in line.rstrip("\n").split("\t"):
        out.append(pos + len(cell) - len(cell.lstrip()))
        pos += len(cell) + 1
    return out if len(out) == len(cells) else None


def section_lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(line number, text) of the lines overlapping [start, end); the last line keeps its trailing blank cells
    (a row whose last figures are blank still has its tabs, hence its width)."""
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    if not text[end:stop].strip():
        end = stop
    first = text.count("\n", 0, start)
    chunk = text[start:end]
    return [(first + i, ln) for i, ln in enumerate(chunk.split("\n"))]


def _without_narrative(line: str, following: str) -> str:
    """An unseparated line with its leading prose blanked out (same length, so offsets hold)."""
    if "\t" in line or "|" in line:
        return line
    cut = narrative_end(line, following)
    return " " * cut + line[cut:] if cut else line


def narrative_lines(text: str, start: int, end: int) -> list[str]:
    """The prose of a table section that ``rows_of_section`` leaves out (for the narrative's figures)."""
    out = []
    lines = [ln for _, ln in section_lines(text, start, end)]
    for k, ln in enumerate(lines):
        following = ascii_figure(lines[k + 1]) if k + 1 < len(lines) else ""
        if "\t" not in ln and "|" not in ln and (cut := narrative_end(ascii_figure(ln), following)):
            out.append(ln[:cut])
    return out


def _footer_lines(lines: list[tuple[int, str]]) -> set[int]:
    """Line numbers of page footers ("- 4 -", "第 3 页"): a line that is one, or two short lines that are one
    together (a text layer breaks "- 4 -" after its first dash)."""
    out: set[int] = set()
    for k, (lno, ln) in enumerate(lines):
        if PAGE_NUMBER.match(ln):
            out.add(lno)
        elif k + 1 < len(lines) and len(ln.strip()) <= 3 and len(lines[k + 1][1].strip()) <= 5 \
                and PAGE_NUMBER.match(ln.strip() + " " + lines[k + 1][1].strip()):
            out |= {lno, lines[k + 1][0]}
    return out


def is_line_mode(lines: list[tuple[int, str]], split: list[list[str] | None]) -> bool:
    """Most value-bearing lines hold several separated cells (``split``: each line's ``split_cells``)."""
    multi = sum(1 for cells in split if cells is not None and len(cells) >= 3)
    with_digits = sum(1 for _, ln in lines if DIGIT.search(ln))
    return multi >= 3 and multi >= 0.5 * with_digits


def rows_of_section(text: str, start: int, end: int, channel: Channel | Sequence[Channel],
                    grid_rows: dict[int, tuple[CellRead, ...]] | None = None) -> list[TextRow]:
    """Rows of a table section: each with its label and value tokens, in document order. ``channel`` is
    the document's, or one per line of ``text`` (a PDF whose pages were read partly by OCR). ``grid_rows``: the
    cells of the lines that stand for a table grid's row (``Document.grid_rows``), read as those cells."""
    lines = [(lno, ascii_figure(ln)) for lno, ln in section_lines(text, start, end)]  # full-width figures
    # (１２．５, －３) in ASCII: same length, so offsets hold
    lines = [(lno, _without_narrative(ln, lines[k + 1][1] if k + 1 < len(lines) else ""))
             for k, (lno, ln) in enumerate(lines)]
    grids = grid_rows or {}
    split = [[ascii_figure(c.text).strip() for c in grids[lno]] if lno in grids else split_cells(ln)
             for lno, ln in lines]
    per_line = not isinstance(channel, Channel)
    line_mode = is_line_mode(lines, split)
    rows: list[TextRow] = []
    pending_label: list[Token] = []
    in_values = False  # stream mode: the last line was one of the current row's cells
    footers = _footer_lines(lines)
    for (lno, ln), cells in zip(lines, split):
        if lno in footers:
            continue  # a page footer printed inside a table split over pages
        if cells == []:
            continue
        ch: Channel = channel[lno] if per_line else channel  # type: ignore[index,assignment]
        grid = grids.get(lno)
        tabbed = grid is not None or "\t" in ln and "|" not in ln  # (a grid row's cells are columns, as tabs')
        pieces: list[Piece] = []
        if cells is None:
            pieces = pieces_of_cell(ln, lno, None, ch, 0)
        else:
            starts = None if grid else _cell_starts(ln, cells)
            for ci, c in enumerate(cells):  # (cells come stripped; the common ones, as pieces_of_cell would make them)
                read = grid[ci] if grid else None
                if not c:
                    if line_mode:  # (stream mode has no use for a line's empty cells: leading tabs)
                        pieces.append(Piece("blank", Token("", lno, ci, channel=ch, cell=read)))
                elif c.isdigit() and c.isascii():
                    pieces.append(Piece("value", Token(c, lno, ci, starts[ci] if starts else None, ch, read)))
                else:
                    pieces += pieces_of_cell(c, lno, ci, ch, starts[ci] if starts else None, read)
        if line_mode and cells is not None:
            labels = [p.token for p in pieces if p.kind == "label"]
            last = max((i for i, p in enumerate(pieces) if p.kind == "label"), default=-1)
            values = [p.token for p in pieces[last + 1:]]
            if not any(not t.is_blank for t in values):
                if len(values) >= MIN_BLANK_ROW:  # a row of blank cells (zeros left blank, or figures not read),
                    # labelled or not; the table's builder decides whether its cells are the table's columns
                    rows.append(TextRow(" ".join(t.text for t in labels), list(labels), values, True, len(cells),
                                        " ".join(t.text for t in pending_label), tabbed=tabbed))
                pending_label += labels
                continue
            lab = pending_label + labels if not labels else labels
            rows.append(TextRow(" ".join(t.text for t in lab), list(lab), values, True, len(cells),
                                " ".join(t.text for t in pending_label), tabbed=tabbed))
            pending_label = []
            continue
        if not ln.strip():
            # one cell per line (a web page's table copied): a line holding only a tab or spaces is a printed
            # blank cell, in its place among the row's figures; an empty line ends the row
            if ln and cells is not None and (pending_label or in_values) and not line_mode:
                if pending_label:
                    rows.append(TextRow(" ".join(t.text for t in pending_label), list(pending_label)))
                    pending_label = []
                rows[-1].values.append(Token("", lno, None, channel=ch))
                rows[-1].stream_blanks = True
                in_values = True
            else:
                in_values = False
            continue
        for p in pieces:
            if p.kind == "label":
                pending_label.append(p.token)
                in_values = False
            elif p.kind == "value":
                if pending_label or not rows:
                    rows.append(TextRow(" ".join(t.text for t in pending_label), list(pending_label)))
                    pending_label = []
                rows[-1].values.append(p.token)
                in_values = True
    return _trailing_cells(rows)


def _trailing_cells(rows: list[TextRow]) -> list[TextRow]:
    """A line copied with a trailing tab (Word, seed 002) has one blank cell more than its neighbours: where
    lines one cell narrower are printed too, that blank last cell is dropped, so that the line's cells map
    to the same columns as its neighbours'. Only lines printing a figure (a row of blank cells keeps its shape),
    and only tab-separated lines: a pipe table's last blank cell is a cell of the table (an OCR markdown row
    whose 总计 was not read)."""
    widths = {r.width for r in rows if r.line_mode}
    for r in rows:
        if (r.line_mode and r.tabbed and r.width is not None and r.width - 1 in widths and r.filled
                and r.values[-1].is_blank and r.values[-1].col == r.width - 1):
            r.values.pop()
            r.width -= 1
    return rows
