"""The knowledge base that ships: built on first use from data the package carries.

Two lexicons of the package make it:

- ``kg/extract/lexicons/countries.tsv``: every country, with its aliases and QID;
- ``kg/extract/lexicons/places.tsv``: 10,907 first- and second-level subdivisions and
  major cities, with their country, the subdivision they lie in and their QID.

People and organisations come from a knowledge base the user imports (``make kb-shared``,
``kg kb import DUMP``, or the online linker): the package carries no copy of anyone's
dataset.

`ensure_package_data` builds the base at a path that has none (into a temporary file
renamed into place, so that two processes starting at once never see half a base) and
brings a base up to date when the package's data changed. Only bases kg creates or the
default base are touched: a base made with ``kg kb import --bare`` stays as it is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from kg.link.kb import EntityRecord, KnowledgeBase

__all__ = ["BARE", "PACKAGE_FILES", "ensure_package_data", "package_digest", "package_records", "seed"]

logger = logging.getLogger(__name__)

PACKAGE_FILES = (
    ("kg.extract", "lexicons/countries.tsv"),
    ("kg.extract", "lexicons/places.tsv"),
)
PACKAGE_KB_VERSION = "3"
"""Changes when the way package records are made changes, so that bases are seeded again."""
META_KEY = "package"
BARE = "bare"
"""The ``package`` meta value of a base made without the package's data."""
CITY_KINDS = frozenset({"city", "village"})
CITY_POPULARITY, REGION_POPULARITY = 0.5, 0.4
"""Priors for places the package knows without their population: a bare place name is the
city before the province of the same name ("Kerman"), as in news it usually is."""
NAMED_KINDS = frozenset({"province", "state", "region", "county", "governorate", "prefecture", "oblast", "district"})
"""Kinds of subdivision whose name also goes with the kind ("Kerman Province")."""


def _read_bytes(package: str, name: str) -> bytes:
    return resources.files(package).joinpath(name).read_bytes()


def package_digest() -> str:
    """Digest of the package's data files and of the way they become records."""
    h = hashlib.sha256(PACKAGE_KB_VERSION.encode())
    for package, name in PACKAGE_FILES:
        h.update(_read_bytes(package, name))
    return h.hexdigest()[:16]


def _rows(name: str) -> Iterator[list[str]]:
    text = resources.files("kg.extract").joinpath("lexicons", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    for line in lines[1:]:  # the header row
        yield line.split("\t")


def package_records() -> Iterator[EntityRecord]:
    """Countries, then subdivisions and cities."""
    country_qid: dict[str, str] = {}
    for iso2, label, qid, names, _demonyms in _rows("countries.tsv"):
        if not qid:
            continue
        country_qid[iso2] = qid
        aliases = [a for a in names.split("|") if a]
        yield EntityRecord(qid, label, aliases, type="LOC", subtype="country", source="countries.tsv")
    places = [row for row in _rows("places.tsv") if row[4]]
    regions = {(iso, name): qid for name, kind, iso, _within, qid in places if kind not in CITY_KINDS}
    for name, kind, iso, within, qid in places:
        kinds = [f"{name} {kind.title()}"]
        yield EntityRecord(
            qid,
            name,
            kinds if kind in NAMED_KINDS and not name.lower().endswith(kind) else [],
            type="LOC",
            subtype="city" if kind in CITY_KINDS else "region",
            country=country_qid.get(iso),
            located_in=regions.get((iso, within)) if within else None,
            popularity=CITY_POPULARITY if kind in CITY_KINDS else REGION_POPULARITY,
            source="places.tsv",
        )


def seed(kb: KnowledgeBase) -> int:
    """Merge the package's records into ``kb``; returns how many were read."""
    count = kb.add(package_records())
    kb.resolve_types()
    kb.rebuild_search()
    kb.set_meta(META_KEY, package_digest())
    kb.note_import("package data", count)
    return count


def ensure_package_data(path: str | os.PathLike[str], *, default: bool = False) -> bool:
    """Make sure the base at ``path`` exists and holds the package's current data.

    A missing base is built (a few seconds). An existing base that kg seeded before gets
    the package's data again when it changed; one that was never seeded (made through
    the Python API, or by an older kg) only when it is the ``default`` base; one made
    bare never. Returns whether anything was written.
    """
    path = Path(path)
    if path.exists():
        with KnowledgeBase(path, read_only=True) as kb:
            current = kb.meta(META_KEY)
        if current in (BARE, package_digest()) or (current is None and not default):
            return False
        logger.info("%s: adding the package's knowledge base data", path)
        with KnowledgeBase(path) as kb:
            seed(kb)
        return True
    logger.info("%s: building the package's knowledge base (first use)", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with KnowledgeBase(tmp) as kb:
            seed(kb)
            kb.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            kb.db.execute("PRAGMA journal_mode=DELETE")
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
    return True
