"""What the article leaves unplaced: weakly, in the country it is mostly about.

When one country dominates the article (at least half of its country mentions, names
and demonyms, and at least two), a named place with no country of its own is taken to
be in it (confidence 0.35), a named organisation to be of it (0.3) and a named person
to be of its nationality (0.3). These are document-level guesses, each under an
extractor of its own: they are kept as `kg:Fact` nodes but not asserted as plain
triples (`kg.resolve.facts.choose_primary`). Continents, seas and places the gazetteer
knows only in another country are left out; a place linked to an entity of another
country loses the guess at linking time.
"""

from __future__ import annotations

from kg import ontology
from kg.extract.data import confidence
from kg.extract.gazetteer import beyond_countries, place_table
from kg.model import Fact, Key
from kg.resolve.clusters import Cluster
from kg.resolve.rules.placing import country_keys, placements
from kg.resolve.world import Outcome, World, rule
from kg.text import place_key


@rule("dominant_country")
def dominant_country(facts: list[Fact], world: World) -> Outcome:
    clusters = world.clusters
    dominant = dominant_country_key(clusters)
    if dominant is None:
        return Outcome(facts)
    dominant_iso = next((iso for iso, key in country_keys(clusters).items() if key == dominant), None)
    placed = {
        f.subject for f in facts if f.predicate in ("country", "locatedIn", "nationality") and isinstance(f.object, Key)
    }
    out = []
    done: set[Key] = set()
    for cluster in clusters.values():
        if not cluster.named or cluster.key in placed or cluster.key in done or cluster.type == "Country":
            continue
        done.add(cluster.key)
        for predicate, extractor in _guesses(cluster, dominant_iso):
            out += placements(cluster, (predicate,), dominant, confidence=confidence(extractor), extractor=extractor)
    return Outcome(facts + out)


def dominant_country_key(clusters: dict[int, Cluster]) -> Key | None:
    """The country the article is mostly about: at least half of its country mentions, and two."""
    countries = [c for c in clusters.values() if c.named and c.type == "Country"]
    counts = sorted(((len([m for m in c.members if m.kind != "pronoun"]), c.key) for c in countries), reverse=True)
    total = sum(n for n, _ in counts)
    if not counts or counts[0][0] < 2 or counts[0][0] * 2 < total or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]


def _guesses(cluster: Cluster, dominant_iso: str | None) -> list[tuple[str, str]]:
    """(property, extractor) of the guesses a cluster gets."""
    if cluster.type == "Person":
        return [("nationality", "document.dominant_nationality")]
    if cluster.type == "Organization":
        return [(p, "document.dominant_country_org") for p in ("country", "locatedIn")]
    if not ontology.is_place(cluster.type):
        return []
    names = [m.name for m in cluster.members if m.kind == "name"]
    if any(beyond_countries(n) for n in names):
        return []
    known = [p for n in names for p in place_table().get(place_key(n), ())]
    if known and all(p.country != dominant_iso for p in known):
        return []  # the gazetteer knows it only elsewhere
    return [(p, "document.dominant_country") for p in ("country", "locatedIn")]
