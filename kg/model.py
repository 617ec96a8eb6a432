"""Frozen dataclasses passed between the stages.

After ``extract`` nothing downstream sees a spaCy object: mentions, relations and
events are plain values with character offsets into the article text.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from kg.text import identity_name

__all__ = [
    "AGE_HEAD",
    "MAIN_EVENT",
    "Article",
    "ArticleGraph",
    "Attribution",
    "Extraction",
    "Fact",
    "Key",
    "Mention",
    "Node",
    "Passage",
    "Problem",
    "Quantity",
    "Relation",
    "Scope",
    "Sentence",
    "TimeOfDay",
    "TimeValue",
    "coarse_type",
    "text_digest",
]

_WS = re.compile(r"\s+")


def text_digest(text: str) -> str:
    """Hash of an article's text, NFC-normalised and whitespace-collapsed: the same text in
    another layout has the same digest."""
    norm = _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from a source.

    An article is named by where it comes from, not by its text: re-reading the same
    source with an edited text replaces the article rather than adding a second one.

    Attributes:
        source: where it was read, for messages: ``path`` or ``path:line``.
        source_id: the id the corpus gave it, if any.
        path: the absolute path of the file it was read from, with ``#line`` for a
            record of a corpus file.
        origin: its identity, the first that is known of ``id:<source_id>``,
            ``url:<url>``, ``file:<path>``, else ``text:<digest>``.
        id: IRI-safe hash of ``origin``: the article's graph is named by it.
        digest: hash of the text (`text_digest`): an unchanged source is not parsed again.
    """

    text: str
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    source: str = ""
    source_id: str | None = None
    path: str | None = None
    origin: str = field(init=False)
    id: str = field(init=False)
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        digest = text_digest(self.text)
        if self.source_id:
            origin = f"id:{self.source_id}"
        elif self.url:
            origin = f"url:{self.url}"
        elif self.path:
            origin = f"file:{self.path}"
        else:
            origin = f"text:{digest}"
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "id", hashlib.sha256(origin.encode("utf-8")).hexdigest()[:24])


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
        head_start, head_end: character offsets of the head word ("lawyer" of "a
            lawyer"), -1 when not known.
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
    head_start: int = -1
    head_end: int = -1

    @property
    def head_span(self) -> tuple[int, int]:
        """Character offsets of the head word, else of the whole mention."""
        return (self.head_start, self.head_end) if self.head_start >= 0 else (self.start, self.end)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as stated: ``around 90`` is ``Quantity(90, approximate=True)``.

    ``bound`` is ``"min"`` for "at least 20" / "more than 20" and ``"max"`` for
    "up to 20". ``kind`` is what the number is: ``count`` (of people or things: ``unit``
    is the noun counted, singular), ``money`` (``unit`` an ISO 4217 code), ``percent``,
    ``age`` or ``years`` (a penalty).
    """

    value: int | float
    text: str
    approximate: bool = False
    bound: str | None = None
    kind: str = "count"
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the article's text: what a statement says.

    ``start`` and ``end`` are character offsets into the article; ``direct`` is true
    for words in quotation marks, false for reported speech ("said that ...").
    """

    start: int
    end: int
    text: str
    direct: bool = False

    @property
    def value(self) -> str:
        """The passage as written (every value has a ``value``)."""
        return self.text


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    """A time of day as stated: ``"10:30 am"`` is ``TimeOfDay("10:30:00", "10:30 am")``."""

    value: str
    text: str


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


Value = int | Quantity | TimeValue | Passage | TimeOfDay | str
"""A relation object: a mention id, a number, a date, a time of day, a passage of the
text, or an ontology individual's local name (``"SuicideBombing"``)."""


AGE_HEAD = "year-old"
"""The head of a nominal mention made for an age ("the 23-year-old"): the person named just before."""

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


def coarse_type(etype: str) -> str:
    """The type names meet on: places share one, so "Kerman" as GPE and as LOC are one."""
    from kg.ontology import is_place

    return "Place" if is_place(etype) else etype


class Scope(enum.StrEnum):
    """What a `Key` identifies, and how far the identity reaches."""

    WIKIDATA = "wd"
    """A linked entity: one node in the whole store, named by its QID."""
    NAME = "name"
    """A named, unlinked entity: one node in the whole store, named by type and name."""
    LOCAL = "local"
    """An unnamed entity ("the bomber"): scoped to its article."""
    EVENT = "event"
    """An event: scoped to its article, numbered by where its first mention starts."""
    CONCEPT = "concept"
    """An individual of the ontology (``kg:SuicideBombing``)."""


_QID = re.compile(r"^Q[1-9]\d*$")


@dataclass(frozen=True, slots=True, order=True)
class Key:
    """The identity of a node, from which `kg.rdf.namespaces.Minter` makes its IRI.

    Build keys with the class methods, which normalise: ``Key.named("Person", "Tony
    Blair's")`` equals ``Key.named("Person", "tony blair")``.

    Attributes:
        scope: what is identified (`Scope`).
        value: the QID, the normalised name, the article-local number, or the
            ontology individual's local name.
        type: for names, the coarse type (`coarse_type`): a person and a place with one
            name are two things.
        within: for generic names ("Ministry of Intelligence"), the key value of the
            country they belong to, so that Iran's ministry and Pakistan's are two.
    """

    scope: Scope
    value: str
    type: str = ""
    within: str = ""

    @classmethod
    def wikidata(cls, qid: str) -> Key:
        if not _QID.match(qid):
            raise ValueError(f"not a Wikidata item id: {qid!r}")
        return cls(Scope.WIKIDATA, qid)

    @classmethod
    def named(cls, etype: str, name: str, *, within: str = "") -> Key:
        return cls(Scope.NAME, identity_name(name), coarse_type(etype), within)

    @classmethod
    def local(cls, number: int) -> Key:
        return cls(Scope.LOCAL, str(number))

    @classmethod
    def event(cls, number: int) -> Key:
        return cls(Scope.EVENT, str(number))

    @classmethod
    def concept(cls, name: str) -> Key:
        return cls(Scope.CONCEPT, name)

    @property
    def qid(self) -> str | None:
        return self.value if self.scope is Scope.WIKIDATA else None

    @property
    def in_corpus(self) -> bool:
        """Whether the node is one across articles (linked or named entities, concepts)."""
        return self.scope in (Scope.WIKIDATA, Scope.NAME, Scope.CONCEPT)

    def __str__(self) -> str:
        if self.scope is Scope.NAME:
            return f"{self.type}:{self.value}" + (f"@{self.within}" if self.within else "")
        return f"{self.scope.value}:{self.value}"


@dataclass(frozen=True, slots=True)
class Node:
    """An entity or event after coreference: one node per real-world thing.

    ``key`` is its identity (`Key`): the QID when linked, type and name for named
    entities (one node across articles), an article-scoped number for unnamed entities
    and events. ``link_score`` and ``link_source`` say how sure the link to ``qid`` is
    and where it came from (``country-table``, ``kb``, ``wikidata``). ``name_key`` is
    the identity of a named entity's name, kept when it is linked: an unlinked mention
    of the name elsewhere meets the linked entity on it.
    """

    key: Key
    kind: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[int, ...] = ()
    qid: str | None = None
    link_score: float | None = None
    link_source: str | None = None
    name_key: Key | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    r"""A relation between nodes: the resolved form of one `Relation`.

    ``subject`` and node ``object``\ s are `Key`\ s; ``speaker``/``via``/``statement`` are the
    keys of the attribution. ``primary`` is
    false for a value of a single-valued property that lost to a better-supported one
    (say a hedged "around 90" against a stated "About 90") and for a document-level
    guess (extractor ``document.…``): it stays as provenance but is not asserted as the
    plain triple.
    """

    subject: Key
    predicate: str
    object: Key | Quantity | TimeValue | Passage | TimeOfDay
    sentence: int
    confidence: float
    extractor: str
    attribution: Attribution | None = None
    speaker: Key | None = None
    via: Key | None = None
    verb: str | None = None
    hedged: bool = False
    statement: Key | None = None
    primary: bool = True


@dataclass(frozen=True, slots=True)
class ArticleGraph:
    """One article after resolution: nodes and facts, ready for RDF.

    ``mention_node`` is the node each mention names; ``concepts`` the Wikidata item of
    the kind a mention is about, when it names a kind rather than one thing ("a lawyer",
    "Britons": `kg.link.concepts`)."""

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    nodes: tuple[Node, ...]
    facts: tuple[Fact, ...]
    mention_node: dict[int, Key] = field(default_factory=dict)
    concepts: dict[int, str] = field(default_factory=dict)
