"""`kg serve` under load: queries per second and latency with concurrent clients.

Usage:
    python benchmarks/endpoint.py [STORE] [--clients 8] [--seconds 20] [--oxigraph PATH] [--json]

STORE defaults to ``build/bbc.oxigraph`` (the whole BBC corpus: ``kg build
../shared/data/bbc-news-2005/bbc_news.jsonl --store build/bbc.oxigraph``). It starts
``kg serve STORE`` on a free port of 127.0.0.1 and lets ``--clients`` threads send a mix
of queries a user of the endpoint sends (an entity by name, its facts with their
sentences, who claimed which attack, counts by type, an ASK), each client its next query
as soon as the last one answered, for ``--seconds``. It prints queries per second and the
50th and 99th percentile of latency, over all and per query.

Baselines in the same run, on the same store and queries:
- ``kg serve --workers 0``: a new worker process for each query, as `kg query` does;
- the same mix through pyoxigraph in one process, no HTTP and no limits (the floor);
- Oxigraph's own server (``oxigraph serve-read-only --union-default-graph``) when its
  binary is installed (``pip install oxigraph``, or ``--oxigraph PATH``), with the same
  clients: it has no row cap and sends SERVICE calls out, which is why kg does not use it.

Every request is to 127.0.0.1 and the run stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = """PREFIX kg: <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
QUERIES = {
    "entity by name": PREFIXES
    + """SELECT ?e ?type WHERE { { ?e rdfs:label "Tony Blair" } UNION { ?e skos:altLabel "Tony Blair" } ?e a ?type }""",
    "facts of an entity": PREFIXES
    + """SELECT ?p ?o ?sentence WHERE {
  ?e rdfs:label "Gordon Brown" .
  ?f rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ; kg:primary true .
  OPTIONAL { ?f kg:sentence/nif:anchorOf ?sentence }
} LIMIT 50""",
    "claims": PREFIXES
    + """SELECT ?who ?attack WHERE {
  ?c kg:claimedResponsibilityFor ?e . ?c rdfs:label ?who . ?e rdfs:label ?attack
}""",
    "count by type": PREFIXES
    + """SELECT ?type (COUNT(?e) AS ?n) WHERE { GRAPH <https://kg.example.org/graph/entities> { ?e a ?type } }
GROUP BY ?type ORDER BY DESC(?n)""",
    "ask": PREFIXES + """ASK { ?e rdfs:label "London" }""",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}?{query}", timeout=5) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads, each sending the next query of the mix as soon as it has an answer."""
    names = list(QUERIES)
    samples: dict[str, list[float]] = {n: [] for n in names}
    errors: list[str] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            name = names[i % len(names)]
            i += 1
            request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": QUERIES[name]}).encode())
            request.add_header("Accept", "application/sparql-results+json")
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
            except OSError as exc:
                with lock:
                    errors.append(f"{name}: {exc}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                samples[name].append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return _summary(samples, wall, errors)


def _summary(samples: dict[str, list[float]], wall: float, errors: list[str]) -> dict[str, Any]:
    every = sorted(s for values in samples.values() for s in values)

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    return {
        "queries": len(every),
        "qps": len(every) / wall if wall else 0.0,
        "p50_ms": pct(every, 0.50),
        "p99_ms": pct(every, 0.99),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "per_query": {n: {"count": len(v), "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99)} for n, v in samples.items()},
    }


def in_process(store_path: str, seconds: float) -> dict[str, Any]:
    """The same mix through pyoxigraph in this process: one client, no HTTP, no limits."""
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    names = list(QUERIES)
    samples: dict[str, list[float]] = {n: [] for n in names}
    stop = time.monotonic() + seconds
    started = time.perf_counter()
    i = 0
    while time.monotonic() < stop:
        name = names[i % len(names)]
        i += 1
        t = time.perf_counter()
        result = store.query(QUERIES[name], use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
        samples[name].append(time.perf_counter() - t)
    return _summary(samples, time.perf_counter() - started, [])


def served(command: list[str], url: str, clients: int, seconds: float) -> dict[str, Any]:
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(url, proc)
        load(url, 2, 2.0)  # warm up
        return load(url, clients, seconds)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _oxigraph(given: str | None) -> str | None:
    if given:
        return given
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", default=str(ROOT / "build" / "bbc.oxigraph"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--oxigraph", help="the oxigraph server binary (default: beside python, or on PATH)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not Path(args.store).is_dir():
        raise SystemExit(f"{args.store}: no store (build one, see the docstring)")
    results: dict[str, Any] = {"load": os.getloadavg()[0]}
    port = _free_port()
    results["kg serve"] = served(
        [sys.executable, "-m", "kg", "serve", args.store, "--port", str(port)],
        f"http://127.0.0.1:{port}/sparql",
        args.clients,
        args.seconds,
    )
    port = _free_port()
    results["kg serve --workers 0"] = served(
        [sys.executable, "-m", "kg", "serve", args.store, "--port", str(port), "--workers", "0"],
        f"http://127.0.0.1:{port}/sparql",
        args.clients,
        args.seconds,
    )
    binary = _oxigraph(args.oxigraph)
    if binary:
        port = _free_port()
        results["oxigraph serve-read-only"] = served(
            [
                binary,
                "serve-read-only",
                "--location",
                args.store,
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            f"http://127.0.0.1:{port}/query",
            args.clients,
            args.seconds,
        )
    results["pyoxigraph in-process (1 client)"] = in_process(args.store, min(args.seconds, 10.0))
    if args.json:
        print(json.dumps(results))
        return
    print(f"store {args.store}; {args.clients} clients for {args.seconds:g} s; load average {results['load']:.2f}")
    print(f"{'':34} {'queries':>8} {'q/s':>8} {'p50':>9} {'p99':>9} {'errors':>7}")
    for name, r in results.items():
        if name == "load":
            continue
        print(f"{name:34} {r['queries']:>8,} {r['qps']:>8.1f} {r['p50_ms']:>7.1f}ms {r['p99_ms']:>7.1f}ms "
              f"{r['errors']:>7}")  # fmt: skip
        for query, q in r["per_query"].items():
            print(f"  {query:32} {q['count']:>8,} {'':>8} {q['p50_ms']:>7.1f}ms {q['p99_ms']:>7.1f}ms")
        if r["first_error"]:
            print(f"  first error: {r['first_error']}")
    if not binary:
        print("(oxigraph's server not found: pip install oxigraph, or --oxigraph PATH, to compare)")


if __name__ == "__main__":
    main()
