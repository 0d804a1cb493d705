"""reconstruct: evidence units (cells, hypotheses, reliability, override cost) from a row's tokens."""

from __future__ import annotations

from recover.model import CellRead, Channel, Token
from recover.reconstruct.units import blank_unit, cell_unit, row_units
from recover.repair.terms import AMBIGUITY_MARGIN

T = "applications"
COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]


def keys(row: str) -> list[tuple[str, str, str]]:
    return [(T, row, c) for c in COLS]


def tok(text: str, col: int | None = None, channel: Channel = Channel.text) -> Token:
    return Token(text, 0, col, channel=channel)


def test_clean_text_digit_is_reliable_and_dearer_to_override_than_ocr_or_glyph():
    k = (T, "granted", "total")
    text, ocr, glyph = cell_unit(k, tok("0")), cell_unit(k, tok("0", channel=Channel.ocr)), cell_unit(k, tok("b"))
    assert text.reliable and not ocr.reliable and not glyph.reliable
    assert text.override_cost > ocr.override_cost > 0
    assert text.override_cost > glyph.override_cost > 0
    assert [h.values[k] for h in text.hypotheses] == [0]
    assert len(ocr.hypotheses) > 1
    assert {6, 0} <= {h.values[k] for h in glyph.hypotheses}


def test_unusable_token_leaves_the_cell_unread():
    k = (T, "granted", "total")
    u = cell_unit(k, tok("■"))
    assert [h.values[k] for h in u.hypotheses] == [None]
    assert u.hypotheses[0].observed[k] == "■"


def test_blank_unit_reads_zero_only_where_blanks_mean_none():
    k = (T, "granted", "natural_person")
    scanned = Token("", 0, 3, channel=Channel.ocr)
    zero = blank_unit(k, scanned, blanks_mean_zero=True)
    assert zero.hypotheses[0].values[k] == 0 and k in zero.hypotheses[0].soft  # a blank OCR saw: cheap to change
    printed = blank_unit(k, tok(""), blanks_mean_zero=True)  # a text layer's blank: as firm as an OCR'd figure
    assert printed.hypotheses[0].values[k] == 0 and not printed.hypotheses[0].soft
    assert printed.override_cost > AMBIGUITY_MARGIN / 2  # two blanks changed cost more than the margin
    unread = blank_unit(k, tok(""), blanks_mean_zero=False)
    assert unread.hypotheses[0].values[k] is None and not unread.hypotheses[0].soft


def test_full_row_on_a_known_grid_gives_one_unit_per_cell():
    toks = [tok("", 3)] + [tok("0", c) for c in range(4, 10)]  # seed 001 四、结转下年度: 自然人 blank
    units = row_units(keys("carried_forward"), toks, list(range(7)), blanks_mean_zero=False, glued=False)
    assert [u.cells for u in units] == [(k,) for k in keys("carried_forward")]
    assert units[0].hypotheses[0].values[keys("carried_forward")[0]] is None
    assert all(u.hypotheses[0].values[u.cells[0]] == 0 for u in units[1:])


def test_glued_run_becomes_one_joint_unit_with_the_consistent_cut_first():
    def row_total(vals):
        return None in vals or sum(v for v in vals[:-1] if v is not None) == vals[-1]

    units = row_units(keys("new_received"), [tok("801000081")], None, False, glued=True, consistent=row_total)
    assert len(units) == 1 and units[0].cells == tuple(keys("new_received"))
    best = units[0].hypotheses[0]
    assert [best.values[k] for k in keys("new_received")] == [80, 1, 0, 0, 0, 0, 81]
    assert best.cost == 0
    assert all("cut from '801000081'" in best.observed[k] for k in keys("new_received"))


def test_sparse_row_blanks_are_soft_zeros():
    # seed 004 prints one 0 per row (总计) and leaves the applicant columns blank
    units = row_units(keys("granted"), [tok("0")], None, blanks_mean_zero=True, glued=False)
    assert len(units) == 1
    for h in units[0].hypotheses:
        assert all(v == 0 for v in h.values.values())
    assert len(units[0].hypotheses) == 1  # placements giving the same values are merged
    # the printed 0 may stand in any cell at the same cost: every cell is only as firm as a blank
    assert units[0].hypotheses[0].soft == frozenset(keys("granted"))


def test_positioned_value_keeps_its_cell_firm():
    units = row_units(keys("granted"), [tok("0", 6)], [6], blanks_mean_zero=True, glued=False)
    best = min(units[0].hypotheses, key=lambda h: h.cost)
    assert best.soft == frozenset(keys("granted")[:6])


def test_hypotheses_with_the_same_values_are_merged():
    units = row_units(keys("granted"), [tok("0")] * 6, None, blanks_mean_zero=True, glued=False)
    sigs = [tuple(h.values[k] for k in keys("granted")) for h in units[0].hypotheses]
    assert len(sigs) == len(set(sigs)) == 1


def test_scanned_blank_seen_without_ink_offers_zero_and_an_unseen_one_stays_unread():
    """A scanned grid cell with no ink at all, in a table whose blanks mean none, is a printed blank: 0 (soft, so
    the arithmetic may still override it, flagged); a blank OCR returned for a cell with ink is a lost reading."""
    seen = Token("", 0, 4, channel=Channel.ocr, cell=CellRead(0, 4, empty=True))
    lost = Token("", 0, 5, channel=Channel.ocr)
    toks = [tok("76", 3, Channel.ocr), seen, lost] + [tok(v, 6 + c, Channel.ocr) for c, v in enumerate("0020")]
    units = row_units(keys("new_received"), toks, list(range(7)), blanks_mean_zero=True, glued=False)
    commercial, research = units[1].hypotheses[0], units[2].hypotheses[0]
    assert commercial.values[keys("new_received")[1]] == 0 and keys("new_received")[1] in commercial.soft
    assert research.values[keys("new_received")[2]] is None
    units = row_units(keys("new_received"), toks, list(range(7)), blanks_mean_zero=False, glued=False)
    assert units[1].hypotheses[0].values[keys("new_received")[1]] is None  # a table printing every figure


def test_an_unsure_ocr_figure_is_given_up_as_cheaply_as_garbage():
    k = (T, "granted", "total")
    sure = cell_unit(k, Token("3", 0, 9, channel=Channel.ocr, cell=CellRead(0, 9, confidence=0.96)))
    # 31 read 3 at 150 dpi
    unsure = cell_unit(k, Token("3", 0, 9, channel=Channel.ocr, cell=CellRead(0, 9, confidence=0.0)))
    assert unsure.override_cost < sure.override_cost
