"""`kg kb` and `kg enrich`: the local Wikidata knowledge base and what it adds to a store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.common import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, err, raw_stream
from kg.errors import KGError

__all__ = ["COMMANDS"]


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
                err(f"nothing named {args.name!r} in {path}")
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

                bar = tqdm(
                    total=file.stat().st_size, unit="B", unit_scale=True, desc=file.name, file=raw_stream(sys.stderr)
                )

            def progress(done: int, bar: object = bar) -> None:
                if bar is not None:
                    bar.n = done  # type: ignore[attr-defined]
                    bar.refresh()  # type: ignore[attr-defined]

            try:
                report = import_file(kb, file, fmt=args.format, lang=args.lang, types=types,
                                     min_sitelinks=args.min_sitelinks, mapping=mapping, progress=progress)  # fmt: skip
            except KGError as exc:
                err(str(exc))
                failed += 1
                continue
            finally:
                if bar is not None:
                    bar.close()
            for problem in report.problems[:20]:
                err(f"skipped {problem}")
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


COMMANDS = {"kb": _kb, "enrich": _enrich}
