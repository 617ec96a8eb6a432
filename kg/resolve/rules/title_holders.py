"""A definite description by title is the one person the article names with that title.

"Chancellor Gordon Brown unveiled the budget ... The chancellor said growth would
reach 3%": "the chancellor" is Gordon Brown, because the article gives the post to him and
to no one else. The description must end in the post's last word, and each of its other
words must be said of the post: a word of the title ("the prime minister" for "Prime
Minister", "the minister" for "foreign minister"), or the place or organisation it is held
at, by name or demonym ("the England coach" for the coach at England, "the Russian
president" for the president at Russia, "the Tory leader" for the leader of the party
the article calls "Tory"). A lesser post is another post: "the leader" is not the deputy
leader. A description that the text gives a post of its own ("the chief economist of
Acme") is not the holder of another. The description must be singular and definite, and
exactly one named person must hold a post it fits; else nothing is merged. One merge a
run; the rule runs again until there is none.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.extract.data import role_words
from kg.extract.gazetteer import country_table
from kg.model import Fact, Key
from kg.resolve.clusters import Cluster
from kg.resolve.facts import rename
from kg.resolve.world import Outcome, World, rule
from kg.text import fold

_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_OWN_POST = ("positionHeld", "employer", "leaderOf", "spokespersonOf")
"""A description that is the subject of one of these has a post of its own."""


def _words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", text.lower())


@rule("title_holders", repeat=True)
def title_holders(facts: list[Fact], world: World) -> Outcome:
    by_key: dict[Key, tuple[int, Cluster]] = {c.key: (root, c) for root, c in world.clusters.items()}
    posts: dict[Key, str] = {c.key: c.label.lower() for c in world.clusters.values() if c.type == "Position"}
    where = _held_at(facts, by_key)
    holders: dict[Key, set[Key]] = defaultdict(set)  # a post → the named people holding it
    own: dict[Key, set[Key]] = defaultdict(set)  # a person → the posts and organisations the text gives them
    for f in facts:
        if f.predicate in _OWN_POST and isinstance(f.object, Key):
            own[f.subject].add(f.object)
        if f.predicate != "positionHeld" or not isinstance(f.object, Key) or f.object not in posts:
            continue
        holder = by_key.get(f.subject)
        if holder is not None and holder[1].named and holder[1].type == "Person":
            holders[f.object].add(f.subject)
    if not holders:
        return Outcome(facts)
    text = world.extraction.article.text
    for root, cluster in world.clusters.items():
        if not _description(cluster, text):
            continue
        words = _words(cluster.label)
        fitting = {
            p
            for post, people in holders.items()
            if _fits(words, _words(posts[post]), where[post])
            and not (own[cluster.key] - {post, *(o for o, _ in where[post])})
            for p in people
        }
        if len(fitting) != 1:
            continue
        target = next(iter(fitting))
        target_root = by_key[target][0]
        if target == cluster.key or target_root == root:
            continue  # merged already
        return Outcome(rename(facts, cluster.key, target), merges=((root, target_root),))
    return Outcome(facts)


def _held_at(facts: list[Fact], by_key: dict[Key, tuple[int, Cluster]]) -> dict[Key, list[tuple[Key, set[str]]]]:
    """Where each post is held, with the forms the article names that place or body by
    ("Conservative Party", "Tory")."""
    out: dict[Key, list[tuple[Key, set[str]]]] = defaultdict(list)
    for f in facts:
        if f.predicate == "positionAt" and isinstance(f.object, Key) and f.object in by_key:
            cluster = by_key[f.object][1]
            forms = {fold(cluster.label)} | {fold(m.text) for m in cluster.members if m.kind in ("name", "demonym")}
            out[f.subject].append((f.object, {form.removeprefix("the ") for form in forms}))
    return out


def _description(cluster: Cluster, text: str) -> bool:
    """An unnamed person (or a speaker the text describes) named by definite, singular
    nominals only ("the chancellor")."""
    nominals = [m for m in cluster.members if m.kind == "nominal"]
    definite = any(m.definite or _THE.search(text[max(0, m.start - 8) : m.start]) for m in nominals)
    return (
        not cluster.named
        and cluster.type in ("Person", "Agent")
        and bool(nominals)
        and all(m.kind in ("nominal", "pronoun") for m in cluster.members)
        and definite
        and not any(m.plural for m in nominals)
    )


def _fits(description: list[str], title: list[str], where: list[tuple[Key, set[str]]]) -> bool:
    """Whether a description names the post: the same last word, every other word said of
    the post, and no word that makes the post a lesser one left out ("deputy")."""
    if not description or not title or description[-1] != title[-1]:
        return False
    if set(title) & role_words().subordinate - set(description):
        return False
    forms = set().union(*(f for _, f in where)) if where else set()
    return all(w in title or _names_place(w, forms) for w in description[:-1])


def _names_place(word: str, forms: set[str]) -> bool:
    """Whether a word names a place or body by one of its forms, or by demonym ("Russian")."""
    if word in forms or any(word in form.split() for form in forms):
        return True
    country = country_table().demonym(word)
    return country is not None and any(fold(n).removeprefix("the ") in forms for n in (country.label, *country.aliases))
