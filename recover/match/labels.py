"""Fuzzy matching of observed row labels to the catalogue, with the order of rows as evidence.

Each observed row is scored against each template row with rapidfuzz. The observed sequence is then
aligned to the template sequence by dynamic programming (monotone, gaps allowed), so a mangled or
missing label is placed by its neighbours and a bare "1." lands in the group where it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from recover.catalogue import Row, load_catalogue
from recover.match.normalise import core, normalise

# Score given to an observed row with no usable label: placed by its neighbours only.
UNLABELLED = 0.35
# Below this similarity (0..1) a label is treated as noise rather than evidence.
FLOOR = 0.45


@lru_cache(maxsize=1)
def group_words() -> tuple[str, ...]:
    """The words of the catalogue's group labels (三、本年度办理结果 → 本年度办理结果, （三）不予公开 → 不予公开…)."""
    rows = [r for t in load_catalogue().tables.values() for r in t.rows]
    return tuple(sorted({core(r.group) for r in rows if r.group}, key=len, reverse=True))


def strip_groups(obs: str, groups: tuple[str, ...]) -> str:
    """Remove group-label words printed in front of a sub-row label, when a label remains."""
    out = obs
    for g in groups:
        i = out.find(g)
        if i >= 0 and len(out) - len(g) >= 3:
            out = out[i + len(g):] if i < 4 else out.replace(g, "")
    return out


@lru_cache(maxsize=512)
def _forms(labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((normalise(lab), core(lab)) for lab in labels)


def similarity(observed: str, row: Row) -> float:
    """Similarity 0..1 of an observed label to a template row (best of its label and aliases)."""
    obs = normalise(observed)
    if not obs:
        return 0.0
    obs = strip_groups(obs, group_words())
    best = 0.0
    for full, words in _forms(row.labels):
        s = max(fuzz.ratio(obs, full), fuzz.ratio(obs, words))
        # the observed text may carry extra words (group labels, header debris) or be truncated
        if len(words) >= 2:
            p = fuzz.partial_ratio(words, obs)
            short = min(len(words), len(obs)) / max(len(words), 1)
            cover = min(1.0, len(words) / max(len(obs), 1))
            s = max(s, p * (0.55 + 0.45 * min(1.0, short)) * (0.6 + 0.4 * cover))
        best = max(best, s / 100.0)
    return best


@lru_cache(maxsize=64)
def _narrow(strings: tuple[str, ...]) -> tuple[dict[str, str], str, tuple[str, ...]] | None:
    """The template's label strings in one-byte characters: each character they use gets a code below 256 (and
    ``other``, the code of every character they do not use); None if they use too many characters.

    rapidfuzz scores Han text several times slower than one-byte text (its bit-parallel tables over a wide
    alphabet are hash maps), and its scores depend only on which characters are equal: a character of an
    observed label that no template string uses matches nothing in them, whatever it is. So the scores of the
    narrowed strings are exactly those of the originals (the applications table's partial_ratio: 1.1 -> 0.4 ms)."""
    codes: dict[str, str] = {}
    for text in strings:
        for ch in text:
            if ch not in codes:
                codes[ch] = chr(len(codes) + 1)
    if len(codes) + 1 > 255:
        return None
    return codes, chr(len(codes) + 1), tuple(["".join([codes[ch] for ch in text]) for text in strings])


def similarity_matrix(observed: list[str], rows: list[Row]) -> np.ndarray:
    """similarity() for every (observed, row) pair, computed with rapidfuzz's vectorised cdist."""
    obs = [strip_groups(normalise(o), group_words()) for o in observed]
    forms = [(ri, full, words) for ri, r in enumerate(rows) for full, words in _forms(r.labels)]
    fulls = [f for _, f, _ in forms]
    words = [w for _, _, w in forms]
    lo = np.array([len(o) for o in obs], dtype=np.float32)[:, None]
    lw = np.array([len(w) for w in words], dtype=np.float32)[None, :]
    narrow = _narrow(tuple(fulls + words))
    if narrow is not None:  # (lengths unchanged: the lengths above are the originals')
        codes, other, coded = narrow
        obs = ["".join([codes.get(ch, other) for ch in o]) for o in obs]
        fulls, words = list(coded[:len(fulls)]), list(coded[len(fulls):])
    r1 = process.cdist(obs, fulls, scorer=fuzz.ratio, dtype=np.float32)
    r2 = process.cdist(obs, words, scorer=fuzz.ratio, dtype=np.float32)
    pr = process.cdist(obs, words, scorer=fuzz.partial_ratio, dtype=np.float32)
    short = np.minimum(lw, lo) / np.maximum(lw, 1)
    cover = np.minimum(1.0, lw / np.maximum(lo, 1))
    part = pr * (0.55 + 0.45 * np.minimum(1.0, short)) * (0.6 + 0.4 * cover)
    part = np.where(lw >= 2, part, 0)
    per_form = np.maximum(np.maximum(r1, r2), part) / 100.0
    per_form[lo[:, 0] == 0, :] = 0.0
    # each row's best form: a row's forms are consecutive columns of ``per_form`` (scores are >= 0, so a row without
    # forms keeps 0)
    out = np.zeros((len(obs), len(rows)), dtype=np.float64)
    if forms:
        firsts = [k for k, (ri, _, _) in enumerate(forms) if k == 0 or forms[k - 1][0] != ri]
        out[:, [forms[k][0] for k in firsts]] = np.maximum.reduceat(per_form, firsts, axis=1)
    return out


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[tuple[int, int, float], ...]  # (observed index, template index, similarity)
    score: float


def align(observed: list[str], template: list[Row], sims_matrix: np.ndarray | None = None) -> Alignment:
    """Best monotone assignment of observed rows to template rows (each used at most once).

    ``sims_matrix`` may carry precomputed similarities (observed × template), e.g. a slice of one
    matrix computed for every row of the catalogue when several formats are tried."""
    n, m = len(observed), len(template)
    if sims_matrix is None:
        sims_matrix = similarity_matrix(observed, template) if n and m else np.zeros((n, m))
    sims = sims_matrix.tolist()
    gain = [[UNLABELLED] * m if not normalise(observed[i]) else [s - FLOOR for s in sims[i]] for i in range(n)]
    # best[i][j]: best score aligning the first i observed rows with the first j template rows
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1: skip observed, 2: skip template, 3: match
    for i in range(1, n + 1):
        prev, cur, g_row, mv = best[i - 1], best[i], gain[i - 1], move[i]
        mv[0] = 1
        for j in range(1, m + 1):
            up, left = prev[j], cur[j - 1]
            if up >= left:
                v, k = up, 1
            else:
                v, k = left, 2
            g = g_row[j - 1]
            if g > 0 and prev[j - 1] + g > v:
                v, k = prev[j - 1] + g, 3
            cur[j], mv[j] = v, k
    pairs = []
    i, j = n, m
    while i > 0 and j >= 0:
        k = move[i][j] if j > 0 else 1
        if k == 3:
            pairs.append((i - 1, j - 1, sims[i - 1][j - 1]))
            i, j = i - 1, j - 1
        elif k == 1:
            i -= 1
        else:
            j -= 1
    return Alignment(_fill_gaps(tuple(reversed(pairs)), sims), best[n][m])


Pairs = tuple[tuple[int, int, float], ...]


def _fill_gaps(pairs: Pairs, sims: list[list[float]]) -> Pairs:
    """Place rows whose labels read too badly to match by order alone: where k observed rows lie between
    two matched rows and exactly k template rows lie between their matches, the template is printed in
    order, so the i-th unmatched row is the i-th missing template row (a 150 dpi scan read （一）予以公开 as
    《一)所以会开, similarity below FLOOR, and its row of figures was dropped). A gap with a different number
    of rows on each side is left alone: which row is missing, or which is debris, is not known."""
    out = list(pairs)
    for (ia, ja, _), (ib, jb, _) in zip(pairs, pairs[1:]):
        if ib - ia == jb - ja > 1:
            out += [(ia + k, ja + k, sims[ia + k][ja + k]) for k in range(1, ib - ia)]
    return tuple(sorted(out))
