"""Coreference within an article: which mentions are one entity.

Pronouns and nominals join their antecedents; names join by normalised form ("Islamic
State's", "the Islamic States" → "Islamic State"), by surname ("Soleimani") and by
acronym ("IRGC" ↔ "Islamic Revolutionary Guard Corps"); the text's own identity
statements ("identified as") merge; a definite nominal refers back ("the ministry" →
"Ministry of Intelligence"). Each cluster gets its label, type and QID from its names.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict

from kg import ontology
from kg.extract.data import nominal_words
from kg.model import AGE_HEAD, Extraction, Key, Mention, coarse_type
from kg.text import fold, identity_name, initials

__all__ = ["Cluster", "entity_clusters", "generic_name"]

GENERIC_ORG_HEADS = frozenset({"group", "organization", "organisation", "movement", "militia", "network"})
BUSINESS_HEADS = frozenset({"company", "firm"})
"""Heads that refer back to an organisation only when one alone is named in their sentence
and the one before ("Scania, owned by the Traton group ... The company" is either)."""
_UNKEYED = Key.local(-1)


@dataclasses.dataclass
class Cluster:
    """Mentions of one entity (or one event) and what they say of it."""

    members: list[Mention]
    kind: str = "entity"
    type: str = "Entity"
    label: str = ""
    qid: str | None = None
    named: bool = False
    key: Key = _UNKEYED

    @property
    def first(self) -> int:
        return min(m.id for m in self.members)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def compatible(a: Mention, b: Mention) -> bool:
    """Whether two mentions may be one entity, by their types."""
    ta, tb = coarse_type(a.type), coarse_type(b.type)
    if "Entity" in (ta, tb) or "Agent" in (ta, tb):
        return not ({ta, tb} & {"Place", "Event"}) or ta == tb
    return ta == tb


def entity_clusters(ex: Extraction) -> tuple[dict[int, Cluster], dict[int, int]]:
    """The entity clusters of an article by root mention id, and each clustered entity
    mention's root (clusters of pronouns alone are left out)."""
    uf = _union(ex)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for m in ex.mentions:
        if m.kind != "event":
            groups[uf.find(m.id)].append(m)
    clusters: dict[int, Cluster] = {}
    for root, members in groups.items():
        if all(m.kind == "pronoun" for m in members):
            continue
        cluster = Cluster(members=members)
        _describe(cluster)
        clusters[root] = cluster
    roots = {m.id: uf.find(m.id) for m in ex.mentions if m.kind != "event" and uf.find(m.id) in clusters}
    return clusters, roots


def _union(ex: Extraction) -> _UnionFind:
    mentions = ex.mentions
    uf = _UnionFind(len(mentions))
    entities = [m for m in mentions if m.kind != "event"]
    for m in entities:
        if m.antecedent is not None:
            uf.union(m.id, m.antecedent)
    for a, b in ex.same_as:
        if compatible(mentions[a], mentions[b]):
            uf.union(a, b)
    # titles are not one by their words: "chief executive" of Acme and of Google are two
    # posts (`kg.resolve.rules.positions` gives each its identity)
    names = [m for m in entities if m.kind in ("name", "demonym")]
    by_key = _same_names(names, uf)
    keys = {k[1]: v for k, v in by_key.items()}
    for (ctype, name), mid in by_key.items():
        _name_variants(mentions, by_key, keys, ctype, name, mid, uf)
    _nominal_anaphora(ex, uf)
    return uf


def _same_names(names: list[Mention], uf: _UnionFind) -> dict[tuple[str, str], int]:
    """Names with one QID or one identity form are one; the first mention of each form."""
    by_key: dict[tuple[str, str], int] = {}
    by_qid: dict[str, int] = {}
    for m in names:
        if m.qid:
            if m.qid in by_qid:
                uf.union(by_qid[m.qid], m.id)
            else:
                by_qid[m.qid] = m.id
        key = (coarse_type(m.type), identity_name(m.name))
        if key in by_key:
            uf.union(by_key[key], m.id)
        else:
            by_key[key] = m.id
    return by_key


def _name_variants(
    mentions: tuple[Mention, ...],
    by_key: dict[tuple[str, str], int],
    keys: dict[str, int],
    ctype: str,
    name: str,
    mid: int,
    uf: _UnionFind,
) -> None:
    """A plural of a name, a surname, a head word alone, an acronym join the full name the article gives."""
    m = mentions[mid]
    # "Islamic States" -> "Islamic State" when the singular is in the article
    if name.endswith("s") and name[:-1] in keys and compatible(m, mentions[keys[name[:-1]]]):
        uf.union(keys[name[:-1]], mid)
    # surnames: "Soleimani" -> "Qasem Soleimani"
    if ctype == "Person" and " " not in name:
        full = [
            v for (t, k), v in by_key.items() if t == "Person" and " " in k and name in (k.split()[-1], k.split()[0])
        ]
        if len(full) == 1:
            uf.union(full[0], mid)
    # a head word alone: "the Bank" -> "Bank of England", when the article has one such name
    if ctype == "Organization" and name in nominal_words().short_org_names:
        full = [v for (t, k), v in by_key.items() if t == "Organization" and v != mid and name in k.split()]
        if len(full) == 1:
            uf.union(full[0], mid)
    # acronyms: "IRGC" <-> "Islamic Revolutionary Guard Corps"
    if m.name.isupper() and 2 <= len(m.name) <= 6:
        full = [
            v
            for (t, k), v in by_key.items()
            if v != mid and " " in k and initials(mentions[v].name) == m.name and t in (ctype, "Organization")
        ]
        if len(full) == 1:
            uf.union(full[0], mid)


def _nominal_anaphora(ex: Extraction, uf: _UnionFind) -> None:
    """Definite nominals refer back: "the ministry" → "Ministry of Intelligence"."""
    for m in ex.mentions:
        if m.kind != "nominal" or not m.definite or m.antecedent is not None or m.type in ("Entity", "Agent"):
            continue
        best = _antecedent(ex.mentions, m)
        if best is not None:
            uf.union(best.id, m.id)


def _person_named_before(mentions: tuple[Mention, ...], m: Mention) -> Mention | None:
    """ "Alicia Molik beat Venus Williams. The 23-year-old ...": the first person named in
    the sentence of ``m`` before it, else in the sentence before; a pronoun that stands for
    a named person counts as that person ("She will now meet Venus Williams. 'Bring it on,'
    said the 23-year-old": she, not Williams)."""
    for sentence in (m.sentence, m.sentence - 1):
        named = []
        for o in mentions[: m.id]:
            if o.sentence != sentence or o.start >= m.start:
                continue
            if o.kind == "pronoun" and o.antecedent is not None:
                named.append((o.start, mentions[o.antecedent]))
            elif o.kind == "name":
                named.append((o.start, o))
        named = [(start, o) for start, o in named if o.kind == "name" and o.type == "Person"]
        if named:
            return min(named, key=lambda pair: pair[0])[1]
    return None


def _only_organisation_before(mentions: tuple[Mention, ...], m: Mention) -> Mention | None:
    """The one organisation named in the sentence of ``m`` before it and the sentence before."""
    named = [
        o
        for o in mentions[: m.id]
        if o.kind == "name" and o.type == "Organization" and m.sentence - 1 <= o.sentence and o.start < m.start
    ]
    return named[-1] if named and len({fold(o.name) for o in named}) == 1 else None


def _antecedent(mentions: tuple[Mention, ...], m: Mention) -> Mention | None:
    """The name or nominal a definite nominal refers back to, in its sentence or the six before;
    a plural one refers back to no single name ("the two opposition parties")."""
    types = nominal_words().types
    if m.head == AGE_HEAD:
        return _person_named_before(mentions, m)
    if m.head in BUSINESS_HEADS:
        return None if m.plural else _only_organisation_before(mentions, m)
    for other in reversed(mentions[: m.id]):
        if other.kind == "event" or other.sentence < m.sentence - 6 or other.start >= m.start:
            continue
        if other.kind not in ("name", "nominal") or not compatible(m, other):
            continue
        name_words = {w.lower() for w in re.findall(r"[\w-]+", other.name)}
        if other.kind == "name" and (m.head in name_words or m.head.rstrip("s") in name_words) and not m.plural:
            return other
        if other.kind == "nominal" and other.head == m.head and other.plural == m.plural:
            return other
        generic = m.head in GENERIC_ORG_HEADS and other.kind == "name" and other.type == "Organization"
        place = types.get(m.head) == other.type and other.kind == "name" and _specific_place(other.type)
        if (generic or place) and not m.plural:
            return other
    return None


def generic_name(label: str) -> bool:
    """A name many countries have an instance of ("Ministry of Intelligence", "the army")."""
    return fold(label) in nominal_words().generic_org_names


def _specific_place(cls: str) -> bool:
    """A place class below kg:Place (a country, region, city or facility)."""
    return cls != "Place" and ontology.is_place(cls)


def _name_counts(names: list[Mention]) -> Counter[str]:
    """How often each name is used; a person's full name counts the uses of its parts too
    ("Jacques Santini" once, then "Santini" twice and "Jacques" three times: the full
    name is the label, and the identity, of all six)."""
    counts = Counter(m.name for m in names)
    people = {m.name: m.name.split() for m in names if m.type == "Person"}
    out = Counter(counts)
    for name, words in people.items():
        out[name] += sum(counts[part] for part, of_part in people.items() if _is_part(of_part, words))
    return out


def _is_part(part: list[str], whole: list[str]) -> bool:
    """The words of ``part`` run on in ``whole`` ("Santini" in "Jacques Santini")."""
    n = len(part)
    return n < len(whole) and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _describe(cluster: Cluster) -> None:
    names = [m for m in cluster.members if m.kind in ("name", "demonym", "title")]
    cluster.qid = next((m.qid for m in names if m.qid), None)
    if not names:
        described = [m for m in cluster.members if m.kind == "nominal"]
        cluster.label = described[0].name if described else cluster.members[0].name
        votes = Counter(m.type for m in described if m.type not in ("Entity", "Agent"))
        cluster.type = votes.most_common(1)[0][0] if votes else (described[0].type if described else "Entity")
        return
    cluster.named = True
    counts = _name_counts(names)
    cluster.label = max(counts, key=lambda n: (counts[n], -min(m.id for m in names if m.name == n)))
    votes = Counter(m.type for m in names)
    if cluster.qid and any(m.type == "Country" for m in names):
        cluster.type = "Country"
        return
    specific = [t for t in votes if _specific_place(t)]
    cluster.type = specific[0] if specific else votes.most_common(1)[0][0]
    if cluster.type == "Place":
        nominal = [m.type for m in cluster.members if m.kind == "nominal" and _specific_place(m.type)]
        if nominal:
            cluster.type = nominal[0]
