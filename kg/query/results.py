"""SPARQL results in the standard formats, for `kg query` and `kg serve`.

SELECT and ASK results go out as SPARQL 1.1 JSON, XML, CSV or TSV; CONSTRUCT and
DESCRIBE results as Turtle (with ``@prefix`` lines), N-Triples, RDF/XML or JSON-LD,
written by Oxigraph's own serialisers, so the output parses whatever the literals hold.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib.term import Node as RDFNode

from kg.errors import QueryError
from kg.store import Plain, QueryResult, _to_ox

__all__ = ["GRAPH_FORMATS", "MEDIA_TYPES", "SOLUTION_FORMATS", "serialize_graph", "serialize_solutions"]

SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""Result formats of SELECT and ASK → media type."""
GRAPH_FORMATS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
"""Result formats of CONSTRUCT and DESCRIBE → (media type, Oxigraph format)."""
MEDIA_TYPES = {**SOLUTION_FORMATS, **{k: v[0] for k, v in GRAPH_FORMATS.items()}}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def serialize_graph(
    triples: Iterable[tuple[RDFNode, RDFNode, RDFNode]], fmt: str = "ttl", *, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples (rdflib terms) as ``ttl``, ``nt``, ``jsonld`` or ``rdfxml``; Turtle uses
    those of ``prefixes`` whose namespace appears."""
    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"unknown graph format {fmt!r} ({', '.join(GRAPH_FORMATS)})")
    ox_triples = [ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in triples]  # type: ignore[arg-type]
    used = None
    if fmt in ("ttl", "rdfxml") and prefixes:
        text = {t.value for tr in ox_triples for t in tr if isinstance(t, ox.NamedNode)}
        text |= {tr.object.datatype.value for tr in ox_triples if isinstance(tr.object, ox.Literal)}
        used = {p: ns for p, ns in prefixes.items() if any(v.startswith(ns) for v in text)}
    return ox.serialize(ox_triples, format=GRAPH_FORMATS[fmt][1], prefixes=used) or b""


def _json_term(term: Plain) -> dict[str, str]:
    kind, value, datatype, language = term
    out = {"type": kind, "value": value}
    if language:
        out["xml:lang"] = language
    elif datatype and datatype != XSD_STRING:
        out["datatype"] = datatype
    return out


def _nt(term: Plain) -> str:
    """A term as TSV writes it: N-Triples syntax (Oxigraph escapes it)."""
    kind, value, datatype, language = term
    if kind == "uri":
        return str(ox.NamedNode(value))
    if kind == "bnode":
        return str(ox.BlankNode(value))
    if language:
        return str(ox.Literal(value, language=language))
    if datatype and datatype != XSD_STRING:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


def _xml_term(term: Plain) -> str:
    kind, value, datatype, language = term
    if kind == "uri":
        return f"<uri>{escape(value)}</uri>"
    if kind == "bnode":
        return f"<bnode>{escape(value)}</bnode>"
    if language:
        return f"<literal xml:lang={quoteattr(language)}>{escape(value)}</literal>"
    if datatype and datatype != XSD_STRING:
        return f"<literal datatype={quoteattr(datatype)}>{escape(value)}</literal>"
    return f"<literal>{escape(value)}</literal>"


def serialize_solutions(result: QueryResult, fmt: str = "json") -> bytes:
    """A SELECT or ASK result as SPARQL 1.1 ``json``, ``xml``, ``csv`` or ``tsv``."""
    if fmt not in SOLUTION_FORMATS:
        raise QueryError(f"unknown result format {fmt!r} ({', '.join(SOLUTION_FORMATS)})")
    if result.kind == "graph":
        raise QueryError("a CONSTRUCT or DESCRIBE result is a graph: ask for Turtle, N-Triples or JSON-LD")
    names = result.variables
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()
        bindings = [
            {v: _json_term(t) for v, t in zip(names, row, strict=True) if t is not None} for row in result.plain()
        ]
        return json.dumps(
            {"head": {"vars": list(names)}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in names)
        out = [f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>{head}</head>']
        if result.kind == "ask":
            out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in result.plain():
                cells = "".join(
                    f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(names, row, strict=True)
                    if t is not None
                )
                out.append(f"<result>{cells}</result>")
            out.append("</results>")
        out.append("</sparql>\n")
        return "".join(out).encode()
    if result.kind == "ask":  # no standard CSV/TSV for ASK: the boolean alone, as Oxigraph writes it
        return b"true" if result.boolean else b"false"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for row in result.plain():
            writer.writerow(["" if t is None else (f"_:{t[1]}" if t[0] == "bnode" else t[1]) for t in row])
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in names)]
    lines += ["\t".join("" if t is None else _nt(t) for t in row) for row in result.plain()]
    return ("\n".join(lines) + "\n").encode()
