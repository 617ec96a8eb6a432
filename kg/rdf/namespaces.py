"""Every IRI `kg` mints is minted here, from typed identities (`kg.model.Key`).

Entities that are linked get ``<base>entity/<QID>`` (plus ``owl:sameAs wd:<QID>``);
named entities without a QID get ``<base>entity/<type>/<slug>``, stable across runs and
articles; unnamed entities and events are scoped to their article, whose IRI is
``<base>article/<hash of its source>``. The entity layer (each entity's description,
and the facts between entities) is the named graph ``<base>graph/entities``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.model import Key, Scope

__all__ = [
    "DCTERMS",
    "ITSRDF",
    "KG",
    "NIF",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "WD",
    "WDT",
    "XSD",
    "Minter",
    "prefixes",
]


class _Namespace(Namespace):
    """A namespace that makes each of its terms once: rdflib's checks and builds a new
    `URIRef` on every ``KG.confidence`` or ``KG["Person"]``, a tenth of writing an article."""

    def term(self, name: str) -> URIRef:
        made: dict[str, URIRef] = self.__dict__.setdefault("_made", {})
        found = made.get(name)
        if found is None:
            found = made[name] = super().term(name)
        return found

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle
            raise AttributeError(name)
        found = self.__dict__[name] = self.term(name)  # read as an attribute from now on
        return found


KG = _Namespace("https://kg.example.org/ontology#")
NIF = _Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = _Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SCHEMA = Namespace("https://schema.org/")

_QID = re.compile(r"^Q[1-9]\d*$")
_ARTICLE_ID = re.compile(r"^[0-9a-f]{8,64}$")


def prefixes(base: str) -> dict[str, str]:
    """Prefix → namespace for serialisation and for queries."""
    return {
        "kg": str(KG),
        "kgr": base,
        "ent": f"{base}entity/",
        "art": f"{base}article/",
        "nif": str(NIF),
        "itsrdf": str(ITSRDF),
        "wd": str(WD),
        "wdt": str(WDT),
        "schema": str(SCHEMA),
        "dcterms": str(DCTERMS),
        "prov": str(PROV),
        "skos": str(SKOS),
        "owl": str(OWL),
        "rdfs": str(RDFS),
        "rdf": str(RDF),
        "xsd": str(XSD),
    }


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug or slug != re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-"):
        # non-Latin or accented names: keep them distinct with a short hash
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug[:80]


class Minter:
    """Mints IRIs under one base IRI (``Settings.base_iri``)."""

    def __init__(self, base: str) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def article(self, article_id: str) -> URIRef:
        if not _ARTICLE_ID.match(article_id):
            raise ValueError(f"not an article id: {article_id!r}")
        return URIRef(f"{self.base}article/{article_id}")

    def span(self, article_id: str, start: int, end: int) -> URIRef:
        """A NIF string (sentence or mention) by its character offsets."""
        return URIRef(f"{self.article(article_id)}#char={start},{end}")

    def node(self, article_id: str, key: Key) -> URIRef:
        """The IRI of a node from its key: one across the store for linked and named
        entities, inside the article for unnamed entities and events."""
        if key.scope is Scope.WIKIDATA:
            return URIRef(f"{self.base}entity/{key.value}")
        if key.scope is Scope.NAME:
            return self.name_node(key)
        if key.scope is Scope.CONCEPT:
            return KG[key.value]
        if key.scope is Scope.LOCAL:
            return URIRef(f"{self.article(article_id)}/entity/{key.value}")
        return URIRef(f"{self.article(article_id)}/event/{key.value}")

    def name_node(self, key: Key) -> URIRef:
        """The IRI a named entity has while no article links its name to Wikidata."""
        if key.scope is not Scope.NAME:
            raise ValueError(f"not a name key: {key}")
        name = f"{key.value}@{key.within}" if key.within else key.value
        return URIRef(f"{self.base}entity/{key.type.lower()}/{_slug(name)}")

    def reference(self, article_id: str, key: Key) -> URIRef:
        """The node holding what one article says of one entity (its `kg:Reference`)."""
        digest = hashlib.sha1(str(key).encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.article(article_id)}/ref/{digest}")

    def fact(self, article_id: str, *parts: object) -> URIRef:
        """A fact node, named by a hash of what it states in the article's own terms."""
        digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.article(article_id)}/fact/{digest}")

    def entities_graph(self) -> URIRef:
        """The entity layer: every entity described once, and the facts between entities."""
        return URIRef(f"{self.base}graph/entities")

    def wikidata_graph(self) -> URIRef:
        """The named graph of facts taken from Wikidata (`kg enrich`), apart from articles."""
        return URIRef(f"{self.base}graph/wikidata")

    def in_article(self, iri: object) -> bool:
        """Whether ``iri`` belongs to one article (its graph, nodes, mentions and facts)."""
        return isinstance(iri, URIRef) and str(iri).startswith(f"{self.base}article/")

    def is_article(self, iri: object) -> bool:
        """Whether ``iri`` names an article (and its graph)."""
        text = str(iri)
        prefix = f"{self.base}article/"
        return isinstance(iri, URIRef) and text.startswith(prefix) and bool(_ARTICLE_ID.match(text[len(prefix) :]))

    @staticmethod
    def wikidata(qid: str) -> URIRef:
        if not _QID.match(qid):
            raise ValueError(f"not a Wikidata item id: {qid!r}")
        return WD[qid]
