"""Names and classes as the knowledge base keys them: the normalised form names are matched
on, the acronym of an organisation's name, a popularity from sitelinks, the coarse type of
a Wikidata class (``classes.tsv``) and the kind of place a description names."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from importlib import resources

__all__ = ["DESCRIPTION_TYPES", "acronym", "class_types", "name_key", "popularity_from_sitelinks"]

_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "al", "de", "la", "du", "des"})


def name_key(text: str) -> str:
    """The normalised form names are matched on: case, accents, "the", possessives,
    punctuation and hyphens do not count ("The Islamic State's" → "islamic state",
    "ISIS-K" → "isis k")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"'s\b|'$", "", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text


def acronym(name: str) -> str | None:
    """Initials of a multi-word name ("Islamic Revolutionary Guard Corps" → "IRGC"), if it has
    at least three capitalised words."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if len(words) < 3 or any(not w[0].isalpha() for w in words):
        return None
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(significant) < 3 or not all(w[0].isupper() for w in significant):
        return None
    return "".join(w[0] for w in significant)


def popularity_from_sitelinks(sitelinks: int) -> float:
    """Sitelinks (0 to a few hundred) on [0, 1]: log-scaled, 300 and more count as 1."""
    return round(min(1.0, math.log1p(max(sitelinks, 0)) / math.log1p(300)), 4)


@functools.cache
def class_types() -> dict[str, tuple[str, str]]:
    """Class QID → (coarse type, place subtype) from ``classes.tsv``."""
    out: dict[str, tuple[str, str]] = {}
    text = resources.files("kg.link").joinpath("classes.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            qid, _label, ctype, subtype = [*line.split("\t"), ""][:4]
            out[qid] = (ctype, subtype)
    return out


DESCRIPTION_TYPES = (
    (re.compile(r"^(?:[\w-]+ ){0,2}(?:country|nation|sovereign state) (?:in|of)\b"), "country"),
    (
        re.compile(
            r"^(?:[\w-]+ ){0,2}(?:city|town|village|commune|municipality|county seat|capital|hamlet|suburb|"
            r"borough|metropolis|settlement)(?= (?:in|of|and|on|near)\b|[,;]|$)"
        ),
        "city",
    ),
    (
        re.compile(
            r"^(?:[\w-]+ ){0,2}(?:province|state|region|county|district|governorate|prefecture|department|"
            r"oblast|canton|territory)\b (?:of|in)\b"
        ),
        "region",
    ),
)
"""Descriptions that say what kind of place an entity is ("county seat of Cook County,
Illinois"), for entities whose classes the base cannot place (`type_from_descriptions`)."""
