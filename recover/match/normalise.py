"""Normalise label text before fuzzy matching.

Full-width forms become half-width (NFKC), whitespace and punctuation go, bookmark debris goes,
enumerators (一、 （三） 1.) can be stripped to compare the words of a label alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")  # Word's bookmark debris in a text dump
PUNCT = re.compile(r"[\s\u3000,，。.、;；:：'\"“”‘’《》<>〈〉()（）\[\]【】{}·•●■□|/\\_\-—－~`!！?？*#]+")
ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|[0-9]+[.、])")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Comparable form of a label: NFKC, no whitespace, no punctuation."""
    t = unicodedata.normalize("NFKC", text)
    if "[" in t:
        t = BOOKMARK.sub("", t)
    return PUNCT.sub("", t)


@lru_cache(maxsize=8192)
def core(text: str) -> str:
    """The words of a label without its leading enumerator: '（三）不予公开' → '不予公开'."""
    t = unicodedata.normalize("NFKC", text).strip()
    t = ENUM.sub("", t)
    return normalise(t)
