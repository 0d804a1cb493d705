"""reconstruct: placements of a row's value tokens into its cells."""

from __future__ import annotations

from recover.reconstruct.placement import place


def kinds(p) -> list[str]:
    return [s.kind for s in p.slots]


def test_as_many_values_as_cells_is_one_certain_placement():
    out = place(["0", "1", "7"], 3)
    assert len(out) == 1
    assert [s.token for s in out[0].slots] == [0, 1, 2]
    assert out[0].cost == 0


def test_lost_value_with_known_positions_puts_the_gap_where_the_position_says():
    # seed 001's last row: 6 values printed in source columns 1..6 of a 7-cell row
    out = place(["0", "0", "0", "0", "0", "0"], 7, positions=[1, 2, 3, 4, 5, 6])
    best = out[0]
    assert kinds(best) == ["gap"] + ["token"] * 6
    assert best.cost == 0
    assert all(p.cost > best.cost for p in out[1:])


def test_gap_in_the_middle_from_positions():
    out = place(["5", "7"], 3, positions=[0, 2])
    assert kinds(out[0]) == ["token", "gap", "token"]
    assert [s.token for s in out[0].slots] == [0, -1, 1]  # (-1: a gap holds no token)
    assert out[0].cost < out[1].cost


def test_lost_value_without_positions_offers_every_gap_at_the_same_cost():
    out = place(["1", "2"], 3)
    gaps = sorted(kinds(p).index("gap") for p in out if "part" not in kinds(p))
    assert gaps == [0, 1, 2]
    assert len({p.cost for p in out if "part" not in kinds(p)}) == 1


def test_more_values_than_cells_gives_drop_hypotheses():
    # seed 004's table 四 prints 16 values for 15 cells
    out = place(["0"] * 4, 3)
    assert len(out) == 4
    dropped = sorted(({0, 1, 2, 3} - {s.token for s in p.slots}).pop() for p in out)
    assert dropped == [0, 1, 2, 3]
    assert all(p.cost > 0 and "dropped" in p.why for p in out)


def test_drop_prefers_the_value_printed_off_the_grid():
    out = place(["3", "4", "9", "5"], 3, positions=[0, 5, 1, 2])
    assert [s.token for s in out[0].slots] == [0, 2, 3]
    assert out[0].cost < out[1].cost


def test_glued_run_placements_filtered_by_consistency():
    def row_total(vals):
        return None in vals or sum(v for v in vals[:-1] if v is not None) == vals[-1]

    unfiltered = place(["801000081"], 7, glued=True)
    filtered = place(["801000081"], 7, glued=True, consistent=row_total)
    full = [[s.value for s in p.slots] for p in filtered if "gap" not in kinds(p)]
    assert full == [[80, 1, 0, 0, 0, 0, 81]]
    full_unfiltered = [[s.value for s in p.slots] for p in unfiltered if "gap" not in kinds(p)]
    assert [80, 1, 0, 0, 0, 0, 81] in full_unfiltered and len(full_unfiltered) > 1
    assert filtered[0].cost == 0 and [s.value for s in filtered[0].slots] == [80, 1, 0, 0, 0, 0, 81]


def test_glued_split_without_any_consistent_cut_keeps_the_cuts():
    out = place(["1000001"], 7, glued=True, consistent=lambda vals: False)
    assert out  # nothing passes: the failing cuts are kept for the arithmetic to judge
    assert [s.value for s in out[0].slots] == [1, 0, 0, 0, 0, 0, 1]


def test_cutting_a_run_in_separated_text_costs_more_than_in_glued_text():
    glued = place(["1000001"], 7, glued=True)
    separated = place(["1000001"], 7, glued=False)
    assert glued[0].cost == 0
    assert separated[0].cost > 0


def test_non_digit_tokens_are_never_cut():
    out = place(["b", "0"], 3)
    assert all("part" not in kinds(p) for p in out)


def test_a_stray_mark_is_dropped_before_a_clean_figure():
    """Six tokens for five cells, the first a stray mark read by OCR: leaving the mark unused is cheaper than
    leaving a clean figure unused, so the placements keep the figures (row 四 of 洪泽 2023 scanned)."""
    texts = ["、", "10", "1", "0", "0", "5"]
    best = place(texts, 5, drop_costs=[1.0, 3.0, 3.0, 3.0, 3.0, 3.0])[0]
    assert [texts[s.token] for s in best.slots] == ["10", "1", "0", "0", "5"]
    costs = {tuple(s.token for s in p.slots): p.cost for p in place(texts, 5, drop_costs=[1.0] + [3.0] * 5)}
    assert costs[(1, 2, 3, 4, 5)] < costs[(0, 1, 2, 3, 4)]
