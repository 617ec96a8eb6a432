"""Lexicons kept as data files next to this module, loaded once.

``countries.tsv`` (names, aliases, demonyms, QIDs from the shared gazetteer),
``places.tsv`` (subdivisions and major cities with their country, from the same source),
``nominals.json`` (head nouns of nominal mentions), ``roles.json`` (role nouns and
titles), ``events.json`` (event triggers, methods, casualty words) and
``attribution.json`` (reporting verbs and hedges).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from kg.text import fold, place_key

__all__ = [
    "Country",
    "CountryTable",
    "GazetteerPlace",
    "attribution_lexicon",
    "beyond_countries",
    "country_table",
    "event_lexicon",
    "nominal_lexicon",
    "place_table",
    "role_lexicon",
    "world_regions",
]


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
def world_regions() -> tuple[frozenset[str], frozenset[str]]:
    """Folded names of regions no one country contains, and head words of seas and oceans."""
    raw = json.loads(_read("world_regions.json"))
    names = frozenset(place_key(n) for n in raw["names"])
    return names, frozenset(w.lower() for w in raw["water_heads"])


def beyond_countries(name: str) -> bool:
    """A continent, a world region or a sea: "the Middle East", "Red Sea"."""
    names, water = world_regions()
    key = place_key(name)
    return key in names or key.rsplit(" ", 1)[-1] in water


@functools.cache
def nominal_lexicon() -> dict[str, Any]:
    """``{"types": {lemma: class}, "org_heads": set, "generic_org_names": set}``."""
    raw = json.loads(_read("nominals.json"))
    types: dict[str, str] = {}
    for cls, lemmas in raw.items():
        if not cls.startswith("_"):
            for lemma in lemmas:
                types.setdefault(lemma, cls)
    return {
        "types": types,
        "org_heads": frozenset(raw["_org_heads"]),
        "generic_org_names": frozenset(raw["_generic_org_names"]),
    }


@functools.cache
def role_lexicon() -> dict[str, Any]:
    raw = json.loads(_read("roles.json"))
    return {
        "roles": dict(raw["roles"]),
        "titles": frozenset(raw["titles"]),
        "state_titles": frozenset(raw["state_titles"]),
    }


@functools.cache
def event_lexicon() -> dict[str, Any]:
    raw = json.loads(_read("events.json"))
    out: dict[str, Any] = {k: v for k, v in raw.items() if not k.startswith("_comment")}
    for key, value in out.items():
        if isinstance(value, list):
            out[key] = frozenset(value)
    out["strike_needs"] = frozenset(raw["_strike_needs"])
    return out


@functools.cache
def attribution_lexicon() -> dict[str, Any]:
    raw = json.loads(_read("attribution.json"))
    return {
        "reporting_verbs": dict(raw["reporting_verbs"]),
        "statement_nouns": frozenset(raw["statement_nouns"]),
        "hedge_words": frozenset(raw["hedge_words"]),
        "verify_verbs": frozenset(raw["verify_verbs"]),
        "source_nouns": frozenset(raw["source_nouns"]),
    }
