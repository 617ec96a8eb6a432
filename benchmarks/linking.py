"""Entity linking quality on gold nobody here wrote: ELEVANT news sets and RSS-500.

Usage:
    python benchmarks/linking.py [FILE ...] [--kb PATH] [--json] [--threshold T]

FILE: ELEVANT JSONL benchmarks (``*.jsonl``: text, ``evaluation_span``, labels with
character spans and QIDs) or NIF Turtle (``*.ttl``, RSS-500). Defaults: the shared
News-Fair dev, Reuters-128, MSNBC, KORE50 and RSS-500 files. The knowledge base defaults
to ``build/kb-shared.sqlite`` (``make kb-shared``).

kg's named mentions are scored. Demonyms ("British", "Americans") are left out: kg ties
them to their country on purpose (for nationality facts), while these gold sets annotate
them as peoples or offices. Gold labels for pronouns and nominal coreference (``coref``)
and ``optional`` ones are neither rewarded nor penalised. A prediction counts as right
when its span overlaps a gold span with the same QID. Scores are reported over all gold
QID labels, and separately for gold entities the knowledge base holds (linking accuracy)
and those it lacks (coverage).
For RSS-500, whose gold marks only some mentions, precision is counted over predictions
that overlap a gold mention.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_FILES = [
    SHARED / "elevant-el" / "news-fair-v2.dev.jsonl",
    SHARED / "elevant-el" / "reuters-128.shared.jsonl",
    SHARED / "elevant-el" / "msnbc-updated.shared.jsonl",
    SHARED / "elevant-el" / "kore50.shared.jsonl",
    SHARED / "rss500-wikidata-nif" / "RSS-500_wd.train.ttl",
]
DEFAULT_KB = ROOT / "build" / "kb-shared.sqlite"
QID = re.compile(r"^Q[1-9]\d*$")
TYPE_OF = {"Q215627": "PER", "Q5": "PER", "Q43229": "ORG", "Q27096213": "LOC", "Q2221906": "LOC"}


@dataclass
class Gold:
    start: int
    end: int
    qid: str | None  # None: NIL or not mapped
    type: str
    scored: bool  # False: optional or coreference (neither rewarded nor penalised)


@dataclass
class Doc:
    name: str
    text: str
    span: tuple[int, int]
    gold: list[Gold]
    partial: bool = False  # gold marks only some mentions


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


@dataclass
class Tally:
    all: Counts = field(default_factory=Counts)
    in_kb: Counts = field(default_factory=Counts)
    not_in_kb: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))


def _type(types: str) -> str:
    for t in str(types).split("|"):
        if t in TYPE_OF:
            return TYPE_OF[t]
    return "OTHER"


def read_elevant(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        span = tuple(item.get("evaluation_span") or (0, len(item["text"])))
        gold = []
        for label in item.get("labels", []):
            start, end = label["span"]
            if not (span[0] <= start and end <= span[1]):
                continue
            qid = label.get("entity_id")
            gold.append(
                Gold(
                    start,
                    end,
                    qid if isinstance(qid, str) and QID.match(qid) else None,
                    _type(label.get("type", "")),
                    scored=not label.get("optional") and not label.get("coref") and qid != "DATETIME",
                )
            )
        docs.append(Doc(f"{path.name}:{item.get('id')}", item["text"], span, gold))  # type: ignore[arg-type]
    return docs


def read_nif(path: Path) -> list[Doc]:
    from rdflib import Graph, Namespace

    nif = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    its = Namespace("http://www.w3.org/2005/11/its/rdf#")
    graph = Graph().parse(path, format="turtle")
    contexts = {c: str(graph.value(c, nif.isString)) for c in graph.subjects(nif.isString, None)}
    gold: dict[object, list[Gold]] = defaultdict(list)
    for mention in graph.subjects(nif.anchorOf, None):
        context = graph.value(mention, nif.referenceContext)
        target = str(graph.value(mention, its.taIdentRef) or "")
        qid = target.rsplit("/", 1)[-1] if target.startswith("http://www.wikidata.org/entity/") else None
        begin, end = int(graph.value(mention, nif.beginIndex)), int(graph.value(mention, nif.endIndex))
        gold[context].append(Gold(begin, end, qid, "OTHER", scored=True))
    return [
        Doc(f"{path.name}:{str(c).rsplit('/', 1)[-1]}", text, (0, len(text)), gold[c], partial=True)
        for c, text in sorted(contexts.items(), key=lambda kv: str(kv[0]))
    ]


def predictions(docs: list[Doc], kb_path: Path, threshold: float) -> list[list[tuple[int, int, str]]]:
    """(start, end, QID) of every linked name mention kg finds in each document."""
    import kg
    from kg.link.kb import KnowledgeBase
    from kg.link.linker import KBLinker
    from kg.pipeline import process

    kb = KnowledgeBase(kb_path, read_only=True)
    linker = KBLinker(kb, threshold=threshold)
    articles = [kg.Article(text=d.text, source=d.name, source_id=d.name) for d in docs]
    out = []
    for graph in process(articles, linker=linker):
        qid_of = {n.key: n.qid for n in graph.nodes if n.qid}
        found = []
        for mention in graph.mentions:
            key = graph.mention_node.get(mention.id)
            if key in qid_of and mention.kind == "name":
                found.append((mention.start, mention.end, qid_of[key]))
        out.append(found)
    kb.close()
    return out


def score(docs: list[Doc], predicted: list[list[tuple[int, int, str]]], kb_qids: set[str]) -> Tally:
    tally = Tally()
    for doc, preds in zip(docs, predicted, strict=True):
        preds = [p for p in preds if doc.span[0] <= p[0] and p[1] <= doc.span[1]]
        matched_gold: set[int] = set()
        for start, end, qid in preds:
            overlapping = [i for i, g in enumerate(doc.gold) if g.start < end and start < g.end]
            if doc.partial and not overlapping:
                continue
            right = [i for i in overlapping if doc.gold[i].qid == qid]
            if right:
                i = right[0]
                if not doc.gold[i].scored:
                    continue
                if i not in matched_gold:
                    matched_gold.add(i)
                    gold = doc.gold[i]
                    tally.all.tp += 1
                    (tally.in_kb if gold.qid in kb_qids else tally.not_in_kb).tp += 1
                    tally.by_type[gold.type].tp += 1
                continue
            if any(not doc.gold[i].scored for i in overlapping):
                continue
            tally.all.fp += 1
            gold_here = [doc.gold[i] for i in overlapping if doc.gold[i].qid]
            if gold_here:
                (tally.in_kb if gold_here[0].qid in kb_qids else tally.not_in_kb).fp += 1
                tally.by_type[gold_here[0].type].fp += 1
            else:
                tally.by_type["NIL/none"].fp += 1
        for i, gold in enumerate(doc.gold):
            if gold.scored and gold.qid and i not in matched_gold:
                tally.all.fn += 1
                (tally.in_kb if gold.qid in kb_qids else tally.not_in_kb).fn += 1
                tally.by_type[gold.type].fn += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", default=[str(p) for p in DEFAULT_FILES])
    parser.add_argument("--kb", default=str(DEFAULT_KB))
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    kb_path = Path(args.kb)
    if not kb_path.exists():
        sys.exit(f"no knowledge base at {kb_path}: run `make kb-shared` first")
    from kg.link.kb import KnowledgeBase
    from kg.link.linker import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    with KnowledgeBase(kb_path, read_only=True) as kb:
        kb_qids = {row[0] for row in kb.db.execute("SELECT qid FROM entity")}
    total = Tally()
    per_file = {}
    for name in args.files:
        path = Path(name)
        docs = read_nif(path) if path.suffix == ".ttl" else read_elevant(path)
        tally = score(docs, predictions(docs, kb_path, threshold), kb_qids)
        per_file[path.name] = tally
        for attr in ("all", "in_kb", "not_in_kb"):
            for k in ("tp", "fp", "fn"):
                setattr(getattr(total, attr), k, getattr(getattr(total, attr), k) + getattr(getattr(tally, attr), k))
        for t, counts in tally.by_type.items():
            for k in ("tp", "fp", "fn"):
                setattr(total.by_type[t], k, getattr(total.by_type[t], k) + getattr(counts, k))
    result = {
        **total.all.scores(),
        "in_kb": total.in_kb.scores(),
        "not_in_kb": total.not_in_kb.scores(),
        "by_type": {t: c.scores() for t, c in sorted(total.by_type.items())},
        "files": {n: {**t.all.scores(), "in_kb": t.in_kb.scores()} for n, t in per_file.items()},
        "threshold": threshold,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'':32}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")

    def row(label: str, s: dict[str, float]) -> None:
        print(f"{label:32}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")

    for name, tally in per_file.items():
        row(name[:31], tally.all.scores())
        row("  gold in KB", tally.in_kb.scores())
    row("ALL", result)  # type: ignore[arg-type]
    row("  gold in KB (accuracy)", result["in_kb"])  # type: ignore[arg-type]
    row("  gold not in KB (coverage)", result["not_in_kb"])  # type: ignore[arg-type]
    for t, s in result["by_type"].items():  # type: ignore[attr-defined]
        row(f"  type {t}", s)
    print(f"threshold {threshold}")


if __name__ == "__main__":
    main()
