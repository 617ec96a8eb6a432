"""The store at corpus scale: build, unchanged re-run, and every shipped query three ways.

Usage:
    python benchmarks/store.py [JSONL/CSV/folder ...] [--limit N] [--kb PATH] [--store DIR] [--json]

Defaults to the BBC 2005 corpus in ../shared/data (2,225 records, 2,089 distinct texts)
and the shared knowledge base when `make kb-shared` has made it. It

1. builds the corpus into an Oxigraph store with `kg build` (one process, timed end to end);
2. runs the same build again over the built store (nothing changed: nothing is parsed);
3. times every shipped query (``examples/queries/*.rq`` and the packaged ones) through
   `kg query` (a new process each time, as a user runs it), through pyoxigraph in this
   process on the same store, and through rdflib's in-memory `Dataset` loaded with the
   same quads (loading timed apart; each rdflib query stopped after ``--rdflib-timeout``);
4. counts rows and repeated rows of each query.

Times are medians of three runs (rdflib: one). The CLI's start-up is the time of a
trivial ``ASK`` through `kg query`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT = [SHARED / "bbc-news-2005" / "bbc_news.jsonl"]
KG = [sys.executable, "-m", "kg"]
BINDINGS = {"entity.rq": {"name": "tony blair"}, "find_entity.rq": {"name": "tony blair"}}
TRIVIAL = "ASK { ?s ?p ?o }"


def shipped() -> list[Path]:
    packaged = ROOT / "kg" / "query" / "queries"
    return sorted((ROOT / "examples" / "queries").glob("*.rq")) + sorted(packaged.glob("*.rq"))


def _run(args: list[str], *, timeout: float = 3600) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    return seconds, proc.stdout


def build(inputs: list[str], store: Path, kb: Path | None) -> dict[str, Any]:
    args = [*KG, "build", *inputs, "--store", str(store), "--no-progress"]
    if kb is not None:
        args += ["--kb", str(kb)]
    first, out = _run(args)
    again, out_again = _run(args)
    return {"first_s": first, "rerun_s": again, "first": out.strip(), "rerun": out_again.strip()}


def cli_times(store: Path, queries: list[Path]) -> tuple[float, dict[str, dict[str, float]]]:
    startup = statistics.median(_run([*KG, "query", str(store), TRIVIAL])[0] for _ in range(3))
    out: dict[str, dict[str, float]] = {}
    for query in queries:
        binds = [f"--bind={k}={v}" for k, v in BINDINGS.get(query.name, {}).items()]
        runs = [_run([*KG, "query", str(store), str(query), "--format", "csv", *binds]) for _ in range(3)]
        out[query.name] = {"seconds": statistics.median(s for s, _ in runs)}
    return startup, out


def oxigraph_times(store: Path, queries: list[Path]) -> dict[str, dict[str, Any]]:
    import pyoxigraph as ox

    db = ox.Store.read_only(str(store))
    out: dict[str, dict[str, Any]] = {}
    for query in queries:
        text = query.read_text(encoding="utf-8")
        subs = {ox.Variable(k): ox.Literal(v) for k, v in BINDINGS.get(query.name, {}).items()}
        times, rows = [], []
        for _ in range(3):
            started = time.perf_counter()
            result = db.query(text, use_default_graph_as_union=True, substitutions=subs)
            if isinstance(result, ox.QuerySolutions):
                names = result.variables
                rows = [tuple(str(s[v]) if s[v] is not None else "" for v in names) for s in result]
            else:
                rows = [(str(bool(result)),)]
            times.append(time.perf_counter() - started)
        repeated = sum(n - 1 for n in Counter(rows).values() if n > 1)
        out[query.name] = {"seconds": statistics.median(times), "rows": len(rows), "repeated": repeated}
    del db
    return out


def _rdflib_child(dump: str, names: list[str]) -> None:
    """Runs in a child process: load the quads into rdflib, then each query, one JSON line each."""
    from rdflib import Dataset, Literal

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    print(json.dumps({"load_s": time.perf_counter() - started, "quads": len(dataset)}), flush=True)
    by_name = {q.name: q for q in shipped()}
    for name in names:
        text = by_name[name].read_text(encoding="utf-8")
        bindings = {k: Literal(v) for k, v in BINDINGS.get(name, {}).items()}
        started = time.perf_counter()
        try:
            result = dataset.query(text, initBindings=bindings)  # type: ignore[arg-type]
            rows = len(list(result)) if result.type == "SELECT" else 1
        except Exception as exc:  # rdflib raises plain Exceptions for what it cannot evaluate
            print(json.dumps({"query": name, "seconds": None, "rows": None, "error": str(exc)[:200]}), flush=True)
            continue
        print(json.dumps({"query": name, "seconds": time.perf_counter() - started, "rows": rows}), flush=True)


def rdflib_times(store: Path, queries: list[Path], timeout: float) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "store.nq"
        db = ox.Store.read_only(str(store))
        with dump.open("wb") as handle:
            db.dump(handle, ox.RdfFormat.N_QUADS)
        del db
        todo = [q.name for q in queries]
        load: dict[str, Any] = {}
        out: dict[str, dict[str, Any]] = {}
        while todo:
            child = subprocess.Popen(
                [sys.executable, __file__, "--rdflib-child", str(dump), *todo], stdout=subprocess.PIPE, text=True
            )
            assert child.stdout is not None
            load = json.loads(child.stdout.readline())
            for name in list(todo):
                deadline = time.perf_counter() + timeout
                line = _readline_until(child, deadline)
                todo.remove(name)
                if line is None:
                    out[name] = {"seconds": None, "rows": None}
                    child.kill()
                    child.wait()
                    break
                out[name] = json.loads(line)
            else:
                child.wait()
        return load, out


def _readline_until(child: subprocess.Popen[str], deadline: float) -> str | None:
    import selectors

    assert child.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    while time.perf_counter() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.perf_counter())):
            line = child.stdout.readline()
            return line or None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=[str(p) for p in DEFAULT])
    parser.add_argument("--limit", type=int, help="only the first N records (written to a temporary JSONL)")
    parser.add_argument("--kb", type=Path, default=ROOT / "build" / "kb-shared.sqlite")
    parser.add_argument("--store", type=Path, help="keep the store here (default: a temporary directory)")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds before an rdflib query is stopped")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rdflib-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rdflib_child:
        _rdflib_child(args.rdflib_child[0], args.rdflib_child[1:])
        return
    kb = args.kb if args.kb.exists() else None
    with tempfile.TemporaryDirectory() as tmp:
        inputs = args.inputs
        if args.limit:
            lines = Path(inputs[0]).read_text(encoding="utf-8").splitlines()[: args.limit]
            limited = Path(tmp) / f"first-{args.limit}.jsonl"
            limited.write_text("\n".join(lines) + "\n", encoding="utf-8")
            inputs = [str(limited)]
        store = args.store or Path(tmp) / "store.oxigraph"
        queries = shipped()
        built = build(inputs, store, kb)
        startup, cli = cli_times(store, queries)
        ox_times = oxigraph_times(store, queries)
        load, rdf = rdflib_times(store, queries, args.rdflib_timeout)
    result = {
        "inputs": [Path(p).name for p in args.inputs],
        "limit": args.limit,
        "kb": str(kb) if kb else None,
        "build": built,
        "cli_startup_s": startup,
        "rdflib_load": load,
        "queries": {q.name: {"cli": cli[q.name], "oxigraph": ox_times[q.name], "rdflib": rdf[q.name]} for q in queries},
    }
    if args.json:
        print(json.dumps(result))
        return
    _print(result)


def _print(result: dict[str, Any]) -> None:
    build = result["build"]
    print(f"corpus: {', '.join(result['inputs'])}" + (f" (first {result['limit']})" if result["limit"] else ""))
    print(f"knowledge base: {result['kb'] or 'none'}")
    print(f"first build: {build['first_s']:.1f} s — {build['first'].splitlines()[0]}")
    print(f"{'':13}{build['first'].splitlines()[-1]}")
    print(f"unchanged re-run: {build['rerun_s']:.2f} s ({build['first_s'] / build['rerun_s']:.0f}x faster)")
    load = result["rdflib_load"]
    print(f"rdflib Dataset: {load.get('quads', 0):,} quads loaded in {load.get('load_s', 0):.1f} s (not counted below)")
    startup = result["cli_startup_s"]
    print(f"kg query start-up (trivial ASK through the CLI): {startup:.2f} s\n")
    header = f"{'query':20}{'rows':>8}{'repeated':>10}{'kg query':>10}{'/ ASK':>7}{'pyoxigraph':>12}"
    print(header + f"{'CLI/(ox+start)':>16}{'rdflib':>10}{'rdflib/ox':>11}")
    for name, q in result["queries"].items():
        cli, ox, rdf = q["cli"]["seconds"], q["oxigraph"]["seconds"], q["rdflib"]["seconds"]
        rdf_text = f"{rdf:>10.2f}" if rdf is not None else f"{(q['rdflib'].get('error') and 'error') or 'stopped':>10}"
        ratio = f"{rdf / ox:>10.0f}x" if rdf is not None and ox > 0 else f"{'-':>11}"
        print(
            f"{name:20}{q['oxigraph']['rows']:>8,}{q['oxigraph']['repeated']:>10}{cli:>10.2f}{cli / startup:>7.2f}"
            f"{ox:>12.3f}{cli / (ox + startup):>16.2f}{rdf_text}{ratio}"
        )


if __name__ == "__main__":
    main()
