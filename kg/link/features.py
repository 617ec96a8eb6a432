"""The evidence for one candidate of one node, as numbers, and the ranker that weighs it.

Every feature is in [0, 1]. The weights, the score of "none of them" (``nil``) and the
thresholds are data (``kg/link/ranker.json``), fitted by ``benchmarks/fit_linking.py``
on the shared entity-linking dev sets. A candidate's score is the weighted sum of its
features; the candidates of a node and NIL compete (a softmax over the scores and
``nil``), so a candidate is likely when it beats both the others and the chance that the
entity is not in the base at all. The best candidate is linked when its probability
reaches ``threshold`` and beats the second best by ``margin``.

Some evidence is not weighed but decides (`allowed`): a person is never a place nor a
place a person; a person's first name or surname alone links only to a person whose full
name the article gives, and a word of the full name of a person of the article is that
person, not a place or a company; an institution without a country in its name
("Parliament") links only to the institution of the article's country; a node with two
names of two entities ("West Bengal" and "Uttar Pradesh" merged) links to neither.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from kg.extract.gazetteer import country_table
from kg.link.candidates import Option, institution, is_team
from kg.link.context import ArticleContext, entity_countries, lexicon, words_of
from kg.link.kb import KBEntity, name_key
from kg.model import Node
from kg.ontology import is_place

__all__ = [
    "ENTITY_TYPES",
    "FEATURES",
    "NODE_FEATURES",
    "NODE_KINDS",
    "Ranker",
    "allowed",
    "features",
    "node_features",
    "node_kind",
    "type_fit",
]

ENTITY_TYPES = {
    "Person": ("PER",),
    "Organization": ("ORG",),
    "Agent": ("PER", "ORG"),
    "Country": ("LOC",),
    "City": ("LOC",),
    "AdminRegion": ("LOC",),
    "Place": ("LOC",),
    "Facility": ("LOC", "ORG"),
    "Event": ("EVENT",),
    "Position": (),
    "Entity": ("PER", "ORG", "LOC", "EVENT", "WORK", "OTHER"),
}
"""Knowledge-base types that fit a node type."""
FORBIDDEN = {
    "Person": frozenset({"LOC"}),
    "Country": frozenset({"PER"}),
    "City": frozenset({"PER"}),
    "AdminRegion": frozenset({"PER"}),
    "Place": frozenset({"PER"}),
    "Position": frozenset({"PER", "ORG", "LOC", "EVENT", "WORK", "OTHER"}),
}
"""Knowledge-base types a node type never links to, whatever else speaks for them."""
SUBTYPE_FIT = {
    "Country": {"country": 1.0, "region": 0.3, "city": 0.2, None: 0.6},
    "City": {"city": 1.0, "region": 0.6, "country": 0.2, None: 0.7},
    "AdminRegion": {"region": 1.0, "city": 0.6, "country": 0.3, None: 0.7},
    "Place": {"city": 1.0, "region": 0.85, "country": 0.8, None: 0.8},
    "Facility": {None: 0.8, "city": 0.3, "region": 0.2, "country": 0.1},
}
FEATURES = (
    "label_exact",  # a name of the node is the entity's label, as written
    "label_folded",  # ... up to case, accents and punctuation
    "alias",  # a name of the node is one of the entity's aliases
    "acronym",  # a name of the node is the initials of the entity's name
    "honorific",  # found through the name without its honorific ("Sir John Bourn" → "John Bourn")
    "variant",  # found through a rewritten name (initials spelled out, umlauts, singular)
    "concept",  # the entity's label is lower case ("Islamic state") and the name is not
    "long_name",  # the name has several words
    "type_fit",  # the entity's type fits the node's (a city for a city, ...)
    "type_other",  # the entity's type is unknown or a thing (software, a work)
    "type_mismatch",  # the entity's type is another than the node's (NER said ORG, the KB says a person)
    "popularity",
    "popularity_unknown",
    "most_popular",  # the most popular of the node's candidates
    "ambiguity",  # how many candidates the node has (log-scaled)
    "country_match",  # one of the entity's countries is one the article names
    "country_linked",  # ... or the country of an entity already linked in the article
    "country_conflict",  # the entity has countries, the article names others and not its
    "article_country",  # the entity is a country the article names
    "container_match",  # the article puts the node in a place of the entity's ("Fairfield, California")
    "container_conflict",  # ... in a place the entity is not known in
    "description_overlap",  # share of the description's words in the article
    "description_names",  # the description names another entity of the article
    "full_name_in_text",  # the entity's full (several-word) label is in the article
    "person_part",  # a single word of a person linked in the article
    "composed",  # an institution found with the article's country
    "sport_place",  # a place named in an article about sport (where places stand for teams)
    "rival_name",  # another name of the node is the label of another candidate, not of this one
    "team",  # a sports team named after the place a team node is named as ("Cleveland coach")
    "alias_part",  # matched through an alias that is a small part of the entity's name ("Reagan" of a hospital)
    "person_as_org",  # NER read a person, the entity is an organisation
    "org_as_person",  # NER read an organisation (or a place), the entity is a person
    "kind_region",  # the article calls the place a province, state, region or county, and the entity is one
    "kind_city",  # the article calls the place a city or town, and the entity is one
    "popularity_lead",  # how much more popular than the next candidate (0 when not the most popular)
    "only_fit",  # the only candidate whose type fits the node's exactly
    "extended",  # the text goes on from the name into this entity's longer name ("Chicago White Sox")
    "institution_country",  # an institution without a country in its name, of the article's country
    "popular_exact",  # the popularity of an entity whose label is the name and whose type fits
)
REGION_WORDS = frozenset({"province", "provinces", "state", "states", "region", "regions", "county", "counties",
                          "governorate", "prefecture", "district", "oblast", "department"})  # fmt: skip
CITY_WORDS = frozenset({"city", "cities", "town", "towns", "village", "capital", "mayor", "downtown", "suburb"})


def type_fit(node: Node, etype: str, subtype: str | None) -> float:
    """How well a knowledge-base type fits a node's type (1: exactly, 0: not at all)."""
    allowed_types = ENTITY_TYPES.get(node.type, ())
    if etype in allowed_types:
        fit = SUBTYPE_FIT.get(node.type)
        return fit.get(subtype, fit[None]) if fit else 1.0
    if etype in ("OTHER", "WORK"):
        return 0.45  # a class the base does not map, or a work: possible, not supported
    if {node.type, etype} <= {"Organization", "ORG", "LOC"} or (node.type in SUBTYPE_FIT and etype == "ORG"):
        return 0.3  # organisations and places are often confused by NER ("Iran said")
    return 0.0


def _proper(label: str) -> bool:
    words = [w for w in label.replace("-", " ").split() if w[:1].isalpha() and w.lower() not in ("of", "the", "and")]
    return bool(words) and all(w[0].isupper() for w in words)


def _inside(entity: KBEntity, countries: frozenset[str], place: str, linked: str | None) -> bool | None:
    """Whether the entity lies in the place the article puts it in ("Fairfield, Calif."):
    True, False, or None when nothing about the entity says."""
    if linked is not None and linked in (entity.located_in, entity.country):
        return True
    country = country_table().lookup(place)
    if country is not None and country.qid:
        return country.qid in countries if countries else None
    name = lexicon()["state_abbreviations"].get(place, place).lower()
    description = (entity.description or "").lower()
    if name in description:
        return True
    if entity.located_in is not None and linked is not None:
        return False
    return False if description else None


def _concept(option: Option, name: str) -> bool:
    """A lower-case label ("Islamic state", "parliament") matched by a proper name."""
    matched = option.candidate.matched
    return not _proper(matched) and _proper(name) and name_key(matched) == name_key(name)


def rivals(node: Node, option: Option, others: list[Option]) -> set[str]:
    """Names of the node that are the labels of other candidates fitting its type, and not
    names this candidate has."""
    return {
        o.candidate.entity.label
        for o in others
        if o is not option
        and o.candidate.entity.label in o.names - option.names
        and type_fit(node, o.candidate.entity.type, None) > 0.5
    }


def allowed(node: Node, option: Option, others: list[Option], context: ArticleContext) -> bool:
    """The rules that decide rather than weigh (see the module docstring)."""
    entity = option.candidate.entity
    if entity.type in FORBIDDEN.get(node.type, ()) or (is_team(node) and option.via != "team"):
        return False
    if any(len(o.split()) > 1 for o in rivals(node, option, others)):
        return False  # "West Bengal" and "Uttar Pradesh" in one node: two places, so neither
    single = len(option.name.split()) == 1
    if single and entity.type != "PER" and option.name in context.person_words:
        return False  # "Soleimani" after "Qasem Soleimani" is the man, not a village
    partial = entity.type == "PER" and single and len(entity.label.split()) > 1
    if partial and not (option.via == "person" or context.in_text(entity.label)):
        return False  # "Leigh", "Kennedy": only the person whose full name the article gives
    if option.via != "extended" and any(o.via == "extended" for o in others):
        return False  # "Chicago" of "Chicago White Sox": the longer name, not the city
    if option.via == "composed":
        return True
    if institution(option.name) and entity.type == "ORG":
        country = context.country_of_article(node.key)
        if country is None or country not in entity_countries(entity):
            return False  # "Parliament" with no country, or another country's
    return True


def features(node: Node, option: Option, others: list[Option], context: ArticleContext) -> dict[str, float]:
    """The evidence for ``option`` among the node's ``others`` (see `FEATURES`)."""
    candidate, entity = option.candidate, option.candidate.entity
    name = option.name
    x = dict.fromkeys(FEATURES, 0.0)
    if candidate.kind == "acronym":
        x["acronym"] = 1.0
    elif candidate.kind == "label":
        x["label_exact" if candidate.matched == name else "label_folded"] = 1.0
    else:
        x["alias"] = 1.0
    x["honorific"] = float(option.via == "honorific")
    x["variant"] = float(option.via == "variant")
    x["concept"] = float(
        not _proper(candidate.matched) and _proper(name) and name_key(candidate.matched) == name_key(name)
    )
    x["long_name"] = float(len(name.split()) > 1)
    fit = type_fit(node, entity.type, entity.subtype)
    x["type_fit"] = fit
    x["type_other"] = float(entity.type in ("OTHER", "WORK"))
    mismatch = fit == 0.0 and entity.type not in ("OTHER", "WORK")
    x["person_as_org"] = float(mismatch and node.type == "Person" and entity.type == "ORG")
    x["org_as_person"] = float(mismatch and entity.type == "PER")
    x["type_mismatch"] = float(mismatch and not x["person_as_org"] and not x["org_as_person"])
    label_words = len(entity.label.split())
    if candidate.kind == "alias" and label_words >= 3 and len(candidate.matched.split()) * 3 <= label_words:
        x["alias_part"] = 1.0
    popularity = entity.popularity
    x["popularity"] = popularity or 0.0
    x["popularity_unknown"] = float(popularity is None)
    rivals_of_note = [o for o in others if o is not option and not _concept(o, name)]
    runner_up = max(((o.candidate.entity.popularity or 0.0) for o in rivals_of_note), default=0.0)
    x["most_popular"] = float(popularity is not None and popularity >= runner_up)
    x["popularity_lead"] = max(0.0, min(1.0, (popularity or 0.0) - runner_up))
    x["ambiguity"] = min(1.0, math.log1p(len(others) - 1) / math.log1p(30))
    countries = entity_countries(entity)
    named = set(context.countries)
    if countries & named:
        x["country_match"] = 1.0
    elif countries & context.linked_countries:
        x["country_linked"] = 1.0
    elif countries and named and entity.subtype != "country":
        x["country_conflict"] = 1.0
    x["article_country"] = float(entity.qid in named)
    containers = context.containers.get(node.key, set()) if entity.type == "LOC" else set()
    if containers:
        verdict = [_inside(entity, countries, place, context.linked.get(key)) for place, key in containers]
        if True in verdict:
            x["container_match"] = 1.0
        elif False in verdict:
            x["container_conflict"] = 1.0
    if entity.description:
        words = words_of(entity.description)
        if words:
            x["description_overlap"] = min(1.0, 1.5 * len(words & context.words) / len(words))
        lowered = entity.description.lower()
        x["description_names"] = float(any(len(n) > 3 and n in lowered for n in context.names if n != name.lower()))
    x["full_name_in_text"] = float(len(entity.label.split()) > 1 and context.in_text(entity.label))
    x["person_part"] = float(option.via == "person")
    x["composed"] = float(option.via == "composed")
    x["sport_place"] = context.sport if entity.type == "LOC" and entity.subtype != "country" else 0.0
    x["team"] = float(option.via == "team")
    near = context.near_words(node)
    x["kind_region"] = float(entity.subtype == "region" and bool(near & REGION_WORDS))
    x["kind_city"] = float(entity.subtype == "city" and bool(near & CITY_WORDS))
    x["rival_name"] = float(bool(rivals(node, option, others)))
    x["only_fit"] = float(
        fit == 1.0
        and all(
            type_fit(node, o.candidate.entity.type, o.candidate.entity.subtype) < 1.0 for o in others if o is not option
        )
    )
    x["extended"] = float(option.via == "extended")
    if (x["label_exact"] or x["label_folded"]) and fit >= 0.8:
        x["popular_exact"] = popularity or 0.0
    if entity.type == "ORG" and institution(node.label):
        country = context.country_of_article(node.key)
        x["institution_country"] = float(country is not None and country in countries)
    return x


NODE_KINDS = ("place", "person", "organization", "other")


def node_kind(node: Node) -> str:
    """The kind of node a threshold is set for."""
    if is_place(node.type):
        return "place"
    return {"Person": "person", "Organization": "organization"}.get(node.type, "other")


NODE_FEATURES = (
    "place",
    "person",
    "organization",
    "single_word",
    "mentioned_often",
    "article_has_country",
    "popular_namesake",
)
"""What NIL's score depends on: the kind of node, and how much the article says of it."""


def node_features(node: Node, context: ArticleContext, found: Sequence[Option] = ()) -> dict[str, float]:
    """The evidence on whether the node's entity is in the base at all (NIL's side);
    ``popular_namesake`` is the popularity of the most popular candidate whose label is the
    name and whose type fits."""
    namesakes = [
        o.candidate.entity.popularity or 0.0
        for o in found
        if o.candidate.kind == "label" and type_fit(node, o.candidate.entity.type, o.candidate.entity.subtype) >= 0.8
    ]
    return {
        "popular_namesake": max(namesakes, default=0.0),
        "place": float(is_place(node.type)),
        "person": float(node.type == "Person"),
        "organization": float(node.type == "Organization"),
        "single_word": float(len(node.label.split()) == 1),
        "mentioned_often": min(1.0, math.log1p(len(node.mentions)) / math.log1p(5)),
        "article_has_country": float(bool(context.countries)),
    }


@dataclass(frozen=True, slots=True)
class Ranker:
    """Weights of `FEATURES`, the score of NIL, the probability a link needs
    (``threshold``) and how far it must lead the second candidate (``margin``)."""

    weights: dict[str, float]
    nil: float
    threshold: float
    margin: float
    nil_weights: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    """Per kind of node (`node_kind`), where it differs from ``threshold``."""

    def threshold_for(self, node: Node) -> float:
        return self.thresholds.get(node_kind(node), self.threshold)

    @classmethod
    @functools.cache
    def default(cls) -> Ranker:
        """The fitted ranker the package ships (``kg/link/ranker.json``)."""
        raw = json.loads(resources.files("kg.link").joinpath("ranker.json").read_text(encoding="utf-8"))
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw: dict[str, object]) -> Ranker:
        weights = raw["weights"]
        assert isinstance(weights, dict)
        return cls(
            weights={k: float(weights.get(k, 0.0)) for k in FEATURES},
            nil=float(raw["nil"]),  # type: ignore[arg-type]
            threshold=float(raw["threshold"]),  # type: ignore[arg-type]
            margin=float(raw["margin"]),  # type: ignore[arg-type]
            nil_weights={k: float(v) for k, v in dict(raw.get("nil_weights") or {}).items()},  # type: ignore[call-overload]
            thresholds={k: float(v) for k, v in dict(raw.get("thresholds") or {}).items()},  # type: ignore[call-overload]
        )

    def score(self, x: dict[str, float]) -> float:
        return sum(self.weights[k] * v for k, v in x.items() if v)

    def probabilities(self, xs: list[dict[str, float]], node: dict[str, float] | None = None) -> list[float]:
        """The probability of each candidate, the rest going to NIL (whose score is ``nil``
        plus the weighted `node_features`)."""
        nil = self.nil + sum(self.nil_weights.get(k, 0.0) * v for k, v in (node or {}).items())
        scores = [self.score(x) for x in xs]
        top = max([nil, *scores])
        exps = [math.exp(z - top) for z in scores]
        total = math.exp(nil - top) + sum(exps)
        return [e / total for e in exps]
