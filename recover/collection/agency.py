"""One key per agency, from the names its reports print: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one agency;
鼓楼区人民政府 stays apart from 南京市鼓楼区人民政府 when 福州市鼓楼区人民政府 is in the same batch too.

``normalise`` makes a name comparable (simplified characters, no spaces or brackets, 办公厅 read as 办公室);
``agency_keys`` groups the names of a batch: a name that another name ends with, and that starts with a place
(洪泽区…), is the same agency as that longer name — unless longer names with different places before it exist
(two cities with a 鼓楼区), when it stays its own key. A group's key is its shortest name.
"""

from __future__ import annotations

import re

from recover.ingest.document import simplified

PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|特别行政区|地区|省|市|州|盟|区|县|旗)")
NOISE = re.compile(r"[\s\u3000()（）【】\[\]《》<>“”\"'·・,，.。:：;；]+")
SAME = (("办公厅", "办公室"),)  # a government's general office is written both ways


def normalise(name: str | None) -> str | None:
    """The agency name as compared: simplified characters, no spaces, brackets or punctuation; None for none."""
    if not name:
        return None
    text = NOISE.sub("", simplified(name))
    for variant, canonical in SAME:
        text = text.replace(variant, canonical)
    return text or None


def agency_keys(names: list[str | None]) -> dict[str, str]:
    """normalised name -> the agency key of its group, for every name of a batch."""
    found = sorted({n for n in map(normalise, names) if n}, key=len)
    key = {n: n for n in found}
    for short in found:
        if not PLACE.match(short):
            continue
        longer = [n for n in found if len(n) > len(short) and n.endswith(short)]
        prefixes = {n[:-len(short)] for n in longer}
        if len(prefixes) != 1:
            continue  # none, or places of two different cities before it: not known to be one agency
        for n in longer:
            key[n] = key[short]
    return key
