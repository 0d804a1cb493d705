"""Read the report's agency and year from its title, and figures the narrative restates."""

from __future__ import annotations

import re

from recover.catalogue import Catalogue

TITLE_YEAR_FIRST = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<agency>[\u4e00-\u9fff（）()]{2,30}?)\s*"
                              r"政府信息公开\s*工作\s*年度\s*报告")
TITLE = re.compile(r"(?P<agency>[^\n]*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:政府)?信息公开工作\s*[^\u4e00-\u9fff]?\s*年度\s*报告")  # noqa: E501
STRIP = re.compile(r"^(?:标题|题目|title)\s*[:：]\s*|^[#\s*]+|[\s*#]+$", re.IGNORECASE)


def title_info(lines: tuple[str, ...]) -> tuple[str | None, int | None]:
    """(agency, year) from the first lines of the report: a line holding the whole title first, then a
    title broken over two lines (site breadcrumbs and navigation before it are not the agency)."""
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
                return m2.group("agency"), int(m2.group("year"))
            m = TITLE.search(ln)
            if m is None:
                continue
            agency = _agency(m.group("agency"))
            if agency is None and i > 0 and len(head[i - 1]) <= 30:
                agency = _agency(head[i - 1])
            return agency, int(m.group("year"))
    return None, None


BREADCRUMB = re.compile(r"^.*[>＞»|｜：:]\s*")


def _agency(text: str) -> str | None:
    """The agency named before the title, without markdown marks or a breadcrumb trail before it."""
    return STRIP.sub("", BREADCRUMB.sub("", text)).strip() or None


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
