"""Extraction: a parsed article in, frozen mentions and relations out."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.attribution import attribute
from kg.extract.context import Context
from kg.extract.entities import find_mentions
from kg.extract.events import find_events
from kg.extract.relations import find_relations
from kg.model import Article, Extraction

__all__ = ["extract"]


def extract(doc: Doc, article: Article) -> Extraction:
    """Mentions, relations, events and attributions of one article.

    Args:
        doc: the parsed article; its text must be ``article.text``.
        article: the article the doc was made from.
    """
    ctx = Context(doc, article)
    find_mentions(ctx)
    find_events(ctx)
    find_relations(ctx)
    relations = attribute(ctx)
    return ctx.freeze(relations)
