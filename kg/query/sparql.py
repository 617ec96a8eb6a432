"""Running SPARQL safely and printing results.

Queries live in ``.rq`` files and take bound variables (``run(store, "entity.rq",
bindings={"name": Literal("Islamic State")})``): values are substituted by the store,
never formatted into the query text. Every query is checked on its parse first
(`kg.query.check`: no updates, no federated ``SERVICE`` unless allowed) and runs within
`QueryLimits` (`kg.query.limits`: time, rows, memory), the `Settings` defaults unless
the caller gives others.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.errors import QueryError
from kg.query.check import AllowService, check_query
from kg.query.limits import UNLIMITED, QueryLimits, bounded_query
from kg.settings import Settings
from kg.store import Plain, QueryResult, Store
from kg.terminal import json_ascii_controls, printable

__all__ = [
    "PACKAGED",
    "UNLIMITED",
    "QueryLimits",
    "check_query",
    "format_result",
    "load_query",
    "parse_binding",
    "run",
]

PACKAGED = "kg.query"
GRAPH_OUTPUT = {"table": "ttl", "csv": "nt", "json": "jsonld"}
"""What a CONSTRUCT or DESCRIBE result is printed as for each `format_result` format."""


def load_query(query: str | Path) -> str:
    """SPARQL text from a file path, a packaged query name ("stats"), or the text itself."""
    text = str(query)
    if "\n" not in text and len(text) < 300:
        path = Path(text)
        if path.suffix == ".rq" or path.exists():
            try:
                return path.read_text(encoding="utf-8")
            except OSError as exc:
                raise QueryError(f"{path}: cannot read query: {exc.strerror or exc}") from exc
            except UnicodeDecodeError as exc:
                raise QueryError(f"{path}: query file is not valid UTF-8") from exc
        packaged = resources.files(PACKAGED).joinpath("queries", f"{text}.rq")
        if re.fullmatch(r"[a-z_]+", text) and packaged.is_file():
            return packaged.read_text(encoding="utf-8")
    return text


def run(
    store: Store,
    query: str | Path,
    *,
    bindings: Mapping[str, RDFNode] | None = None,
    allow_service: AllowService = False,
    limits: QueryLimits | None = None,
) -> QueryResult:
    """Run a query (text, ``.rq`` file or packaged name) with bound variables.

    Args:
        allow_service: ``True`` allows federated ``SERVICE`` calls to any endpoint, a
            collection of IRIs to those only.
        limits: time, row and memory bounds; ``None`` takes those of
            ``Settings.from_env()``; `UNLIMITED` is for queries kg runs itself.

    Raises:
        QueryError: refused, malformed or failed; `kg.errors.QueryLimitError` when over
            its time or memory.
    """
    sparql = load_query(query)
    checked = check_query(sparql, allow_service=allow_service)
    for name in bindings or {}:
        if name not in checked.variables:
            raise QueryError(f"the query has no variable ?{name} to bind")
    if limits is None:
        limits = QueryLimits.from_settings(Settings.from_env())
    return bounded_query(store, sparql, bindings=bindings, limits=limits)


def parse_binding(text: str) -> tuple[str, RDFNode]:
    """``name=value`` from the command line: ``<iri>`` is an IRI, ``wd:Q42`` a Wikidata
    item, a number an integer, anything else a plain string."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise QueryError(f"bad binding {text!r}: expected name=value")
    if value.startswith("<") and value.endswith(">"):
        return name, URIRef(value[1:-1])
    if re.fullmatch(r"wd:Q[1-9]\d*", value):
        return name, URIRef("http://www.wikidata.org/entity/" + value[3:])
    if re.fullmatch(r"-?\d+", value):
        return name, Literal(int(value))
    return name, Literal(value)


# ---------------------------------------------------------------------------- formats


def _short_iri(text: str, prefixes: Mapping[str, str]) -> str:
    best = max((ns for ns in prefixes.values() if text.startswith(ns)), key=len, default=None)
    if best is not None:
        prefix = next(p for p, ns in prefixes.items() if ns == best)
        return f"{prefix}:{text[len(best) :]}"
    return f"<{text}>"


def _cell(term: Plain | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    kind, value, _, _ = term
    if kind == "uri":
        return _short_iri(value, prefixes)
    return f"_:{value}" if kind == "bnode" else value


def _json_term(term: Plain) -> dict[str, str]:
    kind, value, datatype, language = term
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype:
        out["datatype"] = datatype
    return out


def format_result(
    result: QueryResult, fmt: str = "table", *, prefixes: Mapping[str, str] | None = None, terminal: bool = False
) -> str:
    """A result as ``table`` (aligned text), ``csv`` or ``json`` (SPARQL 1.1 results formats).

    Control characters from the data never reach a terminal raw: the table escapes them
    (`kg.terminal.printable`), JSON writes them as ``\\u`` escapes (the same JSON value),
    and CSV, exact when written to a file or a pipe, escapes them when ``terminal``.
    """
    prefixes = prefixes or {}
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean})
        return "true" if result.boolean else "false"
    if result.kind == "graph":  # Turtle with its @prefix lines (table), N-Triples (csv), JSON-LD (json)
        from kg.query.results import serialize_graph

        text = serialize_graph(result.triples, GRAPH_OUTPUT.get(fmt, fmt), prefixes=prefixes).decode("utf-8")
        return printable(text, keep_newlines=True) if terminal else text
    if fmt in ("xml", "tsv"):
        from kg.query.results import serialize_solutions

        text = serialize_solutions(result, fmt).decode("utf-8")
        return printable(text, keep_newlines=True) if terminal else text
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.plain()
        ]
        text = json.dumps(
            {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
            ensure_ascii=False,
            indent=1,
        )
        return json_ascii_controls(text)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.plain():
            values = ["" if t is None else t[1] for t in row]
            writer.writerow([printable(v) for v in values] if terminal else values)
        return buffer.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown result format {fmt!r} (table, csv, json)")
    cells = [[printable(_cell(t, prefixes)) for t in row] for row in result.plain()]
    cells = [[c if len(c) <= 120 else c[:117] + "..." for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(result.variables)]
    header = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    lines = [header, "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
