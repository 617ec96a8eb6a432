"""Every IRI `kg` mints is minted here.

Entities that are linked get ``<base>entity/<QID>`` (plus ``owl:sameAs wd:<QID>``);
named entities without a QID get ``<base>entity/<type>/<slug>``, stable across runs and
articles; unnamed entities and events are scoped to their article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

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

KG = Namespace("https://kg.example.org/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
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

    def node(self, article_id: str, key: str) -> URIRef:
        """The IRI of a resolved node from its key (see `kg.model.Node`)."""
        kind, _, rest = key.partition(":")
        if kind == "wd" and _QID.match(rest):
            return URIRef(f"{self.base}entity/{rest}")
        if kind == "concept":
            return KG[rest]
        if kind == "local":
            return URIRef(f"{self.article(article_id)}/entity/{rest}")
        if kind == "event":
            return URIRef(f"{self.article(article_id)}/event/{rest}")
        return URIRef(f"{self.base}entity/{kind.lower()}/{_slug(rest)}")

    def fact(self, article_id: str, *parts: object) -> URIRef:
        digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
        return URIRef(f"{self.article(article_id)}/fact/{digest}")

    def wikidata_graph(self) -> URIRef:
        """The named graph of facts taken from Wikidata (`kg enrich`), apart from articles."""
        return URIRef(f"{self.base}graph/wikidata")

    @staticmethod
    def wikidata(qid: str) -> URIRef:
        if not _QID.match(qid):
            raise ValueError(f"not a Wikidata item id: {qid!r}")
        return WD[qid]
