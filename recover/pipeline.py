"""The whole pipeline for one document: ingest → layout → read → match → reconstruct → repair."""

from __future__ import annotations

from dataclasses import dataclass

from recover.catalogue import Catalogue, load_catalogue
from recover.errors import NoTablesError
from recover.ingest import Document, load_document
from recover.layout.text.rows import narrative_lines, rows_of_section
from recover.layout.text.sections import TABLE_ORDER, Section, find_sections
from recover.model import Cell, CellKey, Check, Extraction, Origin, Status, TableResult, Token
from recover.read.narrative import narrative_evidence, title_info
from recover.reconstruct.proactive import build_proactive
from recover.reconstruct.tables import TableBuild, build_applications, build_review
from recover.repair import status
from recover.repair.rules import table_equations
from recover.repair.solve import Equation, Fact, solve
from recover.repair.terms import Tie

BUILDERS = {"proactive": build_proactive, "applications": build_applications, "review_litigation": build_review}


def equations(cat: Catalogue, builds: dict[str, TableBuild]) -> list[Equation]:
    """The arithmetic rules of the catalogue, instantiated for the tables found and their formats."""
    out: list[Equation] = []
    for table in dict.fromkeys(rule.table for rule in cat.rules):  # (in the catalogue's order of rules)
        b = builds.get(table)
        if b is not None and b.found:
            out += table_equations(cat, table, b.format or "2021")
    return out


def extract(path: str, cat: Catalogue | None = None, kind: str | None = None,
            ties: list[Tie] | None = None) -> Extraction:
    """Recover the tables of one report file. Raises RecoverError subclasses for bad input.

    ``kind`` forces how the file is read (see ``recover.ingest.document.KINDS``); by default its suffix decides.
    ``ties``: what the same agency's reports of the neighbouring years say about this one (``recover.collection``),
    weighed in the repair as soft evidence.

    A PDF is read through its text layer first (fast). When that reading lost some cells' columns (a row
    printed fewer figures than cells, or a cell got nothing), its ruled tables are read again through
    Camelot's lattice (their grid keeps blank cells in their columns), and the reading that places more
    figures in known cells goes on to the repair."""
    cat = cat or load_catalogue()
    doc = load_document(path, kind)
    tables = read_tables(doc, path, cat)
    doubt = placement_doubt(tables.builds, tables.sections)
    if doc.kind == "pdf" and not doc.ocr_pages and doubt:  # (OCR'd pages have no words for Camelot to place)
        ruled = load_document(path, kind, ruled_tables=True)
        if ruled.lattice_pages:
            again = read_tables(ruled, path, cat)
            if placement_doubt(again.builds, again.sections) < doubt:
                tables = again
    return repair_tables(tables, path, cat, ties or [])


def _text_box(boxes, start: int, length: int) -> tuple[float, float, float, float] | None:
    """The PDF box around characters [start, start + length) of a text-layer line (None if unknown)."""
    if boxes is None:
        return None
    found = [b for b in boxes[start:start + length] if b is not None]
    if not found:
        return None
    return (min(b[0] for b in found), min(b[1] for b in found), max(b[2] for b in found), max(b[3] for b in found))


def _place(cell: Cell, tok: Token, doc: Document) -> None:
    """The box of the figure a cell was read from, with its coordinate system: its grid cell's box, else (scans)
    the box of the text line it was read in, else (a PDF's text layer) the box of its characters."""
    if tok.cell is not None and tok.cell.box is not None:
        cell.bbox, cell.origin = tok.cell.box, tok.cell.origin
    elif tok.col is None and doc.line_boxes and tok.line in doc.line_boxes:
        cell.bbox, cell.origin = doc.line_boxes[tok.line], Origin.pdf if doc.kind == "pdf" else Origin.pixels
    elif doc.char_boxes and tok.start is not None and not doc.converted_traditional:
        cell.bbox = _text_box(doc.char_boxes[tok.line], tok.start, len(tok.text))
        cell.origin = Origin.pdf if cell.bbox is not None else None


def placement_doubt(builds: dict[str, TableBuild], sections: dict[str, Section] | None = None) -> int:
    """Cells of the printed tables 三/四 whose figure has no known column: in a row unit with several
    placements, or not read at all (every cell of a table whose section ``sections`` holds but no figure was read
    in: zeros left blank that only its grid shows)."""
    n = 0
    for t in ("applications", "review_litigation"):
        b = builds.get(t)
        if b is not None and not b.found and sections is not None and t in sections:
            n += len(b.cells)
        if b is None or not b.found:
            continue
        covered = {c for u in b.units for c in u.cells}
        n += sum(len(u.cells) for u in b.units if len(u.cells) > 1 and len(u.hypotheses) > 1)
        n += sum(1 for c in b.cells if c.key not in covered)
    return n


@dataclass
class TablesRead:
    """A document's tables as read and rebuilt, before the repair."""

    doc: Document
    sections: dict[str, Section]
    builds: dict[str, TableBuild]


def read_tables(doc: Document, path: str, cat: Catalogue) -> TablesRead:
    """Layout → read → match → reconstruct: each table's cells and evidence units."""
    text = doc.text
    sections = find_sections(text)
    builds: dict[str, TableBuild] = {}
    for table in TABLE_ORDER:
        sec = sections.get(table)
        if sec is None:  # not printed: its cells are reported missing
            builds[table] = BUILDERS[table]([], cat, False)
            continue
        rows = rows_of_section(text, sec.start, sec.end, doc.line_channels or doc.channel, doc.grid_rows)
        glued = text.count("\n", sec.start, sec.end) <= 1 and sec.end - sec.start > 40
        builds[table] = BUILDERS[table](rows, cat, glued)
    if builds["review_litigation"].all_blank and not builds["applications"].found:
        # a grid of blank cells is zeros left blank in a report whose table 三 prints figures; in a blank template,
        # or where table 三 was not read, it is not printed
        builds["review_litigation"] = build_review([], cat, False)
    return TablesRead(doc, sections, builds)


def repair_tables(read: TablesRead, path: str, cat: Catalogue, ties: list[Tie] | None = None) -> Extraction:
    """Repair → statuses → checks: the Extraction of one document (``ties``: see ``extract``)."""
    doc, sections, builds = read.doc, read.sections, read.builds
    text = doc.text
    blank = {t for t in sections if not builds[t].found}  # printed, but with no figure in it
    if not any(b.found for b in builds.values()) and not blank:
        raise NoTablesError(path, "no table 二, 三 or 四 was found in the text")
    cells: dict[CellKey, Cell] = {}
    for b in builds.values():
        for c in b.cells:
            cells[c.key] = c
    eqs = equations(cat, builds)
    constrained = [t for t in ("applications", "review_litigation") if t in builds and builds[t].found]
    ckeys = [k for k in cells if k[0] in constrained]
    cunits = [u for t in constrained for u in builds[t].units]
    first = min((s.start for s in sections.values()), default=len(text))
    prose = text[:first] + "".join(  # the narrative before the tables, then each table section's own (its lines
        "\n" + "".join(narrative_lines(text, s.start, s.end)) for s in sections.values())  # joined: wrapped prose)
    facts = [Fact(fid, fcells, value, sentence, also) for fid, fcells, value, sentence, also
             in narrative_evidence(prose, cat) if all(c in cells and builds[c[0]].found for c in fcells + also)]
    ties = [t for t in ties or () if all(c in cells and builds[c[0]].found for c, _ in t.terms)]
    facts += [Fact(t.id, (t.terms[0][0],), t.values[0], t.sentence, source=t.source) for t in ties
              if len(t.terms) == 1 and t.terms[0][1] == 1 and len(t.values) == 1 and t.terms[0][0][0] in constrained]
    sol = solve(ckeys, cunits, eqs, [f for f in facts if f.cells[0][0] in constrained and not f.or_plus])
    status.assign(cells, cunits, sol, eqs)
    if "proactive" in builds:
        said = [f for f in facts if f.cells[0][0] == "proactive"]
        status.choose_unconstrained(cells, builds["proactive"].units, said,
                                    [t for t in ties if t.terms[0][0][0] == "proactive"])
    checks = status.checks(cells, eqs, facts)
    if not sol.proven:
        checks.append(Check("repair_proof", False, "the exact repair or its uniqueness proof did not finish "
                            "(time or search rounds ran out); every cell of that table is flagged"))
    for p, why in doc.unreadable_pages:
        checks.append(Check(f"page_{p}_readable", False, f"page {p} could not be read: {why}"))
    if doc.line_pages:  # paginated input: each cell's page is the page of the token it was read from
        for c in cells.values():
            if c.tokens and c.page is None:
                c.page = doc.line_pages[c.tokens[0].line]
                _place(c, c.tokens[0], doc)
    agency, year = title_info(doc.lines, ocr=doc.kind == "scan" or bool(doc.ocr_pages))
    tables = []
    for t in TABLE_ORDER:
        b = builds.get(t)
        pages = sorted({c.page for c in cells.values() if c.table == t and c.page is not None})
        tables.append(TableResult(t, b.format if b else None, bool(b and b.found) or t in blank, pages,
                                  b.notes if b else []))
    for c in cells.values():
        if c.status is Status.missing and c.reason is None:
            title = cat.tables[c.table].title
            c.reason = (f"table {title} is printed without figures" if c.table in blank
                        else f"row {c.row} of table {title} not found in the document" if builds[c.table].found
                        else f"table {title} not found in the document")
    return Extraction(doc.path, doc.sha256, doc.kind, agency, year, tables, list(cells.values()),
                      checks, units=[u for b in builds.values() for u in b.units],
                      narrative=[(f.id, f.value, f.sentence) for f in facts], ocr_pages=list(doc.ocr_pages),
                      lattice_pages=list(doc.lattice_pages), skipped_pages=list(doc.skipped_pages),
                      lines=() if doc.kind == "scan" or doc.ocr_pages else doc.lines, line_pages=doc.line_pages)
