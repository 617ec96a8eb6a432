"""What the placement rules share: the countries and places an article names, and the
facts that put a node in one of them."""

from __future__ import annotations

from collections.abc import Iterable

from kg import ontology
from kg.extract.gazetteer import country_table
from kg.model import Fact, Key
from kg.resolve.clusters import Cluster
from kg.text import place_key

__all__ = ["country_iso", "country_keys", "place_keys", "placements"]


def country_iso(cluster: Cluster) -> str | None:
    """ISO code of a country node, from its QID or its name."""
    countries = country_table()
    by_qid = next((c for c in countries.countries if cluster.qid and c.qid == cluster.qid), None)
    found = by_qid or countries.lookup(cluster.label)
    return found.iso2 if found is not None else None


def country_keys(clusters: dict[int, Cluster]) -> dict[str, Key]:
    """ISO code → node key of the countries the article names."""
    out: dict[str, Key] = {}
    for cluster in clusters.values():
        if cluster.named and cluster.type == "Country":
            iso = country_iso(cluster)
            if iso:
                out.setdefault(iso, cluster.key)
    return out


def place_keys(clusters: dict[int, Cluster]) -> dict[str, Key]:
    """`place_key` of every name of a named place other than a country → its node key."""
    out: dict[str, Key] = {}
    for cluster in clusters.values():
        if cluster.named and ontology.is_place(cluster.type) and cluster.type != "Country":
            for m in cluster.members:
                if m.kind == "name":
                    out.setdefault(place_key(m.name), cluster.key)
    return out


def placements(
    cluster: Cluster, predicates: Iterable[str], obj: Key, *, confidence: float, extractor: str
) -> list[Fact]:
    """Facts putting ``cluster`` in ``obj``, sourced at the sentence of its first name."""
    first = min((m for m in cluster.members if m.kind == "name"), key=lambda m: m.start, default=None)
    if first is None:
        return []
    return [
        Fact(
            subject=cluster.key,
            predicate=p,
            object=obj,
            sentence=first.sentence,
            confidence=confidence,
            extractor=extractor,
        )
        for p in predicates
    ]
