"""Turn a row's value tokens and its placements into evidence ``Unit``s over canonical cells."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from recover.model import CellKey, Channel, Hypothesis, Reading, Token, Unit
from recover.ocr.engine import SURE_CONF
from recover.read.values import NUMBER, ascii_figure, best_reading, is_none_symbol, readings
from recover.reconstruct.placement import Placement, place

RELIABLE_OVERRIDE = 10.0  # giving up a clean digit printed in a text layer
OCR_OVERRIDE = 3.0  # giving up a digit read by OCR
GARBAGE_OVERRIDE = 1.0  # giving up a token that is not a clean number
FIRM_BLANK_OVERRIDE = 3.0  # giving up a blank seen at its grid position in a text layer (``blank_unit``)
DOUBTFUL_CONF = 0.5  # an OCR reading below this confidence (0–1) is given up as cheaply as garbage: a blurred 31
# read 3 at confidence 0.0 would otherwise stand (OCR_OVERRIDE 3.0 is above the ambiguity margin) where the
# arithmetic cannot see the lost digit
SURE_EXTRA = 1.0  # added to the misreadings of a scanned cell the engine read with confidence >= SURE_CONF: on the
# 150 dpi scan corpus (seeds 0 and 10 + the 3 real PDFs, 1 686 figures of tables 三/四) such readings were wrong
# 0.2 % of the time, those between 0.5 and 0.9 1 %, those below 0.5 31 %; a confusion or a lost digit then costs
# 2.5-3.5 (the "any value" override stays 3.0), so a sure cell is no longer as cheap to change as a doubtful one
SECOND_READING = 1.0  # taking a second OCR reading of the cell that disagreed with the first: below every
# confusion (1.5+) and override, above the ambiguity margin's half, so when both readings satisfy the rules the
# cell is flagged ambiguous, and when only one does it is chosen


def _override(tok: Token | None) -> float:
    if tok is None or tok.is_blank:
        return GARBAGE_OVERRIDE
    return _override_of(tok.text, tok.channel, tok.conf is not None and tok.conf < DOUBTFUL_CONF)


@lru_cache(maxsize=8192)
def _override_of(text: str, channel: Channel, doubtful: bool) -> float:
    if not NUMBER.match(ascii_figure(text)):  # a none-symbol (一 - — / 无) typed in a text layer is meant: as firm
        # as a blank seen there (``blank_unit``); read by OCR, or anything else, it is garbage
        return FIRM_BLANK_OVERRIDE if channel is Channel.text and is_none_symbol(text) else GARBAGE_OVERRIDE
    if doubtful:
        return GARBAGE_OVERRIDE  # a figure the engine was unsure of is no firmer than a garbled one
    return RELIABLE_OVERRIDE if channel is Channel.text else OCR_OVERRIDE


def _sure(tok: Token) -> bool:
    """A scanned figure read with high confidence and no disagreeing second reading."""
    return (tok.channel is Channel.ocr and tok.conf is not None and tok.conf >= SURE_CONF
            and all(a == tok.text for a in tok.alternatives))


@lru_cache(maxsize=8192)
def _cell_readings(text: str, channel: Channel, kind: str, alternatives: tuple[str, ...],
                   sure: bool) -> tuple[Reading, ...]:
    """The readings of a cell's text (and of its second OCR readings), one per value, cheapest first."""
    rs = readings(text, channel, kind)
    seen = {r.value: r.cost for r in rs}
    for alt in alternatives:  # another reading of the same cell: its own readings, each a little dearer
        for r in readings(alt, channel, kind):
            cost = r.cost + SECOND_READING
            if cost < seen.get(r.value, float("inf")):
                seen[r.value] = cost
                rs.append(Reading(r.value, cost, f"second OCR reading '{alt}'" + (f" ({r.why})" if r.cost else "")))
    rs = sorted({r.value: r for r in sorted(rs, key=lambda r: -r.cost)}.values(), key=lambda r: r.cost)
    if sure:
        rs = [Reading(r.value, r.cost + SURE_EXTRA, f"{r.why}, against a confident reading")
              if r.cost and not r.notation else r for r in rs]
    return tuple(rs)


def cell_unit(key: CellKey, tok: Token, kind: str = "int") -> Unit:
    """A unit for one cell holding one printed token: its readings are the hypotheses."""
    rs = _cell_readings(tok.text, tok.channel, kind, tok.alternatives, _sure(tok))
    observed: dict[CellKey, str | None] = {key: tok.text}
    none: frozenset[CellKey] = frozenset()
    hyps = [Hypothesis({key: r.value}, observed, r.cost, r.why, none, r.notation) for r in rs]
    if not hyps:
        hyps = [Hypothesis({key: None}, observed, 0.0, f"nothing usable read in '{tok.text}'")]
    override = _override(tok)
    return Unit((key,), (tok,), hyps, reliable=override == RELIABLE_OVERRIDE, override_cost=override)


def blank_unit(key: CellKey, tok: Token, blanks_mean_zero: bool) -> Unit:
    """A unit for a cell printed blank: 0 where the table leaves cells blank for none, else unread.

    A blank of a text layer, DOCX or HTML table at its grid position is seen for certain (no glyph was lost), so
    in a table whose blanks mean none it is as firm as a printed figure read by OCR (``FIRM_BLANK_OVERRIDE``,
    above the ambiguity margin): an all-blank group of table 四 is five zeros, not five cells any two of which
    could be equal non-zero figures. A scanned blank stays soft (``BLANK_OVERRIDE``: faint ink may be lost)."""
    if blanks_mean_zero and tok.channel is Channel.text:
        h = Hypothesis({key: 0}, {key: ""}, 0.0, "blank cell (reported as none)")
        return Unit((key,), (tok,), [h], reliable=False, override_cost=FIRM_BLANK_OVERRIDE)
    if blanks_mean_zero:
        h = Hypothesis({key: 0}, {key: ""}, 0.0, "blank cell (reported as none)", frozenset({key}))
    else:
        h = Hypothesis({key: None}, {key: ""}, 0.0, "blank cell in a table that prints every figure")
    return Unit((key,), (tok,), [h], reliable=False, override_cost=GARBAGE_OVERRIDE)


def row_units(keys: Sequence[CellKey], tokens: Sequence[Token], positions: Sequence[int | None] | None,
              blanks_mean_zero: bool, glued: bool, kinds: Sequence[str] | None = None,
              consistent: Callable[[list[int | None]], bool] | None = None) -> list[Unit]:
    """Units for one printed row: one per cell when placement is certain, else one joint unit."""
    n = len(keys)
    kinds = list(kinds or ["int"] * n)
    table_blanks_zero = blanks_mean_zero
    if any(t.channel is Channel.ocr for t in tokens):
        blanks_mean_zero = False  # OCR drops faint glyphs: a blank it returns is no evidence of 0 ...

    def zero(t: Token) -> bool:  # ... unless the scanned cell was seen to hold no ink at all
        return table_blanks_zero and (t.channel is not Channel.ocr or t.seen_empty)
    filled = [t for t in tokens if not t.is_blank]
    pos = None
    if positions is not None:
        pos = [p for t, p in zip(tokens, positions) if not t.is_blank]
    # a printed blank at a known position is a cell of its own: keep blanks when the grid is known
    if positions is not None and len(tokens) == n and all(p is not None for p in positions):
        return [cell_unit(k, t, kd) if not t.is_blank else blank_unit(k, t, zero(t))
                for k, t, kd in zip(keys, tokens, kinds)]
    whole = [t.channel is Channel.ocr and t.col is not None for t in filled]  # a scanned grid cell: one number
    placements = place([t.text for t in filled], n, pos, glued, consistent, whole, [_override(t) for t in filled])
    if len(placements) == 1 and all(s.kind == "token" for s in placements[0].slots):
        return [cell_unit(k, filled[s.token], kd) for k, s, kd in zip(keys, placements[0].slots, kinds)]
    # each placement's cost, values (in the keys' order) and blank cells; only the distinct ones become hypotheses
    # (a sparse row's lone figure placed in each of its cells gives the same zeros every time)
    read: list[tuple[float, list[object], set[CellKey]]] = []
    for pl in placements:
        vals: list[object] = []
        soft = set()
        cost = pl.cost
        for k, s, kd in zip(keys, pl.slots, kinds):
            if s.kind == "gap":
                vals.append(0 if blanks_mean_zero else None)
                if blanks_mean_zero:
                    soft.add(k)
            elif s.kind == "part":
                vals.append(s.value)
            else:
                tok = filled[s.token]
                r = best_reading(tok.text, tok.channel, kd)
                vals.append(r.value if r else None)
                cost += r.cost if r else 0.0
        read.append((cost, vals, soft))
    blank = "" if blanks_mean_zero else None  # what a gap shows: a blank meaning 0, or nothing read
    hyps = [_hypothesis(keys, filled, placements[i], read[i][0], read[i][1], pooled, blank)
            for i, pooled in _distinct(read)]
    if not hyps:  # the printed figures fit no placement (a glued row that lost figures): nothing is read
        hyps = [Hypothesis(dict.fromkeys(keys), dict.fromkeys(keys), 0.0,
                           f"{len(filled)} printed figures fit none of the {n} cells' placements")]
    override = max((_override(t) for t in filled), default=GARBAGE_OVERRIDE)
    return [Unit(tuple(keys), tuple(filled), hyps, reliable=override == RELIABLE_OVERRIDE, override_cost=override)]


def _distinct(read: list[tuple[float, list[object], set[CellKey]]]) -> list[tuple[int, set[CellKey]]]:
    """The placements that give the cells distinct values (index into ``read``, cheapest first) and their blank
    cells. Placements that give every cell the same value differ only in which printed token a value came from,
    which the arithmetic cannot tell apart: the cheapest stands for them, and equally cheap ones pool their blank
    cells (a cell blank in one equally good reading is only as firm as a blank). ``read``: per placement its cost,
    its values in the row's cell order and its blank cells."""
    seen: dict[tuple, int] = {}  # values -> position in out
    out: list[tuple[int, set[CellKey]]] = []
    for i in sorted(range(len(read)), key=lambda i: read[i][0]):
        cost, vals, soft = read[i]
        sig = tuple([(v.__class__, v) for v in vals])  # (the class: 1 and 1.0 are not the same reading)
        at = seen.get(sig)
        if at is None:
            seen[sig] = len(out)
            out.append((i, soft))
        elif abs(read[out[at][0]][0] - cost) < 1e-9 and not soft <= out[at][1]:
            out[at] = (out[at][0], out[at][1] | soft)
    return out


def _hypothesis(keys: Sequence[CellKey], filled: list[Token], pl: Placement, cost: float, vals: list[object],
                soft: set[CellKey], blank: str | None) -> Hypothesis:
    """The hypothesis of one placement of a row's printed tokens: each cell's value and what it shows (``blank``
    where the placement leaves a gap)."""
    observed: dict[CellKey, str | None] = {}
    for k, s in zip(keys, pl.slots):
        if s.kind == "gap":
            observed[k] = blank
        elif s.kind == "part":
            observed[k] = f"{s.value} (cut from '{filled[s.token].text}')"
        else:
            observed[k] = filled[s.token].text
    return Hypothesis(dict(zip(keys, vals)), observed, cost, pl.why, frozenset(soft))  # type: ignore[arg-type]
