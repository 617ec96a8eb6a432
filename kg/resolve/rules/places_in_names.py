"""Organisations and facilities whose names say where they are, when the article names
that place too: "the Norwegian Army" (Norway), "the University of Toronto" (Toronto),
"Baghdad airport" (Baghdad).

Words that end a longer gazetteer name do not count ("New Mexico State University"
says nothing of Mexico); a name with two countries in it ("Cambodia–Vietnam Friendship
Monument") says nothing of either.
"""

from __future__ import annotations

from kg.extract.data import confidence
from kg.extract.gazetteer import country_table, place_table
from kg.model import Fact, Key
from kg.resolve.clusters import Cluster
from kg.resolve.rules.placing import country_keys, place_keys, placements
from kg.resolve.world import Outcome, World, rule
from kg.text import place_key

NAME_HOLDERS = frozenset({"Organization", "Facility"})


@rule("places_in_names")
def places_in_names(facts: list[Fact], world: World) -> Outcome:
    clusters = world.clusters
    country_key = country_keys(clusters)
    names_of = place_keys(clusters)
    stated = {f.subject for f in facts if f.predicate in ("country", "locatedIn") and isinstance(f.object, Key)}
    out: list[Fact] = []
    done: set[Key] = set()
    for cluster in clusters.values():
        if not cluster.named or cluster.type not in NAME_HOLDERS or cluster.key in done or cluster.key in stated:
            continue
        done.add(cluster.key)
        found_countries, found_places = _named_in(cluster, names_of)
        if len(found_countries) > 1:
            continue
        targets = [(key, "name.place") for key in sorted(found_places)]
        targets += [(country_key[iso], "name.country") for iso in found_countries if iso in country_key]
        for target, extractor in targets:
            predicates = ["locatedIn"] if extractor == "name.place" else ["country"]
            if extractor == "name.country" and cluster.type == "Facility":
                predicates.append("locatedIn")
            out += placements(cluster, predicates, target, confidence=confidence("name.place"), extractor=extractor)
    return Outcome(facts + out)


def _named_in(cluster: Cluster, names_of: dict[str, Key]) -> tuple[set[str], set[Key]]:
    """The countries (ISO codes) and the article's places that a cluster's label names."""
    countries = country_table()
    table = place_table()
    words = cluster.label.replace("–", " ").replace("-", " ").split()
    found_countries: set[str] = set()
    found_places: set[Key] = set()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n])
            if not phrase[0].isupper() or len(words) == n:
                continue
            longer = " ".join(words[max(0, i - 1) : i + n]) if i else ""
            if longer and (countries.lookup(longer) or table.get(place_key(longer))):
                continue
            country = countries.lookup(phrase) or countries.demonym(phrase)
            if country is not None:
                found_countries.add(country.iso2)
            elif place_key(phrase) in names_of and names_of[place_key(phrase)] != cluster.key:
                found_places.add(names_of[place_key(phrase)])
    return found_countries, found_places
