"""The `kg` command: thin commands over plain functions. The only module that prints.

Exit status: 0 success; 1 an error stopped the command; 2 bad usage; 3 the command
finished but skipped some inputs (each reported on stderr with file and line).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.errors import KGError
from kg.model import Problem

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
FORMAT_BY_SUFFIX = {
    ".ttl": "ttl",
    ".trig": "trig",
    ".nq": "nq",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def _err(message: str) -> None:
    print(f"kg: {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="News articles in, a sourced knowledge graph out.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="extract a graph from articles")
    b.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files (.txt .md .html .jsonl .csv), folders, or - for stdin",
    )
    b.add_argument("--store", metavar="PATH", help="Oxigraph store directory (default: in memory)")
    b.add_argument("--out", metavar="FILE", help="also write the graph to FILE")
    b.add_argument(
        "--format",
        choices=["ttl", "trig", "nq", "jsonld"],
        help="format of --out (default: from its suffix, else trig)",
    )
    b.add_argument("--html", metavar="FILE", help="write an interactive HTML view of the graph")
    b.add_argument(
        "--model",
        help="spaCy model package (default: en_core_web_sm if installed, else its re-upload)",
    )
    b.add_argument("--processes", type=int, default=None, help="spaCy worker processes (default 1)")
    progress = b.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None, help="show a progress bar")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")

    q = sub.add_parser("query", help="run SPARQL over a store")
    q.add_argument("store", metavar="STORE")
    q.add_argument("query", metavar="QUERY", help="SPARQL text or a .rq file")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a variable: <iri>, wd:Q…, a number, or a string")  # fmt: skip
    q.add_argument("--allow-service", action="store_true", help="allow federated SERVICE calls")

    v = sub.add_parser("validate", help="check a store against the SHACL shapes")
    v.add_argument("store", metavar="STORE")

    s = sub.add_parser("stats", help="what a store holds")
    s.add_argument("store", metavar="STORE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="kg: %(levelname)s: %(message)s")
    commands = {"build": _build, "query": _query, "validate": _validate, "stats": _stats}
    try:
        return commands[args.command](args)
    except KGError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted; the store holds every article written before the interruption")
        return 130


def _build(args: argparse.Namespace) -> int:
    from kg.pipeline import build
    from kg.settings import Settings

    fmt = args.format
    if args.out and fmt is None:
        fmt = FORMAT_BY_SUFFIX.get(Path(args.out).suffix.lower(), "trig")
    settings = Settings.from_env(model=args.model, n_process=args.processes)
    show_progress = sys.stderr.isatty() if args.progress is None else args.progress
    bar = None
    if show_progress:
        from tqdm import tqdm

        bar = tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True)

    def on_problem(problem: Problem) -> None:
        message = f"kg: skipped {problem}"
        if bar is not None:
            bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def on_article(_: object) -> None:
        if bar is not None:
            bar.update(1)

    graph = build(
        args.inputs,
        store=args.store,
        settings=settings,
        on_problem=on_problem,
        on_article=on_article,
    )
    if bar is not None:
        bar.close()
    try:
        report = graph.report
        written = []
        if args.out:
            graph.serialize(args.out, format=fmt)
            written.append(f"{args.out} ({fmt})")
        if args.html:
            from kg.viz import write_html

            write_html(graph.store, args.html, title="kg: " + ", ".join(args.inputs)[:80])
            written.append(f"{args.html} (HTML)")
        stats = graph.stats()
        print(
            f"built {report.articles} article{'s' if report.articles != 1 else ''} "
            f"({report.words:,} words, {report.seconds:.1f} s, {report.words_per_second:,.0f} words/s); "
            f"skipped {report.skipped}"
        )
        print(
            f"store {graph.store.location}: {stats['articles']} articles, {stats['entities']} entities "
            f"({stats['linked']} linked to Wikidata), {stats['events']} events, {stats['facts']} facts, "
            f"{stats['quads']:,} quads"
        )
        for item in written:
            print(f"wrote {item}")
    finally:
        graph.close()
    if report.articles == 0 and report.skipped:
        return EXIT_ERROR
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from kg.pipeline import open_graph
    from kg.query.sparql import check_query, format_result, load_query, parse_binding

    sparql = load_query(args.query)
    check_query(sparql, allow_service=args.allow_service)
    bindings = dict(parse_binding(b) for b in args.bind)
    graph = open_graph(args.store)
    try:
        from kg.query.sparql import run

        result = run(graph.store, sparql, bindings=bindings, allow_service=args.allow_service)
        print(format_result(result, args.format, prefixes=graph.prefixes))
    finally:
        graph.close()
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from kg.pipeline import open_graph
    from kg.validate import validate

    graph = open_graph(args.store)
    try:
        result = validate(graph.store.triples())
    finally:
        graph.close()
    if result.conforms:
        print(f"{args.store}: conforms to the kg shapes")
        return EXIT_OK
    for line, count in result.summary:
        print(f"{count:6}  {line}")
    if args.verbose:
        print(result.report)
    _err(f"{args.store}: {result.violations} SHACL violation{'s' if result.violations != 1 else ''}")
    return EXIT_ERROR


def _stats(args: argparse.Namespace) -> int:
    from kg.pipeline import open_graph
    from kg.query.sparql import format_result, run

    graph = open_graph(args.store)
    try:
        stats = graph.stats()
        for key, value in stats.items():
            print(f"{key:10} {value:,}")
        print()
        print(format_result(run(graph.store, "types"), "table", prefixes=graph.prefixes))
    finally:
        graph.close()
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
