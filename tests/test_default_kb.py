"""The knowledge base that ships: built offline on first use from the package's own data.

QIDs are read from the package's data files (``countries.tsv``, ``places.tsv``), never
written here."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from rdflib import OWL, Dataset

import kg
from kg.cli import main as kg_main
from kg.link import default as package_kb
from kg.link.default import ensure_package_data, package_digest
from kg.link.kb import KnowledgeBase

from .conftest import EXAMPLES, SHARED

LINKS = """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?item WHERE { ?e owl:sameAs ?item ; rdfs:label ?label }"""


def _rows(name: str) -> list[list[str]]:
    text = resources.files("kg.extract").joinpath("lexicons", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()[1:] if line and not line.startswith("#")]


def country_qid(label: str) -> str:
    return next(row[2] for row in _rows("countries.tsv") if row[1] == label)


def city_qid(name: str, iso2: str) -> str:
    return next(row[4] for row in _rows("places.tsv") if row[:3] == [name, "city", iso2])


def expected_links() -> dict[str, str]:
    return {
        "Kerman": city_qid("Kerman", "IR"),
        "Shiraz": city_qid("Shiraz", "IR"),
        "Iran": country_qid("Iran"),
        "Tajikistan": country_qid("Tajikistan"),
    }


def links_of(graph: kg.KnowledgeGraph) -> dict[str, str]:
    return {str(r["label"]): str(r["item"]).rsplit("/", 1)[-1] for r in graph.query(LINKS)}


@pytest.mark.parametrize("source", ["example", "seed"])
def test_a_fresh_build_links_the_seed_places_from_package_data(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = (
        EXAMPLES / "news" / "kerman-2024-01-05.md"
        if source == "example"
        else SHARED / "seed" / "kerman-2024-01-05.jsonl"
    )
    if not path.exists():
        pytest.skip(f"{path} is not there")
    kb = tmp_path / "data" / "kg" / "kb.sqlite"
    monkeypatch.setenv("KG_KB", str(kb))  # the default base, not there yet
    graph = kg.build([path])
    links = links_of(graph)
    graph.close()
    for label, qid in expected_links().items():
        assert links.get(label) == qid, (label, links)
    assert kb.exists() and not list(kb.parent.glob("*.tmp"))
    with KnowledgeBase(kb, read_only=True) as base:
        assert base.meta("package") == package_digest()


def test_make_demo_links_without_a_knowledge_base_step(tmp_path: Path) -> None:
    """What `make demo` runs, as a new user would: no base anywhere, no network."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "home"))
    env.pop("KG_KB")
    out = tmp_path / "demo.trig"
    subprocess.run(
        [sys.executable, "-m", "kg", "build", str(EXAMPLES / "news"), "--out", str(out), "--no-progress"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "home" / "kg" / "kb.sqlite").exists()
    dataset = Dataset()
    dataset.parse(out, format="trig")
    same = {str(o).rsplit("/", 1)[-1] for _, _, o, _ in dataset.quads((None, OWL.sameAs, None, None))}
    assert set(expected_links().values()) <= same


def test_the_base_is_built_once_then_updated_when_the_package_data_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "kb.sqlite"
    assert ensure_package_data(path)
    assert not ensure_package_data(path)  # up to date
    monkeypatch.setattr(package_kb, "package_digest", lambda: "newer")
    assert ensure_package_data(path)
    with KnowledgeBase(path, read_only=True) as kb:
        assert kb.meta("package") == "newer"
        kerman = {c.entity.subtype: c.entity for c in kb.lookup("Kerman")}
        assert kerman["city"].country == country_qid("Iran")
        assert kerman["city"].located_in == kerman["region"].qid  # P131 from the gazetteer's "in"
        assert (kerman["city"].popularity or 0) > (kerman["region"].popularity or 0)  # a bare name is the city first
        assert [c.entity.qid for c in kb.lookup("Kerman Province")] == [kerman["region"].qid]


def test_bases_kg_did_not_seed_are_left_alone(tmp_path: Path) -> None:
    own = tmp_path / "own.sqlite"
    KnowledgeBase(own).close()
    assert not ensure_package_data(own)  # made through the Python API: not the default base
    assert ensure_package_data(own, default=True)
    bare = tmp_path / "bare.sqlite"
    code = kg_main(
        ["kb", "--kb", str(bare), "import", "--bare", str(Path(__file__).parent / "fixtures" / "kb_entities.jsonl")]
    )
    assert code == 0
    assert not ensure_package_data(bare, default=True)
    with KnowledgeBase(bare, read_only=True) as kb:
        assert kb.stats()["entities"] == 9 and not kb.lookup("Tajikistan")


def test_an_import_into_a_new_base_adds_to_the_package_data(tmp_path: Path) -> None:
    path = tmp_path / "kb.sqlite"
    code = kg_main(["kb", "--kb", str(path), "import", str(Path(__file__).parent / "fixtures" / "kb_entities.jsonl")])
    assert code == 0
    with KnowledgeBase(path, read_only=True) as kb:
        assert [c.entity.qid for c in kb.lookup("Tajikistan")] == [country_qid("Tajikistan")]
        assert kb.get("Q999000007") is not None  # the fixture's entities too


def test_an_unwritable_place_links_countries_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    settings = kg.Settings(linker="kb", kb_path=str(blocked / "kb.sqlite"))
    graph = kg.build([kg.Article(text="Police in Kerman, Iran, arrested two men.", source="<test>")], settings=settings)
    links = links_of(graph)
    graph.close()
    assert links == {"Iran": country_qid("Iran")}
    assert any("cannot build the knowledge base" in r.getMessage() for r in caplog.records)
