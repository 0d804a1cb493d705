"""Command line: ``recover extract``, ``recover batch``, ``recover bench``, ``recover score``, ``recover synth``,
``recover bench-scan``.

Exit codes are those of ``recover.errors.ExitCode`` (listed in the README). Bad input never ends in
a traceback: each failure prints the file, what went wrong and the remedy.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from recover import __version__
from recover.errors import ExitCode, InputMissingError, RecoverError


def _write_outputs(path: Path, json_out: Path | None, html_out: Path | None) -> dict:
    from recover.catalogue import load_catalogue
    from recover.pipeline import extract
    from recover.report.html import render_html, render_summary
    from recover.report.json_out import to_dict
    from recover.report.labels import report_labels

    result = to_dict(extract(str(path)))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if html_out:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(render_html(result, report_labels(load_catalogue())), encoding="utf-8")
    print(render_summary(result), file=sys.stderr)
    return result


def cmd_extract(args: argparse.Namespace) -> int:
    result = _write_outputs(Path(args.path), Path(args.output) if args.output else None,
                            Path(args.report) if args.report else None)
    if not args.output:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return ExitCode.ok


def cmd_batch(args: argparse.Namespace) -> int:
    """Every report file under a folder; one bad file never stops the batch."""
    from recover.bench import report_files

    root, out = Path(args.folder), Path(args.output)
    if not root.is_dir():
        raise InputMissingError(root, "is not a folder")
    files = report_files(root)
    failed = 0
    counts: dict[str, int] = {}
    for p in files:
        rel = p.relative_to(root).with_suffix("")
        try:
            res = _write_outputs(p, out / f"{rel}.json", out / f"{rel}.html")
            counts[res["status"]] = counts.get(res["status"], 0) + 1
        except RecoverError as exc:
            failed += 1
            print(f"recover: error: {exc.message()}", file=sys.stderr)
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not stop the batch
            failed += 1
            print(f"recover: internal error on {p}: {type(exc).__name__}: {exc}. "
                  "Remedy: report this as a bug with the input file.", file=sys.stderr)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{len(files)} files: {summary}{f', failed {failed}' if failed else ''}; outputs in {out}/")
    return ExitCode.batch_partial if failed else ExitCode.ok


def cmd_bench(args: argparse.Namespace) -> int:
    from recover.bench import run_bench

    run_bench(Path(args.folder), args.repeat)
    return ExitCode.ok


def cmd_score(args: argparse.Namespace) -> int:
    from recover.bench import run_score

    run_score(Path(args.folder))
    return ExitCode.ok


def cmd_synth(args: argparse.Namespace) -> int:
    from recover.synth.corpus import synth_corpus

    levels = tuple(v.strip() for v in args.levels.split(",") if v.strip())
    real = Path(args.real) if args.real else None
    if real is not None and not real.is_dir():
        raise InputMissingError(real, "is not a folder (give the corpus folder holding the real PDFs)")
    try:
        docs = synth_corpus(Path(args.outdir), seed=args.seed, count=args.count, levels=levels,
                            container=args.container, real_corpus=real)
    except ValueError as exc:
        print(f"recover: error: {exc}", file=sys.stderr)
        return ExitCode.bad_args
    print(f"{len(docs)} scanned documents with truth.json written under {args.outdir}/ "
          f"(grade them: recover bench-scan {args.outdir})")
    return ExitCode.ok


def cmd_bench_scan(args: argparse.Namespace) -> int:
    from recover.synth.bench import run_scan_bench

    folder = Path(args.folder)
    if not folder.is_dir():
        raise InputMissingError(folder, "is not a folder (write one with: recover synth OUTDIR)")
    run_scan_bench(folder, show_errors=args.show_errors)
    return ExitCode.ok


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="recover", description="Recover the statistical tables (二 主动公开, "
                                "三 申请, 四 复议诉讼) of Chinese government information-disclosure annual reports.")
    p.add_argument("--version", action="version", version=f"recover {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="recover one report file (text, markdown, web text, PDF with a text layer)")
    e.add_argument("path")
    e.add_argument("-o", "--output", help="write the JSON result here (default: print it)")
    e.add_argument("--report", help="write the HTML review report here")
    e.set_defaults(func=cmd_extract)
    b = sub.add_parser("batch", help="recover every report file under a folder (.txt .md .pdf .docx .html, "
                       "page images; a JSON and an HTML file each)")
    b.add_argument("folder")
    b.add_argument("-o", "--output", default="out", help="output folder (default: out)")
    b.set_defaults(func=cmd_batch)
    bench = sub.add_parser("bench", help="measure text reports per second on one core")
    bench.add_argument("folder", nargs="?", default="corpus")
    bench.add_argument("--repeat", type=int, default=20)
    bench.set_defaults(func=cmd_bench)
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
    syn.set_defaults(func=cmd_synth)
    bs = sub.add_parser("bench-scan", help="grade a scan corpus written by recover synth: cells right, flagged, "
                        "silent errors and seconds per table page, per level")
    bs.add_argument("folder")
    bs.add_argument("--show-errors", action="store_true", help="list every wrong cell on stderr")
    bs.set_defaults(func=cmd_bench_scan)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except RecoverError as exc:
        print(f"recover: error: {exc.message()}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return int(ExitCode.internal)
    except Exception as exc:  # noqa: BLE001 - a bug: say so without a traceback, name the input
        print(f"recover: internal error on {getattr(args, 'path', getattr(args, 'folder', '?'))}: "
              f"{type(exc).__name__}: {exc}. Remedy: report this as a bug with the input file.", file=sys.stderr)
        return int(ExitCode.internal)


if __name__ == "__main__":
    sys.exit(main())
