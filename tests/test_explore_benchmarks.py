"""Smoke tests of `benchmarks/viz.py` and `benchmarks/endpoint.py` on a store of our own:
they run end to end and report what they promise (figures come from the real runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kg

from .chromium import find_chromium
from .conftest import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "kg.oxigraph"
    kg.build([str(EXAMPLES / "news")], store=str(path), settings=kg.Settings(linker="none")).close()
    return path


def bench(*args: str) -> Any:
    proc = subprocess.run(
        [sys.executable, *args, "--json"], capture_output=True, text=True, timeout=300, check=True, cwd=ROOT
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed (.ci/run installs it)")
def test_viz_benchmark(store: Path) -> None:
    result = bench("benchmarks/viz.py", str(store), "--sizes", "10", "--baseline-timeout", "5")
    (row,) = result["sizes"]
    assert row["nodes"] == 10 and row["kg"]["drawn"] > 0 and row["kg"]["still"] >= row["kg"]["drawn"]
    assert "drawn" in row["baseline"] and row["igraph_fr_s"] >= 0
    assert result["kg_viz_default_s"] > 0 and result["default_page"]["drawn"] > 0


def test_endpoint_benchmark(store: Path) -> None:
    result = bench("benchmarks/endpoint.py", str(store), "--clients", "2", "--seconds", "1")
    for name in ("kg serve", "kg serve --workers 0", "pyoxigraph in-process (1 client)"):
        assert result[name]["queries"] > 0 and result[name]["errors"] == 0, (name, result[name])
        assert result[name]["p99_ms"] >= result[name]["p50_ms"] > 0
