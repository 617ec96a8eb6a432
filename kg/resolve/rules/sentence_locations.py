"""Where an event has no location of its own, the place its first sentence names.

News ledes often say where without attaching it to the trigger ("Paweł Adamowicz,
mayor of the Polish city of Gdańsk, was stabbed last night"). The most specific place
named in the first sentence of the event is taken, with a low confidence.
"""

from __future__ import annotations

from kg import ontology
from kg.extract.data import confidence
from kg.model import Fact
from kg.resolve.clusters import Cluster
from kg.resolve.nodes import PLACE_RANK
from kg.resolve.world import Outcome, World, rule


@rule("sentence_locations")
def sentence_locations(facts: list[Fact], world: World) -> Outcome:
    located = {f.subject for f in facts if f.predicate == "location"}
    place_of: dict[int, Cluster] = {}
    for cluster in world.clusters.values():
        if cluster.named and ontology.is_place(cluster.type):
            for m in cluster.members:
                if m.kind == "name":
                    place_of[m.id] = cluster
    out = []
    for event in world.events:
        if event.key in located or event.type == "Statement" or ontology.is_a(event.type, "Action"):
            continue  # an accusation or a visit does not happen where its sentence names a place
        chosen, sentence = _first_place(event, place_of, world)
        if chosen is not None:
            out.append(
                Fact(
                    subject=event.key,
                    predicate="location",
                    object=chosen.key,
                    sentence=sentence,
                    confidence=confidence("event.location_sentence"),
                    extractor="event.location_sentence",
                )
            )
    return Outcome(facts + out)


def _first_place(event: Cluster, place_of: dict[int, Cluster], world: World) -> tuple[Cluster | None, int]:
    """The most specific place of the first sentence of ``event`` that names one, and that sentence."""
    chosen, where = None, -1
    for sentence in sorted({m.sentence for m in event.members}):
        places = [place_of[m.id] for m in world.extraction.mentions if m.sentence == sentence and m.id in place_of]
        specific = sorted((p for p in places if p.type != "Country"), key=lambda p: PLACE_RANK.get(p.type, 9))
        if specific:
            return specific[0], sentence
        if places and chosen is None:
            chosen, where = places[0], sentence
    return chosen, where
