"""match: fuzzy label similarity, monotone alignment to the template, and the format of table 三."""

from __future__ import annotations

import pytest

from recover.catalogue import load_catalogue
from recover.ingest import load_document
from recover.layout.text.rows import rows_of_section
from recover.layout.text.sections import find_sections
from recover.match.labels import align, similarity, similarity_matrix
from recover.match.normalise import core, normalise
from tests.conftest import CORPUS, source_of

APP = load_catalogue().tables["applications"]
ROWS_2021 = list(APP.rows_for("2021"))
ROWS_2019 = list(APP.rows_for("2019"))
EXPECTED_FORMAT = {"seed_000": "2019", "seed_004": "2019", "seed_001": "2021", "seed_002": "2021",
                   "seed_003": "2021", "pingtan_2023": "2021", "shanghai_office_2025": "2021",
                   "shanghai_stc_2024": "2021", "shuyang_county_2025": "2021"}


def labels_of(name: str) -> list[str]:
    doc = load_document(source_of(CORPUS / name / "truth.json"))
    sec = find_sections(doc.text)["applications"]
    return [r.label for r in rows_of_section(doc.text, sec.start, sec.end, doc.channel) if r.filled]


def mapping(labels: list[str], rows) -> dict[str, str]:
    al = align(labels, rows)
    return {labels[i]: rows[j].key for i, j, _ in al.pairs}


def test_seed_001_mangled_labels_are_aligned_to_the_right_rows():
    labels = labels_of("seed_001")
    got = mapping(labels, ROWS_2021)
    by_fragment = {"F新收政府 [·]": "new_received", "F结转政府": "carried_over", "(一)予以": "granted",
                   "(七)总ì": "total_processed", "连织木 2.重复申请": "unhandled_duplicate",
                   "四、结转下年度继续办理": "carried_forward"}
    for fragment, key in by_fragment.items():
        label = next(lab for lab in labels if fragment in lab)
        assert got[label] == key, (label, got.get(label))


def test_seed_001_every_row_is_placed_in_template_order():
    labels = labels_of("seed_001")
    al = align(labels, ROWS_2021)
    assert [ROWS_2021[j].key for _, j, _ in al.pairs] == [r.key for r in ROWS_2021]
    assert [i for i, _, _ in al.pairs] == list(range(len(labels)))


def test_sub_row_number_lands_in_its_group():
    # "2.重复申请" exists only under （五）; a bare "1." is placed by its neighbours
    labels = ["（四）无法提供 1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
              "（五）不予处理 1.信访举报投诉类申请", "2.重复申请"]
    got = mapping(labels, ROWS_2021)
    assert got["2.没有现成信息需要另行制作"] == "unable_needs_creation"
    assert got["2.重复申请"] == "unhandled_duplicate"
    assert got["（五）不予处理 1.信访举报投诉类申请"] == "unhandled_petition"


def test_unlabelled_row_between_two_labelled_rows_is_placed_in_the_gap():
    labels = ["一、本年新收政府信息公开申请数量", "", "三、本年度办理结果 （一）予以公开"]
    al = align(labels, ROWS_2021)
    assert [(i, ROWS_2021[j].key) for i, j, _ in al.pairs] == [
        (0, "new_received"), (1, "carried_over"), (2, "granted")]


def test_unlabelled_row_in_a_wider_gap_is_kept():
    # shanghai_stc-like: a value row without label between 1.属于国家秘密 and 3.危及“三安全一稳定”
    labels = ["1.属于国家秘密", "", "3.危及“三安全一稳定”"]
    got = align(labels, ROWS_2021)
    assert [ROWS_2021[j].key for _, j, _ in got.pairs] == [
        "denied_state_secret", "denied_prohibited_by_law", "denied_three_safeties"]


def test_alignment_is_monotone_and_one_to_one():
    labels = labels_of("shanghai_stc_2024")
    al = align(labels, ROWS_2021)
    obs = [i for i, _, _ in al.pairs]
    tmp = [j for _, j, _ in al.pairs]
    assert obs == sorted(set(obs)) and tmp == sorted(set(tmp))


@pytest.mark.parametrize("name", sorted(EXPECTED_FORMAT))
def test_format_is_the_better_scoring_alignment(name):
    labels = labels_of(name)
    s2021 = align(labels, ROWS_2021).score
    s2019 = align(labels, ROWS_2019).score
    if EXPECTED_FORMAT[name] == "2019":
        assert s2019 > s2021
    else:
        assert s2021 >= s2019


def test_similarity_prefers_the_right_row():
    new, carried = APP.row("new_received"), APP.row("carried_over")
    mangled = "一、本年 F新收政府 [·] 信息公开申请数量"  # seed 001
    assert similarity(mangled, new) > similarity(mangled, carried)
    assert similarity("", new) == 0.0
    assert similarity("一、本年新收政府信息公开申请数量", new) == pytest.approx(1.0)


def test_similarity_matrix_agrees_with_similarity():
    labels = labels_of("seed_001")[:6] + ["", "（七）总计"]
    m = similarity_matrix(labels, ROWS_2021)
    assert m.shape == (len(labels), len(ROWS_2021))
    for i, lab in enumerate(labels):
        for j, row in enumerate(ROWS_2021):
            assert m[i, j] == pytest.approx(similarity(lab, row), abs=1e-3)


def test_normalise_and_core():
    assert normalise("（一） 予以公开") == "一予以公开"
    assert normalise("3.危及“三安全一稳定”") == "3危及三安全一稳定"
    assert normalise("[bookmark: _Hlk66973412]一、本年新收") == "一本年新收"
    assert core("（三）不予公开") == "不予公开"
    assert core("四、结转下年度继续办理") == "结转下年度继续办理"
    assert core("2.重复申请") == "重复申请"
    assert normalise("（一）") == normalise("(一)")  # full-width and half-width forms compare equal


# The row labels of 淮安 2024's table 三 as Tesseract read them from a 150 dpi scan (python3 -m devtools synth --real,
# level 150): three of them ((一)予以公开, 2.重复申请, 3.其他) read too badly to match any template row.
HUAIAN_150_DPI = [
    '一、本年断收政府信息公开市沪效禹',
    '二、上第结转政府信息公开申请数释',
    '本年度因洗业时 《一)所以会开',
    '《二)部分公开《区分处理的，只计这一情形，不入其他捕形)》',
    '《三)》不子从并 局于国家秘密',
    '2.其化法妾行政法现稍止公开',
    '起及“三安全一想定',
    '本保护蒂三方合法权肿',
    '5.电于三类内部事务信息',
    '五世于四类过程性信息',
    '了属于行政技法业者',
    '息项于行政帮询事项',
    '《可)无 直.本本关不掌握相关政府信息',
    '妓提供 外汪有现成迟外需要中行帅作',
    '用才王后中请内容簿不明确 本',
    '《五)不各直理 人狼沪举报投诉类中请',
    '公雪必中请。',
    '3.委本提供公开出版物',
    '入无三韦理册大量反得申请',
    '村委求条三机关确认或重新出兵书芒取信息',
    '《六》凑他站理 1、虽请人天正雪理由这期不种更、煌效机关不杠趟理其政府信息公开申请',
    '2、中请人加期未控和费通知娄求喇隐费周.行政极关不型处理半政府信息公开中请',
    '3、基到',
    '《七》丫计',
    '四、寡转下年度妾续办理',
]


def test_rows_too_garbled_to_match_are_placed_by_order_between_matched_rows():
    sims = similarity_matrix(HUAIAN_150_DPI, ROWS_2021)
    for k in (2, 16, 22):  # below the floor of evidence: not matched on their own
        assert max(sims[k]) < 0.45
    got = mapping(HUAIAN_150_DPI, ROWS_2021)
    assert [got.get(lab) for lab in HUAIAN_150_DPI] == [r.key for r in ROWS_2021]


def test_a_gap_with_more_rows_than_template_rows_is_left_unplaced():
    # two unreadable rows where the template has one: which one is the row is unknown
    labels = ["一、本年新收政府信息公开申请数量", "xx", "yy", "（二）部分公开"]
    rows = [r for r in ROWS_2021 if r.key in ("new_received", "carried_over", "granted", "partially_granted")]
    del rows[1]  # the template between them: 予以公开 only
    got = mapping(labels, rows)
    assert got == {labels[0]: "new_received", labels[3]: "partially_granted"}
