"""The gazetteer the package carries: countries and places with their QIDs.

``lexicons/countries.tsv`` (names, aliases, demonyms, QIDs) and ``lexicons/places.tsv``
(subdivisions and major cities with their country) are facts from the Countries States
Cities Database (ODbL), made by ``scripts/make_countries.py`` and ``scripts/make_places.py``;
``world_regions.json`` (read by `kg.extract.data`) names what no one country contains.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from kg.extract.data import world_regions
from kg.text import fold, place_key

__all__ = ["Country", "CountryTable", "GazetteerPlace", "beyond_countries", "country_table", "place_table"]


def _read(name: str) -> str:
    return resources.files("kg.extract").joinpath("lexicons", name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    label: str
    qid: str | None
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CountryTable:
    countries: tuple[Country, ...]
    by_name: dict[str, Country]
    by_demonym: dict[str, Country]
    by_iso2: dict[str, Country]

    def lookup(self, text: str) -> Country | None:
        """The country named ``text`` ("Iran", "the US", "U.K."), if any."""
        key = fold(text)
        if key.startswith("the "):
            key = key[4:]
        return self.by_name.get(key)

    def demonym(self, text: str) -> Country | None:
        """The country of a demonym or nationality adjective ("Tajikistani", "Tajiks")."""
        key = fold(text)
        found = self.by_demonym.get(key)
        if found is None and key.endswith("s"):
            found = self.by_demonym.get(key[:-1])
        return found


@functools.cache
def country_table() -> CountryTable:
    """The package's country table (see ``lexicons/countries.tsv`` for its source)."""
    countries = []
    lines = [line for line in _read("countries.tsv").splitlines() if not line.startswith("#")]
    for line in lines[1:]:
        iso2, label, qid, aliases, demonyms = line.split("\t")
        countries.append(
            Country(
                iso2=iso2,
                label=label,
                qid=qid or None,
                aliases=tuple(a for a in aliases.split("|") if a),
                demonyms=tuple(d for d in demonyms.split("|") if d),
            )
        )
    by_name: dict[str, Country] = {}
    by_demonym: dict[str, Country] = {}
    for c in countries:
        for name in (c.label, *c.aliases):
            key = fold(name)
            by_name.setdefault(key[4:] if key.startswith("the ") else key, c)
        for d in c.demonyms:
            by_demonym.setdefault(fold(d), c)
    return CountryTable(tuple(countries), by_name, by_demonym, {c.iso2: c for c in countries})


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    """A subdivision or city of the gazetteer: ``Calgary``, a city of ``CA`` in ``Alberta``."""

    name: str
    kind: str
    country: str
    within: str | None
    qid: str | None


@functools.cache
def place_table() -> dict[str, tuple[GazetteerPlace, ...]]:
    """Gazetteer places by `place_key` (see ``lexicons/places.tsv`` for the source)."""
    lines = [line for line in _read("places.tsv").splitlines() if not line.startswith("#")]
    out: dict[str, list[GazetteerPlace]] = {}
    for line in lines[1:]:
        name, kind, country, within, qid = line.split("\t")
        place = GazetteerPlace(name, kind, country, within or None, qid or None)
        out.setdefault(place_key(name), []).append(place)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _regions() -> tuple[frozenset[str], frozenset[str]]:
    """Place keys of regions no one country contains, and head words of seas and oceans."""
    regions = world_regions()
    return frozenset(place_key(n) for n in regions.names), frozenset(w.lower() for w in regions.water_heads)


def beyond_countries(name: str) -> bool:
    """A continent, a world region or a sea: "the Middle East", "Red Sea"."""
    names, water = _regions()
    key = place_key(name)
    return key in names or key.rsplit(" ", 1)[-1] in water
