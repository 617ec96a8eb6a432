"""Knowledge bases of entities a test writes, built through the JSONL importer."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from kg.link.importers import import_file
from kg.link.kb import KnowledgeBase


def entity_kb(folder: Path, entities: Iterable[dict[str, object]]) -> KnowledgeBase:
    """A base at ``folder/kb.sqlite`` holding ``entities`` (JSONL records), opened read-only."""
    source = folder / "entities.jsonl"
    source.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    with KnowledgeBase(folder / "kb.sqlite") as base:
        import_file(base, source)
    return KnowledgeBase(folder / "kb.sqlite", read_only=True)
