"""Regenerate ``kg/link/data/entities.jsonl.gz``, the package's part of the default knowledge base.

Usage: python scripts/make_kb_data.py [../shared/data]

The default knowledge base (`kg.link.default`) is built from three files the package
carries: ``kg/extract/lexicons/countries.tsv`` and ``places.tsv`` (names, countries,
containing regions and QIDs of countries, subdivisions and major cities) and this one,
which adds what those two lack:

- for every gazetteer QID, its population (as a popularity in [0, 1]) and coordinates,
  from the Countries States Cities Database (ODbL 1.0);
- people, organisations, places, events and works of the shared Wikidata slice that
  have a popularity proxy (known to the KGTK Wikidata subgraph or to FB15k), other
  named things of FB15k (software, languages, awards), and the
  political parties of Party Facts with their country: label, up to eight English
  aliases, the description cut to 120 characters, up to five P31 classes, the coarse
  type and the popularity. Wikidata's content is CC0; items known only from the GPL-3
  legislator tables are left out.

Facts only, re-serialised in kg's JSONL entity format (see README); the output is
deterministic (sorted by QID, gzip without a timestamp).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.link.importers import _slice_popularity  # noqa: E402

OUT = ROOT / "kg" / "link" / "data" / "entities.jsonl.gz"
DEFAULT = ROOT.parent / "shared" / "data"
TYPES = frozenset({"PER", "ORG", "LOC", "EVENT", "WORK", "OTHER"})
"""Coarse types of the slice kept (concepts of type OTHER are mostly left out, see below)."""
MAX_ALIASES = 8
MAX_DESCRIPTION = 120


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _population_popularity(population: float | None) -> float | None:
    return round(min(1.0, math.log10(population) / 8), 4) if population and population > 1 else None


def gazetteer(folder: Path) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """QID → popularity and coordinates of every gazetteer record; ISO3 → country QID."""
    out: dict[str, dict[str, object]] = {}
    iso3: dict[str, str] = {}
    for name in ("countries.csv", "states.csv", "cities_major.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            for rec in csv.DictReader(f):
                qid = rec["wikiDataId"].strip()
                if not qid.startswith("Q"):
                    continue
                if name == "countries.csv":
                    iso3[rec["iso3"]] = qid
                item: dict[str, object] = {"qid": qid}
                popularity = _population_popularity(_number(rec.get("population", "")))
                if popularity is not None:
                    item["popularity"] = popularity
                lat, lon = _number(rec.get("latitude", "")), _number(rec.get("longitude", ""))
                if lat is not None and lon is not None:
                    item["lat"], item["lon"] = round(lat, 4), round(lon, 4)
                if len(item) > 1:
                    known = out.setdefault(qid, {"qid": qid})
                    for key, value in item.items():
                        known.setdefault(key, value)
    return out, iso3


def slice_items(path: Path, iso3: dict[str, str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            sources = rec.get("sources") or []
            if all(s.startswith("legislatoR") for s in sources) or rec.get("type") not in TYPES:
                continue
            if rec["type"] in ("WORK", "OTHER") and not rec["label"][:1].isupper():
                continue  # concepts ("war", "librarian") are not what names in news link to
            if rec["type"] == "OTHER" and "fb15k" not in sources:
                continue  # of the rest, only FB15k's (software, languages, awards) are named things
            popularity = _slice_popularity(rec.get("pop"))
            party = "partyfacts" in sources
            if popularity is None and not party:
                continue
            item: dict[str, object] = {"qid": rec["qid"], "label": rec["label"], "type": rec["type"]}
            aliases = [a for a in rec.get("aliases") or [] if isinstance(a, str) and 1 < len(a) <= 80]
            if aliases:
                item["aliases"] = aliases[:MAX_ALIASES]
            description = rec.get("description")
            if description:
                item["description"] = description[:MAX_DESCRIPTION]
            if rec.get("p31"):
                item["p31"] = rec["p31"][:5]
            if popularity is not None:
                item["popularity"] = popularity
            if rec.get("country_iso3") in iso3:
                item["country"] = iso3[rec["country_iso3"]]
            out[rec["qid"]] = item
    return out


def main(shared: Path) -> None:
    places, iso3 = gazetteer(shared / "countries-states-cities")
    items = slice_items(shared / "wikidata-slice" / "entities.jsonl", iso3)
    for qid, extra in places.items():
        known = items.setdefault(qid, {"qid": qid})
        for key, value in extra.items():
            if key == "popularity":
                known[key] = max(float(known.get(key) or 0.0), float(value))  # type: ignore[arg-type]
            else:
                known.setdefault(key, value)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as gz:
        for qid in sorted(items, key=lambda q: int(q[1:])):
            gz.write((json.dumps(items[qid], ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    OUT.write_bytes(buffer.getvalue())
    labelled = sum(1 for i in items.values() if "label" in i)
    print(f"wrote {len(items):,} records ({labelled:,} with a label) to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
