"""The `kg` command end to end: build, query, validate, stats, and what users see on errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, main

from .conftest import EXAMPLES

ARTICLE = EXAMPLES / "news" / "kerman-2024-01-05.md"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "kg.oxigraph"
    assert main(["build", str(ARTICLE), "--store", str(path), "--no-progress"]) == EXIT_OK
    return path


def test_building_twice_changes_nothing(store: Path, capsys) -> None:
    capsys.readouterr()
    main(["stats", str(store)])
    before = capsys.readouterr().out
    assert main(["build", str(ARTICLE), "--store", str(store), "--no-progress"]) == EXIT_OK
    capsys.readouterr()
    main(["stats", str(store)])
    assert capsys.readouterr().out == before


def test_corrupt_file_in_a_folder_is_skipped_and_the_rest_lands(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / "good.md")
    (folder / "other.txt").write_text(
        "Friday, January 4, 2019\n\nGunmen killed 10 people at a market in the city of Maiduguri on Monday.\n",
        encoding="utf-8",
    )
    (folder / "corrupt.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe binary")
    (folder / "broken.jsonl").write_text('{"text": "Two blasts hit the city."}\n{"text": \n', encoding="utf-8")
    store = tmp_path / "kg.oxigraph"
    code = main(["build", str(folder), "--store", str(store), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == EXIT_SKIPPED
    assert f"skipped {folder / 'corrupt.txt'}" in err and "not valid UTF-8" in err
    assert f"skipped {folder / 'broken.jsonl'}:2: malformed JSON" in err
    assert "Traceback" not in err
    assert "built 3 articles" in out
    main(
        [
            "query",
            str(store),
            "SELECT (COUNT(?a) AS ?n) WHERE { ?a a <https://kg.example.org/ontology#Article> }",
            "--format",
            "csv",
        ]
    )
    assert capsys.readouterr().out.split() == ["n", "3"]


def test_query_formats_and_bindings(store: Path, capsys) -> None:
    capsys.readouterr()
    query = str(EXAMPLES / "queries" / "claims.rq")
    assert main(["query", str(store), query, "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    row = data["results"]["bindings"][0]
    assert row["claimant"]["value"] == "Islamic State"
    assert row["deaths"] == {"type": "literal", "value": "90", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert main(["query", str(store), str(EXAMPLES / "queries" / "entity.rq"), "--bind", "name=ISIS-K"]) == EXIT_OK
    table = capsys.readouterr().out
    assert "branchOf" in table and "Islamic State" in table


def test_bad_sparql_is_one_line_with_a_position(store: Path, capsys) -> None:
    assert main(["query", str(store), "SELECT ?x WHERE { ?x ?y }"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("kg: SPARQL syntax error at line 1, column") and err.count("\n") == 1


def test_validate_and_stats(store: Path, capsys) -> None:
    assert main(["validate", str(store)]) == EXIT_OK
    assert "conforms" in capsys.readouterr().out
    assert main(["stats", str(store)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "articles   1" in out and "kg:Bombing" in out


def test_outputs(tmp_path: Path, capsys) -> None:
    out_file = tmp_path / "g.ttl"
    html = tmp_path / "g.html"
    assert main(["build", str(ARTICLE), "--out", str(out_file), "--html", str(html), "--no-progress"]) == EXIT_OK
    from rdflib import Graph

    assert len(Graph().parse(out_file, format="turtle")) > 300
    assert html.stat().st_size > 100_000


def test_nothing_readable_is_an_error(tmp_path: Path, capsys) -> None:
    assert main(["build", str(tmp_path / "missing.txt"), "--no-progress"]) == EXIT_ERROR
    assert "no such file" in capsys.readouterr().err


def test_console_script_reads_stdin(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "build", "-", "--out", str(tmp_path / "o.nq")],
        input="Police arrested three suspects in Hamburg on Tuesday.",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "built 1 article" in proc.stdout
    assert "arrestedCount" in (tmp_path / "o.nq").read_text(encoding="utf-8")
