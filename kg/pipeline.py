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
from pathlib import Path

from rdflib import RDF
from spacy.language import Language
from spacy.tokens import Doc

from kg.corpus import Corpus, Stored
from kg.errors import KGError, StoreError
from kg.extract import extract
from kg.graph import BuildReport, KnowledgeGraph
from kg.ingest import read_articles
from kg.link import make_linker
from kg.link.linker import Linker, NoLinker
from kg.model import Article, ArticleGraph, Problem
from kg.nlp import load_nlp
from kg.rdf.build import article_rdf
from kg.rdf.namespaces import KG, Minter
from kg.resolve import resolve
from kg.settings import Settings
from kg.store import Store, open_store

__all__ = ["build", "chunk_spans", "process"]

logger = logging.getLogger(__name__)

RDF_TYPE = RDF.type

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


Inputs = str | os.PathLike[str] | Article


def build(
    inputs: Inputs | Iterable[Inputs],
    *,
    store: str | Path | Store | None = None,
    settings: Settings | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    on_article: Callable[[ArticleGraph], None] | None = None,
) -> KnowledgeGraph:
    """Build a knowledge graph from articles, or bring a store up to date with them.

    Articles are named by their source (corpus id, URL, or file path): a source already
    in the store with the same text is not parsed again, with another text its article
    is replaced, and a text another source already gave is not added twice.

    Args:
        inputs: a file, folder, ``"-"`` for stdin or an `Article`, or several of them.
        store: ``None``/``"memory"`` (in memory), a directory (Oxigraph on disk), or an
            open `Store`.
        settings: model, base IRI, batching; defaults from the environment.
        on_problem: called with each skipped input (they are also in ``report.problems``).
        on_article: called after each article is written (progress bars).

    Returns:
        The `KnowledgeGraph`; its store stays open until ``close()``.
    """
    settings = settings or Settings.from_env()
    if isinstance(inputs, str | os.PathLike | Article):
        inputs = [inputs]
    target = (
        store
        if store is not None and not isinstance(store, str | Path)
        else open_store(store, flush_seconds=settings.flush_seconds)
    )
    report = BuildReport()
    minter = Minter(settings.base_iri)
    corpus = Corpus(target, minter)
    stored = corpus.articles()

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
        todo = _new_or_changed(articles(), stored, report)
        first = next(todo, None)
        if first is not None:  # the model is loaded only when something needs parsing
            graphs = process(itertools.chain([first], todo), settings=settings, linker=linker, on_problem=problem)
            _write(graphs, corpus, stored, report, problem, on_article)
    finally:
        linker.close()
    report.seconds = time.perf_counter() - started
    target.flush()
    return KnowledgeGraph(target, settings=settings, report=report)


def _new_or_changed(articles: Iterable[Article], stored: dict[str, Stored], report: BuildReport) -> Iterator[Article]:
    """The articles that need parsing: new sources, and sources whose text changed.

    A source seen earlier in this run counts as stored; a new source whose text another
    source already gave (in the store or in this run) is a duplicate.
    """
    digests = {s.digest: origin for origin, s in stored.items()}
    seen: dict[str, str] = {}
    for article in articles:
        known = seen.get(article.origin) or (stored[article.origin].digest if article.origin in stored else None)
        if known == article.digest:
            report.unchanged += 1
            continue
        twin = digests.get(article.digest)
        if known is None and twin is not None and twin != article.origin:
            logger.info("%s: same text as %s, not added again", article.source, twin)
            report.duplicates += 1
            continue
        seen[article.origin] = article.digest
        digests[article.digest] = article.origin
        yield article


def _write(
    graphs: Iterable[ArticleGraph],
    corpus: Corpus,
    stored: dict[str, Stored],
    report: BuildReport,
    problem: Callable[[Problem], None],
    on_article: Callable[[ArticleGraph], None] | None,
) -> None:
    """Each article into its named graph and the entity layer, counted in ``report``."""
    written: set[str] = set()
    for graph in graphs:
        article = graph.article
        rdf = article_rdf(graph, minter=corpus.minter)
        try:
            corpus.write(rdf)
        except StoreError as exc:
            problem(Problem(article.source, str(exc)))
            continue
        if article.origin in stored or article.origin in written:
            report.replaced += 1
            logger.info("%s: replaced", article.source)
        else:
            report.built += 1
            logger.info("%s: built", article.source)
        written.add(article.origin)
        report.words += len(article.text.split())
        report.facts += sum(1 for _, p, o in rdf.triples if p == RDF_TYPE and o == KG.Fact)
        report.triples += len(rdf.triples)
        if on_article is not None:
            on_article(graph)
