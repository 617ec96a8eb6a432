"""The `kg` command line: its sub-commands and their options."""

from __future__ import annotations

import argparse

from kg import __version__
from kg.cli.common import add_selection, limit
from kg.cli.explore import EXPORT_CHOICES

__all__ = ["make_parser"]


def make_parser() -> argparse.ArgumentParser:
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
    q.add_argument("--timeout", type=limit(float), metavar="SECONDS",
                   help="stop the query after this long (default 30, KG_QUERY_TIMEOUT; 0: no limit)")  # fmt: skip
    q.add_argument("--max-rows", type=limit(int), metavar="N",
                   help="keep at most N rows (default 1,000,000, KG_QUERY_MAX_ROWS; 0: no limit)")  # fmt: skip
    q.add_argument("--max-memory", type=limit(int), metavar="MB",
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


def _explore_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("path", help="the shortest chain of facts between two entities, sentence by sentence")
    p.add_argument("store", metavar="STORE")
    p.add_argument("source", metavar="A", help="a name or alias (any case), a QID (Q863) or an IRI")
    p.add_argument("target", metavar="B")
    add_selection(p)

    w = sub.add_parser("viz", help="write an interactive HTML page of part of the graph (one file, works offline)")
    w.add_argument("store", metavar="STORE")
    w.add_argument("-o", "--output", metavar="FILE", default="kg.html", help="where to write (default kg.html)")
    w.add_argument("--focus", metavar="NAME|QID", help="show what lies around this entity (name, alias, QID or IRI)")
    w.add_argument("--hops", type=int, default=2, metavar="N", help="how many facts away from --focus (default 2)")
    w.add_argument("--types", metavar="T,T", help="only these classes, with their subclasses (Person,Place,Attack)")
    w.add_argument("--max-nodes", type=int, default=None, metavar="N", help="at most N nodes (default 300)")
    w.add_argument("--title", help="the page's title")
    add_selection(w)

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
    add_selection(x)
