"""Filling the knowledge base: Wikidata dumps and API JSON, gazetteer CSVs, simple JSONL.

Every reader streams: a dump is read a line at a time (one entity per line inside a JSON
array, as Wikidata publishes them, plain or gzip/bzip2-compressed), records go to the
base in batches, so memory stays flat however large the input.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import logging
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.link.kb import EntityRecord, KnowledgeBase, popularity_from_sitelinks

__all__ = [
    "CsvMapping",
    "ImportReport",
    "detect_format",
    "entity_record",
    "import_file",
    "read_csv",
    "read_dump",
    "read_entity_json",
    "read_jsonl",
]

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """Which columns of a gazetteer CSV hold what.

    ``country_column`` holds an ISO 3166-1 alpha-2 code or a country QID;
    ``population_column`` sets popularity (log-scaled, 100 million = 1).
    """

    qid_column: str = "wikiDataId"
    label_column: str = "name"
    alias_columns: tuple[str, ...] = ()
    type: str = "LOC"
    subtype: str | None = None
    p31: tuple[str, ...] = ()
    country_column: str | None = None
    description: str | None = None
    population_column: str | None = None
    lat_column: str | None = None
    lon_column: str | None = None


@dataclass
class ImportReport:
    source: str
    format: str
    read: int = 0
    kept: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def _open_text(path: Path) -> tuple[IO[str], IO[bytes]]:
    raw = path.open("rb")
    name = path.name.lower()
    stream: IO[bytes]
    if name.endswith(".bz2"):
        stream = bz2.BZ2File(raw)
    elif name.endswith(".gz"):
        stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
    else:
        stream = raw
    return io.TextIOWrapper(stream, encoding="utf-8"), raw


def detect_format(path: Path) -> str:
    """``dump``, ``entities`` (API response, EntityData or one entity), ``jsonl`` or ``csv``."""
    name = path.name.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".jsonl", ".jsonl.gz", ".jsonl.bz2", ".ndjson")):
        return "jsonl"
    text, raw = _open_text(path)
    try:
        head = text.read(4096).lstrip()
    finally:
        text.close()
        raw.close()
    if head.startswith("["):
        return "dump"
    if head.startswith("{"):
        return "entities"
    raise InputError(f"{path}: not a Wikidata dump, API response, JSONL or CSV file")


# ---------------------------------------------------------------------------- Wikidata JSON


def _claim_ids(claims: dict[str, Any], prop: str) -> list[str]:
    out = []
    for claim in claims.get(prop, ()):
        snak = claim.get("mainsnak", {})
        if snak.get("snaktype") != "value" or claim.get("rank") == "deprecated":
            continue
        value = snak.get("datavalue", {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            out.append(value["id"])
    return out


def _coordinates(claims: dict[str, Any]) -> tuple[float | None, float | None]:
    for claim in claims.get("P625", ()):
        snak = claim.get("mainsnak", {})
        value = snak.get("datavalue", {}).get("value") if snak.get("snaktype") == "value" else None
        if isinstance(value, dict) and "latitude" in value:
            return float(value["latitude"]), float(value["longitude"])
    return None, None


def entity_record(entity: dict[str, Any], *, lang: str = "en", source: str = "wikidata") -> EntityRecord | None:
    """An `EntityRecord` from one entity in Wikidata's JSON (dump line or API), or ``None``
    for a missing entity, a property, or one with no label in ``lang``."""
    qid = entity.get("id")
    if not isinstance(qid, str) or "missing" in entity or entity.get("type", "item") != "item":
        return None
    labels = entity.get("labels") or {}
    label = (labels.get(lang) or labels.get("mul") or {}).get("value")
    if not label:
        return None
    description = ((entity.get("descriptions") or {}).get(lang) or {}).get("value")
    aliases = [a.get("value") for a in (entity.get("aliases") or {}).get(lang, []) if a.get("value")]
    claims = entity.get("claims") or {}
    countries = _claim_ids(claims, "P17") or _claim_ids(claims, "P27")  # a person's country: citizenship
    lat, lon = _coordinates(claims)
    sitelinks = len(entity.get("sitelinks") or {})
    return EntityRecord(
        qid=qid,
        label=label,
        aliases=aliases,
        description=description,
        p31=_claim_ids(claims, "P31"),
        subclass_of=_claim_ids(claims, "P279"),
        country=countries[0] if countries else None,
        lat=lat,
        lon=lon,
        sitelinks=sitelinks,
        popularity=popularity_from_sitelinks(sitelinks),
        source=source,
    )


def read_dump(
    path: Path,
    *,
    lang: str = "en",
    types: frozenset[str] = frozenset(),
    min_sitelinks: int = 0,
    report: ImportReport | None = None,
    progress: Progress | None = None,
) -> Iterator[EntityRecord]:
    """Entities of a Wikidata JSON dump, a line at a time.

    Args:
        types: keep only entities with one of these P31 classes (empty: all).
        min_sitelinks: keep only entities with at least this many sitelinks.
        progress: called with the number of (compressed) bytes read so far.
    """
    text, raw = _open_text(path)
    try:
        for number, line in enumerate(text, start=1):
            stripped = line.strip().rstrip(",")
            if stripped in ("", "[", "]"):
                continue
            if report is not None:
                report.read += 1
            try:
                entity = json.loads(stripped)
            except json.JSONDecodeError as exc:
                if report is not None:
                    report.skipped += 1
                    report.problems.append(f"{path}:{number}: malformed JSON ({exc.msg})")
                continue
            record = entity_record(entity, lang=lang, source=path.name)
            if record is None or (types and not types & set(record.p31)) or (record.sitelinks or 0) < min_sitelinks:
                if report is not None:
                    report.skipped += 1
                continue
            if progress is not None and number % 1000 == 0:
                progress(raw.tell())
            yield record
    finally:
        text.close()
        raw.close()


def read_entity_json(path: Path, *, lang: str = "en", report: ImportReport | None = None) -> Iterator[EntityRecord]:
    """Entities of an API response (``wbgetentities``, ``Special:EntityData``) or one entity object."""
    text, raw = _open_text(path)
    try:
        data = json.load(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: malformed JSON at line {exc.lineno}: {exc.msg}") from exc
    finally:
        text.close()
        raw.close()
    entities = data.get("entities", {}).values() if isinstance(data, dict) and "entities" in data else [data]
    for entity in entities:
        if report is not None:
            report.read += 1
        record = entity_record(entity, lang=lang, source=path.name) if isinstance(entity, dict) else None
        if record is None:
            if report is not None:
                report.skipped += 1
            continue
        yield record


# ---------------------------------------------------------------------------- JSONL and CSV


def _slice_popularity(pop: dict[str, float] | None) -> float | None:
    """Popularity from the proxies of the shared slice (in-degree, FB15k degree, PageRank)."""
    if not pop:
        return None
    scores = []
    for key in ("kgtk_in_degree", "fb15k_degree_partial"):
        if pop.get(key) is not None:
            scores.append(min(1.0, math.log1p(float(pop[key])) / math.log1p(500)))
    if pop.get("kgtk_pagerank") is not None:
        scores.append(min(1.0, float(pop["kgtk_pagerank"]) * 2e4))
    return round(max(scores), 4) if scores else None


def read_jsonl(path: Path, *, report: ImportReport | None = None) -> Iterator[EntityRecord]:
    """The simple JSONL entity format (README): ``qid``, ``label``, ``aliases``, ``description``,
    ``p31``, ``type``, ``popularity`` (or ``sitelinks`` / the slice's ``pop``)."""
    text, raw = _open_text(path)
    try:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            if report is not None:
                report.read += 1
            try:
                item = json.loads(line)
                qid = str(item["qid"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                if report is not None:
                    report.skipped += 1
                    report.problems.append(f"{path}:{number}: not an entity line ({exc})")
                continue
            sitelinks = item.get("sitelinks")
            popularity = item.get("popularity")
            if popularity is None and isinstance(sitelinks, int):
                popularity = popularity_from_sitelinks(sitelinks)
            if popularity is None:
                popularity = _slice_popularity(item.get("pop"))
            coarse = item.get("type")
            yield EntityRecord(
                qid=qid,
                label=item.get("label"),
                aliases=[a for a in item.get("aliases") or [] if isinstance(a, str)],
                description=item.get("description"),
                p31=[c for c in item.get("p31") or [] if isinstance(c, str)],
                type=coarse if coarse in ("PER", "ORG", "LOC", "EVENT", "WORK", "OTHER") else None,
                country=item.get("country"),
                sitelinks=sitelinks if isinstance(sitelinks, int) else None,
                popularity=popularity,
                source=path.name,
            )
    finally:
        text.close()
        raw.close()


def read_csv(path: Path, mapping: CsvMapping, *, report: ImportReport | None = None) -> Iterator[EntityRecord]:
    """A gazetteer CSV with a QID column; rows without a QID are skipped."""
    from kg.extract.gazetteer import country_table

    countries = country_table().by_iso2
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        needed = [mapping.qid_column, mapping.label_column, *mapping.alias_columns]
        needed += [c for c in (mapping.country_column, mapping.population_column, mapping.lat_column) if c]
        missing = [c for c in needed if c not in header]
        if missing:
            raise InputError(f"{path}: no column {missing[0]!r} (columns: {', '.join(header)})")
        for row in reader:
            if report is not None:
                report.read += 1
            qid = (row.get(mapping.qid_column) or "").strip()
            label = (row.get(mapping.label_column) or "").strip()
            if not qid or not label:
                if report is not None:
                    report.skipped += 1
                continue
            country = None
            if mapping.country_column:
                code = (row.get(mapping.country_column) or "").strip()
                country = code if code.startswith("Q") else (countries[code].qid if code in countries else None)
            population = _number(row.get(mapping.population_column or ""))
            yield EntityRecord(
                qid=qid,
                label=label,
                aliases=[
                    v.strip() for c in mapping.alias_columns if (v := row.get(c) or "").strip() and v.strip() != label
                ],
                description=mapping.description,
                p31=list(mapping.p31),
                type=mapping.type,
                subtype=mapping.subtype,
                country=country if country != qid else None,
                lat=_number(row.get(mapping.lat_column or "")),
                lon=_number(row.get(mapping.lon_column or "")),
                popularity=round(min(1.0, math.log10(population) / 8), 4) if population and population > 1 else None,
                source=path.name,
            )


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------- driver


def import_file(
    kb: KnowledgeBase,
    path: Path,
    *,
    fmt: str | None = None,
    lang: str = "en",
    types: Iterable[str] = (),
    min_sitelinks: int = 0,
    mapping: CsvMapping | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file into ``kb``; returns what was read, kept and skipped."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    report = ImportReport(source=str(path), format=fmt)
    records: Iterable[EntityRecord]
    if fmt == "dump":
        records = read_dump(
            path, lang=lang, types=frozenset(types), min_sitelinks=min_sitelinks, report=report, progress=progress
        )
    elif fmt == "entities":
        records = read_entity_json(path, lang=lang, report=report)
    elif fmt == "jsonl":
        records = read_jsonl(path, report=report)
    elif fmt == "csv":
        records = read_csv(path, mapping or CsvMapping(), report=report)
    else:
        raise InputError(f"{path}: unknown format {fmt!r}")
    report.kept = kb.add(records)
    if fmt == "dump":
        kb.resolve_types()
    kb.rebuild_search()
    kb.note_import(path.name, report.kept)
    logger.info("%s: %d entities imported, %d skipped", path, report.kept, report.skipped)
    return report
