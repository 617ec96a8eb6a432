"""Events as n-ary nodes: attacks, arrests, disasters, statements, and their roles.

An event mention is a trigger word ("blasts", "detonated", "arrested", "statement").
Its roles come from the parse around it: location ("in Kerman", "the Kerman blasts"),
time (a DATE entity attached to it or to its casualty clause), perpetrator ("ISIS-K
carried out the bombings", "the perpetrator of the attack"), target ("an attack on
Shahcheragh"), method ("suicide bombers"), casualties ("About 90 people were killed
and 284 injured"), responsibility claims, arrest agent and count, statement speaker.
Mentions of one incident are merged later, in ``kg.resolve``.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.lexicon import attribution_lexicon, event_lexicon
from kg.extract.normalize import parse_quantity, parse_time
from kg.model import MAIN_EVENT, PLACE_TYPES, Mention, Quantity

__all__ = ["find_events"]

AGENT_TYPES = frozenset({"Person", "Organization", "Agent"})
LOC_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "within", "around", "into"})
TARGET_PREPS = frozenset({"on", "against", "upon"})
TIME_PREPS = frozenset({"on", "in", "at", "during", "since", "from", "by"})
TOLL_VERBS = frozenset({"rise", "climb", "increase", "reach", "stand", "grow", "jump", "hit"})
SPREE_HEADS = frozenset({"spree", "rampage", "incident"})
LIGHT_VERBS = frozenset(
    {"carry", "conduct", "launch", "stage", "mount", "perpetrate", "commit", "execute", "plan", "begin", "start",
     "orchestrate", "mastermind", "organize", "organise", "direct", "order", "unleash"}
)  # fmt: skip
IMPACT_VERBS = frozenset(
    {"target", "hit", "strike", "rock", "tear", "rip", "destroy", "damage", "occur", "happen",
     "take", "go", "kill", "injure", "wound", "leave", "shake", "devastate", "cause", "claim"}
)  # fmt: skip
STRIKE_VERBS = frozenset({"target", "hit", "strike", "rock", "destroy", "damage"})
NOT_COUNTED = frozenset(
    {"year", "hour", "day", "minute", "second", "week", "month", "percent", "time", "dollar",
     "euro", "mile", "kilometre", "kilometer", "meter", "metre", "km", "foot", "feet", "bomb",
     "explosive", "shot", "round", "vehicle", "car", "building", "house", "home", "province",
     "city", "village", "town", "country", "operation", "attack", "blast", "explosion"}
)  # fmt: skip
PEOPLE = frozenset(
    {"people", "person", "other", "others", "civilian", "man", "woman", "child", "children", "victim",
     "shopper", "worshipper", "passenger", "resident", "student", "member", "protester", "official"}
)  # fmt: skip
VIOLENT_KILLERS = frozenset(
    {"gunman", "militant", "attacker", "assailant", "terrorist", "insurgent", "bomber", "fighter",
     "jihadist", "rebel", "shooter", "soldier", "troop", "force", "police", "army", "militia"}
)  # fmt: skip


def find_events(ctx: Context) -> None:
    """Add event mentions and their role relations to ``ctx``."""
    lex = event_lexicon()
    for token in ctx.doc:
        found = _trigger(ctx, token, lex)
        if found is None:
            continue
        cls, start = found
        distinct = _is_distinct(ctx, token, lex)
        ctx.add_mention(
            start,
            token.i + 1,
            token,
            type=cls,
            kind="event",
            name=ctx.doc[start : token.i + 1].text,
            plural=token.tag_ in ("NNS", "NNPS"),
            distinct=distinct,
            # specific, not a kind of event: "the blasts", "its attacks", "two explosions"
            definite=any(
                c.lower_ in ("the", "this", "that", "these", "those") or c.dep_ in ("poss", "nummod")
                for c in token.lefts
            ),
        )
    events = [m for m in ctx.mentions if m.kind == "event"]
    for mention in events:
        token = ctx.head_token(mention.id)
        if mention.type == "Arrest":
            _arrest_roles(ctx, mention, token)
        elif mention.type == "Statement":
            continue
        else:
            _incident_roles(ctx, mention, token, lex)
    _statements(ctx)
    _casualties(ctx, lex)
    _sentence_dates(ctx)
    _claims(ctx)
    _perpetrator_nouns(ctx, lex)


# ---------------------------------------------------------------------------- triggers


def _trigger(ctx: Context, token: Token, lex: dict) -> tuple[str, int] | None:
    """The event class of a trigger token and where its span starts, or ``None``."""
    lemma = token.lemma_.lower()
    if token.pos_ == "NOUN":
        if token.dep_ == "compound" and token.head.pos_ == "NOUN":
            return None
        cls = lex["noun_triggers"].get(lemma)
        if cls is None and lemma in SPREE_HEADS:  # "a stabbing spree", "a shooting rampage"
            kinds = [lex["noun_triggers"].get(c.lemma_.lower()) for c in token.lefts if c.dep_ in ("compound", "amod")]
            cls = next((k for k in kinds if k), "Attack" if lemma == "rampage" else None)
        if cls is None and lemma in attribution_lexicon()["statement_nouns"]:
            return _statement_noun(token)
        if cls is None:
            return None
        modifiers = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")]
        if lemma == "strike" and not any(c.lower_ in lex["strike_needs"] for c in modifiers):
            return None
        if lemma == "raid" and not modifiers and token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
            return None
        if lemma == "collapse" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            return None
        start = min((c.i for c in modifiers if not c.ent_type_ or c.ent_type_ in ("NORP",)), default=token.i)
        for c in modifiers:
            if c.lower_ in lex["methods"] or c.lemma_.lower() in (
                "twin",
                "suicide",
                "car",
                "bomb",
                "drone",
                "air",
            ):
                start = min(start, c.i)
        return cls, min(start, token.i)
    if token.pos_ == "VERB":
        if lemma == "blow" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in token.children):
            return None
        if lemma == "open" and any(c.dep_ == "dobj" and c.lower_ == "fire" for c in token.children):
            return "Shooting", token.i
        if lemma == "kill" and _violent_subject(ctx, token):
            return "Attack", token.i
        if lemma in ("shoot", "storm", "sink", "crash", "collapse") and token.tag_ == "VBG" and token.dep_ == "amod":
            return None
        cls = lex["verb_triggers"].get(lemma)
        if cls is None:
            return None
        if lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in token.children):
            return "Attack", token.i
        return cls, token.i
    return None


def _statement_noun(token: Token) -> tuple[str, int] | None:
    """A statement noun that is issued or quoted: "released a statement", "the statement said"."""
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass") and head.lemma_ in (
        "release",
        "issue",
        "publish",
        "read",
        "make",
        "post",
    ):
        return "Statement", token.i
    if token.dep_ == "nsubj" and head.lemma_ in attribution_lexicon()["reporting_verbs"]:
        return "Statement", token.i
    if (
        token.dep_ == "pobj"
        and head.lower_ == "in"
        and (
            any(c.dep_ == "acl" for c in token.children) or head.head.lemma_ in attribution_lexicon()["reporting_verbs"]
        )
    ):
        return "Statement", token.i
    return None


def _violent_subject(ctx: Context, verb: Token) -> bool:
    """``kill`` with a violent agent as subject implies an attack: "Gunmen killed 10 people"."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return False
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.lemma_.lower() in VIOLENT_KILLERS:
                return True
            mention = ctx.entity_at(child)
            return mention is not None and mention.type == "Organization" and mention.kind == "name"
    return False


def _is_distinct(ctx: Context, token: Token, lex: dict) -> bool:
    """Marked as another incident than the article's main one."""
    for child in token.children:
        if child.dep_ in ("amod", "det", "advmod", "compound") and (
            child.lemma_.lower() in lex["distinct_markers"] or child.lower_ in lex["distinct_markers"]
        ):
            return True
        if child.dep_ in ("poss", "compound", "nmod", "nummod") and child.i in ctx.date_ents:
            return True
        if (
            child.dep_ == "prep"
            and child.lower_ in ("about", "around")
            and any(g.i in ctx.date_ents and "ago" in ctx.date_ents[g.i].text.lower() for g in child.subtree)
        ):
            return True
    return False


# ---------------------------------------------------------------------------- roles


def _place(ctx: Context, token: Token) -> Mention | None:
    mention = ctx.entity_at(token)
    if mention is not None and ctx.resolved_type(mention) in PLACE_TYPES:
        return mention
    return None


def _agent(ctx: Context, token: Token) -> Mention | None:
    mention = ctx.entity_at(token)
    if mention is not None and ctx.resolved_type(mention) in AGENT_TYPES:
        return mention
    return None


def _time(ctx: Context, event: int, token: Token, confidence: float) -> bool:
    ent = ctx.date_ents.get(token.i)
    if ent is None:
        return False
    value = parse_time(ent.text, ctx.article.date)
    if value is None:
        return False
    ctx.add_relation(event, "date", value, anchor=token, confidence=confidence, extractor="event.time")
    return True


def _setting(ctx: Context, event: int, verb: Token, confidence: float) -> None:
    """Location and time phrases attached to ``verb`` (a trigger or a clause about the event)."""
    for child in verb.children:
        if child.dep_ == "prep":
            lemma = child.lower_
            if _time(ctx, event, child, confidence):  # "about a year ago": the prep is in the DATE
                continue
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if lemma in TIME_PREPS and _time(ctx, event, pobj, confidence):
                    continue
                place = _place(ctx, pobj)
                if place is not None and lemma in LOC_PREPS:
                    ctx.add_relation(
                        event,
                        "location",
                        place.id,
                        anchor=pobj,
                        confidence=confidence,
                        extractor="event.location",
                    )
                    if place.kind == "nominal":
                        _named_within(ctx, event, pobj, confidence)
        elif child.dep_ in ("npadvmod", "tmod", "advmod", "nmod"):
            _time(ctx, event, child, confidence)


def _reported_argument(token: Token) -> bool:
    """An event noun inside "X claimed responsibility for the attack on Thursday": a date
    phrase after it may belong to the claim rather than to the attack."""
    verbs = attribution_lexicon()["reporting_verbs"]
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ == "VERB":
            return node.lemma_ in verbs or node.lemma_ in ("accept", "take", "admit")
    return False


def _named_within(ctx: Context, event: int, noun: Token, confidence: float) -> None:
    """An unnamed site names its place: "at the headquarters of the Paris Police Prefecture in
    Paris", "into a military base in Maidan Shahr": the named places inside the phrase
    (through "of" and "in", two steps) are where it happened too."""
    frontier = [(noun, 0)]
    while frontier:
        token, depth = frontier.pop()
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "in", "near", "at"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                place = _place(ctx, pobj)
                if place is not None and place.kind == "name":
                    ctx.add_relation(
                        event, "location", place.id, anchor=pobj, confidence=round(confidence - 0.05, 3),
                        extractor="event.location_within",
                    )  # fmt: skip
                if depth < 2:
                    frontier.append((pobj, depth + 1))


def _incident_roles(ctx: Context, mention: Mention, token: Token, lex: dict) -> None:
    event = mention.id
    is_attack = mention.type in lex["attack_family"]
    _setting(ctx, event, token, 0.5 if token.pos_ == "NOUN" and _reported_argument(token) else 0.8)
    for child in token.children:
        dep = child.dep_
        if dep == "prep":
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                target = ctx.entity_at(pobj) or _ad_hoc(ctx, pobj)
                if child.lower_ in TARGET_PREPS and is_attack and target is not None:
                    ctx.add_relation(
                        event,
                        "target",
                        target.id,
                        anchor=pobj,
                        confidence=0.75,
                        extractor="event.target_on",
                    )
                    if ctx.resolved_type(target) in PLACE_TYPES:
                        ctx.add_relation(
                            event,
                            "location",
                            target.id,
                            anchor=pobj,
                            confidence=0.7,
                            extractor="event.location_on",
                        )
                elif child.lower_ == "by" and is_attack:
                    agent = _agent(ctx, pobj)
                    if agent is not None:
                        ctx.add_relation(
                            event,
                            "perpetrator",
                            agent.id,
                            anchor=pobj,
                            confidence=0.75,
                            extractor="event.perpetrator_by",
                        )
        elif dep in ("compound", "amod", "nmod"):
            place = _place(ctx, child)
            if (
                place is not None
                and is_attack
                and (place.kind == "demonym" or (place.type == "Country" and _aerial(token)))
            ):
                # "a US drone strike", "an Israeli airstrike": the country acted
                ctx.add_relation(
                    event, "perpetrator", place.id, anchor=child, confidence=0.55, extractor="event.perpetrator_country"
                )
            elif place is not None and place.kind != "demonym":
                ctx.add_relation(
                    event, "location", place.id, anchor=child, confidence=0.75, extractor="event.location_modifier"
                )
            method = lex["methods"].get(child.lemma_.lower())
            if method and is_attack:
                ctx.add_relation(event, "method", method, anchor=child, confidence=0.8, extractor="event.method")
        elif dep == "poss":
            agent = _agent(ctx, child)
            if agent is not None and is_attack and agent.type != "Country":
                ctx.add_relation(
                    event,
                    "perpetrator",
                    agent.id,
                    anchor=child,
                    confidence=0.6,
                    extractor="event.perpetrator_poss",
                )
        elif dep in ("nsubj", "agent") and token.pos_ == "VERB" and is_attack:
            if dep == "agent":
                child = next((c for c in child.children if c.dep_ == "pobj"), child)
            elif any(c.dep_ == "auxpass" for c in token.children):
                continue
            agent = _agent(ctx, child)
            if agent is not None:
                ctx.add_relation(
                    event,
                    "perpetrator",
                    agent.id,
                    anchor=child,
                    confidence=0.7,
                    extractor="event.perpetrator_subject",
                )
            method = _method_of(child, lex)
            if method:
                ctx.add_relation(event, "method", method, anchor=child, confidence=0.7, extractor="event.method")
        elif (
            dep in ("dobj", "nsubjpass")
            and token.pos_ == "VERB"
            and is_attack
            and token.lemma_ not in ("detonate", "explode", "kill")
            and not any(c.dep_ == "nummod" for c in child.children)
        ):
            target = ctx.entity_at(child) or _ad_hoc(ctx, child)
            if target is not None:
                ctx.add_relation(
                    event,
                    "target",
                    target.id,
                    anchor=child,
                    confidence=0.65,
                    extractor="event.target_object",
                )
    method = lex["method_triggers"].get(token.lemma_.lower())
    if method and is_attack:
        ctx.add_relation(event, "method", method, anchor=token, confidence=0.8, extractor="event.method_trigger")
    if token.lemma_ == "explode":
        for child in token.children:
            if child.dep_ == "nsubj":
                method = _method_of(child, lex)
                if method:
                    ctx.add_relation(
                        event,
                        "method",
                        method,
                        anchor=child,
                        confidence=0.75,
                        extractor="event.method",
                    )
    if token.pos_ == "NOUN":
        _governing_clause(ctx, mention, token, lex)


def _aerial(token: Token) -> bool:
    """An air, drone or missile strike (whose national modifier is the attacker)."""
    words = {c.lower_ for c in token.lefts} | {token.lower_}
    return bool(words & {"airstrike", "airstrikes", "air", "drone", "missile", "strike", "strikes", "raid", "raids"})


def _method_of(token: Token, lex: dict) -> str | None:
    for c in token.subtree:
        if c.i <= token.i and c.lemma_.lower() in lex["methods"]:
            return str(lex["methods"][c.lemma_.lower()])
    return None


def _governing_clause(ctx: Context, mention: Mention, noun: Token, lex: dict) -> None:
    """Roles from the verb an event noun hangs from.

    "ISIS-K carried out the bombings" (perpetrator), "X was behind the blasts"
    (perpetrator), "two explosions targeted a commemorative event" (target), "the blast
    occurred in Kabul on Monday" (location, time).
    """
    event = mention.id
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in ("site", "scene", "location", "venue"):
        site = head.head  # "X ... was the site of a similar attack"
        if site.dep_ == "attr" and site.head.lemma_ == "be":
            for child in site.head.children:
                if child.dep_ == "nsubj":
                    subject = child
                    if subject.tag_ == "WDT" and site.head.dep_ == "relcl":
                        subject = site.head.head
                    place = _place(ctx, subject)
                    if place is not None:
                        ctx.add_relation(
                            event,
                            "location",
                            place.id,
                            anchor=subject,
                            confidence=0.7,
                            extractor="event.location_site",
                        )
        return
    if (noun.dep_ == "pobj" and head.lower_ in ("behind", "for") and head.head.lemma_ == "be") or (
        noun.dep_ == "pobj" and head.lower_ == "for" and head.head.lower_ == "responsible"
    ):
        verb = head.head if head.head.lemma_ == "be" else head.head.head
        for child in verb.children:
            if child.dep_ == "nsubj":
                agent = _agent(ctx, child)
                if agent is not None:
                    ctx.add_relation(
                        event,
                        "perpetrator",
                        agent.id,
                        anchor=child,
                        confidence=0.75,
                        extractor="event.perpetrator_behind",
                    )
        return
    if noun.dep_ in ("dobj", "nsubjpass") and head.lemma_ in LIGHT_VERBS:
        passive = noun.dep_ == "nsubjpass"
        for child in head.children:
            if (child.dep_ == "nsubj" and not passive) or child.dep_ == "agent":
                subject = (
                    next((c for c in child.children if c.dep_ == "pobj"), child) if child.dep_ == "agent" else child
                )
                agent = _agent(ctx, subject)
                if agent is not None:
                    ctx.add_relation(
                        event,
                        "perpetrator",
                        agent.id,
                        anchor=subject,
                        confidence=0.8,
                        extractor="event.perpetrator_carried_out",
                    )
                method = _method_of(subject, lex)
                if method:
                    ctx.add_relation(
                        event,
                        "method",
                        method,
                        anchor=subject,
                        confidence=0.7,
                        extractor="event.method",
                    )
        _setting(ctx, event, head, 0.75)
        return
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        verb = head.head
        if verb.lemma_ not in attribution_lexicon()["reporting_verbs"] and head.lower_ in ("on", "in", "during"):
            _setting(ctx, event, verb, 0.65)  # "... went on a stabbing spree at X on Thursday"
        return
    if noun.dep_ in ("nsubj", "nsubjpass") and head.pos_ == "VERB" and head.lemma_ in IMPACT_VERBS:
        if head.lemma_ in STRIKE_VERBS and (
            mention.type in lex["attack_family"] or mention.type in ("Disaster", "Accident")
        ):
            for child in head.children:
                if child.dep_ != "dobj":
                    continue
                place = _place(ctx, child)
                if place is not None and place.type != "Facility" and head.lemma_ in ("hit", "strike", "rock"):
                    # "the blasts struck Kerman", "an earthquake struck Albania": where it happened
                    ctx.add_relation(
                        event, "location", place.id, anchor=child, confidence=0.75, extractor="event.location_struck"
                    )
                    continue
                if mention.type not in lex["attack_family"]:
                    continue
                target = ctx.entity_at(child) or _ad_hoc(ctx, child)
                if target is not None:
                    ctx.add_relation(
                        event, "target", target.id, anchor=child, confidence=0.7, extractor="event.target_verb"
                    )
                    if ctx.resolved_type(target) == "Facility":  # "the bombings struck the Jolo Cathedral"
                        ctx.add_relation(
                            event,
                            "location",
                            target.id,
                            anchor=child,
                            confidence=0.7,
                            extractor="event.location_target",
                        )
        _setting(ctx, event, head, 0.75)


def _ad_hoc(ctx: Context, token: Token) -> Mention | None:
    """A nominal mention for a target phrase no lexicon covers ("a commemorative event for X")."""
    if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() in NOT_COUNTED | PEOPLE:
        return None
    if ctx.mention_at(token) is not None or token.ent_type_ in (
        "DATE",
        "TIME",
        "CARDINAL",
        "ORDINAL",
    ):
        return None
    indices = sorted(_compact(token, depth=2))
    start, end = indices[0], indices[-1] + 1
    while start < token.i and ctx.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    name = ctx.doc[start:end].text
    mention_id = ctx.add_mention(start, end, token, type="Entity", kind="nominal", name=name)
    return ctx.mentions[mention_id]


def _compact(token: Token, depth: int) -> set[int]:
    """Token indices of a noun phrase with its modifiers and prepositional complements,
    without appositions or clauses ("commemorative event for Qasem Soleimani")."""
    out = {token.i}
    for child in token.lefts:
        if child.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod", "case"):
            out.update(t.i for t in child.subtree)
    if depth > 0:
        for child in token.rights:
            if child.dep_ == "prep":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    out.add(child.i)
                    out |= _compact(pobj, depth - 1)
                    break
    # keep a contiguous run around the token
    run = {token.i}
    i = token.i - 1
    while i in out:
        run.add(i)
        i -= 1
    i = token.i + 1
    while i in out:
        run.add(i)
        i += 1
    return run


def _arrest_roles(ctx: Context, mention: Mention, token: Token) -> None:
    event = mention.id
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) or (
        token.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in token.children)
    )
    _setting(ctx, event, token, 0.75)
    for child in token.children:
        dep = child.dep_
        if dep == "nsubj" and token.pos_ == "VERB" and not passive:
            agent = _agent(ctx, child)
            if agent is not None:
                ctx.add_relation(
                    event,
                    "agent",
                    agent.id,
                    anchor=child,
                    confidence=0.75,
                    extractor="arrest.agent",
                )
        elif dep == "agent" or (dep == "prep" and child.lower_ == "by"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                agent = _agent(ctx, pobj)
                if agent is not None:
                    ctx.add_relation(
                        event,
                        "agent",
                        agent.id,
                        anchor=pobj,
                        confidence=0.75,
                        extractor="arrest.agent",
                    )
        elif (
            (dep == "dobj" and not passive)
            or (dep in ("nsubjpass", "nsubj") and passive)
            or (dep == "prep" and child.lower_ == "of" and token.pos_ == "NOUN")
        ):
            arrested = child if dep != "prep" else next((c for c in child.children if c.dep_ == "pobj"), None)
            if arrested is None:
                continue
            count = _count(ctx, arrested)
            if count is not None:
                ctx.add_relation(
                    event,
                    "arrestedCount",
                    count,
                    anchor=arrested,
                    confidence=0.8,
                    extractor="arrest.count",
                )
            person = ctx.entity_at(arrested)
            if person is not None and ctx.resolved_type(person) == "Person":
                ctx.add_relation(
                    event,
                    "arrested",
                    person.id,
                    anchor=arrested,
                    confidence=0.75,
                    extractor="arrest.person",
                )
            for prep in arrested.children:  # "three suspects in Hamburg"
                if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
                    for pobj in prep.children:
                        place = _place(ctx, pobj) if pobj.dep_ == "pobj" else None
                        if place is not None:
                            ctx.add_relation(
                                event, "location", place.id, anchor=pobj, confidence=0.65, extractor="arrest.location"
                            )
        elif dep == "nummod" and token.pos_ == "NOUN":
            count = _count(ctx, child)
            if count is not None:
                ctx.add_relation(
                    event,
                    "arrestedCount",
                    count,
                    anchor=child,
                    confidence=0.7,
                    extractor="arrest.count",
                )
    # "... arrested 11 people who involved in the attack": connect the arrest to the attack
    lex = event_lexicon()
    for other in ctx.mentions:
        if (
            other.kind == "event"
            and other.sentence == mention.sentence
            and other.type in lex["attack_family"]
            and other.id != event
        ):
            ctx.add_relation(
                event,
                "relatedEvent",
                other.id,
                anchor=token,
                confidence=0.6,
                extractor="arrest.related",
            )
            break


# ---------------------------------------------------------------------------- counts


def _count(ctx: Context, token: Token) -> Quantity | None:
    """The count a noun phrase states: "11 people", "at least 20", "dozens of people"."""
    if token.like_num:
        return _number(ctx, token)
    if token.lemma_.lower() in NOT_COUNTED:
        return None
    for child in token.children:
        if child.dep_ == "nummod" and child.like_num:
            return _number(ctx, child)
    if token.lower_ in ("dozens", "hundreds", "thousands", "scores"):
        return parse_quantity(token.lower_)
    for child in token.children:  # "dozens of people"
        if child.dep_ == "prep" and child.lower_ == "of" and token.lower_ in ("dozens", "hundreds", "thousands"):
            return parse_quantity(token.lower_)
    return None


def _number(ctx: Context, token: Token) -> Quantity | None:
    ent = ctx.cardinal_ents.get(token.i)
    if ent is not None:
        text = ent.text
    else:
        left = [c for c in token.lefts if c.dep_ in ("advmod", "quantmod", "compound", "nummod")]
        start = min((c.left_edge.i for c in left), default=token.i)
        text = ctx.doc[start : token.i + 1].text
    quantity = parse_quantity(text)
    if quantity is None:
        quantity = parse_quantity(token.text)
    if quantity is not None and 1900 <= quantity.value <= 2100 and token.i in ctx.date_ents:
        return None
    return quantity


def _casualty_count(ctx: Context, token: Token, lemma: str) -> Quantity | None:
    """The number killed or injured that a casualty word states, if any."""
    children = list(token.children)
    if token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBD", "VBG"):
        if lemma == "die":
            return next((q for c in children if c.dep_ == "nsubj" and (q := _count(ctx, c))), None)
        if lemma == "claim":
            for c in children:
                if c.dep_ == "dobj" and c.lemma_ == "life":
                    return _count(ctx, c) or next(
                        (q for g in c.children if g.dep_ == "prep" for p in g.children if (q := _count(ctx, p))),
                        None,
                    )
            return None
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children) or (
            token.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in children)
        )
        if passive:
            for c in children:
                if c.dep_ in ("nsubjpass", "nsubj"):
                    return _count(ctx, c)
            if token.dep_ in ("amod", "acl") and token.head.like_num:
                return _number(ctx, token.head)
            if token.dep_ in ("acl", "amod", "relcl") and token.head.pos_ == "NOUN":
                return _count(ctx, token.head)
            return None
        for c in children:
            if c.dep_ == "dobj":
                return _count(ctx, c)
        return None
    if lemma in ("dead", "injured", "wounded") and token.pos_ in ("ADJ", "NOUN"):
        if token.head.like_num:
            return _number(ctx, token.head)
        for c in children:
            if c.dep_ in ("nummod", "npadvmod") and c.like_num:
                return _number(ctx, c)
        if token.dep_ in ("oprd", "ccomp", "xcomp", "acomp") and token.head.lemma_ == "leave":
            for c in token.head.children:
                if c.dep_ == "dobj":
                    return _count(ctx, c)
        return None
    if lemma in ("death", "fatality", "injury", "casualty", "life"):
        for c in children:
            if c.dep_ == "nummod" and c.like_num:
                return _number(ctx, c)
            if c.dep_ == "prep" and c.lower_ == "of" and lemma in ("death", "life"):  # "the death of 50 people"
                for p in c.children:
                    if p.dep_ == "pobj" and (q := _count(ctx, p)) is not None:
                        return q
        return None
    if lemma == "toll":
        for c in children:
            if c.dep_ == "prep" and c.lower_ in ("of", "at"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.like_num:
                        return _number(ctx, p)
        head = token.head
        if token.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
            for c in head.children:
                if c.dep_ in ("dobj", "attr") and c.like_num:
                    return _number(ctx, c)
                if c.dep_ == "prep" and c.lower_ in ("to", "at"):
                    for p in c.children:
                        if p.dep_ == "pobj" and (q := _count(ctx, p)) is not None:
                            return q
    return None


def _casualty_kind(token: Token, lex: dict) -> str | None:
    lemma = token.lemma_.lower()
    lower = token.lower_
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        if lemma in ("kill", "die", "murder", "slay"):
            return "deaths"
        if lemma == "claim" and any(c.dep_ == "dobj" and c.lemma_ == "life" for c in token.children):
            return "deaths"
        if lemma in lex["injury_verbs"]:
            return "injured"
        return None
    if lower == "dead" or lemma in ("death", "fatality", "toll") or (lemma == "life" and token.dep_ != "dobj"):
        if lemma == "toll" and not any(c.lemma_ in ("death", "casualty") for c in token.lefts):
            return None
        return "deaths"
    if lower in ("injured", "wounded") or lemma == "injury":
        return "injured"
    return None


def _event_for(ctx: Context, token: Token) -> int | None:
    """The event mention a casualty clause is about, nearest in the parse first."""
    lex = event_lexicon()
    families = lex["attack_family"] | {"Disaster", "Accident"}

    def event_at(t: Token) -> int | None:
        mention = ctx.mention_at(t)
        if mention is not None and mention.kind == "event" and mention.type in families:
            return mention.id
        for mid in ctx.covering.get(t.i, []):
            m = ctx.mentions[mid]
            if m.kind == "event" and m.type in families:
                return m.id
        return None

    for child in token.children:
        if child.dep_ in ("nsubj", "agent"):
            target = child if child.dep_ == "nsubj" else next((c for c in child.children if c.dep_ == "pobj"), child)
            found = event_at(target)
            if found is not None:
                return found
    found = event_at(token)
    if found is not None:
        return found
    node = token
    while node.head.i != node.i:
        node = node.head
        found = event_at(node)
        if found is not None:
            return found
        if node.dep_ == "ROOT":
            break
    sentence = ctx.doc[token.i].sent
    best, distance = None, None
    for t in token.subtree:
        found = event_at(t)
        if found is not None:
            return found
    for t in sentence:
        found = event_at(t)
        if found is not None and (distance is None or abs(t.i - token.i) < distance):
            best, distance = found, abs(t.i - token.i)
    return best


def _casualties(ctx: Context, lex: dict) -> None:
    has_incident = any(
        m.kind == "event" and m.type in lex["attack_family"] | {"Disaster", "Accident"} for m in ctx.mentions
    )
    for token in ctx.doc:
        kind = _casualty_kind(token, lex)
        if kind is None:
            continue
        count = _casualty_count(ctx, token, token.lemma_.lower() if token.lower_ != "dead" else "dead")
        if count is None:
            _killed_in(ctx, token)
            continue
        event = _event_for(ctx, token)
        confidence = 0.8
        if event is None:
            if not has_incident or _about_the_past(ctx, token):
                continue
            event, confidence = MAIN_EVENT, 0.6
        if _partitive(ctx, token):
            confidence -= 0.25  # "one of them died": a part of the toll
        ctx.add_relation(event, kind, count, anchor=token, confidence=confidence, extractor=f"casualties.{kind}")
        if token.pos_ == "VERB":
            _setting(ctx, event, token, confidence)
            for conj in token.children:
                if conj.dep_ == "conj" and _casualty_kind(conj, lex):
                    _setting(ctx, event, conj, confidence)
            if token.dep_ == "conj" and _casualty_kind(token.head, lex):
                _setting(ctx, event, token.head, confidence)


def _partitive(ctx: Context, token: Token) -> bool:
    """The count is of a part: "two of the victims died", "one of them was killed"."""
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            g.dep_ == "prep" and g.lower_ == "of" for g in child.children
        ):
            return child.like_num or child.lower_ in ("one", "some", "several", "many", "most")
    return False


def _about_the_past(ctx: Context, token: Token) -> bool:
    """The sentence dates itself well before the article ("... deaths since 2015")."""
    anchor = ctx.article.date
    for t in token.sent:
        if t.lower_ == "since" or (t.i in ctx.date_ents and t.ent_iob_ == "B"):
            if t.lower_ == "since":
                return True
            value = parse_time(ctx.date_ents[t.i].text, anchor)
            if anchor is None or value is None or value.precision == "text":
                continue
            year = int(value.value[:4])
            if year < anchor.year - (0 if anchor.month > 1 else 1):
                return True
    return False


def _killed_in(ctx: Context, verb: Token) -> None:
    """ "X was killed in a drone strike near Baghdad on 3 January": the clause's time and
    place belong to the event it names."""
    if verb.pos_ != "VERB":
        return
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "by", "during"):
            for pobj in prep.children:
                mention = ctx.mention_at(pobj)
                if mention is not None and mention.kind == "event" and mention.type not in ("Arrest", "Statement"):
                    _setting(ctx, mention.id, verb, 0.7)
                    return


def _sentence_dates(ctx: Context) -> None:
    """An event with no time of its own gets, weakly, the day its sentence names.

    "Early Saturday morning, police responded to reports of a shooting": the date hangs
    from "responded", but the sentence is about the shooting.
    """
    dated = {p.relation.subject for p in ctx.pending if p.relation.predicate == "date"}
    seen_sentences: dict[int, list] = {}
    for ent in ctx.doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            seen_sentences.setdefault(ctx.sent_of[ent.start], []).append(ent)
    for mention in ctx.mentions:
        if mention.kind != "event" or mention.id in dated or mention.type == "Statement":
            continue
        for ent in seen_sentences.get(mention.sentence, []):
            if _belongs_to_other_event(ctx, ent.root, mention.id):
                continue
            value = parse_time(ent.text, ctx.article.date)
            if value is not None and value.precision == "day":
                ctx.add_relation(
                    mention.id, "date", value, anchor=ent.root, confidence=0.4, extractor="event.time_sentence"
                )
                break


def _belongs_to_other_event(ctx: Context, token: Token, event: int) -> bool:
    """The phrase hangs from another event mention ("the statement released Friday") or from
    a reporting verb ("on Friday, officials confirmed that ...")."""
    verbs = attribution_lexicon()["reporting_verbs"]
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ == "VERB" and node.lemma_ in TOLL_VERBS:
            return True  # "the toll rose to 42 on Thursday": when it was counted
        if node.pos_ == "VERB" and node.lemma_ in verbs and not any(c.dep_ == "auxpass" for c in node.children):
            return True  # ... but "a bombing was yesterday reported to have killed" dates the bombing
        found = ctx.mention_at(node)
        if found is not None and found.kind == "event":
            return found.id != event
    return False


# ---------------------------------------------------------------------------- claims


def _claims(ctx: Context) -> None:
    """Responsibility claims: "X claimed responsibility for the attack", "X claimed the attack"."""
    for token in ctx.doc:
        if token.lemma_ not in ("claim", "accept", "take", "bear", "admit") or token.pos_ != "VERB":
            continue
        children = list(token.children)
        obj = next((c for c in children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None:
            continue
        event: int | None = None
        if obj.lemma_ in ("responsibility", "credit"):
            for holder in (obj, token):
                for prep in holder.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
                        for pobj in prep.children:
                            mention = ctx.mention_at(pobj)
                            if mention is not None and mention.kind == "event":
                                event = mention.id
            if event is None:
                event = MAIN_EVENT
        elif token.lemma_ == "claim":
            mention = ctx.mention_at(obj)
            if mention is None or mention.kind != "event" or mention.type in ("Arrest", "Statement"):
                continue
            event = mention.id
        else:
            continue
        claimant = None
        for child in children:
            if child.dep_ == "nsubj" and obj.dep_ == "dobj":
                claimant = _agent(ctx, child)
            elif child.dep_ == "agent":
                by = next((c for c in child.children if c.dep_ == "pobj"), None)
                claimant = _agent(ctx, by) if by is not None else None
        if claimant is None and token.dep_ == "relcl":
            claimant = _agent(ctx, token.head)
        if claimant is not None:
            ctx.add_relation(
                claimant.id,
                "claimedResponsibilityFor",
                event,
                anchor=token,
                confidence=0.85,
                extractor="claim.responsibility",
            )


def _perpetrator_nouns(ctx: Context, lex: dict) -> None:
    """ "The perpetrator of the attack", "one of the suicide bombers": perpetrators by role noun."""
    has_attack = any(m.kind == "event" and m.type in lex["attack_family"] for m in ctx.mentions)
    for mention in list(ctx.mentions):
        if mention.kind != "nominal" or mention.head not in lex["perpetrator_nouns"]:
            continue
        noun = _noun_of(ctx, mention)
        event: int | None = None
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in", "behind"):
                for pobj in prep.children:
                    found = ctx.mention_at(pobj)
                    if found is not None and found.kind == "event" and found.type in lex["attack_family"]:
                        event = found.id
        confidence = 0.8
        if event is None:
            if not has_attack:
                continue
            event, confidence = MAIN_EVENT, 0.55
        ctx.add_relation(
            event,
            "perpetrator",
            mention.id,
            anchor=noun,
            confidence=confidence,
            extractor="event.perpetrator_noun",
        )
        for child in noun.lefts:
            method = lex["methods"].get(child.lemma_.lower())
            if method:
                ctx.add_relation(
                    event,
                    "method",
                    method,
                    anchor=child,
                    confidence=confidence,
                    extractor="event.method_perpetrator",
                )


def _noun_of(ctx: Context, mention: Mention) -> Token:
    """The head noun of a nominal (for "one of the bombers", "bombers")."""
    head = ctx.head_token(mention.id)
    if head.lemma_.lower() == mention.head:
        return head
    for token in ctx.doc[head.i : head.i + 12]:
        if token.lemma_.lower() == mention.head and token.idx < mention.end:
            return token
    return head


# ---------------------------------------------------------------------------- statements


def _statements(ctx: Context) -> None:
    """Speaker and time of statement mentions ("The ministry released a statement Friday")."""
    verbs = attribution_lexicon()["reporting_verbs"]
    for mention in [m for m in ctx.mentions if m.kind == "event" and m.type == "Statement"]:
        noun = ctx.head_token(mention.id)
        head = noun.head
        speaker_token = None
        if noun.dep_ in ("dobj",) and head.lemma_ in (
            "release",
            "issue",
            "publish",
            "make",
            "post",
        ):
            speaker_token = next((c for c in head.children if c.dep_ == "nsubj"), None)
        elif noun.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_ in verbs:
            speaker_token = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                speaker_token = next((c for c in child.children if c.dep_ == "pobj"), speaker_token)
            if child.dep_ == "poss":
                speaker_token = child
            if child.dep_ == "acl":
                for t in child.subtree:
                    if _time(ctx, mention.id, t, 0.75):
                        break
        if speaker_token is not None:
            speaker = _agent(ctx, speaker_token)
            if speaker is not None:
                ctx.add_relation(
                    mention.id,
                    "speaker",
                    speaker.id,
                    anchor=speaker_token,
                    confidence=0.8,
                    extractor="statement.speaker",
                )
        if noun.dep_ == "dobj":
            _setting(ctx, mention.id, head, 0.7)
