"""Linking entities to Wikidata: the local knowledge base, the online API, the ranker."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from kg.errors import KGError
from kg.link.default import ensure_package_data
from kg.link.kb import KnowledgeBase, default_kb_path
from kg.link.linker import KBLinker, Linker, NoLinker

__all__ = ["LINKERS", "make_linker", "open_kb"]

logger = logging.getLogger(__name__)

LINKERS = ("auto", "kb", "wikidata", "none")


def make_linker(name: str, *, kb_path: str | Path | None = None) -> Linker:
    """The linker called ``name`` (see `kg.settings.Settings.linker`).

    A knowledge base that does not exist yet is built from the package's data on first
    use (`kg.link.default`), offline. When it cannot be written, countries and demonyms
    are still linked from the package's country table, and one warning says so.
    """
    if name not in LINKERS:
        raise KGError(f"unknown linker {name!r} (choose from {', '.join(LINKERS)})")
    if name == "none":
        return NoLinker()
    path = Path(kb_path) if kb_path else default_kb_path()
    try:
        kb = open_kb(path, read_only=name == "kb")
    except KGError as exc:
        logger.warning("%s: only countries are linked", exc)
        return NoLinker()
    if name == "kb":
        return KBLinker(kb)
    from kg.link.wikidata import OnlineLinker

    return OnlineLinker(kb, everything=name == "wikidata")


def open_kb(path: str | Path | None = None, *, read_only: bool = True) -> KnowledgeBase:
    """The knowledge base at ``path`` (default: `default_kb_path`), built from the package's
    data first if there is none yet, and given the package's newer data if it has an
    older one (see `kg.link.default.ensure_package_data`)."""
    path = Path(path) if path else default_kb_path()
    try:
        ensure_package_data(path, default=path == default_kb_path())
    except (OSError, sqlite3.Error) as exc:
        if not path.exists():
            raise KGError(f"cannot build the knowledge base at {path} ({exc})") from exc
        logger.warning("cannot add the package's data to %s (%s); using it as it is", path, exc)
    return KnowledgeBase(path, read_only=read_only)
