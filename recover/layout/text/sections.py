"""Locate the three table sections (二, 三, 四) in a text report.

A heading is only taken where the table's own vocabulary follows it, so the section list in a report's
introduction ("内容包括总体情况、主动公开政府信息情况、收到和处理…") is not mistaken for a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TABLE_ORDER = ("proactive", "applications", "review_litigation")

_HEADING_PARTS = {  # one regex per printed character (or optional separator)
    "proactive": list("主动公开政府信息情况"),
    "applications": list("收到和处理政府信息公开申请情况"),
    "review_litigation": [*"行政复议", "[、和及与，,]?", *"行政诉讼情况"],
}


def _pattern(parts: list[str], any_at: int | None = None) -> str:
    return r"\s*".join(r"[^\s\d，。；]" if k == any_at else p for k, p in enumerate(parts))


HEADINGS = {t: re.compile(_pattern(p)) for t, p in _HEADING_PARTS.items()}
# The same headings with any one character misread (a 150 dpi scan read 主动公开 as 汪动公开): taken only where no
# exact heading is followed by the table's words.
FUZZY_HEADINGS = {t: re.compile("|".join(f"(?:{_pattern(p, k)})" for k in range(len(p)) if len(p[k]) == 1))
                  for t, p in _HEADING_PARTS.items()}
# Words that appear inside each table soon after its heading.
MARKERS = {
    "proactive": ("第二十条", "信息内容", "制发件数", "新制作数量", "规章"),
    "applications": ("申请人情况", "自然人", "勾稽关系", "本年新收", "商业企业"),
    "review_litigation": ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "其他结果", "直接起诉"),
}
# The markers of four characters or more with any one of them misread (150 dpi: 直接经诉 for 直接起诉): a heading
# is taken on them when no marker follows it exactly.
FUZZY_MARKERS = {t: re.compile("|".join(_pattern(list(w), k) for w in words if len(w) >= 4 for k in range(len(w))))
                 for t, words in MARKERS.items()}
# Whole row labels of a table that no narrative sentence writes (it writes counts, not 数量), for a table whose
# heading and header words a scan read too badly to find (150 dpi under a seal: 收唱和处理政府襄息公开1况, 毕请人情讽)
ROW_MARKERS = {
    "applications": ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本机关不掌握相关政府信息",
                     "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
}
MIN_ROW_FIGURES = 3  # figures a line before the first row found by its label holds to be taken as a row too
END = re.compile(r"(?:^|(?<=[。\s]))[ \t\u3000]*(?:五|5)\s*[、.．]\s*(?:存在|主要问题|存在的主要问题)|存在的主要问题|存在问题的改进|"  # noqa: E501
                 r"主要问题及改进|改进情况|其他需要报告的事项")


@dataclass(frozen=True)
class Section:
    table: str
    start: int  # character offset in the document text
    end: int
    heading_found: bool


def _heading(text: str, table: str, lo: int) -> tuple[int, bool] | None:
    """Offset where the table's content starts: after its heading, or at its first marker, or at the line of its
    first row whose whole label is printed (``ROW_MARKERS``)."""
    for pattern in (HEADINGS[table], FUZZY_HEADINGS[table]):
        best: tuple[float, int] | None = None
        for m in pattern.finditer(text, lo):
            window = text[m.end():m.end() + 600]
            score = sum(1 for w in MARKERS[table] if w in window) or 0.5 * bool(FUZZY_MARKERS[table].search(window))
            if score and (best is None or score >= best[0]):
                best = (score, m.end())
        if best:
            return best[1], True
    hits = [text.find(w, lo) for w in MARKERS[table]]
    hits = [h for h in hits if h >= 0]
    if hits:
        return min(hits), False
    rows = [h for h in (text.find(w, lo) for w in ROW_MARKERS.get(table, ())) if h >= 0]
    if not rows:
        return None
    start = text.rfind("\n", 0, min(rows)) + 1  # the row's line, and the line before it when that is a row too
    before = text.rfind("\n", 0, max(start - 1, 0)) + 1
    if start > 0 and len(FIGURE.findall(text, before, start)) >= MIN_ROW_FIGURES:
        start = before
    return start, False


def find_sections(text: str) -> dict[str, Section]:
    """Sections of the tables present, in document order; a missing table has no entry."""
    starts: dict[str, tuple[int, bool]] = {}
    lo = 0
    for table in TABLE_ORDER:
        found = _heading(text, table, lo)
        if found is None:
            found = _heading(text, table, 0)
        if found is not None:
            starts[table] = found
            lo = found[0]
    order = sorted(starts.items(), key=lambda kv: kv[1][0])
    out: dict[str, Section] = {}
    for i, (table, (start, heading)) in enumerate(order):
        if i + 1 < len(order):
            end = order[i + 1][1][0]
            # cut the next table's heading line off this section
            nxt = (HEADINGS[order[i + 1][0]].search(text, start, end)
                   or FUZZY_HEADINGS[order[i + 1][0]].search(text, start, end))
            cut = text.rfind("\n", start, nxt.start()) if nxt else -1
            end = nxt.start() if nxt and cut < 0 else (cut if nxt else end)
        else:
            m = END.search(text, start)
            end = m.start() if m else len(text)
        out[table] = Section(table, start, max(start, end), heading)
    return out


REVIEW_FIGURES = 15  # the cells of table 四
FIGURE = re.compile(r"\d+")


def tables_behind(text: str) -> bool:
    """The text read so far holds all three tables, table 四 with at least its 15 figures, and the heading that
    follows table 四 (section 五, its problems and improvements): what comes after is narrative that holds no table
    cell and restates no figure the repair weighs (only the narrative before the tables does). A scan stops
    reading pages there. A table 四 read with fewer figures, or tables in another order, never stops it."""
    sections = find_sections(text)
    if any(t not in sections for t in TABLE_ORDER):
        return False
    review = sections["review_litigation"]
    if max(s.start for s in sections.values()) != review.start or review.end >= len(text):
        return False
    return len(FIGURE.findall(text, review.start, review.end)) >= REVIEW_FIGURES and bool(END.match(text, review.end))
