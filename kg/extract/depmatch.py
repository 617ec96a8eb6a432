"""A small evaluator for spaCy `DependencyMatcher` patterns, fast on long documents.

The relation patterns are written in spaCy's DependencyMatcher format (a test checks
that this module finds exactly what spaCy's matcher finds), but spaCy's matcher builds
token-attribute maps for the whole document on every call, which cost more than
parsing on news-length articles. Here the document's attributes are read once into
lists, each pattern is tried only at tokens whose lemma or word can start it (an
index), and the tree is walked from there.

Supported: attributes ``LEMMA``, ``LOWER``, ``ORTH``, ``TEXT``, ``DEP``, ``POS``,
``TAG``, ``ENT_TYPE`` with a value, ``{"IN": [...]}`` or ``{"NOT_IN": [...]}``; the
operators ``>``, ``<``, ``>>``, ``<<``, ``.``, ``;``, ``.*``, ``;*``, ``$+``, ``$-``,
``$++``, ``$--``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from spacy.tokens import Doc

__all__ = ["CompiledPattern", "DocView", "compile_pattern", "match"]

_ATTRS = ("LEMMA", "LOWER", "ORTH", "DEP", "POS", "TAG", "ENT_TYPE")
_ALIASES = {"TEXT": "ORTH"}
_INDEXED = ("LEMMA", "LOWER", "ORTH")

Check = tuple[str, str, Any]  # (attribute, "eq" | "in" | "not_in", value or frozenset)


class DocView:
    """The token attributes and tree of a `Doc` as plain lists."""

    def __init__(self, doc: Doc) -> None:
        tokens = tuple(doc)  # once: iterating a Doc makes new Token objects each time
        self.n = len(tokens)
        self.attrs: dict[str, list[str]] = {
            "LEMMA": [t.lemma_ for t in tokens],
            "LOWER": [t.lower_ for t in tokens],
            "ORTH": [t.text for t in tokens],
            "DEP": [t.dep_ for t in tokens],
            "POS": [t.pos_ for t in tokens],
            "TAG": [t.tag_ for t in tokens],
            "ENT_TYPE": [t.ent_type_ for t in tokens],
        }
        self.head = [t.head.i for t in tokens]
        self.children: list[list[int]] = [[] for _ in range(self.n)]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)
        self.sent_start = [0] * self.n
        self.sent_end = [0] * self.n
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_start[i], self.sent_end[i] = sent.start, sent.end

    def fits(self, i: int, checks: Sequence[Check]) -> bool:
        for attr, kind, value in checks:
            v = self.attrs[attr][i]
            if kind == "eq":
                if v != value:
                    return False
            elif kind == "in":
                if v not in value:
                    return False
            elif v in value:
                return False
        return True

    def subtree(self, i: int) -> Iterator[int]:
        stack = list(self.children[i])
        while stack:
            j = stack.pop()
            yield j
            stack.extend(self.children[j])

    def candidates(self, op: str, i: int) -> Iterator[int]:
        """Tokens in relation ``op`` to token ``i`` (spaCy's dependency operators)."""
        head = self.head
        if op == ">":
            yield from self.children[i]
        elif op == "<":
            if head[i] != i:
                yield head[i]
        elif op == ">>":
            yield from self.subtree(i)
        elif op == "<<":
            while head[i] != i:
                i = head[i]
                yield i
        elif op in _SIBLINGS:
            yield from self._siblings(op, i)
        else:
            yield from self._neighbours(op, i)

    def _neighbours(self, op: str, i: int) -> Iterator[int]:
        if op == ".":
            if i + 1 < self.n:
                yield i + 1
        elif op == ";":
            if i > 0:
                yield i - 1
        elif op == ".*":
            yield from range(i + 1, self.sent_end[i])
        elif op == ";*":
            yield from range(self.sent_start[i], i)
        else:
            raise ValueError(f"unsupported dependency operator {op!r}")

    def _siblings(self, op: str, i: int) -> Iterator[int]:
        head = self.head
        if head[i] == i:
            return
        for s in self.children[head[i]]:
            if s == i:
                continue
            if (
                (op == "$+" and s == i + 1)
                or (op == "$-" and s == i - 1)
                or (op == "$++" and s > i)
                or (op == "$--" and s < i)
            ):
                yield s


_SIBLINGS = frozenset({"$+", "$-", "$++", "$--"})


def _checks(attrs: dict[str, Any]) -> tuple[Check, ...]:
    out: list[Check] = []
    for raw_name, spec in attrs.items():
        name = _ALIASES.get(raw_name, raw_name)
        if name not in _ATTRS:
            raise ValueError(f"unsupported token attribute {raw_name!r}")
        if isinstance(spec, dict):
            unknown = set(spec) - {"IN", "NOT_IN"}
            if unknown:
                raise ValueError(f"unsupported attribute operator {sorted(unknown)}")
            if "IN" in spec:
                out.append((name, "in", frozenset(spec["IN"])))
            if "NOT_IN" in spec:
                out.append((name, "not_in", frozenset(spec["NOT_IN"])))
        else:
            out.append((name, "eq", spec))
    return tuple(out)


_INVERSE = {">": "<", "<": ">", ">>": "<<", "<<": ">>", ".": ";", ";": ".", ".*": ";*", ";*": ".*",
            "$+": "$-", "$-": "$+", "$++": "$--", "$--": "$++"}  # fmt: skip


def _selectivity(checks: Sequence[Check]) -> int:
    """How few tokens a node's checks let through, roughly: lower starts the walk."""
    attrs = {attr for attr, kind, _ in checks if kind != "not_in"}
    if attrs & set(_INDEXED):
        return 0
    if "DEP" in attrs:
        return 1
    if attrs:
        return 2
    return 3


class CompiledPattern:
    """One pattern, re-rooted at its most selective node.

    The tree of a pattern can be walked from any node (each operator has an inverse),
    so the walk starts where the fewest tokens qualify ("member" rather than "any
    token"), and matches are reported in the pattern's own node order.
    """

    def __init__(self, pattern: Sequence[dict[str, Any]]) -> None:
        self.ids = [node["RIGHT_ID"] for node in pattern]
        checks = [_checks(node.get("RIGHT_ATTRS", {})) for node in pattern]
        links: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for position, node in enumerate(pattern[1:], start=1):
            left = self.ids.index(node["LEFT_ID"])
            links[left].append((position, node["REL_OP"]))
            links[position].append((left, _INVERSE[node["REL_OP"]]))
        root = min(range(len(pattern)), key=lambda p: (_selectivity(checks[p]), p))
        order = [root]
        self.edges: list[tuple[int, str, tuple[Check, ...]]] = []  # (walk position of left, op, checks)
        for walk_position, current in enumerate(order):
            for other, op in links[current]:
                if other not in order:
                    order.append(other)
                    self.edges.append((walk_position, op, checks[other]))
        self.anchor = checks[root]
        self.order = order  # walk position -> pattern position

    def index_keys(self) -> list[tuple[str, str]]:
        """``(attribute, value)`` pairs one of which the first token must have, if any."""
        for wanted in (_INDEXED, ("DEP",), ("POS",)):
            for attr, kind, value in self.anchor:
                if attr in wanted and kind == "eq":
                    return [(attr, value)]
                if attr in wanted and kind == "in":
                    return [(attr, v) for v in value]
        return []

    def matches_at(self, view: DocView, i: int) -> Iterator[list[int]]:
        if view.fits(i, self.anchor):
            for walked in self._extend(view, [i]):
                found = [0] * len(walked)
                for walk_position, pattern_position in enumerate(self.order):
                    found[pattern_position] = walked[walk_position]
                yield found

    def _extend(self, view: DocView, bound: list[int]) -> Iterator[list[int]]:
        if len(bound) == len(self.order):
            yield list(bound)
            return
        left, op, checks = self.edges[len(bound) - 1]
        for j in view.candidates(op, bound[left]):
            if j not in bound and view.fits(j, checks):
                bound.append(j)
                yield from self._extend(view, bound)
                bound.pop()


def compile_pattern(pattern: Sequence[dict[str, Any]]) -> CompiledPattern:
    return CompiledPattern(pattern)


class _Index:
    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        self.by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.always: list[int] = []
        for index, pattern in enumerate(patterns):
            keys = pattern.index_keys()
            if keys:
                for key in keys:
                    self.by_key[key].append(index)
            else:
                self.always.append(index)


_INDEXES: dict[int, tuple[Sequence[CompiledPattern], _Index]] = {}


def match(doc: Doc, patterns: Sequence[CompiledPattern]) -> Iterator[tuple[int, list[int]]]:
    """``(pattern index, token indices in pattern order)`` for every match in ``doc``."""
    cached = _INDEXES.get(id(patterns))
    if cached is None or cached[0] is not patterns:
        cached = (patterns, _Index(patterns))
        _INDEXES[id(patterns)] = cached
    index = cached[1]
    view = DocView(doc)
    lemma, lower, orth = view.attrs["LEMMA"], view.attrs["LOWER"], view.attrs["ORTH"]
    dep, pos = view.attrs["DEP"], view.attrs["POS"]
    by_key = index.by_key
    for i in range(view.n):
        tried = set()
        for candidates in (
            by_key.get(("LEMMA", lemma[i]), ()),
            by_key.get(("LOWER", lower[i]), ()),
            by_key.get(("ORTH", orth[i]), ()),
            by_key.get(("DEP", dep[i]), ()),
            by_key.get(("POS", pos[i]), ()),
            index.always,
        ):
            for p in candidates:
                if p in tried:
                    continue
                tried.add(p)
                for found in patterns[p].matches_at(view, i):
                    yield p, found
