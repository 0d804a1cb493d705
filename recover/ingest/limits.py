"""What one document may make recover read: each limit a default the user can raise with an environment variable.

Government reports are small (a report is rarely over 40 pages, its pages A4, its DOCX a few hundred kilobytes of
XML); inputs far past these limits are damaged or hostile (page, image, zip and span bombs), and reading them whole
would take gigabytes and minutes. Past a limit the reader either reads what is within it and lists the rest in the
result (pages after the first ``max_pages()``), or ends with exit 4 naming the limit and how to raise it.
"""

from __future__ import annotations

import os

PAGES = ("RECOVER_MAX_PAGES", 60)  # pages read per document
PIXELS = ("RECOVER_MAX_PIXELS", 80_000_000)  # pixels of one page image (A3 at 600 dpi is 70 million)
INFLATED_MB = ("RECOVER_MAX_INFLATED_MB", 200)  # megabytes a DOCX's parts may inflate to
ZIP_RATIO = ("RECOVER_MAX_ZIP_RATIO", 200)  # times a DOCX part past 1 MB may inflate (a report's XML: 10 to 30)
SPAN = ("RECOVER_MAX_SPAN", 64)  # grid columns a DOCX or HTML table cell may span
GLUED_RUN = ("RECOVER_MAX_DIGITS", 64)  # digits of a glued run cut into a row's figures (15 figures of 3 digits: 45)
DEPTH = ("RECOVER_MAX_DEPTH", 256)  # nesting depth of an HTML page's or a DOCX part's elements


def limit(setting: tuple[str, int]) -> int:
    """The limit's value: its environment variable when set to a positive whole number, else its default."""
    name, default = setting
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def over(setting: tuple[str, int], what: str) -> str:
    """The words of an error past a limit: what, the limit, and how to raise it."""
    return f"{what}, over the limit of {limit(setting):,} ({setting[0]}=N raises it)"
