"""What the extraction steps see of one parsed article, and how they hand back what they find.

A `Context` is the parsed text (read-only: the spaCy ``Doc`` and its tokens, the article, sentences,
date and number entities), the `MentionIndex` of the mentions found so far, and the
relations earlier steps found (`Context.found`, read-only). A step adds mentions
through the index and returns what it found through its own `Found` collector; the
runner (`kg.extract.steps`) appends that to ``found`` when the step is done, so no step
writes into another's results. `Context.freeze` makes the `Extraction` that leaves the
stage; nothing outside ``kg.extract`` sees this class or any spaCy object.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.extract.data import confidence as data_confidence
from kg.extract.quotes import Quote, quotations
from kg.ingest import dateline_span
from kg.model import Article, Extraction, Mention, Relation, Sentence, Value

__all__ = ["Context", "Found", "MentionIndex", "Pending"]


@dataclasses.dataclass(frozen=True, slots=True)
class Pending:
    """A relation waiting for its attribution; ``anchor`` is the token it hangs from,
    ``step`` the step that found it."""

    relation: Relation
    anchor: int
    step: str = ""


class MentionIndex:
    """The mentions of an article and where they are: by head token, by covered token."""

    def __init__(self, doc: Doc, sent_of: list[int]) -> None:
        self._doc = doc
        self._sent_of = sent_of
        self.all: list[Mention] = []
        self.head_of: dict[int, int] = {}  # mention id -> head token index
        self.by_head: dict[int, int] = {}  # head token index -> mention id
        self.covering: dict[int, list[int]] = {}  # token index -> mention ids covering it

    def add(
        self,
        start: int,
        end: int,
        head: Token,
        *,
        type: str,
        kind: str,
        name: str,
        plural: bool = False,
        qid: str | None = None,
        distinct: bool = False,
        definite: bool = False,
        antecedent: int | None = None,
        head_lemma: str | None = None,
        ner: str = "",
    ) -> int:
        """Add a mention over tokens ``[start, end)`` headed by ``head``; returns its id."""
        span = self._doc[start:end]
        mention = Mention(
            id=len(self.all),
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            sentence=self._sent_of[head.i],
            type=type,
            kind=kind,
            name=name,
            head=head_lemma or head.lemma_.lower(),
            plural=plural,
            qid=qid,
            distinct=distinct,
            definite=definite,
            antecedent=antecedent,
            ner=ner,
            head_start=head.idx,
            head_end=head.idx + len(head.text),
        )
        self.all.append(mention)
        self.head_of[mention.id] = head.i
        self.by_head.setdefault(head.i, mention.id)
        for i in range(start, end):
            self.covering.setdefault(i, []).append(mention.id)
        return mention.id

    def also_headed_by(self, token: Token, mention_id: int) -> None:
        """``token`` stands for the mention too ("The Islamic State *group*")."""
        self.by_head.setdefault(token.i, mention_id)

    def __getitem__(self, mention_id: int) -> Mention:
        return self.all[mention_id]

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self) -> Iterator[Mention]:
        return iter(tuple(self.all))


class Context:
    """One parsed article as the steps see it (see the module docstring)."""

    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.tokens: tuple[Token, ...] = tuple(doc)  # made once: iterating a Doc makes new Token objects
        self.text = doc.text  # read once: spaCy joins the tokens anew on each read
        self.article = article
        self.sentences: tuple[Sentence, ...] = ()
        self.sent_of = [0] * len(doc)
        sentences = []
        for index, sent in enumerate(doc.sents):
            sentences.append(Sentence(index, sent.start_char, sent.end_char, sent.text))
            for i in range(sent.start, sent.end):
                self.sent_of[i] = index
        self.sentences = tuple(sentences)
        self.index = MentionIndex(doc, self.sent_of)
        self.found: tuple[Pending, ...] = ()
        self.same_as: tuple[tuple[int, int], ...] = ()
        self.date_ents: dict[int, Span] = {}
        self.cardinal_ents: dict[int, Span] = {}
        dateline = dateline_span(article.text)
        for ent in doc.ents:
            if dateline is not None and ent.start_char < dateline[1] and ent.label_ in ("DATE", "TIME"):
                continue  # the article's own date, however far NER ran it into the first sentence
            # TIME too: "last night", "Saturday morning" name a day
            target = {"DATE": self.date_ents, "TIME": self.date_ents, "CARDINAL": self.cardinal_ents}.get(ent.label_)
            if target is not None:
                for i in range(ent.start, ent.end):
                    target[i] = ent

    @functools.cached_property
    def quotes(self) -> list[Quote]:
        """The quotations of the text (`kg.extract.quotes`), found once."""
        return quotations(self.doc, self.text)

    # ----------------------------------------------------------------- mentions

    @property
    def mentions(self) -> list[Mention]:
        """The mentions so far, by id (read them; add through `add_mention`)."""
        return self.index.all

    def add_mention(self, start: int, end: int, head: Token, **attrs: object) -> int:
        return self.index.add(start, end, head, **attrs)  # type: ignore[arg-type]

    def mention_at(self, token: Token) -> Mention | None:
        """The mention headed by ``token``, else the smallest mention covering it."""
        found = self.index.by_head.get(token.i)
        if found is not None:
            return self.index.all[found]
        ids = self.index.covering.get(token.i)
        if not ids:
            return None
        return min((self.index.all[m] for m in ids), key=lambda m: m.end - m.start)

    def entity_at(self, token: Token) -> Mention | None:
        """Like `mention_at`, but only entity mentions (not event triggers)."""
        mention = self.mention_at(token)
        if mention is not None and mention.kind == "event":
            ids = [m for m in self.index.covering.get(token.i, []) if self.index.all[m].kind != "event"]
            return self.index.all[ids[0]] if ids else None
        return mention

    def covering(self, token: Token) -> list[Mention]:
        """Every mention covering ``token``, in the order they were found."""
        return [self.index.all[m] for m in self.index.covering.get(token.i, [])]

    def resolved_type(self, mention: Mention) -> str:
        """The type of a mention, or of its antecedent for pronouns."""
        seen = set()
        while mention.antecedent is not None and mention.id not in seen:
            seen.add(mention.id)
            mention = self.index.all[mention.antecedent]
        return mention.type

    def head_token(self, mention_id: int) -> Token:
        return self.doc[self.index.head_of[mention_id]]

    def freeze(self, relations: list[Relation]) -> Extraction:
        return Extraction(
            article=self.article,
            sentences=self.sentences,
            mentions=tuple(self.index.all),
            relations=tuple(relations),
            same_as=tuple(dict.fromkeys(self.same_as)),
        )


class Found:
    """What one step found: relations (each with the token it hangs from) and identities.

    ``confidence`` defaults to the extractor's entry in ``confidences.json``.
    """

    def __init__(self, ctx: Context, step: str) -> None:
        self._ctx = ctx
        self.step = step
        self.relations: list[Pending] = []
        self.identities: list[tuple[int, int]] = []

    def relation(
        self,
        subject: int,
        predicate: str,
        obj: Value,
        *,
        anchor: Token,
        extractor: str,
        confidence: float | None = None,
        verb: str | None = None,
        hedged: bool = False,
    ) -> None:
        if isinstance(obj, int) and obj == subject:
            return
        relation = Relation(
            subject=subject,
            predicate=predicate,
            object=obj,
            sentence=self._ctx.sent_of[anchor.i],
            confidence=data_confidence(extractor) if confidence is None else confidence,
            extractor=extractor,
            verb=verb,
            hedged=hedged,
        )
        self.relations.append(Pending(relation, anchor.i, self.step))

    def same(self, a: int, b: int) -> None:
        """The text says mentions ``a`` and ``b`` are one thing ("X, identified as Y")."""
        self.identities.append((a, b))
