"""Settling documents with their neighbouring years: which documents of an agency to repair again, with what the
reports of the year before and the year after say about them (``links.neighbour_ties``).

A document is repaired again when one of the cells the template ties across years is flagged in it and its
neighbours say something about it (their figures read as printed); the repair weighs what they say as soft
evidence, like a figure the report's own narrative restates. Done again until no document's ties change, so a
year settled by one neighbour can settle the next.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from recover.collection.links import Sides, neighbour_ties, template_links
from recover.repair.terms import Tie

LINKED = frozenset(key for link in template_links() for key, _ in link.earlier + link.later)
SETTLING_ROUNDS = 4  # settling passes over a batch (each can settle the years next to those the last one settled)


@dataclass(frozen=True)
class Member:
    """One document of an agency: its id, year, what each side of each link may be in it (``links.link_sides``),
    and whether a cell the links tie is flagged in it."""

    id: int
    year: int
    sides: Sides
    open: bool


def ties_for(members: list[Member]) -> dict[int, list[Tie]]:
    """doc id -> the ties to repair it with, for every document of one agency with a flagged linked cell and
    something said about it by the year before or after (every report of those years is heard)."""
    by_year: dict[int, list[Member]] = {}
    for m in members:
        by_year.setdefault(m.year, []).append(m)
    out: dict[int, list[Tie]] = {}
    for m in members:
        if not m.open:
            continue
        found: dict[tuple, Tie] = {}
        for before in by_year.get(m.year - 1, [None]):
            for after in by_year.get(m.year + 1, [None]):
                for t in neighbour_ties(before.sides if before else None, after.sides if after else None,
                                        (m.year - 1, m.year, m.year + 1)):
                    found.setdefault((t.id, t.source, t.terms, t.values), t)
        if found:
            out[m.id] = sorted(found.values(), key=lambda t: (t.id, t.source, t.values))
    return out


def ties_json(ties: list[Tie] | tuple[Tie, ...]) -> str:
    """The ties a document was repaired with, as stored (to tell whether they changed)."""
    return json.dumps([[t.id, [[list(c), s] for c, s in t.terms], list(t.values), t.sentence, t.source]
                       for t in ties], ensure_ascii=False, sort_keys=True)


def is_open(ex) -> bool:
    """Whether a cell the links tie is flagged in the document (an ``Extraction``): the neighbours may settle it."""
    return any(c.status.value != "ok" for c in ex.cells if c.key in LINKED)
