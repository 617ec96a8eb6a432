"""Smoke tests of the evaluation harnesses on a few documents of the shared data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "quality.py"), *args, "--json"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_redocred_on_three_documents(shared: Path) -> None:
    result = run("redocred", "--limit", "3")
    assert result["documents"] == 3
    assert set(result) >= {"precision", "recall", "f1", "covered_share", "mention_f1"}
    assert 0 < result["covered_share"] <= 1 and 0 < result["mention_f1"] <= 1


def test_fewrel_on_a_few_sentences(shared: Path) -> None:
    result = run("fewrel", "--limit", "3")
    assert result["instances"] == 48 and "P463" in result["covered_properties"]


def test_property_map_comes_from_the_ontology() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from quality import property_map
    finally:
        sys.path.pop(0)
    direct, inverse = property_map()
    assert direct["nationality"] == "P27" and direct["locatedIn"] == "P131" and direct["country"] == "P17"
    assert inverse["leaderOf"] == "P488" and inverse["founderOf"] == "P112"
    assert direct["spokespersonOf"] == "P108"  # through rdfs:subPropertyOf kg:employer
    pytest.importorskip("rdflib")
