"""Quality of kg's extraction on data nobody here wrote (and a small gold we wrote by hand).

Usage:
    python benchmarks/quality.py redocred [FILE] [--limit N] [--asserted-only] [--linker kb] [--json]
    python benchmarks/quality.py fewrel [FILE] [--limit N] [--json]
    python benchmarks/quality.py events [GOLD.jsonl] [--corpus CSV] [--json]
    python benchmarks/quality.py            # the whole scoreboard

`redocred` runs the pipeline on Re-DocRED dev documents, aligns kg's entities to the gold
entity clusters by character overlap (a mention aligns with a gold mention when they
share at least half of their union), maps kg's properties to Wikidata property ids
through the ontology's own alignments (``owl:equivalentProperty wdt:P…``, inverses by
``owl:inverseOf``), and scores triples per property and micro-averaged over the
properties the ontology covers; also the share of gold triples those properties make
up, and entity mention F1. `fewrel` gives kg the sentence and the head and tail spans and
scores the property it predicts between them. `events` scores news events field by
field against the hand-made gold of ``benchmarks/gold/``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
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


def _event_offset(iri: str) -> int:
    tail = iri.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def events(gold_path: Path, corpus: Path, *, verbose: bool = True) -> dict[str, Any]:
    import kg
    from kg.ingest import parse_date

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
            # the main event: the most facts, then the earliest first mention (events are
            # numbered by where their first mention starts)
            best = max(candidates, key=lambda r: (int(str(r["facts"])), -_event_offset(str(r["e"]))), default=None)
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


# ---------------------------------------------------------------------------- ontology mapping


def property_map() -> tuple[dict[str, str], dict[str, str]]:
    """kg property local name → Wikidata property id, direct and inverse, from ontology/kg.ttl."""
    from rdflib import OWL, RDFS

    from kg.validate import ontology

    graph = ontology()
    kg_ns = "https://kg.example.org/ontology#"
    wdt = "http://www.wikidata.org/prop/direct/"
    direct: dict[str, str] = {}
    for prop, other in graph.subject_objects(OWL.equivalentProperty):
        if str(prop).startswith(kg_ns) and str(other).startswith(wdt):
            direct[str(prop)[len(kg_ns) :]] = str(other)[len(wdt) :]
    inverse: dict[str, str] = {}
    for prop, other in graph.subject_objects(OWL.inverseOf):
        name = str(other)[len(kg_ns) :]
        if str(prop).startswith(kg_ns) and name in direct:
            inverse[str(prop)[len(kg_ns) :]] = direct[name]
    # sub-properties count as their parents when they have no alignment of their own
    for prop, parent in graph.subject_objects(RDFS.subPropertyOf):
        name, parent_name = str(prop)[len(kg_ns) :], str(parent)[len(kg_ns) :]
        if str(prop).startswith(kg_ns) and name not in direct and parent_name in direct:
            direct[name] = direct[parent_name]
    return direct, inverse


# ---------------------------------------------------------------------------- Re-DocRED

REDOCRED = SHARED / "re-docred" / "dev_revised.json"
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "'s", "n't", "'", "%", "''"}
NO_SPACE_AFTER = {"(", "[", "{", "``", "$"}


def detokenize(sents: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text from DocRED tokens and the character span of every token."""
    pieces: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    length = 0
    previous = ""
    for sent in sents:
        sent_spans = []
        for token in sent:
            space = bool(pieces) and token not in NO_SPACE_BEFORE and previous not in NO_SPACE_AFTER
            if space:
                pieces.append(" ")
                length += 1
            sent_spans.append((length, length + len(token)))
            pieces.append(token)
            length += len(token)
            previous = token
        spans.append(sent_spans)
    return "".join(pieces), spans


def _aligned(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Two spans stand for the same mention when they share at least half of their union
    ("Turkish" and "Turkish", "the Norwegian Army" and "Norwegian Army", but not "Polish"
    and "Teatr Wielki – Polish National Opera")."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    return shared > 0 and shared * 2 >= max(a_end, b_end) - min(a_start, b_start)


def redocred(
    path: Path, *, limit: int | None = None, verbose: bool = True, asserted_only: bool = False, linker: str = "none"
) -> dict[str, Any]:
    """Relations and mentions on Re-DocRED. Every fact the graph records counts as a
    prediction, document-level guesses included; ``asserted_only`` counts only the facts
    asserted as plain triples. ``linker`` "kb" links against the default knowledge base
    (offline), which adds the places and countries it knows of linked entities."""
    import kg
    from kg.link import make_linker
    from kg.model import Key
    from kg.pipeline import process

    docs = json.loads(path.read_text(encoding="utf-8"))
    if limit:
        docs = docs[:limit]
    direct, inverse = property_map()
    covered = set(direct.values()) | set(inverse.values())
    texts, token_spans = zip(*(detokenize(d["sents"]) for d in docs), strict=True)
    articles = [
        kg.Article(text=t, source=f"{path.name}:{i}", source_id=f"{path.name}:{i}") for i, t in enumerate(texts)
    ]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    gold_total = 0
    gold_covered = 0
    mention = Counter()
    by_extractor: dict[str, Counter[str]] = defaultdict(Counter)  # a triple counts once per extractor
    graphs = process(articles, linker=make_linker(linker))
    for doc, spans, graph in zip(docs, token_spans, graphs, strict=True):
        # gold mentions as character spans
        gold_mentions: list[tuple[int, int, int]] = []
        for entity_index, entity in enumerate(doc["vertexSet"]):
            for m in entity:
                start = spans[m["sent_id"]][m["pos"][0]][0]
                end = spans[m["sent_id"]][m["pos"][1] - 1][1]
                gold_mentions.append((start, end, entity_index))
        # align kg nodes to gold entities by overlap of their mentions
        votes: dict[Key, Counter[int]] = defaultdict(Counter)
        predicted_spans = set()
        for m in graph.mentions:
            key = graph.mention_node.get(m.id)
            if m.kind in ("name", "demonym"):
                predicted_spans.add((m.start, m.end))
            if key is None or m.kind not in ("name", "demonym", "title"):
                continue
            for start, end, entity_index in gold_mentions:
                if _aligned(start, end, m.start, m.end):
                    votes[key][entity_index] += 1
        # a node stands for every gold entity one of its mentions aligns with: kg's "Turkey"
        # node holds the mention "Turkish", which Re-DocRED keeps as an entity of its own
        node_entities = {key: {e for e, n in c.items() if n} for key, c in votes.items()}
        gold_spans = {(s, e) for s, e, _ in gold_mentions}
        mention["tp"] += len(predicted_spans & gold_spans)
        mention["fp"] += len(predicted_spans - gold_spans)
        mention["fn"] += len(gold_spans - predicted_spans)
        gold = {(lab["h"], lab["t"], lab["r"]) for lab in doc["labels"]}
        gold_total += len(gold)
        gold = {g for g in gold if g[2] in covered}
        gold_covered += len(gold)
        predicted = set()
        for f in graph.facts:
            if not isinstance(f.object, Key) or f.subject not in node_entities or f.object not in node_entities:
                continue
            if asserted_only and not f.primary:
                continue
            triples = set()
            for h in node_entities[f.subject]:
                for t in node_entities[f.object]:
                    if h == t:
                        continue
                    if f.predicate in direct:
                        triples.add((h, t, direct[f.predicate]))
                    if f.predicate in inverse:
                        triples.add((t, h, inverse[f.predicate]))
            for triple in triples:
                by_extractor[f.extractor]["tp" if triple in gold else "fp"] += 1
            predicted |= triples
        for triple in predicted:
            (tp if triple in gold else fp)[triple[2]] += 1
        for triple in gold - predicted:
            fn[triple[2]] += 1

    def prf(t: int, f: int, n: int) -> dict[str, float]:
        p = t / (t + f) if t + f else 0.0
        r = t / (t + n) if t + n else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                "tp": t, "fp": f, "fn": n}  # fmt: skip

    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    per_property = {p: prf(tp[p], fp[p], fn[p]) for p in sorted(covered, key=lambda p: -(tp[p] + fn[p]))}
    mentions = prf(mention["tp"], mention["fp"], mention["fn"])
    out = {
        "documents": len(docs),
        **{k: micro[k] for k in ("precision", "recall", "f1")},
        "covered_share": round(gold_covered / gold_total, 3) if gold_total else 0.0,
        "mention_f1": mentions["f1"],
        "mention_precision": mentions["precision"],
        "mention_recall": mentions["recall"],
        "micro": micro,
        "per_property": per_property,
        "by_extractor": {k: dict(v) for k, v in sorted(by_extractor.items(), key=lambda kv: -sum(kv[1].values()))},
    }
    if verbose:
        print(f"Re-DocRED {path.name}: {len(docs)} documents; covered properties are {gold_covered:,} of "
              f"{gold_total:,} gold triples ({out['covered_share']:.1%})")  # fmt: skip
        print(f"{'property':10}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
        for name, s in [("micro", micro), *per_property.items()]:
            print(
                f"{name:10}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
            )
        m = mentions
        print(f"entity mentions (exact spans): P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
        print(f"\n{'extractor':40}{'right':>7}{'wrong':>7}{'P':>7}   (covered properties, before merging)")
        for name, c in out["by_extractor"].items():
            print(f"{name:40}{c.get('tp', 0):>7}{c.get('fp', 0):>7}{c.get('tp', 0) / sum(c.values()):>7.2f}")
    return out


# ---------------------------------------------------------------------------- FewRel

FEWREL = SHARED / "fewrel" / "val_wiki.shared.json"


def fewrel(path: Path, *, limit: int | None = None, verbose: bool = True) -> dict[str, Any]:
    """Given a sentence and its head and tail spans, which property does kg predict?"""
    from spacy.tokens import Span

    from kg.extract import extract
    from kg.model import Article, Key
    from kg.nlp import load_nlp
    from kg.resolve import resolve

    data = json.loads(path.read_text(encoding="utf-8"))
    direct, inverse = property_map()
    covered = (set(direct.values()) | set(inverse.values())) & set(data)
    items = [(pid, inst) for pid, instances in data.items() for inst in instances[: limit or None]]
    texts, token_spans = zip(*(detokenize([inst["tokens"]]) for _, inst in items), strict=True)
    nlp = load_nlp()
    predicted_counts: Counter[str] = Counter()
    right: Counter[str] = Counter()
    gold_counts: Counter[str] = Counter()
    wrong = 0
    any_prediction = 0
    for (pid, inst), text, spans, doc in zip(items, texts, token_spans, nlp.pipe(texts, batch_size=64), strict=True):
        gold_counts[pid] += 1
        char_spans = []
        for _, _, positions in (inst["h"], inst["t"]):
            tokens = positions[0]
            char_spans.append((spans[0][tokens[0]][0], spans[0][tokens[-1]][1]))
        given = []
        for start, end in char_spans:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                break
            label = next((e.label_ for e in doc.ents if e.start < span.end and span.start < e.end), "ORG")
            given.append(Span(doc, span.start, span.end, label=label))
        if len(given) != 2 or (given[0].start < given[1].end and given[1].start < given[0].end):
            continue
        others = [e for e in doc.ents if all(not (e.start < g.end and g.start < e.end) for g in given)]
        doc.set_ents(sorted([*others, *given], key=lambda e: e.start))
        article = Article(text=text, source="fewrel", source_id=f"fewrel:{pid}:{len(gold_counts)}")
        graph = resolve(extract(doc, article))
        keys = []
        for start, end in char_spans:
            best = max(
                (m for m in graph.mentions if m.start < end and start < m.end and m.id in graph.mention_node),
                key=lambda m: min(m.end, end) - max(m.start, start),
                default=None,
            )
            keys.append(graph.mention_node[best.id] if best is not None else None)
        head, tail = keys
        predicted = set()
        for f in graph.facts:
            if head is None or tail is None or not isinstance(f.object, Key):
                continue
            if (f.subject, f.object) == (head, tail):
                if f.predicate in direct:
                    predicted.add(direct[f.predicate])
            elif (f.subject, f.object) == (tail, head) and f.predicate in inverse:
                predicted.add(inverse[f.predicate])
        predicted &= covered
        if predicted:
            any_prediction += 1
        for p in predicted:
            predicted_counts[p] += 1
            if p == pid:
                right[p] += 1
            else:
                wrong += 1

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    per_property = {
        p: {
            "gold": gold_counts[p],
            "right": right[p],
            "recall": ratio(right[p], gold_counts[p]),
            "predicted": predicted_counts[p],
            "precision": ratio(right[p], predicted_counts[p]),
        }
        for p in sorted(covered)
    }
    total_right = sum(right.values())
    total_gold = sum(gold_counts[p] for p in covered)
    total_predicted = sum(predicted_counts.values())
    out = {
        "instances": len(items),
        "covered_properties": sorted(covered),
        "recall": round(total_right / total_gold, 3) if total_gold else 0.0,
        "precision": round(total_right / total_predicted, 3) if total_predicted else 0.0,
        "wrong_label_rate": round(wrong / any_prediction, 3) if any_prediction else 0.0,
        "predictions": total_predicted,
        "per_property": per_property,
    }
    p, r = out["precision"], out["recall"]
    out["f1"] = round(2 * p * r / (p + r), 3) if p + r else 0.0  # type: ignore[operator]
    if verbose:
        print(
            f"FewRel {path.name}: {len(items)} sentences; kg covers {', '.join(sorted(covered))} of its 16 properties"
        )
        for name, figures in per_property.items():
            print(f"  {name}: right {figures['right']} of {figures['gold']} (recall {figures['recall']:.3f}); "
                  f"predicted {figures['predicted']} times (precision {figures['precision']:.3f})")  # fmt: skip
        print(f"  covered: recall {out['recall']:.3f}, precision {out['precision']:.3f}")
        print(f"  a covered property predicted where the gold says another: {wrong} times "
              f"({out['wrong_label_rate']:.1%} of predictions)")  # fmt: skip
    return out


PEERS = [
    (
        "Re-DocRED / DocRED relations, end to end (micro F1)",
        "JEREX (Eberts & Ulges, EACL 2021): 40.38 on DocRED official test, all 96 relations, strict "
        "(arXiv:2102.05980; listed at wizwand.com/paper/68fa6b631e209131cea2df3d). "
        "Not like for like: kg scores only the properties its ontology covers, on Re-DocRED dev.",
    ),
    ("entity mention detection", "JEREX: mention extraction 92.99 F1 on DocRED official test (same source)."),
]


def scoreboard() -> None:
    """Every evaluation on the shared data, in one table, with peers' published figures."""
    import time

    started = time.perf_counter()
    rows: list[tuple[str, str]] = []
    r = redocred(REDOCRED, verbose=False)
    rows.append(("Re-DocRED dev, covered properties: P / R / F1",
                 f"{r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f}"))  # fmt: skip
    a = redocred(REDOCRED, verbose=False, asserted_only=True)
    rows.append(("  asserted facts only (no document-level guesses): P / R / F1",
                 f"{a['precision']:.3f} / {a['recall']:.3f} / {a['f1']:.3f}"))  # fmt: skip
    k = redocred(REDOCRED, verbose=False, linker="kb")
    rows.append(("  linked against the default knowledge base (--linker kb): P / R / F1",
                 f"{k['precision']:.3f} / {k['recall']:.3f} / {k['f1']:.3f}"))  # fmt: skip
    rows.append(("Re-DocRED dev, share of gold triples covered", f"{r['covered_share']:.1%}"))
    rows.append(("Re-DocRED dev, entity mention F1 (exact spans)", f"{r['mention_f1']:.3f}"))
    for pid in ("P131", "P17", "P27", "P463", "P361"):
        s = r["per_property"].get(pid)
        if s:
            rows.append((f"  {pid}: P / R / F1", f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}"))
    f = fewrel(FEWREL, verbose=False)
    rows.append((f"FewRel val (covered: {', '.join(f['covered_properties'])}): P / R",
                 f"{f['precision']:.3f} / {f['recall']:.3f}"))  # fmt: skip
    rows.append(("FewRel val: covered property predicted where gold says another", f"{f['wrong_label_rate']:.1%}"))
    e = events(GOLD_EVENTS, WIKINEWS_2019, verbose=False)
    rows.append((f"News events ({e['events']} Wikinews 2019 articles, hand gold): location / date / deaths / injured",
                 f"{e['location']:.0%} / {e['date']:.0%} / {e['deaths']:.0%} / {e['injured']:.0%}"))  # fmt: skip
    from analyst import analyst

    g = analyst(verbose=False)
    for kind in ("actions", "statements", "affiliations", "numbers"):
        rows.append(
            (f"Analyst gold (30 articles), {kind}: P / R", f"{g[kind]['precision']:.3f} / {g[kind]['recall']:.3f}")
        )
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':{width}}  kg")
    for k, v in rows:
        print(f"{k:{width}}  {v}")
    print("\npublished figures of others (for scale, not like for like):")
    for what, figure in PEERS:
        print(f"- {what}: {figure}")
    print(f"\n({time.perf_counter() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="task")
    e = sub.add_parser("events", help="news events against hand-made gold")
    e.add_argument("gold", nargs="?", default=str(GOLD_EVENTS))
    e.add_argument("--corpus", default=str(WIKINEWS_2019))
    e.add_argument("--json", action="store_true")
    r = sub.add_parser("redocred", help="relations and mentions on Re-DocRED dev")
    r.add_argument("file", nargs="?", default=str(REDOCRED))
    r.add_argument("--limit", type=int)
    r.add_argument("--asserted-only", action="store_true", help="count only facts asserted as plain triples")
    r.add_argument("--linker", choices=("none", "kb"), default="none", help="link against the default KB")
    r.add_argument("--json", action="store_true")
    f = sub.add_parser("fewrel", help="property given head and tail, on FewRel")
    f.add_argument("file", nargs="?", default=str(FEWREL))
    f.add_argument("--limit", type=int, help="instances per property")
    f.add_argument("--json", action="store_true")
    n = sub.add_parser("analyst", help="actions, statements, affiliations and numbers against the analyst gold")
    n.add_argument("gold", nargs="?", default=None)
    n.add_argument("--json", action="store_true")
    n.add_argument("--details", action="store_true")
    args = parser.parse_args()
    if args.task is None:
        scoreboard()
        return
    verbose = not args.json
    if args.task == "analyst":
        from analyst import GOLD, analyst

        result = analyst(Path(args.gold) if args.gold else GOLD, verbose=verbose, details=args.details)
    elif args.task == "events":
        result = events(Path(args.gold), Path(args.corpus), verbose=verbose)
    elif args.task == "redocred":
        result = redocred(
            Path(args.file), limit=args.limit, verbose=verbose, asserted_only=args.asserted_only, linker=args.linker
        )
    else:
        result = fewrel(Path(args.file), limit=args.limit, verbose=verbose)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k not in ("per_property", "details", "by_extractor")}))


if __name__ == "__main__":
    main()
