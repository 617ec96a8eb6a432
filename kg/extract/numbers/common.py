"""What the number steps share: the amounts of an article's text as spans of its parse,
the words before a number that make it approximate or a bound, the article's dollar."""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extract.context import Context
from kg.extract.data import number_words
from kg.extract.normalize import modifier_words, modifiers
from kg.extract.numbers.scan import Stated, find_money, find_percents, find_times
from kg.model import Quantity, TimeOfDay

__all__ = ["Amount", "amounts", "article_dollar", "irrealis", "taken_tokens", "with_modifiers"]


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum, a percentage or a time of day as a span of the parse, with its values."""

    kind: str  # money | percent | time
    span: Span
    values: tuple[Quantity, ...] = ()
    time: TimeOfDay | None = None


@functools.lru_cache(maxsize=8)
def _scanned(text: str, dollar: str) -> tuple[tuple[str, Stated | tuple[int, int, TimeOfDay]], ...]:
    out: list[tuple[str, Stated | tuple[int, int, TimeOfDay]]] = []
    out += [("money", s) for s in find_money(text, dollar=dollar)]
    out += [("percent", s) for s in find_percents(text)]
    out += [("time", t) for t in find_times(text)]
    return tuple(out)


def amounts(ctx: Context, kind: str) -> Iterator[Amount]:
    """The amounts of ``kind`` in the article, each inside one sentence."""
    doc = ctx.doc
    for found_kind, found in _scanned(ctx.article.text, article_dollar(ctx)):
        if found_kind != kind:
            continue
        start, end = (found.start, found.end) if isinstance(found, Stated) else found[:2]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0 or ctx.sent_of[span.start] != ctx.sent_of[span.end - 1]:
            continue
        if isinstance(found, Stated):
            yield Amount(kind, span, values=found.values)
        else:
            yield Amount(kind, span, time=found[2])


def irrealis(token: Token) -> bool:
    """Whether the number at ``token`` is supposed, wanted, planned or expected rather than
    stated as so: in the complement of a modal ("would have sales of $32bn"), of a
    condition ("if it rose 5%"), of a verb or noun of wanting or planning ("needs to cut
    7,000 jobs", "plans to abolish 162 quangos"), of an infinitive on a noun ("the right to
    buy 30 million shares"), or with a word like "expected" on the number or its noun
    (``numbers.json`` ``irrealis_*``), or of "be to" ("S&N is to invest 2.47bn rupees"). A
    number in the subject of a verb of wanting is not: "16 million people wanted to stay"
    counts people who did want; one in the subject of a modal or a condition is ("168
    bodies would go", "if 5,000 people came")."""
    words = number_words()
    if _starting_level(token):
        return False
    if any(
        c.dep_ in ("relcl", "acl") and c.lemma_.lower() in words.irrealis_heads for c in _phrase_head(token).children
    ):
        return True  # "the 2.5% which the government had predicted"
    node, came = token, None
    while True:
        if any(c.dep_ == "amod" and c.lower_ in words.irrealis_modifiers for c in node.children):
            return True
        subject = came is not None and came.dep_ in ("nsubj", "nsubjpass", "csubj")
        if (
            came is not None
            and not subject
            and node.lemma_.lower() in words.irrealis_heads
            and (node.pos_ == "VERB" or (node.pos_ == "NOUN" and came.dep_ in ("acl", "prep", "relcl")))
        ):
            return True  # not "six new pledges": the counted noun itself
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:  # a modal or a condition holds for the subject too
                if child.dep_ == "aux" and child.lower_ in words.irrealis_modals:
                    return True
                if child.dep_ == "mark" and child.lower_ in words.irrealis_marks:
                    return True
            to = any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children)
            if not subject and to and (node.dep_ == "acl" or (node.dep_ == "xcomp" and node.head.lemma_ == "be")):
                return True  # "the right to buy 30 million shares", "S&N is to invest 2.47bn rupees"
        if node.head.i == node.i or node.dep_ in ("relcl", "parataxis"):
            return False  # "..., where its 35,000 staff are employed": stated whatever the main clause
        if node.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return False  # "we couldn't score and [France] scored two tries": a clause of its own
        node, came = node.head, node


def _phrase_head(token: Token) -> Token:
    """The noun a number modifies ("2,000 jobs" → jobs), else the number."""
    if token.dep_ in ("nummod", "quantmod", "compound", "nmod") and token.head.pos_ == "NOUN":
        return token.head
    return token


def _starting_level(token: Token) -> bool:
    """ "increased from £79.60 to £105.45": the level a change starts from is stated as so,
    whatever the change is wanted or expected."""
    prep = _phrase_head(token).head
    return (
        prep.lower_ == "from"
        and prep.dep_ == "prep"
        and any(c.dep_ == "prep" and c.lower_ == "to" for c in prep.head.children)
    )


def taken_tokens(ctx: Context) -> set[int]:
    """Tokens that belong to a sum, a percentage or a time of day (never counts)."""
    out: set[int] = set()
    for kind in ("money", "percent", "time"):
        for amount in amounts(ctx, kind):
            out.update(range(amount.span.start, amount.span.end))
    return out


def with_modifiers(ctx: Context, span: Span, values: tuple[Quantity, ...]) -> tuple[Quantity, ...]:
    """``values`` as the words before ``span`` qualify them: "about $5m" is approximate,
    "at least 15%" a lower bound; the text is the phrase as written."""
    sentence = ctx.sent_of[span.start]
    first = span.start
    while first > 0 and first > span.start - 4 and ctx.sent_of[first - 1] == sentence:
        first -= 1
    before = ctx.doc[first : span.start]
    n = modifier_words([t.lower_ for t in before])
    if not n:
        return values
    phrase = ctx.doc[span.start - n : span.end]
    _, approximate, bound = modifiers(phrase.text)
    out = []
    for q in values:
        out.append(
            dataclasses.replace(
                q,
                text=phrase.text,
                approximate=q.approximate or approximate,
                bound=q.bound or bound,
            )
        )
    return tuple(out)


def article_dollar(ctx: Context) -> str:
    """The currency of a bare "$": the dollar of the article's most named country when it has
    one of its own (Canada, Australia, ...), else the US dollar."""
    countries = Counter(m.qid or m.name for m in ctx.mentions if m.type == "Country" and m.kind in ("name", "demonym"))
    names = {m.qid or m.name: m.name for m in ctx.mentions if m.type == "Country"}
    if not countries:
        return "USD"
    (top, times), *rest = countries.most_common()
    dollar = number_words().dollar_countries.get(names[top])
    if dollar is None or times < 2 or (rest and rest[0][1] * 2 > times):
        return "USD"  # "$" is the US dollar unless the article is plainly about one of the others
    return dollar
