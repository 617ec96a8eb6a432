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
    "read_subclass_edges",
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
    """What one import read and kept.

    With ``--types``, ``classes`` holds, for each class asked for, how many classes its
    P279 chains reach (itself included) and ``kept_by_class`` how many entities were kept
    as instances of one of them; ``labels`` the English labels of the classes asked for,
    where the input has them; ``subclass_edges`` how many P279 pairs the first pass of a
    dump read (0 when the base already had the dump's class table).
    """

    source: str
    format: str
    read: int = 0
    kept: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    classes: dict[str, int] = field(default_factory=dict)
    kept_by_class: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    subclass_edges: int = 0


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
    within = _claim_ids(claims, "P131")
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
        located_in=within[0] if within else None,
        lat=lat,
        lon=lon,
        sitelinks=sitelinks,
        popularity=popularity_from_sitelinks(sitelinks),
        source=source,
    )


def _dump_lines(path: Path, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
    """(line number, entity JSON text) of a dump, without the array's brackets and commas."""
    text, raw = _open_text(path)
    try:
        for number, line in enumerate(text, start=1):
            stripped = line.strip().rstrip(",")
            if stripped in ("", "[", "]"):
                continue
            if progress is not None and number % 1000 == 0:
                progress(raw.tell())
            yield number, stripped
    finally:
        text.close()
        raw.close()


def read_subclass_edges(
    path: Path, *, lang: str = "en", labels: dict[str, str] | None = None, wanted: Iterable[str] = ()
) -> Iterator[tuple[str, str]]:
    """The (class, superclass) pairs of every P279 (subclass of) claim in a dump: the first
    pass of a ``--types`` import. Lines without ``"P279"`` are not parsed. The English labels
    of the ``wanted`` classes go into ``labels``."""
    wanted = frozenset(wanted)
    for _, line in _dump_lines(path):
        if '"P279"' not in line and not any(f'"{w}"' in line for w in wanted):
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError:
            continue  # the second pass reports it
        qid = entity.get("id")
        if not isinstance(qid, str):
            continue
        if labels is not None and qid in wanted:
            label = ((entity.get("labels") or {}).get(lang) or {}).get("value")
            if label:
                labels[qid] = label
        for parent in _claim_ids(entity.get("claims") or {}, "P279"):
            yield qid, parent


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
        types: keep only entities with one of these P31 classes (empty: all); `import_file`
            passes every subclass of the classes asked for.
        min_sitelinks: keep only entities with at least this many sitelinks.
        progress: called with the number of (compressed) bytes read so far.
    """
    for number, line in _dump_lines(path, progress):
        if report is not None:
            report.read += 1
        try:
            entity = json.loads(line)
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
        yield record


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
    ``p31``, ``type``, ``subtype`` (of places: country, region, city), ``popularity`` (or
    ``sitelinks`` / the slice's ``pop``), ``country`` and
    ``located_in`` (QIDs), ``lat``, ``lon``. A line without a label adds to an entity another
    line or file names."""
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
            country, within = item.get("country"), item.get("located_in")
            if country is None and item.get("legislator_of"):
                country = _legislature_country(item["legislator_of"])
            yield EntityRecord(
                qid=qid,
                label=item.get("label"),
                aliases=[a for a in item.get("aliases") or [] if isinstance(a, str)],
                description=item.get("description"),
                p31=[c for c in item.get("p31") or [] if isinstance(c, str)],
                type=coarse if coarse in ("PER", "ORG", "LOC", "EVENT", "WORK", "OTHER") else None,
                subtype=item["subtype"] if item.get("subtype") in ("country", "region", "city") else None,
                country=country if isinstance(country, str) else None,
                located_in=within if isinstance(within, str) else None,
                lat=_coordinate(item.get("lat")),
                lon=_coordinate(item.get("lon")),
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


LEGISLATURES = {"usah": "US", "usas": "US", "germany": "DE", "france": "FR", "austria": "AT", "ireland": "IE"}
"""The shared slice's ``legislator_of`` codes (its SOURCE.md) and the ISO code of their country."""


def _legislature_country(codes: object) -> str | None:
    """The country of a legislator of the shared slice (a member of its parliament)."""
    from kg.extract.gazetteer import country_table

    iso = {LEGISLATURES.get(c) for c in codes if isinstance(c, str)} if isinstance(codes, list) else set()
    iso.discard(None)
    if len(iso) != 1:
        return None
    country = country_table().by_iso2.get(str(next(iter(iso))))
    return country.qid if country else None


def _coordinate(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


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
    """Import one file into ``kb``; returns what was read, kept and skipped.

    ``types`` keeps the entities that are instances (P31) of one of these classes or of
    any class below them through P279 chains. For a dump, a first pass reads its P279
    claims into the base's class table (skipped when the base already has that dump's),
    and the second keeps the instances; API JSON and JSONL files are filtered with the
    class table the base holds.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    report = ImportReport(source=str(path), format=fmt)
    wanted = list(dict.fromkeys(types))
    if wanted and fmt == "csv":
        raise InputError(f"{path}: --types needs classes (P31), which a gazetteer CSV does not have")
    if wanted and fmt == "dump":
        done = f"classes:{path.name}:{path.stat().st_size}"
        if kb.meta(done) is None:
            edges = read_subclass_edges(path, lang=lang, labels=report.labels, wanted=wanted)
            report.subclass_edges = kb.add_subclasses(edges)
            kb.set_meta(done, str(report.subclass_edges))
    roots_of: dict[str, list[str]] = {}
    for root in wanted:
        below = kb.subclasses(root)
        report.classes[root] = len(below)
        report.kept_by_class[root] = 0
        for cls in below:
            roots_of.setdefault(cls, []).append(root)
    allowed = frozenset(roots_of)
    records: Iterable[EntityRecord]
    if fmt == "dump":
        records = read_dump(
            path, lang=lang, types=allowed, min_sitelinks=min_sitelinks, report=report, progress=progress
        )
    elif fmt == "entities":
        records = read_entity_json(path, lang=lang, report=report)
    elif fmt == "jsonl":
        records = read_jsonl(path, report=report)
    elif fmt == "csv":
        records = read_csv(path, mapping or CsvMapping(), report=report)
    else:
        raise InputError(f"{path}: unknown format {fmt!r}")
    if wanted:
        records = _of_classes(records, roots_of, report)
    report.kept = kb.add(records)
    if fmt != "csv":  # a gazetteer's rows are typed by the options
        kb.resolve_types()
    kb.rebuild_search()
    kb.note_import(path.name, report.kept)
    for root in wanted:
        known = kb.get(root)
        if known is not None and root not in report.labels:
            report.labels[root] = known.label
    logger.info("%s: %d entities imported, %d skipped", path, report.kept, report.skipped)
    return report


def _of_classes(
    records: Iterable[EntityRecord], roots_of: dict[str, list[str]], report: ImportReport
) -> Iterator[EntityRecord]:
    """The records that are instances of a wanted class, counted by the class asked for."""
    for record in records:
        roots = {root for cls in record.p31 for root in roots_of.get(cls, ())}
        if not roots:
            report.skipped += 1
            continue
        for root in roots:
            report.kept_by_class[root] += 1
        yield record
