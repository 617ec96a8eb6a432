"""`build()`: the stages in order, streaming, article by article.

ingest → nlp → extract → resolve → rdf → store. Articles are cut into paragraph-sized
chunks for ``nlp.pipe`` (short docs batch well), and the parsed chunks of an article are
joined back into one `Doc` before extraction, so offsets are those of the article text.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Dataset, Literal
from rdflib.term import Node as RDFNode
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import KGError, StoreError
from kg.extract import extract
from kg.ingest import read_articles
from kg.link import make_linker
from kg.link.linker import Linker, NoLinker
from kg.model import Article, ArticleGraph, Problem
from kg.nlp import load_nlp
from kg.query.sparql import run
from kg.rdf.build import article_triples
from kg.rdf.namespaces import Minter, prefixes
from kg.resolve import resolve
from kg.settings import Settings
from kg.store import QueryResult, Store, open_store

__all__ = ["BuildReport", "KnowledgeGraph", "build", "chunk_spans", "open_graph", "process"]

logger = logging.getLogger(__name__)

_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")


def chunk_spans(text: str, words: int) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive ``(start, end)`` spans of about ``words`` words.

    Cuts fall after paragraph breaks (or, inside very long paragraphs, after sentence
    ends), so every span ends in whitespace and the spans cover the text exactly.
    """
    cuts = [m.end() for m in _PARAGRAPH.finditer(text)]
    bounds = [0, *[c for c in cuts if 0 < c < len(text)], len(text)]
    pieces: list[tuple[int, int]] = []
    for start, end in itertools.pairwise(bounds):
        if len(text[start:end].split()) > 3 * words:
            inner = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
            pieces += [(a, b) for a, b in itertools.pairwise(inner) if b > a]
        elif end > start:
            pieces.append((start, end))
    spans: list[tuple[int, int]] = []
    count = 0
    alone = True  # the previous piece was a headline or dateline: do not add to it
    for start, end in pieces:
        n = len(text[start:end].split())
        heading = _is_heading(text[start:end])
        if spans and not alone and not heading and count + n <= words:
            spans[-1] = (spans[-1][0], end)
            count += n
        else:
            spans.append((start, end))
            count = n
        alone = heading
    return spans or [(0, len(text))]


def _is_heading(piece: str) -> bool:
    """A short paragraph without closing punctuation: a headline, a dateline, a caption.

    It is parsed on its own, so that a dateline's date never attaches to the lede.
    """
    stripped = piece.strip()
    return bool(stripped) and len(stripped.split()) <= 20 and stripped[-1] not in ".!?\"'”’):;"


def _parse(articles: Iterable[Article], nlp: Language, settings: Settings) -> Iterator[tuple[Article, Doc]]:
    pending: deque[tuple[Article, int]] = deque()

    def feed() -> Iterator[tuple[str, None]]:
        for article in articles:
            spans = chunk_spans(article.text, settings.chunk_words)
            pending.append((article, len(spans)))
            for start, end in spans:
                yield article.text[start:end], None

    parts: list[Doc] = []
    stream = nlp.pipe(feed(), as_tuples=True, batch_size=settings.batch_size, n_process=settings.n_process)
    for doc, _ in stream:
        parts.append(doc)
        article, count = pending[0]
        if len(parts) == count:
            pending.popleft()
            whole = parts[0] if count == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []
            yield article, whole


def process(
    articles: Iterable[Article],
    *,
    settings: Settings | None = None,
    nlp: Language | None = None,
    linker: Linker | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[ArticleGraph]:
    """Parse, extract, resolve and link each article; yields one `ArticleGraph` per article.

    An article whose extraction fails is reported through ``on_problem`` and skipped.
    """
    settings = settings or Settings()
    nlp = nlp or load_nlp(settings.model, numpy_gemm=settings.numpy_gemm)
    linker = linker or NoLinker()
    for article, doc in _parse(articles, nlp, settings):
        if doc.text != article.text:  # pragma: no cover - guards the chunking invariant
            raise KGError(f"{article.source}: parsed text differs from the article text")
        try:
            yield linker.link(resolve(extract(doc, article)))
        except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
            logger.debug("extraction failed on %s", article.source, exc_info=True)
            if on_problem is None:
                raise
            on_problem(
                Problem(
                    article.source,
                    f"extraction failed ({type(exc).__name__}: {exc}); article skipped",
                )
            )


@dataclass
class BuildReport:
    """What a build did: counts, problems, time."""

    articles: int = 0
    words: int = 0
    facts: int = 0
    triples: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

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
        self.settings = settings or Settings()
        self.report = report or BuildReport()

    @property
    def graph(self) -> Dataset:
        """The rdflib `Dataset` view of the store (one named graph per article)."""
        return self.store.dataset()

    def query(self, query: str | Path, /, **bindings: RDFNode | str | int) -> QueryResult:
        """Run SPARQL (text, ``.rq`` path or packaged name) with bound variables.

        ``kg.query("examples/queries/entity.rq", name="Islamic State")``; plain ``str``
        and ``int`` values become literals, rdflib terms are used as they are.
        """
        terms = {k: v if isinstance(v, RDFNode) else Literal(v) for k, v in bindings.items()}
        return run(self.store, query, bindings=terms)

    def serialize(self, destination: str | Path | IO[bytes] | None = None, *, format: str = "trig") -> str | None:
        """Write the graph as ``ttl``, ``trig``, ``nq`` or ``jsonld``; returns text if no destination."""
        import io

        if destination is None:
            buffer = io.BytesIO()
            self.store.serialize(buffer, format)
            return buffer.getvalue().decode("utf-8")
        if isinstance(destination, str | Path):
            path = Path(destination)
            tmp = path.with_name(path.name + ".part")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with tmp.open("wb") as handle:
                    self.store.serialize(handle, format)
                os.replace(tmp, path)
            except OSError as exc:
                raise KGError(f"{path}: cannot write: {exc.strerror or exc}") from exc
            return None
        self.store.serialize(destination, format)
        return None

    def stats(self) -> dict[str, int]:
        """Counts: articles, entities, linked entities, events, facts, quads."""
        result = run(self.store, "stats")
        row = next(iter(result), {})
        out = {k: int(str(v)) if v is not None else 0 for k, v in row.items()}
        out["quads"] = self.store.quad_count()
        return out

    @property
    def prefixes(self) -> dict[str, str]:
        return prefixes(self.settings.base_iri)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build(
    inputs: Iterable[str | os.PathLike[str] | Article],
    *,
    store: str | Path | Store | None = None,
    settings: Settings | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_article: Callable[[ArticleGraph], None] | None = None,
) -> KnowledgeGraph:
    """Build a knowledge graph from articles.

    Args:
        inputs: files, folders, ``"-"`` for stdin, or `Article` objects.
        store: ``None``/``"memory"`` (in memory), a directory (Oxigraph on disk), or an
            open `Store`.
        settings: model, base IRI, batching; defaults from the environment.
        on_problem: called with each skipped input (they are also in ``report.problems``).
        on_article: called after each article is written (progress bars).

    Returns:
        The `KnowledgeGraph`; its store stays open until ``close()``.
    """
    settings = settings or Settings.from_env()
    target = store if store is not None and not isinstance(store, str | Path) else open_store(store)
    report = BuildReport()
    minter = Minter(settings.base_iri)

    def problem(p: Problem) -> None:
        report.problems.append(p)
        if on_problem is not None:
            on_problem(p)

    def articles() -> Iterator[Article]:
        paths: list[str | os.PathLike[str]] = []
        for item in inputs:
            if isinstance(item, Article):
                yield from read_articles(paths, on_problem=problem)
                paths = []
                yield item
            else:
                paths.append(item)
        yield from read_articles(paths, on_problem=problem)

    linker = make_linker(settings.linker, kb_path=settings.kb_path)
    started = time.perf_counter()
    try:
        _write(process(articles(), settings=settings, linker=linker, on_problem=problem), target, minter, report,
               problem, on_article)  # fmt: skip
    finally:
        linker.close()
    report.seconds = time.perf_counter() - started
    flush = getattr(target, "flush", None)
    if flush is not None:
        flush()
    return KnowledgeGraph(target, settings=settings, report=report)


def _write(
    graphs: Iterable[ArticleGraph],
    target: Store,
    minter: Minter,
    report: BuildReport,
    problem: Callable[[Problem], None],
    on_article: Callable[[ArticleGraph], None] | None,
) -> None:
    """Each article's triples into its named graph, counted in ``report``."""
    for graph in graphs:
        triples = article_triples(graph, minter=minter)
        try:
            target.replace_graph(minter.article(graph.article.id), triples)
        except StoreError as exc:
            problem(Problem(graph.article.source, str(exc)))
            continue
        report.articles += 1
        report.words += len(graph.article.text.split())
        report.facts += len(graph.facts)
        report.triples += len(triples)
        if on_article is not None:
            on_article(graph)


def open_graph(store: str | Path, *, read_only: bool = True, settings: Settings | None = None) -> KnowledgeGraph:
    """Open an existing store as a `KnowledgeGraph` (for querying, validation, stats)."""
    return KnowledgeGraph(open_store(store, read_only=read_only), settings=settings)
