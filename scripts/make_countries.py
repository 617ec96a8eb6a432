"""Regenerate ``kg/extract/lexicons/countries.tsv`` from the shared gazetteer.

Usage: python scripts/make_countries.py [../shared/data/countries-states-cities/countries.csv]

The table holds facts only (names, ISO codes, demonyms, Wikidata QIDs) from the
Countries States Cities Database (ODbL 1.0), merged with ``countries_extra.tsv``.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "kg" / "extract" / "lexicons"
DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared/data/countries-states-cities/countries.csv"
HEADER = """\
# Countries: ISO 3166-1 alpha-2, label, Wikidata QID, aliases, demonyms ('|'-separated).
# Source: Countries States Cities Database (github.com/dr5hn/countries-states-cities-database,
# commit 7fda0afd3e75391d9480c22ed3a2b91f50e08eb6, csv/countries.csv), Open Database License 1.0;
# names, demonyms and QIDs taken as given there, with the kg team's additions from
# countries_extra.tsv. Regenerate with scripts/make_countries.py.
"""


def main(path: Path) -> None:
    extra: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in (HERE / "countries_extra.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            iso, kind, value = line.split("\t")
            extra[iso][kind].append(value)
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            iso = rec["iso2"]
            more = extra[iso]
            label = more["name"][0] if more["name"] else rec["name"]
            aliases = [rec["name"], *more["alias"]]
            aliases = [a for a in dict.fromkeys(aliases) if a != label and a not in more["drop-alias"]]
            demonyms = [d.strip() for d in rec["nationality"].replace(" or ", ",").split(",")]
            demonyms += more["demonym"]
            names = {label, *aliases}
            demonyms = [
                d for d in dict.fromkeys(demonyms)
                if d and d not in more["drop-demonym"] and d not in names
            ]  # fmt: skip
            rows.append((iso, label, rec["wikiDataId"], "|".join(aliases), "|".join(demonyms)))
    out = HERE / "countries.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("iso2\tlabel\tqid\taliases\tdemonyms\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} countries to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
