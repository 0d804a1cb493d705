"""Interpretations of a value token's text, with costs from the confusion model in ``models/``.

``classify`` says whether a cell's text is a value, a blank, a label or noise; ``readings`` lists the
values a value token may stand for, cheapest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from recover.catalogue import models_dir
from recover.ingest.limits import GLUED_RUN, limit
from recover.model import Channel, Reading

NUMBER = re.compile(r"^\s*([+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|元|件|个|条|项)?\s*$")
MAX_FIGURE_DIGITS = 15  # digits of one figure: a longer run is glued figures or damage (and 10**15 < 2**53, the
# largest integer a JSON reader keeps exactly)
MAX_VARIANTS = 6  # cheapest OCR misreadings offered per token; "any value" covers the rest
HAN = re.compile(r"[\u4e00-\u9fff]")
SPACE = re.compile(r"[\s\u3000]+")  # a run of white space, ideographic spaces included
# Full-width forms of a figure's characters (a Word document typed in a Chinese input mode: －８, １２．５)
FULL_WIDTH_FORMS = "０１２３４５６７８９－＋．"
ASCII_FORMS = str.maketrans(FULL_WIDTH_FORMS, "0123456789-+.")
FULL_WIDTH = re.compile(f"[{re.escape(FULL_WIDTH_FORMS)}]")  # any character ASCII_FORMS maps


def ascii_figure(text: str) -> str:
    """``text`` with the full-width digits, signs and decimal point of a figure in their ASCII forms. (Most text
    has none: a search finds that out some ten times faster than ``translate`` goes over Han text.)"""
    return text.translate(ASCII_FORMS) if FULL_WIDTH.search(text) else text


@dataclass(frozen=True)
class ConfusionModel:
    char_to_digit: dict[str, tuple[tuple[int, float], ...]]
    digit_to_digit: dict[str, tuple[tuple[int, float], ...]]
    dropped_digit: float
    added_digit: float
    none_symbols: frozenset[str]
    none_cost: float


@lru_cache(maxsize=1)
def confusion_model() -> ConfusionModel:
    d = yaml.safe_load((models_dir() / "confusion.yaml").read_text(encoding="utf-8"))
    conv = {k: tuple((int(v), float(c)) for v, c in vs) for k, vs in d["char_to_digit"].items()}
    dig = {str(k): tuple((int(v), float(c)) for v, c in vs) for k, vs in d["digit_to_digit"].items()}
    return ConfusionModel(conv, dig, float(d["dropped_digit"]), float(d["added_digit"]),
                          frozenset(d["none_symbols"]), float(d["none_cost"]))


def is_none_symbol(text: str) -> bool:
    return text.strip() in confusion_model().none_symbols


def is_value_text(text: str) -> bool:
    """A printed number, a none-symbol, or a short run of digits and digit-like glyphs."""
    t = text.strip()
    if not t:
        return False
    if NUMBER.match(ascii_figure(t)) or is_none_symbol(t):
        return True
    cm = confusion_model()
    return len(t) <= 4 and not HAN.search(t) and all(ch.isdigit() or ch in cm.char_to_digit for ch in t) \
        and any(ch.isdigit() for ch in t) or (len(t) == 1 and t in cm.char_to_digit and t.isalpha())


def readings(text: str, channel: Channel, kind: str = "int") -> list[Reading]:
    """Values the token may stand for, cheapest first. Empty list: nothing usable was read."""
    return list(_readings(text, channel, kind))


def best_reading(text: str, channel: Channel, kind: str = "int") -> Reading | None:
    """The cheapest of ``readings`` (None: nothing usable was read), without copying the list."""
    rs = _readings(text, channel, kind)
    return rs[0] if rs else None


@lru_cache(maxsize=4096)
def _readings(text: str, channel: Channel, kind: str) -> tuple[Reading, ...]:
    t = text.strip()
    cm = confusion_model()
    if not t:
        return ()
    if t in cm.none_symbols:
        return (Reading(0, cm.none_cost, f"'{t}' printed for none", notation=True),)
    t = ascii_figure(t)
    m = NUMBER.match(t)
    if m:
        num, unit = m.group(1).replace("−", "-").replace(",", ""), m.group(2)
        if len(num.lstrip("+-").split(".")[0]) > MAX_FIGURE_DIGITS:
            return ()  # no figure: cut into figures where its row's cells are glued (split_runs), else unreadable
        if kind == "amount_with_unit":  # the figure and its unit, one space apart however printed ("3944459元")
            return (Reading(f"{m.group(1)} {unit}" if unit else m.group(1), 0.0, "as printed"),)
        if "." in num:
            return (Reading(float(num), 0.0, "as printed"),)
        out = [Reading(int(num), 0.0, "as printed" + (f" (unit {unit} dropped)" if unit else ""))]
        if channel is Channel.ocr and kind == "signed" and num[0] not in "+-" and int(num):
            # a minus is one short stroke OCR easily loses, and nothing in table 二 restates the change
            out.append(Reading(-int(num), 0.0, f"'{t}' may have lost its minus sign in OCR"))
        if channel is Channel.ocr:
            out += _ocr_variants(num.lstrip("+-"), cm)
        return tuple(out)
    # glyphs standing for digits (b for 0/6, l for 1, …)
    if len(t) > MAX_FIGURE_DIGITS:
        return ()
    options: list[list[tuple[str, float]]] = []
    for ch in t:
        if ch.isdigit():
            options.append([(ch, 0.0)])
        elif ch in cm.char_to_digit:
            options.append([(str(v), c) for v, c in cm.char_to_digit[ch]])
        else:
            return ()
    combos: list[tuple[str, float]] = [("", 0.0)]
    for opts in options:
        combos = [(s + d, c + dc) for s, c in combos for d, dc in opts][:32]
    out = [Reading(int(s), c, f"'{t}' read as {int(s)} (misprinted glyph)") for s, c in combos]
    return tuple(sorted(out, key=lambda r: r.cost))


def _ocr_variants(digits: str, cm: ConfusionModel) -> list[Reading]:
    """One-edit misreadings of an OCR'd number: a confused digit, a dropped or an added digit."""
    seen = {int(digits)}
    out: list[Reading] = []

    def add(s: str, cost: float, why: str) -> None:
        if s and (len(s) == 1 or s[0] != "0") and int(s) not in seen:
            seen.add(int(s))
            out.append(Reading(int(s), cost, why))

    for i, ch in enumerate(digits):
        for v, c in cm.digit_to_digit.get(ch, ()):
            add(digits[:i] + str(v) + digits[i + 1:], c, f"OCR confusion {ch}→{v}")
        if len(digits) > 1:
            add(digits[:i] + digits[i + 1:], cm.added_digit, f"extra digit {ch} read")
    for i in range(len(digits) + 1):  # a lost digit: only where OCR loses them, at the ends
        if i in (0, len(digits)) and len(digits) < 4:
            for d in "0" if i == len(digits) else "123456789":
                add(digits[:i] + d + digits[i:], cm.dropped_digit, "a digit was lost")
    return sorted(out, key=lambda r: r.cost)[:MAX_VARIANTS]


def split_runs(digits: str, parts: int) -> list[tuple[int, ...]]:
    """Every way to cut a glued digit run into ``parts`` numbers without leading zeros. A run that starts with
    a minus (web text glues a signed figure to the next: 本年增/减 "-41" = -4, 1) gives it to its first number.
    None for a run longer than ``RECOVER_MAX_DIGITS`` (64) or than ``parts`` figures can be."""
    if digits[:1] in ("-", "−"):
        return [(-p[0],) + p[1:] for p in split_runs(digits[1:], parts)]
    n = len(digits)
    out: list[tuple[int, ...]] = []
    if parts <= 0 or parts > n or n > limit(GLUED_RUN) or n > parts * MAX_FIGURE_DIGITS:
        return out

    def rec(start: int, left: int, acc: tuple[int, ...]) -> None:
        if left == 1:
            piece = digits[start:]
            if len(piece) == 1 or piece[0] != "0":
                out.append(acc + (int(piece),))
            return
        max_len = n - start - (left - 1)
        for ln in range(1, max_len + 1):
            piece = digits[start:start + ln]
            if ln > 1 and piece[0] == "0":
                break
            rec(start + ln, left - 1, acc + (int(piece),))
            if len(out) > 200000:
                return

    rec(0, parts, ())
    return out
