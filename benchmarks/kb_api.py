"""Growing the knowledge base from the Wikidata API: requests, time and size per name.

Usage:
    python benchmarks/kb_api.py [--names N] [--json]

No network: the API is the loopback server of the tests (``tests/wikidata_server.py``, a
real HTTP server on 127.0.0.1 answering ``wbsearchentities`` and ``wbgetentities`` in
Wikidata's format) serving the 100 entities of the shared dump sample. The ``wikidata``
linker links sentences naming N of them ("Officials in Chicago said ..."), into an empty
base, then does it again (everything is in the base now: no request). What a real run
adds is Wikidata's own latency (about 0.1-0.5 s a request from Europe, more under
``maxlag``), times the requests a name takes, which this reports.
"""

from __future__ import annotations

import argparse
import bz2
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))


def sample() -> dict[str, dict[str, object]]:
    out = {}
    with bz2.open(SHARED / "wikidata-json-sample" / "sample_wikidata_items.json.bz2", "rt", encoding="utf-8") as f:
        for raw in f:
            line = raw.strip().rstrip(",")
            if line.startswith("{"):
                entity = json.loads(line)
                out[entity["id"]] = entity
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from kg.link.kb import KnowledgeBase
    from kg.link.wikidata import OnlineLinker, WikidataClient
    from kg.model import Article
    from kg.pipeline import process
    from tests.wikidata_server import FakeWikidata

    entities = sample()
    names = [str(e["labels"]["en"]["value"]) for e in list(entities.values())[: args.names]]  # type: ignore[index]
    articles = [Article(text=f"Officials in {name} said the talks would continue.", source=name) for name in names]
    result: dict[str, object] = {"names": len(names)}
    with tempfile.TemporaryDirectory() as tmp, FakeWikidata(entities) as server:
        path = Path(tmp) / "kb.sqlite"
        for run in ("first", "second"):
            kb = KnowledgeBase(path)
            client = WikidataClient(server.url, sleep=lambda s: None, budget=100_000)
            linker = OnlineLinker(kb, client=client, everything=True)
            before = len(server.requests)
            started = time.perf_counter()
            graphs = list(process(articles, linker=linker))
            seconds = time.perf_counter() - started
            linked = sum(1 for g in graphs for n in g.nodes if n.qid and n.link_source == "wikidata")
            entities_in_kb = kb.stats()["entities"]
            kb.close()
            result[run] = {
                "requests": len(server.requests) - before,
                "seconds": round(seconds, 2),
                "linked": linked,
                "entities": entities_in_kb,
                "kb_megabytes": round(path.stat().st_size / 1e6, 2),
            }
    first = result["first"]
    assert isinstance(first, dict)
    result["requests_per_name"] = round(first["requests"] / max(1, len(names)), 2)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:18} {value}")


if __name__ == "__main__":
    main()
