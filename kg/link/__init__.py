"""Linking entities to Wikidata: the local knowledge base, the online API, the ranker."""

from __future__ import annotations

import logging
from pathlib import Path

from kg.errors import KGError
from kg.link.kb import KnowledgeBase, default_kb_path
from kg.link.linker import KBLinker, Linker, NoLinker

__all__ = ["LINKERS", "make_linker"]

logger = logging.getLogger(__name__)

LINKERS = ("auto", "kb", "wikidata", "none")


def make_linker(name: str, *, kb_path: str | Path | None = None) -> Linker:
    """The linker called ``name`` (see `kg.settings.Settings.linker`).

    A missing knowledge base is not an error: countries and demonyms are still linked
    from the package's country table, and one warning says what else stays unlinked.
    """
    if name not in LINKERS:
        raise KGError(f"unknown linker {name!r} (choose from {', '.join(LINKERS)})")
    if name == "none":
        return NoLinker()
    path = Path(kb_path) if kb_path else default_kb_path()
    if name == "kb":
        if not path.exists():
            logger.warning(
                "no knowledge base at %s: only countries are linked (fill one with `kg kb import` or `make kb-shared`)",
                path,
            )
            return NoLinker()
        return KBLinker(KnowledgeBase(path, read_only=True))
    from kg.link.wikidata import OnlineLinker

    return OnlineLinker(KnowledgeBase(path), everything=name == "wikidata")
