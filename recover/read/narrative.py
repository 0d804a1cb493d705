"""Read the report's agency and year from its title, and figures the narrative restates."""

from __future__ import annotations

import re

from recover.catalogue import Catalogue

TITLE_YEAR_FIRST = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<agency>[\u4e00-\u9fff（）()]{2,30}?)\s*"
                              r"政府信息公开\s*工作\s*年度\s*报告")
TITLE = re.compile(r"(?P<agency>[^\n]*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:政府)?信息公开工作\s*[^\u4e00-\u9fff]?\s*年度\s*报告")  # noqa: E501
STRIP = re.compile(r"^(?:标题|题目|title)\s*[:：]\s*|^[#\s*]+|[\s*#]+$", re.IGNORECASE)


def title_info(lines: tuple[str, ...]) -> tuple[str | None, int | None]:
    """(agency, year) from the first lines of the report."""
    head = [ln.strip() for ln in lines[:40] if ln.strip()]
    for i, ln in enumerate(head):
        m = TITLE.search(ln)
        if not m:
            m2 = TITLE_YEAR_FIRST.search(ln + (head[i + 1] if i + 1 < len(head) else ""))
            if m2:
                return m2.group("agency"), int(m2.group("year"))
            if i + 1 < len(head) and (m := TITLE.search(ln + head[i + 1])) is None:
                continue
            if m is None:
                continue
        agency = STRIP.sub("", m.group("agency")).strip() or None
        if agency is None and i > 0 and len(head[i - 1]) <= 30:
            agency = STRIP.sub("", head[i - 1]).strip() or None
        return agency, int(m.group("year"))
    return None, None


def narrative_facts(text: str, cat: Catalogue) -> list[tuple[str, tuple[tuple[str, str, str], ...], int, str]]:
    """(rule id, cell, value, sentence) for each figure the narrative text states."""
    out = []
    for rule in cat.narrative:
        for m in re.finditer(rule.pattern, text):
            value = rule.value if rule.value is not None else int(m.group(1))
            s = text.rfind("。", 0, m.start()) + 1
            e = text.find("。", m.end())
            sentence = text[s:e if e > 0 else m.end()].strip()[:120]
            out.append((rule.id, rule.cells, value, sentence))
            break
    return out
