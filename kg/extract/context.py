"""The working state of extraction over one parsed article.

Extraction steps add mentions and relations here; `Context.freeze` turns the result
into the frozen `Extraction` that leaves the stage. Nothing outside ``kg.extract`` sees
this class or any spaCy object.
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Doc, Span, Token

from kg.model import Article, Attribution, Extraction, Mention, Relation, Sentence, Value

__all__ = ["Context"]


@dataclasses.dataclass(slots=True)
class Pending:
    """A relation waiting for its attribution; ``anchor`` is the token it hangs from."""

    relation: Relation
    anchor: int


class Context:
    def __init__(self, doc: Doc, article: Article) -> None:
        self.doc = doc
        self.article = article
        self.sentences: list[Sentence] = []
        self.sent_of = [0] * len(doc)
        for index, sent in enumerate(doc.sents):
            self.sentences.append(Sentence(index, sent.start_char, sent.end_char, sent.text))
            for i in range(sent.start, sent.end):
                self.sent_of[i] = index
        self.mentions: list[Mention] = []
        self.head_of: dict[int, int] = {}  # mention id -> head token index
        self.by_head: dict[int, int] = {}  # head token index -> mention id
        self.covering: dict[int, list[int]] = {}  # token index -> mention ids covering it
        self.pending: list[Pending] = []
        self.same_as: list[tuple[int, int]] = []
        self.attributions: dict[int, Attribution | None] = {}  # sentence-level cache by token
        self.date_ents: dict[int, Span] = {}
        self.cardinal_ents: dict[int, Span] = {}
        for ent in doc.ents:
            # TIME too: "last night", "Saturday morning" name a day
            target = {"DATE": self.date_ents, "TIME": self.date_ents, "CARDINAL": self.cardinal_ents}.get(ent.label_)
            if target is not None:
                for i in range(ent.start, ent.end):
                    target[i] = ent

    # ----------------------------------------------------------------- mentions

    def add_mention(
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
        span = self.doc[start:end]
        mention = Mention(
            id=len(self.mentions),
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            sentence=self.sent_of[head.i],
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
        )
        self.mentions.append(mention)
        self.head_of[mention.id] = head.i
        self.by_head.setdefault(head.i, mention.id)
        for i in range(start, end):
            self.covering.setdefault(i, []).append(mention.id)
        return mention.id

    def update_mention(self, mention_id: int, **changes: object) -> None:
        self.mentions[mention_id] = dataclasses.replace(self.mentions[mention_id], **changes)  # type: ignore[arg-type]

    def mention_at(self, token: Token) -> Mention | None:
        """The mention headed by ``token``, else the smallest mention covering it."""
        found = self.by_head.get(token.i)
        if found is not None:
            return self.mentions[found]
        ids = self.covering.get(token.i)
        if not ids:
            return None
        return min((self.mentions[m] for m in ids), key=lambda m: m.end - m.start)

    def entity_at(self, token: Token) -> Mention | None:
        """Like `mention_at`, but only entity mentions (not event triggers)."""
        mention = self.mention_at(token)
        if mention is not None and mention.kind == "event":
            ids = [m for m in self.covering.get(token.i, []) if self.mentions[m].kind != "event"]
            return self.mentions[ids[0]] if ids else None
        return mention

    def resolved_type(self, mention: Mention) -> str:
        """The type of a mention, or of its antecedent for pronouns."""
        seen = set()
        while mention.antecedent is not None and mention.id not in seen:
            seen.add(mention.id)
            mention = self.mentions[mention.antecedent]
        return mention.type

    def head_token(self, mention_id: int) -> Token:
        return self.doc[self.head_of[mention_id]]

    # ----------------------------------------------------------------- relations

    def add_relation(
        self,
        subject: int,
        predicate: str,
        obj: Value,
        *,
        anchor: Token,
        confidence: float,
        extractor: str,
        verb: str | None = None,
    ) -> None:
        if isinstance(obj, int) and obj == subject:
            return
        relation = Relation(
            subject=subject,
            predicate=predicate,
            object=obj,
            sentence=self.sent_of[anchor.i],
            confidence=confidence,
            extractor=extractor,
            verb=verb,
        )
        self.pending.append(Pending(relation, anchor.i))

    def freeze(self, relations: list[Relation]) -> Extraction:
        return Extraction(
            article=self.article,
            sentences=tuple(self.sentences),
            mentions=tuple(self.mentions),
            relations=tuple(relations),
            same_as=tuple(dict.fromkeys(self.same_as)),
        )
