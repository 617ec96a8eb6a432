"""What an article says around its entities, as the linker weighs it.

The countries it names (and how often), the country it is mostly about, its content
words, the names of its entities, the containers its own facts give a place ("Fairfield,
California"), the entities linked so far and their countries. And, for a knowledge-base
entity, the countries it belongs to: its P17/P27 (``country``), else the countries its
label, aliases or description name ("British broadcaster", "lower house of the
Parliament of Canada").
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from kg.extract.gazetteer import country_table
from kg.link.kb import KBEntity
from kg.model import ArticleGraph, Key, Mention, Node
from kg.text import fold

__all__ = ["STOPWORDS", "ArticleContext", "countries_named", "lexicon", "words_of"]

STOPWORDS = frozenset(
    "a an the of in on at to for and or by with from as is was are were be been its it his her their this that "
    "which who whom said says after before into over under about also than more most other new one two has have "
    "had not but all any can will would could may might".split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
_CAPITALISED_RUN = re.compile(r"(?: [A-Z][\w.&'’-]*){1,3}")


@functools.cache
def lexicon() -> dict[str, Any]:
    """``kg/link/lexicon.json``: word lists as frozensets, mappings as dicts."""
    raw = json.loads(resources.files("kg.link").joinpath("lexicon.json").read_text(encoding="utf-8"))
    return {k: dict(v) if isinstance(v, dict) else frozenset(v) for k, v in raw.items() if not k.startswith("_")}


def words_of(text: str) -> set[str]:
    """Content words of a text, lower case."""
    return {w for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


@functools.cache
def _country_index() -> tuple[dict[tuple[str, ...], str], int]:
    """Token tuples of country names and demonyms → country QID, and the longest name."""
    index: dict[tuple[str, ...], str] = {}
    for country in country_table().countries:
        if not country.qid:
            continue
        for name in (country.label, *country.aliases, *country.demonyms):
            tokens = tuple(fold(name).replace(".", "").split())
            if tokens and (len(tokens) > 1 or len(tokens[0]) > 2):  # not "US" (the pronoun) in lower case
                index.setdefault(tokens, country.qid)
    return index, max(len(k) for k in index)


@functools.lru_cache(maxsize=200_000)
def countries_named(text: str) -> frozenset[str]:
    """QIDs of the countries a short text names or qualifies ("American actor", "city in
    Kerman Province, Iran", "Parliament of the United Kingdom")."""
    index, longest = _country_index()
    tokens = [t.rstrip(".") for t in fold(text).replace("’", "'").split()]
    tokens = [re.sub(r"('s|')$", "", re.sub(r"^[^\w]+|[^\w.']+$", "", t)) for t in tokens]
    found = set()
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            qid = index.get(tuple(tokens[i : i + n]))
            if qid:
                found.add(qid)
                i += n - 1
                break
        i += 1
    return frozenset(found)


def entity_countries(entity: KBEntity, aliases: tuple[str, ...] = ()) -> frozenset[str]:
    """The countries of a knowledge-base entity: its own country, else those its names
    and description name. A country is its own country."""
    if entity.subtype == "country":
        return frozenset({entity.qid})
    if entity.country:
        return frozenset({entity.country})
    named = countries_named(entity.label)
    for alias in aliases:
        named |= countries_named(alias)
    if entity.description:
        named |= countries_named(entity.description)
    return named


@dataclass
class ArticleContext:
    """The article's side of the evidence (see the module docstring).

    Attributes:
        countries: country QID → how many mentions the article makes of it.
        dominant: the country with at least half of those mentions (and two), if any.
        containers: node key → (name, key) of the places the article's facts put it in.
        person_parts: a word of a person's name → the QIDs of the linked people with it.
        person_words: the words of the full names of the article's people ("Qasem
            Soleimani" → "Qasem", "Soleimani"): alone, such a word is that person.
    """

    text: str
    words: set[str]
    names: set[str]
    countries: Counter[str]
    dominant: str | None
    containers: dict[Key, set[tuple[str, Key]]]
    sport: float
    mentions: tuple[Mention, ...] = ()
    linked: dict[Key, str] = field(default_factory=dict)
    linked_countries: set[str] = field(default_factory=set)
    person_parts: dict[str, set[str]] = field(default_factory=dict)
    person_words: frozenset[str] = frozenset()
    _near: dict[Key, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: ArticleGraph) -> ArticleContext:
        countries: Counter[str] = Counter()
        for node in graph.nodes:
            if node.type == "Country" and node.qid:
                countries[node.qid] += max(1, len(node.mentions))
        total = sum(countries.values())
        top = countries.most_common(2)
        dominant = None
        if top and top[0][1] >= 2 and top[0][1] * 2 >= total and (len(top) == 1 or top[1][1] < top[0][1]):
            dominant = top[0][0]
        label_of = {n.key: n.label for n in graph.nodes}
        containers: dict[Key, set[tuple[str, Key]]] = {}
        for f in graph.facts:
            if f.predicate in ("locatedIn", "country") and f.primary and isinstance(f.object, Key):
                name = label_of.get(f.object)
                if name:
                    containers.setdefault(f.subject, set()).add((name, f.object))
        words = words_of(graph.article.text)
        sport_words = lexicon()["sport_words"]
        sport = min(1.0, len(words & sport_words) / 3)
        names = {fold(n) for node in graph.nodes if node.kind == "entity" for n in (node.label, *node.aliases)}
        linked = {n.key: n.qid for n in graph.nodes if n.qid}
        person_words = frozenset(
            word
            for n in graph.nodes
            if n.kind == "entity" and n.type == "Person" and n.name_key is not None and len(n.label.split()) > 1
            for word in _TOKEN.findall(n.label)  # of named people only: "Labour officials" is no name
            if len(word) > 2 and word[0].isupper()
        )
        return cls(
            text=graph.article.text,
            words=words,
            names=names,
            countries=countries,
            dominant=dominant,
            containers=containers,
            sport=sport,
            mentions=graph.mentions,
            linked=linked,
            linked_countries=set(countries),
            person_words=person_words,
        )

    def near_words(self, node: Node) -> frozenset[str]:
        """Lower-case words within three words of the node's mentions ("the provinces of
        Cordoba and Santa Fe", "Kerman province")."""
        cached = self._near.get(node.key)
        if cached is not None:
            return cached
        words: set[str] = set()
        for mid in node.mentions:
            mention = self.mentions[mid]
            before = self.text[max(0, mention.start - 40) : mention.start].lower().split()[-3:]
            after = self.text[mention.end : mention.end + 40].lower().split()[:3]
            words |= {w.strip(".,;:()'\"") for w in [*before, *after]}
        out = frozenset(words)
        self._near[node.key] = out
        return out

    def continuations(self, node: Node) -> str | None:
        """The longer name every mention of the node runs on into, if they all run on into
        the same capitalised words ("Chicago" in "Chicago White Sox third baseman")."""
        found = set()
        for mid in node.mentions:
            mention = self.mentions[mid]
            if mention.kind != "name":
                continue
            more = _CAPITALISED_RUN.match(self.text, mention.end)
            if not more:
                return None
            found.add(mention.text + more.group(0))
        return next(iter(found)) if len(found) == 1 else None

    def in_text(self, name: str) -> bool:
        """Whether ``name`` occurs in the article as written, as whole words."""
        if not name:
            return False
        text, at = self.text, self.text.find(name)
        while at >= 0:  # str.find, not a regular expression compiled anew for every name
            end = at + len(name)
            if not (at > 0 and _word_char(text[at - 1])) and not (end < len(text) and _word_char(text[end])):
                return True
            at = text.find(name, at + 1)
        return False

    def country_of_article(self, key: Key | None = None) -> str | None:
        """The country an unqualified institution of the article belongs to: the one the
        article's facts give it, else the article's dominant country, else its only one."""
        if key is not None and key.within.startswith("Q"):
            return key.within
        if self.dominant:
            return self.dominant
        if len(self.countries) == 1:
            return next(iter(self.countries))
        return None

    def remember(self, key: Key, entity: KBEntity, countries: frozenset[str]) -> None:
        """An entity linked in the first pass becomes context for the second."""
        self.linked[key] = entity.qid
        self.linked_countries |= countries
        if entity.type == "PER":
            for word in _TOKEN.findall(entity.label):
                if len(word) > 1 and word[0].isupper():
                    self.person_parts.setdefault(word, set()).add(entity.qid)


def _word_char(ch: str) -> bool:
    """What ``\\w`` matches: a letter, a digit or an underscore."""
    return ch.isalnum() or ch == "_"
