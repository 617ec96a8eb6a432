"""`kg build`, `kg rm`, `kg query` and `kg validate`: writing a store and reading it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, FORMAT_BY_SUFFIX, err, raw_stream
from kg.model import Problem
from kg.terminal import printable

__all__ = ["COMMANDS"]


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

        bar = tqdm(unit=" articles", file=raw_stream(sys.stderr), dynamic_ncols=True)

    def on_problem(problem: Problem) -> None:
        message = f"kg: skipped {printable(str(problem))}"
        if bar is not None:
            bar.write(message, file=raw_stream(sys.stderr))
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
        err(f"{args.store}: no store here")
        return EXIT_ERROR
    graph = open_graph(args.store, read_only=False)
    try:
        before = graph.stats()["articles"]
        missing = remove(graph.store, args.sources)
        after = graph.stats()["articles"]
    finally:
        graph.close()
    for source in missing:
        err(f"{source}: no article from this source in {args.store}")
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
        err(f"result cut at {limits.max_rows:,} rows, its row limit (--max-rows, KG_QUERY_MAX_ROWS)")
        return EXIT_SKIPPED
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
        err(f"{args.store}: {result.violations} SHACL violation{'s' if result.violations != 1 else ''}")
    if layer:
        err(f"{args.store}: the entity layer differs from the articles in {len(layer)} triples")
    return EXIT_ERROR


COMMANDS = {"build": _build, "rm": _rm, "query": _query, "validate": _validate}
