"""A built graph: its store, the report of the build, and the ways to use it.

Everything here works without spaCy, so `kg query`, `kg stats` and `kg rm` start fast.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rdflib import Dataset, Literal
from rdflib.term import Node as RDFNode

from kg.corpus import Corpus
from kg.errors import KGError
from kg.model import Problem
from kg.query.sparql import UNLIMITED, QueryLimits, run
from kg.rdf.namespaces import Minter, prefixes
from kg.settings import Settings
from kg.store import QueryResult, Store, open_store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["BuildReport", "KnowledgeGraph", "open_graph", "remove"]

logger = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did: articles built, replaced, left unchanged, skipped; counts; time.

    Attributes:
        built: articles new to the store.
        replaced: articles whose source was in the store with another text.
        unchanged: articles whose source was in the store with the same text (not parsed).
        duplicates: articles whose text another source already gave (not parsed).
        problems: inputs skipped, with where and why.
        words, facts, triples: of the articles written in this run.
    """

    built: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    words: int = 0
    facts: int = 0
    triples: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def articles(self) -> int:
        """Articles written in this run (built or replaced)."""
        return self.built + self.replaced

    @property
    def skipped(self) -> int:
        return len(self.problems)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


class KnowledgeGraph:
    """A built graph: its store, what the build did, and ways to use it.

    Attributes:
        store: where the triples are (`kg.store.Store`).
        report: counts and skipped inputs of the build.
    """

    def __init__(self, store: Store, *, settings: Settings | None = None, report: BuildReport | None = None) -> None:
        self.store = store
        self.settings = settings or Settings.from_env()
        self.report = report or BuildReport()

    @property
    def graph(self) -> Dataset:
        """The rdflib `Dataset` view of the store (one named graph per article)."""
        return self.store.dataset()

    def query(self, query: str | Path, /, **bindings: RDFNode | str | int) -> QueryResult:
        """Run SPARQL (text, ``.rq`` path or packaged name) with bound variables.

        ``kg.query("examples/queries/entity.rq", name="Islamic State")``; plain ``str``
        and ``int`` values become literals, rdflib terms are used as they are. The query
        runs within the limits of `settings` (``query_timeout``, ``query_max_rows``,
        ``query_memory_mb``); a result cut by the row cap has ``truncated`` set.
        """
        terms = {k: v if isinstance(v, RDFNode) else Literal(v) for k, v in bindings.items()}
        result = run(self.store, query, bindings=terms, limits=QueryLimits.from_settings(self.settings))
        if result.truncated:
            logger.warning("result cut at %d rows (Settings.query_max_rows)", self.settings.query_max_rows)
        return result

    def serialize(self, destination: str | Path | IO[bytes] | None = None, *, format: str = "trig") -> str | None:
        """Write the graph as ``ttl``, ``trig``, ``nq`` or ``jsonld``; returns text if no destination."""
        if destination is None:
            buffer = io.BytesIO()
            self.store.serialize(buffer, format, prefixes=self.prefixes)
            return buffer.getvalue().decode("utf-8")
        if isinstance(destination, str | Path):
            path = Path(destination)
            tmp = path.with_name(path.name + ".part")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with tmp.open("wb") as handle:
                    self.store.serialize(handle, format, prefixes=self.prefixes)
                os.replace(tmp, path)
            except OSError as exc:
                raise KGError(f"{path}: cannot write: {exc.strerror or exc}") from exc
            return None
        self.store.serialize(destination, format, prefixes=self.prefixes)
        return None

    def stats(self) -> dict[str, int]:
        """Counts: articles, entities, linked entities, events, facts, quads."""
        result = run(self.store, "stats", limits=UNLIMITED)
        row = next(iter(result), {})
        out = {k: int(str(v)) if v is not None else 0 for k, v in row.items()}
        out["quads"] = self.store.quad_count()
        return out

    def to_networkx(self, **selection: Any) -> nx.MultiDiGraph:
        """Entities and events as nodes, facts as edges (`kg.analytics.entity_graph`;
        ``min_confidence``, ``since``, ``until`` select the facts)."""
        from kg.analytics import entity_graph

        return entity_graph(self.store, **selection)

    def to_dataframe(self) -> pd.DataFrame:
        """Every asserted fact as a row, with IRIs, QIDs, article and sentence
        (`kg.export.FACT_COLUMNS`); needs pandas (``pip install 'kg[pandas]'``)."""
        from kg.export import facts_dataframe

        return facts_dataframe(self.store)

    @property
    def prefixes(self) -> dict[str, str]:
        return prefixes(self.settings.base_iri)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_graph(store: str | Path, *, read_only: bool = True, settings: Settings | None = None) -> KnowledgeGraph:
    """Open an existing store as a `KnowledgeGraph` (for querying, validation, stats)."""
    return KnowledgeGraph(open_store(store, read_only=read_only), settings=settings)


def remove(store: str | Path | Store, sources: Iterable[str], *, settings: Settings | None = None) -> list[str]:
    """Remove the articles of ``sources`` from a store; returns the sources not found.

    A source is what an article is named by: its corpus id, its URL, or the path of its
    file (a corpus file removes those of its records that had neither id nor URL), or
    the article's IRI.
    """
    settings = settings or Settings.from_env()
    target = store if not isinstance(store, str | Path) else open_store(store)
    corpus = Corpus(target, Minter(settings.base_iri))
    stored = corpus.articles()
    by_graph = {str(s.graph): s for s in stored.values()}
    missing: list[str] = []
    try:
        for source in sources:
            found = [stored[o] for o in _origins(source) if o in stored]
            found += [s for o, s in stored.items() if o.startswith(f"file:{Path(source).resolve()}#")]
            if source in by_graph:
                found.append(by_graph[source])
            if not found:
                missing.append(source)
            for article in {s.graph: s for s in found}.values():
                corpus.remove(article.graph)
                logger.info("removed %s (%s)", article.origin, article.graph)
    finally:
        if isinstance(store, str | Path):
            target.close()
    return missing


def _origins(source: str) -> list[str]:
    """What ``source`` may name an article by (see `kg.model.Article`)."""
    out = [f"id:{source}", f"url:{source}"]
    if "\0" not in source:
        out.append(f"file:{Path(source).resolve()}")
    return out
