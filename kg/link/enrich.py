"""Enrichment: what the knowledge base knows about linked entities, in a graph of its own.

For every entity with ``owl:sameAs wd:Q…`` in the store, the Wikidata label,
description, instance-of classes, country and coordinates go into the named graph
``<base>graph/wikidata``, apart from the article graphs: queries can mix article facts
and Wikidata facts while provenance stays clear. With an explicit opt-in, the same can
be asked of a SPARQL endpoint (Wikidata's query service) instead of the local base.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from collections.abc import Iterable

from rdflib import Literal, Namespace, URIRef

from kg.errors import KGError
from kg.link.kb import KBEntity, KnowledgeBase
from kg.query.sparql import UNLIMITED, run
from kg.rdf.namespaces import SCHEMA, WD, WDT, Minter
from kg.store import Store

__all__ = ["WIKIDATA_SPARQL", "enrich", "fetch_from_endpoint", "linked_entities"]

logger = logging.getLogger(__name__)

GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
LINKED = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?entity ?item WHERE {
  ?entity owl:sameAs ?item FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/Q"))
}
"""


def linked_entities(store: Store) -> dict[str, URIRef]:
    """QID → kg entity IRI for every linked entity in the store."""
    out: dict[str, URIRef] = {}
    for row in run(store, LINKED, limits=UNLIMITED):
        qid = str(row["item"]).rsplit("/", 1)[-1]
        out[qid] = row["entity"]  # type: ignore[assignment]
    return out


def _triples(entity_iri: URIRef, entity: KBEntity, iri_of: dict[str, URIRef]) -> list[tuple]:
    out: list[tuple] = [(entity_iri, SCHEMA.name, Literal(entity.label, lang="en"))]
    if entity.description:
        out.append((entity_iri, SCHEMA.description, Literal(entity.description, lang="en")))
    for cls in entity.p31:
        out.append((entity_iri, WDT.P31, WD[cls]))
    if entity.country:
        out.append((entity_iri, WDT.P17, iri_of.get(entity.country, WD[entity.country])))
    if entity.lat is not None and entity.lon is not None:
        out.append((entity_iri, WDT.P625, Literal(f"Point({entity.lon} {entity.lat})", datatype=GEO.wktLiteral)))
    return out


def enrich(
    store: Store,
    kb: KnowledgeBase | None = None,
    *,
    base_iri: str,
    endpoint: str | None = None,
) -> tuple[int, int]:
    """Write the Wikidata graph for the store's linked entities.

    Args:
        kb: the local knowledge base to describe entities from.
        endpoint: instead, a SPARQL endpoint to ask (network; only when the user asks).

    Returns:
        (entities described, entities linked).
    """
    iri_of = linked_entities(store)
    if endpoint is not None:
        entities = {e.qid: e for e in fetch_from_endpoint(iri_of, endpoint=endpoint)}
    elif kb is not None:
        entities = kb.get_many(iri_of)
    else:
        raise KGError("enrich needs a knowledge base or an endpoint")
    triples = [t for qid, entity in entities.items() for t in _triples(iri_of[qid], entity, iri_of)]
    store.replace_graph(Minter(base_iri).wikidata_graph(), triples)
    logger.info("described %d of %d linked entities", len(entities), len(iri_of))
    return len(entities), len(iri_of)


def fetch_from_endpoint(
    qids: Iterable[str], *, endpoint: str = WIKIDATA_SPARQL, timeout: float = 30.0
) -> list[KBEntity]:
    """Labels, descriptions, classes and countries from a SPARQL endpoint (explicit opt-in only).

    The QIDs come from the store and are checked against the QID pattern before they go
    into the ``VALUES`` clause.
    """
    from kg.link.kb import _QID

    wanted = [q for q in dict.fromkeys(qids) if _QID.match(q)]
    out: list[KBEntity] = []
    for start in range(0, len(wanted), 200):
        chunk = wanted[start : start + 200]
        values = " ".join(f"wd:{q}" for q in chunk)
        query = (
            "PREFIX wd: <http://www.wikidata.org/entity/> PREFIX wdt: <http://www.wikidata.org/prop/direct/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <http://schema.org/> "
            "SELECT ?item ?label ?description (GROUP_CONCAT(DISTINCT STR(?class)) AS ?classes) "
            "(SAMPLE(?c) AS ?country) "
            f"WHERE {{ VALUES ?item {{ {values} }} "
            "OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = 'en') } "
            "OPTIONAL { ?item schema:description ?description FILTER(LANG(?description) = 'en') } "
            "OPTIONAL { ?item wdt:P31 ?class } OPTIONAL { ?item wdt:P17 ?c } } GROUP BY ?item ?label ?description"
        )
        url = f"{endpoint}?{urllib.parse.urlencode({'query': query, 'format': 'json'})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = json.load(response)
        except (OSError, json.JSONDecodeError) as exc:
            raise KGError(f"{endpoint}: federated query failed: {exc}") from exc
        for binding in data.get("results", {}).get("bindings", []):
            qid = binding["item"]["value"].rsplit("/", 1)[-1]
            classes = tuple(c.rsplit("/", 1)[-1] for c in binding.get("classes", {}).get("value", "").split() if c)
            country = binding.get("country", {}).get("value")
            out.append(
                KBEntity(
                    qid=qid,
                    label=binding.get("label", {}).get("value", qid),
                    description=binding.get("description", {}).get("value"),
                    type="OTHER",
                    subtype=None,
                    country=country.rsplit("/", 1)[-1] if country else None,
                    lat=None,
                    lon=None,
                    sitelinks=None,
                    popularity=None,
                    p31=classes,
                )
            )
    return out
