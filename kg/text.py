"""The one place names and words are normalised: folding, identity forms, place keys,
initials, month and weekday names.

Every comparison of names in `kg` goes through `fold`: case, accents, typographic
quotes and runs of spaces never count. The other forms build on it:

- `identity_name`: the form identity is decided on (``"The Islamic State's"`` →
  ``"islamic state"``);
- `place_key`: the gazetteer's lookup form (``"the Province of Kerman"`` → ``"kerman"``);
- `clean_name`: a name as written, without a trailing possessive (``"Iran's"`` → ``"Iran"``);
- `initials`: what an acronym of a name would be (``"Islamic Revolutionary Guard
  Corps"`` → ``"IRGC"``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "clean_name",
    "fold",
    "identity_name",
    "initials",
    "place_key",
]


def fold(text: str) -> str:
    """Case-, accent- and space-insensitive form: ``"Côte d’Ivoire"`` → ``"cote d'ivoire"``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ")
    return " ".join(text.lower().split())


def identity_name(name: str) -> str:
    """The form of a name that identity is decided on: `fold`, without a leading article, a
    possessive or punctuation other than hyphens (``"The Islamic State's"`` → ``"islamic state"``)."""
    text = re.sub(r"^(the|a|an) ", "", fold(name))
    text = re.sub(r"('s|')$", "", text)
    return re.sub(r"[^\w\s-]", "", text).strip()


PLACE_AFFIXES = re.compile(
    r"^(?:(?:province|state|region|county|governorate|prefecture|department|oblast|city) of )"
    r"|(?: (?:province|state|region|county|governorate|prefecture|department|oblast|district|city))$"
)


def place_key(text: str) -> str:
    """The lookup form of a place name: "the Province of Kerman", "Kerman province" → "kerman"."""
    key = fold(text)
    if key.startswith("the "):
        key = key[4:]
    return PLACE_AFFIXES.sub("", key).strip()


def clean_name(text: str) -> str:
    """A name as written, spaces collapsed and a trailing possessive dropped."""
    text = " ".join(text.split())
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


_MINOR_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "al"})


def initials(name: str) -> str:
    """The acronym a name would have: first letters of its words but the minor ones."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _MINOR_WORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
"""Month names and abbreviations, lower case → month number."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
