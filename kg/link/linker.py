"""Linking entity nodes to Wikidata: candidates from the knowledge base, evidence, a decision.

The `Linker` protocol is what the pipeline sees: an `ArticleGraph` in, the same graph
with QIDs on the nodes it could link out. `KBLinker` finds each named node's candidates
(`kg.link.candidates`), weighs the evidence for each (`kg.link.features`: how the name
matches, whether the type fits, popularity, the article's countries and places, the
entities already linked, the words of the description) with the fitted weights of
``kg/link/ranker.json``, and links the best candidate when it is likely enough and
clearly ahead of the next; otherwise the node stays unlinked (NIL): a wrong link is
worse than none. It reads the article twice: what is sure after the first reading
(countries, people's full names) is context for the second.

A linked entity whose knowledge-base type differs from the NER type corrects it
(`kg.link.retype`): "Linux" read as a person is software.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from kg.link.candidates import Option, node_names, options
from kg.link.concepts import Concepts
from kg.link.context import ArticleContext, entity_countries
from kg.link.features import Ranker, allowed, features, node_features
from kg.link.kb import Candidate, KnowledgeBase
from kg.link.knowledge import kb_placements
from kg.link.metonymy import split_teams
from kg.link.retype import retype
from kg.model import ArticleGraph, Fact, Key, Node, Scope

__all__ = ["Decision", "KBLinker", "Linker", "NoLinker", "Scored", "relink"]

logger = logging.getLogger(__name__)


class Linker(Protocol):
    """Links the entity nodes of an article; returns the graph with QIDs on the nodes it linked."""

    def link(self, graph: ArticleGraph) -> ArticleGraph: ...
    def close(self) -> None: ...


class NoLinker:
    """Links nothing beyond what extraction knew (countries and demonyms from the country table)."""

    def link(self, graph: ArticleGraph) -> ArticleGraph:
        return graph

    def close(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate with its evidence and the probability the ranker gives it."""

    option: Option
    features: dict[str, float]
    probability: float

    @property
    def candidate(self) -> Candidate:
        return self.option.candidate

    @property
    def score(self) -> float:
        return self.probability


@dataclass(frozen=True, slots=True)
class Decision:
    """What the linker made of one node: its candidates, best first, and the one linked."""

    node: Node
    ranked: tuple[Scored, ...]
    chosen: Scored | None
    nil_features: dict[str, float] = dataclasses.field(default_factory=dict)


class KBLinker:
    """Links to the entities of a `KnowledgeBase`.

    Args:
        kb: the knowledge base.
        ranker: weights and thresholds (default: the fitted ones the package ships).
        threshold: overrides the ranker's threshold (benchmarks sweep it).
        fetch: optional callable that, given names the KB has no candidate for, fetches
            candidates online into the KB (the `auto`/`wikidata` linkers use it).
    """

    source = "kb"

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        ranker: Ranker | None = None,
        threshold: float | None = None,
        fetch: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.kb = kb
        self.ranker = ranker or Ranker.default()
        if threshold is not None:
            self.ranker = dataclasses.replace(self.ranker, threshold=threshold, thresholds={})
        self.fetch = fetch
        self._concepts: Concepts | None = None

    @property
    def threshold(self) -> float:
        return self.ranker.threshold

    def close(self) -> None:
        self.kb.close()

    def candidates(self, node: Node) -> list[Candidate]:
        """The entities whose names match one of the node's names as written."""
        found: dict[str, Candidate] = {}
        for name in node_names(node):
            for candidate in self.kb.lookup(name):
                known = found.get(candidate.entity.qid)
                if known is None or (candidate.kind == "label" and known.kind != "label"):
                    found[candidate.entity.qid] = candidate
        return list(found.values())

    def decide(self, node: Node, context: ArticleContext) -> Decision:
        """Rank the node's candidates and choose (or not) one."""
        every = options(node, self.kb, context)
        found = [o for o in every if allowed(node, o, every, context)]
        xs = [features(node, o, found, context) for o in found]
        nodes = node_features(node, context, found)
        ranked = sorted(
            (Scored(o, x, p) for o, x, p in zip(found, xs, self.ranker.probabilities(xs, nodes), strict=True)),
            key=lambda s: (-s.probability, s.option.candidate.entity.qid),
        )
        chosen = None
        if ranked and ranked[0].probability >= self.ranker.threshold_for(node):
            runner_up = ranked[1].probability if len(ranked) > 1 else 0.0
            if ranked[0].probability - runner_up >= self.ranker.margin:
                chosen = ranked[0]
        return Decision(node, tuple(ranked), chosen, nodes)

    @staticmethod
    def prepare(graph: ArticleGraph) -> ArticleGraph:
        """The graph as the linker reads it: places that stand for sports teams apart
        (`kg.link.metonymy`)."""
        return split_teams(graph)

    def explain(self, graph: ArticleGraph) -> list[Decision]:
        """The decision on every linkable node of a `prepare`d graph (what `link` applies)."""
        todo = [n for n in graph.nodes if n.kind == "entity" and n.qid is None and _linkable(n)]
        if not todo:
            return []
        if self.fetch is not None:
            missing = [n for n in todo if not self.candidates(n)]
            if missing:
                self.fetch([node_names(n)[0] for n in missing])
        context = ArticleContext.of(graph)
        decisions = [self.decide(node, context) for node in todo]
        for decision in decisions:  # what the first reading is sure of is context for the second
            if decision.chosen is not None:
                entity = decision.chosen.candidate.entity
                context.remember(decision.node.key, entity, entity_countries(entity))
        return [self.decide(node, context) for node in todo]

    @property
    def concepts(self) -> Concepts:
        """Posts and kinds of people of this base (`kg.link.concepts`)."""
        if self._concepts is None:
            self._concepts = Concepts(self.kb)
        return self._concepts

    def link(self, graph: ArticleGraph) -> ArticleGraph:
        graph = self._link_entities(self.prepare(graph))
        graph = relink(graph, self.concepts.posts(graph), source="kb-concept")
        return self.concepts.annotate(self.concepts.post_kinds(graph))

    def _link_entities(self, graph: ArticleGraph) -> ArticleGraph:
        links = {d.node.key: d.chosen for d in self.explain(graph) if d.chosen is not None}
        if not links:
            return graph
        graph = _drop_contradicted(graph, {k: s.candidate.entity.country for k, s in links.items()})
        graph = retype(graph, {k: s.candidate.entity for k, s in links.items()})
        graph = relink(
            graph, {k: (s.candidate.entity.qid, s.probability) for k, s in links.items()}, source=self.source
        )
        return kb_placements(graph, {Key.wikidata(s.candidate.entity.qid): s.candidate.entity for s in links.values()})


def _linkable(node: Node) -> bool:
    """Named nodes only: an unnamed "suicide bomber" has no Wikidata item."""
    return node.key.scope is not Scope.LOCAL and node.type != "Position"


def _drop_contradicted(graph: ArticleGraph, countries: dict[Key, str | None]) -> ArticleGraph:
    """A place, organisation or person put in the article's dominant country by a
    document-level guess loses the guess when the knowledge base says it is of another
    country (P17, or P27 for people)."""
    qid_of = {n.key: n.qid for n in graph.nodes if n.qid}
    kept = []
    for f in graph.facts:
        if f.extractor.startswith("document.dominant_") and isinstance(f.object, Key):
            known = countries.get(f.subject)
            if known is not None and qid_of.get(f.object) not in (None, known):
                continue
        kept.append(f)
    if len(kept) == len(graph.facts):
        return graph
    return dataclasses.replace(graph, facts=tuple(kept))


def relink(graph: ArticleGraph, links: dict[Key, tuple[str, float]], *, source: str) -> ArticleGraph:
    """The graph with nodes re-keyed to their QIDs; nodes that meet on one QID merge."""
    if not links:
        return graph
    rename = {key: Key.wikidata(qid) for key, (qid, _) in links.items()}
    merged: dict[Key, Node] = {}
    order: list[Key] = []
    for node in graph.nodes:
        new_key = rename.get(node.key, node.key)
        if node.key in links:
            qid, score = links[node.key]
            node = dataclasses.replace(node, key=new_key, qid=qid, link_score=round(score, 3), link_source=source)
        if new_key in merged:
            first = merged[new_key]
            merged[new_key] = dataclasses.replace(
                first,
                aliases=tuple(
                    a for a in dict.fromkeys([*first.aliases, node.label, *node.aliases]) if a != first.label
                ),
                mentions=first.mentions + node.mentions,
                link_score=max(first.link_score or 0, node.link_score or 0) or None,
            )
        else:
            merged[new_key] = node
            order.append(new_key)
    facts = _rekey_facts(graph.facts, rename)
    mention_node = {m: rename.get(k, k) for m, k in graph.mention_node.items()}
    return dataclasses.replace(
        graph, nodes=tuple(merged[k] for k in order), facts=tuple(facts), mention_node=mention_node
    )


def _rekey_facts(facts: Iterable[Fact], rename: dict[Key, Key]) -> list[Fact]:
    out = []
    seen = set()
    for f in facts:
        changes = {}
        for attr in ("subject", "object", "speaker", "via", "statement"):
            value = getattr(f, attr)
            if isinstance(value, Key) and value in rename:
                changes[attr] = rename[value]
        g = dataclasses.replace(f, **changes) if changes else f  # type: ignore[arg-type]
        if g.subject == g.object:
            continue
        key = (g.subject, g.predicate, repr(g.object), g.sentence, g.extractor, g.speaker)
        if key in seen:
            continue
        seen.add(key)
        out.append(g)
    return out
