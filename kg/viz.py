"""An interactive page of the graph that stays readable and works with no network.

The page shows a readable part of the graph, never all of it: with a focus, the entities
within a few facts of it; without one, the most central connected part (grown from the
most central entity, the more central neighbours first), so no node is drawn without an
edge. Positions are computed here (igraph's Fruchterman-Reingold, in C: 0.25 s for 3,500
nodes where networkx's ``spring_layout`` took 26 s), so the browser runs no physics and
the drawing stands still at once. pyvis assembles nodes, edges and options; the page
inlines the vis-network library pyvis ships (no CDN) and carries the data as JSON that
its script turns into DOM text nodes, so article text is never interpreted as HTML.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
import json
import logging
import math
import random
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg import analytics, ontology
from kg.errors import KGError, UsageError
from kg.store import Store

__all__ = ["COLORS", "DEFAULT_MAX_NODES", "Selection", "View", "render_html", "select", "write_html"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_NODES = 300
"""Nodes a page shows unless told otherwise: a graph that size reads at a glance."""
SOURCES_PER_ITEM = 3
"""Sentences kept with each node and edge for its tooltip."""
ARTICLES_PER_NODE = 5
LAYOUT_SEED = 11
COLORS = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Agent": "#ffbe7d",
    "Country": "#59a14f",
    "AdminRegion": "#8cd17d",
    "City": "#17becf",
    "Place": "#b6992d",
    "Facility": "#499894",
    "Entity": "#bab0ac",
    "Position": "#edc948",
    "Event": "#d37295",
    "Attack": "#e15759",
    "Bombing": "#9d0b0b",
    "Shooting": "#ff6f00",
    "Stabbing": "#7b3294",
    "Airstrike": "#1f3a93",
    "Kidnapping": "#6a3d9a",
    "Explosion": "#ff9d9a",
    "Disaster": "#b07aa1",
    "Accident": "#d4a6c8",
    "Arrest": "#9c755f",
    "Statement": "#79706e",
}
"""One colour per ontology class (a node's ``group`` would override it, so none is set)."""
OTHER_COLOR = "#c7c7c7"


@dataclass(frozen=True, slots=True)
class Selection:
    """What part of the graph a page shows.

    Attributes:
        focus: a name, alias, QID or IRI; the page shows what lies within ``hops``
            facts of it. Without one, the most central connected part.
        hops: how far from the focus.
        types: ontology classes to keep (``Person``, ``Place`` keeps its subclasses).
        min_confidence: facts below it are left out.
        max_nodes: at most this many nodes (the closest to the focus, else the most central).
        since, until: only facts of articles dated in this range.
    """

    focus: str | None = None
    hops: int = 2
    types: frozenset[str] | None = None
    min_confidence: float = 0.0
    max_nodes: int = DEFAULT_MAX_NODES
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class View:
    """The nodes a page draws and what was left out."""

    graph: nx.MultiDiGraph
    """The whole graph the selection started from (after confidence and dates)."""
    nodes: tuple[str, ...]
    notes: tuple[str, ...]
    """What the page says about what it left out, one line each."""
    focus: tuple[str, ...] = ()
    """The nodes the selection centred on (selected when the page opens)."""


def _keep_types(graph: nx.MultiDiGraph, types: frozenset[str]) -> list[str]:
    known = ontology.classes()
    unknown = sorted(t for t in types if t not in known)
    if unknown:
        raise UsageError(f"unknown type {', '.join(unknown)} (one of {', '.join(sorted(known))})")
    return [n for n, t in graph.nodes(data="type") if ontology.ancestors(t) & types]


def _grow(graph: nx.Graph, rank: dict[str, float], limit: int) -> list[str]:
    """Up to ``limit`` nodes, connected: from the most central node of the largest
    component, always adding the most central neighbour next; then the next component."""
    kept: list[str] = []
    for part in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        if len(kept) >= limit:
            break
        start = max(part, key=lambda n: (rank.get(n, 0.0), n))
        seen = {start}
        frontier = [(-rank.get(start, 0.0), start)]
        while frontier and len(kept) < limit:
            _, node = heapq.heappop(frontier)
            kept.append(node)
            for other in graph[node]:
                if other not in seen:
                    seen.add(other)
                    heapq.heappush(frontier, (-rank.get(other, 0.0), other))
    return kept


def select(store: Store, selection: Selection = Selection()) -> View:
    """The nodes of ``store`` a page for ``selection`` shows, and what it leaves out."""
    graph = analytics.entity_graph(
        store, min_confidence=selection.min_confidence, since=selection.since, until=selection.until
    )
    notes = []
    pool = graph
    if selection.types:
        pool = graph.subgraph(_keep_types(graph, selection.types))
        notes.append(f"only {', '.join(sorted(selection.types))}")
    if selection.min_confidence:
        notes.append(f"facts of confidence {selection.min_confidence:g} or more")
    if selection.since or selection.until:
        notes.append(f"facts of articles dated {selection.since or '…'} to {selection.until or '…'}")
    simple = analytics.simple_graph(pool)
    connected = [n for n in simple if simple.degree(n)]
    isolated = simple.number_of_nodes() - len(connected)
    simple = simple.subgraph(connected).copy()  # a view is slow to walk: PageRank took 1.2 s more
    rank = nx.pagerank(simple, weight="weight") if simple.number_of_edges() else {}
    centres: list[str] = []
    if selection.focus:
        named = analytics.find_nodes(store, graph, selection.focus)
        centres = [c for c in named if c in simple]
        if not named:
            raise KGError(f"no entity called {selection.focus!r} (a name or alias in any case, a QID or an IRI)")
        if not centres:
            raise KGError(f"{selection.focus!r} has no facts to show with this selection")
        distance = nx.multi_source_dijkstra_path_length(simple, centres, cutoff=selection.hops, weight=None)
        order = sorted(distance, key=lambda n: (distance[n], -rank.get(n, 0.0), n))
        kept = order[: selection.max_nodes]
        label = graph.nodes[centres[0]]["label"]
        notes.insert(0, f"within {selection.hops} fact{'s' if selection.hops != 1 else ''} of {label}")
        if len(order) > len(kept):
            notes.append(f"{len(order) - len(kept):,} more within reach left out (the farthest, least central)")
    else:
        kept = _grow(simple, rank, selection.max_nodes)
        if len(connected) > len(kept):
            notes.append(
                f"{len(connected) - len(kept):,} less central nodes with facts left out "
                "(raise --max-nodes, or --focus on one entity)"
            )
    if isolated:
        notes.append(f"{isolated:,} nodes without a fact to show are never drawn")
    focus = tuple(c for c in centres if c in set(kept))
    return View(graph=graph, nodes=tuple(kept), notes=tuple(notes), focus=focus)


# ---------------------------------------------------------------------------- layout


def layout(graph: nx.Graph, nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Positions in pixels: igraph's Fruchterman-Reingold started from a circle (the same
    graph gets the same picture), scaled to 90-150 px between neighbours (more room for
    the labels of a small graph)."""
    import igraph

    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in graph.subgraph(nodes).edges()]
    g = igraph.Graph(n=len(nodes), edges=edges)
    radius = math.sqrt(len(nodes))
    start = [
        [radius * math.cos(2 * math.pi * i / len(nodes)), radius * math.sin(2 * math.pi * i / len(nodes))]
        for i in range(len(nodes))
    ]
    igraph.set_random_number_generator(random.Random(LAYOUT_SEED))  # its moves are random: seeded, stable
    try:
        coords = g.layout_fruchterman_reingold(seed=start, niter=500, grid="auto").coords
    finally:
        igraph.set_random_number_generator(random)
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in edges) or [1.0]
    room = 150.0 if len(nodes) < 100 else 90.0
    scale = room / max(lengths[len(lengths) // 2], 1e-6)
    return {n: (round(coords[i][0] * scale, 1), round(coords[i][1] * scale, 1)) for n, i in index.items()}


# ---------------------------------------------------------------------------- page


def _web_url(url: object) -> str | None:
    """A URL a page may link to: http(s) only (a ``javascript:`` URL never becomes a link)."""
    text = str(url or "")
    return text if text.startswith(("https://", "http://")) else None


def _source(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "sentence": data.get("sentence") or "",
        "title": data.get("title") or data.get("source") or "",
        "date": data.get("date") or "",
        "url": _web_url(data.get("url")),
        "by": data.get("asserted_by_label") or "",
        "hedged": bool(data.get("hedged")),
    }


def _node_sources(graph: nx.MultiDiGraph, node: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A few sentences of the node's facts and the articles they come from."""
    facts = [d for *_, d in graph.out_edges(node, data=True)] + [d for *_, d in graph.in_edges(node, data=True)]
    facts.sort(key=lambda d: (-d["confidence"], d["date"] or "", d["sentence"]))
    sentences: list[dict[str, Any]] = []
    seen: set[str] = set()
    for d in facts:
        if d["sentence"] and d["sentence"] not in seen and len(sentences) < SOURCES_PER_ITEM:
            seen.add(d["sentence"])
            sentences.append(_source(d))
    articles: dict[str, dict[str, Any]] = {}
    for d in sorted(facts, key=lambda d: (d["date"] or "", d["article"]), reverse=True):
        if d["article"] not in articles and len(articles) < ARTICLES_PER_NODE:
            articles[d["article"]] = {
                "title": d["title"] or d["source"],
                "date": d["date"] or "",
                "url": _web_url(d["url"]),
            }
    return sentences, list(articles.values())


def _edges(graph: nx.MultiDiGraph, kept: set[str]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """Facts between kept nodes, one group per subject, predicate and object."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for s, o, d in graph.edges(data=True):
        if s in kept and o in kept:
            groups[(s, d["predicate"], o)].append(d)
    return groups


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    return js, css


def _script_safe(text: str) -> str:
    """Text that cannot close or open a tag inside ``<script>``."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "nodes": {
        "shape": "dot",
        "borderWidth": 1,
        "font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"min": 6, "max": 34, "label": {"enabled": True, "min": 11, "max": 22, "drawThreshold": 7}},
    },
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
        "color": {"color": "#9aa5b1", "highlight": "#333333", "hover": "#333333", "opacity": 0.7},
        "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
        "scaling": {"min": 1, "max": 6, "label": {"enabled": True, "min": 8, "max": 12, "drawThreshold": 8}},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False},
}


def render_html(
    store: Store, *, title: str = "kg graph", selection: Selection | None = None, max_nodes: int | None = None
) -> str:
    """The HTML page of ``selection`` of the graph in ``store`` (one file, no network)."""
    selection = selection or Selection()
    if max_nodes is not None:
        selection = replace(selection, max_nodes=max_nodes)
    view = select(store, selection)
    return page(view, title=title)


def page(view: View, *, title: str = "kg graph") -> str:
    """The HTML page of a `View`."""
    graph = view.graph
    kept = list(view.nodes)
    kept_set = set(kept)
    groups = _edges(graph, kept_set)
    positions = layout(analytics.simple_graph(graph.subgraph(kept)), kept)
    degree = dict(graph.degree())
    index = {n: i for i, n in enumerate(kept)}
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    types: Counter[str] = Counter()
    for n in kept:
        data = graph.nodes[n]
        kind = data["type"]
        types[kind] += 1
        sentences, articles = _node_sources(graph, n)
        x, y = positions[n]
        net.add_node(
            index[n],
            label=data["label"] if len(data["label"]) <= 40 else data["label"][:39] + "…",
            color=COLORS.get(kind, OTHER_COLOR),
            shape="diamond" if ontology.is_event(kind) else "dot",
            value=degree[n],
            x=x,
            y=y,
            iri=n,
            fullLabel=data["label"],
            kgType=kind,
            qid=data["qid"] or "",
            mentions=data["articles"],
            facts=degree[n],
            sources=sentences,
            articles=articles,
        )
    for (s, predicate, o), facts in sorted(groups.items(), key=lambda g: (index[g[0][0]], index[g[0][2]], g[0][1])):
        facts.sort(key=lambda d: (-d["confidence"], d["date"] or "", d["sentence"]))
        net.add_edge(
            index[s],
            index[o],
            label=predicate,
            value=len(facts),
            count=len(facts),
            confidence=max(d["confidence"] for d in facts),
            sources=[_source(d) for d in facts[:SOURCES_PER_ITEM]],
        )
    nodes, edges, _, _, _, _ = net.get_network_data()
    summary = (
        f"{len(kept):,} of {graph.number_of_nodes():,} nodes, "
        f"{sum(len(f) for f in groups.values()):,} of {graph.number_of_edges():,} facts"
    )
    payload = {
        "title": title,
        "summary": summary,
        "notes": list(view.notes),
        "focus": [index[n] for n in view.focus],
        "nodes": nodes,
        "edges": edges,
        "options": OPTIONS,
        "legend": [
            {"type": t, "color": COLORS.get(t, OTHER_COLOR), "count": n, "event": ontology.is_event(t)}
            for t, n in sorted(types.items(), key=lambda item: (-item[1], item[0]))
        ],
    }
    js, css = _vis_assets()
    template = string.Template(resources.files("kg").joinpath("viz_template.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=html.escape(title),
        vis_js=js.replace("</script", "<\\/script"),
        vis_css=css,
        data=_script_safe(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))),
    )


def write_html(
    store: Store,
    path: str | Path,
    *,
    title: str = "kg graph",
    selection: Selection | None = None,
    max_nodes: int | None = None,
) -> Path:
    """Write the page to ``path``; returns the path."""
    target = Path(path)
    text = render_html(store, title=title, selection=selection, max_nodes=max_nodes)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise KGError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    logger.info("wrote %s (%d bytes)", target, len(text))
    return target


def parse_types(text: str | None) -> frozenset[str] | None:
    """``Person,Place`` → the classes (checked against the ontology when used)."""
    if not text:
        return None
    return frozenset(t.strip().removeprefix("kg:") for t in text.split(",") if t.strip())
