"""Write a scan corpus that ``python3 -m devtools score`` and ``python3 -m devtools bench-scan`` grade.

Layout: ``OUTDIR/<level>/<document>/`` holds the scanned pages (one multi-page TIFF by default), the
``truth.json`` (corpus shape, ``source`` naming the scan) and ``scan.json`` (level, dpi, seed, the pages holding
a table, the damage done to each page). Synthetic document ``i`` of seed ``s`` uses seed ``s + i`` for its truth,
its printed style and its damage, so any single document can be regenerated alone. Real PDFs are rendered
page by page with pypdfium2 at the level's dpi and damaged the same way; their truth is their corpus truth.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from devtools.synth.degrade import LEVELS, Level, scan
from devtools.synth.render import render_report
from devtools.synth.truth import make_truth

CONTAINERS = ("tiff", "pdf", "png")
REAL_DOCS = ("hongze_district_2023", "hongze_district_2024", "huaian_city_2024")
# A real page holds a table when its text layer (whitespace removed) has one of these table-only words: the
# headers of tables 二, 三 and 四 and rows of table 三 that continue on a next page.
TABLE_WORDS = ("信息内容", "申请人情况", "补正后申请内容仍不明确", "重复申请", "未经复议直接起诉")


def save_pages(pages: list[np.ndarray], folder: Path, stem: str, container: str, dpi: int) -> str:
    """Save page images as ``container``; returns the name (relative to ``folder``) recover reads.

    tiff: one multi-page TIFF, deflate-compressed (lossless, keeps the dpi). pdf: an image-only PDF (note that
    recover renders PDF pages at its own 200 dpi). png: a folder of page images ``page-001.png`` ….
    """
    ims = [Image.fromarray(p) for p in pages]
    if container == "tiff":
        name = f"{stem}.tif"
        ims[0].save(folder / name, save_all=True, append_images=ims[1:], compression="tiff_deflate",
                    dpi=(dpi, dpi))
        _zero_tiff_padding(folder / name)
    elif container == "pdf":
        name = f"{stem}.pdf"
        ims[0].save(folder / name, save_all=True, append_images=ims[1:], resolution=float(dpi))
    elif container == "png":
        name = stem
        (folder / name).mkdir(exist_ok=True)
        for i, im in enumerate(ims, start=1):
            im.save(folder / name / f"page-{i:03d}.png", dpi=(dpi, dpi))
    else:
        raise ValueError(f"container {container!r} not in {CONTAINERS}")
    return name


def _zero_tiff_padding(path: Path) -> None:
    """libtiff pads each page's compressed data to an even length with one byte it leaves uninitialised; set
    those bytes to 0 so the same pixels always give the same file."""
    with Image.open(path) as im:
        ends = []
        for k in range(im.n_frames):
            im.seek(k)
            ends.append(max(o + n for o, n in zip(im.tag_v2[273], im.tag_v2[279])))
    data = bytearray(path.read_bytes())
    for end in ends:
        if end % 2 and end < len(data):
            data[end] = 0
    path.write_bytes(bytes(data))


def scan_pages(pages: list[np.ndarray], level: Level, seed: int,
               seal_at: tuple[float, float] | None) -> tuple[list[np.ndarray], list[dict]]:
    """Damage every page with ``level`` (random stream seeded by ``seed`` and the dpi); a seal may go on the
    last page at ``seal_at``."""
    rng = np.random.default_rng([seed, level.dpi])
    out, damage = [], []
    for i, page in enumerate(pages):
        img, done = scan(page, level, rng, seal_at if i == len(pages) - 1 else None)
        out.append(img)
        damage.append(done)
    return out, damage


def _write(folder: Path, stem: str, pages: list[np.ndarray], truth: dict, meta: dict, container: str,
           dpi: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    truth = dict(truth, source=save_pages(pages, folder, stem, container, dpi))
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "scan.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def synth_document(outdir: Path, seed: int, level_name: str, container: str = "tiff") -> Path:
    """Generate, render and scan one synthetic report into ``outdir/<level>/synth_<seed>/``."""
    level = LEVELS[level_name]
    truth = make_truth(seed)
    rendered = render_report(truth, level.dpi, seed=seed)
    pages, damage = scan_pages([p.image for p in rendered], level, seed, rendered[-1].seal_at)
    meta = {"level": level_name, "dpi": level.dpi, "seed": seed, "pages": len(pages), "style": rendered[0].style,
            "table_pages": [i + 1 for i, p in enumerate(rendered) if p.tables],
            "tables": [sorted(set(p.tables)) for p in rendered], "damage": damage}
    return _write(outdir / level_name / f"synth_{seed:04d}", f"synth_{seed:04d}", pages, truth, meta, container,
                  level.dpi)


def real_document(outdir: Path, corpus_doc: Path, level_name: str, seed: int = 0, container: str = "tiff") -> Path:
    """Render a born-digital corpus PDF at the level's dpi, scan it, and write it with its corpus truth."""
    import pypdfium2 as pdfium

    from recover.ingest.scan import render_pdf

    level = LEVELS[level_name]
    truth = json.loads((corpus_doc / "truth.json").read_text(encoding="utf-8"))
    pdf_path = corpus_doc / truth["source"]
    gray = [img for _, img in render_pdf(pdf_path, dpi=level.dpi)]
    pdf = pdfium.PdfDocument(str(pdf_path))
    texts = ["".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    table_pages = [i + 1 for i, text in enumerate(texts) if any(w in text for w in TABLE_WORDS)]
    pages, damage = scan_pages(gray, level, seed, (0.72, 0.8))
    meta = {"level": level_name, "dpi": level.dpi, "seed": seed, "pages": len(pages), "table_pages": table_pages,
            "from": str(pdf_path), "damage": damage}
    truth = dict(truth, grade="flagged")
    return _write(outdir / level_name / f"{corpus_doc.name}_scan", f"{corpus_doc.name}_scan", pages, truth, meta,
                  container, level.dpi)


def synth_corpus(outdir: Path, seed: int = 0, count: int = 3, levels: tuple[str, ...] = tuple(LEVELS),
                 container: str = "tiff", real_corpus: Path | None = None) -> list[Path]:
    """``count`` synthetic reports (seeds ``seed`` … ``seed + count - 1``) at every level, plus the real PDFs
    of ``REAL_DOCS`` under ``real_corpus`` when given. Returns the document folders written."""
    unknown = [name for name in levels if name not in LEVELS]
    if unknown or container not in CONTAINERS:
        raise ValueError(f"unknown level {unknown[0]!r}: choose from {', '.join(LEVELS)}" if unknown
                         else f"container {container!r} not in {CONTAINERS}")
    out = []
    for name in levels:
        out += [synth_document(outdir, seed + i, name, container) for i in range(count)]
        if real_corpus is not None:
            out += [real_document(outdir, real_corpus / d, name, seed, container) for d in REAL_DOCS]
    return out
