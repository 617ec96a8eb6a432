"""Precision and recall of actions, statements, affiliations and numbers on the analyst
gold (`benchmarks/gold/analyst`, 30 articles read by the team; see its README).

Usage:
    python benchmarks/analyst.py [GOLD_DIR] [--json] [--details]

The 30 articles are built into one in-memory store; what kg says of them is read back with
the shipped queries (`examples/queries/actions.rq`, `statements.rq`, `affiliations.rq`,
`numbers.rq`): the scores are of what a user gets. Matching, one system item to one gold
item:

- action: same type (kg's class mapped to the gold's PLOVER or life-event name) and, where
  the gold names them, an agent and a target of the same name;
- statement: a speaker of the same name and contents that overlap by half of either (a
  statement's passages counted together: a quotation the narrator divides is one statement);
- affiliation: a person and an organisation of the same names (the kind and the title
  are scored apart, on the matched pairs);
- number: the same kind and value (money within 0.5 %; the ends of a gold range);
  what it is of is scored apart.

Names match when their identity forms are equal or one's words hold the other's
("Fields" and "James Alex Fields Jr."). Gold items marked unsure are out of recall, and a
system item matching one is out of precision.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
GOLD = ROOT / "benchmarks" / "gold" / "analyst"
QUERIES = ROOT / "examples" / "queries"

ACTION_TYPES = {
    "Agreement": "agree", "Consultation": "consult", "Support": "support", "Concession": "concede",
    "Cooperation": "cooperate", "Aid": "aid", "Retreat": "retreat", "Request": "request",
    "Accusation": "accuse", "Rejection": "reject", "Threat": "threaten", "Protest": "protest",
    "Sanction": "sanction", "Mobilization": "mobilize", "Coercion": "coerce", "Arrest": "coerce",
    "Attack": "assault", "Bombing": "assault", "Shooting": "assault", "Stabbing": "assault",
    "Airstrike": "assault", "Kidnapping": "assault", "Appointment": "appoint", "Election": "elect",
    "Resignation": "resign", "Victory": "win", "Defeat": "lose", "Charge": "charge", "Conviction": "convict",
    "Sentencing": "sentence", "Lawsuit": "sue", "Signing": "sign", "Visit": "visit", "Meeting": "meet",
    "Death": "die",
}  # fmt: skip
KINDS = {"leaderOf": "leader", "commanderOf": "leader", "spokespersonOf": "spokesperson", "memberOf": "member",
         "employer": "employee", "founderOf": "founder", "positionHeld": "position"}  # fmt: skip
KIND_ORDER = ["leader", "spokesperson", "founder", "position", "employee", "member"]
NUMBER_KINDS = {
    "amount": "money", "price": "money", "cost": "money", "revenue": "money", "profit": "money", "fine": "money",
    "percentage": "percent", "count": "count", "votes": "count", "deaths": "count", "injured": "count",
    "arrestedCount": "count", "age": "age", "penaltyYears": "count", "timeOfDay": "time",
}  # fmt: skip
STOP = frozenset({"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "sir"})


def _words(name: str) -> set[str]:
    from kg.text import identity_name

    return {w for w in identity_name(name).replace("-", " ").split() if w not in STOP}


def same_name(system: str | None, gold: Iterable[str]) -> bool:
    """Whether a system label names what one of the gold names does."""
    if not system:
        return False
    mine = _words(system)
    if not mine:
        return False
    for name in gold:
        theirs = _words(name)
        if theirs and (mine == theirs or mine <= theirs or theirs <= mine):
            return True
    return False


# ---------------------------------------------------------------------------- reading


def _texts() -> dict[tuple[str, str], dict[str, str]]:
    out: dict[tuple[str, str], dict[str, str]] = {}
    with (SHARED / "wikinews-2019-2020" / "wikinews_2019.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[("wikinews_2019", row["url"])] = row
    with (SHARED / "bbc-news-2005" / "bbc_news.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            out[("bbc", record["id"])] = record
    return out


def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    gold = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        gold += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return gold


def _articles(gold: list[dict[str, Any]]) -> list[Any]:
    import kg
    from kg.ingest import parse_date

    texts = _texts()
    out = []
    for g in gold:
        row = texts[(g["corpus"], g["key"])]
        if hashlib.sha1(row["text"].encode("utf-8")).hexdigest() != g["text_sha1"]:
            raise SystemExit(f"{g['key']}: the text in ../shared differs from the one annotated")
        date = parse_date(row["date"]) if row.get("date") else None
        out.append(
            kg.Article(text=row["text"], title=row.get("title"), date=date, source_id=f"{g['corpus']}:{g['key']}")
        )
    return out


def _rows(graph: Any, name: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of a shipped query, by article source id."""
    from kg.query.sparql import UNLIMITED, run

    out: dict[str, list[dict[str, Any]]] = {}
    for row in run(graph.store, QUERIES / f"{name}.rq", limits=UNLIMITED):
        values = {k: (None if v is None else str(v)) for k, v in row.items()}
        out.setdefault(str(values["source"]).removeprefix("id:"), []).append(values)
    return out


# ---------------------------------------------------------------------------- scoring


@dataclass
class Score:
    """Matches of one kind: gold (sure) items found, system items right, and the rest."""

    gold: int = 0
    found: int = 0
    system: int = 0
    right: int = 0
    ignored: int = 0  # system items matching an unsure gold item
    extra: dict[str, list[int]] = field(default_factory=dict)  # secondary measures: [right, of]

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.system += other.system
        self.right += other.right
        self.ignored += other.ignored
        for key, (a, b) in other.extra.items():
            mine = self.extra.setdefault(key, [0, 0])
            mine[0] += a
            mine[1] += b

    def note(self, key: str, ok: bool) -> None:
        mine = self.extra.setdefault(key, [0, 0])
        mine[0] += int(ok)
        mine[1] += 1

    def summary(self) -> dict[str, Any]:
        counted = self.system - self.ignored
        out = {
            "precision": round(self.right / counted, 3) if counted else 0.0,
            "recall": round(self.found / self.gold, 3) if self.gold else 0.0,
            "gold": self.gold,
            "system": counted,
        }
        out |= {k: f"{a}/{b}" for k, (a, b) in sorted(self.extra.items())}
        return out


def _match(
    gold: list[dict[str, Any]], system: list[dict[str, Any]], fits: Callable[[dict[str, Any], dict[str, Any]], bool]
) -> tuple[Score, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Greedy one-to-one matching: sure gold items first, then unsure ones."""
    score = Score(gold=sum(1 for g in gold if not g.get("unsure")), system=len(system))
    used: set[int] = set()
    pairs = []
    for g in sorted(gold, key=lambda g: bool(g.get("unsure"))):
        hit = next((i for i, s in enumerate(system) if i not in used and fits(g, s)), None)
        if hit is None:
            continue
        used.add(hit)
        if g.get("unsure"):
            score.ignored += 1
        else:
            score.found += 1
            score.right += 1
            pairs.append((g, system[hit]))
    return score, pairs


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(" | ") if v]


def score_actions(gold: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Score:
    system, seen = [], set()
    for r in rows:
        kind = ACTION_TYPES.get(r["type"] or "")
        item = {"type": kind, "agents": _split(r["agents"]), "targets": _split(r["targets"])}
        key = (kind, tuple(sorted(item["agents"])), tuple(sorted(item["targets"])))
        if kind and key not in seen:
            seen.add(key)
            system.append(item)

    def fits(g: dict[str, Any], s: dict[str, Any]) -> bool:
        return (
            g["type"] == s["type"]
            and (not g["source"] or any(same_name(a, g["source"]) for a in s["agents"]))
            and (not g["target"] or any(same_name(t, g["target"]) for t in s["targets"]))
        )

    score, _ = _match(gold, system, fits)
    return score


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_statements(gold: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Score:
    by_statement: dict[str, dict[str, Any]] = {}  # a statement is one item, however many passages it has
    for r in rows:
        if r["begin"] is None:
            continue
        item = by_statement.setdefault(
            r["e"], {"speaker": r["speaker"], "spans": [], "direct": r["direct"] == "true", "addressee": r["addressee"]}
        )
        item["spans"].append((int(r["begin"]), int(r["end"])))
    system = list(by_statement.values())

    def fits(g: dict[str, Any], s: dict[str, Any]) -> bool:
        span = tuple(g["content"])
        shared = sum(_overlap(span, part) for part in s["spans"])
        said = sum(end - start for start, end in s["spans"])
        half = shared * 2 >= span[1] - span[0] or shared * 2 >= said
        return shared > 0 and half and same_name(s["speaker"], g["speaker"])

    score, pairs = _match(gold, system, fits)
    for g, s in pairs:
        score.note("direct", g["direct"] == s["direct"])
        if g["addressee"]:
            score.note("addressee", same_name(s["addressee"], g["addressee"]))
    return score


def score_affiliations(gold: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Score:
    by_pair: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if not r["organization"]:
            continue  # a title with no organisation is no affiliation
        item = by_pair.setdefault((r["person"], r["organization"]), {"person": r["person"], "org": r["organization"],
                                                                     "kinds": set(), "roles": set()})  # fmt: skip
        item["kinds"].add(KINDS[r["relation"]])
        if r["role"]:
            item["roles"].add(r["role"])
    system = list(by_pair.values())

    def fits(g: dict[str, Any], s: dict[str, Any]) -> bool:
        return same_name(s["person"], g["person"]) and same_name(s["org"], g["organization"])

    score, pairs = _match(gold, system, fits)
    for g, s in pairs:
        kind = next(k for k in KIND_ORDER if k in s["kinds"])
        score.note("kind", kind == g["kind"])
        if g.get("role"):
            score.note("role", any(_words(r) and _words(r) == _words(g["role"]) for r in s["roles"]))
    return score


def _close(a: float, b: float, kind: str) -> bool:
    return abs(a - b) <= 0.005 * abs(b) if kind == "money" else a == b


def score_numbers(gold: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Score:
    system, seen = [], set()
    for r in rows:
        kind = NUMBER_KINDS.get(r["property"] or "")
        if kind is None or r["value"] is None:
            continue
        value: float | str = r["value"] if kind == "time" else float(r["value"])
        if (kind, value) in seen:
            continue
        seen.add((kind, value))
        system.append({"kind": kind, "value": value, "unit": r["unit"], "of": r["of"]})

    def fits(g: dict[str, Any], s: dict[str, Any]) -> bool:
        if g["kind"] != s["kind"]:
            return False
        if g["kind"] == "time":
            return str(s["value"]).startswith(str(g["value"]))
        values = g["value"] if isinstance(g["value"], list) else [g["value"]]
        return any(_close(float(s["value"]), float(v), g["kind"]) for v in values)

    score, pairs = _match(gold, system, fits)
    for g, s in pairs:
        if g["of"]:
            score.note("of", same_name(s["of"], g["of"]))
        if g["kind"] == "money" and g.get("unit"):
            score.note("currency", (s["unit"] or "").upper() == g["unit"].upper())
    return score


SCORERS = {
    "actions": ("actions", score_actions),
    "statements": ("statements", score_statements),
    "affiliations": ("affiliations", score_affiliations),
    "numbers": ("numbers", score_numbers),
}


def analyst(gold_dir: Path = GOLD, *, verbose: bool = True, details: bool = False) -> dict[str, Any]:
    import kg
    from kg.store import OxigraphStore

    gold = load_gold(gold_dir)
    articles = _articles(gold)
    graph = kg.build(articles, store=OxigraphStore(None))
    try:
        results: dict[str, Any] = {"articles": len(gold)}
        per_article: list[dict[str, Any]] = []
        for kind, (query, scorer) in SCORERS.items():
            rows = _rows(graph, query)
            total = Score()
            for g in gold:
                score = scorer(g[kind], rows.get(f"{g['corpus']}:{g['key']}", []))
                total.add(score)
                if details:
                    per_article.append({"key": g["key"], "kind": kind, **score.summary()})
            results[kind] = total.summary()
    finally:
        graph.close()
    if details:
        results["details"] = per_article
    if verbose:
        print(f"{'kind':14} {'P':>6} {'R':>6} {'gold':>5} {'system':>7}  also")
        for kind in SCORERS:
            r = results[kind]
            also = ", ".join(f"{k} {v}" for k, v in r.items() if k not in ("precision", "recall", "gold", "system"))
            print(f"{kind:14} {r['precision']:6.3f} {r['recall']:6.3f} {r['gold']:5} {r['system']:7}  {also}")
    return results


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=GOLD)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--details", action="store_true", help="scores per article")
    args = parser.parse_args()
    results = analyst(args.gold, verbose=not args.json, details=args.details)
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
