"""Event mentions: trigger words ("blasts", "detonated", "arrested", "statement").

The trigger lexicon (``events.json``) maps noun and verb lemmas to event classes; the
parse decides the rest: a "strike" is an attack only with a military modifier, "kill"
makes an attack when its subject is violent ("Gunmen killed 10"), a statement noun is a
statement when it is issued or quoted. A trigger marked as another incident than the
article's main one ("a similar attack", "last year's bombing") is ``distinct``.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import EventWords, attribution_words, event_words
from kg.extract.steps import step

__all__ = ["sport_report", "trigger"]


@step("events.triggers")
def find_triggers(ctx: Context, found: Found) -> None:
    words = event_words()
    sport = sport_report(ctx, words)
    for token in ctx.tokens:
        hit = trigger(ctx, token, words)
        if hit is None:
            continue
        cls, start = hit
        if sport and cls in words.attack_family and not _people_hurt(token, words):
            continue  # "a late attack", "his shot": play, not violence
        ctx.add_mention(
            start,
            token.i + 1,
            token,
            type=cls,
            kind="event",
            name=ctx.doc[start : token.i + 1].text,
            plural=token.tag_ in ("NNS", "NNPS"),
            distinct=_is_distinct(ctx, token, words),
            # specific, not a kind of event: "the blasts", "its attacks", "two explosions"
            definite=any(
                c.lower_ in ("the", "this", "that", "these", "those") or c.dep_ in ("poss", "nummod")
                for c in token.lefts
            ),
        )


def sport_report(ctx: Context, words: EventWords) -> bool:
    """An article with three words of sport reports ("striker", "league", "lap")."""
    lowered = {t.lower_ for t in ctx.tokens if t.is_alpha}
    return len(lowered & words.sport_words) >= 3


def _people_hurt(token: Token, words: EventWords) -> bool:
    """Whether the trigger's sentence says people were killed or injured."""
    hurt = {"kill", "die", "dead", "injure", "wound", "murder", *words.injury_verbs}
    return any(t.lemma_.lower() in hurt for t in token.sent)


def trigger(ctx: Context, token: Token, words: EventWords) -> tuple[str, int] | None:
    """The event class of a trigger token and where its span starts, or ``None``."""
    if token.pos_ == "NOUN":
        return _noun_trigger(token, words)
    if token.pos_ == "VERB":
        return _verb_trigger(ctx, token, words)
    return None


def _after_word(token: Token, word: str) -> bool:
    """Whether ``word`` comes right before ``token``, a hyphen between them or not."""
    doc, i = token.doc, token.i - 1
    if i >= 0 and doc[i].text in ("-", "–"):
        i -= 1
    return i >= 0 and doc[i].lower_ == word


def _noun_trigger(token: Token, words: EventWords) -> tuple[str, int] | None:
    lemma = token.lemma_.lower()
    if token.dep_ == "compound" and token.head.pos_ == "NOUN":
        return None
    cls: str | None = words.noun_triggers.get(lemma)
    if cls is None and lemma in words.spree_heads:  # "a stabbing spree", "a shooting rampage"
        kinds = [words.noun_triggers.get(c.lemma_.lower()) for c in token.lefts if c.dep_ in ("compound", "amod")]
        cls = next((k for k in kinds if k), "Attack" if lemma == "rampage" else None)
    if cls is None and lemma in attribution_words().statement_nouns:
        return _statement_noun(token)
    if cls is None:
        return None
    modifiers = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")]
    if lemma == "strike" and not any(c.lower_ in words.strike_needs for c in modifiers):
        return None
    if lemma == "raid" and not modifiers and token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return None
    if lemma == "collapse" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return None
    if lemma == "fire" and token.dep_ == "dobj" and token.head.lemma_ == "open":
        return None  # "opened fire": the shooting is the verb's
    if lemma == "fire" and _after_word(token, "under"):
        return None  # "the under-fire coach", "came under fire": criticised, no blaze
    if lemma == "shooting" and _filmed(token, words):
        return None  # "the shooting of the film": filming
    start = min((c.i for c in modifiers if not c.ent_type_ or c.ent_type_ in ("NORP",)), default=token.i)
    for c in modifiers:
        if c.lower_ in words.methods or c.lemma_.lower() in words.trigger_modifiers:
            start = min(start, c.i)
    return cls, min(start, token.i)


def _verb_trigger(ctx: Context, token: Token, words: EventWords) -> tuple[str, int] | None:
    lemma = token.lemma_.lower()
    if lemma == "blow" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in token.children):
        return None
    if lemma == "open" and any(c.dep_ == "dobj" and c.lower_ == "fire" for c in token.children):
        return "Shooting", token.i
    if lemma == "kill" and _violent_subject(ctx, token, words):
        return "Attack", token.i
    if lemma in ("shoot", "storm", "sink", "crash", "collapse") and token.tag_ == "VBG" and token.dep_ == "amod":
        return None
    if _figure_moves(token, words):
        return None  # "the euro has shot up", "shares crashed": markets, not violence
    if lemma == "shoot" and _filmed(token, words):
        return None  # "shooting video", "shooting on the sequel": filming
    if _verbal_attack(ctx, token, words):
        return None  # "Fox attacked Labour over its record": criticism (the actions step's)
    cls = words.verb_triggers.get(lemma)
    if cls is None:
        return None
    if lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in token.children):
        return "Attack", token.i
    return cls, token.i


def _filmed(token: Token, words: EventWords) -> bool:
    """Whether "shoot" or "shooting" is of a film: its object, or the object of its
    preposition, is a filmed thing ("shot the film", "shooting on the sequel")."""
    for child in token.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in words.filmed_objects:
            return True
        if child.dep_ == "prep" and any(o.lemma_.lower() in words.filmed_objects for o in child.children):
            return True
    return False


def _figure_moves(verb: Token, words: EventWords) -> bool:
    """A verb of movement said of a price, a currency or a market ("shot up", "plunged")."""
    if verb.lemma_ == "shoot" and any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
        return True
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and subject.lemma_.lower() in words.market_subjects


def _verbal_attack(ctx: Context, verb: Token, words: EventWords) -> bool:
    """A violent verb said of words: its object is a plan, a remark or a work ("attacked the
    plans") or is called something ("attacked the figures as misleading"), or a person or
    organisation attacked by a person or a political subject ("Fox attacked Labour"), or
    named after a gerund with no subject ("attacking Mr Campbell"), with no one hurt and no
    weapon in the sentence."""
    if verb.lemma_.lower() not in words.verbal_attack_verbs or _people_hurt(verb, words):
        return False
    if any(t.lemma_.lower() in words.methods or t.lemma_.lower() in words.violent_killers for t in verb.sent):
        return False
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [c for o in objects for c in o.conjuncts]
    if any(o.lemma_.lower() in words.criticism_objects for o in objects):
        return True
    if objects and any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
        return True  # "attacked the pledges as vacuous": what it was called
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "agent")), None)
    if subject is None and verb.tag_ == "VBG" and objects:  # "attacking Mr Campbell had brought it trouble"
        named = ctx.entity_at(objects[0])
        return named is not None and named.kind == "name" and ctx.resolved_type(named) in ("Person", "Organization")
    if subject is None or not objects:
        return False
    if subject.dep_ == "agent":
        subject = next((c for c in subject.children if c.dep_ == "pobj"), subject)
    said_by = ctx.entity_at(subject)
    critic = subject.lemma_.lower() in words.critic_subjects or (
        said_by is not None and said_by.kind in ("name", "pronoun") and ctx.resolved_type(said_by) == "Person"
    )
    target = ctx.entity_at(objects[0])
    return critic and target is not None and ctx.resolved_type(target) in ("Person", "Organization")


def _statement_noun(token: Token) -> tuple[str, int] | None:
    """A statement noun that is issued or quoted: "released a statement", "the statement said"."""
    head = token.head
    verbs = attribution_words().reporting_verbs
    if token.dep_ in ("dobj", "nsubjpass") and head.lemma_ in event_words().issue_verbs:
        return "Statement", token.i
    if token.dep_ == "nsubj" and head.lemma_ in verbs:
        return "Statement", token.i
    if (
        token.dep_ == "pobj"
        and head.lower_ == "in"
        and (any(c.dep_ == "acl" for c in token.children) or head.head.lemma_ in verbs)
    ):
        return "Statement", token.i
    return None


def _violent_subject(ctx: Context, verb: Token, words: EventWords) -> bool:
    """``kill`` with a violent agent as subject implies an attack: "Gunmen killed 10 people"."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return False
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.lemma_.lower() in words.violent_killers:
                return True
            mention = ctx.entity_at(child)
            return mention is not None and mention.type == "Organization" and mention.kind == "name"
    return False


def _is_distinct(ctx: Context, token: Token, words: EventWords) -> bool:
    """Marked as another incident than the article's main one."""
    for child in token.children:
        if child.dep_ in ("amod", "det", "advmod", "compound") and (
            child.lemma_.lower() in words.distinct_markers or child.lower_ in words.distinct_markers
        ):
            return True
        if child.dep_ in ("poss", "compound", "nmod", "nummod") and child.i in ctx.date_ents:
            words_of_date = {t.lower_ for t in ctx.date_ents[child.i]}
            if not words_of_date & words.same_day_dates:  # "last week's bombing", not "last night's attack"
                return True
        if (
            child.dep_ == "prep"
            and child.lower_ in ("about", "around")
            and any(g.i in ctx.date_ents and "ago" in ctx.date_ents[g.i].text.lower() for g in child.subtree)
        ):
            return True
    return False
