"""An interactive pyvis page of the entity and event graph that works with no network.

pyvis assembles the nodes, edges and options; the page inlines the vis-network library
pyvis ships (no CDN), and carries the data as JSON that the page turns into DOM text
nodes, so article text is never interpreted as HTML.
"""

from __future__ import annotations

import html
import json
import logging
import string
from collections import Counter
from importlib import resources
from pathlib import Path

from pyvis.network import Network

from kg.errors import KGError
from kg.query.sparql import UNLIMITED, run
from kg.store import Store

__all__ = ["COLORS", "render_html", "write_html"]

logger = logging.getLogger(__name__)

COLORS = {
    "Person": "#4e79a7",
    "Organization": "#f28e2b",
    "Agent": "#ffbe7d",
    "Country": "#59a14f",
    "AdminRegion": "#8cd17d",
    "City": "#86bcb6",
    "Place": "#b6d7a8",
    "Facility": "#499894",
    "Entity": "#bab0ac",
    "Position": "#edc948",
    "Attack": "#e15759",
    "Bombing": "#e15759",
    "Shooting": "#e15759",
    "Stabbing": "#e15759",
    "Airstrike": "#e15759",
    "Kidnapping": "#e15759",
    "Explosion": "#ff9d9a",
    "Disaster": "#b07aa1",
    "Accident": "#d4a6c8",
    "Arrest": "#9c755f",
    "Statement": "#d7b5a6",
}
EVENT_TYPES = frozenset(
    {
        "Attack",
        "Bombing",
        "Shooting",
        "Stabbing",
        "Airstrike",
        "Kidnapping",
        "Explosion",
        "Disaster",
        "Accident",
        "Arrest",
        "Statement",
    }
)
KG_NS = "https://kg.example.org/ontology#"


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    return js, css


def _script_safe(text: str) -> str:
    """Text that cannot close or open a tag inside ``<script>``."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(store: Store, *, title: str = "kg graph", max_nodes: int = 400) -> str:
    """The HTML page of the graph in ``store``, largest-degree nodes first up to ``max_nodes``."""
    node_rows = list(run(store, "viz_nodes", limits=UNLIMITED))
    edge_rows = [r for r in run(store, "viz_edges", limits=UNLIMITED) if r["p"] is not None]
    sentence_rows = run(store, "viz_sentences", limits=UNLIMITED)
    sentences = {str(r["node"]): str(r["sentence"]) for r in sentence_rows if r["sentence"] is not None}
    degree: Counter[str] = Counter()
    for r in edge_rows:
        degree[str(r["s"])] += 1
        degree[str(r["object"])] += 1
    node_rows.sort(key=lambda r: (-degree[str(r["node"])], str(r["label"])))
    kept = node_rows[:max_nodes]
    ids = {str(r["node"]) for r in kept}
    labels = {str(r["node"]): str(r["label"]) for r in kept}

    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    types_seen: list[str] = []
    for r in kept:
        kg_type = _local(r["type"])
        if kg_type not in types_seen:
            types_seen.append(kg_type)
        qid = _local(r["qid"]) if r["qid"] is not None else ""
        net.add_node(
            str(r["node"]),
            label=labels[str(r["node"])][:40],
            title=f"{labels[str(r['node'])]} ({kg_type})" + (f"\nWikidata {qid}" if qid else ""),
            color=COLORS.get(kg_type, "#bab0ac"),
            shape="box" if kg_type in EVENT_TYPES else "dot",
            size=10 + min(degree[str(r["node"])], 20),
            kgType=kg_type,
            qid=qid,
            sentence=sentences.get(str(r["node"]), ""),
        )
    for r in edge_rows:
        s, o = str(r["s"]), str(r["object"])
        if s not in ids or o not in ids:
            continue
        predicate = _local(r["p"])
        if predicate == "relatedTo" and r["verb"] is not None:
            predicate = str(r["verb"])
        net.add_edge(
            s,
            o,
            label=predicate,
            title=predicate,
            fromLabel=labels[s],
            toLabel=labels[o],
            sentence=str(r["text"]) if r["text"] is not None else "",
            by=str(r["by"]) if r["by"] is not None else "",
            arrows="to",
        )
    net.set_options(
        json.dumps(
            {
                "physics": {
                    "stabilization": {"iterations": 150},
                    "barnesHut": {"springLength": 140},
                },
                "edges": {"font": {"size": 10, "align": "middle"}, "smooth": False},
                "interaction": {"hover": True, "tooltipDelay": 150},
            }
        )
    )
    nodes, edges, _, _, _, options = net.get_network_data()
    summary = f"{len(kept)} of {len(node_rows)} nodes, {len(edges)} facts"
    payload = {
        "title": title,
        "summary": summary,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options) if isinstance(options, str) else options,
        "legend": [{"type": t, "color": COLORS.get(t, "#bab0ac")} for t in types_seen],
    }
    js, css = _vis_assets()
    template = string.Template(resources.files("kg").joinpath("viz_template.html").read_text(encoding="utf-8"))
    return template.substitute(
        title=html.escape(title),
        vis_js=js.replace("</script", "<\\/script"),
        vis_css=css,
        data=_script_safe(json.dumps(payload, ensure_ascii=False)),
    )


def write_html(store: Store, path: str | Path, *, title: str = "kg graph", max_nodes: int = 400) -> Path:
    """Write the page to ``path``; returns the path."""
    target = Path(path)
    page = render_html(store, title=title, max_nodes=max_nodes)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise KGError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    logger.info("wrote %s (%d bytes)", target, len(page))
    return target
