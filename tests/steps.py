"""What the step tests share: the facts of a sentence with their extractors, and its mentions."""

from __future__ import annotations

import datetime as dt

from spacy.language import Language

from kg.extract import extract
from kg.model import Article, ArticleGraph, Extraction, Key
from kg.resolve import resolve

Found = tuple[str, str, str, str]
"""(subject label, property, object label or value, extractor) of a fact."""


def article(text: str, date: str = "2024-01-05") -> Article:
    return Article(text=text, date=dt.date.fromisoformat(date), source="<test>")


def extraction(nlp: Language, text: str, date: str = "2024-01-05") -> Extraction:
    return extract(nlp(text), article(text, date))


def graph(nlp: Language, text: str, date: str = "2024-01-05") -> ArticleGraph:
    return resolve(extraction(nlp, text, date))


def found(g: ArticleGraph, *, primary_only: bool = True) -> set[Found]:
    """Every fact of ``g`` as (subject label, property, object label or value, extractor)."""
    labels = {n.key: n.label for n in g.nodes}
    out = set()
    for f in g.facts:
        if primary_only and not f.primary:
            continue
        obj = labels.get(f.object, f.object.value) if isinstance(f.object, Key) else str(f.object.value)
        out.add((labels.get(f.subject, f.subject.value), f.predicate, str(obj), f.extractor))
    return out


def plain(g: ArticleGraph) -> set[tuple[str, str, str]]:
    """The facts of ``g`` without their extractors."""
    return {(s, p, o) for s, p, o, _ in found(g)}
