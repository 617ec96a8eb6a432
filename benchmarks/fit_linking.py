"""Fit the linker's weights and thresholds (``kg/link/ranker.json``) on the shared dev sets.

Usage:
    python benchmarks/fit_linking.py [--kb PATH] [--target 0.92] [--dry-run] [--out FILE]

1. Parses the five shared entity-linking sets (News-Fair dev, Reuters-128, MSNBC, KORE50,
   RSS-500; cached, see ``linking.py``) and asks the linker for every named node's
   candidates and their features (`kg.link.features`).
2. Labels each candidate from the gold: right when it is the gold entity of the node's
   mentions; a node whose mentions the gold marks as NIL, or as an entity the knowledge
   base lacks, or (in the sets annotated exhaustively) does not mark at all, has no right
   candidate. Nodes are weighted by their scored gold mentions.
3. Fits an L2-regularised logistic regression (Newton's method, numpy) of "right" on the
   features of the candidates of the nodes whose gold entity is among them (what ranks
   the right one first; whether to link at all is the threshold's job, step 4), with the
   sign of the weights of evidence for and against held (`POSITIVE`, `NEGATIVE`), twice:
   the second time with the first fit's links as the context of the linker's second
   reading. (Nodes without their gold among the candidates, and the NIL ones, weigh in
   the choice of the threshold; fitting on them as well ranked worse, see the README.)
4. Chooses the threshold and margin on the sets' own scores (``linking.score``): of the
   pairs with which the most sets reach ``--target`` precision of in-KB links, the one
   with the best all-mention F1 (News-Fair counted twice).
5. Leave one set out: fits on four sets, chooses on them, and scores the fifth, for each
   set in turn, beside the scores of the fit on all five (what overfitting costs).
6. Writes ``kg/link/ranker.json`` (unless ``--dry-run``) with the figures it reached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linking

ROOT = linking.ROOT
OUT = ROOT / "kg" / "link" / "ranker.json"
THRESHOLDS = [round(0.2 + 0.05 * i, 2) for i in range(16)]
MARGINS = [0.0, 0.05, 0.1, 0.2, 0.3]
LAMBDA = 1.0


@dataclass
class NodeCase:
    """One node of one document: its ranked candidates and what the gold says of it."""

    set: str
    doc: int
    key: Any
    qids: list[str]
    rows: np.ndarray  # one feature vector per candidate
    gold: str | None  # the right QID, None: no candidate is right
    weight: float


def node_gold(doc: linking.Doc, graph: Any, in_kb: dict[str, str]) -> dict[Any, tuple[str | None, float]]:
    """Node key → (gold QID or None, weight) for the nodes the gold says something about."""
    votes: dict[Any, dict[str | None, int]] = {}
    for mention in graph.mentions:
        key = graph.mention_node.get(mention.id)
        if key is None or mention.kind != "name" or not (doc.span[0] <= mention.start and mention.end <= doc.span[1]):
            continue
        over = [g for g in doc.gold if g.start < mention.end and mention.start < g.end]
        if any(not g.scored for g in over):
            continue
        if not over:
            if doc.partial:
                continue
            answer = None
        else:
            qids = [g.qid for g in over if g.qid]
            answer = qids[0] if qids else None
        if answer is not None and answer not in in_kb:
            answer = None  # not in the base: no candidate can be right
        votes.setdefault(key, {}).setdefault(answer, 0)
        votes[key][answer] += 1
    out = {}
    for key, counts in votes.items():
        best = max(counts.items(), key=lambda kv: (kv[1], kv[0] is not None))
        out[key] = (best[0], float(sum(counts.values())))
    return out


def cases(sets: dict[str, Any], linker: Any, in_kb: dict[str, str]) -> list[NodeCase]:
    from kg.link.features import FEATURES

    out = []
    for name, (docs, graphs) in sets.items():
        for number, (doc, graph) in enumerate(zip(docs, graphs, strict=True)):
            gold = node_gold(doc, graph, in_kb)
            for decision in linker.explain(graph):
                if decision.node.key not in gold or not decision.ranked:
                    continue
                answer, weight = gold[decision.node.key]
                rows = np.array([[s.features[f] for f in FEATURES] for s in decision.ranked], dtype=float)
                qids = [s.candidate.entity.qid for s in decision.ranked]
                out.append(NodeCase(name, number, decision.node.key, qids, rows, answer, weight))
    return out


POSITIVE = frozenset({
    "label_exact", "label_folded", "alias", "long_name", "type_fit", "popularity", "most_popular", "country_match",
    "country_linked", "article_country", "container_match", "description_overlap", "description_names",
    "full_name_in_text", "composed", "team", "kind_region", "kind_city", "popularity_lead", "only_fit", "extended",
})  # fmt: skip
NEGATIVE = frozenset({
    "concept", "type_mismatch", "person_as_org", "ambiguity", "country_conflict", "container_conflict", "rival_name",
    "alias_part", "popularity_unknown", "sport_place", "variant",
})  # fmt: skip
"""Features whose weight may not take the other sign: a few hundred nodes are too few to
learn that a contradiction is evidence for a link; a weight that would is set to 0."""


def fit(train: list[NodeCase]) -> tuple[np.ndarray, float]:
    """Weights and bias of a weighted, L2-regularised logistic regression, with the signs
    of `POSITIVE` and `NEGATIVE` kept (a weight that breaks its sign is fixed at 0 and the
    rest fitted again)."""
    from kg.link.features import FEATURES

    fixed: set[int] = set()
    while True:
        weights, bias = _fit(train, fixed)
        wrong = {
            i
            for i, f in enumerate(FEATURES)
            if i not in fixed and ((f in POSITIVE and weights[i] < 0) or (f in NEGATIVE and weights[i] > 0))
        }
        if not wrong:
            return weights, bias
        fixed |= wrong


def _fit(train: list[NodeCase], fixed: set[int]) -> tuple[np.ndarray, float]:
    x = np.vstack([c.rows for c in train])
    x[:, sorted(fixed)] = 0.0
    y = np.concatenate([[float(q == c.gold) for q in c.qids] for c in train])
    w = np.concatenate([[c.weight] * len(c.qids) for c in train])
    x1 = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(x1.shape[1])
    ridge = LAMBDA * np.eye(x1.shape[1])
    ridge[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x1 @ beta, -30, 30)))
        grad = x1.T @ (w * (p - y)) + ridge @ beta
        hess = (x1.T * (w * p * (1 - p))) @ x1 + ridge
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta[:-1], float(beta[-1])


def probabilities(case: NodeCase, weights: np.ndarray, bias: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(case.rows @ weights + bias, -30, 30)))


def scores(
    sets: dict[str, Any],
    all_decisions: dict[tuple[str, int], list[tuple[Any, list[str], np.ndarray]]],
    weights: np.ndarray,
    bias: float,
    threshold: float,
    margin: float,
    in_kb: dict[str, str],
) -> dict[str, dict[str, Any]]:
    """The benchmark's scores of every set, deciding from the cached candidates."""
    out = {}
    for name, (docs, graphs) in sets.items():
        predicted = []
        for number, graph in enumerate(graphs):
            chosen = {}
            for key, qids, rows in all_decisions[(name, number)]:
                p = 1.0 / (1.0 + np.exp(-np.clip(rows @ weights + bias, -30, 30)))
                order = np.argsort(-p, kind="stable")
                best = p[order[0]]
                second = p[order[1]] if len(order) > 1 else 0.0
                if best >= threshold and best - second >= margin:
                    chosen[key] = qids[order[0]]
            predicted.append(linking.predict(graph, chosen))
        out[name] = linking.score(docs, predicted, in_kb).result()
    return out


def choose(results: dict[tuple[float, float], dict[str, dict[str, Any]]], target: float) -> tuple[float, float]:
    """The threshold and margin to ship (see the module docstring, step 4)."""

    def worst(r: dict[str, dict[str, Any]]) -> float:
        return min(s["in_kb"]["precision"] for s in r.values())

    def gain(r: dict[str, dict[str, Any]]) -> float:
        news = next((s["f1"] for n, s in r.items() if n.startswith("news-fair")), 0.0)
        return news + sum(s["f1"] for s in r.values())

    def met(r: dict[str, dict[str, Any]]) -> int:
        return sum(s["in_kb"]["precision"] >= target for s in r.values())

    return max(results, key=lambda k: (met(results[k]), round(gain(results[k]), 3), worst(results[k]), -k[0]))


def grid(sets, decisions, weights, bias, in_kb):  # type: ignore[no-untyped-def]
    return {(t, m): scores(sets, decisions, weights, bias, t, m, in_kb) for t in THRESHOLDS for m in MARGINS}


def collect(sets: dict[str, Any], linker: Any) -> dict[tuple[str, int], list[tuple[Any, list[str], np.ndarray]]]:
    """Every node's candidates and features, per document (what `scores` decides from)."""
    from kg.link.features import FEATURES

    out = {}
    for name, (_docs, graphs) in sets.items():
        for number, graph in enumerate(graphs):
            out[(name, number)] = [
                (
                    d.node.key,
                    [s.candidate.entity.qid for s in d.ranked],
                    np.array([[s.features[f] for f in FEATURES] for s in d.ranked], dtype=float),
                )
                for d in linker.explain(graph)
                if d.ranked
            ]
    return out


def summary(result: dict[str, dict[str, Any]]) -> str:
    parts = []
    for name, s in result.items():
        parts.append(
            f"{linking.SHORT.get(name, name)}: in-KB P {s['in_kb']['precision']:.3f} R {s['in_kb']['recall']:.3f}, "
            f"all P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}"
        )
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", default=str(linking.DEFAULT_KB))
    parser.add_argument("--target", type=float, default=0.92, help="precision of in-KB links wanted on every set")
    parser.add_argument("--dry-run", action="store_true", help="do not write the ranker")
    parser.add_argument("--out", default=str(OUT), help="where to write the ranker (default: kg/link/ranker.json)")
    args = parser.parse_args()
    from kg.link.features import FEATURES, Ranker
    from kg.link.kb import KnowledgeBase
    from kg.link.linker import KBLinker

    in_kb = linking.kb_types(Path(args.kb))
    sets = {}
    for path in linking.DEFAULT_FILES:
        docs = linking.read_docs(path)
        sets[path.name] = (docs, [KBLinker.prepare(g) for g in linking.parsed(path, docs)])
    kb = KnowledgeBase(args.kb, read_only=True)
    ranker = Ranker.default()
    for round_ in (1, 2):  # the second round reads with the first round's links as context
        linker = KBLinker(kb, ranker=ranker)
        train = [c for c in cases(sets, linker, in_kb) if c.gold in c.qids]
        weights, bias = fit(train)
        decisions = collect(sets, linker)
        results = grid(sets, decisions, weights, bias, in_kb)
        threshold, margin = choose(results, args.target)
        ranker = Ranker(dict(zip(FEATURES, map(float, weights), strict=True)), bias, threshold, margin)
        print(f"round {round_}: {len(train):,} nodes, threshold {threshold}, margin {margin}", file=sys.stderr)
    fitted = results[(threshold, margin)]

    held_out = {}
    paths = {p.name: p for p in linking.DEFAULT_FILES}
    for name in sets:
        others = {n: v for n, v in sets.items() if n != name}
        w, b = fit([c for c in train if c.set != name])
        t, m = choose(grid(others, decisions, w, b, in_kb), args.target)
        alone = KBLinker(kb, ranker=Ranker(dict(zip(FEATURES, map(float, w), strict=True)), b, t, m))
        tally = linking.evaluate([paths[name]], alone, in_kb, parsed_sets={name: sets[name]})[name]
        held_out[name] = tally.result() | {"threshold": t}

    print("fitted on all five sets:")
    print(summary(fitted))
    print("each set held out (fitted and thresholded on the other four):")
    print(summary(held_out))
    final = KBLinker(kb, ranker=ranker)
    real = linking.evaluate(linking.DEFAULT_FILES, final, in_kb, parsed_sets=sets)
    print("with the linker as shipped (two readings, link()):")
    print(summary({n: t.result() for n, t in real.items()}))
    kb.close()
    if args.dry_run:
        return
    figures = {
        linking.SHORT.get(n, n): {
            "in_kb_precision": t.result()["in_kb"]["precision"],
            "in_kb_recall": t.result()["in_kb"]["recall"],
            "f1": t.result()["f1"],
            "held_out_in_kb_precision": held_out[n]["in_kb"]["precision"],
            "held_out_f1": held_out[n]["f1"],
        }
        for n, t in real.items()
    }
    out = Path(args.out)
    out.write_text(
        json.dumps(
            {
                "_comment": "Fitted by benchmarks/fit_linking.py on the shared entity-linking dev sets; do not edit.",
                "fitted": {"date": dt.date.today().isoformat(), "target": args.target, "figures": figures},
                "weights": {f: round(ranker.weights[f], 4) for f in FEATURES},
                "bias": round(ranker.bias, 4),
                "threshold": ranker.threshold,
                "margin": ranker.margin,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
