"""Render a corpus truth.json as a saved government web page with the official table layout.

Used to make the HTML documents of the corpus from hand-written ground truth (issue 4): tables 二, 三 and 四
laid out as the national template prints them (multi-level headers with rowspan/colspan, the vertical group
label 三、本年度办理结果 one character per line, the 第二十条 item headers of table 二), inside a page with
site navigation, scripts, styles and a footer, in a chosen encoding and script.

    python3 scripts/render_html.py TRUTH.json OUT.html [--encoding gbk] [--declare gb2312]
                                        [--traditional] [--blank-legal-zeros] [--dash-review-zeros]
                                        [--single-rules]

``--declare`` writes that charset in <meta> (government sites often declare gb2312 and print GBK-only
characters); ``--traditional`` converts the page to traditional characters with OpenCC (a mirror site);
``--blank-legal-zeros`` leaves zero cells of the five 法人或其他组织 columns blank, ``--dash-review-zeros``
prints the zeros of table 四 as "—", ``--single-rules`` draws each ruling line once (collapsed borders, as
Word and WPS print them: the page to print to PDF with ``chromium --headless --print-to-pdf``). Table 二 is
rendered in the layout of its format. The page and the tables are ``devtools.synth.layout`` (also used by the
generated text family, ``devtools.synth.text``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devtools.synth.layout import LEGAL, page, plain  # noqa: E402  (the layout lives in devtools)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("truth")
    ap.add_argument("out")
    ap.add_argument("--encoding", default="utf-8")
    ap.add_argument("--declare", default=None, help="charset written in <meta> (default: the encoding)")
    ap.add_argument("--traditional", action="store_true")
    ap.add_argument("--blank-legal-zeros", action="store_true")
    ap.add_argument("--dash-review-zeros", action="store_true")
    ap.add_argument("--single-rules", action="store_true")
    a = ap.parse_args(argv)
    truth = json.loads(Path(a.truth).read_text(encoding="utf-8"))

    def fmt(table: str, row: str, col: str, v: object) -> str:
        if v == 0 and a.blank_legal_zeros and table == "applications" and col in LEGAL:
            return ""
        if v == 0 and a.dash_review_zeros and table == "review_litigation":
            return "—"
        return plain(table, row, col, v)

    text = page(truth, fmt, a.declare if a.declare is not None else a.encoding, a.single_rules)
    if a.traditional:
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    Path(a.out).write_bytes(text.encode(a.encoding))
    return 0


if __name__ == "__main__":
    sys.exit(main())
