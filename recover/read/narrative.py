"""Read the report's agency and year from its title, and figures the narrative restates."""

from __future__ import annotations

import re

from recover.catalogue import Catalogue

TITLE_YEAR_FIRST = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<agency>[\u4e00-\u9fff（）()]{2,30}?)\s*"
                              r"政府信息公开\s*工作\s*年[\u4e00-\u9fff]\s*报告")
# (the 度 of the closing 年度报告 may be any one character: OCR read 年卢报告 and 年请报告 in scanned titles)
_TITLE_TAIL = (r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:政府)?信息公开工作\s*[^\u4e00-\u9fff]?\s*"
               r"年[\u4e00-\u9fff]\s*报告")
TITLE = re.compile(r"(?P<agency>[^\n]*?)\s*" + _TITLE_TAIL)
# TITLE matches a line exactly when its tail does; where the tail is absent the lazy agency group makes TITLE try
# every start against the rest of the line (a 239-character sentence of seed 003: 1.1 ms, the tail 0.002 ms)
TITLE_TAIL = re.compile(_TITLE_TAIL)
STRIP = re.compile(r"^(?:标题|题目|title)\s*[:：]\s*|^[#\s*]+|[\s*#]+$", re.IGNORECASE)


def title_info(lines: tuple[str, ...], ocr: bool = False) -> tuple[str | None, int | None]:
    """(agency, year) from the first lines of the report: a line holding the whole title first, then a
    title broken over two lines (site breadcrumbs and navigation before it are not the agency). ``ocr``: the
    lines were read by OCR, and the agency is checked against the body's own writing of it (``_confirmed``)."""
    head = [ln.strip() for ln in lines[:40] if ln.strip()]
    for joined in (False, True):
        for i, ln in enumerate(head):
            if joined:
                if i + 1 >= len(head):
                    break
                ln = ln + head[i + 1]
            if "报告" not in ln:  # (both patterns need it; their lazy searches are slow on long lines)
                continue
            m2 = TITLE_YEAR_FIRST.search(ln)
            if m2:
                agency = m2.group("agency")
                return (_confirmed(agency, head[i + 1:i + BODY_LINES]) if ocr else agency), int(m2.group("year"))
            m = TITLE.search(ln) if TITLE_TAIL.search(ln) else None
            if m is None:
                continue
            agency = _agency(m.group("agency"))
            if agency is None and i > 0 and len(head[i - 1]) <= 30:
                agency = _agency(head[i - 1])
            return (_confirmed(agency, head[i + 1:i + BODY_LINES]) if ocr else agency), int(m.group("year"))
    return None, None


BREADCRUMB = re.compile(r"^.*[>＞»|｜：:]\s*")


def _agency(text: str) -> str | None:
    """The agency named before the title, without markdown marks, a breadcrumb trail before it or stray
    punctuation around it (a 150 dpi scan read 。。洪泽区人民政府)."""
    return STRIP.sub("", BREADCRUMB.sub("", text)).strip().strip(PUNCTUATION) or None


PUNCTUATION = "。．.，,、·:：;；'\"“”‘’ 　"
BODY_LINES = 15  # lines after the title searched for the agency's own name (``_confirmed``)
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _misread(n: int) -> int:
    """Characters of an n-character name a reading may have wrong and still be the same name: a third, at most 2
    (in place: a misread character keeps its place, a window shifted by one does not)."""
    return min(2, n // 3)


def _confirmed(agency: str | None, body: list[str]) -> str | None:
    """The agency as the report's first lines write it: a scanned title in a large bold font is read worse than
    the body, which names the agency again (宿迁市玖言局 in the title, "2020年，宿迁市教育局坚持…" below it). When the
    name is not in those lines as read but a run of Chinese characters of the same length differing from it in at
    most ``_misread`` places, its first and last the same (a window shifted against a body line that gained a
    character, 州二市自然资源和规划局 against 青州市自然资源和规划局, is not the name), is, that one is taken
    (the most frequent, then the first); otherwise the title's reading stands. Only for OCR'd text: a printed
    title is as the agency wrote it, and its body may name a similar body (人民政府 / 人民法院)."""
    if not agency or len(agency) < 3:
        return agency
    text = "\n".join(body)
    if agency in text:
        return agency
    n = len(agency)
    near = [w for k in range(len(text) - n + 1)
            if HAN_RUN.fullmatch(w := text[k:k + n]) and w[0] == agency[0] and w[-1] == agency[-1]
            and sum(a != b for a, b in zip(agency, w)) <= _misread(n)]
    if not near:
        return agency
    return max(near, key=lambda w: (near.count(w), -near.index(w)))


CellKey = tuple[str, str, str]
CARRIED = ("applications", "carried_over", "total")
# "共收到申请75件，其中上年结转1件": the figure counts the carried-over applications too
WITH_CARRIED = re.compile(r"(?:其中|含|包括)[^。；，,]{0,6}上一?年度?\s*结转")


def narrative_facts(text: str, cat: Catalogue) -> list[tuple[str, tuple[CellKey, ...], int, str]]:
    """(rule id, cells, value, sentence) for each figure the narrative text states (the value is the cells' sum)."""
    return [f[:4] for f in narrative_evidence(text, cat)]  # type: ignore[misc]


Evidence = tuple[str, tuple[CellKey, ...], int, str, tuple[CellKey, ...]]  # narrative_facts' with Fact.or_plus


def narrative_evidence(text: str, cat: Catalogue) -> list[Evidence]:
    """``narrative_facts`` with, for each, the cells the figure may also include (``Fact.or_plus``): a count of
    applications received (收到, 接收) is the new applications, or those with the ones carried over, unless it
    says 新收 (new only) or 其中/含 上年结转 (both)."""
    out: list[Evidence] = []
    for rule in cat.narrative:
        for m in re.finditer(rule.pattern, text):
            value = rule.value if rule.value is not None else int(m.group(1))
            s = text.rfind("。", 0, m.start()) + 1
            e = text.find("。", m.end())
            sentence = text[s:e if e > 0 else m.end()].strip()[:120]
            cells: tuple[CellKey, ...]
            also: tuple[CellKey, ...]
            cells, also = rule.cells, ()
            if rule.id == "narrative_received_count" and "新收" not in m.group(0) and CARRIED not in cells:
                if WITH_CARRIED.search(text, m.end(), e if e > 0 else len(text)):
                    cells = cells + (CARRIED,)
                else:
                    also = (CARRIED,)
            out.append((rule.id, cells, value, sentence, also))
            break
    return out
