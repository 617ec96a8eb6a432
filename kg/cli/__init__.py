"""The `kg` command: thin commands over plain functions. The only package that prints.

Exit status: 0 success; 1 an error stopped the command; 2 bad usage; 3 the command
finished but skipped some inputs (each reported on stderr with file and line).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from kg.cli import build, explore, kb
from kg.cli.common import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, err, safe_terminal
from kg.cli.parser import make_parser
from kg.errors import KGError

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "main"]

COMMANDS = {**build.COMMANDS, **kb.COMMANDS, **explore.COMMANDS}


def main(argv: Sequence[str] | None = None) -> int:
    with safe_terminal():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="kg: %(levelname)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except KGError as exc:
        err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        err("interrupted; the store holds every article written before the interruption")
        return 130
    except BrokenPipeError:  # `kg query ... | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
