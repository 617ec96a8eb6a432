"""One graph across articles: each entity once, articles by source, and a store whose
content never depends on the order articles came in, were replaced or were removed."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import kg
from kg.link.importers import import_file
from kg.link.kb import KnowledgeBase
from kg.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus" / "news.jsonl"
ENTITY = "https://kg.example.org/entity/"
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
ROSS_PRESENTER, ROSS_POLITICIAN = "Q999000101", "Q999000102"  # test ids, not Wikidata's


def records() -> list[dict[str, str]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def article(record: dict[str, str]) -> kg.Article:
    return kg.Article(text=record["text"], title=record["title"], source_id=record["id"], source="<test>")


def quads(store: Store) -> set[tuple[str, ...]]:
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {tuple(term.n3() for term in (r["s"], r["p"], r["o"], r["g"])) for r in rows}  # type: ignore[union-attr]


def build(store: Store, articles: Iterable[kg.Article], *, kb: Path | None = None) -> kg.BuildReport:
    settings = kg.Settings(linker="kb" if kb else "none", kb_path=str(kb) if kb else None)
    return kg.build(list(articles), store=store, settings=settings).report


def labels_of(store: Store, name: str) -> list[str]:
    """The nodes whose label is ``name``."""
    return [
        str(r["e"])
        for r in store.query("SELECT ?e ?p ?l WHERE { ?e ?p ?l }", bindings={"p": LABEL, "l": Literal(name)})
    ]


def person(kb_dir: Path, name: str, qid: str, description: str) -> Path:
    path = kb_dir / f"{qid}.sqlite"
    source = kb_dir / f"{qid}.jsonl"
    entity = {"qid": qid, "label": name, "aliases": [], "description": description, "type": "PER", "popularity": 0.6}
    source.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    with KnowledgeBase(path) as base:
        import_file(base, source)
    return path


ROSS = {
    "a": "Jonathan Ross presented the awards in London on Saturday.",
    "b": "Jonathan Ross spoke to voters in Ohio on Monday.",
    "c": "Jonathan Ross was seen in Manchester on Friday.",
}


def ross(key: str) -> kg.Article:
    return kg.Article(text=ROSS[key], source_id=f"ross-{key}", source="<test>")


@pytest.fixture(scope="module")
def kbs(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("kbs")
    return (
        person(folder, "Jonathan Ross", ROSS_PRESENTER, "television presenter"),
        person(folder, "Jonathan Ross", ROSS_POLITICIAN, "politician"),
    )


def test_an_entity_is_one_node_described_once() -> None:
    store = open_store(None)
    report = build(store, [article(r) for r in records()])
    assert report.built == len(records())
    (soleimani,) = labels_of(store, "Qasem Soleimani")
    assert soleimani == f"{ENTITY}person/qasem-soleimani"
    articles = store.query(
        "PREFIX kg: <https://kg.example.org/ontology#> SELECT ?e ?a WHERE { ?e kg:mentionedIn ?a }",
        bindings={"e": URIRef(soleimani)},
    )
    assert len(articles) == 2
    types = store.query("SELECT ?e ?t WHERE { ?e a ?t }", bindings={"e": URIRef(soleimani)})
    labels = store.query("SELECT ?e ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
                         bindings={"e": URIRef(soleimani)})  # fmt: skip
    assert len(types) == 1 and len(labels) == 1
    (tony,) = labels_of(store, "Tony Blair")  # three articles, one node; "Blair" joined him in uk-1
    assert tony.startswith(f"{ENTITY}person/")


def test_an_unlinked_name_joins_the_entity_another_article_links(kbs: tuple[Path, Path]) -> None:
    presenter, _ = kbs
    one = open_store(None)
    build(one, [ross("a")], kb=presenter)
    build(one, [ross("c")])  # no linker: the name alone
    assert labels_of(one, "Jonathan Ross") == [f"{ENTITY}{ROSS_PRESENTER}"]
    other = open_store(None)  # the other order: the unlinked article first, rewritten later
    build(other, [ross("c")])
    assert labels_of(other, "Jonathan Ross") == [f"{ENTITY}person/jonathan-ross"]
    build(other, [ross("a")], kb=presenter)
    assert quads(one) == quads(other)


def test_two_people_with_one_name_stay_apart(kbs: tuple[Path, Path]) -> None:
    presenter, politician = kbs
    store = open_store(None)
    build(store, [ross("a")], kb=presenter)
    build(store, [ross("b")], kb=politician)
    build(store, [ross("c")])
    assert sorted(labels_of(store, "Jonathan Ross")) == sorted(
        [f"{ENTITY}{ROSS_PRESENTER}", f"{ENTITY}{ROSS_POLITICIAN}", f"{ENTITY}person/jonathan-ross"]
    )
    kg.remove(store, ["ross-b"])  # one QID left under the name: the unlinked mention joins it
    assert labels_of(store, "Jonathan Ross") == [f"{ENTITY}{ROSS_PRESENTER}"]
    kg.remove(store, ["ross-a"])  # none: the name is its own node again
    assert labels_of(store, "Jonathan Ross") == [f"{ENTITY}person/jonathan-ross"]
    alone = open_store(None)
    build(alone, [ross("c")])
    assert quads(store) == quads(alone)


def test_removing_leaves_what_a_build_without_the_article_gives() -> None:
    rs = records()
    store = open_store(None)
    build(store, [article(r) for r in rs])
    assert kg.remove(store, ["kerman-2", "uk-3", "no-such-article"]) == ["no-such-article"]
    rest = open_store(None)
    build(rest, [article(r) for r in rs if r["id"] not in ("kerman-2", "uk-3")])
    assert quads(store) == quads(rest)
    assert labels_of(store, "Quds Force") == []  # only kerman-2 mentioned it


def test_an_edited_article_replaces_its_graph() -> None:
    rs = records()
    store = open_store(None)
    build(store, [article(r) for r in rs])
    edited = dict(rs[6], text=rs[6]["text"].replace("Kabul", "Kandahar"))
    report = build(store, [article(r) for r in [*rs[:6], edited, *rs[7:]]])
    assert (report.built, report.replaced, report.unchanged) == (0, 1, len(rs) - 1)
    assert labels_of(store, "Kabul") == [] and len(labels_of(store, "Kandahar")) == 1
    fresh = open_store(None)
    build(fresh, [article(r) for r in [*rs[:6], edited, *rs[7:]]])
    assert quads(store) == quads(fresh)
    assert kg.KnowledgeGraph(store).stats()["articles"] == len(rs)


def test_an_unchanged_source_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    rs = records()
    store = open_store(None)
    build(store, [article(r) for r in rs])
    before = quads(store)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged article was parsed")

    monkeypatch.setattr("kg.pipeline.process", no_parsing)
    monkeypatch.setattr("kg.pipeline.load_nlp", no_parsing)
    report = build(store, [article(r) for r in rs])
    assert (report.built, report.replaced, report.unchanged, report.duplicates) == (0, 0, len(rs), 0)
    copy = kg.Article(text=rs[0]["text"], source_id="kerman-1-syndicated", source="<test>")
    report = build(store, [copy])
    assert report.duplicates == 1 and quads(store) == before


def test_the_store_does_not_depend_on_order(kbs: tuple[Path, Path]) -> None:
    """Any order of writes, replacements and removals ends where a fresh build of what
    is left ends."""
    presenter, politician = kbs
    pool = [(ross(k), kb) for k, kb in (("a", presenter), ("b", politician), ("c", None))]
    pool += [(article(r), None) for r in records()[:4]]
    expected = open_store(None)
    for item, kb in pool:
        build(expected, [item], kb=kb)
    rng = random.Random(7)
    for _ in range(3):
        store = open_store(None)
        order = pool[:]
        rng.shuffle(order)
        for item, kb in order:
            build(store, [item], kb=kb)
        removed = rng.sample(order, 2)
        for item, _kb in removed:
            kg.remove(store, [item.source_id or ""])
        for item, kb in removed:
            build(store, [item], kb=kb)
        assert quads(store) == quads(expected)


def test_the_audit_finds_an_entity_layer_out_of_step() -> None:
    from kg.corpus import Corpus
    from kg.rdf.namespaces import Minter
    from kg.store import ChangeSet

    store = open_store(None)
    build(store, [article(r) for r in records()])
    corpus = Corpus(store, Minter(kg.Settings().base_iri))
    assert corpus.audit() == []
    layer = URIRef("https://kg.example.org/graph/entities")
    brown = URIRef(f"{ENTITY}person/gordon-brown")
    store.apply(ChangeSet(delete=((brown, LABEL, Literal("Gordon Brown"), layer),),
                          insert=((brown, LABEL, Literal("Gordon Gekko"), layer),)))  # fmt: skip
    problems = corpus.audit()
    assert len(problems) == 2 and all("gordon-brown" in p for p in problems)
