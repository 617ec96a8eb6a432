"""Writing a store out: the entity graph for Gephi and networkx (GraphML, GEXF), the
facts as CSV or a pandas DataFrame, and the RDF itself (Turtle, TriG, N-Quads, JSON-LD).

GraphML and GEXF carry the `kg.analytics.entity_graph`: nodes are IRIs with ``label``,
``type``, ``qid`` and ``articles``; edges are facts keyed by the fact's IRI. Both formats
hold only strings, numbers and booleans, so an attribute without a value is left out
rather than written as an empty string.
"""

from __future__ import annotations

import csv
import io
import logging
import os
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import networkx as nx

from kg.analytics import FactRow, entity_graph, facts, local_name
from kg.errors import KGError
from kg.store import FORMATS as RDF_FORMATS
from kg.store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXPORT_FORMATS", "FACT_COLUMNS", "export", "fact_table", "facts_dataframe", "write_graph"]

logger = logging.getLogger(__name__)

GRAPH_FORMATS = ("graphml", "gexf")
EXPORT_FORMATS = (*GRAPH_FORMATS, "csv", *RDF_FORMATS)
FACT_COLUMNS = (
    "fact",
    "subject",
    "subject_label",
    "subject_qid",
    "subject_type",
    "predicate",
    "property",
    "object",
    "object_label",
    "object_qid",
    "object_type",
    "object_datatype",
    "confidence",
    "hedged",
    "asserted_by",
    "asserted_by_label",
    "extractor",
    "article",
    "source",
    "title",
    "date",
    "url",
    "sentence",
    "begin",
    "end",
)
"""Columns of the facts table: IRIs with their labels, QIDs and types, the article (IRI,
source id, title, date, URL) and the sentence with its character offsets. ``object`` is
an IRI or a value (``object_datatype`` then says which kind: ``xsd:integer``, ...)."""


def _clean(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy without ``None`` attributes (GraphML and GEXF have no null)."""
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, {k: v for k, v in d.items() if v is not None}) for n, d in graph.nodes(data=True))
    out.add_edges_from(
        (s, o, k, {a: v for a, v in d.items() if v is not None}) for s, o, k, d in graph.edges(keys=True, data=True)
    )
    return out


def write_graph(graph: nx.MultiDiGraph, destination: str | Path | IO[bytes], fmt: str) -> None:
    """Write an entity graph as ``graphml`` or ``gexf``."""
    clean = _clean(graph)
    if fmt == "graphml":
        nx.write_graphml(clean, destination, encoding="utf-8", named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(clean, destination, encoding="utf-8")
    else:
        raise KGError(f"unknown graph format {fmt!r} ({', '.join(GRAPH_FORMATS)})")


def fact_table(store: Store, rows: Iterable[FactRow] | None = None) -> list[dict[str, Any]]:
    """The facts of a store as rows of `FACT_COLUMNS`."""
    from kg.query.sparql import UNLIMITED, run

    nodes: dict[str, dict[str, str | None]] = {}
    for term in run(store, "viz_nodes", limits=UNLIMITED).plain():
        node, label, kind, qid, _ = (t[1] if t is not None else None for t in term)
        if node is not None:
            nodes[node] = {"label": label, "type": local_name(kind), "qid": local_name(qid) if qid else None}
    table = []
    for f in facts(store) if rows is None else rows:
        row = asdict(f)
        subject = nodes.get(f.subject, {})
        obj = nodes.get(f.object, {}) if f.object_is_iri else {}
        by = nodes.get(f.asserted_by or "", {})
        row.update(
            subject_label=subject.get("label"),
            subject_qid=subject.get("qid"),
            subject_type=subject.get("type"),
            object_label=obj.get("label") or (local_name(f.object) if f.object_is_iri else None),
            object_qid=obj.get("qid"),
            object_type=obj.get("type"),
            object_datatype=None
            if f.object_is_iri
            else (f.object_datatype or "http://www.w3.org/2001/XMLSchema#string"),
            asserted_by_label=by.get("label"),
        )
        table.append({c: row.get(c) for c in FACT_COLUMNS})
    return table


def _write_csv(table: list[dict[str, Any]], destination: IO[bytes]) -> None:
    text = io.TextIOWrapper(destination, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=FACT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in table:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    text.flush()
    text.detach()


def facts_dataframe(store: Store) -> pd.DataFrame:
    """The facts table as a pandas DataFrame (``pip install 'kg[pandas]'``)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise KGError("pandas is not installed: pip install 'kg[pandas]'") from exc
    frame = pd.DataFrame(fact_table(store), columns=list(FACT_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    return frame


def export(store: Store, destination: str | Path | IO[bytes], fmt: str, **graph_options: Any) -> None:
    """Write ``store`` to ``destination`` as one of `EXPORT_FORMATS`.

    ``graph_options`` (``min_confidence``, ``since``, ``until``) select the facts of the
    graph formats and of the CSV. A file is written whole or not at all.
    """
    if fmt not in EXPORT_FORMATS:
        raise KGError(f"unknown export format {fmt!r} ({', '.join(EXPORT_FORMATS)})")
    if isinstance(destination, str | Path):
        path = Path(destination)
        tmp = path.with_name(path.name + ".part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as handle:
                export(store, handle, fmt, **graph_options)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise KGError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return
    if fmt in GRAPH_FORMATS:
        write_graph(entity_graph(store, **graph_options), destination, fmt)
    elif fmt == "csv":
        from kg.analytics import in_range

        minimum = graph_options.get("min_confidence") or 0.0
        since, until = graph_options.get("since"), graph_options.get("until")
        rows = [f for f in facts(store) if f.confidence >= minimum and in_range(f.date, since, until)]
        _write_csv(fact_table(store, rows), destination)
    else:
        if graph_options.get("min_confidence") or graph_options.get("since") or graph_options.get("until"):
            raise KGError(f"--min-confidence, --since and --until select facts of graphml, gexf and csv, not {fmt}")
        store.serialize(destination, fmt)
