"""Knowledge-base import time, size, memory and lookup speed: the shared data and a synthetic dump.

Usage:
    python benchmarks/kb_scale.py [--entities N] [--lookups N] [--json]

0. Builds the base the package ships (`kg.link.default`) as on first use.
1. Imports the shared data (gazetteer, dump sample, API samples, slice) into a fresh base.
2. Writes a synthetic Wikidata dump of N entities (default 1,000,000) in the real dump
   layout (``[``, one entity a line with a trailing comma, ``]``; gzip), with 3,000
   synthetic classes in P279 chains below the classes of ``classes.tsv``, imports it in a
   child process, and reports its time and peak resident memory; then imports it again
   into a new base with ``--types Q43229`` (organisations and every subclass: two passes).
3. Times name lookups: the normalised name table (what the linker uses) against an FTS5
   ``MATCH`` on the same names.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CLASSES = ["Q5", "Q515", "Q43229", "Q6256", "Q7278", "Q486972"]  # from kg/link/classes.tsv
SYLLABLES = "ka lo mi ran tu se vo na di pe ro sha gu len tor bex qui ma zo lin".split()


def _name(rng: random.Random) -> str:
    words = []
    for _ in range(rng.choice((1, 2, 2, 3))):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        words.append(word.capitalize())
    return " ".join(words)


def _claim(prop: str, qid: str) -> dict[str, object]:
    value = {"value": {"entity-type": "item", "id": qid}, "type": "wikibase-entityid"}
    return {
        "mainsnak": {"snaktype": "value", "property": prop, "datavalue": value},
        "type": "statement",
        "rank": "normal",
    }


SUBCLASSES = 3000


def _classes(rng: random.Random) -> list[dict[str, object]]:
    """Synthetic classes Q99000000+, each a subclass of an anchor class or of an earlier one
    (chains of up to a dozen steps)."""
    out: list[dict[str, object]] = []
    for n in range(SUBCLASSES):
        parent = rng.choice(CLASSES) if n < 50 or rng.random() < 0.2 else str(out[rng.randrange(n)]["id"])
        qid = f"Q{99_000_000 + n}"
        out.append({"type": "item", "id": qid, "labels": {"en": {"language": "en", "value": f"class {n}"}},
                    "claims": {"P279": [_claim("P279", parent)]}, "sitelinks": {}})  # fmt: skip
    return out


def write_dump(path: Path, count: int, seed: int = 7) -> list[str]:
    """A synthetic dump; returns a sample of its names for lookups. QIDs are Q100000000+."""
    rng = random.Random(seed)
    sample: list[str] = []
    classes = _classes(rng)
    kinds = CLASSES + [str(c["id"]) for c in classes]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
        f.write("[\n")
        for c in classes:
            f.write(json.dumps(c, separators=(",", ":")) + ",\n")
        for n in range(count):
            qid = f"Q{100_000_000 + n}"
            label = _name(rng)
            aliases = [_name(rng) for _ in range(rng.choice((0, 0, 1, 2)))]
            claims = {
                "P31": [_claim("P31", rng.choice(kinds))],
                "P17": [_claim("P17", f"Q{100_000_000 + rng.randrange(300)}")],
            }
            entity = {
                "type": "item",
                "id": qid,
                "labels": {"en": {"language": "en", "value": label}, "de": {"language": "de", "value": label}},
                "descriptions": {"en": {"language": "en", "value": f"synthetic item number {n}"}},
                "aliases": {"en": [{"language": "en", "value": a} for a in aliases]},
                "claims": claims,
                "sitelinks": {f"s{i}wiki": {"site": f"s{i}wiki", "title": label} for i in range(rng.randint(0, 12))},
            }
            f.write(json.dumps(entity, separators=(",", ":")))
            f.write(",\n" if n < count - 1 else "\n")
            if n % max(1, count // 2000) == 0:
                sample.append(label)
        f.write("]\n")
    return sample


def child_import(dump: Path, kb: Path, types: list[str]) -> None:
    from kg.link.importers import import_file
    from kg.link.kb import KnowledgeBase

    started = time.perf_counter()
    with KnowledgeBase(kb) as base:
        report = import_file(base, dump, types=types)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures: dict[str, object] = {"entities": report.kept, "seconds": round(seconds, 1), "peak_rss_mb": round(peak)}
    if types:
        figures.update(subclass_edges=report.subclass_edges, classes=report.classes)
    print(json.dumps(figures))


def lookups(kb_path: Path, names: list[str]) -> dict[str, float]:
    from kg.link.kb import KnowledgeBase

    out = {}
    with KnowledgeBase(kb_path, read_only=True) as kb:
        started = time.perf_counter()
        hits = 0
        candidates = 0
        for name in names:
            kb._cache.clear()  # measure the index, not the cache
            found = kb.lookup(name)
            hits += bool(found)
            candidates += len(found)
        seconds = time.perf_counter() - started
        out["candidates_per_lookup"] = round(candidates / len(names), 1)
        out["linker_lookups_per_s"] = round(len(names) / seconds)  # index + entities + classes
        out["linker_hit_rate"] = round(hits / len(names), 3)
        from kg.link.kb import name_key

        started = time.perf_counter()
        hits = 0
        for name in names:
            hits += bool(kb.db.execute("SELECT qid FROM name WHERE key = ?", (name_key(name),)).fetchall())
        seconds = time.perf_counter() - started
        out["name_table_lookups_per_s"] = round(len(names) / seconds)  # the index alone
        out["name_table_hit_rate"] = round(hits / len(names), 3)
        started = time.perf_counter()
        hits = 0
        for name in names:
            query = " ".join(f'"{w}"' for w in name.split())
            hits += bool(kb.db.execute("SELECT qid FROM name_fts WHERE name_fts MATCH ? LIMIT 10", (query,)).fetchall())
        seconds = time.perf_counter() - started
        out["fts5_lookups_per_s"] = round(len(names) / seconds)
        out["fts5_hit_rate"] = round(hits / len(names), 3)
    return out


def shared_kb(path: Path) -> dict[str, float]:
    from kg.link.importers import CsvMapping, import_file
    from kg.link.kb import KnowledgeBase

    places = SHARED / "countries-states-cities"
    started = time.perf_counter()
    with KnowledgeBase(path) as kb:
        import_file(kb, places / "countries.csv", mapping=CsvMapping(subtype="country", population_column="population"))
        for name, subtype in (("states.csv", "region"), ("cities_major.csv", "city")):
            import_file(kb, places / name, mapping=CsvMapping(subtype=subtype, country_column="country_code",
                                                                 population_column="population"))  # fmt: skip
        sample = SHARED / "wikidata-json-sample"
        for name in ("sample_wikidata_items.json.bz2", "wbgetentities_response.json", "Q31.json"):
            import_file(kb, sample / name)
        import_file(kb, SHARED / "wikidata-slice" / "entities.jsonl")
        entities = kb.stats()["entities"]
    return {"entities": entities, "seconds": round(time.perf_counter() - started, 1),
            "megabytes": round(path.stat().st_size / 1e6, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("DUMP", "KB", "TYPES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_import(Path(args.child[0]), Path(args.child[1]), [t for t in args.child[2].split(",") if t])
        return
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        from kg.link.default import ensure_package_data
        from kg.link.kb import KnowledgeBase

        started = time.perf_counter()
        ensure_package_data(work / "package.sqlite")
        with KnowledgeBase(work / "package.sqlite", read_only=True) as kb:
            result["package (first use)"] = {
                "entities": kb.stats()["entities"],
                "seconds": round(time.perf_counter() - started, 1),
                "megabytes": round((work / "package.sqlite").stat().st_size / 1e6, 1),
            }
        if (SHARED / "wikidata-slice").exists():
            result["shared"] = shared_kb(work / "shared.sqlite")
            from kg.link.kb import KnowledgeBase

            with KnowledgeBase(work / "shared.sqlite", read_only=True) as kb:
                names = [r[0] for r in kb.db.execute("SELECT text FROM name WHERE kind = 0 ORDER BY random() LIMIT ?",
                                                     (args.lookups,))]  # fmt: skip
            result["shared"].update(lookups(work / "shared.sqlite", names))  # type: ignore[union-attr]
        dump = work / "synthetic.json.gz"
        started = time.perf_counter()
        sample = write_dump(dump, args.entities)
        written = time.perf_counter() - started
        proc = subprocess.run([sys.executable, __file__, "--child", str(dump), str(work / "synthetic.sqlite"), ""],
                              capture_output=True, text=True, check=True)  # fmt: skip
        synthetic = json.loads(proc.stdout.strip().splitlines()[-1])
        proc = subprocess.run([sys.executable, __file__, "--child", str(dump), str(work / "typed.sqlite"), "Q43229"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        typed = json.loads(proc.stdout.strip().splitlines()[-1])
        typed["kb_megabytes"] = round((work / "typed.sqlite").stat().st_size / 1e6, 1)
        result["synthetic --types Q43229"] = typed
        synthetic["dump_megabytes"] = round(dump.stat().st_size / 1e6, 1)
        synthetic["dump_write_seconds"] = round(written, 1)
        synthetic["kb_megabytes"] = round((work / "synthetic.sqlite").stat().st_size / 1e6, 1)
        names = (sample * (args.lookups // max(1, len(sample)) + 1))[: args.lookups]
        synthetic.update(lookups(work / "synthetic.sqlite", names))
        result["synthetic"] = synthetic
    if args.json:
        print(json.dumps(result))
        return
    for name, figures in result.items():
        print(f"{name}:")
        for key, value in figures.items():  # type: ignore[attr-defined]
            print(f"  {key:28} {value:,}" if isinstance(value, int | float) else f"  {key:28} {value}")


if __name__ == "__main__":
    main()
