"""Sums of money and percentages, with what they are of.

"Quarterly profits at TimeWarner jumped 76% to $1.13bn": TimeWarner ``kg:percentage``
76 and ``kg:profit`` 1130000000 USD. A sum takes its role from the noun or verb it
belongs to ("a fine of £1m", "fined £1m" → ``kg:fine``; "sales rose to $2bn" →
``kg:revenue``; ``numbers.json`` ``money_role_nouns`` / ``money_role_verbs``), else it
is ``kg:amount``. What it is of comes from `kg.extract.numbers.owner`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import Context, Found
from kg.extract.data import number_words
from kg.extract.numbers.common import amounts, irrealis, with_modifiers
from kg.extract.numbers.owner import bracketed, event_at, owner_of, thing_at
from kg.extract.steps import step
from kg.model import Mention

__all__ = ["money_role"]

PRICE_VERBS = frozenset({"buy", "sell", "acquire", "purchase"})
"""Verbs whose sum is the price of their object ("bought the club for £5m")."""

ROLE_PATH = frozenset(
    {"pobj", "prep", "appos", "attr", "dobj", "npadvmod", "nummod", "compound", "quantmod", "conj", "nmod", "amod"}
)


@step("numbers.money")
def find_money(ctx: Context, found: Found) -> None:
    previous: tuple[int, str, Mention] | None = None  # end, role and owner of the sum before
    for amount in amounts(ctx, "money"):
        span = amount.span
        root = span.root
        if previous is not None and _converted(ctx, previous[0], span.start):
            _, role, owner = previous  # "$4m (£2.13m)": the same sum in another currency
        else:
            role, noun, verb = money_role(root, skip=range(span.start, span.end))
            found_owner = _owner(ctx, root, noun, verb)
            if found_owner is None:
                continue
            owner = found_owner
        previous = (span.end, role, owner)
        hedged = irrealis(root)
        for value in with_modifiers(ctx, span, amount.values):
            found.relation(owner.id, role, value, anchor=root, extractor="numbers.money", hedged=hedged)


def _converted(ctx: Context, end: int, start: int) -> bool:
    """A sum right after another in brackets, after "or", or after the semicolon of a
    bracket of conversions: the same sum converted."""
    between = [t.text.lower() for t in ctx.doc[end:start]]
    return between in (["("], ["or"], [",", "or"], ["/"], [";"])  # "7.5bn yen ($71.5m; £38.4m)"


@step("numbers.percentages")
def find_percentages(ctx: Context, found: Found) -> None:
    for amount in amounts(ctx, "percent"):
        root = amount.span.root
        share = any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children)  # "50% of the UK": a part of it
        measured = (
            root.head if root.dep_ in ("compound", "nmod", "amod", "nummod") and root.head.pos_ == "NOUN" else None
        )
        owner: Mention | None
        if measured is not None and not share:  # "a 9% increase", "a 5% stake": the increase's, the stake's
            owner = bracketed(ctx, amount.span) or event_at(ctx, measured) or thing_at(ctx, measured)
        elif share:
            owner = bracketed(ctx, amount.span) or _share_phrase(ctx, amount.span)
        else:
            owner = bracketed(ctx, amount.span) or owner_of(ctx, root) or _subject_thing(ctx, root)
            if owner is None:
                continue  # "The remaining 33% said ...": nothing but the figure itself to state it of
        hedged = irrealis(root)
        for value in with_modifiers(ctx, amount.span, amount.values):
            found.relation(owner.id, "percentage", value, anchor=root, extractor="numbers.percentage", hedged=hedged)


def money_role(root: Token, *, skip: range = range(0)) -> tuple[str, Token | None, Token | None]:
    """The property of a sum (``price``, ``cost``, ``revenue``, ``profit``, ``fine`` or
    ``amount``), the noun it is the value of and the verb it hangs from, if any; ``skip``
    are the tokens of the sum itself."""
    words = number_words()
    node = root
    verb = noun = None
    for _ in range(7):
        if node.i != root.i and node.i not in skip and node.pos_ == "NOUN" and node.ent_type_ != "DATE":
            # a period is never what a sum is of: "a loss for [the three months] to December of 7.5bn yen"
            if node.lemma_.lower() in words.money_role_nouns:
                return words.money_role_nouns[node.lemma_.lower()], node, verb
            if node.lemma_.lower() not in words.measure_nouns:  # "worth a record £1,152m": not the record's
                noun = noun or node
        if node.pos_ in ("VERB", "AUX"):
            verb = node
            lemma = node.lemma_.lower()
            if lemma in words.money_role_verbs:
                return words.money_role_verbs[lemma], None, node
            for child in node.children:  # "profits jumped to $1.13bn"
                if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in words.money_role_nouns:
                    return words.money_role_nouns[child.lemma_.lower()], child, node
            return "amount", noun, node
        if node.dep_ not in ROLE_PATH or node.head.i == node.i:
            break
        node = node.head
    return "amount", noun, verb  # "a $5m deal", "damages of $74,500"


def _owner(ctx: Context, root: Token, noun: Token | None, verb: Token | None) -> Mention | None:
    lemma = verb.lemma_.lower() if verb is not None else ""
    if verb is not None and (lemma in PRICE_VERBS or number_words().money_role_verbs.get(lemma) == "fine"):
        for child in verb.children:  # "bought the club for £5m": the club's price; "fined X £1m": X's fine
            if (
                child.dep_ in ("dobj", "dative")
                and not child.like_num
                and child.i not in range(root.left_edge.i, root.i + 1)
            ):
                return thing_at(ctx, child)
    if noun is not None and noun.lemma_.lower() in number_words().money_role_nouns:
        return owner_of(ctx, noun) or thing_at(ctx, noun)  # "profits at TimeWarner", else "profits"
    if noun is not None:
        return event_at(ctx, noun) or thing_at(ctx, noun)  # "a $5m deal": the deal
    return owner_of(ctx, root) or _subject_thing(ctx, root)


def _share_phrase(ctx: Context, span: Span) -> Mention:
    """The percentage phrase itself when nothing else says what it is of: "50% of those
    questioned", "36%"."""
    end = span.end
    for child in span.root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                end = max(end, max(t.i for t in pobj.subtree) + 1)
    doc = span.doc
    cut = next((t.i for t in doc[span.end : end] if t.is_punct or t.tag_ == "WDT"), end)
    if cut < end:  # a clause the cut falls in goes whole: "54% of firms [calling it a "threat"]"
        broken = [t.left_edge.i for t in doc[span.end : cut] if t.dep_ in ("relcl", "acl") and t.right_edge.i >= cut]
        cut = min([cut, *broken])
    end = cut  # "48% of the group, which is worth $17bn": "48% of the group"
    mention_id = ctx.add_mention(span.start, end, span.root, type="Entity", kind="nominal",
                                 name=ctx.doc[span.start : end].text)  # fmt: skip
    return ctx.mentions[mention_id]


def _subject_thing(ctx: Context, root: Token) -> Mention | None:
    """What a number in a clause is of when no mention says: the noun subject of its verb
    ("Profits jumped 76%"), the noun it is a share of ("19% of voters"), or the noun it
    modifies ("a 5% stake")."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                return thing_at(ctx, pobj)
    node = root
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN"):
            return ctx.entity_at(head) or thing_at(ctx, head)  # "net users, 36%, ..."
        if head.pos_ in ("VERB", "AUX"):
            if node.dep_ in ("nsubj", "nsubjpass"):
                return None
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.pos_ in ("NOUN", "PROPN") and not subject.like_num:
                return thing_at(ctx, subject)
            return None
        if head.pos_ == "NOUN" and node.dep_ in ("compound", "nmod", "amod", "nummod"):
            return thing_at(ctx, head)
        node = head
    return None
