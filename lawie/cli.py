"""The ``lawie`` command line (also ``python -m lawie``)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .about import __version__
from .text.decoding import decode
from .errors import Errors

if TYPE_CHECKING:
    from .report import Report

FORMATS = ("jsonl", "csv")


class UserError(Exception):
    """A mistake in the command line: reported in one line, exit status 2."""


def iter_inputs(paths: Sequence[str]) -> list[str]:
    """Expand paths: files as given, folders to their ``*.txt`` (recursive, sorted), ``-`` for stdin."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*.txt")) if f.is_file())
        elif path.is_file():
            out.append(str(path))
        else:
            raise UserError(Errors.E007.format(path=p))
    return out


def read_inputs(files: Sequence[str], errors: list[str]) -> Iterator[tuple[str, str]]:
    """``(name, text)`` for each input that decodes; the others are named in ``errors``."""
    for name in files:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        try:
            yield name, decode(data, source=name)
        except ValueError as err:
            errors.append(name)
            print(f"lawie: {err}", file=sys.stderr)


def _progress(items: Iterator, total: int, enabled: bool) -> Iterator:
    if not enabled or total < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="file", file=sys.stderr, disable=None)


def _open_output(path: str | None) -> IO[str]:
    if path in (None, "-"):
        return sys.stdout
    return open(path, "w", encoding="utf-8", newline="")


def named_reports(args: argparse.Namespace, errors: list[str]) -> Iterator[tuple[str, Report]]:
    """``(input name, report)`` for every input of ``args.paths`` that decodes, in order.

    Inputs that do not decode are named on standard error and added to ``errors``.
    """
    from .api import extract_many, load

    files = iter_inputs(args.paths)
    if not files:
        raise UserError("No .txt files found in " + ", ".join(args.paths) + ".")
    nlp = load(args.model) if args.model else None
    names: list[str] = []

    def texts() -> Iterator[str]:
        for name, text in read_inputs(files, errors):
            names.append(name)
            yield text

    reports = extract_many(texts(), nlp=nlp, n_process=getattr(args, "n_process", 1))
    pairs = ((names[i], report) for i, report in enumerate(reports))
    return _progress(pairs, len(files), not getattr(args, "quiet", True))


def skipped(errors: list[str]) -> int:
    """The exit status after a run: 1 (and a summary line) if some inputs were skipped."""
    if errors:
        print(f"lawie: {len(errors)} inputs could not be decoded and were skipped.", file=sys.stderr)
        return 1
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise UserError(Errors.E006.format(value=args.format, choices=", ".join(FORMATS)))
    errors: list[str] = []
    pairs = named_reports(args, errors)
    out = _open_output(args.output)
    try:
        if args.format == "jsonl":
            for name, report in pairs:
                out.write(json.dumps({"file": name, **report.to_dict()}, ensure_ascii=False) + "\n")
        else:
            from .outputs.indicators import INDICATOR_COLUMNS

            # One row per indicator (COUNT, RATE, MONEY), see lawie/indicators.py.
            writer = csv.DictWriter(out, fieldnames=["file", *INDICATOR_COLUMNS])
            writer.writeheader()
            for name, report in pairs:
                for row in report.indicators():
                    writer.writerow({"file": name, **row})
    finally:
        if out is not sys.stdout:
            out.close()
    return skipped(errors)


def cmd_render(args: argparse.Namespace) -> int:
    from .outputs.render import render_page

    errors: list[str] = []
    pairs = list(named_reports(args, errors))
    out = _open_output(args.output)
    try:
        out.write(render_page([r for _, r in pairs], titles=[n for n, _ in pairs]))
    finally:
        if out is not sys.stdout:
            out.close()
    return skipped(errors)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lawie",
        description="Structured data from Chinese rule-of-law government annual reports.",
    )
    parser.add_argument("--version", action="version", version=f"lawie {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="extract entities, sections and metadata from reports")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .txt file, a folder (recursive *.txt) or - for stdin")
    p.add_argument("--format", default="jsonl", help="jsonl (one report per line, default) or csv (one row per indicator)")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--model", help="a pipeline directory instead of the shipped one")
    p.add_argument("--n-process", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("render", help="write one self-contained HTML page showing what lawie found in reports")
    p.add_argument("paths", nargs="+", metavar="FILE", help="a .txt file, a folder (recursive *.txt) or - for stdin")
    p.add_argument("-o", "--output", help="the HTML file to write (default: standard output)")
    p.add_argument("--model", help="a pipeline directory instead of the shipped one")
    p.add_argument("--n-process", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_render)

    from .train.cli import add_parsers

    add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except UserError as err:
        print(f"lawie: {err}", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError) as err:
        print(f"lawie: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
