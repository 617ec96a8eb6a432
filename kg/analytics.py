"""The graph as networkx: entities and events as nodes, facts as edges, and what to ask of it.

`entity_graph` reads the store with three packaged queries (``viz_nodes``,
``graph_facts``, ``graph_articles``) and returns a `networkx.MultiDiGraph`: one node
per entity or event (the IRI, with ``label``, ``type``, ``qid``, ``articles``), one
edge per fact node, keyed by the fact's IRI, with the property, confidence, sentence and
article it was read from. A triple three articles state is three edges. Document-level
guesses and losing values (``kg:primary false``), identity links (``owl:sameAs``) and
facts whose object is a value or an ontology individual are not edges.

On top of it: central entities (degree, PageRank), communities (Louvain, seeded so runs
agree), connected components, and the shortest chain of facts between two entities.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Literal

from kg.errors import KGError
from kg.query.sparql import UNLIMITED, run
from kg.store import Plain, QueryResult, Store

__all__ = [
    "Centrality",
    "Community",
    "Components",
    "FactRow",
    "Step",
    "central",
    "communities",
    "components",
    "entity_graph",
    "facts",
    "find_nodes",
    "in_range",
    "local_name",
    "neighbourhood",
    "shortest_chain",
    "simple_graph",
    "type_counts",
]

logger = logging.getLogger(__name__)

KG_NS = "https://kg.example.org/ontology#"
WD_NS = "http://www.wikidata.org/entity/"
COMMUNITY_SEED = 7
"""Louvain starts from a random order: a fixed seed gives the same communities every run."""


def local_name(iri: str | None) -> str:
    """``Person`` of ``https://kg.example.org/ontology#Person``; ``Q863`` of a Wikidata IRI."""
    if not iri:
        return ""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _rows(result: QueryResult) -> Iterator[dict[str, str | None]]:
    """Rows as plain strings (no rdflib terms: tens of thousands of rows stay cheap)."""
    names = result.variables
    for row in result.plain():
        yield {n: (t[1] if t is not None else None) for n, t in zip(names, row, strict=True)}


def _terms(result: QueryResult) -> Iterator[dict[str, Plain | None]]:
    names = result.variables
    for row in result.plain():
        yield dict(zip(names, row, strict=True))


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class FactRow:
    """One asserted fact as the store holds it, with its source (`facts`)."""

    fact: str
    subject: str
    property: str
    predicate: str
    """The property's local name; the verb for an open relation (``kg:relatedTo``)."""
    object: str
    """An IRI, or a value's lexical form."""
    object_is_iri: bool
    object_datatype: str | None
    confidence: float
    hedged: bool
    extractor: str
    sentence: str
    begin: int | None
    end: int | None
    article: str
    source: str
    title: str
    date: str | None
    url: str | None
    asserted_by: str | None


def facts(store: Store) -> list[FactRow]:
    """Every asserted fact (``kg:primary true``, not ``owl:sameAs``) with its sentence
    and article, one row per fact node."""
    with ThreadPoolExecutor(max_workers=1) as aside:  # Oxigraph reads in parallel: two cores, two queries
        pending = aside.submit(run, store, "graph_articles", limits=UNLIMITED)
        result = run(store, "graph_facts", limits=UNLIMITED)
        articles = {r["article"]: r for r in _rows(pending.result())}
    out = []
    for r in _terms(result):
        fact, subject, prop, obj, article = r["fact"], r["s"], r["p"], r["o"], r["article"]
        if fact is None or subject is None or prop is None or obj is None or article is None:
            continue
        meta = articles.get(article[1], {})
        predicate = local_name(prop[1])
        verb = r["verb"]
        if predicate == "relatedTo" and verb is not None:
            predicate = verb[1]
        by = r["by"]
        out.append(
            FactRow(
                fact=fact[1],
                subject=subject[1],
                property=prop[1],
                predicate=predicate,
                object=obj[1],
                object_is_iri=obj[0] == "uri",
                object_datatype=obj[2],
                confidence=float(r["confidence"][1]) if r["confidence"] else 0.0,
                hedged=r["hedged"] is not None and r["hedged"][1] == "true",
                extractor=r["extractor"][1] if r["extractor"] else "",
                sentence=r["sentence"][1] if r["sentence"] else "",
                begin=int(r["begin"][1]) if r["begin"] else None,
                end=int(r["end"][1]) if r["end"] else None,
                article=article[1],
                source=meta.get("source") or "",
                title=meta.get("title") or "",
                date=meta.get("date"),
                url=meta.get("url"),
                asserted_by=by[1] if by else None,
            )
        )
    return out


def in_range(date: str | None, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether an article date is within ``since``..``until`` (no bounds: always)."""
    if since is None and until is None:
        return True
    day = _date(date)
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def entity_graph(
    store: Store,
    *,
    min_confidence: float = 0.0,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> nx.MultiDiGraph:
    """The store's entities, events and the facts between them as a `networkx.MultiDiGraph`.

    Args:
        store: the store to read.
        min_confidence: leave out facts the extractor is less sure of.
        since, until: keep only facts from articles dated in this range (inclusive);
            an article without a date is kept only when neither bound is given.

    Node attributes: ``label``, ``type`` (ontology class local name), ``qid`` (or
    ``None``), ``articles`` (how many articles mention it). Edge attributes (the key is
    the fact's IRI): ``predicate`` (local name; the verb for an open relation),
    ``property`` (IRI), ``confidence``, ``hedged``, ``extractor``, ``sentence``,
    ``begin``, ``end``, ``article`` (IRI), ``source``, ``title``, ``date``, ``url``,
    ``asserted_by`` (IRI) and ``asserted_by_label``. Facts whose object is a value
    (a date, a count) or an ontology individual (``kg:SuicideBombing``) are not edges.
    """
    graph = nx.MultiDiGraph()
    with ThreadPoolExecutor(max_workers=1) as aside:  # the nodes are read while the facts are
        pending = aside.submit(run, store, "viz_nodes", limits=UNLIMITED)
        rows = facts(store)
        nodes = pending.result()
    for r in _rows(nodes):
        node = r["node"]
        if node is None:
            continue
        graph.add_node(
            node,
            label=r["label"] or local_name(node),
            type=local_name(r["type"]) or "Entity",
            qid=local_name(r["qid"]) if r["qid"] and r["qid"].startswith(WD_NS) else None,
            articles=int(r["articles"] or 0),
        )
    for f in rows:
        if not f.object_is_iri or f.subject not in graph or f.object not in graph:
            continue
        if f.confidence < min_confidence or not in_range(f.date, since, until):
            continue
        graph.add_edge(
            f.subject,
            f.object,
            key=f.fact,
            predicate=f.predicate,
            property=f.property,
            confidence=f.confidence,
            hedged=f.hedged,
            extractor=f.extractor,
            sentence=f.sentence,
            begin=f.begin,
            end=f.end,
            article=f.article,
            source=f.source,
            title=f.title,
            date=f.date,
            url=f.url,
            asserted_by=f.asserted_by,
            asserted_by_label=graph.nodes[f.asserted_by]["label"] if f.asserted_by in graph else None,
        )
    logger.info("entity graph: %d nodes, %d facts", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def simple_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected graph of who is connected to whom; ``weight`` counts the facts."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for s, o in graph.edges():
        if s == o:
            continue
        if out.has_edge(s, o):
            out[s][o]["weight"] += 1
        else:
            out.add_edge(s, o, weight=1)
    return out


# ---------------------------------------------------------------------------- finding nodes


def find_nodes(store: Store, graph: nx.MultiDiGraph, text: str) -> list[str]:
    """Nodes named ``text``: an IRI, a QID (``Q863``, ``wd:Q863``), or a name or alias in
    any case; the most mentioned first."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text in graph:
        return [text]
    qid = text.removeprefix("wd:")
    if qid[:1] in "Qq" and qid[1:].isdigit():
        found = [n for n, q in graph.nodes(data="qid") if q == qid.upper()]
        if found:
            return found
    rows = _rows(run(store, "find_entity", bindings={"name": Literal(text)}, limits=UNLIMITED))
    return [r["node"] for r in rows if r["node"] in graph]  # type: ignore[misc]


# ---------------------------------------------------------------------------- centrality


@dataclass(frozen=True, slots=True)
class Centrality:
    """One entity's place in the graph."""

    node: str
    label: str
    type: str
    qid: str | None
    facts: int
    neighbours: int
    pagerank: float


def central(graph: nx.MultiDiGraph, *, top: int = 10, by: str = "pagerank") -> list[Centrality]:
    """The ``top`` most central nodes, ``by`` PageRank (on the undirected graph, weighted
    by facts) or ``degree`` (facts touching the node)."""
    if by not in ("pagerank", "degree"):
        raise KGError(f"unknown centrality {by!r} (pagerank, degree)")
    simple = simple_graph(graph)
    ranks = nx.pagerank(simple, weight="weight") if simple.number_of_edges() else {}
    facts = dict(graph.degree())

    def score(n: str) -> tuple[float, str]:
        return (ranks.get(n, 0.0) if by == "pagerank" else facts[n], n)

    best = heapq.nlargest(top, (n for n in graph if facts[n]), key=score)
    return [
        Centrality(
            node=n,
            label=graph.nodes[n]["label"],
            type=graph.nodes[n]["type"],
            qid=graph.nodes[n]["qid"],
            facts=facts[n],
            neighbours=simple.degree(n),
            pagerank=ranks.get(n, 0.0),
        )
        for n in best
    ]


@dataclass(frozen=True, slots=True)
class Community:
    """A group of nodes more connected to each other than to the rest."""

    size: int
    members: tuple[str, ...]
    """Most connected first."""
    labels: tuple[str, ...]


def communities(graph: nx.MultiDiGraph, *, min_size: int = 3) -> list[Community]:
    """Louvain communities of the connected part of the graph, largest first (a fixed
    seed: the same graph gives the same communities)."""
    simple = simple_graph(graph)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])
    if not simple.number_of_edges():
        return []
    groups = nx.community.louvain_communities(simple, weight="weight", seed=COMMUNITY_SEED)
    degree = dict(simple.degree(weight="weight"))
    out = []
    for group in groups:
        if len(group) < min_size:
            continue
        members = tuple(sorted(group, key=lambda n: (-degree[n], n)))
        out.append(Community(len(group), members, tuple(simple.nodes[n]["label"] for n in members)))
    out.sort(key=lambda c: (-c.size, c.members[0]))
    return out


@dataclass(frozen=True, slots=True)
class Components:
    """How the graph falls apart into pieces."""

    count: int
    """Connected components with at least one fact."""
    sizes: tuple[int, ...]
    """Their sizes, largest first."""
    isolated: int
    """Nodes no fact touches."""


def components(graph: nx.MultiDiGraph) -> Components:
    isolated = sum(1 for n in graph if graph.degree(n) == 0)
    sizes = sorted(
        (len(c) for c in nx.weakly_connected_components(graph) if len(c) > 1 or graph.degree(next(iter(c)))),
        reverse=True,
    )
    return Components(len(sizes), tuple(sizes), isolated)


# ---------------------------------------------------------------------------- paths


@dataclass(frozen=True, slots=True)
class Step:
    """One fact on a chain: ``subject —predicate→ object``, walked forwards or backwards."""

    subject: str
    predicate: str
    object: str
    forward: bool
    """Whether the chain goes from subject to object here (else it walks the fact backwards)."""
    fact: str
    data: dict[str, Any]


def _best_fact(graph: nx.MultiDiGraph, a: str, b: str) -> tuple[str, str, str, dict[str, Any]]:
    """The most confident fact between ``a`` and ``b`` in either direction."""
    options = [(a, b, k, d) for k, d in (graph.get_edge_data(a, b) or {}).items()]
    options += [(b, a, k, d) for k, d in (graph.get_edge_data(b, a) or {}).items()]
    return max(options, key=lambda o: (o[3]["confidence"], o[0] == a, o[2]))


def shortest_chain(graph: nx.MultiDiGraph, sources: Iterable[str], targets: Collection[str]) -> list[Step] | None:
    """The shortest chain of facts from any of ``sources`` to any of ``targets``, facts
    walked in either direction; among chains of one length, the most confident. ``None``
    when no chain connects them."""
    simple = simple_graph(graph)
    for u, v, data in simple.edges(data=True):
        # fewest facts first; among chains of one length, the surest
        data["cost"] = 1.0 + 0.001 * (1.0 - _best_fact(graph, u, v)[3]["confidence"])
    starts = [s for s in sources if s in simple]
    ends = set(targets) & set(simple)
    if not starts or not ends:
        return None
    if ends & set(starts):
        return []
    distance, path = nx.multi_source_dijkstra(simple, starts, weight="cost")
    reachable = [(distance[t], t) for t in ends if t in distance]
    if not reachable:
        return None
    nodes = path[min(reachable)[1]]
    steps = []
    for a, b in itertools.pairwise(nodes):
        s, o, key, data = _best_fact(graph, a, b)
        steps.append(Step(subject=s, predicate=data["predicate"], object=o, forward=s == a, fact=key, data=data))
    return steps


def neighbourhood(graph: nx.MultiDiGraph, centres: Iterable[str], *, hops: int) -> set[str]:
    """The nodes at most ``hops`` facts away from any of ``centres`` (either direction)."""
    seen = {c for c in centres if c in graph}
    frontier = set(seen)
    for _ in range(hops):
        nxt: set[str] = set()
        for n in frontier:
            nxt.update(graph.successors(n))
            nxt.update(graph.predecessors(n))
        frontier = nxt - seen
        seen |= frontier
        if not frontier:
            break
    return seen


def type_counts(graph: nx.MultiDiGraph) -> Counter[str]:
    """How many nodes of each type."""
    return Counter(t for _, t in graph.nodes(data="type"))
