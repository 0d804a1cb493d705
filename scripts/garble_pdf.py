"""Make a PDF whose text layer is garbled on chosen pages: their fonts lose the ToUnicode map.

Chinese PDFs often embed subset CID fonts without a usable ToUnicode CMap; their text layer then yields
glyph ids read as private-use, control or unrelated characters. This tool reproduces that on a real
report, page by page (each chosen page gets its own copy of its fonts, without /ToUnicode, so the other
pages keep a sound text layer):

    python3 scripts/garble_pdf.py IN.pdf OUT.pdf PAGE [PAGE ...]     # 1-based page numbers
"""

from __future__ import annotations

import sys

import pikepdf


def garble(src: str, dst: str, pages: list[int]) -> None:
    with pikepdf.open(src) as pdf:
        for no in pages:
            page = pdf.pages[no - 1]
            fonts = page.obj.Resources.get("/Font")
            if fonts is None:
                continue
            res = pikepdf.Dictionary(page.obj.Resources)  # the page's own resources
            own = pikepdf.Dictionary()
            for name, font in fonts.items():
                copy = pdf.make_indirect(pikepdf.Dictionary(font))
                if "/ToUnicode" in copy:
                    del copy["/ToUnicode"]
                own[name] = copy
            res["/Font"] = own
            page.obj.Resources = res
        pdf.save(dst, deterministic_id=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    garble(sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]])
