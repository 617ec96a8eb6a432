"""Posts and kinds of people linked to the Wikidata items that name them.

Entity linking (`kg.link.linker`) links things with names. News also names kinds of
people and the posts they hold: "Prime Minister David Cameron", "Legendary DJ Casey
Kasem", "a lawyer", "students", "most Britons". Wikidata has items for these
("Prime Minister of the United Kingdom", "disc jockey", "lawyer", "student", "Britons"),
and this step finds them in the knowledge base:

- **A post** (a `Position` node) held at a linked state or organisation is linked to the
  item of that post there, whose name the base gives as "<title> of <place>"
  ("Prime Minister of France"); nothing else will do, so that the posts of two states
  never meet on one item. A post named with no place links to the item of its title,
  a kind of post or occupation ("judge" for "Justice"); failing that, to the item of the
  title's last word when the words before it only describe the holder ("Legendary DJ"
  → "disc jockey"). The node takes the QID, so that every article's post is one node.
  A post the base has no item of ("chief executive" at Acme) keeps its own node and gets
  a ``postKind`` fact to the kind of post its title names (chief executive officer), so
  that every chief executive can be asked for.
- **A nominal mention of a person** whose head names a kind ("a lawyer", "reporters") and
  a demonym used as a plural noun ("Britons") are annotated with the item of that kind
  (``ArticleGraph.concepts``, written as ``itsrdf:taClassRef``): the mention says what
  kind of person it is about, not which one.

An item counts as a kind of person or post only when its class in the base is one of
``kg/link/concepts.tsv`` or below one of them (P31, then P279 chains), or, for an item
the base gives no class, when its description starts with one of the ``person_words``
of that file's header ("person who plays recorded music"). Posts and kinds named with no
place must be common nouns in Wikidata (a label in lower case). A name links only when
exactly one such item has it as its label, or, failing that, when one item has it as an
alias and is far more popular (``alias_lead``) than any other that has it: "president"
(of a state or of a company: two labels) stays unlinked, "attorney" is the lawyer.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from kg.link.context import lexicon
from kg.link.kb import KBEntity, KnowledgeBase
from kg.model import ArticleGraph, Fact, Key, Mention, Node, Scope

__all__ = ["ConceptTable", "Concepts", "concept_table"]


@dataclass(frozen=True, slots=True)
class ConceptTable:
    """``concepts.tsv``: the classes of kinds of people and posts, and the first words of
    a description that make an item without a class one; the link scores of a label
    match and of an alias match, and how many times more popular than the next an item
    must be to win on an alias several items share."""

    classes: frozenset[str]
    person_words: frozenset[str]
    label_score: float
    alias_score: float
    alias_lead: float


@functools.cache
def concept_table() -> ConceptTable:
    text = resources.files("kg.link").joinpath("concepts.tsv").read_text(encoding="utf-8")
    header: dict[str, str] = {}
    classes = set()
    for line in text.splitlines():
        if line.startswith("#@"):
            name, _, value = line[2:].partition("=")
            header[name.strip()] = value.strip()
        elif line.strip() and not line.startswith("#"):
            classes.add(line.split("\t", 1)[0])
    return ConceptTable(
        frozenset(classes),
        frozenset(header["person_words"].split()),
        float(header["label_score"]),
        float(header["alias_score"]),
        float(header["alias_lead"]),
    )


class Concepts:
    """The concept items of one knowledge base (its class table read once)."""

    def __init__(self, kb: KnowledgeBase, table: ConceptTable | None = None) -> None:
        self.kb = kb
        self.table = table or concept_table()
        self.classes = frozenset(c for root in sorted(self.table.classes) for c in kb.subclasses(root))

    def is_kind(self, entity: KBEntity) -> bool:
        """Whether an item is a kind of person or post."""
        if entity.p31:
            return any(c in self.classes for c in entity.p31)
        first = (entity.description or "").split(" ", 1)[0].lower()
        return first in self.table.person_words

    def find(self, names: Iterable[str], *, common: bool, about: str | None = None) -> tuple[str, float] | None:
        """The one item of a kind that has the first of ``names`` the base knows as a kind
        (``common``: only items whose label is a common noun), with its link score. Of
        several, those whose description names ``about`` (the country of a demonym:
        "Americans" of the United States, not of the Americas) go first."""
        for name in names:
            found = [
                c
                for c in self.kb.lookup(name)
                if self.is_kind(c.entity) and (not common or c.entity.label[:1].islower())
            ]
            if about and len(found) > 1:
                found = [c for c in found if about in (c.entity.description or "")] or found
            if not found:
                continue
            labels = {c.entity.qid for c in found if c.kind == "label"}
            if labels:
                return (next(iter(labels)), self.table.label_score) if len(labels) == 1 else None
            ranked = sorted(found, key=lambda c: -(c.entity.popularity or 0.0))
            first, second = (c.entity.popularity or 0.0 for c in (ranked + ranked)[:2])
            if len(ranked) == 1 or first >= self.table.alias_lead * second:
                return ranked[0].entity.qid, self.table.alias_score
            return None
        return None

    def posts(self, graph: ArticleGraph) -> dict[Key, tuple[str, float]]:
        """Post node → the QID of its item and the link score."""
        nodes = {n.key: n for n in graph.nodes}
        at = _places(graph, nodes)
        held = _held_by_full_names(graph, nodes)
        links: dict[Key, tuple[str, float]] = {}
        for node in graph.nodes:
            if node.type == "Position" and node.qid is None:
                found = self._post(node, at.get(node.key), node.key in held)
                if found is not None:
                    links[node.key] = found
        return links

    def post_kinds(self, graph: ArticleGraph) -> ArticleGraph:
        """The graph with a ``postKind`` fact from each post the base has no item of
        ("chief executive" at Acme) to the kind of post its title names (chief executive
        officer), and the kind's node when the article has none."""
        nodes = {n.key: n for n in graph.nodes}
        held = _held_by_full_names(graph, nodes)
        new_nodes: dict[Key, Node] = {}
        facts = []
        for node in graph.nodes:
            if node.type != "Position" or node.qid is not None or not node.mentions:
                continue
            found = self._kind_of_title(node, node.key in held)
            if found is None:
                continue
            qid, score = found
            kind = Key.wikidata(qid)
            if kind not in nodes and kind not in new_nodes:
                entity = self.kb.get(qid)
                label = entity.label if entity is not None else qid
                new_nodes[kind] = Node(kind, "entity", "Position", label, qid=qid, link_score=score, link_source="kb")
            sentence = graph.mentions[node.mentions[0]].sentence
            facts.append(Fact(node.key, "postKind", kind, sentence, score, "link.post_kind"))
        if not facts:
            return graph
        return dataclasses.replace(
            graph, nodes=graph.nodes + tuple(new_nodes.values()), facts=graph.facts + tuple(facts)
        )

    def annotate(self, graph: ArticleGraph) -> ArticleGraph:
        """The graph with the item of its kind on each nominal mention of a kind of person."""
        concepts = dict(graph.concepts)
        nodes = {n.key: n for n in graph.nodes}
        for mention in graph.mentions:
            if mention.id in concepts:
                continue
            if (
                mention.kind == "nominal"
                and mention.type == "Person"
                and _head_word(graph, mention).startswith(mention.head or " ")
            ):
                found = self.find([mention.head], common=True)
            elif mention.kind == "demonym" and mention.plural:
                country = nodes.get(graph.mention_node.get(mention.id))  # type: ignore[arg-type]
                found = self.find([mention.text], common=False, about=country.label if country else None)
            else:
                continue
            if found is not None:
                concepts[mention.id] = found[0]
        return dataclasses.replace(graph, concepts=concepts) if concepts != graph.concepts else graph

    def _post(self, node: Node, place: Node | None, held: bool) -> tuple[str, float] | None:
        title = node.label
        if place is not None:
            label = place.label
            return self.find([f"{title} of {label}", f"{title} of the {label}"], common=False)
        if node.key.within or node.key.scope is not Scope.NAME:
            return None  # a post at an unnamed organisation is not the kind of post
        return self._kind_of_title(node, held)

    def _kind_of_title(self, node: Node, held: bool) -> tuple[str, float] | None:
        """The kind of post a post's title names, when a person of full name holds it or
        the title is in lower case."""
        if not held and not node.label.islower():
            return None  # "Executive [Yuan]": a capital title before one word is often a name the NER cut
        return self.find(_title_names(node.label), common=True)


def _head_word(graph: ArticleGraph, mention: Mention) -> str:
    """The head word as written, lower case ("" when not known)."""
    if mention.head_start < 0:
        return ""
    start, end = mention.head_span
    return graph.article.text[start:end].lower()


def _held_by_full_names(graph: ArticleGraph, nodes: dict[Key, Node]) -> set[Key]:
    """Posts a person of two or more names holds ("Justice Kim Hargrave")."""
    out = set()
    for f in graph.facts:
        holder = nodes.get(f.subject)
        if f.predicate != "positionHeld" or not isinstance(f.object, Key) or holder is None:
            continue
        if holder.type == "Person" and len(holder.label.split()) > 1:
            out.add(f.object)
    return out


def _places(graph: ArticleGraph, nodes: dict[Key, Node]) -> dict[Key, Node]:
    """Post → the linked state or organisation it is at (``positionAt``)."""
    out: dict[Key, Node] = {}
    for f in graph.facts:
        if f.predicate == "positionAt" and isinstance(f.object, Key):
            place = nodes.get(f.object)
            if place is not None and place.qid is not None:
                out.setdefault(f.subject, place)
    return out


def _title_names(title: str) -> Sequence[str]:
    """The title, then its last word when the words before it only describe the holder
    (``holder_descriptors`` of ``kg/link/lexicon.json``: "Legendary DJ")."""
    words = title.split()
    if len(words) > 1 and all(w.lower() in lexicon()["holder_descriptors"] for w in words[:-1]):
        return [title, words[-1]]
    return [title]
