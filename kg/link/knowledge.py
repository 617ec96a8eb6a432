"""What the knowledge base knows of linked entities, where the article names both ends.

"Kerman ... Iran": once Kerman is linked to its Wikidata item and the knowledge base
says that item lies in the item the article's Iran is linked to, Kerman is in Iran. Only
containers and countries the article itself names are used (as the gazetteer rule does
in `kg.resolve.rules.gazetteer_places`), never against a country the text states, and
each fact says it came from the knowledge base (extractor ``kb.country``,
``kb.located_in``) at the sentence of the entity's first mention.
"""

from __future__ import annotations

import dataclasses

from kg.extract.data import confidence
from kg.link.kb import KBEntity
from kg.model import ArticleGraph, Fact, Key

__all__ = ["kb_placements"]


def kb_placements(graph: ArticleGraph, entities: dict[Key, KBEntity]) -> ArticleGraph:
    """``graph`` with the country and container facts the knowledge base gives its linked
    nodes (``entities``: node key after linking → its entity)."""
    in_article = {n.key: n for n in graph.nodes}
    stated = {(f.subject, f.predicate) for f in graph.facts if isinstance(f.object, Key)}
    existing = {(f.subject, f.predicate, f.object) for f in graph.facts}
    added: list[Fact] = []
    for key, entity in entities.items():
        node = in_article.get(key)
        if node is None or not node.mentions or node.type == "Country":
            continue
        sentence = min((graph.mentions[m] for m in node.mentions), key=lambda m: m.start).sentence
        country_property = "nationality" if node.type == "Person" else "country"
        targets = []
        if entity.country and Key.wikidata(entity.country) in in_article and (key, country_property) not in stated:
            targets.append((country_property, Key.wikidata(entity.country), "kb.country"))
        if entity.located_in and Key.wikidata(entity.located_in) in in_article and node.type != "Person":
            targets.append(("locatedIn", Key.wikidata(entity.located_in), "kb.located_in"))
        for predicate, obj, extractor in targets:
            if obj != key and (key, predicate, obj) not in existing:
                added.append(
                    Fact(
                        subject=key,
                        predicate=predicate,
                        object=obj,
                        sentence=sentence,
                        confidence=confidence(extractor),
                        extractor=extractor,
                    )
                )
    if not added:
        return graph
    return dataclasses.replace(graph, facts=(*graph.facts, *added))
