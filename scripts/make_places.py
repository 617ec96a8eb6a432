"""Regenerate ``kg/extract/lexicons/places.tsv`` from the shared gazetteer.

Usage: python scripts/make_places.py [../shared/data/countries-states-cities]

One row per first- or second-level subdivision (``states.csv``) and per major city
(``cities_major.csv``): name, kind, ISO country code, the name of the subdivision it
lies in (if the source says), and the Wikidata QID. Facts only, from the Countries
States Cities Database (ODbL 1.0), as given there, except a parent subdivision far from
its child's coordinates, which is left out (`FAR_KM`).
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "kg" / "extract" / "lexicons"
DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared/data/countries-states-cities"
HEADER = """\
# Subdivisions and major cities: name, kind, ISO 3166-1 alpha-2 of the country, name of the
# subdivision it lies in ('' if unknown), Wikidata QID ('' if unknown).
# Source: Countries States Cities Database (github.com/dr5hn/countries-states-cities-database,
# commit 7fda0afd3e75391d9480c22ed3a2b91f50e08eb6, csv/states.csv and the major cities of
# contributions/cities), Open Database License 1.0. Regenerate with scripts/make_places.py.
"""


FAR_KM = 300
"""A subdivision further than this from its parent's centre, and more than three times
further than from another subdivision of the parent's level, is taken to have the wrong
parent in the source (London is given Scotland's id as its parent): its parent is left out
rather than guessed."""


def _km(a: dict[str, str], b: dict[str, str]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, map(float, (a["latitude"], a["longitude"], b["latitude"], b["longitude"])))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _misplaced(rec: dict[str, str], parent: dict[str, str], states: dict[str, dict[str, str]]) -> bool:
    if not rec["latitude"] or not parent["latitude"]:
        return False
    far = _km(rec, parent)
    if far <= FAR_KM:
        return False
    peers = [
        s
        for s in states.values()
        if s["country_code"] == rec["country_code"] and s["level"] == parent["level"] and s["latitude"]
        and s["id"] != parent["id"]
    ]  # fmt: skip
    return any(far > 3 * _km(rec, s) for s in peers)


def main(folder: Path) -> None:
    with (folder / "states.csv").open(encoding="utf-8", newline="") as f:
        states = {rec["id"]: rec for rec in csv.DictReader(f)}
    rows = []
    for rec in [*states.values()]:
        rec["name"] = " ".join(rec["name"].split())  # the source has stray tabs and spaces
    for rec in states.values():
        parent = states.get(rec["parent_id"])
        if parent is not None and _misplaced(rec, parent, states):
            print(f"{rec['name']} ({rec['country_code']}): {parent['name']} is far from it; left without a parent")
            parent = None
        kind = rec["type"] or "region"
        rows.append((rec["name"], kind, rec["country_code"], parent["name"] if parent else "", rec["wikiDataId"]))
    with (folder / "cities_major.csv").open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            rec["name"] = " ".join(rec["name"].split())
            state = states.get(rec["state_id"])
            rows.append((rec["name"], "city", rec["country_code"], state["name"] if state else "", rec["wikiDataId"]))
    rows = sorted(set(rows), key=lambda r: (r[2], r[0], r[1], r[3], r[4]))  # ties too: the same file every run
    out = HERE / "places.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("name\tkind\tcountry\tin\tqid\n")
        for row in rows:
            if "\t" in "".join(row):
                raise SystemExit(f"tab in a gazetteer record: {row}")
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} places to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
