"""Faster stand-ins for two of the model's rule components, with the same output.

In ``en_core_web_sm`` the attribute ruler (179 token rules mapping tags to parts of
speech and morphology) and the rule lemmatizer took 9 of the 36 seconds the pipeline
spent on 295 Wikinews articles: spaCy runs every rule through its general `Matcher`, and
the lemmatizer works in Python token by token, caching only some of its answers.

`RuleAttributes` reads the attribute ruler's own rules and applies them by table lookup:
the rules that match a token depend only on a few of its attributes, so the answer for
each combination is worked out once. It assigns with spaCy's own `set_token_attrs`, in
the order the ruler would (a later rule wins). `CachedLemmatizer` asks the model's
lemmatizer once per word form, part of speech and morphology, which is what a rule lemma
depends on (spaCy's own cache has that key).

Either is used only when the component it stands for can be read exactly: rules testing
other attributes than `KEYS`, or with other operators than ``IN``, ``NOT_IN`` and
``REGEX`` (``OP``, ``FUZZY`` ...), or a lemmatizer in another mode, keep spaCy's
component. ``tests/test_fastpipes.py`` compares the two on real articles.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

__all__ = ["CachedLemmatizer", "RuleAttributes", "speed_up"]

logger = logging.getLogger(__name__)

KEYS = (TAG, LOWER, DEP, IS_SPACE, ORTH)
"""The token attributes a rule may test, in the order of a token's key."""
_KEY_NAMES = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3, "ORTH": 4}

MEMO_SIZE = 200_000
"""Distinct token keys remembered before the table starts afresh (bounds memory)."""

ANCHORS = (1, 4, 0, 2, 3)
"""Key positions a rule is filed under, most selective first (LOWER, ORTH, TAG, DEP, IS_SPACE)."""


class Unsupported(ValueError):  # noqa: N818 - a reason to keep spaCy's component
    """A rule this module cannot apply exactly."""


@dataclass(frozen=True, slots=True)
class _Test:
    """One attribute test of a pattern token, as spaCy's `Matcher` reads it: a value,
    ``IN`` or ``NOT_IN`` a set of values, or a ``REGEX`` searched in the value's text."""

    position: int  # in the token's key
    values: frozenset[int] = frozenset()
    negated: bool = False
    regex: re.Pattern[str] | None = None
    strings: Any = None  # the vocabulary's strings, for a regex

    def holds(self, key: tuple[int, ...]) -> bool:
        value = key[self.position]
        if self.regex is not None:
            return bool(self.regex.search(self.strings[value]))
        return (value in self.values) != self.negated


Spec = tuple[_Test, ...]
"""One token of a rule: the tests that must all hold."""


@dataclass(frozen=True, slots=True)
class _Rule:
    number: int  # its place among the ruler's rules: a later rule wins
    tokens: tuple[Spec, ...]
    index: int  # the token of the match that takes the attributes, from 0
    attrs: dict[int, Any]


_Found = tuple[dict[int, Any] | None, list[_Rule], list[_Rule]]


def _spec(token: dict[str, Any], strings: Any) -> Spec:
    tests = []
    for name, value in token.items():
        if name not in _KEY_NAMES:
            raise Unsupported(f"rule attribute {name}")
        position = _KEY_NAMES[name]
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                raise Unsupported(f"{name} {value!r}")
            tests.append(_Test(position, frozenset({int(value)})))
        elif isinstance(value, str):
            tests.append(_Test(position, frozenset({strings.add(value)})))
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((operator, items),) = value.items()
            if not all(isinstance(v, str) for v in items):
                raise Unsupported(f"{name} {value!r}")
            tests.append(_Test(position, frozenset(strings.add(v) for v in items), negated=operator == "NOT_IN"))
        elif isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
            tests.append(_Test(position, regex=re.compile(value["REGEX"]), strings=strings))
        else:
            raise Unsupported(f"{name} {value!r}")
    return tuple(tests)


def _holds(spec: Spec, key: tuple[int, ...]) -> bool:
    return all(test.holds(key) for test in spec)


class _Index:
    """Rules filed under a value their first token must have, so that a token is tested
    only against the rules that can match it."""

    def __init__(self, rules: list[_Rule]) -> None:
        self.filed: dict[tuple[int, int], list[_Rule]] = {}
        self.positions: list[int] = []
        self.unfiled: list[_Rule] = []
        for rule in rules:
            anchor = min(
                (t for t in rule.tokens[0] if t.values and not t.negated and t.regex is None),
                key=lambda t: ANCHORS.index(t.position),
                default=None,
            )
            if anchor is None:
                self.unfiled.append(rule)
                continue
            if anchor.position not in self.positions:
                self.positions.append(anchor.position)
            for value in anchor.values:
                self.filed.setdefault((anchor.position, value), []).append(rule)

    def first_token(self, key: tuple[int, ...]) -> list[_Rule]:
        """The rules whose first token ``key`` matches, in the ruler's order."""
        candidates = list(self.unfiled)
        for position in self.positions:
            candidates += self.filed.get((position, key[position]), ())
        return sorted((r for r in candidates if _holds(r.tokens[0], key)), key=lambda r: r.number)


class RuleAttributes:
    """The rules of a spaCy ``AttributeRuler`` (its ``patterns``), applied by lookup."""

    def __init__(self, nlp: Language, patterns: list[dict[str, Any]]) -> None:
        strings = nlp.vocab.strings
        rules = []
        for number, rule in enumerate(patterns):
            attrs = normalize_token_attrs(nlp.vocab, dict(rule["attrs"]))
            for pattern in rule["patterns"]:
                index = rule.get("index", 0)
                if not pattern or not -len(pattern) <= index < len(pattern):
                    raise Unsupported(f"index {index} of a {len(pattern)}-token rule")
                rules.append(_Rule(number, tuple(_spec(t, strings) for t in pattern), index % len(pattern), attrs))
        self.single = _Index([r for r in rules if len(r.tokens) == 1])
        self.longer = _Index([r for r in rules if len(r.tokens) > 1])
        self._memo: dict[tuple[int, ...], _Found] = {}

    def _lookup(self, key: tuple[int, ...]) -> _Found:
        """For a token's key: its one-token rules merged in order (``None`` if none), the
        rules themselves, and the longer rules whose first token it matches."""
        found = self._memo.get(key)
        if found is None:
            matched = self.single.first_token(key)
            merged: dict[int, Any] | None = None
            if matched:
                merged = {}
                for rule in matched:
                    merged.update(rule.attrs)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = (merged, matched, self.longer.first_token(key))
        return found

    def __call__(self, doc: Doc) -> Doc:
        keys = [tuple(row) for row in doc.to_array(list(KEYS)).tolist()]
        found = [self._lookup(key) for key in keys]
        extra: dict[int, list[_Rule]] = {}  # token → longer rules that match with it as target
        for start, (_, _, starts) in enumerate(found):
            for rule in starts:
                end = start + len(rule.tokens)
                if end <= len(keys) and all(_holds(s, keys[start + k]) for k, s in enumerate(rule.tokens)):
                    extra.setdefault(start + rule.index, []).append(rule)
        for i, (merged, matched, _) in enumerate(found):
            if i in extra:
                for rule in sorted([*matched, *extra[i]], key=lambda r: r.number):
                    set_token_attrs(doc[i], rule.attrs)
            elif merged:
                set_token_attrs(doc[i], merged)
        return doc


class CachedLemmatizer:
    """A rule-mode spaCy lemmatizer asked once per (form, part of speech, morphology)."""

    def __init__(self, nlp: Language, lemmatize: Callable[[Token], list[str]]) -> None:
        self.strings = nlp.vocab.strings
        self.lemmatize = lemmatize
        self._memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        memo = self._memo
        lemmas = []
        missing = False
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if not lemma:  # a lemma the attribute ruler set stays, as with spaCy's lemmatizer
                lemma = memo.get((orth, pos, morph))
                if lemma is None:
                    if len(memo) >= MEMO_SIZE:
                        memo.clear()
                    lemma = memo[orth, pos, morph] = self.strings.add(self.lemmatize(doc[i])[0])
                missing = True
            lemmas.append(lemma)
        if missing:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))  # type: ignore[arg-type]
        return doc


@Language.factory("kg_rule_attributes", default_config={"patterns": []})
def _make_rule_attributes(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> RuleAttributes:
    return RuleAttributes(nlp, patterns)


@Language.factory("kg_cached_lemmatizer", default_config={"lemmatizer": "lemmatizer"})
def _make_cached_lemmatizer(nlp: Language, name: str, lemmatizer: str) -> CachedLemmatizer:
    """Built while the model's own lemmatizer (named ``lemmatizer``) is still in the pipeline."""
    return CachedLemmatizer(nlp, nlp.get_pipe(lemmatizer).lemmatize)  # type: ignore[attr-defined]


def _index_as_sets(component: Any) -> None:
    """The lemmatizer's word index as sets: spaCy's rule lemmatizer only asks whether a
    form is in it, and a list of 57,000 nouns answers that slowly (about 0.14 ms a word
    the first time a form is seen)."""
    if type(component).rule_lemmatize is not Lemmatizer.rule_lemmatize:
        return  # a lemmatizer of its own: its tables are left as they are
    table = component.lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            table[key] = frozenset(words)


def _exact_lemmatizer(component: Any) -> bool:
    """A rule-mode lemmatizer that does not overwrite lemmas and has its tables."""
    if getattr(component, "mode", None) != "rule" or getattr(component, "overwrite", True):
        return False
    required, _ = component.get_lookups_config("rule")
    return all(table in component.lookups for table in required)


def speed_up(nlp: Language) -> list[str]:
    """Put the faster components in place of spaCy's where they give the same output;
    returns the names of the components replaced."""
    replaced = []
    if "attribute_ruler" in nlp.pipe_names:
        patterns = nlp.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
        try:  # the pipeline is unchanged when the factory refuses a rule
            nlp.add_pipe("kg_rule_attributes", after="attribute_ruler", config={"patterns": patterns})
        except Unsupported as exc:
            logger.info("keeping spaCy's attribute ruler: %s", exc)
        else:
            nlp.remove_pipe("attribute_ruler")
            replaced.append("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        if _exact_lemmatizer(nlp.get_pipe("lemmatizer")):
            _index_as_sets(nlp.get_pipe("lemmatizer"))
            nlp.add_pipe("kg_cached_lemmatizer", after="lemmatizer")
            nlp.remove_pipe("lemmatizer")
            replaced.append("lemmatizer")
        else:
            logger.info("keeping spaCy's lemmatizer: not a rule lemmatizer with its tables")
    return replaced
