"""Coreference and merging: mentions become nodes, relations become facts.

Within an article: pronouns and nominals join their antecedents; names join by
normalised form ("Islamic State's", "the Islamic States" → "Islamic State"), by
surname ("Soleimani") and by acronym ("IRGC" ↔ "Islamic Revolutionary Guard Corps");
the text's own identity statements ("identified as") merge; event mentions of one
incident ("the twin blasts", "the bombing", "the attack") become one event, unless
marked as another incident ("a similar attack on Shahcheragh").

Across articles, named entities meet on their key: the QID when known, else type and
normalised name. Unnamed entities and events stay scoped to their article.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from kg.extract.lexicon import beyond_countries, country_table, event_lexicon, nominal_lexicon, place_table
from kg.model import (
    MAIN_EVENT,
    PLACE_TYPES,
    ArticleGraph,
    Extraction,
    Fact,
    Key,
    Mention,
    Node,
    Quantity,
    Relation,
    Scope,
    TimeValue,
    coarse_type,
)
from kg.text import fold, identity_name, initials, place_key

__all__ = ["FUNCTIONAL", "resolve"]

LOOSE = frozenset({"memberOf", "relatedTo", "partOf", "employer"})
"""Relations too vague to keep between unnamed, otherwise unconnected nodes."""

FUNCTIONAL = frozenset({"date", "deaths", "injured", "arrestedCount"})
"""Properties with one value per event: the best-supported fact is the plain triple."""

PLACE_RANK = {"Facility": 0, "City": 1, "AdminRegion": 2, "Place": 3}
"""Most specific first, for choosing where an event happened among the places of its sentence."""
SPECIFIC_PLACE = ("Country", "AdminRegion", "City", "Facility")
GENERIC_ORG_HEADS = frozenset({"group", "organization", "organisation", "movement", "militia", "network"})
PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "text": 0}


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


def _compatible(a: Mention, b: Mention) -> bool:
    ta, tb = coarse_type(a.type), coarse_type(b.type)
    if "Entity" in (ta, tb) or "Agent" in (ta, tb):
        return not ({ta, tb} & {"Place", "Event"}) or ta == tb
    return ta == tb


# ---------------------------------------------------------------------------- entities


def _entity_clusters(ex: Extraction) -> _UnionFind:
    mentions = ex.mentions
    uf = _UnionFind(len(mentions))
    entities = [m for m in mentions if m.kind != "event"]
    for m in entities:
        if m.antecedent is not None:
            uf.union(m.id, m.antecedent)
    for a, b in ex.same_as:
        if _compatible(mentions[a], mentions[b]):
            uf.union(a, b)
    names = [m for m in entities if m.kind in ("name", "demonym", "title")]
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
    keys = {k[1]: v for k, v in by_key.items()}
    for (ctype, name), mid in by_key.items():
        m = mentions[mid]
        # "Islamic States" -> "Islamic State" when the singular is in the article
        if name.endswith("s") and name[:-1] in keys and _compatible(m, mentions[keys[name[:-1]]]):
            uf.union(keys[name[:-1]], mid)
        # surnames: "Soleimani" -> "Qasem Soleimani"
        if ctype == "Person" and " " not in name:
            full = [
                v
                for (t, k), v in by_key.items()
                if t == "Person" and " " in k and name in (k.split()[-1], k.split()[0])
            ]
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
    _nominal_anaphora(ex, uf)
    return uf


def _nominal_anaphora(ex: Extraction, uf: _UnionFind) -> None:
    """Definite nominals refer back: "the ministry" → "Ministry of Intelligence"."""
    mentions = ex.mentions
    types = nominal_lexicon()["types"]
    for m in mentions:
        if m.kind != "nominal" or not m.definite or m.antecedent is not None or m.type in ("Entity", "Agent"):
            continue
        best = None
        for other in reversed(mentions[: m.id]):
            if other.kind == "event" or other.sentence < m.sentence - 6 or other.start >= m.start:
                continue
            if other.kind not in ("name", "nominal") or not _compatible(m, other):
                continue
            name_words = {w.lower() for w in re.findall(r"[\w-]+", other.name)}
            if other.kind == "name" and (m.head in name_words or m.head.rstrip("s") in name_words):
                best = other
                break
            if other.kind == "nominal" and other.head == m.head and other.plural == m.plural:
                best = other
                break
            generic = m.head in GENERIC_ORG_HEADS and other.kind == "name" and other.type == "Organization"
            place = types.get(m.head) == other.type and other.kind == "name" and other.type in SPECIFIC_PLACE
            if (generic or place) and best is None:
                best = other
                break
        if best is not None:
            uf.union(best.id, m.id)


def _generic(label: str) -> bool:
    """A name many countries have an instance of ("Ministry of Intelligence", "the army")."""
    return fold(label) in nominal_lexicon()["generic_org_names"]


_UNKEYED = Key.local(-1)


@dataclasses.dataclass
class _Cluster:
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


def _describe(cluster: _Cluster) -> None:
    names = [m for m in cluster.members if m.kind in ("name", "demonym", "title")]
    cluster.qid = next((m.qid for m in names if m.qid), None)
    if names:
        cluster.named = True
        counts = Counter(m.name for m in names)
        cluster.label = max(counts, key=lambda n: (counts[n], -min(m.id for m in names if m.name == n)))
        votes = Counter(m.type for m in names)
        if cluster.qid and any(m.type == "Country" for m in names):
            cluster.type = "Country"
        else:
            specific = [t for t in votes if t in SPECIFIC_PLACE]
            cluster.type = specific[0] if specific else votes.most_common(1)[0][0]
            if cluster.type == "Place":
                nominal = [m.type for m in cluster.members if m.kind == "nominal" and m.type in SPECIFIC_PLACE]
                if nominal:
                    cluster.type = nominal[0]
    else:
        described = [m for m in cluster.members if m.kind == "nominal"]
        cluster.label = described[0].name if described else cluster.members[0].name
        votes = Counter(m.type for m in described if m.type not in ("Entity", "Agent"))
        cluster.type = votes.most_common(1)[0][0] if votes else (described[0].type if described else "Entity")


# ---------------------------------------------------------------------------- events


def _time_range(value: TimeValue) -> tuple[dt.date, dt.date] | None:
    """The days a normalised time covers, or ``None`` for text-only times."""
    try:
        if value.precision == "day":
            day = dt.date.fromisoformat(value.value)
            return day, day
        if value.precision == "month":
            year, month = map(int, value.value.split("-"))
            first = dt.date(year, month, 1)
            last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
            return first, last
        if value.precision == "year":
            year = int(value.value)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return None


def _apart(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date], *, slack: int = 2) -> bool:
    """Whether two time ranges cannot be the same incident (more than ``slack`` days apart)."""
    gap = dt.timedelta(days=slack)
    return a[1] + gap < b[0] or b[1] + gap < a[0]


class _Incident:
    """An event cluster being built: its mentions and where and when it happened."""

    def __init__(self, first: Mention, family: str) -> None:
        self.members = [first]
        self.family = family
        self.places: set[int] = set()
        self.when: tuple[dt.date, dt.date] | None = None


def _event_clusters(ex: Extraction, entity_root: dict[int, int]) -> list[list[Mention]]:
    """Group event mentions into incidents.

    Mentions join the article's main incident of their family ("the attack", "the
    blasts") unless they are marked as another one ("a similar attack"), or their own
    date or place conflicts with the main incident's ("an assault in Ghazni in August
    2018", "last week's Kabul car bombing"), or they are an indefinite plural that talks
    about a kind of event ("deadly mass shootings"). Mentions set apart group by shared
    place, or by sentence when they have none.
    """
    lex = event_lexicon()
    attack = lex["attack_family"]
    places: dict[int, set[int]] = defaultdict(set)  # event mention -> roots of its location/target entities
    countries: set[int] = set()
    when: dict[int, tuple[dt.date, dt.date]] = {}
    for m in ex.mentions:
        if m.kind != "event" and m.type == "Country" and m.id in entity_root:
            countries.add(entity_root[m.id])
    located: set[tuple[int, int]] = set()
    for r in ex.relations:
        if not isinstance(r.object, int) or r.subject < 0:
            continue
        if r.object in entity_root and (
            r.predicate == "location" or (r.predicate == "target" and ex.mentions[r.object].type in PLACE_TYPES)
        ):
            places[r.subject].add(entity_root[r.object])
        elif r.predicate == "locatedIn" and r.subject in entity_root and r.object in entity_root:
            located.add((entity_root[r.subject], entity_root[r.object]))
    for r in ex.relations:
        if r.predicate == "date" and isinstance(r.object, TimeValue) and r.subject >= 0 and r.confidence >= 0.6:
            span = _time_range(r.object)
            if span is not None and r.subject not in when:
                when[r.subject] = span
    anchor = ex.article.date

    def conflicts(m: Mention, incident: _Incident) -> bool:
        mine = {p for p in places[m.id] if p not in countries}
        theirs = {p for p in incident.places if p not in countries}
        if mine and theirs and not mine & theirs:
            related = any((a, b) in located or (b, a) in located for a in mine for b in theirs)
            if not related:
                return True
        span = when.get(m.id)
        if span is not None:
            if incident.when is not None:
                return _apart(span, incident.when)
            if anchor is not None and span[1] < anchor - dt.timedelta(days=7):
                return True  # a past event the main incident has no date to compare with
        return False

    def absorb(incident: _Incident, m: Mention) -> None:
        incident.members.append(m)
        incident.places |= places[m.id]
        if incident.when is None and m.id in when:
            incident.when = when[m.id]

    def start(m: Mention, family: str) -> _Incident:
        incident = _Incident(m, family)
        incident.places |= places[m.id]
        incident.when = when.get(m.id)
        return incident

    incidents: list[_Incident] = []
    main: dict[str, _Incident] = {}
    for m in (m for m in ex.mentions if m.kind == "event"):
        family = "attack" if m.type in attack else m.type
        if family == "Statement":
            previous = [i for i in incidents if i.family == "Statement"]
            if m.definite and previous:
                absorb(previous[-1], m)
            else:
                incidents.append(start(m, family))
            continue
        generic = m.plural and not m.definite and not m.name.lower().startswith(("twin", "two", "both", "double"))
        home = main.get(family)
        if home is None and not m.distinct and not generic:
            main[family] = start(m, family)
            incidents.append(main[family])
            continue
        if home is not None and not m.distinct and not generic and not conflicts(m, home):
            absorb(home, m)
            continue
        # another incident: join one set apart before it that shares a place, or its sentence
        target = None
        for incident in incidents:
            if incident.family != family or incident is home:
                continue
            shared = bool(places[m.id] & incident.places)
            same_sentence = not places[m.id] and any(x.sentence == m.sentence for x in incident.members)
            if (shared or same_sentence) and not conflicts(m, incident):
                target = incident
        if target is None:
            incidents.append(start(m, family))
        else:
            absorb(target, m)
    return [i.members for i in incidents]


def _event_type(members: list[Mention]) -> str:
    """The type of the first mention, unless a more specific one follows ("attack" ... "shooting")."""
    first = members[0].type
    if first not in ("Attack", "Explosion"):
        return first
    votes = Counter(m.type for m in members if m.type not in ("Attack", "Explosion"))
    if votes:
        return votes.most_common(1)[0][0]
    return "Attack" if any(m.type == "Attack" for m in members) else first


# ---------------------------------------------------------------------------- facts


def _better(a: Fact, b: Fact) -> bool:
    """Whether ``a`` is better supported than ``b`` as the value of a single-valued property."""

    def rank(f: Fact) -> tuple:
        value = f.object
        if isinstance(value, TimeValue):
            return (
                not value.approximate,
                PRECISION_RANK[value.precision],
                f.confidence,
                not f.hedged,
                -f.sentence,
            )
        if isinstance(value, Quantity):  # stated numbers beat "dozens"; later tolls and totals are larger
            vague = value.approximate and value.bound == "min"
            return (f.confidence, not vague, value.value, not f.hedged, not value.approximate, f.sentence)
        return (f.confidence, -f.sentence)

    return rank(a) > rank(b)


def resolve(ex: Extraction) -> ArticleGraph:
    """Nodes and facts of one article."""
    mentions = ex.mentions
    uf = _entity_clusters(ex)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.kind != "event":
            groups[uf.find(m.id)].append(m)
    clusters: dict[int, _Cluster] = {}
    for root, members in groups.items():
        if all(m.kind == "pronoun" for m in members):
            continue
        cluster = _Cluster(members=members)
        _describe(cluster)
        clusters[root] = cluster
    entity_root = {m.id: uf.find(m.id) for m in mentions if m.kind != "event" and uf.find(m.id) in clusters}

    event_groups = _event_clusters(ex, entity_root)
    event_key: dict[int, Key] = {}
    event_nodes: list[_Cluster] = []
    for index, members in enumerate(event_groups):
        key = Key.event(index)
        event_nodes.append(_Cluster(members=members, kind="event", type=_event_type(members), key=key))
        for m in members:
            event_key[m.id] = key
    lex = event_lexicon()
    main_event = next(
        (c.key for c in event_nodes if c.type in lex["attack_family"] and not c.members[0].distinct), None
    ) or next((c.key for c in event_nodes if c.type in ("Disaster", "Accident")), None)

    for root, cluster in clusters.items():
        if cluster.named:
            cluster.key = Key.wikidata(cluster.qid) if cluster.qid else Key.named(cluster.type, cluster.label)
        else:
            cluster.key = Key.local(root)
    mention_key: dict[int, Key] = {mid: clusters[root].key for mid, root in entity_root.items()}
    mention_key.update(event_key)

    def key_of(value: int) -> Key | None:
        if value == MAIN_EVENT:
            return main_event
        return mention_key.get(value)

    facts = [f for r in ex.relations if (f := _fact(r, key_of)) is not None]
    facts = _statement_speakers(facts)
    facts = _role_merge(facts, clusters, mention_key)
    facts = _qualify_generic(facts, clusters, mention_key)
    facts += _derived(facts)
    facts += _gazetteer_places(facts, clusters)
    facts += _places_in_names(facts, clusters)
    facts += _geography(facts, {c.key: c.type for c in clusters.values()})
    facts += _dominant_country(facts, clusters)
    facts += _sentence_locations(facts, event_nodes, clusters, ex)
    facts = _choose_primary(_dedupe(facts))
    facts = _drop_generic(facts, clusters)

    used = _used_keys(facts)
    nodes: list[Node] = []
    seen: set[Key] = set()
    for cluster in sorted(clusters.values(), key=lambda c: c.first):
        if cluster.key in seen or (not cluster.named and cluster.key not in used):
            continue
        seen.add(cluster.key)
        nodes.append(_entity_node(cluster, clusters))
    labels = {n.key: n.label for n in nodes}
    types = {n.key: n.type for n in nodes}
    for cluster in event_nodes:
        if cluster.key not in used:
            continue
        nodes.append(_event_node(cluster, facts, labels, types))
    kept = {n.key for n in nodes}
    facts = [
        f
        for f in facts
        if f.subject in kept and (not isinstance(f.object, Key) or f.object in kept or f.object.scope is Scope.CONCEPT)
    ]
    mention_node = {mid: key for mid, key in mention_key.items() if key in kept}
    return ArticleGraph(
        article=ex.article,
        sentences=ex.sentences,
        mentions=mentions,
        nodes=tuple(nodes),
        facts=tuple(facts),
        mention_node=mention_node,
    )


def _fact(r: Relation, key_of: Callable[[int], Key | None]) -> Fact | None:
    subject = key_of(r.subject)
    if subject is None:
        return None
    obj: object = r.object
    if isinstance(r.object, int) and not isinstance(r.object, bool):
        obj = key_of(r.object)
        if obj is None or obj == subject:
            return None
    elif isinstance(r.object, str):
        obj = Key.concept(r.object)
    attribution = r.attribution
    speaker = via = statement = None
    if attribution is not None:
        speaker = key_of(attribution.speaker) if attribution.speaker is not None else None
        via = key_of(attribution.via) if attribution.via is not None else None
        statement = key_of(attribution.statement) if attribution.statement is not None else None
    return Fact(
        subject=subject,
        predicate=r.predicate,
        object=obj,  # type: ignore[arg-type]
        sentence=r.sentence,
        confidence=round(r.confidence, 3),
        extractor=r.extractor,
        attribution=attribution,
        speaker=speaker,
        via=via,
        verb=r.verb,
        hedged=r.hedged,
        statement=statement,
    )


def _statement_speakers(facts: list[Fact]) -> list[Fact]:
    """A fact quoted from a statement ("..., read the statement") is the statement's speaker's."""
    speakers = {f.subject: f.object for f in facts if f.predicate == "speaker" and isinstance(f.object, Key)}
    return [
        dataclasses.replace(f, speaker=speakers[f.statement]) if f.speaker is None and f.statement in speakers else f
        for f in facts
    ]


def _rename(facts: Iterable[Fact], old: Key, new: Key) -> list[Fact]:
    out = []
    for f in facts:
        changes: dict[str, object] = {}
        if f.subject == old:
            changes["subject"] = new
        if f.object == old:
            changes["object"] = new
        if f.speaker == old:
            changes["speaker"] = new
        if f.via == old:
            changes["via"] = new
        out.append(dataclasses.replace(f, **changes) if changes else f)  # type: ignore[arg-type]
    return [f for f in out if f.subject != f.object]


def _role_merge(facts: list[Fact], clusters: dict[int, _Cluster], mention_key: dict[int, Key]) -> list[Fact]:
    """An unnamed organisation and a named one that fill the same perpetrator role are one.

    "Islamic State's Afghanistan branch was behind the blasts" ... "ISIS-K carried out
    the bombings": the nominal joins the name, keeping its description as an alias.
    """
    while True:
        merged = _role_merge_once(facts, clusters, mention_key)
        if merged is None:
            return facts
        facts = merged


def _role_merge_once(
    facts: list[Fact], clusters: dict[int, _Cluster], mention_key: dict[int, Key]
) -> list[Fact] | None:
    by_key = {c.key: c for c in clusters.values()}
    perpetrators: dict[Key, set[Key]] = defaultdict(set)
    for f in facts:
        if f.predicate == "perpetrator" and isinstance(f.object, Key):
            perpetrators[f.subject].add(f.object)
    for agents in perpetrators.values():
        named = [a for a in agents if a in by_key and by_key[a].named and by_key[a].type == "Organization"]
        unnamed = [
            a
            for a in agents
            if a in by_key
            and not by_key[a].named
            and by_key[a].type == "Organization"
            and not any(m.plural for m in by_key[a].members)
        ]
        if len(named) != 1 or len(unnamed) != 1:
            continue
        target, source = by_key[named[0]], by_key[unnamed[0]]
        related = any(
            {f.subject, f.object} == {target.key, source.key} for f in facts if f.predicate in ("branchOf", "partOf")
        )
        if related:
            continue
        target.members.extend(source.members)
        facts = _rename(facts, source.key, target.key)
        for mid, key in list(mention_key.items()):
            if key == source.key:
                mention_key[mid] = target.key
        source.key = target.key
        return facts
    return None


def _qualify_generic(facts: list[Fact], clusters: dict[int, _Cluster], mention_key: dict[int, Key]) -> list[Fact]:
    """Generic names ("Ministry of Intelligence", "the army") get the country in their key."""
    for cluster in clusters.values():
        if not cluster.named or cluster.qid or cluster.type != "Organization":
            continue
        country = next(
            (
                f.object
                for f in facts
                if f.subject == cluster.key and f.predicate == "country" and isinstance(f.object, Key)
            ),
            None,
        )
        if not isinstance(country, Key) or not _generic(cluster.label):
            continue
        old, new = cluster.key, Key.named("Organization", cluster.label, within=country.value)
        facts = _rename(facts, old, new)
        for mid, key in list(mention_key.items()):
            if key == old:
                mention_key[mid] = new
        cluster.key = new
    return facts


def _derived(facts: list[Fact]) -> list[Fact]:
    """Facts that follow from others in the same article.

    - A speaker who says that it, or its members, carried out an attack claims it.
    - An attack on a facility located in a place is located in that place.
    """
    out: list[Fact] = []
    members = {(f.subject, f.object) for f in facts if f.predicate in ("memberOf", "branchOf", "partOf")}
    located = defaultdict(set)
    for f in facts:
        if f.predicate == "locatedIn" and isinstance(f.object, Key):
            located[f.subject].add(f.object)
    for f in facts:
        self_claim = f.speaker == f.object or (f.object, f.speaker) in members
        if f.predicate == "perpetrator" and f.speaker and isinstance(f.object, Key) and self_claim:
            out.append(
                dataclasses.replace(
                    f,
                    subject=f.speaker,
                    predicate="claimedResponsibilityFor",
                    object=f.subject,
                    extractor="claim.self_attributed",
                    confidence=round(min(f.confidence, 0.75), 3),
                )
            )
        if f.predicate == "location" and isinstance(f.object, Key):
            for place in located.get(f.object, ()):
                out.append(
                    dataclasses.replace(
                        f,
                        object=place,
                        extractor="derived.location_via_site",
                        confidence=round(f.confidence * 0.9, 3),
                    )
                )
    return out


def _country_iso(cluster: _Cluster) -> str | None:
    """ISO code of a country node, from its QID or its name."""
    countries = country_table()
    by_qid = next((c for c in countries.countries if cluster.qid and c.qid == cluster.qid), None)
    found = by_qid or countries.lookup(cluster.label)
    return found.iso2 if found is not None else None


def _country_keys(clusters: dict[int, _Cluster]) -> dict[str, Key]:
    """ISO code → node key of the countries the article names."""
    out: dict[str, Key] = {}
    for cluster in clusters.values():
        if cluster.named and cluster.type == "Country":
            iso = _country_iso(cluster)
            if iso:
                out.setdefault(iso, cluster.key)
    return out


def _place_keys(clusters: dict[int, _Cluster]) -> dict[str, Key]:
    """`place_key` of every name of a named place other than a country → its node key."""
    out: dict[str, Key] = {}
    for cluster in clusters.values():
        if cluster.named and cluster.type in PLACE_TYPES and cluster.type != "Country":
            for m in cluster.members:
                if m.kind == "name":
                    out.setdefault(place_key(m.name), cluster.key)
    return out


def _placements(
    cluster: _Cluster, predicates: Iterable[str], obj: Key, *, confidence: float, extractor: str
) -> list[Fact]:
    """Facts putting ``cluster`` in ``obj``, sourced at the sentence of its first name."""
    first = min((m for m in cluster.members if m.kind == "name"), key=lambda m: m.start, default=None)
    if first is None:
        return []
    return [
        Fact(
            subject=cluster.key,
            predicate=p,
            object=obj,
            sentence=first.sentence,
            confidence=confidence,
            extractor=extractor,
        )
        for p in predicates
    ]


def _gazetteer_places(facts: list[Fact], clusters: dict[int, _Cluster]) -> list[Fact]:
    """Places the gazetteer puts in a country or region that the article also names.

    "Born in Prelate, Saskatchewan, he ... the Canadian province of Alberta": the
    gazetteer knows Saskatchewan as a province of Canada, and the article names Canada,
    so Saskatchewan is in Canada. Only containers the article names are used (the
    article chooses among the gazetteer's many Victorias and Córdobas), only when its
    candidates agree on one country, and never against a country the text states.
    """
    table = place_table()
    country_key = _country_keys(clusters)
    place_keys = _place_keys(clusters)
    places = [c for c in clusters.values() if c.named and c.type in PLACE_TYPES - {"Country", "Facility"}]
    stated = {(f.subject, f.object) for f in facts if f.predicate == "country" and isinstance(f.object, Key)}
    stated_country = {subject for subject, _ in stated}
    out: list[Fact] = []
    done: set[Key] = set()
    for cluster in places:
        if cluster.key in done:
            continue
        done.add(cluster.key)
        names = {place_key(m.name) for m in cluster.members if m.kind == "name"}
        candidates = [
            p
            for name in names
            for p in table.get(name, ())
            if p.country in country_key or place_keys.get(place_key(p.within or ""), cluster.key) != cluster.key
        ]
        in_countries = {p.country for p in candidates}
        if len(in_countries) != 1:
            continue
        iso = next(iter(in_countries))
        containers = [(country_key[iso], "gazetteer.country")] if iso in country_key else []
        for p in candidates:
            region = place_keys.get(place_key(p.within)) if p.within else None
            if region is not None and region != cluster.key:
                containers.append((region, "gazetteer.within"))
        if iso in country_key and cluster.key in stated_country and (cluster.key, country_key[iso]) not in stated:
            continue  # the text puts it elsewhere
        for container, extractor in dict.fromkeys(containers):
            predicates = ("locatedIn", "country") if extractor == "gazetteer.country" else ("locatedIn",)
            out += _placements(cluster, predicates, container, confidence=0.6, extractor=extractor)
    return out


NAME_HOLDERS = frozenset({"Organization", "Facility"})


def _places_in_names(facts: list[Fact], clusters: dict[int, _Cluster]) -> list[Fact]:
    """Organisations and facilities whose names say where they are, when the article
    names that place too: "the Norwegian Army" (Norway), "the University of Toronto"
    (Toronto), "Baghdad airport" (Baghdad).

    Words that end a longer gazetteer name do not count ("New Mexico State University"
    says nothing of Mexico); a name with two countries in it ("Cambodia–Vietnam
    Friendship Monument") says nothing of either.
    """
    countries = country_table()
    table = place_table()
    country_key = _country_keys(clusters)
    place_keys = _place_keys(clusters)
    stated = {f.subject for f in facts if f.predicate in ("country", "locatedIn") and isinstance(f.object, Key)}
    out: list[Fact] = []
    done: set[Key] = set()
    for cluster in clusters.values():
        if not cluster.named or cluster.type not in NAME_HOLDERS or cluster.key in done or cluster.key in stated:
            continue
        done.add(cluster.key)
        words = cluster.label.replace("–", " ").replace("-", " ").split()
        found_countries: set[str] = set()
        found_places: set[Key] = set()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i : i + n])
                if not phrase[0].isupper() or len(words) == n:
                    continue
                longer = " ".join(words[max(0, i - 1) : i + n]) if i else ""
                if longer and (countries.lookup(longer) or table.get(place_key(longer))):
                    continue
                country = countries.lookup(phrase) or countries.demonym(phrase)
                if country is not None:
                    found_countries.add(country.iso2)
                elif place_key(phrase) in place_keys and place_keys[place_key(phrase)] != cluster.key:
                    found_places.add(place_keys[place_key(phrase)])
        if len(found_countries) > 1:
            continue
        targets = [(key, "name.place") for key in sorted(found_places)]
        targets += [(country_key[iso], "name.country") for iso in found_countries if iso in country_key]
        for target, extractor in targets:
            predicates = ["locatedIn"] if extractor == "name.place" else ["country"]
            if extractor == "name.country" and cluster.type == "Facility":
                predicates.append("locatedIn")
            out += _placements(cluster, predicates, target, confidence=0.6, extractor=extractor)
    return out


def _geography(facts: list[Fact], types: dict[Key, str]) -> list[Fact]:
    """What the article's own "located in" facts imply: containment is transitive, and a
    place or organisation in a country, or in a place in a country, has that country.

    "Sacramento, California, in the United States": Sacramento is in the United States,
    and both have the United States as country.
    """
    located: dict[Key, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.predicate == "locatedIn" and isinstance(f.object, Key) and f.primary:
            located[f.subject].append(f)
    out: list[Fact] = []
    for subject, direct in located.items():
        # breadth-first up the containment chain, at most three steps
        seen = {subject}
        frontier = [(f, f.confidence, 1) for f in direct]
        while frontier:
            fact, confidence, depth = frontier.pop(0)
            place = fact.object
            assert isinstance(place, Key)
            if place in seen:
                continue
            seen.add(place)
            if depth > 1:
                out.append(
                    dataclasses.replace(
                        fact, subject=subject, confidence=round(confidence, 3), extractor="derived.located_transitive"
                    )
                )
            if types.get(place) == "Country":
                out.append(
                    dataclasses.replace(
                        fact,
                        subject=subject,
                        predicate="country",
                        confidence=round(confidence, 3),
                        extractor="derived.country_of_place",
                    )
                )
            if depth < 3:
                frontier += [(g, confidence * 0.85, depth + 1) for g in located.get(place, ())]
        for f in facts:
            if f.predicate == "country" and f.subject in seen and f.subject != subject and isinstance(f.object, Key):
                out.append(
                    dataclasses.replace(
                        f,
                        subject=subject,
                        confidence=round(f.confidence * 0.8, 3),
                        extractor="derived.country_of_container",
                    )
                )
    return out


def _dominant_country(facts: list[Fact], clusters: dict[int, _Cluster]) -> list[Fact]:
    """What the article leaves unplaced: weakly, in the country it is mostly about.

    When one country dominates the article (at least half of its country mentions,
    names and demonyms, and at least two), a named place with no country of its own is
    taken to be in it (confidence 0.35), a named organisation to be of it (0.3) and a
    named person to be of its nationality (0.3). These are document-level guesses, each
    under an extractor of its own: they are kept as `kg:Fact` nodes but not asserted as
    plain triples (see `_choose_primary`). Continents, seas and places the gazetteer
    knows only in another country are left out; a place linked to an entity of another
    country loses the guess at linking time.
    """
    countries = [c for c in clusters.values() if c.named and c.type == "Country"]
    counts = sorted(((len([m for m in c.members if m.kind != "pronoun"]), c.key) for c in countries), reverse=True)
    total = sum(n for n, _ in counts)
    if not counts or counts[0][0] < 2 or counts[0][0] * 2 < total or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return []
    dominant = counts[0][1]
    dominant_iso = next((iso for iso, key in _country_keys(clusters).items() if key == dominant), None)
    table = place_table()
    placed = {
        f.subject for f in facts if f.predicate in ("country", "locatedIn", "nationality") and isinstance(f.object, Key)
    }
    out = []
    done: set[Key] = set()
    for cluster in clusters.values():
        if not cluster.named or cluster.key in placed or cluster.key in done or cluster.type == "Country":
            continue
        done.add(cluster.key)
        names = [m.name for m in cluster.members if m.kind == "name"]
        if cluster.type == "Person":
            guesses = [("nationality", 0.3, "document.dominant_nationality")]
        elif cluster.type == "Organization":
            guesses = [(p, 0.3, "document.dominant_country_org") for p in ("country", "locatedIn")]
        elif cluster.type in PLACE_TYPES:
            if any(beyond_countries(n) for n in names):
                continue
            known = [p for n in names for p in table.get(place_key(n), ())]
            if known and all(p.country != dominant_iso for p in known):
                continue  # the gazetteer knows it only elsewhere
            guesses = [(p, 0.35, "document.dominant_country") for p in ("country", "locatedIn")]
        else:
            continue
        for predicate, confidence, extractor in guesses:
            out += _placements(cluster, (predicate,), dominant, confidence=confidence, extractor=extractor)
    return out


def _sentence_locations(
    facts: list[Fact], events: list[_Cluster], clusters: dict[int, _Cluster], ex: Extraction
) -> list[Fact]:
    """Where an event has no location of its own, the place its first sentence names.

    News ledes often say where without attaching it to the trigger ("Paweł Adamowicz,
    mayor of the Polish city of Gdańsk, was stabbed last night"). The most specific
    place named in the first sentence of the event is taken, with a low confidence.
    """
    located = {f.subject for f in facts if f.predicate == "location"}
    place_of: dict[int, _Cluster] = {}
    for cluster in clusters.values():
        if cluster.named and cluster.type in PLACE_TYPES:
            for m in cluster.members:
                if m.kind == "name":
                    place_of[m.id] = cluster
    out = []
    for event in events:
        if event.key in located or event.type == "Statement":
            continue
        chosen, where = None, -1
        for sentence in sorted({m.sentence for m in event.members}):
            places = [place_of[m.id] for m in ex.mentions if m.sentence == sentence and m.id in place_of]
            specific = sorted((p for p in places if p.type != "Country"), key=lambda p: PLACE_RANK.get(p.type, 9))
            if specific:
                chosen, where = specific[0], sentence
                break
            if places and chosen is None:
                chosen, where = places[0], sentence
        if chosen is not None:
            sentence = where
            out.append(
                Fact(
                    subject=event.key,
                    predicate="location",
                    object=chosen.key,
                    sentence=sentence,
                    confidence=0.45,
                    extractor="event.location_sentence",
                    attribution=None,
                )
            )
    return out


def _drop_generic(facts: list[Fact], clusters: dict[int, _Cluster]) -> list[Fact]:
    """Loose facts about unnamed, generic things ("members member of Parliament") go.

    An unnamed node stays when it matters elsewhere: a perpetrator, a speaker, the
    subject of a nationality ("one of the bombers was Tajik").
    """
    unnamed = {c.key for c in clusters.values() if not c.named}
    anchored = set()
    for f in facts:
        if f.predicate not in LOOSE:
            anchored.add(f.subject)
            if isinstance(f.object, Key):
                anchored.add(f.object)
        for k in (f.speaker, f.via):
            if k:
                anchored.add(k)
    return [
        f
        for f in facts
        if f.predicate not in LOOSE
        or not (
            (f.subject in unnamed and f.subject not in anchored) or (f.object in unnamed and f.object not in anchored)
        )
    ]


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen: dict[tuple, Fact] = {}
    for f in facts:
        key = (f.subject, f.predicate, _value_key(f.object), f.sentence, f.speaker)
        if key not in seen or f.confidence > seen[key].confidence:
            seen[key] = f
    return list(seen.values())


def _value_key(value: object) -> object:
    if isinstance(value, Quantity):
        return ("q", value.value, value.approximate, value.bound)
    if isinstance(value, TimeValue):
        return ("t", value.value, value.precision, value.text if value.precision == "text" else "")
    return value


GUESS_PREFIX = "document."
"""Extractors of document-level guesses, which are recorded but not asserted as plain triples."""


def _choose_primary(facts: list[Fact]) -> list[Fact]:
    """Which facts are asserted as plain triples: not document-level guesses, and of a
    single-valued property only the best-supported value."""
    facts = [dataclasses.replace(f, primary=False) if f.extractor.startswith(GUESS_PREFIX) else f for f in facts]
    best: dict[tuple[Key, str], Fact] = {}
    for f in facts:
        if f.predicate in FUNCTIONAL:
            key = (f.subject, f.predicate)
            if key not in best or _better(f, best[key]):
                best[key] = f
    out = []
    for f in facts:
        if f.predicate in FUNCTIONAL:
            chosen = best[(f.subject, f.predicate)]
            primary = _value_key(chosen.object) == _value_key(f.object)
            out.append(f if primary else dataclasses.replace(f, primary=False))
        else:
            out.append(f)
    return out


def _used_keys(facts: list[Fact]) -> set[Key]:
    used = set()
    for f in facts:
        used.add(f.subject)
        if isinstance(f.object, Key):
            used.add(f.object)
        for k in (f.speaker, f.via, f.statement):
            if k:
                used.add(k)
    return used


def _name_of(cluster: _Cluster) -> Key | None:
    """The identity of a named cluster's name, whether or not it is linked."""
    if cluster.key.scope is Scope.NAME:
        return cluster.key
    return Key.named(cluster.type, cluster.label) if cluster.named else None


def _entity_node(cluster: _Cluster, clusters: dict[int, _Cluster]) -> Node:
    members = [c for c in clusters.values() if c.key == cluster.key]
    all_members = sorted({m.id: m for c in members for m in c.members}.values(), key=lambda m: m.id)
    aliases = []
    for m in all_members:
        if m.kind in ("name", "nominal") and m.text != cluster.label:
            text = re.sub(r"^(the|The|a|A|an|An) ", "", m.text)
            text = re.sub(r"('s|’s)$", "", text)
            if m.kind == "nominal" and cluster.named:
                continue
            if text != cluster.label and text not in aliases:
                aliases.append(text)
    if cluster.named:
        for c in members:
            if not c.named:
                described = [m.name for m in c.members if m.kind == "nominal"]
                aliases += [d for d in described[:1] if d not in aliases]
    return Node(
        key=cluster.key,
        kind="entity",
        type=cluster.type,
        label=cluster.label,
        aliases=tuple(aliases),
        mentions=tuple(m.id for m in all_members if m.kind != "pronoun"),
        qid=cluster.qid,
        link_score=1.0 if cluster.qid else None,
        link_source="country-table" if cluster.qid else None,
        name_key=_name_of(cluster),
    )


def _event_node(cluster: _Cluster, facts: list[Fact], labels: dict[Key, str], types: dict[Key, str]) -> Node:
    places = [
        f.object
        for f in facts
        if f.subject == cluster.key and f.predicate == "location" and isinstance(f.object, Key) and f.object in labels
    ]
    # name it after the most specific named place, then any place: "Stabbing in Paris", not "in headquarters"
    named = [p for p in places if p.scope is not Scope.LOCAL]
    ranked = sorted(named, key=lambda p: PLACE_RANK.get(types.get(p, ""), 4 if types.get(p) == "Country" else 9))
    place = labels[ranked[0]] if ranked else (labels[places[0]] if places else None)
    date = next(
        (
            f.object.value
            for f in facts
            if f.subject == cluster.key
            and f.predicate == "date"
            and f.primary
            and isinstance(f.object, TimeValue)
            and f.object.value
        ),
        None,
    )
    speaker = next(
        (
            labels.get(f.object)
            for f in facts
            if f.subject == cluster.key and f.predicate == "speaker" and isinstance(f.object, Key)
        ),
        None,
    )
    label = cluster.type
    if cluster.type == "Statement" and speaker:
        label = f"Statement by {speaker}"
    elif place:
        label = f"{cluster.type} in {place}"
    if date:
        label = f"{label} ({date})"
    return Node(
        key=cluster.key,
        kind="event",
        type=cluster.type,
        label=label,
        aliases=tuple(dict.fromkeys(m.text for m in cluster.members)),
        mentions=tuple(m.id for m in cluster.members),
    )
