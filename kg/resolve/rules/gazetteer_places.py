"""Places the gazetteer puts in a country or region that the article also names.

"Born in Prelate, Saskatchewan, he ... the Canadian province of Alberta": the gazetteer
knows Saskatchewan as a province of Canada, and the article names Canada, so
Saskatchewan is in Canada. Only containers the article names are used (the article
chooses among the gazetteer's many Victorias and Córdobas), only when its candidates
agree on one country, and never against a country the text states.
"""

from __future__ import annotations

from kg import ontology
from kg.extract.data import confidence
from kg.extract.gazetteer import GazetteerPlace, place_table
from kg.model import Fact, Key
from kg.resolve.clusters import Cluster
from kg.resolve.rules.placing import country_keys, place_keys, placements
from kg.resolve.world import Outcome, World, rule
from kg.text import place_key


@rule("gazetteer_places")
def gazetteer_places(facts: list[Fact], world: World) -> Outcome:
    clusters = world.clusters
    country_key = country_keys(clusters)
    names_of = place_keys(clusters)
    stated = {(f.subject, f.object) for f in facts if f.predicate == "country" and isinstance(f.object, Key)}
    stated_country = {subject for subject, _ in stated}
    out: list[Fact] = []
    done: set[Key] = set()
    for cluster in clusters.values():
        if not (cluster.named and ontology.is_place(cluster.type)) or cluster.type in ("Country", "Facility"):
            continue
        if cluster.key in done:
            continue
        done.add(cluster.key)
        candidates = _candidates(cluster, country_key, names_of)
        in_countries = {p.country for p in candidates}
        if len(in_countries) != 1:
            continue
        iso = next(iter(in_countries))
        if iso in country_key and cluster.key in stated_country and (cluster.key, country_key[iso]) not in stated:
            continue  # the text puts it elsewhere
        out += _placed(cluster, iso, candidates, country_key, names_of)
    return Outcome(facts + out)


def _candidates(cluster: Cluster, country_key: dict[str, Key], names_of: dict[str, Key]) -> list[GazetteerPlace]:
    """The gazetteer's places of the cluster's names that lie in a country or region the article names."""
    table = place_table()
    names = {place_key(m.name) for m in cluster.members if m.kind == "name"}
    return [
        p
        for name in names
        for p in table.get(name, ())
        if p.country in country_key or names_of.get(place_key(p.within or ""), cluster.key) != cluster.key
    ]


def _placed(
    cluster: Cluster, iso: str, candidates: list[GazetteerPlace], country_key: dict[str, Key], names_of: dict[str, Key]
) -> list[Fact]:
    containers = [(country_key[iso], "gazetteer.country")] if iso in country_key else []
    own = {place_key(m.name) for m in cluster.members if m.kind == "name"}
    for p in candidates:
        if not p.within or place_key(p.within) in own:
            continue  # city and province of one name ("Kerman", "Kerman Province"): which is which is unknown
        region = names_of.get(place_key(p.within))
        if region is not None and region != cluster.key:
            containers.append((region, "gazetteer.within"))
    out: list[Fact] = []
    for container, extractor in dict.fromkeys(containers):
        predicates = ("locatedIn", "country") if extractor == "gazetteer.country" else ("locatedIn",)
        out += placements(cluster, predicates, container, confidence=confidence("gazetteer"), extractor=extractor)
    return out
