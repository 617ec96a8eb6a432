"""Extraction: a parsed article in, frozen mentions and relations out.

The work is done by small steps registered by name (`kg.extract.steps`): mention steps
(`kg.extract.mentions`), event steps (`kg.extract.events`), relation steps
(`kg.extract.relations`), then the attribution finishers (`kg.extract.attribution`).
Which run, and in which order, is `Settings.extract_steps` (default `DEFAULT_STEPS`).
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract import attribution, events, mentions, relations
from kg.extract.context import Context
from kg.extract.steps import DEFAULT_FINISHERS, DEFAULT_STEPS, run
from kg.model import Article, Extraction
from kg.settings import Settings

__all__ = ["extract"]

_ = (attribution, events, mentions, relations)  # imported for their registrations


def extract(doc: Doc, article: Article, *, settings: Settings | None = None) -> Extraction:
    """Mentions, relations, events and attributions of one article.

    Args:
        doc: the parsed article; its text must be ``article.text``.
        article: the article the doc was made from.
        settings: which steps run (``extract_steps``, ``disabled_steps``); from the
            environment when not given.
    """
    settings = settings or Settings.from_env()
    ctx = Context(doc, article)
    relations = run(
        ctx,
        settings.extract_steps or DEFAULT_STEPS,
        DEFAULT_FINISHERS,
        disabled=settings.disabled_steps,
    )
    return ctx.freeze(relations)
