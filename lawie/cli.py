"""The ``lawie`` command line (also ``python -m lawie``)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from .about import __version__
from .errors import Errors
from .files import AtomicOutput, UserError, named_reports, prepare, skipped

if TYPE_CHECKING:
    from .report import Report

FORMATS = ("jsonl", "csv")


def cmd_extract(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise UserError(Errors.E006.format(value=args.format, choices=", ".join(FORMATS)))
    t0 = time.time()
    files = prepare(args)
    errors: list[str] = []
    pairs = named_reports(args, errors, files)
    reports = rows = 0
    with AtomicOutput(args.output) as out:
        if args.format == "jsonl":
            for name, report in pairs:
                write_report_line(out, name, report)
                reports += 1
                rows += len(report.entities)
        else:
            from .outputs.indicators import INDICATOR_COLUMNS, iter_indicator_rows

            # One row per indicator (COUNT, RATE, MONEY), see lawie/indicators.py;
            # cells that would start a spreadsheet formula are neutralised.
            writer = csv.DictWriter(out, fieldnames=["file", *INDICATOR_COLUMNS])
            writer.writeheader()
            for name, report in pairs:
                reports += 1
                for row in iter_indicator_rows(report):
                    writer.writerow(safe_csv_row({"file": name, **row}))
                    rows += 1
    what = "entities" if args.format == "jsonl" else "indicator rows"
    summary(args, f"lawie extract: wrote {reports} reports ({rows} {what}) to {_where(args.output)} in {time.time() - t0:.1f} s")
    return skipped(errors)


def _where(output: str | None) -> str:
    return "standard output" if output in (None, "-") else output


def summary(args: argparse.Namespace, line: str) -> None:
    """The one-line summary of a command on standard error (not with --quiet)."""
    if not getattr(args, "quiet", False):
        print(line, file=sys.stderr)


def write_report_line(out: IO[str], name: str, report: Report) -> None:
    """``json.dumps({"file": name, **report.to_dict()})`` and a line end, written entity by entity.

    The same bytes, without holding the whole dict and string of a report with
    a million entities in memory at once.
    """

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    out.write('{"file": ' + dumps(name) + ', "entities": [')
    for i, entity in enumerate(report.entities):
        out.write((", " if i else "") + dumps(entity.to_dict()))
    out.write('], "sections": ' + dumps([s.to_dict() for s in report.sections]))
    out.write(', "meta": ' + dumps(dict(report.meta)) + "}\n")


# A text cell that starts with one of these is read as a formula by spreadsheet
# software (CSV injection): it is written with a ' in front. Numbers (a negative
# change) and a lone character (- for standard input) are left as they are.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value: object) -> object:
    """``value``, with a ``'`` in front if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_row(row: dict[str, object]) -> dict[str, object]:
    return {key: safe_csv_cell(value) for key, value in row.items()}


def cmd_render(args: argparse.Namespace) -> int:
    from .outputs.render import render_page

    t0 = time.time()
    files = prepare(args)
    errors: list[str] = []
    pairs = list(named_reports(args, errors, files))
    with AtomicOutput(args.output) as out:
        out.write(render_page([r for _, r in pairs], titles=[n for n, _ in pairs]))
    entities = sum(len(r.entities) for _, r in pairs)
    summary(args, f"lawie render: wrote {len(pairs)} reports ({entities} entities) to {_where(args.output)} in {time.time() - t0:.1f} s")
    return skipped(errors)


def cmd_info(args: argparse.Namespace) -> int:
    """Which pipeline is loaded, how it was selected, and what it was trained on."""
    import spacy

    from .api import load

    nlp = load(args.model)
    meta = nlp.meta
    how = meta["lawie_source"]["selected_by"]
    training = meta.get("lawie_training") or {}
    how_text = {"argument": "--model argument", "LAWIE_MODEL": "environment variable LAWIE_MODEL", "shipped": "shipped with the package"}[how]
    rows = [
        ("model", meta["lawie_source"]["path"]),
        ("selected by", how_text),
        ("model version", f"{meta.get('name', '?')} {meta.get('version', '?')}"),
        ("lawie", __version__),
        ("spaCy", spacy.__version__),
        ("pipeline", ", ".join(nlp.pipe_names)),
        ("training documents", str(training.get("documents", "not recorded (trained before lawie recorded it)"))),
        ("trained on", training.get("annotations", "not recorded")),
        ("trained", training.get("date", "not recorded")),
        ("training seed", str(meta.get("lawie_seed", "not recorded"))),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


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
    p.add_argument("--model", help="a pipeline directory instead of the shipped one (or set LAWIE_MODEL)")
    p.add_argument("--n-process", type=int, default=1, help="worker processes (default 1, at most the number of CPUs)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("render", help="write one self-contained HTML page showing what lawie found in reports")
    p.add_argument("paths", nargs="+", metavar="FILE", help="a .txt file, a folder (recursive *.txt) or - for stdin")
    p.add_argument("-o", "--output", help="the HTML file to write (default: standard output)")
    p.add_argument("--model", help="a pipeline directory instead of the shipped one (or set LAWIE_MODEL)")
    p.add_argument("--n-process", type=int, default=1, help="worker processes (default 1, at most the number of CPUs)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("info", help="which model is loaded, how it was selected, its versions and training data")
    p.add_argument("--model", help="a pipeline directory (default: LAWIE_MODEL, else the shipped one)")
    p.set_defaults(func=cmd_info)

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
