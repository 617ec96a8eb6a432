"""Frozen dataclasses passed between the stages.

After ``extract`` nothing downstream sees a spaCy object: mentions, relations and
events are plain values with character offsets into the article text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "MAIN_EVENT",
    "PLACE_TYPES",
    "Article",
    "ArticleGraph",
    "Attribution",
    "Extraction",
    "Fact",
    "Mention",
    "Node",
    "Problem",
    "Quantity",
    "Relation",
    "Sentence",
    "TimeValue",
]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a source.

    Attributes:
        id: stable id derived from the normalised text (same text, same id).
        source: where it came from, ``path`` or ``path:line``.
        source_id: the id the corpus gave it, if any.
    """

    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: str = ""
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that was skipped, with where and why."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A span that refers to an entity or an event.

    Attributes:
        type: ontology class local name (``Person``, ``Country``, ``Attack`` ...).
        kind: ``name``, ``nominal`` ("the ministry"), ``pronoun``, ``demonym``
            ("Tajikistani") or ``event`` (a trigger such as "blasts").
        name: the name to label the node with ("Islamic State"), or for nominals the
            descriptive phrase ("suicide bomber").
        head: lemma of the head word, lower case.
        distinct: for event mentions, marked as another incident than the article's
            main one ("a similar attack", "last year's bombing").
        definite: a nominal with a definite determiner ("the ministry"), which refers
            back to something already mentioned.
        antecedent: id of the mention a pronoun or nominal refers to, when extraction
            could tell from the parse.
        ner: the spaCy NER label the mention came from ("GPE", "LOC"), if any.
    """

    id: int
    start: int
    end: int
    text: str
    sentence: int
    type: str
    kind: str
    name: str
    head: str
    plural: bool = False
    qid: str | None = None
    distinct: bool = False
    definite: bool = False
    antecedent: int | None = None
    ner: str = ""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count as stated: ``around 90`` is ``Quantity(90, approximate=True)``.

    ``bound`` is ``"min"`` for "at least 20" / "more than 20" and ``"max"`` for
    "up to 20".
    """

    value: int
    text: str
    approximate: bool = False
    bound: str | None = None


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A date normalised against the article date.

    ``value`` is ISO 8601 at the stated ``precision`` (``day`` → ``2024-01-03``,
    ``month`` → ``2024-01``, ``year`` → ``2023``). An approximate value never claims
    more precision than the text gives.
    """

    value: str
    precision: str
    text: str
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a fact is attributed to, and whether it is hedged.

    Attributes:
        speaker: mention id of the source ("the ministry", "Reuters"), if it is one.
        text: the source as written ("US intelligence apparatus").
        cue: the word that marks the attribution ("claim", "confirm", "according to").
        hedged: the text signals doubt ("alleged", "claims", "not possible to verify").
        via: mention id of the outlet a source spoke to ("... told Reuters").
        statement: mention id of the statement event the fact was made in.
    """

    speaker: int | None
    text: str
    cue: str
    hedged: bool = False
    via: int | None = None
    statement: int | None = None


Value = int | Quantity | TimeValue | str
"""A relation object: a mention id, a count, a date, or an ontology individual's local
name (``"SuicideBombing"``)."""

PLACE_TYPES = frozenset({"Place", "Country", "City", "AdminRegion", "Facility"})
"""The ontology's place classes (``kg:Place`` and its subclasses)."""

MAIN_EVENT = -1
"""Stands for "the article's main incident" where a fact is about an event the sentence
does not name ("About 90 people were killed")."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A fact between a mention and a mention or a value, from one sentence.

    ``predicate`` is the local name of an ontology property; ``object`` is a mention id
    (int) or a value. ``verb`` keeps the lemma of open relations.
    """

    subject: int
    predicate: str
    object: Value
    sentence: int
    confidence: float
    extractor: str
    attribution: Attribution | None = None
    verb: str | None = None
    hedged: bool = False


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extraction found in one article.

    ``same_as`` holds pairs of mention ids the text says are one thing ("X, identified
    as Y"; "the main perpetrator ... was Y").
    """

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    same_as: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Node:
    """An entity or event after coreference: one node per real-world thing.

    ``key`` is what its IRI is minted from: ``wd:<QID>`` when linked, ``<Type>:<name>``
    for named entities (stable across articles), ``local:<n>`` for unnamed entities and
    events (scoped to the article). ``link_score`` and ``link_source`` say how sure the
    link to ``qid`` is and where it came from (``country-table``, ``kb``, ``wikidata``).
    """

    key: str
    kind: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[int, ...] = ()
    qid: str | None = None
    link_score: float | None = None
    link_source: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A relation between nodes: the resolved form of one `Relation`.

    ``speaker``/``via``/``statement`` are node keys of the attribution. ``primary`` is
    false for a value of a single-valued property that lost to a better-supported one
    (say a hedged "around 90" against a stated "About 90") and for a document-level
    guess (extractor ``document.…``): it stays as provenance but is not asserted as the
    plain triple.
    """

    subject: str
    predicate: str
    object: str | Value
    sentence: int
    confidence: float
    extractor: str
    attribution: Attribution | None = None
    speaker: str | None = None
    via: str | None = None
    verb: str | None = None
    hedged: bool = False
    statement: str | None = None
    primary: bool = True


@dataclass(frozen=True, slots=True)
class ArticleGraph:
    """One article after resolution: nodes and facts, ready for RDF."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    nodes: tuple[Node, ...]
    facts: tuple[Fact, ...]
    mention_node: dict[int, str] = field(default_factory=dict)
