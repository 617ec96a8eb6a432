"""Places that stand for their sports teams: "Cleveland coach Romeo Crennel", "England
captain Andrew Strauss".

A mention of a place followed by the role of a team member (``team_roles`` of
``lexicon.json``; ``team_roles_in_sport`` when a name follows the role, "England captain
Andrew Strauss", or the article uses a word of sport), a place other than a country that is
the opponent in a contest ("Hertha won against Dortmund"; a country only in an article about
sport), or, in an article about sport, a place right before or after a verb of contest
("England beat Samoa"), names the team, not the place. Such mentions leave the place's node
for a node of their own, an organisation named like the place, which the linker may link to
a team (never to the place) or leave unlinked. The place keeps its other mentions; a place left with no
mention and no fact goes.
"""

from __future__ import annotations

import dataclasses
import re

from kg.link.context import lexicon, words_of
from kg.model import ArticleGraph, Key, Node
from kg.ontology import is_place

__all__ = ["TEAM_KEY_SUFFIX", "split_teams", "team_mentions"]

TEAM_KEY_SUFFIX = " (team)"
"""Added to the name of a team node's key, so that the team and the place stay two nodes."""
_NEXT_WORD = re.compile(r"(?:['’]s)?\s+([A-Za-z-]+)(\s+[A-Z])?")
_PREVIOUS_WORD = re.compile(r"([A-Za-z.]+)\s+$")
OPPONENT = frozenset({"against", "versus", "vs", "vs."})
CONTEST = frozenset({"won", "win", "wins", "lost", "lose", "loses", "beat", "beats", "drew", "draw", "draws", "played",
                     "play", "plays", "faced", "face", "faces", "tie", "tied"})  # fmt: skip


def team_mentions(graph: ArticleGraph) -> set[int]:
    """Ids of the mentions of places that name sports teams."""
    lex = lexicon()
    sport = bool(words_of(graph.article.text) & lex["sport_words"])
    places = {n.key: n.type for n in graph.nodes if n.kind == "entity" and is_place(n.type)}
    text = graph.article.text
    out = set()
    for mention in graph.mentions:
        kind = places.get(graph.mention_node.get(mention.id))  # type: ignore[arg-type]
        if mention.kind != "name" or kind is None:
            continue
        following = _NEXT_WORD.match(text, mention.end)
        previous = _PREVIOUS_WORD.search(text, max(0, mention.start - 30), mention.start)
        if following:
            role = following.group(1).lower()
            if role in lex["team_roles"] or (role in lex["team_roles_in_sport"] and (sport or following.group(2))):
                out.add(mention.id)
                continue
        possessive = text.startswith(("'s", "’s"), mention.end)  # "beat Canada's Nate Brannen"
        if sport and not possessive and any(w and w.group(1).lower() in CONTEST for w in (following, previous)):
            out.add(mention.id)  # "England beat Samoa" in an article about sport
            continue
        if previous and previous.group(1).lower() in OPPONENT and (kind != "Country" or sport):
            sentence = graph.sentences[mention.sentence].text.lower().split()
            if sport or CONTEST & set(sentence):
                out.add(mention.id)
    return out


def split_teams(graph: ArticleGraph) -> ArticleGraph:
    """The graph with the team mentions of places moved to team nodes (see the module docstring)."""
    teams = team_mentions(graph)
    if not teams:
        return graph
    used = {f.subject for f in graph.facts} | {f.object for f in graph.facts if isinstance(f.object, Key)}
    nodes: list[Node] = []
    mention_node = dict(graph.mention_node)
    added: dict[Key, Node] = {}
    for node in graph.nodes:
        moved = [m for m in node.mentions if m in teams]
        if not moved:
            nodes.append(node)
            continue
        for mid in moved:
            name = graph.mentions[mid].text
            key = Key.named("Organization", name + TEAM_KEY_SUFFIX)
            team = added.get(key) or Node(
                key=key, kind="entity", type="Organization", label=name, name_key=Key.named("Organization", name)
            )
            added[key] = dataclasses.replace(team, mentions=(*team.mentions, mid))
            mention_node[mid] = key
        rest = tuple(m for m in node.mentions if m not in teams)
        if rest or node.key in used:
            nodes.append(dataclasses.replace(node, mentions=rest))
            continue
        # the place's node goes: what else referred to it ("they", after "Brazil beat ...") goes
        # to its team when there is one, and is left unlinked when there are several
        team_keys = {mention_node[mid] for mid in moved}
        for mid, key in list(mention_node.items()):
            if key == node.key:
                if len(team_keys) == 1:
                    mention_node[mid] = next(iter(team_keys))
                else:
                    del mention_node[mid]
    return dataclasses.replace(graph, nodes=(*nodes, *added.values()), mention_node=mention_node)
