"""Entity linking quality on gold nobody here wrote: ELEVANT news sets and RSS-500.

Usage:
    python benchmarks/linking.py [FILE ...] [--kb PATH] [--json] [--threshold T] [--errors] [--ranker FILE]
                                 [--names-only]

FILE: ELEVANT JSONL benchmarks (``*.jsonl``: text, ``evaluation_span``, labels with
character spans and QIDs) or NIF Turtle (``*.ttl``, RSS-500). Defaults: the shared
News-Fair dev, Reuters-128, MSNBC, KORE50 and RSS-500 files. The knowledge base defaults
to ``build/kb-shared.sqlite`` (``make kb-shared``).

kg's named mentions are scored, and so are the kinds of people and posts kg links
(`kg.link.concepts`): a post's title ("British Prime Minister" → Prime Minister of the
United Kingdom) and a nominal mention's head word ("a lawyer" → lawyer, "most Britons"
→ Britons), on the head word's span. ``--names-only`` leaves those out, as the figures
before them were made. Sets that do not annotate kinds (Reuters-128, MSNBC) count every
kind kg links as a wrong prediction (NIL/none). Demonyms used as adjectives ("British")
are left out: kg ties them to their country on purpose (for nationality facts), while
these gold sets annotate them as peoples or offices. Gold labels for pronouns and nominal coreference (``coref``)
and ``optional`` ones are neither rewarded nor penalised. A prediction counts as right
when its span overlaps a gold span with the same QID. Scores are reported for every set
on its own: over all gold QID labels, for gold entities the knowledge base holds
(linking accuracy: "precision of in-KB links" is its P) and those it lacks (coverage),
and by the type of the gold entity (from the gold set, else from the knowledge base).
For RSS-500, whose gold marks only some mentions, precision is counted over predictions
that overlap a gold mention.

Parsed articles are cached in ``build/cache/`` (keyed by the data file and kg's
extraction code), so that runs after the first only link.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
CACHE = ROOT / "build" / "cache"
QID = re.compile(r"^Q[1-9]\d*$")
TYPE_OF = {"Q215627": "PER", "Q5": "PER", "Q43229": "ORG", "Q27096213": "LOC", "Q2221906": "LOC"}
"""Coarse classes of the ELEVANT gold (read in its files), as kg's coarse types."""
SHORT = {
    "news-fair-v2.dev.jsonl": "News-Fair dev",
    "reuters-128.shared.jsonl": "Reuters-128",
    "msnbc-updated.shared.jsonl": "MSNBC",
    "kore50.shared.jsonl": "KORE50",
    "RSS-500_wd.train.ttl": "RSS-500",
}


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

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Tally:
    all: Counts = field(default_factory=Counts)
    in_kb: Counts = field(default_factory=Counts)
    not_in_kb: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def add(self, other: Tally) -> None:
        self.all.add(other.all)
        self.in_kb.add(other.in_kb)
        self.not_in_kb.add(other.not_in_kb)
        for t, counts in other.by_type.items():
            self.by_type[t].add(counts)

    def result(self) -> dict[str, Any]:
        return {
            **self.all.scores(),
            "in_kb": self.in_kb.scores(),
            "not_in_kb": self.not_in_kb.scores(),
            "by_type": {t: c.scores() for t, c in sorted(self.by_type.items())},
        }


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
        gold[context].append(Gold(begin, end, qid, "", scored=True))
    return [
        Doc(f"{path.name}:{str(c).rsplit('/', 1)[-1]}", text, (0, len(text)), gold[c], partial=True)
        for c, text in sorted(contexts.items(), key=lambda kv: str(kv[0]))
    ]


def read_docs(path: Path) -> list[Doc]:
    return read_nif(path) if path.suffix == ".ttl" else read_elevant(path)


def _code_digest() -> str:
    """Digest of the code that turns text into resolved graphs (extraction, not linking)."""
    h = hashlib.sha256()
    kg_dir = ROOT / "kg"
    paths = [kg_dir / name for name in ("nlp.py", "model.py", "pipeline.py", "text.py", "ontology.py", "ingest.py")]
    for folder in ("extract", "resolve"):
        paths += sorted((kg_dir / folder).rglob("*.py")) + sorted((kg_dir / folder).rglob("*.json"))
    paths += [kg_dir / "resolve.py"]
    for path in paths:
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def parsed(path: Path, docs: list[Doc]) -> list[Any]:
    """The resolved, unlinked `ArticleGraph` of every document (cached on disk)."""
    key = hashlib.sha256(path.read_bytes()).hexdigest()[:16] + "-" + _code_digest()
    cached = CACHE / f"{path.name}.{key}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())  # our own cache, written below
    import kg
    from kg.link.linker import NoLinker
    from kg.pipeline import process

    articles = [kg.Article(text=d.text, source=d.name, source_id=d.name) for d in docs]
    graphs = list(process(articles, linker=NoLinker()))
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"{path.name}.*.pickle"):
        old.unlink()
    cached.write_bytes(pickle.dumps(graphs))
    return graphs


Prediction = tuple[int, int, str]


def predict(graph: Any, chosen: dict[Any, str], *, concepts: bool = True) -> list[Prediction]:
    """(start, end, QID) of every mention of a graph that names a linked node by name or
    title (countries linked by extraction, or ``chosen`` for it), and, with ``concepts``,
    of every mention annotated with the kind it is about ("a lawyer", `kg.link.concepts`)."""
    qid_of = {n.key: n.qid for n in graph.nodes if n.qid}
    qid_of.update(chosen)
    out = []
    for mention in graph.mentions:
        key = graph.mention_node.get(mention.id)
        kind = graph.concepts.get(mention.id) if concepts else None
        if kind is not None or (concepts and key in qid_of and mention.kind == "title"):
            # a kind or post is its head word's ("lawyer" of "a Boeing lawyer")
            out.append((*mention.head_span, kind or qid_of[key]))
        elif key in qid_of and mention.kind == "name":
            out.append((mention.start, mention.end, qid_of[key]))
    return out


def predictions(graphs: list[Any], linker: Any, *, concepts: bool = True) -> list[list[Prediction]]:
    """What the linker gives each graph, as the pipeline would (``link``)."""
    return [predict(linker.link(graph), {}, concepts=concepts) for graph in graphs]


def score(docs: list[Doc], predicted: list[list[Prediction]], kb_types: dict[str, str]) -> Tally:
    """Counts of right, wrong and missed links; ``kb_types`` is QID → coarse type of the
    knowledge base (its keys are what the base holds)."""
    tally = Tally()

    def kind(gold: Gold) -> str:
        return gold.type if gold.type and gold.type != "OTHER" else kb_types.get(gold.qid or "", gold.type or "?")

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
                    (tally.in_kb if gold.qid in kb_types else tally.not_in_kb).tp += 1
                    tally.by_type[kind(gold)].tp += 1
                continue
            if any(not doc.gold[i].scored for i in overlapping):
                continue
            tally.all.fp += 1
            gold_here = [doc.gold[i] for i in overlapping if doc.gold[i].qid]
            if gold_here:
                (tally.in_kb if gold_here[0].qid in kb_types else tally.not_in_kb).fp += 1
                tally.by_type[kind(gold_here[0])].fp += 1
            else:
                tally.by_type["NIL/none"].fp += 1
        for i, gold in enumerate(doc.gold):
            if gold.scored and gold.qid and i not in matched_gold:
                tally.all.fn += 1
                (tally.in_kb if gold.qid in kb_types else tally.not_in_kb).fn += 1
                tally.by_type[kind(gold)].fn += 1
    return tally


def kb_types(kb_path: Path) -> dict[str, str]:
    from kg.link.kb import KnowledgeBase

    with KnowledgeBase(kb_path, read_only=True) as kb:
        return dict(kb.db.execute("SELECT qid, type FROM entity").fetchall())


def evaluate(
    files: Iterable[Path],
    linker: Any,
    types: dict[str, str],
    *,
    parsed_sets: dict[str, Any] | None = None,
    concepts: bool = True,
) -> dict[str, Tally]:
    """A tally per file name."""
    out = {}
    for path in files:
        docs, graphs = parsed_sets[path.name] if parsed_sets else (read_docs(path), None)
        graphs = graphs if graphs is not None else parsed(path, docs)
        out[path.name] = score(docs, predictions(graphs, linker, concepts=concepts), types)
    return out


def errors(files: Iterable[Path], linker: Any, types: dict[str, str], *, concepts: bool = True) -> Iterable[str]:
    """One line per prediction `score` counts as wrong (with the gold it overlaps, if any)
    and per missed link whose gold entity the base holds, from what ``link`` gives."""
    for path in files:
        docs = read_docs(path)
        graphs = parsed(path, docs)
        for doc, preds in zip(docs, predictions(graphs, linker, concepts=concepts), strict=True):
            preds = [p for p in preds if doc.span[0] <= p[0] and p[1] <= doc.span[1]]
            for start, end, qid in preds:
                over = [g for g in doc.gold if g.start < end and start < g.end]
                if (doc.partial and not over) or any(g.qid == qid or not g.scored for g in over):
                    continue
                gold = next((g.qid for g in over if g.qid), None)
                yield f"{SHORT.get(path.name, path.name)}\twrong\t{doc.text[start:end]!r}\tgold {gold}\tgot {qid}"
            for gold in doc.gold:
                if not gold.scored or gold.qid not in types:
                    continue
                here = [p for p in preds if p[0] < gold.end and gold.start < p[1]]
                if not here:  # a prediction over it with another QID is wrong, above
                    text = doc.text[gold.start : gold.end]
                    yield f"{SHORT.get(path.name, path.name)}\tmissed\t{text!r}\tgold {gold.qid}\tgot None"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", default=[str(p) for p in DEFAULT_FILES])
    parser.add_argument("--kb", default=str(DEFAULT_KB))
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--errors", action="store_true", help="print each wrong link and each missed in-KB link instead"
    )
    parser.add_argument("--ranker", help="a ranker file other than kg/link/ranker.json (fit_linking.py --out)")
    parser.add_argument("--names-only", action="store_true", help="score named mentions only, not kinds and posts")
    args = parser.parse_args()
    kb_path = Path(args.kb)
    if not kb_path.exists():
        sys.exit(f"no knowledge base at {kb_path}: run `make kb-shared` first")
    from kg.link.features import Ranker
    from kg.link.kb import KnowledgeBase
    from kg.link.linker import KBLinker

    ranker = Ranker.from_dict(json.loads(Path(args.ranker).read_text(encoding="utf-8"))) if args.ranker else None
    types = kb_types(kb_path)
    files = [Path(f) for f in args.files]
    with KnowledgeBase(kb_path, read_only=True) as kb:
        linker = KBLinker(kb, ranker=ranker, threshold=args.threshold)
        if args.errors:
            for line in errors(files, linker, types, concepts=not args.names_only):
                print(line)
            return
        per_file = evaluate(files, linker, types, concepts=not args.names_only)
    total = Tally()
    for tally in per_file.values():
        total.add(tally)
    result = {**total.result(), "files": {n: t.result() for n, t in per_file.items()}, "threshold": linker.threshold}
    if args.json:
        print(json.dumps(result))
        return
    print(table(per_file, total))
    print(f"threshold {linker.threshold}, margin {linker.ranker.margin}, knowledge base {kb_path}")


def table(per_file: dict[str, Tally], total: Tally | None = None) -> str:
    """The report: per set, all gold, gold in the KB, and by type."""
    lines = [f"{'':34}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]

    def row(label: str, s: dict[str, float]) -> None:
        lines.append(f"{label:34}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}"
                     f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")  # fmt: skip

    sets = list(per_file.items()) + ([("ALL", total)] if total is not None else [])
    for name, tally in sets:
        result = tally.result()
        row(SHORT.get(name, name)[:33] + " (all mentions)", result)
        row("  gold in KB (in-KB links)", result["in_kb"])
        row("  gold not in KB", result["not_in_kb"])
        for t, s in result["by_type"].items():
            row(f"  type {t}", s)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
