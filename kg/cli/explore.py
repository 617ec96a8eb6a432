"""`kg stats`, `kg path`, `kg viz`, `kg serve` and `kg export`: looking at a store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import EXIT_ERROR, EXIT_OK, EXIT_USAGE, FORMAT_BY_SUFFIX, err, one_line

__all__ = ["COMMANDS", "EXPORT_CHOICES"]

EXPORT_CHOICES = ("graphml", "gexf", "csv", "ttl", "trig", "nq", "jsonld")


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
    return f"{one_line(label)} ({kind}{', ' + qid if qid else ''})"


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
        names = ", ".join(one_line(label) for label in group.labels[:6])
        print(f"  {i:2}. {group.size:5,} nodes: {names}{', ...' if group.size > 6 else ''}")


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
                err(f"{args.store}: no entity called {name!r} (a name or alias in any case, a QID or an IRI)")
                return EXIT_ERROR
            ends.append(found)
    finally:
        graph.close()
    steps = analytics.shortest_chain(g, ends[0], ends[1])
    a, b = (one_line(g.nodes[e[0]]["label"]) for e in ends)
    if steps is None:
        err(f"no chain of facts connects {a} and {b} in {args.store}")
        return EXIT_ERROR
    if steps:  # the chain's own ends: a name may stand for several nodes
        first, last = steps[0], steps[-1]
        a = one_line(g.nodes[first.subject if first.forward else first.object]["label"])
        b = one_line(g.nodes[last.object if last.forward else last.subject]["label"])
    print(f"{a} → {b}: {len(steps)} fact{'s' if len(steps) != 1 else ''}")
    for i, step in enumerate(steps, 1):
        d = step.data
        s, o = one_line(g.nodes[step.subject]["label"]), one_line(g.nodes[step.object]["label"])
        line = f"{s} —{step.predicate}→ {o}" if step.forward else f"{o} ←{step.predicate}— {s}"
        notes = [f"confidence {d['confidence']:g}"]
        if d.get("asserted_by_label"):
            notes.append(f"asserted by {one_line(d['asserted_by_label'])}")
        if d.get("hedged"):
            notes.append("hedged")
        print(f"{i}. {line}  ({'; '.join(notes)})")
        print(f"   “{one_line(d['sentence'])}”")
        source = ", ".join(one_line(x) for x in (d.get("title") or d.get("source"), d.get("date"), d.get("url")) if x)
        print(f"   {source}")
    return EXIT_OK


def _viz(args: argparse.Namespace) -> int:
    from kg.graph import open_graph
    from kg.viz import DEFAULT_MAX_NODES, Selection, parse_types, select
    from kg.viz import page as render

    if args.hops < 1 or (args.max_nodes is not None and args.max_nodes < 1):
        err("--hops and --max-nodes must be 1 or more")
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
        err(f"{target}: cannot write: {exc.strerror or exc}")
        return EXIT_ERROR
    print(f"wrote {target}: {len(view.nodes):,} nodes of {view.graph.number_of_nodes():,} ({len(text) / 1e6:.1f} MB)")
    for note in view.notes:
        print(f"  {one_line(note)}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import ipaddress
    import os

    from kg.query.server import ServerOptions, bind, close_app, make_app, serve
    from kg.settings import Settings
    from kg.store import open_store

    if not Path(args.store).is_dir():
        err(f"{args.store}: no store here (build one with `kg build ... --store {args.store}`)")
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
            err(f"listening on {host}: other machines can reach this endpoint")
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
        err("say which format with --format (graphml, gexf, csv, ttl, trig, nq, jsonld)")
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


COMMANDS = {"stats": _stats, "path": _path, "viz": _viz, "serve": _serve, "export": _export}
