"""Hostile inputs next to good ones: time, peak memory and what was stored.

Usage:
    python benchmarks/hostile.py [--only NAME ...] [--json]

Each case is a folder of three good articles plus one hostile input, built with
`kg build` into a fresh store in a process of its own; the baseline is the same build of
the three good articles alone. The inputs are generated here (no shared data): a
950 KB single sentence (spaCy E088 territory before chunking), a 5 MB article, a JSONL
line with a 50 MB text field, Markdown with 20,000 unclosed ``[``, HTML nested 10,000
deep. A query case times a cross product and a three-way ``COUNT`` with a 10 s
timeout, on the largest of those stores. Figures: wall seconds, peak resident memory of
the build (``ru_maxrss`` of that child), articles stored, and the lines it printed on
stderr.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).with_name("kg")
GOOD = [
    "Police in Kerman said on Monday that {n} men had been arrested after the bombing at the cemetery.",
    "The ministry said the attack killed {n} people and injured dozens more near the mosque.",
    "Officials in Tehran said on Tuesday that {n} suspects were still being sought by the police.",
]
WORDS = "the army said that a group of men attacked the town near the river on monday and police arrested".split()


def _words(n: int) -> str:
    return " ".join(itertools.islice(itertools.cycle(WORDS), n))


def one_sentence(folder: Path) -> None:
    (folder / "one_sentence.txt").write_text(_words(200_000)[:950_000], encoding="utf-8")


def five_megabytes(folder: Path) -> None:
    (folder / "five_mb.txt").write_text((_words(170) + ".\n\n") * 6_000, encoding="utf-8")


def jsonl_field(folder: Path) -> None:
    with (folder / "big.jsonl").open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "fine", "text": GOOD[0].format(n="nine")}) + "\n")
        out.write('{"id": "huge", "text": "' + "word " * 10_000_000 + '"}\n')


def brackets(folder: Path) -> None:
    (folder / "brackets.md").write_text("Some [text " * 20_000 + "\n", encoding="utf-8")


def deep_html(folder: Path) -> None:
    (folder / "deep.html").write_text("<div>" * 10_000 + "<p>Deep news.</p>" + "</div>" * 10_000, encoding="utf-8")


CASES: dict[str, Callable[[Path], None]] = {
    "baseline (3 good articles)": lambda folder: None,
    "950 KB one sentence": one_sentence,
    "5 MB article": five_megabytes,
    "50 MB JSONL field": jsonl_field,
    "20,000 unclosed [": brackets,
    "HTML 10,000 deep": deep_html,
}


def _build(folder: Path, store: Path) -> dict[str, object]:
    out, err = store.with_suffix(".out"), store.with_suffix(".err")
    started = time.perf_counter()
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen([str(KG), "build", str(folder), "--store", str(store), "--no-progress"],
                                stdout=stdout, stderr=stderr)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)  # the peak memory of this child alone
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    built = next((line for line in out.read_text().splitlines() if line.startswith("built")), "")
    return {
        "seconds": round(seconds, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "exit": proc.returncode,
        "built": built.split(" (")[0],
        "stderr": [line[:160] for line in err.read_text().splitlines() if "WARNING: no knowledge base" not in line],
    }


def _queries(store: Path) -> list[dict[str, object]]:
    out = []
    for name, sparql in [
        ("cross product", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"),
        ("three-way COUNT", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    ]:
        started = time.perf_counter()
        proc = subprocess.run([str(KG), "query", str(store), sparql, "--format", "csv", "--timeout", "10"],
                              capture_output=True, text=True, check=False)  # fmt: skip
        out.append({"query": name, "seconds": round(time.perf_counter() - started, 1), "exit": proc.returncode,
                    "rows": max(0, proc.stdout.count("\n") - 1), "stderr": proc.stderr.strip()[:160]})  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only the cases whose names contain these words")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in CASES.items():
            if args.only and not any(word in name for word in args.only) and "baseline" not in name:
                continue
            folder = Path(tmp) / f"case{len(results)}"
            folder.mkdir()
            for i, sentence in enumerate(GOOD):
                (folder / f"good{i}.txt").write_text(sentence.format(n=i + 2), encoding="utf-8")
            make(folder)
            result = {"case": name, **_build(folder, Path(tmp) / f"store{len(results)}")}
            results.append(result)
            if not args.json:
                print(f"{name:28} {result['seconds']:7.1f} s  peak {result['peak_mb']:>6} MB  "
                      f"exit {result['exit']}  {result['built']}")  # fmt: skip
                for line in result["stderr"]:  # type: ignore[attr-defined]
                    print(f"{'':30}{line}")
        biggest = max(Path(tmp).glob("store*[0-9]"), key=lambda d: sum(f.stat().st_size for f in d.rglob("*")))
        queries = _queries(biggest)  # the most quads: a cross product worth stopping
    if args.json:
        print(json.dumps({"builds": results, "queries": queries}))
    else:
        for q in queries:
            print(f"query: {q['query']:22} {q['seconds']:5.1f} s  exit {q['exit']}  rows {q['rows']}  {q['stderr']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
