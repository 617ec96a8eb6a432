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

from kg.budget import OverBudget, deadline
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


MAX_CHUNK_CHARS = 10_000
"""No chunk handed to spaCy is longer, whatever the text looks like (spaCy refuses texts
over 1,000,000 characters, and its memory grows with the length of a text)."""

_WORD = re.compile(r"\S+\s*|\s+")


def chunk_spans(text: str, words: int) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive ``(start, end)`` spans of about ``words`` words.

    Cuts fall after paragraph breaks (or, inside very long paragraphs, after sentence
    ends, or failing those between words), so the spans cover the text exactly and none
    has more than ``3 * words`` words or `MAX_CHUNK_CHARS` characters.
    """
    cuts = [m.end() for m in _PARAGRAPH.finditer(text)]
    bounds = [0, *[c for c in cuts if 0 < c < len(text)], len(text)]
    pieces: list[tuple[int, int]] = []
    for start, end in itertools.pairwise(bounds):
        if _too_long(text, start, end, words):
            inner = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
            for a, b in itertools.pairwise(inner):
                if b > a:
                    pieces += _cut(text, a, b, words) if _too_long(text, a, b, words) else [(a, b)]
        elif end > start:
            pieces.append((start, end))
    spans: list[tuple[int, int]] = []
    count = 0
    alone = True  # the previous piece was a headline or dateline: do not add to it
    for start, end in pieces:
        n = len(text[start:end].split())
        heading = _is_heading(text[start:end])
        if spans and not alone and not heading and count + n <= words and end - spans[-1][0] <= MAX_CHUNK_CHARS:
            spans[-1] = (spans[-1][0], end)
            count += n
        else:
            spans.append((start, end))
            count = n
        alone = heading
    return spans or [(0, len(text))]


def _too_long(text: str, start: int, end: int, words: int) -> bool:
    return end - start > MAX_CHUNK_CHARS or len(text[start:end].split()) > 3 * words


def _cut(text: str, start: int, end: int, words: int) -> list[tuple[int, int]]:
    """A run of text without usable sentence ends, cut between words every ``words``
    words (and inside a "word" longer than `MAX_CHUNK_CHARS`)."""
    spans: list[tuple[int, int]] = []
    a, n = start, 0
    for m in _WORD.finditer(text, start, end):
        s, e = m.span()
        if s > a and (n >= words or e - a > MAX_CHUNK_CHARS):
            spans.append((a, s))
            a, n = s, 0
        while e - a > MAX_CHUNK_CHARS:
            spans.append((a, a + MAX_CHUNK_CHARS))
            a += MAX_CHUNK_CHARS
        n += 1
    if end > a:
        spans.append((a, end))
    return spans


def _is_heading(piece: str) -> bool:
    """A short paragraph without closing punctuation: a headline, a dateline, a caption.

    It is parsed on its own, so that a dateline's date never attaches to the lede.
    """
    stripped = piece.strip()
    return bool(stripped) and len(stripped.split()) <= 20 and stripped[-1] not in ".!?\"'”’):;"


class _Pending:
    """An article on its way through ``nlp.pipe``: how many chunks went in, which came out,
    and the parsing time charged to it so far."""

    __slots__ = ("article", "expected", "fed", "over", "parts", "spans", "spent")

    def __init__(self, article: Article, spans: list[tuple[int, int]]) -> None:
        self.article = article
        self.spans = spans
        self.expected = len(spans)  # chunks that will come out: fewer once over budget
        self.fed = 0
        self.parts: list[Doc] = []
        self.spent = 0.0
        self.over = False  # over its time budget: its remaining chunks are not fed

    @property
    def complete(self) -> bool:
        return len(self.parts) == self.expected


class _ReadFailed(Exception):  # noqa: N818 - a wrapper, never seen outside this module
    """An error of the article source, carried through ``nlp.pipe`` to be raised as is."""


Parsed = tuple[Article, Doc, float]
"""An article, its parsed text, and the seconds its parsing took."""


def _parse(
    articles: Iterable[Article], nlp: Language, settings: Settings, problem: Callable[[Problem], None] | None
) -> Iterator[Parsed]:
    """Parse articles in batches of chunks. An article whose parse fails or runs over
    ``settings.article_seconds`` is reported and left out; the others go on."""
    source = iter(articles)
    while True:
        pending: deque[_Pending] = deque()
        try:
            yield from _pipe(source, pending, nlp, settings, problem)
            return
        except _ReadFailed as exc:  # not a parse error: reading the inputs went wrong
            raise exc.__cause__ from None  # type: ignore[misc]
        except Exception:  # spaCy or thinc failed on a batch: find the article(s) at fault
            if problem is None:
                raise
            logger.debug("parse failed in a batch of %d articles", len(pending), exc_info=True)
            for item in pending:
                if not item.over:
                    yield from _parse_alone(item.article, nlp, settings, problem)


def _pipe(
    source: Iterator[Article],
    pending: deque[_Pending],
    nlp: Language,
    settings: Settings,
    problem: Callable[[Problem], None] | None,
) -> Iterator[Parsed]:
    def feed() -> Iterator[tuple[str, _Pending]]:
        while True:
            try:
                article = next(source)
            except StopIteration:
                return
            except Exception as exc:
                raise _ReadFailed from exc
            item = _Pending(article, chunk_spans(article.text, settings.chunk_words))
            pending.append(item)
            for start, end in item.spans:
                if item.over:
                    break
                item.fed += 1
                yield article.text[start:end], item

    stream = nlp.pipe(feed(), as_tuples=True, batch_size=settings.batch_size, n_process=settings.n_process)
    last = time.monotonic()
    for doc, item in stream:
        # The time since the previous chunk came out is charged to this chunk's article:
        # spaCy reads ahead, so the time since an article was fed includes other articles.
        now = time.monotonic()
        item.spent += now - last
        last = now
        item.parts.append(doc)
        if not item.over and item.spent > settings.article_seconds:
            item.over = True
            item.expected = item.fed  # what was fed still comes out; nothing more is fed
            if problem is None:
                raise KGError(f"{item.article.source}: over the time budget of {settings.article_seconds:g} s")
            problem(_over_budget(item.article, settings))
        yield from _finished(pending)
    yield from _finished(pending)


def _finished(pending: deque[_Pending]) -> Iterator[Parsed]:
    """Articles at the head of ``pending`` whose chunks have all come out, in input order."""
    while pending and pending[0].complete:
        done = pending.popleft()
        if not done.over:
            yield done.article, _join(done.parts), done.spent


def _join(parts: list[Doc]) -> Doc:
    return parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def _parse_alone(
    article: Article, nlp: Language, settings: Settings, problem: Callable[[Problem], None]
) -> Iterator[Parsed]:
    started = time.monotonic()
    try:
        parts = list(nlp.pipe(article.text[a:b] for a, b in chunk_spans(article.text, settings.chunk_words)))
    except Exception as exc:
        logger.debug("parse failed on %s", article.source, exc_info=True)
        problem(Problem(article.source, f"parse failed ({type(exc).__name__}: {_first_line(exc)}); article skipped"))
        return
    yield article, _join(parts), time.monotonic() - started


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else ""


def _over_budget(article: Article, settings: Settings) -> Problem:
    return Problem(
        article.source,
        f"over the time budget of {settings.article_seconds:g} s an article (KG_ARTICLE_SECONDS); article skipped",
    )


def process(
    articles: Iterable[Article],
    *,
    settings: Settings | None = None,
    nlp: Language | None = None,
    linker: Linker | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> Iterator[ArticleGraph]:
    """Parse, extract, resolve and link each article; yields one `ArticleGraph` per article.

    An article whose parsing or extraction fails, or that runs over the time budget
    (``settings.article_seconds``), is reported through ``on_problem`` and skipped. Without
    ``on_problem`` the error is raised (tests see bugs, users see one line).
    """
    settings = settings or Settings.from_env()
    nlp = nlp or load_nlp(settings.model, numpy_gemm=settings.numpy_gemm, fast_rules=settings.fast_rules)
    linker = linker or NoLinker()
    for article, doc, parsing in _parse(articles, nlp, settings, on_problem):
        if doc.text != article.text:  # pragma: no cover - guards the chunking invariant
            raise KGError(f"{article.source}: parsed text differs from the article text")
        left = settings.article_seconds - parsing
        try:
            with deadline(left):
                graph = linker.link(resolve(extract(doc, article, settings=settings), settings=settings))
        except OverBudget:
            if on_problem is None:
                raise
            on_problem(_over_budget(article, settings))
            continue
        except Exception as exc:
            logger.debug("extraction failed on %s", article.source, exc_info=True)
            if on_problem is None or isinstance(exc, KGError | MemoryError):
                raise
            on_problem(
                Problem(
                    article.source, f"extraction failed ({type(exc).__name__}: {_first_line(exc)}); article skipped"
                )
            )
            continue
        yield graph


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
                yield from read_articles(paths, on_problem=problem, settings=settings)
                paths = []
                yield item
            else:
                paths.append(item)
        yield from read_articles(paths, on_problem=problem, settings=settings)

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
