"""Command line: ``recover extract``, ``batch``, ``export``, ``review`` (the development tools, generators and
benchmarks, are ``python3 -m devtools``).

Exit codes are those of ``recover.errors.ExitCode`` (listed in the README). Bad input never ends in
a traceback: each failure prints the file, what went wrong and the remedy.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from recover import __version__
from recover.batch.defaults import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from recover.errors import ExitCode, RecoverError


def _write_outputs(path: Path, json_out: Path | None, html_out: Path | None) -> dict:
    from recover.catalogue import load_catalogue
    from recover.pipeline import extract
    from recover.report.evidence import flagged_evidence
    from recover.report.html import render_html, render_summary
    from recover.report.labels import report_labels

    ex = extract(str(path))
    result = ex.to_dict()
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if html_out:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(render_html(result, report_labels(load_catalogue()), flagged_evidence(ex)),
                            encoding="utf-8")
    print(render_summary(result), file=sys.stderr)
    return result


def cmd_extract(args: argparse.Namespace) -> int:
    from recover.budget import held, loads_unlimited
    from recover.errors import DocumentOutOfMemoryError

    try:
        with held(args.path, args.timeout, args.memory_mb):
            result = _write_outputs(Path(args.path), Path(args.output) if args.output else None,
                                    Path(args.report) if args.report else None)
    except MemoryError:
        raise DocumentOutOfMemoryError(args.path, f"ran past its memory limit of {args.memory_mb} MB") from None
    except ImportError as exc:  # a library that loads without the limit could not be mapped within it
        if not (args.memory_mb and exc.name and loads_unlimited(exc.name)):
            raise
        raise DocumentOutOfMemoryError(args.path, f"a library ({exc.name}) could not be loaded within the memory "
                                       f"limit of {args.memory_mb} MB") from None
    if args.debug:
        from recover.report.debug import write_debug

        written = write_debug(Path(args.path), result, Path(args.debug))
        pages = sum(1 for w in written if w.suffix == ".png")
        print(f"recover: debug view: {pages} page image(s) and cells.tsv in {args.debug}" if written else
              "recover: debug view: no page of this document was read by OCR (nothing drawn)", file=sys.stderr)
    if not args.output:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return ExitCode.ok


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_batch(args: argparse.Namespace) -> int:
    """Every report input under the given paths, in worker processes; one bad file never stops the batch."""
    from recover.batch.run import run_batch

    signal.signal(signal.SIGTERM, _interrupted)  # a polite kill stops the workers too; finished results are kept
    out = Path(args.output)
    agencies = None
    if args.agencies:
        from recover.collection.store import read_overrides

        agencies = read_overrides(Path(args.agencies))
    res = run_batch([Path(p) for p in args.paths], out, jobs=args.jobs, timeout=args.timeout,
                    memory_mb=args.memory_mb or None, force=args.force, progress=not args.quiet, agencies=agencies,
                    scheduler=args.scheduler, ship_inputs=args.ship_inputs)
    by_note: dict[str, list[str]] = {}
    for path, note in res.skipped:
        by_note.setdefault(note, []).append(path)
    for note, skipped in by_note.items():
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        print(f"recover: skipped ({note}): {', '.join(skipped[:3])}{more}", file=sys.stderr)
    for error in res.errors:
        print(f"recover: error: {error}", file=sys.stderr)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(res.statuses.items()) if k != "error")
    failed = res.statuses.get("error", 0)
    print(f"{res.files} files ({res.documents} distinct, {res.reused} already done, {len(res.skipped)} skipped): "
          f"{summary}{f', failed {failed}' if failed else ''}; outputs in {out}/ (summary.html, results.sqlite)")
    return ExitCode.batch_partial if failed else ExitCode.ok


def cmd_export(args: argparse.Namespace) -> int:
    from recover.batch.export import export

    for path in export(Path(args.outdir), args.format, Path(args.output) if args.output else None, args.history):
        print(path)
    return ExitCode.ok


def cmd_review(args: argparse.Namespace) -> int:
    """Serve the review page of a batch until interrupted (Ctrl-C ends it with exit code 0)."""
    from recover.errors import MissingDependencyError, ReviewServerError

    try:
        from recover.review.app import open_store, serve
    except ImportError as exc:
        if exc.name != "flask":
            raise
        raise MissingDependencyError("Flask", "recover review serves its page with Flask: pip install "
                                     "'recover[review]'") from None

    outdir = Path(args.outdir)
    open_store(outdir)  # a clear error before anything is bound
    try:
        serve(outdir, args.host, args.port, args.reviewer, args.token)
    except OSError as exc:
        raise ReviewServerError(f"{args.host}:{args.port}", f"cannot listen there ({exc.strerror or exc})") from None
    except KeyboardInterrupt:
        print("recover review: stopped", file=sys.stderr)
    return ExitCode.ok


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    """An argparse type: a number of ``kind`` above 0 (bad values end in a usage error, exit 2)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
        return value

    return parse


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535: {text!r}")
    return port


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="recover", description="Recover the statistical tables (二 主动公开, "
                                "三 申请, 四 复议诉讼) of Chinese government information-disclosure annual reports.")
    p.add_argument("--version", action="version", version=f"recover {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="recover one report file (text, markdown, web text, DOCX, HTML, PDF, page "
                       "images)")
    e.add_argument("path")
    e.add_argument("-o", "--output", help="write the JSON result here (default: print it)")
    e.add_argument("--report", help="write the HTML review report here")
    e.add_argument("--debug", metavar="DIR", help="scans and OCR'd pages: write each page as the layout saw it "
                   "(deskewed) with its table grids, the numbered cells read from them and the flagged cells drawn "
                   "(page-NNN.png), and DIR/cells.tsv listing each number's cell, status, value and reason")
    e.add_argument("--timeout", type=_positive(float), default=DEFAULT_TIMEOUT,
                   help=f"seconds before the document is given up, exit 8 (default: {DEFAULT_TIMEOUT:g})")
    e.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB,
                   help=f"address-space limit in MB, past it exit 9; 0 for none (default: {DEFAULT_MEMORY_MB})")
    e.set_defaults(func=cmd_extract)
    b = sub.add_parser("batch", help="recover every report file under folders/files (kind judged by content: text, "
                       "PDF, DOCX, HTML, images), in parallel, resumable; a JSON and an HTML report each, a "
                       "results store and a summary page")
    b.add_argument("paths", nargs="+", metavar="PATH", help="folders (walked) and files")
    b.add_argument("-o", "--output", default="out", help="output folder (default: out)")
    b.add_argument("--jobs", type=_positive(int), default=None, help="worker processes (default: all cores)")
    b.add_argument("--timeout", type=_positive(float), default=DEFAULT_TIMEOUT,
                   help=f"seconds per document before its worker is killed (default: {DEFAULT_TIMEOUT:g})")
    b.add_argument("--memory-mb", type=int, default=DEFAULT_MEMORY_MB,
                   help=f"address-space limit per worker in MB, 0 for none (default: {DEFAULT_MEMORY_MB})")
    b.add_argument("--force", action="store_true", help="recompute documents already in the store")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run the documents on a Dask distributed cluster: "
                   "tcp://HOST:8786, or local:N to start N worker processes here (needs pip install "
                   "'recover[cluster]'; docs/batch.md)")
    b.add_argument("--ship-inputs", action="store_true", help="with --scheduler: send each document's bytes to "
                   "the workers (default: they read the paths, on storage they share)")
    b.add_argument("--agencies", metavar="CSV", help="a mapping file (columns path, agency): the agency key of "
                   "those files, over the one recover derives from the printed agency name")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_batch)
    x = sub.add_parser("export", help="export a batch's cells (tidy, one row per cell), a wide table (one row per "
                       "document) and the checks between consecutive years of each agency as csv, parquet or xlsx, "
                       "the decisions of recover review applied")
    x.add_argument("outdir", help="the output folder of a batch (holding results.sqlite)")
    x.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv")
    x.add_argument("-o", "--output", help="tidy table file (default: OUTDIR/cells.FORMAT); the wide table goes "
                   "beside it as NAME.wide.FORMAT (xlsx: one workbook, sheets cells, wide, documents)")
    x.add_argument("--history", action="store_true", help="also every decision made in recover review, undos "
                   "included, in order (NAME.history.FORMAT; xlsx: sheet history)")
    x.set_defaults(func=cmd_export)
    rv = sub.add_parser("review", help="serve a local review page for a batch: documents to review, flagged cells "
                        "with their evidence, decisions (accept / override / printed wrong) kept in results.sqlite "
                        "and applied by recover export")
    rv.add_argument("outdir", help="the output folder of a batch (holding results.sqlite)")
    rv.add_argument("--port", type=_port, default=8765, help="TCP port (default: 8765; 0 picks a free one)")
    rv.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only). "
                    "Beyond loopback (e.g. 0.0.0.0) every request needs a token: --token, or one generated and "
                    "printed with the address")
    rv.add_argument("--token", help="the token every request must carry (?token= once, then a cookie; or "
                    "Authorization: Bearer); required of requests on loopback too when given")
    rv.add_argument("--reviewer", help="name recorded with each decision (default: the login name; editable on "
                    "the page)")
    rv.set_defaults(func=cmd_review)
    return p


def main(argv: list[str] | None = None) -> int:
    """The ``recover`` command (``argv``: its arguments; by default the process's)."""
    return run(parser(), argv)


def run(p: argparse.ArgumentParser, argv: list[str] | None) -> int:
    """Parse ``argv`` with ``p`` and run the chosen command: its exit code; a failure is one line on stderr naming
    the input and the remedy (never a traceback), with the exit code of its ``RecoverError``."""
    args = p.parse_args(argv)
    # the libraries' log records (a PDF parser's complaints about a damaged font, with tracebacks) stay off the
    # terminal: what the user needs is in the result or in the one-line error
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        return int(args.func(args))
    except RecoverError as exc:
        print(f"{p.prog}: error: {exc.message()}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"{p.prog}: interrupted", file=sys.stderr)
        return int(ExitCode.internal)
    except Exception as exc:  # noqa: BLE001 - a bug: say so without a traceback, name the input
        where = getattr(args, "path", None) or getattr(args, "folder", None) or getattr(args, "outdir", None)
        print(f"{p.prog}: internal error on {where or ' '.join(getattr(args, 'paths', [])) or '?'}: "
              f"{type(exc).__name__}: {exc}. Remedy: report this as a bug with the input file.", file=sys.stderr)
        return int(ExitCode.internal)


if __name__ == "__main__":
    sys.exit(main())
