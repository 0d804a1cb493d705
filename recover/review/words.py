"""The review page's words, in Chinese (the default: the reviewers read the reports in Chinese) and English
(``?lang=en`` once, then a cookie), and the rules named as the template prints its rows and columns.

Everything the page itself says — statuses, actions, headings, rules, messages — is here; recover's reasons
(written in English) are put into Chinese by ``reasons``.
"""

from __future__ import annotations

from typing import Any

from recover.report.html import STATUS_NOTES

LANGS = ("zh", "en")

STATUS = {
    "zh": {"ok": "无误", "corrected": "已更正", "inferred": "已推算", "source_inconsistent": "原表矛盾",
           "ambiguous": "有歧义", "missing": "缺失"},
    "en": {s: s for s in STATUS_NOTES},  # (the output contract's own names)
}
STATUS_NOTE = {
    "zh": {"ok": "按原表读取", "corrected": "取值与原表所印不同", "inferred": "原表无可用数字，按勾稽关系推算",
           "source_inconsistent": "原表自身数字互相矛盾", "ambiguous": "不止一种读法都说得通",
           "missing": "无法恢复取值"},
    "en": STATUS_NOTES,
}
ACTION = {
    "zh": {"accept": "确认", "override": "改为", "source_error": "原表印错", "clear": "撤销"},
    "en": {"accept": "accept", "override": "override", "source_error": "printed wrong", "clear": "undo"},
}
REVIEW_STATE = {
    "zh": {"not_needed": "无需审阅", "open": "待审阅", "in_progress": "审阅中", "reviewed": "已审阅"},
    "en": {"not_needed": "nothing to review", "open": "open", "in_progress": "in progress", "reviewed": "reviewed"},
}

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "queue_title": "待审阅的报告", "queue_note": "最紧急的在前：有歧义、原表矛盾，其次已更正、已推算，再次缺失。"
        "数字为尚未决定的标记单元格。", "batch": "批次", "summary": "批次汇总页",
        "progress": "已审阅 {docs_done} / {docs} 份报告 · 已决定 {cells_done} / {cells} 个标记单元格",
        "document": "报告", "agency": "机关", "year": "年度", "kind": "类型", "status": "状态", "decided": "已决定",
        "review_state": "审阅", "no_documents": "本批次没有报告。", "unknown_agency": "（机关不明）",
        "flagged_cells": "个标记单元格", "readonly_report": "只读报告",
        "keys": "键盘：<kbd>n</kbd>/<kbd>j</kbd> 下一个标记 · <kbd>p</kbd>/<kbd>k</kbd> 上一个 · "
                "<kbd>a</kbd> 确认并前往下一个 · <kbd>A</kbd> 确认本表全部 · <kbd>o</kbd> 改为 · "
                "<kbd>s</kbd> 原表印错 · <kbd>u</kbd> 撤销 · "
                "<kbd>Esc</kbd> 离开输入框",
        "observed": "原表所印", "absent": "（无）", "blank": "（空白）", "chosen": "选定值", "confidence": "置信度",
        "reason": "原因", "decision": "决定", "by": "由", "at": "于",
        "source_text": "原文", "page": "第 {page} 页", "no_box": "（未记录单元格位置：所在行）",
        "weighed": "求解器权衡过的取值", "value": "取值", "cost": "代价", "reading": "读法", "chosen_mark": "选定",
        "more_candidates": "另有 {n} 个取值（代价 ≥ {cost}）",
        "rules_title": "本表勾稽关系（按当前取值）",
        "rules_count": "{hold} 条成立，{fail} 条不成立，{open} 条无法核对（有单元格无数字）。",
        "no_rule": "本单元格不参与任何勾稽关系。",
        "reviewer": "审阅人", "accept": "确认 {value}（a）", "override": "改为（o）", "value_ph": "取值",
        "source_error": "原表印错（s）", "right_value_ph": "正确取值（可不填）", "undo": "撤销决定（u）",
        "prev": "← 上一个标记", "next": "下一个标记 →", "no_flagged": "没有标记单元格。点击任一单元格查看。",
        "bulk": "确认本表全部 {n} 个{status}单元格（A）",
        "stale": "未保存：页面显示后，该单元格已被改动（{now}）。页面现显示其当前状态；如仍有异议请重新决定。",
        "stale_undone": "其决定已被撤销", "stale_decided": "{reviewer} 于 {at} 决定：{action}{value}",
        "bad_reviewer": "请填写 1 至 {n} 个字符的审阅人姓名",
        "bad_value": "不是整数：只可填 0-9 的数字（最多 {n} 位），可带负号：{raw!r}",
        "other_language": "English", "crop_alt": "该单元格在第 {page} 页的图像",
    },
    "en": {
        "queue_title": "Documents to review", "queue_note": "Most urgent first: ambiguous and source_inconsistent "
        "cells, then corrected and inferred, then missing. Counts are of flagged cells without a decision.",
        "batch": "Batch", "summary": "batch summary",
        "progress": "{docs_done} of {docs} documents reviewed · {cells_done} of {cells} flagged cells decided",
        "document": "document", "agency": "agency", "year": "year", "kind": "kind", "status": "status",
        "decided": "decided", "review_state": "review", "no_documents": "No documents in this batch.",
        "unknown_agency": "(unknown agency)", "flagged_cells": "flagged cells", "readonly_report": "read-only report",
        "keys": "Keys: <kbd>n</kbd>/<kbd>j</kbd> next flagged cell · <kbd>p</kbd>/<kbd>k</kbd> previous · "
                "<kbd>a</kbd> accept and go on · <kbd>A</kbd> accept the whole table · <kbd>o</kbd> override · "
                "<kbd>s</kbd> printed wrong · <kbd>u</kbd> undo · <kbd>Esc</kbd> leave the value box",
        "observed": "observed", "absent": "(absent)", "blank": "(blank)", "chosen": "chosen value",
        "confidence": "confidence", "reason": "reason", "decision": "decision", "by": "by", "at": "at",
        "source_text": "Source text", "page": "page {page}", "no_box": "(no box recorded: the line it was read from)",
        "weighed": "Values the solver weighed", "value": "value", "cost": "cost", "reading": "reading",
        "chosen_mark": "chosen", "more_candidates": "{n} more values (cost ≥ {cost})",
        "rules_title": "Rules of this table with current values",
        "rules_count": "{hold} hold, {fail} fail, {open} cannot be checked (a cell without a number).",
        "no_rule": "This cell takes part in no rule.",
        "reviewer": "reviewer", "accept": "Accept {value} (a)", "override": "Override (o)", "value_ph": "value",
        "source_error": "Printed wrong in the source (s)", "right_value_ph": "right value (optional)",
        "undo": "Undo decision (u)", "prev": "← previous flagged", "next": "next flagged →",
        "no_flagged": "No flagged cells. Click any cell to see it.",
        "bulk": "Accept all {n} {status} cells of this table (A)",
        "stale": "Not saved: this cell changed after the page was shown ({now}). The page now shows the cell as it "
                 "stands; decide again if you still disagree.",
        "stale_undone": "its decision was undone", "stale_decided": "{reviewer} decided it at {at}: {action}{value}",
        "bad_reviewer": "give a reviewer name of 1 to {n} characters",
        "bad_value": "not a whole number of at most {n} digits 0-9 (an optional minus): {raw!r}",
        "other_language": "中文", "crop_alt": "the cell on page {page}",
    },
}

RULE = {  # a rule of the catalogue by its kind, named with the printed labels of its row or column
    "zh": {"row_total": "{row}：各类申请人之和 = 总计", "balance": "{column}：一 + 二 = 三（七）总计 + 四",
           "outcome_total": "{column}：各项办理结果之和 = （七）总计", "group_total": "{row}：各项结果之和 = 总计"},
    "en": {"row_total": "{row}: the applicants add up to the total", "balance": "{column}: 一 + 二 = 三 total + 四",
           "outcome_total": "{column}: the outcomes add up to （七）总计",
           "group_total": "{row}: the results add up to the total"},
}


def words(lang: str) -> dict[str, Any]:
    """Everything the templates say in ``lang``: ``t`` (texts), ``status``, ``status_note``, ``action``,
    ``review_state``."""
    lang = lang if lang in LANGS else "zh"
    return {"lang": lang, "t": TEXT[lang], "status": STATUS[lang], "status_note": STATUS_NOTE[lang],
            "action": ACTION[lang], "review_state": REVIEW_STATE[lang]}


def rule_name(rule: str, labels: dict[str, Any], lang: str) -> str:
    """``group_total[litigation_after_review]`` as the template prints it: 复议后起诉：各项结果之和 = 总计."""
    kind, _, arg = rule.partition("[")
    arg = arg.rstrip("]")
    pattern = RULE["en" if lang == "en" else "zh"].get(kind)
    if pattern is None:
        return rule
    table = "review_litigation" if kind == "group_total" else "applications"
    names = labels.get(table, {})
    row = names.get("rows", {}).get(arg, arg)
    if table == "review_litigation" and arg.startswith("litigation"):
        row = f"行政诉讼·{row}"
    return pattern.format(row=row, column=names.get("columns", {}).get(arg, arg))
