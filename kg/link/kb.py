"""The local knowledge base: a SQLite file of Wikidata entities, the linker's source of truth.

Per entity: QID, English label, aliases, description, instance-of (P31) classes, coarse
type (PER, ORG, LOC, EVENT, WORK, OTHER) and place subtype (country, region, city),
country (P17, or P27 for people), the administrative entity it lies in (P131),
coordinates (P625), sitelink count and a popularity in [0, 1]. Names are
looked up through a table of normalised names (labels, aliases, acronyms of
organisation names), with an FTS5 index beside it for fuzzy search (`search`).

Importers (`kg.link.importers`) fill it from Wikidata dumps, API responses, gazetteer
CSVs and a simple JSONL format; the online client (`kg.link.wikidata`) writes what it
fetches into the same tables, so a second run is offline.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError
from kg.link.names import DESCRIPTION_TYPES, acronym, class_types, name_key, popularity_from_sitelinks

__all__ = [
    "SCHEMA_VERSION",
    "Candidate",
    "EntityRecord",
    "KBEntity",
    "KnowledgeBase",
    "acronym",
    "class_types",
    "default_kb_path",
    "name_key",
    "popularity_from_sitelinks",
]

SCHEMA_VERSION = "2"
"""2 added ``entity.located_in`` (P131); a base of version 1 gains the column when opened for writing."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity (
    qid TEXT PRIMARY KEY,
    label TEXT,
    description TEXT,
    type TEXT NOT NULL DEFAULT 'OTHER',
    subtype TEXT,
    country TEXT,
    lat REAL,
    lon REAL,
    sitelinks INTEGER,
    popularity REAL,
    source TEXT,
    located_in TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name (
    key TEXT NOT NULL,
    qid TEXT NOT NULL,
    text TEXT NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (key, qid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS p31 (qid TEXT NOT NULL, class TEXT NOT NULL, PRIMARY KEY (qid, class)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS subclass (child TEXT NOT NULL, parent TEXT NOT NULL, PRIMARY KEY (child, parent))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS subclass_parent ON subclass (parent, child);
CREATE TABLE IF NOT EXISTS searched (key TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS name_fts USING fts5(text, qid UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
"""

LABEL, ALIAS, ACRONYM = 0, 1, 2
MAX_CANDIDATES = 30
"""Most candidates per name: labels first, then the most popular ("John Smith" has hundreds)."""
KIND_NAMES = {LABEL: "label", ALIAS: "alias", ACRONYM: "acronym"}
TYPES = ("PER", "ORG", "LOC", "EVENT", "WORK", "OTHER")


def default_kb_path() -> Path:
    """``$KG_KB``, else ``$XDG_DATA_HOME/kg/kb.sqlite`` (``~/.local/share/kg/kb.sqlite``)."""
    if os.environ.get("KG_KB"):
        return Path(os.environ["KG_KB"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kg" / "kb.sqlite"


@dataclass
class EntityRecord:
    """One entity as an importer read it, before it is merged into the base."""

    qid: str
    label: str | None = None
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    p31: list[str] = field(default_factory=list)
    subclass_of: list[str] = field(default_factory=list)
    type: str | None = None
    subtype: str | None = None
    country: str | None = None
    located_in: str | None = None
    lat: float | None = None
    lon: float | None = None
    sitelinks: int | None = None
    popularity: float | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class KBEntity:
    qid: str
    label: str
    description: str | None
    type: str
    subtype: str | None
    country: str | None
    lat: float | None
    lon: float | None
    sitelinks: int | None
    popularity: float | None
    p31: tuple[str, ...] = ()
    located_in: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A KB entity whose name matches a mention's: ``matched`` is the KB's name, ``kind``
    says whether it is its label, an alias or an acronym."""

    entity: KBEntity
    matched: str
    kind: str


_QID = re.compile(r"^Q[1-9]\d*$")


class KnowledgeBase:
    """A SQLite knowledge base at ``path`` (created on first write)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else default_kb_path()
        self.read_only = read_only
        if read_only:
            if not self.path.exists():
                raise KGError(f"{self.path}: no knowledge base here (fill one with `kg kb import`)")
            uri = f"file:{self.path}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(entity)")}
            if "located_in" not in columns:  # a base of schema 1
                self.db.execute("ALTER TABLE entity ADD COLUMN located_in TEXT")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            self.db.commit()
        self.db.execute("PRAGMA cache_size=-65536")  # 64 MB page cache
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(entity)")}
        self._located_in = "located_in" if "located_in" in columns else "NULL"
        self._cache: dict[str, list[Candidate]] = {}

    # ------------------------------------------------------------------ reading

    def __contains__(self, qid: object) -> bool:
        return (
            isinstance(qid, str)
            and self.db.execute("SELECT 1 FROM entity WHERE qid = ?", (qid,)).fetchone() is not None
        )

    def get(self, qid: str) -> KBEntity | None:
        found = self.get_many([qid])
        return found.get(qid)

    def get_many(self, qids: Iterable[str]) -> dict[str, KBEntity]:
        wanted = list(dict.fromkeys(qids))
        out: dict[str, KBEntity] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            classes: dict[str, list[str]] = {}
            for qid, cls in self.db.execute(f"SELECT qid, class FROM p31 WHERE qid IN ({marks})", chunk):
                classes.setdefault(qid, []).append(cls)
            rows = self.db.execute(
                "SELECT qid, label, description, type, subtype, country, lat, lon, sitelinks, popularity, "
                f"{self._located_in} FROM entity WHERE qid IN ({marks})",
                chunk,
            )
            for row in rows:
                qid, label, description, etype, subtype, country, lat, lon, sitelinks, popularity, within = row
                out[qid] = KBEntity(
                    qid,
                    label or qid,
                    description,
                    etype,
                    subtype,
                    country,
                    lat,
                    lon,
                    sitelinks,
                    popularity,
                    p31=tuple(classes.get(qid, ())),
                    located_in=within,
                )
        return out

    def lookup(self, name: str) -> list[Candidate]:
        """Entities one of whose names normalises like ``name`` (cached per base)."""
        key = name_key(name)
        if not key:
            return []
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        rows = self.db.execute(
            "SELECT name.qid, name.text, name.kind FROM name JOIN entity ON entity.qid = name.qid "
            "WHERE name.key = ? ORDER BY name.kind, COALESCE(entity.popularity, 0) DESC LIMIT ?",
            (key, MAX_CANDIDATES),
        ).fetchall()
        entities = self.get_many(r[0] for r in rows)
        best: dict[str, tuple[int, str]] = {}
        for qid, text, kind in rows:
            if qid not in best or kind < best[qid][0]:
                best[qid] = (kind, text)
        out = [Candidate(entities[q], text, KIND_NAMES[kind]) for q, (kind, text) in best.items() if q in entities]
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def lookup_prefix(self, name: str, *, limit: int = MAX_CANDIDATES) -> list[Candidate]:
        """Entities one of whose names starts with the words of ``name`` and goes on
        ("Boston" → "Boston Red Sox", "Boston University"), most popular first."""
        key = name_key(name)
        if not key:
            return []
        rows = self.db.execute(
            "SELECT name.qid, name.text, name.kind FROM name JOIN entity ON entity.qid = name.qid "
            "WHERE name.key > ? AND name.key < ? ORDER BY COALESCE(entity.popularity, 0) DESC LIMIT ?",
            (key + " ", key + " \uffff", limit),
        ).fetchall()
        entities = self.get_many(r[0] for r in rows)
        out: dict[str, Candidate] = {}
        for qid, text, kind in rows:
            if qid in entities and qid not in out:
                out[qid] = Candidate(entities[qid], text, KIND_NAMES[kind])
        return list(out.values())

    def search(self, text: str, *, limit: int = 10) -> list[tuple[KBEntity, str]]:
        """Fuzzy search on all names (FTS5 word match, best first): for people, not the linker."""
        words = re.findall(r"\w+", text)
        if not words:
            return []
        query = " ".join(f'"{w}"' for w in words)  # each word quoted: FTS syntax in user text is inert
        rows = self.db.execute(
            "SELECT qid, text FROM name_fts WHERE name_fts MATCH ? ORDER BY rank LIMIT ?", (query, limit * 3)
        ).fetchall()
        entities = self.get_many(r[0] for r in rows)
        seen: dict[str, tuple[KBEntity, str]] = {}
        for qid, name in rows:
            if qid in entities and qid not in seen:
                seen[qid] = (entities[qid], name)
        ranked = sorted(seen.values(), key=lambda e: -(e[0].popularity or 0))
        return ranked[:limit]

    def stats(self) -> dict[str, object]:
        count = self.db.execute("SELECT COUNT(*) FROM entity").fetchone()[0]
        names = self.db.execute("SELECT COUNT(*) FROM name").fetchone()[0]
        by_type = dict(self.db.execute("SELECT type, COUNT(*) FROM entity GROUP BY type ORDER BY 2 DESC").fetchall())
        sources = dict(self.db.execute("SELECT key, value FROM meta WHERE key LIKE 'import:%'").fetchall())
        size = self.path.stat().st_size if self.path.exists() else 0
        return {
            "path": str(self.path),
            "entities": count,
            "names": names,
            "by_type": by_type,
            "bytes": size,
            "imports": sources,
        }

    # ------------------------------------------------------------------ writing

    def add(self, records: Iterable[EntityRecord], *, batch: int = 5000) -> int:
        """Merge records into the base, in transactions of ``batch``; returns how many.

        A QID already there keeps its label and description; it gains aliases, classes,
        missing fields, and the higher popularity and sitelink count.
        """
        if self.read_only:
            raise KGError(f"{self.path}: knowledge base is open read-only")
        count = 0
        pending: list[EntityRecord] = []
        for record in records:
            if not _QID.match(record.qid):
                continue
            pending.append(record)
            if len(pending) >= batch:
                count += self._write(pending)
                pending = []
        if pending:
            count += self._write(pending)
        self._cache.clear()
        return count

    def _write(self, records: list[EntityRecord]) -> int:
        types = class_types()
        entity_rows = []
        name_rows = []
        class_rows = []
        subclass_rows = []
        for r in records:
            ctype, subtype = r.type, r.subtype
            for cls in r.p31:
                known = types.get(cls)
                if known:
                    ctype = ctype if ctype and ctype != "OTHER" else known[0]
                    subtype = subtype or known[1] or None
            entity_rows.append(
                (
                    r.qid,
                    r.label,
                    r.description,
                    ctype or "OTHER",
                    subtype,
                    r.country,
                    r.lat,
                    r.lon,
                    r.sitelinks,
                    r.popularity,
                    r.source,
                    r.located_in,
                )
            )
            names = [(r.label, LABEL)] if r.label else []
            names += [(a, ALIAS) for a in r.aliases if a]
            if (ctype or "OTHER") == "ORG":
                names += [(short, ACRONYM) for n, _ in list(names) if (short := acronym(n))]
            for text, kind in names:
                key = name_key(text)
                if key:
                    name_rows.append((key, r.qid, text, kind))
            class_rows += [(r.qid, c) for c in r.p31]
            subclass_rows += [(r.qid, c) for c in r.subclass_of]
        with self.db:
            self.db.executemany(
                """INSERT INTO entity (qid, label, description, type, subtype, country, lat, lon, sitelinks,
                                      popularity, source, located_in) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(qid) DO UPDATE SET
                     label = COALESCE(entity.label, excluded.label),
                     description = COALESCE(entity.description, excluded.description),
                     type = CASE WHEN entity.type = 'OTHER' THEN excluded.type ELSE entity.type END,
                     subtype = COALESCE(entity.subtype, excluded.subtype),
                     country = COALESCE(entity.country, excluded.country),
                     located_in = COALESCE(entity.located_in, excluded.located_in),
                     lat = COALESCE(entity.lat, excluded.lat),
                     lon = COALESCE(entity.lon, excluded.lon),
                     sitelinks = MAX(COALESCE(entity.sitelinks, 0), COALESCE(excluded.sitelinks, 0)),
                     popularity = CASE WHEN excluded.popularity IS NULL THEN entity.popularity
                                       WHEN entity.popularity IS NULL THEN excluded.popularity
                                       ELSE MAX(entity.popularity, excluded.popularity) END,
                     source = entity.source || ' ' || excluded.source""",
                entity_rows,
            )
            self.db.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?,?)", name_rows)
            self.db.executemany("INSERT OR IGNORE INTO p31 VALUES (?,?)", class_rows)
            self.db.executemany("INSERT OR IGNORE INTO subclass VALUES (?,?)", subclass_rows)
        return len(records)

    def add_subclasses(self, edges: Iterable[tuple[str, str]], *, batch: int = 50_000) -> int:
        """Add (child, parent) pairs of P279 (subclass of) to the class table; returns how many were read."""
        if self.read_only:
            raise KGError(f"{self.path}: knowledge base is open read-only")
        count = 0
        pending: list[tuple[str, str]] = []
        for edge in edges:
            pending.append(edge)
            if len(pending) >= batch:
                with self.db:
                    self.db.executemany("INSERT OR IGNORE INTO subclass VALUES (?,?)", pending)
                count += len(pending)
                pending = []
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO subclass VALUES (?,?)", pending)
        return count + len(pending)

    def subclasses(self, root: str) -> frozenset[str]:
        """``root`` and every class below it through P279 chains (subclass of subclass of ...),
        from the class table; cycles in the table are harmless."""
        rows = self.db.execute(
            """WITH RECURSIVE down(class) AS (
                   SELECT ? UNION SELECT subclass.child FROM subclass JOIN down ON subclass.parent = down.class)
               SELECT class FROM down""",
            (root,),
        )
        return frozenset(r[0] for r in rows)

    def rebuild_search(self) -> None:
        """Rebuild the FTS5 index of names from the name table (after imports)."""
        with self.db:
            self.db.execute("DELETE FROM name_fts")
            self.db.execute(f"INSERT INTO name_fts (text, qid) SELECT text, qid FROM name WHERE kind != {ACRONYM}")

    def resolve_types(self) -> int:
        """Type entities whose classes reach a known class through P279 (subclass of), then
        those whose description says what place they are (`type_from_descriptions`)."""
        types = class_types()
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS temp.anchor")
            self.db.execute("CREATE TEMP TABLE anchor (class TEXT PRIMARY KEY, type TEXT, subtype TEXT)")
            self.db.executemany("INSERT INTO anchor VALUES (?,?,?)", [(q, t, s or None) for q, (t, s) in types.items()])
            changed = self.db.execute(
                """WITH RECURSIVE up(start, class, depth) AS (
                       SELECT DISTINCT class, class, 0 FROM p31
                       UNION SELECT up.start, subclass.parent, up.depth + 1
                       FROM up JOIN subclass ON subclass.child = up.class WHERE up.depth < 8)
                   UPDATE entity SET
                     type = (SELECT a.type FROM p31 JOIN up ON up.start = p31.class JOIN anchor a ON a.class = up.class
                             WHERE p31.qid = entity.qid ORDER BY up.depth LIMIT 1),
                     subtype = COALESCE(subtype, (SELECT a.subtype FROM p31 JOIN up ON up.start = p31.class
                             JOIN anchor a ON a.class = up.class WHERE p31.qid = entity.qid AND a.subtype IS NOT NULL
                             ORDER BY up.depth LIMIT 1))
                   WHERE type = 'OTHER' AND EXISTS (
                       SELECT 1 FROM p31 JOIN up ON up.start = p31.class JOIN anchor a ON a.class = up.class
                       WHERE p31.qid = entity.qid)"""
            ).rowcount
        return changed + self.type_from_descriptions()

    def searched(self, names: Iterable[str]) -> set[str]:
        """The names the online API was already searched for (into this base)."""
        try:
            known = {r[0] for r in self.db.execute("SELECT key FROM searched")}
        except sqlite3.OperationalError:  # a base of an older kg, opened read-only
            return set()
        return {n for n in names if name_key(n) in known}

    def note_searched(self, names: Iterable[str]) -> None:
        """Remember that the API was searched for these names (a later run does not ask again)."""
        import datetime as dt

        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO searched VALUES (?, ?)", [(name_key(n), now) for n in names])

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def type_from_descriptions(self) -> int:
        """Type as places the untyped entities whose description says they are one (a city,
        a province, a country); returns how many."""
        rows = self.db.execute("SELECT qid, description FROM entity WHERE type = 'OTHER' AND description IS NOT NULL")
        updates = []
        for qid, description in rows.fetchall():
            text = description.lower()
            for pattern, subtype in DESCRIPTION_TYPES:
                if pattern.match(text):
                    updates.append((subtype, qid))
                    break
        with self.db:
            self.db.executemany("UPDATE entity SET type = 'LOC', subtype = COALESCE(subtype, ?) WHERE qid = ?", updates)
        return len(updates)

    def note_import(self, source: str, count: int) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"import:{source}", str(count)))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def iter_names(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every (name, qid) of the base (for benchmarks)."""
    yield from kb.db.execute("SELECT text, qid FROM name")
