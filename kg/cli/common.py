"""What every `kg` command shares: exit codes, the error line, argument types, and the
terminal stream that escapes what article text would otherwise do to it."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from kg.terminal import printable

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_SKIPPED",
    "EXIT_USAGE",
    "FORMAT_BY_SUFFIX",
    "add_selection",
    "err",
    "limit",
    "one_line",
    "parse_date",
    "raw_stream",
    "safe_terminal",
]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
"""Success; an error stopped the command; bad usage; finished, but some inputs were skipped."""


FORMAT_BY_SUFFIX = {  # the format of an output file, from its suffix
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
    ".ttl": "ttl",
    ".trig": "trig",
    ".nq": "nq",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def err(message: str) -> None:
    print(f"kg: {printable(message)}", file=sys.stderr)


def limit(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type for a limit: a number ≥ 0, where 0 leaves the limit off."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} is below 0")
        return value

    return parse


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X", help="leave out facts below X")
    p.add_argument("--since", type=parse_date, metavar="DATE", help="only facts of articles dated DATE or later")
    p.add_argument("--until", type=parse_date, metavar="DATE", help="only facts of articles dated DATE or earlier")


class _Escaping(io.TextIOBase):
    """A terminal's stream that escapes control characters in what is written to it
    (`kg.terminal.printable`): article text, titles, names and file names reach the
    terminal as visible escapes, whatever command prints them."""

    def __init__(self, stream: TextIO) -> None:
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(printable(text, keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw_stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.raw_stream.encoding


@contextlib.contextmanager
def safe_terminal() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    if sys.stdout.isatty():
        sys.stdout = _Escaping(sys.stdout)
    if sys.stderr.isatty():
        sys.stderr = _Escaping(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def raw_stream(stream: TextIO) -> TextIO:
    """The terminal under an `_Escaping` stream (for the progress bar's own control codes)."""
    return stream.raw_stream if isinstance(stream, _Escaping) else stream


def one_line(text: str) -> str:
    """Article text for one terminal line: whitespace runs joined, controls escaped."""
    return printable(" ".join(text.split()))
