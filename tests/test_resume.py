"""A build killed at a random moment leaves a consistent store, and running it again ends
exactly where an uninterrupted build ends.

The killed build replaces articles with edited versions and links names the first build
left unlinked, so it also rewrites articles it does not replace (their unlinked names
now stand for the linked entity) and updates the entity layer: every kind of write."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import kg
from kg.corpus import Corpus
from kg.ingest import read_articles
from kg.link.importers import import_file
from kg.link.kb import KnowledgeBase
from kg.rdf.namespaces import Minter
from kg.store import Store, open_store

from .test_corpus import CORPUS, FIXTURES, quads

TIMES = ("in the morning", "at noon", "in the evening", "at night")
KILLS = 4


def versions() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The corpus four times over (other ids), as first written and as edited later."""
    base = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    first, second = [], []
    for n, when in enumerate(TIMES):
        for record in base:
            copy = dict(record, id=f"{record['id']}-{n}", text=f"{record['text']}\n\nThe report was filed {when}.")
            first.append(copy)
            second.append(dict(copy, text=copy["text"] + " Officials gave no further details."))
    return first, second


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def cli(*args: str, kb: Path | None, verbose: bool = False) -> subprocess.Popen[bytes]:
    env = dict(os.environ, KG_LINKER="kb" if kb else "none", KG_KB=str(kb) if kb else os.environ["KG_KB"])
    env["KG_FLUSH_SECONDS"] = "0"  # every article on disk when written: a kill can land between any two
    return subprocess.Popen(
        [sys.executable, "-m", "kg", *(["-v"] if verbose else []), "build", *args, "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def run(*args: str, kb: Path | None) -> None:
    proc = cli(*args, kb=kb)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()


def consistent(store: Store, old: Path, new: Path, kb: Path) -> int:
    """The store is what building the article versions it holds gives, and nothing else;
    returns how many edited versions it holds."""
    held = Corpus(store, Minter(kg.Settings().base_iri)).articles()
    expected = open_store(None)
    edited = 0
    for path, linker in ((old, None), (new, kb)):
        settings = kg.Settings(linker="kb" if linker else "none", kb_path=str(linker) if linker else None)
        for article in read_articles([path], on_problem=lambda p: None):
            stored = held.get(article.origin)
            if stored is not None and stored.digest == article.digest:
                kg.build([article], store=expected, settings=settings)
                edited += path == new
    assert quads(store) == quads(expected)
    return edited


def test_killed_builds_resume_to_the_same_store(tmp_path: Path) -> None:
    kb = tmp_path / "kb.sqlite"
    with KnowledgeBase(kb) as base:
        import_file(base, FIXTURES / "kb_entities.jsonl")
    first, second = versions()
    old = write_jsonl(tmp_path / "old.jsonl", first)
    new = write_jsonl(tmp_path / "new.jsonl", second)
    initial = tmp_path / "initial.oxigraph"
    run(str(old), "--store", str(initial), kb=None)

    reference = tmp_path / "reference.oxigraph"
    shutil.copytree(initial, reference)
    run(str(new), "--store", str(reference), kb=kb)
    expected = open_store(reference, read_only=True)
    assert Corpus(expected, Minter(kg.Settings().base_iri)).audit() == []
    want = quads(expected)
    expected.close()

    rng = random.Random(20261201)
    replaced: list[int] = []
    for attempt in range(KILLS):
        store_path = tmp_path / f"killed-{attempt}.oxigraph"
        shutil.copytree(initial, store_path)
        proc = cli(str(new), "--store", str(store_path), kb=kb, verbose=True)
        written, wanted = 0, rng.randrange(len(second))  # kill after this many articles, and a little more
        assert proc.stderr is not None
        for line in proc.stderr:
            written += b": replaced" in line
            if written >= wanted:
                break
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL, "the build ended before the kill"
        proc.stderr.close()
        store = open_store(store_path)
        assert len(Corpus(store, Minter(kg.Settings().base_iri)).articles()) == len(first)
        replaced.append(consistent(store, old, new, kb))
        store.close()
        run(str(new), "--store", str(store_path), kb=kb)
        store = open_store(store_path, read_only=True)
        assert quads(store) == want, f"kill {attempt} did not resume to the reference store"
        store.close()
    assert any(0 < n < len(second) for n in replaced), f"no kill landed mid-build: {replaced}"
