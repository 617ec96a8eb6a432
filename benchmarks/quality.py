"""Quality of kg's extraction on data nobody here wrote (and a small gold we wrote by hand).

Usage:
    python benchmarks/quality.py events [GOLD.jsonl] [--corpus CSV] [--json]

`events` scores news events field by field (location, date, deaths, injured) against
``benchmarks/gold/wikinews_2019_events.jsonl`` on the Wikinews 2019 articles it names.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
GOLD_EVENTS = ROOT / "benchmarks" / "gold" / "wikinews_2019_events.jsonl"
WIKINEWS_2019 = SHARED / "wikinews-2019-2020" / "wikinews_2019.csv"

ATTACKS = {"Attack", "Bombing", "Shooting", "Stabbing", "Airstrike", "Kidnapping", "Explosion"}
EVENTS_QUERY = """
PREFIX kg:   <https://kg.example.org/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?e ?type ?label
       (GROUP_CONCAT(DISTINCT ?place; separator="|") AS ?places)
       (SAMPLE(?d) AS ?date) (SAMPLE(?k) AS ?deaths) (SAMPLE(?i) AS ?injured)
       (GROUP_CONCAT(DISTINCT ?who; separator="|") AS ?perpetrators)
       (COUNT(DISTINCT ?f) AS ?facts)
WHERE {
  ?e kg:mentionedIn ?article ; a ?t ; rdfs:label ?label .
  ?article <http://purl.org/dc/terms/identifier> ?id .
  FILTER(STRSTARTS(STR(?t), STR(kg:)))
  BIND(STRAFTER(STR(?t), "#") AS ?type)
  OPTIONAL { ?e kg:location/rdfs:label ?place }
  OPTIONAL { ?e kg:date ?d }
  OPTIONAL { ?e kg:deaths ?k }
  OPTIONAL { ?e kg:injured ?i }
  OPTIONAL { ?e kg:perpetrator/rdfs:label ?who }
  OPTIONAL { ?f rdf:subject ?e }
}
GROUP BY ?e ?type ?label
"""


def _load_csv(path: Path) -> dict[str, dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        return {row["url"]: row for row in csv.DictReader(f)}


def _matches(name: str, accepted: list[str]) -> bool:
    n = name.casefold()
    return any(a.casefold() in n or n in a.casefold() for a in accepted if a)


def _count_ok(value: int | None, accepted: list[int] | None) -> bool:
    if accepted is None:
        return value is None
    if value is None:
        return 0 in accepted
    return value in accepted


def events(gold_path: Path, corpus: Path, *, verbose: bool = True) -> dict[str, Any]:
    import kg
    from kg.ingest import article_id, parse_date

    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = _load_csv(corpus)
    missing = [g["url"] for g in gold if g["url"] not in rows]
    if missing:
        raise SystemExit(f"{len(missing)} gold articles are not in {corpus}: {missing[:2]}")
    articles = []
    for g in gold:
        row = rows[g["url"]]
        articles.append(
            kg.Article(
                id=article_id(row["text"]),
                text=row["text"],
                title=row["title"],
                date=parse_date(row["date"]),
                url=row["url"],
                source=f"{corpus.name}:{row['title'][:40]}",
            )
        )
    from kg.store import OxigraphStore

    graph = kg.build(articles, store=OxigraphStore(None))
    from kg.query.sparql import run
    from kg.rdf.namespaces import Minter

    minter = Minter(graph.settings.base_iri)
    totals = {"location": 0, "date": 0, "deaths": 0, "injured": 0}
    scored_injured = 0
    details = []
    for g, article in zip(gold, articles, strict=True):
        result = run(
            graph.store,
            EVENTS_QUERY.replace("?article <http://purl.org/dc/terms/identifier> ?id .", ""),
        )
        prefix = str(minter.article(article.id)) + "/"
        system = [r for r in result if str(r["e"]).startswith(prefix)]
        for gold_event in g["events"]:
            family = ATTACKS if gold_event["type"] in ATTACKS else {gold_event["type"]}
            candidates = [r for r in system if str(r["type"]) in family]
            best = max(candidates, key=lambda r: int(str(r["facts"])), default=None)
            places = str(best["places"]).split("|") if best is not None and best["places"] else []
            date = str(best["date"]) if best is not None and best["date"] is not None else None
            deaths = int(str(best["deaths"])) if best is not None and best["deaths"] is not None else None
            injured = int(str(best["injured"])) if best is not None and best["injured"] is not None else None
            ok = {
                "location": any(_matches(p, gold_event["location"]) for p in places),
                "date": date == gold_event["date"],
                "deaths": best is not None and _count_ok(deaths, gold_event["deaths"]),
                "injured": best is not None and _count_ok(injured, gold_event["injured"]),
            }
            for key in totals:
                totals[key] += ok[key]
            scored_injured += 1
            details.append(
                {
                    "title": g["title"],
                    "event": str(best["label"]) if best is not None else None,
                    "location": places,
                    "date": date,
                    "deaths": deaths,
                    "injured": injured,
                    "ok": ok,
                }
            )
    graph.close()
    n = len(details)
    summary = {k: round(v / n, 3) for k, v in totals.items()}
    out = {"events": n, **summary, "details": details}
    if verbose:
        print(f"{'article':60} {'loc':>4} {'date':>5} {'dead':>5} {'inj':>4}  system")
        for d in details:
            marks = " ".join(f"{'ok' if d['ok'][k] else '--':>4}" for k in ("location", "date", "deaths", "injured"))
            print(f"{d['title'][:60]:60} {marks}  {d['event']} | {','.join(d['location'])} | {d['date']} | "
                  f"{d['deaths']} | {d['injured']}")  # fmt: skip
        print(
            f"\n{n} gold events: location {totals['location']}/{n}, date {totals['date']}/{n}, "
            f"deaths {totals['deaths']}/{n}, injured {totals['injured']}/{n}"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="task", required=True)
    e = sub.add_parser("events", help="news events against hand-made gold")
    e.add_argument("gold", nargs="?", default=str(GOLD_EVENTS))
    e.add_argument("--corpus", default=str(WIKINEWS_2019))
    e.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.task == "events":
        result = events(Path(args.gold), Path(args.corpus), verbose=not args.json)
        if args.json:
            result.pop("details")
            print(json.dumps(result))


if __name__ == "__main__":
    main()
