"""Running SPARQL safely and printing results.

Queries live in ``.rq`` files and take bound variables (``run(store, "entity.rq",
bindings={"name": Literal("Islamic State")})``): values are substituted by the store,
never formatted into the query text. Federated ``SERVICE`` calls are refused unless the
caller allows them.
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
from kg.store import Plain, QueryResult, Store

__all__ = ["PACKAGED", "check_query", "format_result", "load_query", "parse_binding", "run"]

PACKAGED = "kg.query"
_STRINGS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
GRAPH_OUTPUT = {"table": "ttl", "csv": "nt", "json": "jsonld"}
"""What a CONSTRUCT or DESCRIBE result is printed as for each `format_result` format."""
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b", re.IGNORECASE)


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


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Refuse updates and, unless allowed, federated ``SERVICE`` calls."""
    code = _STRINGS.sub(" ", sparql)
    if not allow_service and _SERVICE.search(code):
        raise QueryError("federated SERVICE queries are disabled (allow them explicitly with --allow-service)")
    if _UPDATE.search(code) and not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE):
        raise QueryError("this is a SPARQL update; kg query only reads")


def run(
    store: Store,
    query: str | Path,
    *,
    bindings: Mapping[str, RDFNode] | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run a query (text, ``.rq`` file or packaged name) with bound variables."""
    sparql = load_query(query)
    check_query(sparql, allow_service=allow_service)
    code = _STRINGS.sub(" ", sparql)
    for name in bindings or {}:
        if not re.search(rf"[?$]{re.escape(name)}\b", code):
            raise QueryError(f"the query has no variable ?{name} to bind")
    return store.query(sparql, bindings=bindings)


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


def format_result(result: QueryResult, fmt: str = "table", *, prefixes: Mapping[str, str] | None = None) -> str:
    """A result as ``table`` (aligned text), ``csv`` or ``json`` (SPARQL 1.1 results formats)."""
    prefixes = prefixes or {}
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean})
        return "true" if result.boolean else "false"
    if result.kind == "graph":  # Turtle with its @prefix lines (table), N-Triples (csv), JSON-LD (json)
        from kg.query.results import serialize_graph

        return serialize_graph(result.triples, GRAPH_OUTPUT.get(fmt, fmt), prefixes=prefixes).decode("utf-8")
    if fmt in ("xml", "tsv"):
        from kg.query.results import serialize_solutions

        return serialize_solutions(result, fmt).decode("utf-8")
    if fmt == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.plain()
        ]
        return json.dumps(
            {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
            ensure_ascii=False,
            indent=1,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.plain():
            writer.writerow(["" if t is None else t[1] for t in row])
        return buffer.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown result format {fmt!r} (table, csv, json)")
    cells = [[_cell(t, prefixes).replace("\n", " ") for t in row] for row in result.plain()]
    cells = [[c if len(c) <= 120 else c[:117] + "..." for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(result.variables)]
    header = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    lines = [header, "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
