"""An `ArticleGraph` as RDF, following the model of DESIGN.md. No I/O here.

Per article, one named graph (its IRI is the article's) holding:

- the article (``kg:Article``, ``nif:Context`` with its text, title, date, source, the
  digest of its text);
- its sentences and mentions as NIF strings with character offsets, each mention
  pointing at its node with ``itsrdf:taIdentRef``, and the head word of a mention of a
  kind of person at the Wikidata item of that kind with ``itsrdf:taClassRef``
  (`kg.link.concepts`);
- events and unnamed entities, which belong to the article, with their label and type;
- for each entity that is one across the store (linked or named), a `kg:Reference`: the
  name, type and aliases this article gives it and the Wikidata item it linked it to.
  The entity's own description (``rdfs:label``, ``rdf:type``, ``skos:altLabel``,
  ``owl:sameAs``) is decided from all its references and written once, in the entity
  graph (`kg.rdf.entities`, `kg.corpus`), so queries never see it once per article;
- every fact as a ``kg:Fact`` node with confidence, extractor, sentence, attribution and
  hedging, plus the plain triple for easy queries. A plain triple between entities of
  the store goes to the entity graph, once however many articles state it; one that
  involves an event or an unnamed entity stays in the article graph.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node as RDFNode

from kg.model import Article, ArticleGraph, Fact, Key, Node, Passage, Quantity, TimeOfDay, TimeValue
from kg.rdf.entities import Reference, reference_triples
from kg.rdf.namespaces import DCTERMS, ITSRDF, KG, NIF, OWL, PROV, RDF, RDFS, SKOS, XSD, Minter


@functools.lru_cache(maxsize=4096, typed=True)
def _word(value: str | bool) -> Literal:
    """A literal of a value many facts share (a flag, an extractor, a mention kind), made once."""
    return Literal(value)


@functools.lru_cache(maxsize=4096, typed=True)
def _decimal(value: float) -> Literal:
    """A confidence or a score as an ``xsd:decimal``, made once a value."""
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


__all__ = ["ArticleRDF", "Triple", "article_rdf"]

Triple = tuple[RDFNode, RDFNode, RDFNode]

TIME_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


@dataclass(frozen=True, slots=True)
class ArticleRDF:
    """One article's named graph and the references it makes to the store's entities.

    ``triples`` name entities by the article's own IRIs for them (the QID IRI when this
    article linked the entity, else the IRI of its name); the store may map a name to
    the entity another article linked it to (`kg.corpus`).
    """

    article: Article
    graph: URIRef
    triples: tuple[Triple, ...]
    references: tuple[Reference, ...]


def _value(value: Quantity | TimeValue | TimeOfDay) -> Literal:
    if isinstance(value, Quantity):
        if isinstance(value.value, int):
            return Literal(value.value, datatype=XSD.integer)
        return Literal(Decimal(str(value.value)), datatype=XSD.decimal)
    if isinstance(value, TimeOfDay):
        return Literal(value.value, datatype=XSD.time)
    if value.precision in TIME_TYPES:
        return Literal(value.value, datatype=TIME_TYPES[value.precision])
    return Literal(value.text)


def _passage(passage: Passage, aid: str, minter: Minter, article: URIRef) -> tuple[URIRef, list[Triple]]:
    """A passage of the article as a NIF string: its text, offsets, and whether it is quoted."""
    p = minter.span(aid, passage.start, passage.end)
    return p, [
        (p, RDF.type, NIF.String),
        (p, NIF.anchorOf, Literal(passage.text)),
        (p, NIF.beginIndex, Literal(passage.start, datatype=XSD.nonNegativeInteger)),
        (p, NIF.endIndex, Literal(passage.end, datatype=XSD.nonNegativeInteger)),
        (p, NIF.referenceContext, article),
        (p, KG.direct, _word(passage.direct)),
    ]


def _article_triples(article: Article, a: URIRef) -> list[Triple]:
    out: list[Triple] = [
        (a, RDF.type, KG.Article),
        (a, RDF.type, NIF.Context),
        (a, NIF.isString, Literal(article.text)),
        (a, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)),
        (a, NIF.endIndex, Literal(len(article.text), datatype=XSD.nonNegativeInteger)),
        (a, DCTERMS.identifier, Literal(article.origin)),
        (a, KG.textDigest, Literal(article.digest)),
    ]
    if article.title:
        out.append((a, DCTERMS.title, Literal(article.title)))
    if article.date:
        out.append((a, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.url:
        out.append((a, DCTERMS.source, Literal(article.url, datatype=XSD.anyURI)))
    if article.source_id:
        out.append((a, KG.sourceId, Literal(article.source_id)))
    if article.source:
        out.append((a, KG.sourceLocation, Literal(article.source)))
    return out


def article_rdf(graph: ArticleGraph, *, minter: Minter) -> ArticleRDF:
    """The named graph of one article, and its references to the store's entities."""
    article = graph.article
    aid = article.id
    a = minter.article(aid)
    out = _article_triples(article, a)

    node_iri = {n.key: minter.node(aid, n.key) for n in graph.nodes}
    link_scores = {n.key: n.link_score for n in graph.nodes if n.qid and n.link_score is not None}
    sentences_used: set[int] = {f.sentence for f in graph.facts}
    sentences_used |= {
        min((graph.mentions[m] for m in n.mentions), key=lambda m: m.start).sentence
        for n in graph.nodes
        if n.qid and n.mentions
    }

    references: list[Reference] = []
    for node in graph.nodes:
        iri = node_iri[node.key]
        out.append((iri, KG.mentionedIn, a))
        if node.key.in_corpus:
            reference = Reference(
                iri=minter.reference(aid, node.key),
                node=iri,
                name_node=minter.name_node(node.name_key or Key.named(node.type, node.label)),
                qid=node.qid,
                label=node.label,
                type=node.type,
                aliases=node.aliases,
            )
            references.append(reference)
            out += reference_triples(reference)
        else:
            out.append((iri, RDF.type, KG[node.type]))
            out.append((iri, RDFS.label, Literal(node.label)))
            out += [(iri, SKOS.altLabel, Literal(alias)) for alias in node.aliases]
        if node.qid:
            out += _link_triples(node, iri, graph, minter, a)

    for mention in graph.mentions:
        key = graph.mention_node.get(mention.id)
        concept = graph.concepts.get(mention.id)
        if key is None and concept is None:
            continue
        sentences_used.add(mention.sentence)
        s = minter.span(aid, graph.sentences[mention.sentence].start, graph.sentences[mention.sentence].end)
        if key is not None:
            m = minter.span(aid, mention.start, mention.end)
            out += _phrase(m, mention.text, mention.start, mention.end, a, s)
            out += [(m, ITSRDF.taIdentRef, node_iri[key]), (m, KG.mentionKind, _word(mention.kind))]
            score = link_scores.get(key)
            if score is not None:
                out.append((m, ITSRDF.taConfidence, _decimal(score)))
        if concept is not None:  # the kind the head word names: "lawyer" of "a family lawyer"
            start, end = mention.head_span
            h = minter.span(aid, start, end)
            if (start, end) != (mention.start, mention.end) or key is None:
                out += _phrase(h, graph.article.text[start:end], start, end, a, s)
                out.append((h, KG.mentionKind, _word(mention.kind)))
            out.append((h, ITSRDF.taClassRef, minter.wikidata(concept)))

    for index in sorted(sentences_used):
        sentence = graph.sentences[index]
        s = minter.span(aid, sentence.start, sentence.end)
        out += [
            (s, RDF.type, NIF.Sentence),
            (s, NIF.anchorOf, Literal(sentence.text)),
            (s, NIF.beginIndex, Literal(sentence.start, datatype=XSD.nonNegativeInteger)),
            (s, NIF.endIndex, Literal(sentence.end, datatype=XSD.nonNegativeInteger)),
            (s, NIF.referenceContext, a),
        ]

    for fact in graph.facts:
        out += _fact_triples(fact, graph, minter, node_iri, a)
    return ArticleRDF(article=article, graph=a, triples=tuple(dict.fromkeys(out)), references=tuple(references))


def _phrase(m: URIRef, anchor: str, start: int, end: int, article: URIRef, sentence: URIRef) -> list[Triple]:
    """A NIF phrase of the article's text: ``anchor`` at ``[start, end)``."""
    return [
        (m, RDF.type, NIF.Phrase),
        (m, NIF.anchorOf, Literal(anchor)),
        (m, NIF.beginIndex, Literal(start, datatype=XSD.nonNegativeInteger)),
        (m, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)),
        (m, NIF.referenceContext, article),
        (m, NIF.sentence, sentence),
    ]


def _plain(subject: URIRef, predicate: URIRef, obj: RDFNode, minter: Minter) -> list[Triple]:
    """The plain triple of a primary fact, unless it is one between entities of the
    store: that one is the entity graph's, derived from the fact node."""
    if not minter.in_article(subject) and not minter.in_article(obj):
        return []
    return [(subject, predicate, obj)]


def _link_triples(node: Node, iri: URIRef, graph: ArticleGraph, minter: Minter, article: URIRef) -> list[Triple]:
    """The provenance of ``owl:sameAs wd:Q…``, like every fact: score, linker, sentence."""
    assert node.qid is not None
    wd = minter.wikidata(node.qid)
    first = min((graph.mentions[m] for m in node.mentions), key=lambda m: m.start, default=None)
    if first is None:
        return _plain(iri, OWL.sameAs, wd, minter)
    sentence = graph.sentences[first.sentence]
    f = minter.fact(graph.article.id, node.key, "sameAs", node.qid, node.link_source)
    return [
        *_plain(iri, OWL.sameAs, wd, minter),
        (f, RDF.type, KG.Fact),
        (f, RDF.subject, iri),
        (f, RDF.predicate, OWL.sameAs),
        (f, RDF.object, wd),
        (
            f,
            KG.confidence,
            _decimal(node.link_score if node.link_score is not None else 1.0),
        ),
        (f, KG.extractor, _word(f"link.{node.link_source or 'unknown'}")),
        (f, KG.sentence, minter.span(graph.article.id, sentence.start, sentence.end)),
        (f, KG.hedged, _word(False)),
        (f, KG.primary, _word(True)),
        (f, PROV.wasDerivedFrom, article),
    ]


def _fact_triples(
    fact: Fact, graph: ArticleGraph, minter: Minter, node_iri: dict[Key, URIRef], article: URIRef
) -> list[Triple]:
    aid = graph.article.id
    subject = node_iri.get(fact.subject)
    if subject is None:
        return []
    found = _object(fact, aid, minter, node_iri, article)
    if found is None:
        return []
    predicate, obj, out = found
    sentence = graph.sentences[fact.sentence]
    f = minter.fact(aid, fact.subject, fact.predicate, obj, fact.sentence, fact.extractor, fact.speaker)
    if fact.primary:
        out += _plain(subject, predicate, obj, minter)
    out += [
        (f, RDF.type, KG.Fact),
        (f, RDF.subject, subject),
        (f, RDF.predicate, predicate),
        (f, RDF.object, obj),
        (f, KG.confidence, _decimal(fact.confidence)),
        (f, KG.extractor, _word(fact.extractor)),
        (f, KG.sentence, minter.span(aid, sentence.start, sentence.end)),
        (f, KG.hedged, _word(fact.hedged)),
        (f, KG.primary, _word(fact.primary)),
        (f, PROV.wasDerivedFrom, article),
    ]
    out += _value_details(f, fact)
    if fact.verb:
        out.append((f, KG.verb, Literal(fact.verb)))
    out += _attribution_triples(f, fact, node_iri)
    return out


def _object(
    fact: Fact, aid: str, minter: Minter, node_iri: dict[Key, URIRef], article: URIRef
) -> tuple[URIRef, RDFNode, list[Triple]] | None:
    """The property and object of a fact's triple, and the triples the object needs (a
    passage's span); ``None`` when the object has no node."""
    predicate = KG[fact.predicate]
    if isinstance(fact.object, Quantity | TimeValue | TimeOfDay):
        if isinstance(fact.object, TimeValue) and fact.object.precision == "text":
            predicate = KG.timeText
        return predicate, _value(fact.object), []
    if isinstance(fact.object, Passage):
        span, triples = _passage(fact.object, aid, minter, article)
        return predicate, span, triples
    resolved = node_iri.get(fact.object) or (minter.node(aid, fact.object) if fact.object.in_corpus else None)
    return None if resolved is None else (predicate, resolved, [])


def _value_details(f: URIRef, fact: Fact) -> list[Triple]:
    """How a number or a time was stated: approximate, bound, unit, as written."""
    value = fact.object
    out: list[Triple] = []
    if isinstance(value, Quantity | TimeValue):
        out.append((f, KG.approximate, _word(value.approximate)))
        out.append((f, KG.statedAs, Literal(value.text)))
        if isinstance(value, Quantity) and value.bound:
            out.append((f, KG.bound, Literal(value.bound)))
        if isinstance(value, Quantity) and value.unit:
            out.append((f, KG.unit, Literal(value.unit)))
    elif isinstance(value, TimeOfDay):
        out.append((f, KG.statedAs, Literal(value.text)))
    return out


def _attribution_triples(f: URIRef, fact: Fact, node_iri: dict[Key, URIRef]) -> list[Triple]:
    attribution = fact.attribution
    if attribution is None:
        return []
    out: list[Triple] = []
    if fact.speaker and fact.speaker in node_iri:
        out.append((f, KG.assertedBy, node_iri[fact.speaker]))
    if attribution.text:
        out.append((f, KG.attributedTo, Literal(attribution.text)))
    out.append((f, KG.attributionCue, Literal(attribution.cue)))
    if fact.via and fact.via in node_iri:
        out.append((f, KG.reportedVia, node_iri[fact.via]))
    if fact.statement and fact.statement in node_iri:
        out.append((f, KG.statedIn, node_iri[fact.statement]))
    return out
