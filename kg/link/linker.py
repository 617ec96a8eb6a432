"""Linking entity nodes to Wikidata: candidates from the knowledge base, a score, a threshold.

The `Linker` protocol is what the pipeline sees: an `ArticleGraph` in, the same graph
with QIDs on the nodes it could link out. `KBLinker` ranks knowledge-base candidates by

- name match: the KB label as written (case and all) beats a case-insensitive match,
  which beats an alias or an acronym; a KB label in lower case ("Islamic state", a form
  of government) against a capitalised name is a concept, not the entity;
- type compatibility between the node's type and the candidate's (a person is never
  linked to a city; a country node wants a country, a city node a city);
- popularity (sitelinks, or the proxies of the slice);
- context: the candidate's country is among the article's countries, its description
  shares words with the article, it agrees with entities already linked;

and keeps the best candidate if its score reaches the threshold; below it the node
stays unlinked (NIL): a wrong link is worse than none.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from kg.link.kb import Candidate, KnowledgeBase, name_key
from kg.model import ArticleGraph, Fact, Key, Node, Scope

__all__ = ["DEFAULT_THRESHOLD", "KBLinker", "Linker", "NoLinker", "Scored", "relink"]

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.62
"""Below this score a node stays unlinked (chosen on ELEVANT News-Fair dev, see README)."""

ENTITY_TYPES = {
    "Person": ("PER",),
    "Organization": ("ORG",),
    "Agent": ("PER", "ORG"),
    "Country": ("LOC",),
    "City": ("LOC",),
    "AdminRegion": ("LOC",),
    "Place": ("LOC",),
    "Facility": ("LOC", "ORG"),
    "Event": ("EVENT",),
    "Position": (),
    "Entity": ("PER", "ORG", "LOC", "EVENT", "WORK", "OTHER"),
}
SUBTYPE_FIT = {
    "Country": {"country": 1.0, "region": 0.3, "city": 0.2, None: 0.6},
    "City": {"city": 1.0, "region": 0.6, "country": 0.2, None: 0.7},
    "AdminRegion": {"region": 1.0, "city": 0.6, "country": 0.3, None: 0.7},
    "Place": {"city": 1.0, "region": 0.85, "country": 0.8, None: 0.8},
    "Facility": {None: 0.8, "city": 0.3, "region": 0.2, "country": 0.1},
}
STOPWORDS = frozenset(
    "a an the of in on at to for and or by with from as is was are were be been its it his her their this that "
    "which who whom said says after before into over under about also than more most other new".split()
)


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
    candidate: Candidate
    score: float
    name: float
    type: float
    popularity: float
    context: float


def _proper(label: str) -> bool:
    """Whether a KB label looks like a proper name (its content words capitalised)."""
    words = [w for w in re.findall(r"[^\W\d_]+", label) if w.lower() not in STOPWORDS]
    return bool(words) and all(w[0].isupper() for w in words)


def _name_score(names: list[str], candidate: Candidate) -> float:
    best = 0.0
    for name in names:
        matched = candidate.matched
        if candidate.kind == "acronym":
            score = 0.6 if name.isupper() and len(name) >= 4 else 0.1
        elif matched == name:
            score = 1.0 if candidate.kind == "label" else 0.8
        elif name_key(matched) == name_key(name):
            same_words = matched.lower().split() == name.lower().split()
            if not _proper(matched) and _proper(name):
                score = 0.15  # "Islamic state" (a kind of government) is not "Islamic State"
            elif same_words:
                score = 0.9 if candidate.kind == "label" else 0.7
            else:
                score = 0.75 if candidate.kind == "label" else 0.6  # "the Taliban's" ~ "Taliban"
        else:
            score = 0.0
        best = max(best, score)
    return best


def _type_score(node: Node, candidate: Candidate) -> float:
    entity = candidate.entity
    allowed = ENTITY_TYPES.get(node.type, ())
    if not allowed:
        return 0.0
    if entity.type in allowed:
        fit = SUBTYPE_FIT.get(node.type)
        return fit.get(entity.subtype, fit[None]) if fit else 1.0
    if entity.type == "OTHER":
        return 0.45  # unknown class: possible, not supported
    if {node.type, entity.type} <= {"Organization", "ORG", "LOC"} or (
        node.type in SUBTYPE_FIT and entity.type == "ORG"
    ):
        return 0.3  # organisations and places are often confused by NER ("Iran said")
    return 0.0


class KBLinker:
    """Links to the entities of a `KnowledgeBase`.

    Args:
        kb: the knowledge base.
        threshold: minimum score for a link.
        fetch: optional callable that, given names the KB has no candidate for, fetches
            candidates online into the KB (the `auto`/`wikidata` linkers use it).
    """

    source = "kb"

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        fetch: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.kb = kb
        self.threshold = threshold
        self.fetch = fetch

    def close(self) -> None:
        self.kb.close()

    def candidates(self, node: Node) -> list[Candidate]:
        names = _names(node)
        found: dict[str, Candidate] = {}
        for name in names:
            for candidate in self.kb.lookup(name):
                known = found.get(candidate.entity.qid)
                if known is None or (candidate.kind == "label" and known.kind != "label"):
                    found[candidate.entity.qid] = candidate
        return list(found.values())

    def score(self, node: Node, candidates: list[Candidate], context: _Context) -> list[Scored]:
        names = _names(node)
        out = []
        for candidate in candidates:
            name = _name_score(names, candidate)
            kind = _type_score(node, candidate)
            if name == 0.0 or kind == 0.0:
                continue
            entity = candidate.entity
            popularity = entity.popularity if entity.popularity is not None else 0.1
            ctx = context.score(entity)
            if len(min(names, key=len)) <= 3 and ctx == 0.0 and popularity < 0.5:
                continue  # "TX", "FM", "DDS": short names need support beyond the name
            if entity.popularity is None and ctx == 0.0 and all(len(n.split()) == 1 for n in names):
                continue  # one word, nothing known of the candidate, nothing around it: no evidence
            total = 0.45 * name + 0.25 * kind + 0.15 * popularity + 0.15 * ctx
            out.append(Scored(candidate, round(total, 4), name, kind, popularity, ctx))
        out.sort(key=lambda s: -s.score)
        if len(out) > 1 and out[0].score - out[1].score < 0.05:
            # two near-equal readings: less sure of either
            out[0] = dataclasses.replace(out[0], score=round(out[0].score - 0.08, 4))
        return out

    def link(self, graph: ArticleGraph) -> ArticleGraph:
        todo = [n for n in graph.nodes if n.kind == "entity" and n.qid is None and _linkable(n)]
        if not todo:
            return graph
        if self.fetch is not None:
            missing = [n for n in todo if not self.candidates(n)]
            if missing:
                self.fetch([_names(n)[0] for n in missing])
        context = _Context(graph, self.kb)
        links: dict[Key, Scored] = {}
        # two passes: what is sure first, then the rest with it as context
        for _ in range(2):
            for node in todo:
                ranked = self.score(node, self.candidates(node), context)
                if ranked and ranked[0].score >= self.threshold:
                    links[node.key] = ranked[0]
                    context.linked.add(ranked[0].candidate.entity.qid)
        graph = _drop_contradicted(graph, {k: s.candidate.entity.country for k, s in links.items()})
        return relink(graph, {k: (s.candidate.entity.qid, s.score) for k, s in links.items()}, source=self.source)


class _Context:
    """What the article says around its entities: countries, linked QIDs, words."""

    def __init__(self, graph: ArticleGraph, kb: KnowledgeBase) -> None:
        self.countries = {n.qid for n in graph.nodes if n.type == "Country" and n.qid}
        self.linked = {n.qid for n in graph.nodes if n.qid}
        self.labels = {n.label.lower() for n in graph.nodes if n.kind == "entity"}
        text = graph.article.text.lower()
        self.words = {w for w in re.findall(r"[a-z]{3,}", text) if w not in STOPWORDS}

    def score(self, entity: object) -> float:
        country = getattr(entity, "country", None)
        description = (getattr(entity, "description", None) or "").lower()
        points = 0.0
        if country and (country in self.countries or country in self.linked):
            points += 0.5  # agrees with the article's countries and the entities already linked
        if getattr(entity, "qid", None) in self.countries:
            points += 0.3
        words = {w for w in re.findall(r"[a-z]{3,}", description) if w not in STOPWORDS}
        if words:
            overlap = len(words & self.words) / len(words)
            points += 0.5 * min(1.0, overlap * 1.5)
        if any(label in description for label in self.labels if len(label) > 3):
            points += 0.2
        return min(1.0, points)


def _names(node: Node) -> list[str]:
    names = [node.label, *node.aliases]
    return list(dict.fromkeys(n for n in names if n and len(n) > 1))


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
