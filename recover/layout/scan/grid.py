"""Table grids of a page image: from rule masks to each table's rows, columns and (spanning) cells.

``find_grids`` takes the horizontal and vertical rule masks of ``recover.layout.scan.lines.rules`` and returns one
``Grid`` per ruled table on the page. Rule segments are the connected components of the masks; a segment
counts only where it meets a segment of the other direction (a joint), which drops rule-like text runs.
Segments that meet form one table. Their positions, clustered, give the row and column boundaries; a rule
that is missing between two neighbouring grid positions merges them into one cell, so merged headers and
the vertical group label 三、本年度办理结果 come out as single cells with row/column spans.

``recover.layout.scan.page.analyse_page`` chains the whole stage (binarise, skew, deskew, glyph height, rules, grids)
for one page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from recover.layout.scan.lines import ink_window

__all__ = ["Grid", "GridCell", "Segment", "find_grids", "segments"]


@dataclass(frozen=True)
class GridCell:
    """One cell: its top-left grid position, its spans, and its box in page pixels: x0, y0, x1, y1 are the
    centre lines of its left, top, right and bottom rules (the box includes half of each rule)."""

    row: int
    col: int
    row_span: int
    col_span: int
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= x <= x1 and y0 <= y <= y1


@dataclass(frozen=True)
class Grid:
    """One table: ``rows`` are the y of its R+1 row boundaries, ``cols`` the x of its C+1 column boundaries."""

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    bbox: tuple[int, int, int, int]
    cells: list[GridCell]

    @property
    def n_rows(self) -> int:
        return len(self.rows) - 1

    @property
    def n_cols(self) -> int:
        return len(self.cols) - 1

    def cell_at(self, row: int, col: int) -> GridCell:
        """The cell covering grid position (row, col)."""
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        raise IndexError((row, col))

    def cell_containing(self, x: float, y: float) -> GridCell | None:
        for c in self.cells:
            if c.contains(x, y):
                return c
        return None

    @property
    def spanning(self) -> list[GridCell]:
        return [c for c in self.cells if c.row_span > 1 or c.col_span > 1]


@dataclass(frozen=True)
class Segment:
    """A rule segment: ``pos`` is its centre line (y of a horizontal rule, x of a vertical one), ``lo``–``hi``
    its extent along the line, ``label`` its component id in the mask."""

    pos: float
    lo: int
    hi: int
    thickness: float
    label: int


def segments(mask: np.ndarray, horizontal: bool) -> tuple[list[Segment], np.ndarray]:
    """Rule segments of a rule mask (its 8-connected components) and the component label image."""
    labels = np.zeros(mask.shape, np.int32)
    x0, y0, w0, h0 = ink_window(mask)
    if not w0 or not h0:
        return [], labels
    n, window, stats, centroids = cv2.connectedComponentsWithStats(
        (mask[y0:y0 + h0, x0:x0 + w0] > 0).astype(np.uint8), connectivity=8)
    labels[y0:y0 + h0, x0:x0 + w0] = window
    centroids = centroids + (x0, y0)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        x, y = x + x0, y + y0
        if horizontal:
            out.append(Segment(float(centroids[i][1]), x, x + w - 1, area / max(w, 1), i))
        else:
            out.append(Segment(float(centroids[i][0]), y, y + h - 1, area / max(h, 1), i))
    return out, labels


def _touches(hs: list[Segment], vs: list[Segment], tol: float) -> np.ndarray:
    """touch[i, j]: horizontal segment i meets vertical segment j within ``tol`` pixels."""
    if not hs or not vs:
        return np.zeros((len(hs), len(vs)), dtype=bool)
    hp, hlo, hhi = (np.array([getattr(s, a) for s in hs], dtype=float)[:, None] for a in ("pos", "lo", "hi"))
    vp, vlo, vhi = (np.array([getattr(s, a) for s in vs], dtype=float)[None, :] for a in ("pos", "lo", "hi"))
    return (vlo - tol <= hp) & (hp <= vhi + tol) & (hlo - tol <= vp) & (vp <= hhi + tol)


def _cluster(segs: list[Segment], tol: float) -> list[int]:
    """Positions of segments closer than ``tol`` merged into one line (length-weighted mean)."""
    segs = sorted(segs, key=lambda s: s.pos)
    groups: list[list[Segment]] = [[segs[0]]]
    for s in segs[1:]:
        if s.pos - groups[-1][-1].pos <= tol:
            groups[-1].append(s)
        else:
            groups.append([s])
    out = []
    for g in groups:
        w = np.array([s.hi - s.lo + 1 for s in g], dtype=float)
        out.append(int(round(float(np.dot([s.pos for s in g], w) / w.sum()))))
    return out


def _with_frame(lines: list[int], lo: int, hi: int, tol: float) -> list[int]:
    """Add the table's extent as an outer boundary where the perpendicular rules run past the first or last
    line by more than ``tol`` (a table drawn without outer side lines)."""
    return ([lo] if lo < lines[0] - tol else []) + lines + ([hi] if hi > lines[-1] + tol else [])


def _coverage(hm: np.ndarray, vm: np.ndarray, ys: list[int], xs: list[int], band: int) -> tuple[np.ndarray, np.ndarray]:
    """h_cov[r, c]: share of row boundary r over column c that is rule ink within ±``band`` pixels (which
    absorbs line thickness and residual skew); v_cov[r, c]: the same along column boundary c over row r.
    The table's outer boundaries count as fully ruled."""
    n_r, n_c = len(ys) - 1, len(xs) - 1
    h_cov = np.ones((n_r + 1, n_c))
    v_cov = np.ones((n_r, n_c + 1))
    for r in range(1, n_r):
        strip = hm[max(ys[r] - band, 0):ys[r] + band + 1].any(axis=0)
        for c in range(n_c):
            seg = strip[xs[c] + band:xs[c + 1] - band + 1]
            h_cov[r, c] = seg.mean() if seg.size else 0.0
    for c in range(1, n_c):
        strip = vm[:, max(xs[c] - band, 0):xs[c] + band + 1].any(axis=1)
        for r in range(n_r):
            seg = strip[ys[r] + band:ys[r + 1] - band + 1]
            v_cov[r, c] = seg.mean() if seg.size else 0.0
    return h_cov, v_cov


def _groups(n_pos: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """Union-find labels of grid positions joined by the given (missing-rule) edges."""
    parent = list(range(n_pos))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n_pos)])


def _excess(lab: np.ndarray) -> tuple[int, np.ndarray]:
    """Grid positions that the groups' bounding rectangles hold beyond the groups (0 when all are cells),
    and the labels of the non-rectangular groups."""
    total, bad = 0, []
    for root in np.unique(lab):
        rr, cc = np.nonzero(lab == root)
        extra = (rr.max() - rr.min() + 1) * (cc.max() - cc.min() + 1) - rr.size
        if extra:
            total += int(extra)
            bad.append(root)
    return total, np.array(bad)


def _cells(ys: list[int], xs: list[int], h_cov: np.ndarray, v_cov: np.ndarray, min_cover: float) -> list[GridCell]:
    """Grid positions not separated by a rule (coverage below ``min_cover``) merge into one cell.

    A merged cell is a rectangle; a missing rule that makes a non-rectangular region is a detection failure
    (a rule lost over one column), so such rules are restored one at a time, each time the one whose
    restoration leaves the regions most nearly rectangular (ties: the one with the most ink). A region still
    not rectangular after that is closed to its bounding rectangle.
    """
    n_r, n_c = len(ys) - 1, len(xs) - 1
    missing: list[tuple[float, int, int]] = []
    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and v_cov[r, c + 1] < min_cover:
                missing.append((float(v_cov[r, c + 1]), r * n_c + c, r * n_c + c + 1))
            if r + 1 < n_r and h_cov[r + 1, c] < min_cover:
                missing.append((float(h_cov[r + 1, c]), r * n_c + c, (r + 1) * n_c + c))

    def labels_without(skip: set[int]) -> np.ndarray:
        return _groups(n_r * n_c, [(a, b) for i, (_, a, b) in enumerate(missing) if i not in skip]).reshape(n_r, n_c)

    restored: set[int] = set()
    lab = labels_without(restored)
    excess, bad = _excess(lab)
    while excess:
        flat = lab.ravel()
        trials = [(_excess(labels_without(restored | {i}))[0], -cov, i)
                  for i, (cov, a, _) in enumerate(missing) if i not in restored and flat[a] in bad]
        if not trials or min(trials)[0] >= excess:
            break
        restored.add(min(trials)[2])
        lab = labels_without(restored)
        excess, bad = _excess(lab)
    while excess:  # close what is left to bounding rectangles
        joins = []
        for root in bad:
            rr, cc = np.nonzero(lab == root)
            box = lab[rr.min():rr.max() + 1, cc.min():cc.max() + 1]
            joins += [(int(root), int(o)) for o in np.unique(box) if o != root]
        lab = _groups(n_r * n_c, joins + [(int(a), int(b)) for a, b in zip(np.arange(lab.size), lab.ravel())])
        lab = lab.reshape(n_r, n_c)
        excess, bad = _excess(lab)
    cells = []
    for root in np.unique(lab):
        rr, cc = np.nonzero(lab == root)
        r0, r1, c0, c1 = int(rr.min()), int(rr.max()) + 1, int(cc.min()), int(cc.max()) + 1
        cells.append(GridCell(r0, c0, r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1])))
    return sorted(cells, key=lambda c: (c.row, c.col))


def _inside(segs: list[Segment], across: list[Segment], tol: float) -> list[Segment]:
    """``segs`` less the stubs outside the table: a segment lying wholly beyond the outermost perpendicular
    rule (above the top rule, below the bottom one; left or right of the side rules for horizontal segments)
    that does not continue a segment inside the table (same position within ``tol``, ends within ``tol`` of
    each other). Such a stub is a stroke
    of a text line printed against the table (the long downstroke of 事 or 到 in a larger narrative font
    just above the top rule): kept, it would add a row above the table and columns through its header. The
    outermost rules are the outermost of the long perpendicular segments (at least half the longest: a table's
    frame runs its whole width), not strokes of that text line that met the stubs."""
    longest = max(s.hi - s.lo for s in across)
    frame = [s.pos for s in across if s.hi - s.lo >= 0.5 * longest]
    lo, hi = min(frame), max(frame)
    inner = [s for s in segs if s.hi > lo + tol and s.lo < hi - tol]
    return [s for s in segs if s.hi > lo + tol and s.lo < hi - tol
            or any(abs(s.pos - t.pos) <= tol and s.lo <= t.hi + tol and t.lo <= s.hi + tol for t in inner)]


def find_grids(h_mask: np.ndarray, v_mask: np.ndarray, *, glyph_h: float | None = None,
               merge_factor: float = 0.5, touch_factor: float = 0.3, min_cover: float = 0.5,
               min_cells: int = 2, min_row_factor: float = 1.2, min_stroke_rows: int = 3) -> list[Grid]:
    """Cell grids of the ruled tables in a page's rule masks, top to bottom.

    glyph_h: the page's glyph height (``glyph_height``), the unit of the tolerances below; default four
        times the median rule thickness.
    merge_factor: rule segments closer than this many units (perpendicular to them) are one line; a table row
        is always taller than a glyph, so half a glyph height never merges two rows.
    touch_factor: a segment meets a perpendicular one when it ends within this many units (plus the line
        thickness) of it; unmet segments (text runs, underlines) are dropped; met segments form one table.
    min_cover: share of a grid edge that must be ink for the rule to count as present; an absent rule merges
        the two grid positions into one spanning cell.
    min_cells: fewer grid positions than this is a box, not a table.
    min_row_factor: a table row holds a line of text and its padding, so a grid none of whose rows is this many
        units tall is the strokes of a line of large or bold text (a heading), not a table.
    min_stroke_rows: in a grid of more rows than this, a column boundary whose inked edges are all strokes of
        characters (one row alone, or rows inside a tall spanning cell) is no boundary (``_strokes_only``).
    Stubs beyond the outermost rules that continue no rule inside the table are dropped (``_inside``).
    """
    hs, h_lab = segments(h_mask, horizontal=True)
    vs, v_lab = segments(v_mask, horizontal=False)
    if not hs or not vs:
        return []
    thick = float(np.median([s.thickness for s in hs + vs]))
    unit = glyph_h if glyph_h else 4.0 * thick
    tol = merge_factor * unit
    touch_tol = touch_factor * unit + max(s.thickness for s in hs + vs)
    band = max(int(round(tol / 2)), int(np.ceil(thick)))
    while True:  # drop segments that meet nothing, until the rest all meet something
        t = _touches(hs, vs, touch_tol)
        keep_h, keep_v = t.any(axis=1), t.any(axis=0)
        if keep_h.all() and keep_v.all():
            break
        hs = [s for s, k in zip(hs, keep_h) if k]
        vs = [s for s, k in zip(vs, keep_v) if k]
    if not hs or not vs:
        return []
    nh = len(hs)
    comp = _groups(nh + len(vs), [(int(i), nh + int(j)) for i, j in zip(*np.nonzero(t))])
    grids = []
    for g in np.unique(comp):
        ghs = [s for s, k in zip(hs, comp[:nh] == g) if k]
        gvs = [s for s, k in zip(vs, comp[nh:] == g) if k]
        gvs = _inside(gvs, ghs, tol)
        ghs = _inside(ghs, gvs, tol) if gvs else []
        if not ghs or not gvs:
            continue
        met = _touches(ghs, gvs, touch_tol)  # strokes that met only the stubs dropped above
        ghs = [s for s, k in zip(ghs, met.any(axis=1)) if k]
        gvs = [s for s, k in zip(gvs, met.any(axis=0)) if k]
        if not ghs or not gvs:
            continue
        ys = _cluster(ghs, tol)
        xs = _cluster(gvs, tol)
        if len(ys) < 2:
            continue
        xs = _with_frame(xs, min(s.lo for s in ghs), max(s.hi for s in ghs), tol)
        ys = _with_frame(ys, min(s.lo for s in gvs), max(s.hi for s in gvs), tol)
        oy, ox = max(ys[0] - band, 0), max(xs[0] - band, 0)
        window = np.s_[oy:ys[-1] + band + 1, ox:xs[-1] + band + 1]
        h_lut = np.zeros(int(h_lab.max()) + 1, dtype=bool)
        h_lut[[s.label for s in ghs]] = True
        v_lut = np.zeros(int(v_lab.max()) + 1, dtype=bool)
        v_lut[[s.label for s in gvs]] = True
        hm, vm = h_lut[h_lab[window]], v_lut[v_lab[window]]
        column_rules = _rule_like(gvs)
        while True:  # a boundary along which no edge is present is no boundary
            h_cov, v_cov = _coverage(hm, vm, [y - oy for y in ys], [x - ox for x in xs], band)
            dead_r = [r for r in range(1, len(ys) - 1) if not (h_cov[r] >= min_cover).any()]
            dead_c = [c for c in range(1, len(xs) - 1) if not (v_cov[:, c] >= min_cover).any()
                      or (len(ys) > min_stroke_rows and _strokes_only(c, h_cov, v_cov, min_cover,
                                                                         _spans(column_rules, ys, xs[c], band)))]
            if not dead_r and not dead_c:
                break
            ys = [y for r, y in enumerate(ys) if r not in dead_r]
            xs = [x for c, x in enumerate(xs) if c not in dead_c]
        if len(xs) < 2 or (len(ys) - 1) * (len(xs) - 1) < min_cells:
            continue
        if max(b - a for a, b in zip(ys, ys[1:])) < min_row_factor * unit:
            continue  # no row tall enough to hold a line of text: strokes of a heading
        cells = _cells(ys, xs, h_cov, v_cov, min_cover)
        grids.append(Grid(tuple(ys), tuple(xs), (xs[0], ys[0], xs[-1], ys[-1]), cells))
    return sorted(grids, key=lambda gr: (gr.bbox[1], gr.bbox[0]))


def _rule_like(segs: list[Segment], min_thickness: float = 0.6) -> list[Segment]:
    """The segments at least ``min_thickness`` times as thick as the length-weighted median of ``segs`` (a table's
    column rules): a character's stroke is thinner (the upright of a 1 at 200 dpi: 2 px against 5 px rules)."""
    if not segs:
        return []
    lengths = np.array([s.hi - s.lo + 1 for s in segs], dtype=float)
    thick = np.array([s.thickness for s in segs])
    order = np.argsort(thick)
    median = float(thick[order][np.searchsorted(np.cumsum(lengths[order]), lengths.sum() / 2)])
    return [s for s in segs if s.thickness >= min_thickness * median]


def _spans(segs: list[Segment], ys: list[int], x: int, band: int) -> np.ndarray:
    """spans[r]: one of ``segs`` within ``band`` of ``x`` runs from row r's top rule to its bottom rule: a rule meets
    the rules it joins, a character's stroke stops short of them (the closing that bridges a broken rule may join a
    thin stroke to them too: ``segs`` are the rule-like segments, ``_rule_like``)."""
    out = np.zeros(len(ys) - 1, dtype=bool)
    top, bottom = np.array(ys[:-1]), np.array(ys[1:])
    for s in segs:
        if abs(s.pos - x) <= band:
            out |= (top >= s.lo - band) & (bottom <= s.hi + band)
    return out


def _strokes_only(c: int, h_cov: np.ndarray, v_cov: np.ndarray, min_cover: float, spans: np.ndarray) -> bool:
    """Whether every run of rows along column boundary ``c`` where its edge is ink is a character's stroke, not a
    rule: a run of one row between rows (信's vertical stroke in a header cell), or a run of rows no row boundary of
    which is ruled on either side of it (the strokes of 三、本年度办理结果 stacked in a cell spanning twenty rows:
    a rule between columns meets the rules of the rows beside it). A run in the first or last row is kept (table
    四's 行政复议 | 行政诉讼 split, a last row's own rule) when a segment runs the row's whole height (``spans``): the
    upright of a large 1 in a last row of figures (14, 16 at 200 dpi) stops short of the rules above and below it."""
    present = v_cov[:, c] >= min_cover
    n = len(present)
    rows = np.flatnonzero(present)
    if not len(rows):
        return False
    runs = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1)
    for run in runs:
        r0, r1 = int(run[0]), int(run[-1])
        if r0 == r1:
            if (r0 == 0 or r1 == n - 1) and spans[r0]:
                return False
            continue
        crossed = any(h_cov[r, c - 1] >= min_cover or h_cov[r, c] >= min_cover for r in range(r0 + 1, r1 + 1))
        if crossed:
            return False
    return True
