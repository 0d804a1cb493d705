"""read: interpretations of value tokens (numbers, none-symbols, glyphs, OCR misreadings, glued runs)."""

from __future__ import annotations

import pytest

from recover.model import Channel
from recover.read.values import ascii_figure, is_value_text, readings, split_runs


def values(text: str, channel: Channel = Channel.text, kind: str = "int") -> list:
    return [r.value for r in readings(text, channel, kind)]


def test_glyph_b_offers_6_and_0():
    rs = readings("b", Channel.text)  # seed 003 prints 'b' for 0 in （二）部分公开 / 自然人
    assert {6, 0} <= {r.value for r in rs}
    assert all(r.cost > 0 for r in rs)  # a glyph is never read "as printed"
    assert [r.cost for r in rs] == sorted(r.cost for r in rs)


@pytest.mark.parametrize("text", ["/", "—", "无", "-", "／"])
def test_none_symbols_read_as_zero(text):
    rs = readings(text, Channel.text)
    assert [r.value for r in rs] == [0]
    assert rs[0].cost > 0  # cheaper than a glyph but not free: a printed 0 is firmer


def test_none_symbol_is_cheaper_than_a_glyph():
    assert readings("/", Channel.text)[0].cost < min(r.cost for r in readings("b", Channel.text))


def test_plain_numbers_as_printed_at_no_cost():
    assert readings("92", Channel.text)[0].value == 92 and readings("92", Channel.text)[0].cost == 0
    assert values("5949.088667") == [5949.088667]
    assert values(" 1295 ") == [1295]
    assert values("12件") == [12]


def test_amount_with_unit_is_kept_as_printed():
    rs = readings("20044679 元", Channel.text, "amount_with_unit")  # seed 004 政府集中采购
    assert [(r.value, r.cost) for r in rs] == [("20044679 元", 0.0)]
    # read as an integer column, the unit is dropped and said so
    r = readings("20044679 元", Channel.text)[0]
    assert r.value == 20044679 and "元" in r.why


def test_empty_and_label_text_give_no_reading():
    assert readings("", Channel.text) == []
    assert readings("   ", Channel.ocr) == []
    assert readings("合计", Channel.text) == []


def test_ocr_channel_offers_confusion_variants_text_channel_does_not():
    assert values("5", Channel.text) == [5]
    ocr = readings("5", Channel.ocr)
    assert ocr[0].value == 5 and ocr[0].cost == 0
    assert 6 in [r.value for r in ocr[1:]]  # 5 ↔ 6 is an OCR confusion
    assert all(r.cost > 0 for r in ocr[1:])
    assert values("1259", Channel.text) == [1259]
    assert len(readings("1259", Channel.ocr)) > 1


def test_ocr_variants_never_have_leading_zeros_or_repeat_the_printed_value():
    for text in ["0", "8", "10", "61", "2154"]:
        rs = readings(text, Channel.ocr)
        vals = [r.value for r in rs]
        assert vals[0] == int(text)
        assert len(vals) == len(set(vals))
        assert all(v >= 0 for v in vals)


def test_split_runs_of_a_pingtan_row():
    parts = split_runs("801000081", 7)  # 一、本年新收: 80|1|0|0|0|0|81
    assert (80, 1, 0, 0, 0, 0, 81) in parts
    assert len(parts) == len(set(parts))
    for p in parts:
        assert len(p) == 7
        assert "".join(map(str, p)) == "801000081"  # every part without a leading zero


def test_split_runs_all_zero_run_has_one_cut():
    assert split_runs("0000000", 7) == [(0,) * 7]
    assert split_runs("0000000", 6) == []  # "00" would be a number with a leading zero


def test_split_runs_edge_counts():
    assert split_runs("12", 3) == []
    assert split_runs("12", 0) == []
    assert split_runs("123", 1) == [(123,)]
    assert sorted(split_runs("123", 2)) == [(1, 23), (12, 3)]


def test_is_value_text():
    for t in ["0", "92", "20044679 元", "/", "—", "b", "5949.088667"]:
        assert is_value_text(t), t
    for t in ["", "行政许可", "规章", "第二十条"]:
        assert not is_value_text(t), t


def test_amount_with_unit_is_one_figure_and_its_unit_however_spaced():
    from recover.model import Channel

    for printed in ("3944459元", "3944459 元", " 3944459  元 "):
        assert readings(printed, Channel.ocr, "amount_with_unit")[0].value == "3944459 元"


def test_ocr_change_without_a_sign_is_either_sign_at_the_same_cost():
    """本年增/减 read by OCR as 4 may be -4 (the minus lost): both readings cost the same, so the cell is
    flagged rather than silently positive; a text layer keeps what it prints."""
    from recover.model import Channel

    ocr = readings("4", Channel.ocr, "signed")
    assert {r.value for r in ocr if r.cost == 0} == {4, -4}
    assert [r.value for r in readings("4", Channel.text, "signed")] == [4]
    assert {r.value for r in readings("-4", Channel.ocr, "signed") if r.cost == 0} == {-4}


def test_ascii_figure_maps_every_full_width_figure_character():
    """ascii_figure skips translate when FULL_WIDTH finds nothing to map: each full-width figure character, alone
    among Han text, must still come out in its ASCII form, and text without one comes back as it was."""
    for full, ascii_ in zip("０１２３４５６７８９－＋．", "0123456789-+."):
        assert ascii_figure(f"申请{full}件") == f"申请{ascii_}件"
    assert ascii_figure("办理结果 １２．５ 与 －８") == "办理结果 12.5 与 -8"
    assert ascii_figure("本年新收政府信息公开申请数量（件）") == "本年新收政府信息公开申请数量（件）"
