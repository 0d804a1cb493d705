"""recover's reasons in Chinese, for the review page.

Every reason and reading a cell carries is written by recover from a few sentence patterns (``recover/repair/
status.py``, the readings of ``recover/read/values.py`` and ``recover/reconstruct``). ``PATTERNS`` holds each
pattern in English, as the code writes it, with its Chinese; ``chinese`` matches a reason against them and writes
the Chinese, the parts that are themselves reasons translated the same way, the rule ids named as the template
prints them. A reason no pattern matches is shown as written (``tests/review/test_reasons.py`` checks that every
reason of the corpus and of generated reports is matched, so a pattern changed in the code without its twin here
fails there).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# (English pattern, Chinese). Slots: {why} {reason} a nested reason; {rules} rule ids, comma-separated; any other a
# figure or printed text, copied. More specific patterns first.
PATTERNS: list[tuple[str, str]] = [
    ("{why}; chosen because rules {rules} hold with it", "{why}；取此值时勾稽关系{rules}成立"),
    ("{why} (the only placement consistent with the arithmetic at least cost)",
     "{why}（以最小代价符合勾稽关系的唯一排法）"),
    ("{why}; settled by the {year} report ({said}): {terms}", "{why}；由 {year} 年报告确定（{said}）：{terms}"),
    ("{reason}; {alts} would also fit the arithmetic at nearly the same cost",
     "{reason}；{alts} 也以几乎相同的代价符合勾稽关系"),
    ("{why} (number too large)", "{why}（数字过大）"),
    ("{why}, against a confident reading", "{why}，与高置信度的读数不符"),
    ("second OCR reading '{alt}' ({why})", "OCR 第二次读作「{alt}」（{why}）"),
    ("second OCR reading '{alt}'", "OCR 第二次读作「{alt}」"),
    ("not printed; rules {rules} leave it open", "原表未印；勾稽关系{rules}不能确定其值"),
    ("not printed; rules {rules} require {x}", "原表未印；勾稽关系{rules}要求为 {x}"),
    ("a blank printed where a figure belongs; rules {rules} require {x}",
     "此处应为数字，原表空白；勾稽关系{rules}要求为 {x}"),
    ("nothing printed where a figure belongs; rules {rules} require {x}",
     "此处应为数字，原表无内容；勾稽关系{rules}要求为 {x}"),
    ("{what} printed where a figure belongs; rules {rules} require {x}",
     "此处应为数字，原表印为 {what}；勾稽关系{rules}要求为 {x}"),
    ("the printed values fit these cells in more ways than were weighed ({n}); read '{obs}'",
     "所印数字填入这些单元格的方式多于已权衡的（{n} 种）；读作「{obs}」"),
    ("read '{obs}' in a scanned table whose columns did not match the template's",
     "读作「{obs}」，所在扫描表格的列与模板不符"),
    ("printed blank (read as 0), but rules {rules} require {x}", "原表空白（按 0 读取），但勾稽关系{rules}要求为 {x}"),
    ("printed {obs}, but rules {rules} require {x}: an error in the published table",
     "原表印为 {obs}，但勾稽关系{rules}要求为 {x}：公开的表格有误"),
    ("read '{obs}', but rules {rules} require {x}", "读作「{obs}」，但勾稽关系{rules}要求为 {x}"),
    ("placed where the printed figures fit, but the rules hold only with {cells} changed from its reading",
     "按所印数字排入，但须改动 {cells} 的读数勾稽关系才成立"),
    ("value {value} is not unique: {alts} fit the arithmetic at the same or nearly the same cost; observed {obs}",
     "取值 {value} 不唯一：{alts} 以相同或几乎相同的代价符合勾稽关系；原表所印 {obs}"),
    ("'{text}' can be cut or read several ways with nothing to choose between them: {value} or {alts}",
     "「{text}」可有多种切分或读法，无从取舍：{value} 或 {alts}"),
    ("{obs} printed, which is no figure", "原表印为 {obs}，不是数字"),
    ("nothing usable was printed for this cell", "原表此格没有可用的内容"),
    ("read '{text}' with OCR confidence {conf} (a digit may be lost or misread) in a table no rule checks",
     "OCR 以置信度 {conf} 读作「{text}」（可能丢失或误读一位数字），本表没有勾稽关系可核对"),
    ("read '{text}', read again as '{other}'; no rule of this table can choose between them",
     "读作「{text}」，重读为「{other}」；本表没有勾稽关系可作取舍"),
    ("table {title} is printed without figures", "{title}：表内未印数字"),
    ("row {row} of table {title} not found in the document", "文中未找到{title}的 {row} 行"),
    ("table {title} not found in the document", "文中未找到{title}"),
    ("{k} values for {n} cells: dropped value {which}", "{n} 个单元格印了 {k} 个数字：舍去第 {which} 个"),
    ("{k} values for {n} cells: values {which} [one of too many equally good placements]",
     "{n} 个单元格印了 {k} 个数字：取第 {which} 个（同样好的排法太多，此为其一）"),
    ("'{text}' printed for none", "「{text}」表示无"),
    ("as printed (unit {unit} dropped)", "按原表所印（去掉单位 {unit}）"),
    ("as printed", "按原表所印"),
    ("'{text}' may have lost its minus sign in OCR", "「{text}」在 OCR 中可能丢了负号"),
    ("'{text}' read as {value} (misprinted glyph)", "「{text}」读作 {value}（字形误印）"),
    ("OCR confusion {a}→{b}", "OCR 混淆 {a}→{b}"),
    ("extra digit {d} read", "多读了一位数字 {d}"),
    ("a digit was lost", "丢了一位数字"),
    ("nothing usable read in '{text}'", "「{text}」中没有可用的读数"),
    ("blank cell (reported as none)", "空白格（表示无）"),
    ("blank cell in a table that prints every figure", "本表逐格印数字，此格空白"),
    ("glued digits cut", "粘连的数字已切分"),
    ("{n} cell(s) not printed", "{n} 格未印"),
    ("required by the rules", "勾稽关系要求"),
    ("also fits the arithmetic at (nearly) the same cost", "以（几乎）相同的代价同样符合勾稽关系"),
    ("any other value (the reading given up)", "任意其他值（放弃该读数）"),
    ("read by OCR: the page image is the evidence", "由 OCR 读取：以页面图像为证"),
    ("nothing was printed for this cell: its value comes from the arithmetic", "原表此格未印：其值来自勾稽关系"),
    ("read as printed; the rules hold", "按原表读取；勾稽关系成立"),
    ("(not read)", "（未读出）"),
    ("{value} (cut from '{run}')", "{value}（切自「{run}」）"),
    ("any", "任意值"),
]
NESTED = {"why", "reason"}


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for english, zh in PATTERNS:
        parts = re.split(r"\{(\w+)\}", english)
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        out.append((re.compile(regex + r"\Z", re.S), zh))
    return out


def chinese(reason: str | None, rule_name: Callable[[str], str],
            row_name: Callable[[str], str] = lambda key: key) -> str | None:
    """``reason`` in Chinese (``rule_name`` names a rule id, ``row_name`` a row key); as written when no pattern
    matches it."""
    if not reason:
        return reason
    for regex, zh in _compiled():
        m = regex.match(reason)
        if m is None:
            continue
        slots = {}
        for name, value in m.groupdict().items():
            if name in NESTED:
                slots[name] = chinese(value, rule_name, row_name)
            elif name == "rules":
                slots[name] = "".join(f"〔{rule_name(r)}〕" for r in value.split(", "))
            elif name == "row":
                slots[name] = row_name(value)
            elif "(cut from '" in value:  # an observed figure cut from a glued run: 3 (cut from '1653024')
                slots[name] = value.replace("(cut from '", "（切自「").replace("')", "」）")
            else:
                slots[name] = ("（无）" if value == "None" else
                               value.replace(" or ", " 或 ").replace(", None", "、（无）"))
        return zh.format(**slots)
    return reason


PRINTED_TEXT = re.compile(r"「[^」]*」|'[^']*'|\"[^\"]*\"")


def english_left(text: str | None) -> str | None:
    """A word of English left in a translated reason outside quoted printed text (None: none left)."""
    m = re.search(r"[A-Za-z]{3,}", PRINTED_TEXT.sub("", text or "").replace("OCR", ""))
    return m.group(0) if m else None
