"""Candidates for a named node: the knowledge-base entities its names could stand for.

Besides the names as written, a name is tried without its honorific ("Sir John Bourn",
"DJ Casey Kasem"), with its initials spelled out ("JK Rowling" → "J. K. Rowling"), with
German umlauts as written in English ("Schroeder" → "Schröder") and in the singular
("San Bernardino Counties"). An institution many countries have ("Parliament",
"the Supreme Court", "Labour Party") is also tried with the article's country ("British
Parliament", "Parliament of the United Kingdom"). A single word that is part of the name
of a person already linked in the article ("Ford" after "Gerald Ford") has that person as
a candidate. When every mention of a name runs on into capitalised words the NER left
out ("Chicago White Sox third baseman"), the longer name is tried, and wins if known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.data import mention_words
from kg.extract.gazetteer import country_table
from kg.link.context import ArticleContext, countries_named, lexicon
from kg.link.kb import Candidate, KnowledgeBase
from kg.link.metonymy import TEAM_KEY_SUFFIX
from kg.model import Key, Node
from kg.text import fold

__all__ = ["Option", "institution", "is_team", "node_names", "options", "variants", "without_honorific"]

_SMALL = frozenset({"of", "the", "and", "for", "on", "in", "de", "la", "&"})


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate and how it was found: ``via`` is ``name`` (a name as written),
    ``honorific`` (a name without its honorific), ``variant`` (a name as `variants`
    rewrites it), ``composed`` (an institution with the
    article's country), ``person`` (a part of a linked person's name), ``team`` (a
    sports team named after the place a team node is named as) or ``extended`` (the name
    as the text goes on after every mention, "Chicago" + "White Sox"); ``name`` is the
    node's name it came from."""

    candidate: Candidate
    via: str
    name: str
    names: frozenset[str] = frozenset()
    """Every name of the node that found this entity as written."""


TEAM_WORDS = frozenset({"team", "club", "franchise", "side"})


def is_team(node: Node) -> bool:
    """A node of a place's name standing for a sports team (`kg.link.metonymy`)."""
    return node.type == "Organization" and node.key == Key.named("Organization", node.label + TEAM_KEY_SUFFIX)


def _team(candidate: Candidate) -> bool:
    words = set((candidate.entity.description or "").lower().replace(",", " ").split())
    return candidate.entity.type == "ORG" and bool(words & TEAM_WORDS)


def node_names(node: Node) -> list[str]:
    """The node's names to look up; a place named with its kind ("Los Angeles County" of
    "Los Angeles, Orange and San Bernardino Counties") is not looked up without it."""
    names = [node.label, *(a for a in node.aliases if not _kind_dropped(a, node.label))]
    return list(dict.fromkeys(n for n in names if n and len(n) > 1))


def _kind_dropped(alias: str, label: str) -> bool:
    rest = label[len(alias) :].strip().lower() if label.startswith(alias + " ") else ""
    return rest in mention_words().place_suffixes


def without_honorific(name: str) -> str | None:
    """The name without the honorifics or titles it starts with ("Sir John Bourn" → "John
    Bourn"), if it has any and two words are left."""
    words = name.split()
    honorifics = lexicon()["honorifics"]
    while len(words) > 2 and words[0].lower().rstrip(".") in honorifics:
        words = words[1:]
    return " ".join(words) if len(words) < len(name.split()) else None


def variants(name: str) -> list[str]:
    """Other spellings of a name to look up (see the module docstring), honorifics dropped."""
    out: list[str] = []
    words = (without_honorific(name) or name).split()
    spelled = [" ".join(f"{c}." for c in w) if w.isupper() and w.isalpha() and 2 <= len(w) <= 3 else w for w in words]
    if spelled != words and len(words) > 1 and not all(w.isupper() for w in words):
        out.append(" ".join(spelled))  # "JK Rowling" → "J. K. Rowling" (not "US Army")
    umlauts = [re.sub(r"(?<=\w)(?:oe|ue(?!l))(?=\w)", lambda m: m.group(0)[0], w) if len(w) >= 6 else w for w in words]
    if umlauts != words:
        out.append(" ".join(umlauts))  # "Gerhard Schroeder" → "Gerhard Schroder", which folds like "Schröder"
    if words and words[-1] in ("Counties", "Provinces", "States", "Regions", "Districts", "Cities"):
        plural = words[-1]
        singular = plural[:-3] + "y" if plural.endswith("ies") else plural[:-1]
        out.append(" ".join([*words[:-1], singular]))
    return [v for v in dict.fromkeys(out) if v != name]


def institution(name: str) -> bool:
    """A name of an institution many countries have one of, with no country in it
    ("Parliament", "the House of Commons", "Ministry of Defence", "the Conservatives")."""
    words = [w for w in fold(name).replace("’", "'").split() if w not in _SMALL]
    lex = lexicon()
    if not words or not all(w in lex["institutions"] for w in words):
        return False
    return any(w in lex["institution_heads"] for w in words) and not countries_named(name)


def _country_forms(qid: str) -> tuple[list[str], list[str]]:
    """Names and demonyms of a country of the package's country table."""
    for country in country_table().countries:
        if country.qid == qid:
            return [country.label, *country.aliases], list(country.demonyms)
    return [], []


def _composed(name: str, country: str) -> Iterator[str]:
    bare = re.sub(r"^(the|The) ", "", name)
    names, demonyms = _country_forms(country)
    for form in [*names, *demonyms]:
        yield f"{form} {bare}"
    for form in names:
        yield f"{bare} of {form}"
        yield f"{bare} of the {form}"


RANK = ("extended", "name", "honorific", "variant", "person", "composed", "team")
"""Ways of finding a candidate, best first: a QID found two ways keeps the better."""


class _Found:
    """The candidates of one node, one per QID."""

    def __init__(self) -> None:
        self.by_qid: dict[str, Option] = {}

    def add(self, candidate: Candidate, via: str, name: str) -> None:
        qid = candidate.entity.qid
        known = self.by_qid.get(qid)
        names = (known.names if known else frozenset()) | ({name} if via == "name" else set())
        if (
            known is None
            or RANK.index(via) < RANK.index(known.via)
            or (via == known.via and candidate.kind == "label" and known.candidate.kind != "label")
        ):
            self.by_qid[qid] = Option(candidate, via, name, names)
        elif names != known.names:
            self.by_qid[qid] = Option(known.candidate, known.via, known.name, names)

    def add_all(self, candidates: list[Candidate], via: str, name: str) -> None:
        for candidate in candidates:
            self.add(candidate, via, name)


def _longer(node: Node, kb: KnowledgeBase, context: ArticleContext, found: _Found) -> None:
    """Every mention of the name goes on into a longer name: the longest the base knows."""
    longer = context.continuations(node)
    if not longer:
        return
    words = longer.split()
    for n in range(len(words), len(node.label.split()), -1):
        name = " ".join(words[:n])
        hits = kb.lookup(name)
        found.add_all(hits, "extended", name)
        if hits:
            return


def options(node: Node, kb: KnowledgeBase, context: ArticleContext) -> list[Option]:
    """Every candidate of ``node`` (one per QID, the best way it was found)."""
    found = _Found()
    if is_team(node):  # "Cleveland coach": the teams named after Cleveland
        teams = [c for c in [*kb.lookup(node.label), *kb.lookup_prefix(node.label)] if _team(c)]
        found.add_all(teams, "team", node.label)
        return list(found.by_qid.values())
    _longer(node, kb, context, found)
    names = node_names(node)
    for name in names:
        found.add_all(kb.lookup(name), "name", name)
        bare = without_honorific(name)
        if bare:
            found.add_all(kb.lookup(bare), "honorific", name)
        for variant in variants(name):
            found.add_all(kb.lookup(variant), "variant", name)
    country = context.country_of_article(node.key)
    if node.type in ("Organization", "Agent", "Entity") and country and institution(node.label):
        for composed in _composed(node.label, country):
            found.add_all(kb.lookup(composed), "composed", node.label)
    for name in (n for n in names if len(n.split()) == 1):
        people = kb.get_many(sorted(context.person_parts.get(name, set()))).values()
        found.add_all([Candidate(entity, name, "alias") for entity in people], "person", name)
    return list(found.by_qid.values())
