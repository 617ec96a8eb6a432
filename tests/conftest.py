"""Shared fixtures: the spaCy pipeline (loaded once), helpers to build graphs from text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.extract import extract
from kg.model import Article, ArticleGraph, Key
from kg.nlp import load_nlp
from kg.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seed").is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


def make_article(text: str, date: str | None = "2024-01-05", title: str | None = None) -> Article:
    return Article(
        text=text,
        title=title,
        date=dt.date.fromisoformat(date) if date else None,
        source="<test>",
    )


@pytest.fixture(scope="session")
def analyse(nlp) -> Callable[..., ArticleGraph]:
    """Text → resolved `ArticleGraph`."""

    def run(text: str, date: str | None = "2024-01-05") -> ArticleGraph:
        article = make_article(text, date)
        return resolve(extract(nlp(text), article))

    return run


def facts_of(graph: ArticleGraph) -> set[tuple[str, str, object]]:
    """(subject label, predicate, object label or value) of every primary fact."""
    labels = {n.key: n.label for n in graph.nodes}
    out: set[tuple[str, str, object]] = set()
    for f in graph.facts:
        if not f.primary:
            continue
        obj: object = f.object
        if isinstance(f.object, Key):
            obj = labels.get(f.object, f.object.value)
        elif hasattr(f.object, "value"):
            obj = f.object.value
        out.add((labels.get(f.subject, f.subject.value), f.predicate, obj))
    return out


@pytest.fixture(scope="session", autouse=True)
def _no_personal_knowledge_base(tmp_path_factory):
    """Tests never see a knowledge base in the user's data directory, nor a linker from the
    environment: each test that links says which base it uses."""
    import os

    saved = {k: os.environ.get(k) for k in ("KG_KB", "KG_LINKER", "KG_WIKIDATA_API")}
    os.environ["KG_KB"] = str(tmp_path_factory.mktemp("no-kb") / "absent.sqlite")
    os.environ.pop("KG_LINKER", None)
    os.environ["KG_WIKIDATA_API"] = "http://127.0.0.1:9/w/api.php"  # nothing listens there: never the internet
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
