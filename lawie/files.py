"""Reading the inputs and writing the outputs of the ``lawie`` commands, so that nothing is lost.

Inputs are expanded and decoded one by one (a bad file is named and skipped),
outputs are written to a temporary file that replaces the target only at the
end, and a wrong command line stops before anything is read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import Errors
from .text.decoding import decode

if TYPE_CHECKING:
    from .report import Report


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
            raise UserError(Errors.E007.format(path=display_name(p)))
    return out


def display_name(name: str) -> str:
    """``name`` printable as UTF-8: bytes of a non-UTF-8 file name shown as ``\\xff``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _warn(name: str, problem: object) -> None:
    print(f"lawie: {display_name(name)}: {problem}", file=sys.stderr)


def read_inputs(files: Sequence[str], errors: list[str]) -> Iterator[tuple[str, str]]:
    """``(name, text)`` for each input that can be read and decoded.

    The others (unreadable, not decodable, a file name that is not UTF-8) are
    named on standard error, added to ``errors`` and skipped.
    """
    for name in files:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            errors.append(name)
            _warn(name, "the file name is not UTF-8; rename the file to process it (skipped)")
            continue
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = decode(data, source=name)
        except (OSError, ValueError) as err:
            errors.append(name)
            _warn(name, f"{err} (skipped)")
            continue
        yield name, text


PROGRESS_ENV = "LAWIE_PROGRESS"  # 1: progress bars even when standard error is not a terminal; 0: never


def progress_bar(iterable=None, *, file: IO[str] | None = None, disable_quiet: bool = False, **kwargs):
    """A tqdm bar on standard error, shown when it is a terminal (or LAWIE_PROGRESS=1).

    tqdm 4.70 takes a terminal that reports no size (0×0: a pseudo-terminal under
    ``script``, some CI and notebook consoles) as one with -1 rows and prints no bar
    at all; a size of 80×24 is given in that case, so a bar appears with every tqdm release.
    ``disable_quiet`` (a command's ``--quiet``) hides it whatever the stream.
    """
    from tqdm import tqdm

    file = file or sys.stderr
    forced = os.environ.get(PROGRESS_ENV, "")
    disable = True if disable_quiet else {"1": False, "0": True}.get(forced)
    if disable is None:
        isatty = getattr(file, "isatty", None)
        disable = not (isatty and isatty())
    if not disable and "ncols" not in kwargs:
        kwargs["ncols"], kwargs["nrows"] = _terminal_size(file)
    return tqdm(iterable, file=file, disable=disable, **kwargs)


def _terminal_size(file: IO[str]) -> tuple[int, int]:
    try:
        columns, lines = os.get_terminal_size(file.fileno())
    except (AttributeError, OSError, ValueError):
        columns = lines = 0
    if columns <= 0 or lines <= 0:
        columns = int(os.environ.get("COLUMNS", "0") or 0) or 80
        lines = int(os.environ.get("LINES", "0") or 0) or 24
    return columns, lines


def _progress(items: Iterator, total: int, enabled: bool) -> Iterator:
    """``items`` with a bar counting files, and one counting characters inside a long text."""
    if not enabled:
        return items
    return _with_char_bar(progress_bar(items, total=total, unit="file") if total > 1 else items)


def _with_char_bar(items: Iterator) -> Iterator:
    from . import api

    bars: dict[str, object] = {}

    def on_piece(done: int, total: int) -> None:
        bar = bars.get("bar")
        if bar is None:
            bar = bars["bar"] = progress_bar(total=total, unit="char", unit_scale=True, leave=False, desc="long text")
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            bars.pop("bar")

    previous, api.on_piece = api.on_piece, on_piece
    try:
        yield from items
    finally:
        api.on_piece = previous
        if bars.get("bar") is not None:
            bars["bar"].close()


def check_output(output: str | None, files: Sequence[str]) -> None:
    """Refuse an output that is one of the inputs, or a folder (before anything is read or written)."""
    if output in (None, "-"):
        return
    out = Path(output)
    if out.is_dir():
        raise UserError(Errors.E012.format(path=display_name(output)))
    for name in files:
        if name == "-":
            continue
        try:
            same = out.exists() and out.samefile(name)
        except OSError:
            same = False
        if same or out.resolve() == Path(name).resolve():
            raise UserError(Errors.E013.format(path=display_name(output)))


class AtomicOutput:
    """A text file written under a temporary name in the same folder and renamed at the end.

    An existing file at ``path`` stays untouched until the whole output is
    written; if the run stops early, the partial output stays in the temporary
    file, which is named on standard error. ``None`` or ``"-"`` is standard output.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.tmp: str | None = None
        self.file: IO[str] = sys.stdout
        if path not in (None, "-"):
            import tempfile

            folder = os.path.dirname(os.path.abspath(path))
            fd, self.tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".partial", dir=folder)
            self.file = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def __enter__(self) -> IO[str]:
        return self.file

    def __exit__(self, kind, error, tb) -> None:
        if self.tmp is None:
            self.file.flush()
            return
        self.file.close()
        if kind is None:
            if os.path.exists(self.path):
                try:
                    os.chmod(self.tmp, os.stat(self.path).st_mode & 0o7777)
                except OSError:
                    pass
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)
            os.replace(self.tmp, self.path)
        elif os.path.getsize(self.tmp):
            print(f"lawie: stopped; {display_name(self.path)} is unchanged, the output so far is in {self.tmp}", file=sys.stderr)
        else:
            os.unlink(self.tmp)


def check_n_process(value: int) -> int:
    """``--n-process`` between 1 and the number of CPUs."""
    cpus = os.cpu_count() or 1
    if not 1 <= value <= cpus:
        raise UserError(Errors.E014.format(value=value, cpus=cpus))
    return value


def named_reports(args: argparse.Namespace, errors: list[str], files: Sequence[str] | None = None) -> Iterator[tuple[str, Report]]:
    """``(input name, report)`` for every input of ``args.paths`` that can be read and extracted, in order.

    Inputs that cannot be read, decoded or extracted are named on standard
    error, added to ``errors`` and skipped; the others go on.
    """
    from .api import _Failure, _extract_stream, load

    files = iter_inputs(args.paths) if files is None else files
    if not files:
        raise UserError("No .txt files found in " + ", ".join(map(display_name, args.paths)) + ".")
    n_process = check_n_process(getattr(args, "n_process", 1))
    nlp = load(args.model) if args.model else None
    names: list[str] = []

    def texts() -> Iterator[str]:
        for name, text in read_inputs(files, errors):
            names.append(name)
            yield text

    def pairs() -> Iterator[tuple[str, Report]]:
        for i, result in _extract_stream(texts(), nlp=nlp, batch_size=16, n_process=n_process):
            if isinstance(result, _Failure):
                errors.append(names[i])
                _warn(names[i], f"could not be extracted ({result.kind}: {result.message}) (skipped)")
                continue
            yield names[i], result

    return _progress(pairs(), len(files), not getattr(args, "quiet", True))


def skipped(errors: list[str]) -> int:
    """The exit status after a run: 1 (and a summary line) if some inputs were skipped."""
    if errors:
        print(f"lawie: {len(errors)} inputs could not be read, decoded or extracted and were skipped.", file=sys.stderr)
        return 1
    return 0


def prepare(args: argparse.Namespace) -> list[str]:
    """Check the command line before anything is read or written; the input files."""
    check_n_process(getattr(args, "n_process", 1))
    files = iter_inputs(args.paths)
    check_output(args.output, files)
    return files
