"""Development tools of recover (not part of the installed package): generators of test documents with their
truth, and the benchmarks. Run from the repository root: ``python3 -m devtools COMMAND``.

Commands: ``synth`` (scans and Chromium-printed PDFs of seeded reports), ``score`` (cells right, flagged and silent
errors against a folder's truth.json files), ``bench`` (text reports per second, start-up), ``bench-ocr``,
``bench-scan``, ``bench-text``, ``bench-batch``, ``series`` (one agency's consecutive years), ``bench-series``
(those years read alone and settled with their neighbours), ``hostile``, ``bench-hostile``. Exit codes are
recover's (``recover.errors.ExitCode``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devtools.synth.text import SHAPES
from recover.cli import _positive, run
from recover.errors import ExitCode, InputMissingError


def cmd_bench_batch(args: argparse.Namespace) -> int:
    from devtools.bench.batch import run_bench_batch

    run_bench_batch(Path(args.folder), args.jobs, args.copies, tuple(args.mix), args.scheduler)
    return ExitCode.ok


def cmd_bench(args: argparse.Namespace) -> int:
    from devtools.bench.corpus import run_bench

    run_bench(Path(args.folder), args.repeat)
    return ExitCode.ok


def cmd_bench_ocr(args: argparse.Namespace) -> int:
    from devtools.bench.ocr import run_bench_ocr

    run_bench_ocr(Path(args.folder), tuple(args.dpi), args.engine)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from devtools.bench.corpus import run_score

    run_score(Path(args.folder))
    return ExitCode.ok


def cmd_synth(args: argparse.Namespace) -> int:
    from devtools.synth.corpus import synth_corpus

    levels = tuple(v.strip() for v in args.levels.split(",") if v.strip())
    real = Path(args.real) if args.real else None
    if real is not None and not real.is_dir():
        raise InputMissingError(real, "is not a folder (give the corpus folder holding the real PDFs)")
    try:
        if args.printed:
            from devtools.synth.degrade import LEVELS
            from devtools.synth.printed import printed_corpus

            if unknown := [v for v in levels if v not in LEVELS]:
                raise ValueError(f"unknown level {unknown[0]!r}: choose from {', '.join(LEVELS)}")
            docs = printed_corpus(Path(args.outdir), seed=args.seed, count=args.count, levels=levels)
            print(f"{len(docs)} documents with truth.json written under {args.outdir}/ (grade them: python3 -m "
                  f"devtools score {args.outdir}/pdf; python3 -m devtools bench-scan {args.outdir})")
            return ExitCode.ok
        docs = synth_corpus(Path(args.outdir), seed=args.seed, count=args.count, levels=levels,
                            container=args.container, real_corpus=real)
    except ValueError as exc:
        print(f"devtools: error: {exc}", file=sys.stderr)
        return ExitCode.bad_args
    print(f"{len(docs)} scanned documents with truth.json written under {args.outdir}/ "
          f"(grade them: python3 -m devtools bench-scan {args.outdir})")
    return ExitCode.ok


def _written(folder: str, maker: str) -> Path:
    """``folder`` as a Path, when it is a folder (the command named ``maker`` writes one)."""
    path = Path(folder)
    if not path.is_dir():
        raise InputMissingError(path, f"is not a folder (write one with: python3 -m devtools {maker} OUTDIR)")
    return path


def cmd_bench_scan(args: argparse.Namespace) -> int:
    from devtools.bench.scan import run_scan_bench

    run_scan_bench(_written(args.folder, "synth"), show_errors=args.show_errors, engine=args.engine)
    return ExitCode.ok


def cmd_bench_text(args: argparse.Namespace) -> int:
    from devtools.bench.text import run_text_bench

    keep = Path(args.keep) if args.keep else None
    run_text_bench(args.count, args.seed, tuple(args.shapes), show_errors=args.show_errors, keep=keep)
    return ExitCode.ok


def cmd_series(args: argparse.Namespace) -> int:
    from devtools.synth.series import write_series

    for seed in range(args.seed, args.seed + args.count):
        for path, _ in write_series(Path(args.outdir), seed, args.years, args.shape):
            print(path)
    return ExitCode.ok


def cmd_bench_series(args: argparse.Namespace) -> int:
    from devtools.bench.series import run_series_bench

    totals = run_series_bench(args.count, args.seed, args.years, args.shape, show_errors=args.show_errors)
    return ExitCode.ok if not any(t["silent"] for t in totals.values()) else ExitCode.internal


def cmd_hostile(args: argparse.Namespace) -> int:
    from devtools.hostile.corpus import make_corpus

    made = make_corpus(Path(args.outdir), args.count, args.seed)
    print(f"{len(made)} hostile inputs written under {args.outdir}/ (grade them: python3 -m devtools bench-hostile "
          f"{args.outdir})")
    return ExitCode.ok


def cmd_bench_hostile(args: argparse.Namespace) -> int:
    from devtools.hostile.run import run_bench_hostile

    run_bench_hostile(_written(args.folder, "hostile"), args.jobs)
    return ExitCode.ok


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m devtools", description="recover's generators and benchmarks")
    sub = p.add_subparsers(dest="command", required=True)
    bb = sub.add_parser("bench-batch", help="documents per second of recover batch for 1 and N workers, per mix "
                        "(text, digital, scan), scaling ratio and peak memory per worker")
    bb.add_argument("folder", nargs="?", default="corpus")
    bb.add_argument("--jobs", type=_positive(int), default=2, help="the worker count compared with 1 (default: 2)")
    bb.add_argument("--scheduler", help="local: on a Dask LocalCluster of 1 and then --jobs workers; or a "
                    "scheduler address (tcp://HOST:8786) for the N-worker measure")
    bb.add_argument("--copies", type=_positive(int), default=6,
                    help="distinct copies of each document (default: 6; scans: as many as --jobs)")
    bb.add_argument("--mix", nargs="+", choices=("text", "digital", "scan"), default=["text", "digital", "scan"],
                    help="which mixes to measure (default: all three; scan takes a few minutes)")
    bb.set_defaults(func=cmd_bench_batch)
    bench = sub.add_parser("bench", help="measure text reports per second on one core (CPU time, caches cleared "
                           "before each run): the mean of each report's runs and its best run; first, how many "
                           "modules run compiled")
    bench.add_argument("folder", nargs="?", default="corpus")
    bench.add_argument("--repeat", type=int, default=20)
    bench.set_defaults(func=cmd_bench)
    bo = sub.add_parser("bench-ocr", help="scan route: seconds per table page and cells right/flagged/silent for "
                        "the corpus scan and the corpus PDFs' table pages rendered at each dpi")
    bo.add_argument("folder", nargs="?", default="corpus")
    bo.add_argument("--dpi", type=int, nargs="+", default=[300, 200, 150])
    bo.add_argument("--engine", choices=["tesserocr", "pytesseract"], default=None,
                    help="OCR engine (default: $RECOVER_OCR_ENGINE, else the first available)")
    bo.set_defaults(func=cmd_bench_ocr)
    score = sub.add_parser("score", help="compare recover with the hand-written truth.json of a corpus folder")
    score.add_argument("folder", nargs="?", default="corpus")
    score.set_defaults(func=cmd_score)
    syn = sub.add_parser("synth", help="write a scan corpus: seeded synthetic reports (and optionally the real "
                         "PDFs) rendered and scanned at graded levels, each with its truth.json")
    syn.add_argument("outdir")
    syn.add_argument("--seed", type=int, default=0, help="first document seed (document i uses seed + i)")
    syn.add_argument("--count", type=int, default=3, help="synthetic reports per level (default 3)")
    syn.add_argument("--levels", default="300,200,150", help="scan levels, comma-separated (default 300,200,150)")
    syn.add_argument("--container", choices=("tiff", "pdf", "png"), default="tiff",
                     help="multi-page TIFF (default), image-only PDF, or a folder of PNG pages")
    syn.add_argument("--real", metavar="CORPUS", help="also scan the real PDFs (洪泽 2023/2024, 淮安 2024) of "
                     "this corpus folder")
    syn.add_argument("--printed", action="store_true", help="print each report to a born-digital PDF with "
                     "headless Chromium in a layout drawn from its seed (fonts, rule widths, header fills, zeros as "
                     "0/blank/dash, narrative in the sections; devtools/synth/printed.py), under OUTDIR/pdf, and scan "
                     "it at the levels (--levels '' for the PDFs alone)")
    syn.set_defaults(func=cmd_synth)
    bs = sub.add_parser("bench-scan", help="grade a scan corpus written by the synth command: cells right before "
                        "and after the repair, flagged, silent errors, seconds per table page and peak memory, per "
                        "level")
    bs.add_argument("folder")
    bs.add_argument("--show-errors", action="store_true", help="list every wrong cell on stderr")
    bs.add_argument("--engine", choices=["tesserocr", "pytesseract"], default=None,
                    help="OCR engine (default: $RECOVER_OCR_ENGINE, else the first available)")
    bs.set_defaults(func=cmd_bench_scan)
    bt = sub.add_parser("bench-text", help="generate text reports recover never saw (tab rows, one cell per line, "
                        "markdown pipes, glued web text, saved web pages) from seeded truths and grade them: per "
                        "shape cells right, flagged, silent errors, crashes and reports/s on one core")
    bt.add_argument("--count", type=_positive(int), default=40, help="reports per shape (default 40)")
    bt.add_argument("--seed", type=int, default=0, help="first report seed (report i uses seed + i)")
    bt.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES), help="shapes (default: all)")
    bt.add_argument("--show-errors", action="store_true", help="list every wrong cell on stderr (silent errors, "
                    "crashes and errors are always listed)")
    bt.add_argument("--keep", metavar="DIR", help="write the reports (and truth.json) here instead of a temporary "
                    "folder")
    bt.set_defaults(func=cmd_bench_text)
    se = sub.add_parser("series", help="write one agency's reports of consecutive years per seed, tied as the "
                        "template ties them (carried over/forward, in force), each with its truth.json")
    se.add_argument("outdir")
    _series_options(se, agencies=1)
    se.set_defaults(func=cmd_series)
    bse = sub.add_parser("bench-series", help="series of consecutive years read alone and settled with their "
                         "neighbouring years: cells right, flagged, silent errors, both ways")
    _series_options(bse, agencies=10)
    bse.add_argument("--show-errors", action="store_true", help="list every wrong cell on stderr")
    bse.set_defaults(func=cmd_bench_series)
    ho = sub.add_parser("hostile", help="write a seeded corpus of corrupt and hostile inputs (truncated, bit-flipped, "
                        "mislabelled, empty, password PDFs, page/pixel/zip/span/nesting/entity bombs, glued digits)")
    ho.add_argument("outdir")
    ho.add_argument("--count", type=_positive(int), default=520, help="inputs at least (default 520)")
    ho.add_argument("--seed", type=int, default=0)
    ho.set_defaults(func=cmd_hostile)
    bh = sub.add_parser("bench-hostile", help="run recover extract on each input of a hostile corpus, one process "
                        "each: handled / crashed / hung (past 60 s) / over memory (past 1 GB resident)")
    bh.add_argument("folder")
    bh.add_argument("--jobs", type=_positive(int), default=2, help="processes at a time (default 2)")
    bh.set_defaults(func=cmd_bench_hostile)
    return p


def _series_options(p: argparse.ArgumentParser, agencies: int) -> None:
    p.add_argument("--count", type=_positive(int), default=agencies, help=f"agencies (default {agencies})")
    p.add_argument("--seed", type=int, default=0, help="first agency's seed (agency i uses seed + i)")
    p.add_argument("--years", type=_positive(int), default=6, help="consecutive years (default 6)")
    p.add_argument("--shape", choices=SHAPES, default="glued", help="text shape (default glued web text)")


def main(argv: list[str] | None = None) -> int:
    return run(parser(), argv)
