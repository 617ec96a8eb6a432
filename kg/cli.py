"""The `kg` command: thin commands over plain functions. The only module that prints.

Exit status: 0 success; 1 an error stopped the command; 2 bad usage; 3 the command
finished but skipped some inputs (each reported on stderr with file and line).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from kg import __version__
from kg.errors import KGError
from kg.model import Problem
from kg.terminal import printable

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3
EXPORT_CHOICES = ("graphml", "gexf", "csv", "ttl", "trig", "nq", "jsonld")
FORMAT_BY_SUFFIX = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
    ".ttl": "ttl",
    ".trig": "trig",
    ".nq": "nq",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def _err(message: str) -> None:
    print(f"kg: {printable(message)}", file=sys.stderr)


def _limit(kind: type[int] | type[float]) -> Callable[[str], int | float]:
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
    b.add_argument("--linker", choices=["auto", "kb", "wikidata", "none"], default=None,
                   help="entity linking: the local knowledge base (default), auto (+ Wikidata API when reachable), "
                        "wikidata (API for every name), none")  # fmt: skip
    b.add_argument("--kb", metavar="PATH", help="knowledge base file (default: $KG_KB or the user data directory)")
    b.add_argument("--enrich", action="store_true", help="add what the knowledge base knows of linked entities")
    progress = b.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None, help="show a progress bar")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")

    q = sub.add_parser("query", help="run SPARQL over a store")
    q.add_argument("store", metavar="STORE")
    q.add_argument("query", metavar="QUERY", help="SPARQL text or a .rq file")
    q.add_argument("--format", choices=["table", "csv", "json", "tsv", "xml", "ttl", "nt", "jsonld"], default="table",
                   help="SELECT/ASK: table, csv, json, tsv, xml; CONSTRUCT/DESCRIBE: Turtle (table, ttl), "
                        "N-Triples (csv, nt), JSON-LD (json, jsonld)")  # fmt: skip
    q.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a variable: <iri>, wd:Q…, a number, or a string")  # fmt: skip
    q.add_argument("--allow-service", action="append", nargs="?", const="*", metavar="ENDPOINT",
                   help="allow SERVICE calls to ENDPOINT (repeatable); to any endpoint without one")  # fmt: skip
    q.add_argument("--timeout", type=_limit(float), metavar="SECONDS",
                   help="stop the query after this long (default 30, KG_QUERY_TIMEOUT; 0: no limit)")  # fmt: skip
    q.add_argument("--max-rows", type=_limit(int), metavar="N",
                   help="keep at most N rows (default 1,000,000, KG_QUERY_MAX_ROWS; 0: no limit)")  # fmt: skip
    q.add_argument("--max-memory", type=_limit(int), metavar="MB",
                   help="stop the query if it needs more (default 1024, KG_QUERY_MEMORY_MB; 0: no limit)")  # fmt: skip

    e = sub.add_parser("enrich", help="add Wikidata facts of linked entities to a store, in their own graph")
    e.add_argument("store", metavar="STORE")
    e.add_argument("--kb", metavar="PATH", help="knowledge base file")
    e.add_argument(
        "--federated",
        metavar="ENDPOINT",
        nargs="?",
        const="https://query.wikidata.org/sparql",
        help="ask a SPARQL endpoint instead of the knowledge base (network; Wikidata's by default)",
    )

    k = sub.add_parser("kb", help="the local Wikidata knowledge base")
    k.add_argument("--kb", metavar="PATH", help="knowledge base file (default: $KG_KB or the user data directory)")
    ksub = k.add_subparsers(dest="kb_command", required=True)
    ki = ksub.add_parser("import", help="import Wikidata dumps (.json[.gz|.bz2]), API JSON, gazetteer CSV, JSONL")
    ki.add_argument("files", nargs="+", metavar="FILE")
    ki.add_argument("--format", choices=["dump", "entities", "jsonl", "csv"], help="default: from the file")
    ki.add_argument("--types", default="",
                    help="keep only instances of these classes or their subclasses (comma-separated QIDs; "
                         "a dump is read twice: its P279 claims, then its entities)")  # fmt: skip
    ki.add_argument("--min-sitelinks", type=int, default=0, help="dumps: keep only entities with this many sitelinks")
    ki.add_argument("--lang", default="en", help="label language (default en)")
    ki.add_argument("--qid-column", default="wikiDataId", help="CSV: column of QIDs")
    ki.add_argument("--label-column", default="name", help="CSV: column of names")
    ki.add_argument("--alias-columns", default="", help="CSV: comma-separated alias columns")
    ki.add_argument("--country-column", help="CSV: column of ISO 3166-1 alpha-2 codes or country QIDs")
    ki.add_argument("--population-column", help="CSV: column of populations (sets popularity)")
    ki.add_argument("--lat-column", help="CSV: latitude column")
    ki.add_argument("--lon-column", help="CSV: longitude column")
    ki.add_argument("--entity-type", default="LOC", choices=["PER", "ORG", "LOC", "EVENT", "WORK", "OTHER"],
                    help="CSV: coarse type of every row")  # fmt: skip
    ki.add_argument("--subtype", choices=["country", "region", "city"], help="CSV: place subtype of every row")
    ki.add_argument(
        "--bare", action="store_true", help="a new base without the package's data (countries, places, ...)"
    )
    ksub.add_parser("stats", help="what the knowledge base holds")
    kl = ksub.add_parser("lookup", help="entities with this name (exact, then fuzzy)")
    kl.add_argument("name")
    kl.add_argument("--limit", type=int, default=10)

    v = sub.add_parser("validate", help="check a store against the SHACL shapes")
    v.add_argument("store", metavar="STORE")

    s = sub.add_parser("stats", help="what a store holds, its most central entities, communities and components")
    s.add_argument("store", metavar="STORE")
    s.add_argument("--top", type=int, default=10, metavar="N", help="central entities and communities to list")

    _explore_parsers(sub)

    r = sub.add_parser("rm", help="remove articles from a store, by corpus id, URL, file path or article IRI")
    r.add_argument("store", metavar="STORE")
    r.add_argument("sources", nargs="+", metavar="SOURCE")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--min-confidence", type=float, default=0.0, metavar="X", help="leave out facts below X")
    p.add_argument("--since", type=_date, metavar="DATE", help="only facts of articles dated DATE or later")
    p.add_argument("--until", type=_date, metavar="DATE", help="only facts of articles dated DATE or earlier")


def _explore_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("path", help="the shortest chain of facts between two entities, sentence by sentence")
    p.add_argument("store", metavar="STORE")
    p.add_argument("source", metavar="A", help="a name or alias (any case), a QID (Q863) or an IRI")
    p.add_argument("target", metavar="B")
    _selection(p)

    w = sub.add_parser("viz", help="write an interactive HTML page of part of the graph (one file, works offline)")
    w.add_argument("store", metavar="STORE")
    w.add_argument("-o", "--output", metavar="FILE", default="kg.html", help="where to write (default kg.html)")
    w.add_argument("--focus", metavar="NAME|QID", help="show what lies around this entity (name, alias, QID or IRI)")
    w.add_argument("--hops", type=int, default=2, metavar="N", help="how many facts away from --focus (default 2)")
    w.add_argument("--types", metavar="T,T", help="only these classes, with their subclasses (Person,Place,Attack)")
    w.add_argument("--max-nodes", type=int, default=None, metavar="N", help="at most N nodes (default 300)")
    w.add_argument("--title", help="the page's title")
    _selection(w)

    v = sub.add_parser("serve", help="a SPARQL 1.1 endpoint over a store (127.0.0.1, read-only by default)")
    v.add_argument("store", metavar="STORE")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    v.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 for any free port)")
    v.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL updates (changes the store directly, outside kg's entity layer)")  # fmt: skip
    v.add_argument("--allow-service", action="append", nargs="?", const="*", metavar="ENDPOINT",
                   help="allow SERVICE calls to ENDPOINT (repeatable); to any endpoint without one")  # fmt: skip
    v.add_argument("--cors", action="store_true", help="answer browser pages from other origins")
    v.add_argument("--workers", type=int, default=None, metavar="N",
                   help="query worker processes (default: the cores, at most 4; 0: one per query)")  # fmt: skip

    x = sub.add_parser("export", help="write the graph as graphml, gexf, csv (facts), ttl, trig, nq or jsonld")
    x.add_argument("store", metavar="STORE")
    x.add_argument("-o", "--output", metavar="FILE", help="where to write (default: standard output)")
    x.add_argument("--format", choices=EXPORT_CHOICES, help="default: from the suffix of --output")
    _selection(x)


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
def _safe_terminal() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    if sys.stdout.isatty():
        sys.stdout = _Escaping(sys.stdout)
    if sys.stderr.isatty():
        sys.stderr = _Escaping(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def _raw(stream: TextIO) -> TextIO:
    """The terminal under an `_Escaping` stream (for the progress bar's own control codes)."""
    return stream.raw_stream if isinstance(stream, _Escaping) else stream


def main(argv: Sequence[str] | None = None) -> int:
    with _safe_terminal():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="kg: %(levelname)s: %(message)s")
    commands = {
        "build": _build,
        "query": _query,
        "validate": _validate,
        "stats": _stats,
        "kb": _kb,
        "enrich": _enrich,
        "rm": _rm,
        "path": _path,
        "export": _export,
        "viz": _viz,
        "serve": _serve,
    }
    try:
        return commands[args.command](args)
    except KGError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("interrupted; the store holds every article written before the interruption")
        return 130
    except BrokenPipeError:  # `kg query ... | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from kg.pipeline import build
    from kg.settings import Settings

    fmt = args.format
    if args.out and fmt is None:
        fmt = FORMAT_BY_SUFFIX.get(Path(args.out).suffix.lower(), "trig")
    settings = Settings.from_env(model=args.model, n_process=args.processes, linker=args.linker, kb_path=args.kb)
    show_progress = sys.stderr.isatty() if args.progress is None else args.progress
    bar = None
    if show_progress:
        from tqdm import tqdm

        bar = tqdm(unit=" articles", file=_raw(sys.stderr), dynamic_ncols=True)

    def on_problem(problem: Problem) -> None:
        message = f"kg: skipped {printable(str(problem))}"
        if bar is not None:
            bar.write(message, file=_raw(sys.stderr))
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
        if args.enrich:
            from kg.link import open_kb
            from kg.link.enrich import enrich

            with open_kb(settings.kb_path) as kb:
                described, linked = enrich(graph.store, kb, base_iri=settings.base_iri)
            written.append(
                f"Wikidata facts for {described} of {linked} linked entities "
                f"(graph <{settings.base_iri}graph/wikidata>)"
            )
        if args.out:
            graph.serialize(args.out, format=fmt)
            written.append(f"{args.out} ({fmt})")
        if args.html:
            from kg.viz import write_html

            write_html(graph.store, args.html, title="kg: " + ", ".join(args.inputs)[:80])
            written.append(f"{args.html} (HTML)")
        stats = graph.stats()
        print(
            f"built {report.built} article{'s' if report.built != 1 else ''}, replaced {report.replaced}, "
            f"unchanged {report.unchanged}, duplicate {report.duplicates}, skipped {report.skipped} "
            f"({report.words:,} words parsed, {report.seconds:.1f} s, {report.words_per_second:,.0f} words/s)"
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


def _rm(args: argparse.Namespace) -> int:
    from kg.graph import open_graph, remove

    if not Path(args.store).is_dir():
        _err(f"{args.store}: no store here")
        return EXIT_ERROR
    graph = open_graph(args.store, read_only=False)
    try:
        before = graph.stats()["articles"]
        missing = remove(graph.store, args.sources)
        after = graph.stats()["articles"]
    finally:
        graph.close()
    for source in missing:
        _err(f"{source}: no article from this source in {args.store}")
    print(f"removed {before - after} article{'s' if before - after != 1 else ''}; {after} left in {args.store}")
    if missing:
        return EXIT_ERROR if len(missing) == len(args.sources) else EXIT_SKIPPED
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from kg.graph import open_graph
    from kg.query.sparql import QueryLimits, check_query, format_result, load_query, parse_binding, run
    from kg.settings import Settings

    allowed = args.allow_service or []
    allow_service: bool | list[str] = "*" in allowed or [e.strip("<>") for e in allowed]
    sparql = load_query(args.query)
    check_query(sparql, allow_service=allow_service)  # before the store is opened: a refusal costs nothing
    bindings = dict(parse_binding(b) for b in args.bind)
    settings = Settings.from_env(
        query_timeout=args.timeout, query_max_rows=args.max_rows, query_memory_mb=args.max_memory
    )
    graph = open_graph(args.store, settings=settings)
    try:
        limits = QueryLimits.from_settings(settings)
        result = run(graph.store, sparql, bindings=bindings, allow_service=allow_service, limits=limits)
        text = format_result(result, args.format, prefixes=graph.prefixes, terminal=sys.stdout.isatty())
        print(text, end="" if text.endswith("\n") else "\n")
    finally:
        graph.close()
    if result.truncated:
        _err(f"result cut at {limits.max_rows:,} rows, its row limit (--max-rows, KG_QUERY_MAX_ROWS)")
        return EXIT_SKIPPED
    return EXIT_OK


def _kb(args: argparse.Namespace) -> int:
    from kg.link import open_kb
    from kg.link.kb import default_kb_path

    path = Path(args.kb) if args.kb else default_kb_path()
    if args.kb_command == "import":
        return _kb_import(args, path)
    with open_kb(path) as kb:
        if args.kb_command == "stats":
            stats = kb.stats()
            print(f"knowledge base {stats['path']}: {stats['entities']:,} entities, {stats['names']:,} names, "
                  f"{int(stats['bytes']) / 1e6:.1f} MB")  # type: ignore[call-overload]  # fmt: skip
            for kind, count in stats["by_type"].items():  # type: ignore[attr-defined]
                print(f"  {kind:6} {count:,}")
            for source, count in stats["imports"].items():  # type: ignore[attr-defined]
                print(f"  imported {source.removeprefix('import:')}: {int(count):,}")
            return EXIT_OK
        exact = kb.lookup(args.name)
        for c in sorted(exact, key=lambda c: -(c.entity.popularity or 0))[: args.limit]:
            e = c.entity
            print(f"{e.qid:12} {e.label} [{e.type}{'/' + e.subtype if e.subtype else ''}] ({c.kind} {c.matched!r}) "
                  f"{e.description or ''}")  # fmt: skip
        if not exact:
            fuzzy = kb.search(args.name, limit=args.limit)
            if not fuzzy:
                _err(f"nothing named {args.name!r} in {path}")
                return EXIT_ERROR
            print(f"no exact match for {args.name!r}; names containing its words:")
            for e, name in fuzzy:
                print(f"{e.qid:12} {e.label} [{e.type}] ({name!r}) {e.description or ''}")
    return EXIT_OK


def _kb_import(args: argparse.Namespace, path: Path) -> int:
    import time

    from kg.link import open_kb
    from kg.link.default import BARE
    from kg.link.importers import CsvMapping, import_file
    from kg.link.kb import KnowledgeBase

    mapping = CsvMapping(
        qid_column=args.qid_column,
        label_column=args.label_column,
        alias_columns=tuple(c for c in args.alias_columns.split(",") if c),
        type=args.entity_type,
        subtype=args.subtype,
        country_column=args.country_column,
        population_column=args.population_column,
        lat_column=args.lat_column,
        lon_column=args.lon_column,
    )
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    failed = 0
    if args.bare and not path.exists():
        with KnowledgeBase(path) as kb:
            kb.set_meta("package", BARE)
    with open_kb(path, read_only=False) as kb:
        for name in args.files:
            file = Path(name)
            started = time.perf_counter()
            bar = None
            if sys.stderr.isatty() and file.exists():
                from tqdm import tqdm

                bar = tqdm(total=file.stat().st_size, unit="B", unit_scale=True, desc=file.name, file=_raw(sys.stderr))

            def progress(done: int, bar: object = bar) -> None:
                if bar is not None:
                    bar.n = done  # type: ignore[attr-defined]
                    bar.refresh()  # type: ignore[attr-defined]

            try:
                report = import_file(kb, file, fmt=args.format, lang=args.lang, types=types,
                                     min_sitelinks=args.min_sitelinks, mapping=mapping, progress=progress)  # fmt: skip
            except KGError as exc:
                _err(str(exc))
                failed += 1
                continue
            finally:
                if bar is not None:
                    bar.close()
            for problem in report.problems[:20]:
                _err(f"skipped {problem}")
            print(f"{file}: {report.format}, {report.kept:,} entities imported, {report.skipped:,} skipped "
                  f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
            if report.classes:
                table = (f"{report.subclass_edges:,} P279 pairs read in a first pass" if report.subclass_edges
                         else "the class table the base already holds")  # fmt: skip
                print(f"  --types through subclasses (P279*), from {table}:")
            for cls, count in report.classes.items():
                label = f" {report.labels[cls]}" if cls in report.labels else ""
                print(f"  {cls}{label}: {count:,} classes, {report.kept_by_class.get(cls, 0):,} entities kept")
        stats = kb.stats()
    print(f"knowledge base {path}: {stats['entities']:,} entities, {stats['names']:,} names")
    return EXIT_ERROR if failed == len(args.files) else (EXIT_SKIPPED if failed else EXIT_OK)


def _enrich(args: argparse.Namespace) -> int:
    from kg.graph import open_graph
    from kg.link import open_kb
    from kg.link.enrich import enrich
    from kg.link.kb import default_kb_path
    from kg.settings import Settings

    settings = Settings.from_env()
    graph = open_graph(args.store, read_only=False)
    try:
        if args.federated:
            described, linked = enrich(graph.store, base_iri=settings.base_iri, endpoint=args.federated)
        else:
            with open_kb(args.kb or settings.kb_path or default_kb_path()) as kb:
                described, linked = enrich(graph.store, kb, base_iri=settings.base_iri)
    finally:
        graph.close()
    print(
        f"{args.store}: Wikidata facts for {described} of {linked} linked entities, "
        f"in <{settings.base_iri}graph/wikidata>"
    )
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from kg.corpus import Corpus
    from kg.graph import open_graph
    from kg.rdf.namespaces import Minter
    from kg.settings import Settings
    from kg.validate import validate

    graph = open_graph(args.store)
    try:
        result = validate(graph.store.triples())
        layer = Corpus(graph.store, Minter(Settings.from_env().base_iri)).audit()
    finally:
        graph.close()
    for problem in layer[:20]:
        print(f"entity layer: {problem}")
    if result.conforms and not layer:
        print(f"{args.store}: conforms to the kg shapes; the entity layer agrees with the articles")
        return EXIT_OK
    for line, count in result.summary:
        print(f"{count:6}  {line}")
    if args.verbose:
        print(result.report)
    if not result.conforms:
        _err(f"{args.store}: {result.violations} SHACL violation{'s' if result.violations != 1 else ''}")
    if layer:
        _err(f"{args.store}: the entity layer differs from the articles in {len(layer)} triples")
    return EXIT_ERROR


def _stats(args: argparse.Namespace) -> int:
    from kg.graph import open_graph
    from kg.query.sparql import UNLIMITED, format_result, run

    graph = open_graph(args.store)
    try:
        stats = graph.stats()
        for key, value in stats.items():
            print(f"{key:10} {value:,}")
        print()
        print(format_result(run(graph.store, "types", limits=UNLIMITED), "table", prefixes=graph.prefixes))
        _print_structure(graph.store, top=args.top)
    finally:
        graph.close()
    return EXIT_OK


def _named(label: str, kind: str, qid: str | None) -> str:
    return f"{_safe(label)} ({kind}{', ' + qid if qid else ''})"


def _print_structure(store: object, *, top: int) -> None:
    from kg import analytics

    g = analytics.entity_graph(store)  # type: ignore[arg-type]
    parts = analytics.components(g)
    print()
    largest = parts.sizes[0] if parts.sizes else 0
    after = ", ".join(f"{n:,}" for n in parts.sizes[1:6]) or "none"
    print(f"components {parts.count:,} connected by facts, largest {largest:,} nodes (then {after}); "
          f"{parts.isolated:,} nodes without facts")  # fmt: skip
    for by, title in (("pagerank", "most central (PageRank)"), ("degree", "most facts (degree)")):
        print()
        print(f"{title}:")
        for c in analytics.central(g, top=top, by=by):
            print(f"  {c.pagerank:.4f}  {c.facts:5,} facts  {c.neighbours:5,} neighbours  "
                  f"{_named(c.label, c.type, c.qid)}")  # fmt: skip
    groups = analytics.communities(g)
    print()
    print(f"communities (Louvain) of 3 nodes or more: {len(groups):,}; the largest:")
    for i, group in enumerate(groups[:top], 1):
        names = ", ".join(_safe(label) for label in group.labels[:6])
        print(f"  {i:2}. {group.size:5,} nodes: {names}{', ...' if group.size > 6 else ''}")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _safe(text: str) -> str:
    """Article text for a terminal: control and bidi characters escaped, lines joined."""
    text = " ".join(text.split())
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _path(args: argparse.Namespace) -> int:
    from kg import analytics
    from kg.graph import open_graph

    graph = open_graph(args.store)
    try:
        g = analytics.entity_graph(graph.store, min_confidence=args.min_confidence, since=args.since, until=args.until)
        ends = []
        for name in (args.source, args.target):
            found = analytics.find_nodes(graph.store, g, name)
            if not found:
                _err(f"{args.store}: no entity called {name!r} (a name or alias in any case, a QID or an IRI)")
                return EXIT_ERROR
            ends.append(found)
    finally:
        graph.close()
    steps = analytics.shortest_chain(g, ends[0], ends[1])
    a, b = (_safe(g.nodes[e[0]]["label"]) for e in ends)
    if steps is None:
        _err(f"no chain of facts connects {a} and {b} in {args.store}")
        return EXIT_ERROR
    if steps:  # the chain's own ends: a name may stand for several nodes
        first, last = steps[0], steps[-1]
        a = _safe(g.nodes[first.subject if first.forward else first.object]["label"])
        b = _safe(g.nodes[last.object if last.forward else last.subject]["label"])
    print(f"{a} → {b}: {len(steps)} fact{'s' if len(steps) != 1 else ''}")
    for i, step in enumerate(steps, 1):
        d = step.data
        s, o = _safe(g.nodes[step.subject]["label"]), _safe(g.nodes[step.object]["label"])
        line = f"{s} —{step.predicate}→ {o}" if step.forward else f"{o} ←{step.predicate}— {s}"
        notes = [f"confidence {d['confidence']:g}"]
        if d.get("asserted_by_label"):
            notes.append(f"asserted by {_safe(d['asserted_by_label'])}")
        if d.get("hedged"):
            notes.append("hedged")
        print(f"{i}. {line}  ({'; '.join(notes)})")
        print(f"   “{_safe(d['sentence'])}”")
        source = ", ".join(_safe(x) for x in (d.get("title") or d.get("source"), d.get("date"), d.get("url")) if x)
        print(f"   {source}")
    return EXIT_OK


def _viz(args: argparse.Namespace) -> int:
    from kg.graph import open_graph
    from kg.viz import DEFAULT_MAX_NODES, Selection, parse_types, select
    from kg.viz import page as render

    if args.hops < 1 or (args.max_nodes is not None and args.max_nodes < 1):
        _err("--hops and --max-nodes must be 1 or more")
        return EXIT_USAGE
    selection = Selection(
        focus=args.focus,
        hops=args.hops,
        types=parse_types(args.types),
        min_confidence=args.min_confidence,
        max_nodes=args.max_nodes or DEFAULT_MAX_NODES,
        since=args.since,
        until=args.until,
    )
    graph = open_graph(args.store)
    try:
        view = select(graph.store, selection)
    finally:
        graph.close()
    title = args.title or "kg: " + Path(args.store).name + (f", around {args.focus}" if args.focus else "")
    text = render(view, title=title)
    target = Path(args.output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        _err(f"{target}: cannot write: {exc.strerror or exc}")
        return EXIT_ERROR
    print(f"wrote {target}: {len(view.nodes):,} nodes of {view.graph.number_of_nodes():,} ({len(text) / 1e6:.1f} MB)")
    for note in view.notes:
        print(f"  {_safe(note)}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import ipaddress
    import os

    from kg.query.server import ServerOptions, bind, close_app, make_app, serve
    from kg.settings import Settings
    from kg.store import open_store

    if not Path(args.store).is_dir():
        _err(f"{args.store}: no store here (build one with `kg build ... --store {args.store}`)")
        return EXIT_ERROR
    store = open_store(args.store, read_only=not args.allow_update)
    try:
        allowed = args.allow_service or []
        allow_service = "*" in allowed or tuple(e.strip("<>") for e in allowed)
        workers = min(os.cpu_count() or 2, 4) if args.workers is None else max(args.workers, 0)
        options = ServerOptions(
            Settings.from_env(),
            allow_update=args.allow_update,
            allow_service=allow_service,
            cors=args.cors,
            workers=workers,
        )
        app = make_app(store, options)
        sock = bind(args.host, args.port)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        mode = "read-write: SPARQL updates accepted" if args.allow_update else "read-only"
        print(f"kg serve: {args.store} at http://{shown}:{port}/sparql ({mode}); Ctrl-C stops", flush=True)
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            _err(f"listening on {host}: other machines can reach this endpoint")
        try:
            serve(app, sock)
        finally:
            close_app(app)
    finally:
        store.close()
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from kg.export import export
    from kg.graph import open_graph

    fmt = args.format or (FORMAT_BY_SUFFIX.get(Path(args.output).suffix.lower()) if args.output else None)
    if fmt is None:
        _err("say which format with --format (graphml, gexf, csv, ttl, trig, nq, jsonld)")
        return EXIT_USAGE
    options = {"min_confidence": args.min_confidence, "since": args.since, "until": args.until}
    graph = open_graph(args.store)
    try:
        if args.output:
            export(graph.store, args.output, fmt, **options)
        else:
            export(graph.store, sys.stdout.buffer, fmt, **options)
            sys.stdout.buffer.flush()
    finally:
        graph.close()
    if args.output:
        print(f"wrote {args.output} ({fmt})", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
