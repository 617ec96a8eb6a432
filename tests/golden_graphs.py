"""Golden graphs: what extraction, resolution and RDF make of a fixed set of articles.

Each golden article (the seed, the example, and the team's own articles in
``tests/golden/articles``) is parsed, extracted, resolved and written as one article's
RDF, with no linker and no store, so the graph pins exactly the stages that issue 9's
steps live in. Text is never stored: the literals of ``nif:isString`` and
``nif:anchorOf`` become digests (the seed is someone else's writing), which keeps the
comparison exact.

``make golden`` rewrites the files (`write_all`); the test compares (`tests/test_golden.py`).
A rewritten golden file is a change of behaviour: review its diff before committing it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from rdflib import Graph, Literal
from spacy.language import Language

from kg.extract import extract
from kg.ingest import read_articles
from kg.model import Article
from kg.rdf.build import article_rdf
from kg.rdf.namespaces import NIF, Minter
from kg.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SEED = ROOT.parent / "shared" / "seed" / "kerman-2024-01-05.jsonl"
MINTER = Minter("https://kg.example.org/")
TEXT_PROPERTIES = frozenset({NIF.isString, NIF.anchorOf})


def sources() -> dict[str, Path]:
    """Golden name → the file its article is read from (the seed only when ../shared is there)."""
    out = {"example": ROOT / "examples" / "news" / "kerman-2024-01-05.md"}
    out |= {path.stem: path for path in sorted((GOLDEN / "articles").glob("*.md"))}
    if SEED.is_file():
        out["seed"] = SEED
    return out


def article(name: str, path: Path) -> Article:
    """The article of ``path``, named ``golden/<name>`` wherever the checkout lies."""
    problems: list[object] = []
    found = list(read_articles([path], on_problem=problems.append))
    if problems or len(found) != 1:
        raise ValueError(f"{path}: expected one article, got {len(found)} and {problems}")
    return dataclasses.replace(found[0], source_id=f"golden/{name}", path=None, source=f"golden/{name}")


def graph_of(nlp: Language, item: Article) -> Graph:
    """The article's RDF, text literals replaced by their digests."""
    rdf = article_rdf(resolve(extract(nlp(item.text), item)), minter=MINTER)
    graph = Graph()
    for s, p, o in rdf.triples:
        if p in TEXT_PROPERTIES and isinstance(o, Literal):
            o = Literal("sha1:" + hashlib.sha1(str(o).encode("utf-8")).hexdigest())
        graph.add((s, p, o))
    return graph


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.nt"


def write_all(nlp: Language) -> list[Path]:
    """Rewrite every golden file; returns the files written."""
    written = []
    for name, path in sources().items():
        lines = sorted(graph_of(nlp, article(name, path)).serialize(format="nt").splitlines())
        target = golden_path(name)
        target.write_text("\n".join(line for line in lines if line.strip()) + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover - `make golden`
    from kg.nlp import load_nlp

    for file in write_all(load_nlp()):
        print(f"wrote {file.relative_to(ROOT)}")
