"""Counts of people and things: "900 people", "2,000 jobs", "three bombs", "a dozen".

A count is a cardinal before the noun it counts (its ``unit``, singular: "people" →
person), or of the noun after "of" ("six of the committees"), or a bare number that is
the subject or object of a verb ("35 were rescued"). Not counts: numbers after their
noun or after a word of a series ("BBC Two", "Flight 370", "No. 10"), years, scores
("3-1"), multipliers ("four times more"), measurements and durations ("10 km", "two
days": ``numbers.json``), the pronoun
"one", numbers inside sums, percentages, times, ages and penalties (which run before), and numbers a
casualty or arrest fact of the sentence already states. Counts of votes are
``kg:votes``. What a count is of comes from `kg.extract.numbers.owner`: the event or
entity the clause names, else the nearest event of the sentence, else the counted
phrase itself.
"""

from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Span, Token

from kg.extract.context import Context, Found
from kg.extract.data import attribution_words, confidence, nominal_words, number_words
from kg.extract.normalize import modifiers, parse_quantity, parse_range, vague
from kg.extract.numbers.common import irrealis, taken_tokens
from kg.extract.numbers.owner import bracketed, event_at, owner_of, thing_at
from kg.extract.steps import step
from kg.model import Mention, Quantity

__all__ = ["count_phrase"]

FRACTIONS = frozenset({"half", "third", "quarter", "fifth", "tenth", "thirds", "quarters"})
NOT_COUNT_ENTS = frozenset({"DATE", "TIME", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"})
"""A numeral inside a name ("Six Nations", "Channel 4") is no count."""
ALREADY = frozenset({"deaths", "injured", "arrestedCount"})
BARE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
_SCORE = re.compile(r"^\d+[-–]\d+$")
_NOT_NUMERAL = re.compile(r"\d(?:st|nd|rd|th|s)$|[/:]|^0\d", re.IGNORECASE)
"""Ordinals ("501st"), decades ("1990s"), ratios and times ("24/7", "3:1"), codes ("007")."""


@step("numbers.counts")
def find_counts(ctx: Context, found: Found) -> None:
    # sums, percentages, times, and the numerals earlier number steps stated (ages, penalties)
    taken = taken_tokens(ctx) | {p.anchor for p in ctx.found if p.step.startswith("numbers.")}
    stated = {  # a toll the casualty and arrest steps state (a count of a part of it, "two of the dead", is ours too)
        (p.relation.sentence, p.relation.object.value)
        for p in ctx.found
        if p.relation.predicate in ALREADY
        and isinstance(p.relation.object, Quantity)
        and p.relation.confidence >= confidence("casualties.main_event")
    }
    seen: set[int] = set()
    for token in ctx.tokens:
        if token.i in seen or not _numeral(token):
            continue
        phrase = _phrase(ctx, token)
        seen.update(range(phrase.start, phrase.end))
        if any(i in taken for i in range(phrase.start, phrase.end)):
            continue
        counted = count_phrase(ctx, phrase)
        if counted is None:
            continue
        root, noun, values = counted
        if any((ctx.sent_of[root.i], q.value) in stated for q in values):
            continue
        owner = bracketed(ctx, phrase) or _owner(ctx, root, noun)
        if owner is None:
            continue
        lemma = noun.lemma_.lower() if noun is not None else ""
        predicate = "votes" if lemma in number_words().vote_nouns else "count"
        hedged = irrealis(root)
        for value in values:
            found.relation(owner.id, predicate, value, anchor=root, extractor=f"numbers.{predicate}", hedged=hedged)


def _numeral(token: Token) -> bool:
    return (token.like_num and token.pos_ in ("NUM", "NOUN", "PROPN", "ADJ", "DET")) or (
        token.lower_ == "dozen" and any(c.lower_ == "a" for c in token.lefts)
    )


def _phrase(ctx: Context, token: Token) -> Span:
    """The number as NER read it ("About three million"), else the token."""
    ent = ctx.cardinal_ents.get(token.i)
    if ent is not None:
        return ent
    return ctx.doc[token.i : token.i + 1]


def count_phrase(ctx: Context, phrase: Span) -> tuple[Token, Token | None, tuple[Quantity, ...]] | None:
    """The numeral of a count, the noun it counts (or ``None`` for a bare number) and its
    value (two for a range); ``None`` when the number is no count."""
    words = number_words()
    root = phrase.root
    if not root.like_num and root.lower_ != "dozen":
        root = next((t for t in reversed(phrase) if t.like_num), root)
    if _not_a_count(ctx, phrase, root):
        return None
    noun = _counted(root)
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.like_num:
        return None  # "three of the film's five writers": the set a part is taken from
    scale = _scale_after(root)
    if scale is not None:  # "4m consoles"
        noun = _scaled_noun(ctx, root, noun)
        if noun is None or noun.tag_ not in ("NNS", "NNPS"):
            return None  # "a 100m race": metres
    if noun is None and (
        root.lower_ in words.not_count_words or (root.dep_ not in BARE_DEPS and not _collective(root))
    ):
        return None
    if (noun is not None and not _countable(noun, root)) or _rate(ctx, phrase):
        return None
    values = _values(ctx, phrase, root)
    if not values or any(q.value <= 0 for q in values):
        return None
    if re.fullmatch(r"1[89]\d\d|20\d\d|2100", root.text) and (noun is None or root.ent_type_ == "DATE"):
        return None  # a year
    unit = _unit(noun)
    if scale is not None:
        written = ctx.doc[phrase.start : root.i + 2].text
        values = tuple(Quantity(q.value * scale, written, q.approximate, q.bound) for q in values)
    return root, noun, tuple(Quantity(q.value, q.text, q.approximate, q.bound, "count", unit) for q in values)


def _not_a_count(ctx: Context, phrase: Span, root: Token) -> bool:
    """A numeral in a date, a name, a score, an ordinal, or right after a word of a series."""
    if any(t.ent_type_ in NOT_COUNT_ENTS or t.ent_type_ in NAME_ENTS for t in phrase) or _SCORE.match(root.text):
        return True
    if _NOT_NUMERAL.search(root.text) or _scored(root) or _hyphened_one(root):
        return True
    start = phrase.start
    if any(t.lower_ in FRACTIONS for t in ctx.doc[max(0, start - 3) : phrase.end]) and "of" in {
        t.lower_ for t in ctx.doc[max(0, start - 3) : phrase.end]
    }:
        return True  # "a quarter of a million": the value is not the numeral's
    if root.i + 1 < len(ctx.doc) and ctx.doc[root.i + 1].lower_ in number_words().multiplier_words:
        return True  # "four times more mobiles": a multiplier
    glued = root.i + 1 < len(ctx.doc) and not root.whitespace_ and ctx.doc[root.i + 1].is_alpha
    if glued and _scale_after(root) is None:
        return True  # "3G", "4x4": a name, not a count
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children):
        return True  # "two of the four producers": a part of a set (casualties count theirs)
    before = ctx.doc[phrase.start - 1] if phrase.start > 0 else None
    if before is None:
        return False
    named = before.pos_ == "PROPN" or (before.pos_ == "NOUN" and before.is_title)  # "Spectrum 128 fans"
    return named or before.lower_ in number_words().identifier_words


def _scaled_noun(ctx: Context, root: Token, noun: Token | None) -> Token | None:
    """The noun counted by "4m": after the scale word, which the parse may take for the noun."""
    if noun is not None and noun.i != root.i + 1:
        return noun
    noun = _counted(ctx.doc[root.i + 1])
    after = ctx.doc[root.i + 2] if root.i + 2 < len(ctx.doc) else None
    if noun is None and after is not None and after.pos_ == "NOUN":
        return after  # the parse took "m" for the object: "sold 4m consoles"
    return noun


SHORT_SCALES = frozenset({"m", "mn", "bn", "k"})


def _scale_after(root: Token) -> int | None:
    """The scale written right after a numeral as a word of its own: "4m" → "4" "m"."""
    doc = root.doc
    if root.i + 1 < len(doc) and doc[root.i + 1].lower_ in SHORT_SCALES:
        return number_words().scales[doc[root.i + 1].lower_]
    return None


def _counted(root: Token) -> Token | None:
    """The noun a numeral counts: its head when it comes before it ("nine people"), or the
    noun after "of" ("six of the committees")."""
    head = root.head
    if root.dep_ in ("nummod", "quantmod", "amod", "compound") and head.pos_ in ("NOUN", "PROPN") and root.i < head.i:
        return head
    if root.dep_ in ("nummod", "quantmod", "compound") and head.like_num and root.i < head.i:
        return _counted(head)  # "three million people": "three" hangs from "million"
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and pobj.tag_ in ("NNS", "NNPS"):
                return pobj
    return None


def _collective(root: Token) -> bool:
    """A bare number after "of" that counts a collective noun: "a crowd of 5,000"."""
    prep = root.head
    return (
        root.dep_ == "pobj"
        and prep.lower_ == "of"
        and prep.head.pos_ == "NOUN"
        and prep.head.lemma_.lower() in number_words().collective_nouns
    )


def _countable(noun: Token, root: Token) -> bool:
    """A noun a number counts rather than measures, names or dates."""
    words = number_words()
    lemma = noun.lemma_.lower().rstrip(".")  # "the 800m." at a sentence end
    if lemma in words.measure_units or lemma in words.durations or noun.lower_ in words.durations:
        return False
    modifier = noun.dep_ in ("compound", "amod", "nmod") and noun.head.pos_ in ("NOUN", "PROPN")
    if modifier and (_hyphened(root, noun) or noun.tag_ == "NN"):
        return False  # "the 500-member threshold", "a two party consensus", "his one man show": a longer noun's
    if len(noun.text) == 1 or (noun.pos_ == "PROPN" and noun.ent_type_ != "NORP"):
        return False  # "51 Pegasi b", "Million Dollar Baby"
    if root.lower_ == "one" and (noun.i != root.head.i or not _people(noun)):
        return False  # "one of the biggest investors", "for one reason"
    return not (noun.ent_type_ in NOT_COUNT_ENTS and noun.ent_type_ != "")


def _hyphened(root: Token, noun: Token) -> bool:
    """A hyphen between the numeral and its noun: "500-member"."""
    return root.i < noun.i and any(t.text in ("-", "–") for t in root.doc[root.i + 1 : noun.i])


def _hyphened_one(root: Token) -> bool:
    """ "one-off", "one-size-fits-all", "no-one": "one" in a compound word counts nothing."""
    doc = root.doc
    after = root.i + 1 < len(doc) and doc[root.i + 1].text in ("-", "–")
    before = root.i > 0 and doc[root.i - 1].text in ("-", "–")
    return root.lower_ == "one" and (after or before)


def _rate(ctx: Context, phrase: Span) -> bool:
    """A rate: "three per 100,000 people" (both numbers)."""
    doc = ctx.doc
    return (phrase.start > 0 and doc[phrase.start - 1].lower_ == "per") or (
        phrase.end < len(doc) and doc[phrase.end].lower_ == "per"
    )


def _scored(root: Token) -> bool:
    """A number of a score: "won 3-1", "a 2 - 0 win"."""
    doc = root.doc
    left = doc[root.i - 1] if root.i > 0 else None
    right = doc[root.i + 1] if root.i + 1 < len(doc) else None
    if right is not None and right.text in ("-", "–") and root.i + 2 < len(doc) and doc[root.i + 2].like_num:
        return True
    return bool(left is not None and left.text in ("-", "–") and root.i > 1 and doc[root.i - 2].like_num)


_NUMBER_WORDS = frozenset(
    "a an and zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion trillion dozen".split()
)


def _values(ctx: Context, phrase: Span, root: Token) -> tuple[Quantity, ...]:
    """The value of a count, or the two ends of a range; nothing for "dozens", "a third",
    "half a million" (no whole number stated)."""
    ranged = parse_range(phrase.text)
    if ranged is not None:
        return ranged
    text = ctx.doc[root.i - 1 : root.i + 1].text if root.lower_ == "dozen" else phrase.text
    if phrase.start == root.i == phrase.end - 1:
        left = [c for c in root.lefts if c.dep_ in ("advmod", "quantmod")]
        text = ctx.doc[min((c.left_edge.i for c in left), default=root.i) : root.i + 1].text
    rest = modifiers(text)[0]
    if any(
        not (w.replace(",", "").replace(".", "").isdigit() or w in _NUMBER_WORDS) for w in re.split(r"[\s-]+", rest)
    ):
        return ()
    quantity = parse_quantity(text)
    if quantity is None or vague(quantity.text):
        return ()  # "dozens", "hundreds": no number stated
    if _or_another(root):  # "three or four players": about three
        quantity = dataclasses.replace(quantity, approximate=True)
    return (quantity,)


def _or_another(root: Token) -> bool:
    """A number given with another as a choice: "three or four"."""
    children = list(root.children)
    return any(c.dep_ == "cc" and c.lower_ == "or" for c in children) and any(
        c.dep_ == "conj" and c.like_num for c in children
    )


def _people(noun: Token) -> bool:
    """Whether a noun names people ("victim", "officers", "people")."""
    lemma = noun.lemma_.lower()
    return lemma in number_words().person_nouns or nominal_words().types.get(lemma) == "Person"


def _unit(noun: Token | None) -> str | None:
    if noun is None:
        return None
    words = number_words()
    if noun.lower_ in words.person_nouns or noun.lemma_.lower() in words.person_nouns:
        return "person"
    return noun.lemma_.lower()


def _owner(ctx: Context, root: Token, noun: Token | None) -> Mention | None:
    if noun is not None and noun.dep_ == "pobj" and noun.head.head.pos_ == "NOUN" and not _collective(noun):
        # in a phrase on a noun: "a firm with 200 staff" is the firm's; "despite the arrival of
        # 5,000 tourists" the tourists', not the clause subject's; "a town of 4,000 people" the town's
        on = noun.head.head
        described = ctx.entity_at(on.head) if on.dep_ == "appos" and noun.head.lower_ in ("of", "with") else None
        if described is not None and described.kind != "event":
            return described  # "Castaignede, a veteran of 43 caps": the apposition says it of him
        if noun.head.lower_ == "with":
            return event_at(ctx, on) or thing_at(ctx, on)
        if noun.head.lower_ != "of" or ctx.entity_at(on) is None:  # "a town of 4,000 people": the town's
            return event_at(ctx, noun) or event_at(ctx, on) or thing_at(ctx, noun)
    if (
        noun is not None
        and noun.dep_ == "dobj"
        and noun.head.pos_ in ("VERB", "AUX")
        and noun.head.lemma_.lower() not in number_words().possession_verbs
    ):
        return event_at(ctx, noun) or event_at(ctx, noun.head) or thing_at(ctx, noun)  # "cut 2,000 jobs"
    if (
        noun is not None
        and noun.dep_ in ("nsubj", "nsubjpass")
        and noun.head.lemma_ in attribution_words().reporting_verbs
    ):
        return thing_at(ctx, noun)  # "two sources told Reuters": the sources are what is counted
    if noun is None and _collective(root):
        return thing_at(ctx, root.head.head)  # "a congregation of 2,000"
    if noun is not None and _collective(noun):
        return thing_at(ctx, noun.head.head)  # "a series of 12 reissues": the series'
    phrase = noun if noun is not None else root
    found = owner_of(ctx, phrase) or _event_near(ctx, phrase)
    if found is not None:
        return found
    if noun is not None:
        return thing_at(ctx, noun)
    return None


def _event_near(ctx: Context, phrase: Token) -> Mention | None:
    """An event two steps at most from the verb the counted phrase hangs from: "35 people
    were rescued from the fire"; not "80 firms switched on software to stop net attacks"."""
    verb = phrase.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    children = [c for c in verb.children if c.dep_ not in ("advcl", "xcomp", "ccomp", "conj", "relcl", "parataxis")]
    near = children + [g for c in children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for token in near:
        found = event_at(ctx, token)
        if found is not None and token.i != phrase.i:
            return found
    return None
