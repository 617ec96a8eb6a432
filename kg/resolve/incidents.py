"""Which event mentions are one incident.

Mentions join the article's main incident of their family ("the attack", "the blasts")
unless they are marked as another one ("a similar attack"), their own date or place
conflicts with the main incident's ("an assault in Ghazni in August 2018", "last week's
Kabul car bombing"), or they are an indefinite plural that talks about a kind of event
("deadly mass shootings"). Mentions set apart group by shared place, or by sentence
when they have none. Statements, actions and deaths are one event a mention, unless a
definite one ("the statement", "the meeting") refers back to the one before (for a
statement, one named by the same noun).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg import ontology
from kg.extract.data import event_words
from kg.extract.normalize import time_span
from kg.model import Extraction, Mention, TimeValue

__all__ = ["event_clusters", "event_type"]


def _apart(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date], *, slack: int = 2) -> bool:
    """Whether two time ranges cannot be the same incident (more than ``slack`` days apart)."""
    gap = dt.timedelta(days=slack)
    return a[1] + gap < b[0] or b[1] + gap < a[0]


@dataclass
class _Incident:
    """An event cluster being built: its mentions and where and when it happened."""

    members: list[Mention]
    family: str
    places: set[int] = field(default_factory=set)
    when: tuple[dt.date, dt.date] | None = None


@dataclass
class _Evidence:
    """What the article says of each event mention: its places, its date, the containments."""

    places: dict[int, set[int]]  # event mention -> roots of its location/target entities
    when: dict[int, tuple[dt.date, dt.date]]
    located: set[tuple[int, int]]
    countries: set[int]
    anchor: dt.date | None

    def conflicts(self, m: Mention, incident: _Incident) -> bool:
        """Whether ``m`` cannot be ``incident``: places that do not meet, or dates apart."""
        mine = {p for p in self.places[m.id] if p not in self.countries}
        theirs = {p for p in incident.places if p not in self.countries}
        if mine and theirs and not mine & theirs:
            related = any((a, b) in self.located or (b, a) in self.located for a in mine for b in theirs)
            if not related:
                return True
        span = self.when.get(m.id)
        if span is not None:
            if incident.when is not None:
                return _apart(span, incident.when)
            if self.anchor is not None and span[1] < self.anchor - dt.timedelta(days=7):
                return True  # a past event the main incident has no date to compare with
        return False

    def start(self, m: Mention, family: str) -> _Incident:
        return _Incident([m], family, set(self.places[m.id]), self.when.get(m.id))

    def absorb(self, incident: _Incident, m: Mention) -> None:
        incident.members.append(m)
        incident.places |= self.places[m.id]
        if incident.when is None and m.id in self.when:
            incident.when = self.when[m.id]


def _evidence(ex: Extraction, entity_root: dict[int, int]) -> _Evidence:
    places: dict[int, set[int]] = defaultdict(set)
    countries = {
        entity_root[m.id] for m in ex.mentions if m.kind != "event" and m.type == "Country" and m.id in entity_root
    }
    located: set[tuple[int, int]] = set()
    for r in ex.relations:
        if not isinstance(r.object, int) or r.subject < 0:
            continue
        if r.object in entity_root and (
            r.predicate == "location" or (r.predicate == "target" and ontology.is_place(ex.mentions[r.object].type))
        ):
            places[r.subject].add(entity_root[r.object])
        elif r.predicate == "locatedIn" and r.subject in entity_root and r.object in entity_root:
            located.add((entity_root[r.subject], entity_root[r.object]))
    when: dict[int, tuple[dt.date, dt.date]] = {}
    for r in ex.relations:
        if r.predicate == "date" and isinstance(r.object, TimeValue) and r.subject >= 0 and r.confidence >= 0.6:
            span = time_span(r.object)
            if span is not None and r.subject not in when:
                when[r.subject] = span
    return _Evidence(places, when, located, countries, ex.article.date)


def event_clusters(ex: Extraction, entity_root: dict[int, int]) -> list[list[Mention]]:
    """Event mentions grouped into incidents, in the order their first mentions come."""
    evidence = _evidence(ex, entity_root)
    attack = event_words().attack_family
    incidents: list[_Incident] = []
    main: dict[str, _Incident] = {}
    for m in (m for m in ex.mentions if m.kind == "event"):
        family = "attack" if m.type in attack else m.type
        if family == "Statement" or _one_each(m.type):
            previous = [i for i in incidents if i.family == family and _refers_to(m, i)]
            if m.definite and previous:
                evidence.absorb(previous[-1], m)  # "the statement", "the meeting": the one before
            else:
                incidents.append(evidence.start(m, family))
            continue
        generic = m.plural and not m.definite and not m.name.lower().startswith(("twin", "two", "both", "double"))
        home = main.get(family)
        if home is None and not m.distinct and not generic:
            main[family] = evidence.start(m, family)
            incidents.append(main[family])
        elif home is not None and not m.distinct and not generic and not evidence.conflicts(m, home):
            evidence.absorb(home, m)
        else:
            _set_apart(m, family, home, incidents, evidence)
    return [i.members for i in incidents]


def _refers_to(m: Mention, incident: _Incident) -> bool:
    """Whether a definite statement mention can be ``incident``: a statement by the same
    noun ("a statement" ... "the statement"); a speech verb ("said") is one statement
    only. Other kinds of event: the one before."""
    return m.type != "Statement" or any(x.head == m.head for x in incident.members)


def _one_each(cls: str) -> bool:
    """Actions and deaths are one event a mention: two accusations in an article are two."""
    return ontology.is_a(cls, "Action") or cls == "Death"


def _set_apart(
    m: Mention, family: str, home: _Incident | None, incidents: list[_Incident], evidence: _Evidence
) -> None:
    """Another incident than the main one: join the last one set apart before it that
    shares a place (or, with no place, its sentence), else start one."""
    target = None
    for incident in incidents:
        if incident.family != family or incident is home:
            continue
        shared = bool(evidence.places[m.id] & incident.places)
        same_sentence = not evidence.places[m.id] and any(x.sentence == m.sentence for x in incident.members)
        if (shared or same_sentence) and not evidence.conflicts(m, incident):
            target = incident
    if target is None:
        incidents.append(evidence.start(m, family))
    else:
        evidence.absorb(target, m)


def event_type(members: list[Mention]) -> str:
    """The type of the first mention, unless a more specific one follows ("attack" ... "shooting")."""
    first = members[0].type
    if first not in ("Attack", "Explosion"):
        return first
    votes = Counter(m.type for m in members if m.type not in ("Attack", "Explosion"))
    if votes:
        return votes.most_common(1)[0][0]
    return "Attack" if any(m.type == "Attack" for m in members) else first
