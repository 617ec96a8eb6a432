"""NER entity spans with their boundaries repaired, before they become name mentions
(`kg.extract.mentions.names`): a place and its kind ("Kerman [Province]"), plural kinds
over a coordination, a country before an organisation's name, titles and honorifics the
NER split from a person's name.
"""

from __future__ import annotations

import functools
import itertools

from spacy.tokens import Span, Token

from kg.extract.context import Context
from kg.extract.data import mention_words, nominal_words, role_words
from kg.extract.gazetteer import country_table
from kg.text import WEEKDAYS

__all__ = ["entity_spans", "title_heads"]

PLACE_LABELS = ("GPE", "LOC")
LISTED_LABELS = ("GPE", "LOC", "ORG")
"""NER labels of the names a plural kind distributes over ("Los Angeles, [Orange] and
San Bernardino Counties": the NER often takes a county for an organisation)."""


@functools.cache
def title_heads() -> frozenset[str]:
    """The last words of role phrases and titles ("secretary", "spokesman")."""
    words = role_words()
    return frozenset(p.split()[-1] for p in (*words.roles, *words.titles))


def entity_spans(ctx: Context) -> list[tuple[Span, str | None]]:
    """NER entities with boundary repairs, each with a name when it differs from its text.

    - A place followed by its kind: "San Bernardino [County]", "Kerman [Province]"; a
      plural kind distributes over a coordination: "Los Angeles, Orange and San
      Bernardino Counties" names three counties. "Ohio [State]" names an organisation (a
      university, its teams).
    - A country or place directly before an organisation name is part of it: "[U.S.]
      [Department of Education]" is one organisation; not in the possessive ("[South
      Korea's] [Hyundai Motor]").
    - One entity over a list of names is one entity per name: "[Hulu, Apple TV]".
    """
    doc = ctx.doc
    ents = [part for ent in doc.ents for listed in _listed(ent) for part in _two_names(listed)]
    out: list[tuple[Span, str | None]] = []
    renamed: dict[int, str] = {}  # ent start -> name, for conjuncts of a plural kind
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (
            ent.label_ in ("GPE", "LOC")
            and nxt is not None
            and nxt.label_ == "ORG"
            and nxt.start == ent.end
            and doc[ent.end - 1].tag_ != "POS"  # "[South Korea's] [Hyundai Motor]" is the country's firm
        ):
            out.append((Span(doc, ent.start, nxt.end, label="ORG"), None))
            i += 2
            continue
        if _weekday_title(ent, nxt):
            assert nxt is not None
            out.append((Span(doc, ent.start, nxt.end, label="ORG"), None))  # "[Sunday] [Telegraph]"
            i += 2
            continue
        if (
            nxt is not None
            and ent.label_ == nxt.label_ == "PERSON"
            and nxt.start == ent.end
            and doc[ent.end - 1].lower_ in role_words().name_titles
        ):
            out.append((Span(doc, ent.start, nxt.end, label="PERSON"), None))  # "[Treasurer Lord] [Ashcroft]"
            i += 2
            continue
        if nxt is not None and _possessive_institution(ent, nxt):
            out.append((Span(doc, ent.start, nxt.end, label=nxt.label_), None))
            i += 2
            continue
        step_over = _plural_kind(ents, i, out, renamed) or _kind_after(ents, i, out, renamed)
        if step_over:
            i += step_over
            continue
        out += [(part, None) for part in _titled_person(ent)]
        i += 1
    return [
        (
            span
            if span.start not in renamed or span.label_ in PLACE_LABELS
            else Span(doc, span.start, span.end, "GPE"),
            renamed.get(span.start, name),
        )
        for span, name in out
    ]


def _listed(ent: Span) -> list[Span]:
    """ "[Hulu, Apple TV]", "[Orange, Riverside]": an organisation or place entity whose
    words are proper names separated by commas is a list of names, one entity each."""
    doc = ent.doc
    commas = [t.i for t in ent if t.text == ","]
    if ent.label_ not in ("ORG", "GPE", "LOC", "FAC") or not commas:
        return [ent]
    bounds = [ent.start, *commas, ent.end]
    parts = [(a + (a != ent.start), b) for a, b in itertools.pairwise(bounds)]
    if any(b <= a or not all(doc[i].tag_ in ("NNP", "NNPS") for i in range(a, b)) for a, b in parts):
        return [ent]
    return [Span(doc, a, b, label=ent.label_) for a, b in parts]


def _two_names(ent: Span) -> list[Span]:
    """ "[Amnesty International and Liberty]", "[Everton and Arsenal]": an organisation
    entity that coordinates two names (the word after "and" is a conjunct of the entity's
    head) one of which the article names on its own elsewhere is two entities; not "the
    Securities and Exchange Commission" (the coordination is of modifiers of
    "Commission"), "the Department of Trade and Industry" (of the object of "of") or
    "Bride and Prejudice" (neither name stands alone)."""
    if ent.label_ != "ORG":
        return [ent]
    doc = ent.doc
    root = ent.root
    for token in ent:
        if token.lower_ != "and" or token.i in (ent.start, ent.end - 1):
            continue
        conj = next((c for c in root.children if c.dep_ == "conj" and token.i < c.i < ent.end), None)
        first, second = doc[ent.start : token.i], doc[token.i + 1 : ent.end]
        if conj is None or not root.i < token.i or not _proper(first) or not _proper(second):
            return [ent]
        alone = {_bare(e.text) for e in doc.ents if e.start != ent.start}
        if not {_bare(first.text), _bare(second.text)} & alone:
            return [ent]
        return [Span(doc, first.start, first.end, label="ORG"), Span(doc, second.start, second.end, label="ORG")]
    return [ent]


def _bare(name: str) -> str:
    return name.removeprefix("the ").removeprefix("The ")


def _proper(span: Span) -> bool:
    """Words that can be a name: a capitalised word after any article, and no comma."""
    words = [t for t in span if t.lower_ != "the"]
    return bool(words) and words[0].text[:1].isupper() and not any(t.text == "," for t in span)


def _titled_person(ent: Span) -> list[Span]:
    """ "[United States Representative Elijah Cummings]" tagged as one organisation: the
    name after a title word is a person's, the words before the title a place or an
    organisation of their own; the title itself is left to the title step."""
    if ent.label_ not in ("ORG", "GPE", "NORP"):
        return [ent]
    doc = ent.doc
    heads = title_heads()
    for i in range(ent.end - 2, ent.start - 1, -1):
        rest = doc[i + 1 : ent.end]
        if doc[i].lower_ in heads and doc[i].text[:1].isupper() and 1 <= len(rest) <= 4:
            if not all(t.tag_ == "NNP" and t.text[:1].isupper() for t in rest):
                return [ent]
            out = [Span(doc, i + 1, ent.end, label="PERSON")]
            before = i
            while before > ent.start and doc[before - 1].lower_ in role_words().title_words | heads:
                before -= 1
            if before > ent.start:
                label = "GPE" if country_table().lookup(doc[ent.start : before].text) else "ORG"
                out.insert(0, Span(doc, ent.start, before, label=label))
            return out
    return [ent]


def _weekday_title(ent: Span, nxt: Span | None) -> bool:
    """ "the [Sunday] [Telegraph]": a capitalised weekday the NER took for a date, right
    before an organisation's name and after "the", is the first word of the name."""
    doc = ent.doc
    return (
        nxt is not None
        and ent.label_ == "DATE"
        and len(ent) == 1
        and ent[0].lower_ in WEEKDAYS
        and ent[0].text[:1].isupper()
        and nxt.label_ == "ORG"
        and nxt.start == ent.end
        and ent.start > 0
        and doc[ent.start - 1].lower_ == "the"
    )


def _possessive_institution(ent: Span, nxt: Span) -> bool:
    """ "[St Egwin's] [Middle School]", "[Guy's] [Hospital]": a name in the possessive
    right before an institution's name is part of it (the NER splits them)."""
    doc = ent.doc
    end = ent.end
    if end < len(doc) and doc[end].tag_ == "POS" and nxt.start == end + 1:
        end += 1
    if doc[end - 1].tag_ != "POS" or nxt.start != end:
        return False
    if ent.label_ not in ("PERSON", "ORG") or nxt.label_ not in ("ORG", "FAC"):
        return False
    return nominal_words().types.get(nxt[-1].lemma_.lower()) == "Facility"


def _plural_kind(ents: list[Span], i: int, out: list[tuple[Span, str | None]], renamed: dict[int, str]) -> int:
    """ "Los Angeles, Orange and San Bernardino Counties": a place span that ends in a
    plural kind names one of that kind, and so does each place coordinated with it."""
    ent = ents[i]
    doc = ent.doc
    last = doc[ent.end - 1]
    suffixes = mention_words().place_suffixes
    if not (ent.label_ in ("GPE", "LOC") and len(ent) > 1 and last.lower_ in suffixes and last.lower_.endswith("s")):
        return 0
    for other in ents[:i]:
        if other.label_ in LISTED_LABELS and _coordinated(other.root, ent.root):
            renamed[other.start] = f"{other.text} {_singular(last)}"
    singular = f"{doc[ent.start : ent.end - 1].text} {_singular(last)}"
    out.append((ent, singular))
    return 1


def _kind_after(ents: list[Span], i: int, out: list[tuple[Span, str | None]], renamed: dict[int, str]) -> int:
    """A place followed by its kind ("Kerman [Province]") takes it into its span; "Ohio
    [State]" is an organisation. Returns how many entities were used, 0 for none."""
    ent = ents[i]
    doc = ent.doc
    nxt = ents[i + 1] if i + 1 < len(ents) else None
    following = doc[ent.end] if ent.end < len(doc) else None
    suffixes = mention_words().place_suffixes
    suffix_is_entity = nxt is not None and nxt.start == ent.end and len(nxt) == 1  # NER tagged "Counties" alone
    if not (
        ent.label_ in ("GPE", "LOC")
        and following is not None
        and following.text[:1].isupper()
        and (not following.ent_type_ or (suffix_is_entity and following.lower_ in suffixes))
    ):
        return 0
    kind = following.lower_
    if kind in suffixes:
        plural = kind.endswith("s")
        name = f"{ent.text} {_singular(following)}" if plural else None
        out.append((Span(doc, ent.start, ent.end + 1, label=ent.label_), name))
        if plural:
            singular = _singular(following)
            for other in ents[: i + (1 if suffix_is_entity else 0)]:
                if other.label_ in LISTED_LABELS and _coordinated(other.root, ent.root):
                    renamed[other.start] = f"{other.text} {singular}"
        return 2 if suffix_is_entity else 1
    if kind == "state":
        out.append((Span(doc, ent.start, ent.end + 1, label="ORG"), None))
        return 1
    return 0


def _singular(kind: Token) -> str:
    """ "Counties" → "County": the kind of each place of a plural (spaCy leaves a proper
    noun's plural as its lemma)."""
    word = kind.lower_
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "sses", "xes")):
        word = word[:-2]
    elif word.endswith("s"):
        word = word[:-1]
    return word.capitalize()


def _coordinated(a: Token, b: Token) -> bool:
    """Whether two tokens are conjuncts of one coordination ("X, Y and Z Counties")."""

    def chain(t: Token) -> set[int]:
        seen = {t.i}
        while t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
            seen.add(t.i)
        return seen

    return bool(chain(a) & chain(b)) or b.i in {c.i for c in a.subtree} or a.i in {c.i for c in b.subtree}
