"""Place containment read from the surface: "Reno, Nevada" and "a river in Catalonia in
the province of Barcelona".

The parse of such pairs varies (apposition, compound, modifier), so the text and the
rank of the places decide: a pair is a containment when the second place is larger
than anything the first may be ("Guri, Bolívar": a region; "Bolívar, Venezuela": a
country), a list otherwise ("Iran, Iraq and Syria").
"""

from __future__ import annotations

import itertools
import re

from kg import ontology
from kg.extract.context import Context, Found
from kg.extract.gazetteer import place_table
from kg.extract.relations.explained import covered
from kg.extract.steps import step
from kg.model import Mention
from kg.text import place_key

__all__ = ["comma_containment"]

RANK_OF_TYPE = {"Facility": 0.0, "City": 1.0, "AdminRegion": 2.0, "Country": 3.0}
SUFFIX_RANKS = {"county": 1.5, "district": 1.5, "municipality": 1.5, "borough": 1.5, "province": 2.0,
                "region": 2.0, "state": 2.0, "prefecture": 2.0, "governorate": 2.0, "oblast": 2.0,
                "canton": 2.0, "voivodeship": 2.0, "territory": 2.0}  # fmt: skip
IN_PLACE = re.compile(
    r" in (?:the )?(?:(?:province|region|state|county|district|department|prefecture|governorate) of )?"
)


def _names(ctx: Context) -> list[Mention]:
    return sorted((m for m in ctx.mentions if m.kind == "name"), key=lambda m: m.start)


@step("relations.comma_places")
def find_comma_places(ctx: Context, found: Found) -> None:
    """ "Reno, Nevada", "Guri, Bolívar, Venezuela": a place name, a comma, a larger place.

    Pairs of places of unknown rank are taken only when nothing suggests a list.
    """
    explained = covered(ctx)
    names = _names(ctx)
    for first, second in itertools.pairwise(names):
        verdict = comma_containment(ctx, first, second)
        if verdict is False:
            continue
        head = ctx.head_token(second.id)
        if verdict is None and _looks_like_a_list(ctx, names, first, second):
            continue
        if verdict and _after_a_country(ctx, names, first):
            continue  # "Tonga, Ireland, Korea, USA": a list; no place lies in a country named before it
        if (ctx.sent_of[head.i], first.id, second.id) in explained:
            continue
        found.relation(
            first.id,
            "locatedIn",
            second.id,
            anchor=ctx.head_token(first.id),
            extractor="located.comma_rank" if verdict else "located.comma_surface",
        )


def _looks_like_a_list(ctx: Context, names: list[Mention], first: Mention, second: Mention) -> bool:
    """For places of unknown rank: whether "first, second" reads as items of a list."""
    text = ctx.article.text
    head = ctx.head_token(second.id)
    after = text[second.end : second.end + 6]
    if (
        second.ner != "GPE"
        or head.dep_ == "conj"
        or re.match(r",? (and|or) ", after)
        or (re.match(r", [A-Z]", after) and _next_is_place(names, second))
    ):
        return True
    before = text[max(0, first.start - 2) : first.start]
    return before == ", " and any(m.end == first.start - 2 and ontology.is_place(ctx.resolved_type(m)) for m in names)


def _after_a_country(ctx: Context, names: list[Mention], first: Mention) -> bool:
    """Whether ``first`` follows a country and a bare comma: an item of a list, since a
    chain of containment runs from small to large ("Guri, Bolívar, Venezuela")."""
    if ctx.article.text[max(0, first.start - 2) : first.start] != ", ":
        return False
    return any(m.end == first.start - 2 and ctx.resolved_type(m) == "Country" for m in names)


def _ranks(ctx: Context, mention: Mention) -> set[float]:
    """How large a place may be: 0 a facility, 1 a city, 1.5 a district or county, 2 a
    province or state, 3 a country; empty when unknown. From the mention's type, its
    last word ("Albany County") and the gazetteer (a subdivision with a parent is second-level)."""
    kind = ctx.resolved_type(mention)
    if kind in ("Country", "Facility"):
        return {RANK_OF_TYPE[kind]}
    ranks = {RANK_OF_TYPE[kind]} if kind in RANK_OF_TYPE else set()
    suffix = SUFFIX_RANKS.get(mention.name.split()[-1].lower())
    if suffix is not None:
        return {suffix}
    for place in place_table().get(place_key(mention.name), ()):
        ranks.add(1.0 if place.kind == "city" else 1.5 if place.within else 2.0)
    return ranks


def comma_containment(ctx: Context, first: Mention, second: Mention) -> bool | None:
    """Whether "first, second" says that ``first`` lies in ``second``.

    True when ``second`` is of a larger rank than anything ``first`` may be; False when
    the two are not separated by a bare comma, are not both places, or ``second`` cannot
    be larger ("Iran, Iraq", "Kabul, Kandahar and Herat"); None when the ranks are unknown.
    """
    if ctx.article.text[first.end : second.start] != ", ":
        return False
    return _larger(ctx, first, second)


def _larger(ctx: Context, first: Mention, second: Mention) -> bool | None:
    """Whether place ``second`` is larger than place ``first`` (None: cannot tell)."""
    if not ontology.is_place(ctx.resolved_type(first)) or not ontology.is_place(ctx.resolved_type(second)):
        return False
    low, high = _ranks(ctx, first), _ranks(ctx, second)
    if not high:
        return None
    if low and max(low) >= min(high):
        return False if low and high and max(low) >= max(high) else None
    return True


@step("relations.in_places")
def find_in_places(ctx: Context, found: Found) -> None:
    """ "born in Buttenhausen in Münsingen", "a river in Catalonia in the province of
    Barcelona": a place directly followed by "in" and a larger place. The parse often
    hangs the second "in" on the verb; the surface and the ranks of the places decide.
    """
    explained = covered(ctx)
    text = ctx.article.text
    for first, second in itertools.pairwise(_names(ctx)):
        between = text[first.end : second.start]
        if not IN_PLACE.fullmatch(between) or _larger(ctx, first, second) is False:
            continue
        if ctx.resolved_type(first) == "Country":
            continue
        anchor = ctx.head_token(first.id)
        if (ctx.sent_of[anchor.i], first.id, second.id) in explained:
            continue
        found.relation(first.id, "locatedIn", second.id, anchor=anchor, extractor="located.in_surface")


def _next_is_place(names: list[Mention], mention: Mention) -> bool:
    return any(m.start == mention.end + 2 and ontology.is_place(m.type) for m in names)
