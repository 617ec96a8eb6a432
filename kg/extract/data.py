"""Lexicons, confidences and word lists: data files next to the code, read by one loader.

Each file of ``lexicons/`` has a typed form here (a frozen dataclass); `load` reads the
JSON, checks that every field is there with the right shape and nothing else is (keys
starting with ``_`` are comments), checks class names against the ontology
(`kg.ontology`), and hands out immutable values. A broken file is one `DataError`
naming the file and the key, at first use.

Class sets are written as ontology classes: ``"Place"`` is Place and every class below
it, ``"=Event"`` the class alone, ``"-Country"`` removes one (``["Place", "-Country"]``:
every place but a country).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, NewType, TypeVar

from kg import ontology
from kg.errors import KGError

__all__ = [
    "AFFILIATIONS",
    "ActionWords",
    "AttributionWords",
    "ClassSet",
    "DataError",
    "EventWords",
    "MentionWords",
    "NominalWords",
    "NumberWords",
    "RoleWords",
    "WorldRegions",
    "action_words",
    "attribution_words",
    "class_set",
    "confidence",
    "event_words",
    "load",
    "mention_words",
    "nominal_words",
    "number_words",
    "role_words",
    "world_regions",
]

ClassSet = NewType("ClassSet", frozenset[str])
"""Ontology class names, from a class spec (see the module docstring)."""
ClassName = NewType("ClassName", str)
"""One ontology class name."""


class DataError(KGError):
    """A data file of the package is malformed."""


def class_set(spec: list[str] | tuple[str, ...], *, where: str = "") -> ClassSet:
    """The classes a spec names: ``["Place", "-Country", "=Event"]``."""
    known = ontology.classes()
    out: set[str] = set()
    for item in spec:
        name = item.lstrip("=-")
        if name not in known:
            raise DataError(f"{where}: {name!r} is not a class of the ontology")
        if item.startswith("-"):
            out.discard(name)
        elif item.startswith("="):
            out.add(name)
        else:
            out |= ontology.descendants(name)
    return ClassSet(frozenset(out))


@dataclass(frozen=True, slots=True)
class EventWords:
    """``events.json``: event triggers, roles and casualty words."""

    noun_triggers: Mapping[str, ClassName]
    verb_triggers: Mapping[str, ClassName]
    attack_family: ClassSet
    incident_family: ClassSet
    agent_types: ClassSet
    strike_needs: frozenset[str]
    trigger_modifiers: frozenset[str]
    methods: Mapping[str, str]
    method_triggers: Mapping[str, str]
    distinct_markers: frozenset[str]
    same_day_dates: frozenset[str]
    perpetrator_nouns: frozenset[str]
    injury_verbs: frozenset[str]
    location_preps: frozenset[str]
    target_preps: frozenset[str]
    time_preps: frozenset[str]
    toll_verbs: frozenset[str]
    spree_heads: frozenset[str]
    light_verbs: frozenset[str]
    impact_verbs: frozenset[str]
    strike_verbs: frozenset[str]
    aerial_words: frozenset[str]
    not_counted: frozenset[str]
    people: frozenset[str]
    violent_killers: frozenset[str]
    issue_verbs: frozenset[str]
    claim_verbs: frozenset[str]
    market_subjects: frozenset[str]
    verbal_attack_verbs: frozenset[str]
    filmed_objects: frozenset[str]
    criticism_objects: frozenset[str]
    critic_subjects: frozenset[str]
    sport_words: frozenset[str]
    site_nouns: frozenset[str]


@dataclass(frozen=True, slots=True)
class MentionWords:
    """``mentions.json``: NER labels → classes, naming heads, pronouns, what is never a name."""

    ner_types: Mapping[str, ClassName]
    retypable: frozenset[str]
    name_heads: frozenset[str]
    name_head_modifiers: frozenset[str]
    acronym_stop: frozenset[str]
    not_names: frozenset[str]
    post_nominals: frozenset[str]
    place_suffixes: frozenset[str]
    singular_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    person_pronouns: frozenset[str]
    partitive_heads: frozenset[str]
    drop_before_nominal: frozenset[str]
    party_names: Mapping[str, str]
    party_letters: Mapping[str, str]
    contest_heads: frozenset[str]


@dataclass(frozen=True, slots=True)
class VerbFrame:
    """Verbs that state one kind of action, and the dependents that name its target."""

    action: ClassName
    verbs: frozenset[str]
    targets: tuple[str, ...]
    target_types: ClassSet | None = None
    needs_target: bool = False
    target_nouns: str | None = None
    play_in_sport: bool = False
    """In a report of sport the verbs are play: "released Mayer" is a pass, "rallied" a recovery."""


@dataclass(frozen=True, slots=True)
class NounFrame:
    """Nouns that state one kind of action, and the dependents that name its agent and target."""

    action: ClassName
    nouns: frozenset[str]
    agent: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionWords:
    """``actions.json``: verb and noun frames of actions, and what keeps a verb from stating one."""

    verb_frames: tuple[VerbFrame, ...]
    noun_frames: tuple[NounFrame, ...]
    modals: frozenset[str]
    plans: frozenset[str]
    conditions: frozenset[str]
    sign_objects: frozenset[str]
    contests: frozenset[str]
    measures: frozenset[str]
    outcomes: frozenset[str]
    death_passives: frozenset[str]
    support_verbs: frozenset[str]
    active_only: frozenset[str]
    not_agents: frozenset[str]
    mutual: ClassSet
    possessor_targets: ClassSet
    by_verb: Mapping[str, VerbFrame] = dataclasses.field(init=False)
    by_noun: Mapping[str, NounFrame] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        by_verb: dict[str, VerbFrame] = {}
        for frame in self.verb_frames:
            for verb in frame.verbs:
                if verb in by_verb:
                    raise DataError(f"actions.json: verb {verb!r} is in two frames")
                by_verb[verb] = frame
            if frame.target_nouns is not None and not hasattr(self, frame.target_nouns):
                raise DataError(f"actions.json: {frame.action}: no word list {frame.target_nouns!r}")
        object.__setattr__(self, "by_verb", types.MappingProxyType(by_verb))
        object.__setattr__(self, "by_noun", types.MappingProxyType({n: f for f in self.noun_frames for n in f.nouns}))


@dataclass(frozen=True, slots=True)
class NominalWords:
    """``nominals.json``: head nouns of nominal mentions by the class they denote; ``types``
    is the same lemma → class (a lemma listed twice keeps its first class)."""

    classes: Mapping[str, frozenset[str]]
    generic_org_names: frozenset[str]
    short_org_names: frozenset[str]
    heads_of_something: frozenset[str]
    non_person_subjects: frozenset[str]
    types: Mapping[str, str] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        known = ontology.classes()
        types: dict[str, str] = {}
        for cls, lemmas in self.classes.items():
            if cls not in known:
                raise DataError(f"nominals.json: classes: {cls!r} is not a class of the ontology")
            for lemma in lemmas:
                types.setdefault(lemma, cls)
        object.__setattr__(self, "types", types)


AFFILIATIONS = frozenset({"leaderOf", "commanderOf", "spokespersonOf", "founderOf", "employer", "memberOf"})
"""The properties a role gives a person towards an organisation (``ontology/kg.ttl``)."""


@dataclass(frozen=True, slots=True)
class RoleWords:
    """``roles.json``: role phrases (→ ontology property), titles and the words that belong
    to them, offices of a state (see `kg.extract.relations.positions`)."""

    roles: Mapping[str, str]
    not_posts: frozenset[str]
    subordinate: frozenset[str]
    title_modifiers: frozenset[str]
    title_qualifiers: frozenset[str]
    title_words: frozenset[str]
    name_titles: frozenset[str]
    holder_nouns: frozenset[str]
    titles: frozenset[str]
    state_titles: frozenset[str]
    seats: frozenset[str]
    national_offices: frozenset[str]
    party_posts: frozenset[str]
    state_offices: frozenset[str]

    def __post_init__(self) -> None:
        for phrase, prop in self.roles.items():
            if prop not in AFFILIATIONS:
                raise DataError(f"roles.json: roles: {phrase!r}: {prop!r} is not one of {sorted(AFFILIATIONS)}")


@dataclass(frozen=True, slots=True)
class AttributionWords:
    """``attribution.json``: reporting verbs (→ hedged?), statement nouns, hedges, and the
    words speech acts are read from (speech verbs → where their content may be)."""

    reporting_verbs: Mapping[str, bool]
    statement_nouns: frozenset[str]
    hedge_words: frozenset[str]
    verify_verbs: frozenset[str]
    speech_verbs: Mapping[str, frozenset[str]]
    addressing_verbs: frozenset[str]
    quote_verbs: frozenset[str]
    document_nouns: frozenset[str]
    speaker_types: ClassSet
    speaker_nouns: frozenset[str]
    agent_suffixes: frozenset[str]
    claim_nouns: frozenset[str]
    address_preps: frozenset[str]
    statement_address_preps: frozenset[str]
    address_clauses: frozenset[str]
    foretelling_auxiliaries: frozenset[str]
    foretelling_heads: frozenset[str]

    def __post_init__(self) -> None:
        kinds = {"clause", "object", "claim", "infinitive"}
        for verb, where in self.speech_verbs.items():
            if not where <= kinds:
                raise DataError(f"attribution.json: speech_verbs.{verb}: unknown kinds {sorted(where - kinds)}")


@dataclass(frozen=True, slots=True)
class NumberWords:
    """``numbers.json``: currencies, scales, role words of amounts, what a count never
    counts, and the words of ages, penalties and times of day."""

    currency_symbols: Mapping[str, str]
    currency_codes: frozenset[str]
    currency_words: Mapping[str, str]
    currency_subunits: Mapping[str, str]
    weak_currency_words: frozenset[str]
    dollar_countries: Mapping[str, str]
    scales: Mapping[str, int]
    money_role_nouns: Mapping[str, str]
    money_role_verbs: Mapping[str, str]
    percent_words: frozenset[str]
    measure_units: frozenset[str]
    durations: frozenset[str]
    identifier_words: frozenset[str]
    collective_nouns: frozenset[str]
    vote_nouns: frozenset[str]
    possession_verbs: frozenset[str]
    person_nouns: frozenset[str]
    not_count_words: frozenset[str]
    multiplier_words: frozenset[str]
    penalty_verbs: frozenset[str]
    penalty_nouns: frozenset[str]
    hypothetical_penalty_verbs: frozenset[str]
    measure_nouns: frozenset[str]
    irrealis_modals: frozenset[str]
    irrealis_heads: frozenset[str]
    irrealis_modifiers: frozenset[str]
    irrealis_marks: frozenset[str]
    time_zones: frozenset[str]
    day_times: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class WorldRegions:
    """``world_regions.json``: regions no one country contains; head words of seas."""

    names: frozenset[str]
    water_heads: frozenset[str]


T = TypeVar("T")


def _convert(value: Any, kind: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if kind is ClassSet:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DataError(f"{where}: expected a list of ontology classes")
        return class_set(value, where=where)
    if kind is ClassName:
        if value not in ontology.classes():
            raise DataError(f"{where}: {value!r} is not a class of the ontology")
        return value
    if origin is tuple:
        return _sequence(value, typing.get_args(kind)[0], where)
    if origin is types.UnionType or origin is typing.Union:
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return None if value is None else _convert(value, options[0], where)
    if origin is frozenset:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DataError(f"{where}: expected a list of strings")
        return frozenset(value)
    if origin is Mapping:
        _, value_kind = typing.get_args(kind)
        if not isinstance(value, dict):
            raise DataError(f"{where}: expected an object")
        return types.MappingProxyType({str(k): _convert(v, value_kind, f"{where}.{k}") for k, v in value.items()})
    if kind in (str, bool, float, int):
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            raise DataError(f"{where}: expected {kind.__name__}, got {value!r}")
        return value
    raise DataError(f"{where}: no reader for {kind!r}")  # pragma: no cover - a dataclass of this module


def _sequence(value: Any, item_kind: Any, where: str) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise DataError(f"{where}: expected a list")
    if dataclasses.is_dataclass(item_kind):
        return tuple(_record(item_kind, v, f"{where}[{i}]") for i, v in enumerate(value))
    return tuple(_convert(v, item_kind, f"{where}[{i}]") for i, v in enumerate(value))


def _record(cls: Any, value: Any, where: str) -> Any:
    """A nested record (a frame of a list): its keys checked, defaults where it has them."""
    if not isinstance(value, dict):
        raise DataError(f"{where}: expected an object")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(value) - set(fields))
    missing = sorted(
        n for n, f in fields.items()
        if n not in value and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )  # fmt: skip
    if unknown or missing:
        raise DataError(f"{where}: unknown keys {unknown}, missing keys {missing}")
    return cls(**{n: _convert(v, hints[n], f"{where}.{n}") for n, v in value.items()})


def load(cls: type[T], name: str) -> T:
    """The typed contents of ``lexicons/<name>`` (see the module docstring)."""
    try:
        raw = json.loads(resources.files("kg.extract").joinpath("lexicons", name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{name}: cannot read: {exc}") from exc
    if not isinstance(raw, dict):
        raise DataError(f"{name}: expected an object")
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    unknown = sorted(k for k in raw if not k.startswith("_") and k not in fields)
    if unknown:
        raise DataError(f"{name}: unknown keys {unknown}")
    missing = sorted(fields - set(raw))
    if missing:
        raise DataError(f"{name}: missing keys {missing}")
    return cls(**{f: _convert(raw[f], hints[f], f"{name}: {f}") for f in sorted(fields)})


@functools.cache
def event_words() -> EventWords:
    return load(EventWords, "events.json")


@functools.cache
def action_words() -> ActionWords:
    return load(ActionWords, "actions.json")


@functools.cache
def mention_words() -> MentionWords:
    return load(MentionWords, "mentions.json")


@functools.cache
def nominal_words() -> NominalWords:
    return load(NominalWords, "nominals.json")


@functools.cache
def number_words() -> NumberWords:
    return load(NumberWords, "numbers.json")


@functools.cache
def role_words() -> RoleWords:
    return load(RoleWords, "roles.json")


@functools.cache
def attribution_words() -> AttributionWords:
    return load(AttributionWords, "attribution.json")


@functools.cache
def world_regions() -> WorldRegions:
    return load(WorldRegions, "world_regions.json")


@functools.cache
def _confidences() -> Mapping[str, float]:
    @dataclass(frozen=True, slots=True)
    class Confidences:
        confidences: Mapping[str, float]

    values = load(Confidences, "confidences.json").confidences
    for key, value in values.items():
        if not 0 < value <= 1:
            raise DataError(f"confidences.json: {key}: {value} is not in (0, 1]")
    return values


def confidence(name: str) -> float:
    """The confidence of the facts an extractor (or one of its cases) makes, from
    ``confidences.json``."""
    try:
        return _confidences()[name]
    except KeyError:
        raise DataError(f"confidences.json: no confidence for {name!r}") from None
