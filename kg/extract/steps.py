"""Extraction steps, registered by name and run in a configured order.

A step is a function ``(ctx, found) -> None``: it reads the parsed article and the
mentions and relations found before it (`kg.extract.context.Context`), may add
mentions through ``ctx.add_mention``, and puts what it finds in its own
`kg.extract.context.Found`. A finisher runs after all steps on the relations they
found (with the tokens they hang from) and returns them changed (attribution, hedging). Both are registered with
`step` / `finisher` under versioned-free dotted names (``"events.casualties"``);
`DEFAULT_STEPS` and `DEFAULT_FINISHERS` are the order `extract` uses, and
`Settings.disabled_steps` (``KG_DISABLE_STEPS``) switches steps off by name (used by
``make mutants`` to check that every step is pinned by a test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from kg.extract.context import Context, Found, Pending
from kg.model import Relation

__all__ = [
    "DEFAULT_FINISHERS",
    "DEFAULT_STEPS",
    "FINISHERS",
    "STEPS",
    "Finisher",
    "Step",
    "finisher",
    "run",
    "step",
]

Step = Callable[[Context, Found], None]
Finisher = Callable[[Context, list[Pending]], list[Pending]]

STEPS: dict[str, Step] = {}
FINISHERS: dict[str, Finisher] = {}

DEFAULT_STEPS: tuple[str, ...] = (
    "mentions.names",
    "mentions.nominals",
    "mentions.pronouns",
    "events.triggers",
    "events.roles",
    "events.statements",
    "events.speech",
    "events.casualties",
    "events.sentence_dates",
    "events.claims",
    "events.perpetrator_nouns",
    "events.actions",
    "relations.patterns",
    "relations.named_relative",
    "relations.titles",
    "relations.descriptions",
    "relations.state_offices",
    "relations.comma_places",
    "relations.in_places",
    "relations.open",
    "numbers.money",
    "numbers.percentages",
    "numbers.ages",
    "numbers.penalties",
    "numbers.times_of_day",
    "numbers.counts",
)
"""The order of extraction: mentions first, then events (whose triggers are mentions
too), then relations between entities, then the numbers stated of events and entities."""

DEFAULT_FINISHERS: tuple[str, ...] = (
    "attribution.sources",
    "attribution.quotations",
    "attribution.hedged_arguments",
    "attribution.unverifiable",
)


def step(name: str) -> Callable[[Step], Step]:
    """Register an extraction step under ``name``."""

    def register(function: Step) -> Step:
        if name in STEPS:
            raise ValueError(f"extraction step {name!r} registered twice")
        STEPS[name] = function
        return function

    return register


def finisher(name: str) -> Callable[[Finisher], Finisher]:
    """Register a finisher (a pass over all relations found) under ``name``."""

    def register(function: Finisher) -> Finisher:
        if name in FINISHERS:
            raise ValueError(f"finisher {name!r} registered twice")
        FINISHERS[name] = function
        return function

    return register


def run(
    ctx: Context, steps: Sequence[str], finishers: Sequence[str], *, disabled: Iterable[str] = ()
) -> list[Relation]:
    """Run ``steps`` then ``finishers`` (by name, in order) on ``ctx``; the relations found."""
    off = frozenset(disabled)
    unknown = sorted((set(steps) - STEPS.keys()) | (set(finishers) - FINISHERS.keys()))
    if unknown:
        raise ValueError(f"unknown extraction steps {unknown} (known: {sorted(STEPS)}, {sorted(FINISHERS)})")
    for name in steps:
        if name in off:
            continue
        found = Found(ctx, name)
        STEPS[name](ctx, found)
        ctx.found = (*ctx.found, *found.relations)
        ctx.same_as = (*ctx.same_as, *found.identities)
    pending = list(ctx.found)
    for name in finishers:
        if name not in off:
            pending = FINISHERS[name](ctx, pending)
    return [p.relation for p in pending]
