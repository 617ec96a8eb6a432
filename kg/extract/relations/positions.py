"""Titles and the ties they make: a person's post in an organisation or a state, and the
most specific property the title implies towards it.

"Tory shadow education secretary Tim Collins", "John Smith, the chief executive of Acme",
"Turkey's President Erdogan": the title as written ("shadow education secretary",
"chief executive", "President") becomes a `Position` mention the person holds
(``positionHeld``), at the organisation or state named with it (``positionAt``), and
the role noun gives the property of the person towards an organisation (``leaderOf``,
``spokespersonOf``, ``employer``, ``memberOf``, ...; `kg/extract/lexicons/roles.json`).

What a title means depends on what it is named with:

- an office of a state ("President", "Foreign Minister") beside a party ("Labour
  Chancellor Gordon Brown", "Republican Senator X") makes the person a member of the
  party; the office is not the party's;
- "shadow" makes a party post of a state office ("Tory shadow chancellor"): a position
  at the party and nothing more specific;
- a word of rank below the head ("deputy leader", "vice president"), or a unit named
  before a leading title ("communications chief"), makes a member or an employee of a
  leader;
- a state is only tied to the holder of one of its offices (`RoleWords.state_titles`):
  "a US official" says nothing of a post of the United States.

Used by the title step (`kg.extract.relations.people`) and by the role patterns
(`kg.extract.relations.patterns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.context import Context, Found
from kg.extract.data import mention_words, role_words
from kg.model import Mention

__all__ = [
    "Tie",
    "base",
    "hold",
    "is_party",
    "org_after",
    "party_before",
    "party_letter",
    "role_tokens",
    "tie",
    "title_before",
    "title_of",
]

PARTY_WORDS = frozenset({"party", "parties"})
TITLE_DEPS = frozenset({"compound", "amod", "nmod"})
ORG_PREPS = frozenset({"of", "at", "from", "with"})
PLACES = frozenset({"Country", "AdminRegion", "City", "Place"})
"""Places with offices: states, their provinces and cities ("Turkey's President", "the mayor of London")."""


@dataclass(frozen=True, slots=True)
class Tie:
    """What a title held at an organisation or a state says: the property of the person
    towards it (``None``: none more specific than the post), and whether the post is one
    of it (``position_at``)."""

    property: str | None
    position_at: bool


def role_tokens() -> frozenset[str]:
    """The last words of role phrases and titles: the nouns a title can end in."""
    words = role_words()
    return frozenset(phrase.split()[-1] for phrase in (*words.roles, *words.titles) if " of " not in phrase)


def base(token: Token) -> str:
    """A role word in the singular, lower case: "spokesmen" → "spokesman", "MPs" → "mp"."""
    lemma = token.lemma_.lower()
    if token.tag_ in ("NNS", "NNPS") and lemma == token.lower_ and lemma.endswith("s") and len(lemma) > 3:
        return lemma[:-1]
    if token.text.endswith("s") and token.text[:-1].isupper() and len(token.text) > 2:
        return token.lower_[:-1]  # "MPs", "MEPs"
    return lemma


def _words(title: Sequence[Token]) -> list[str]:
    """The words of a title in lower case, hyphenated words as one, the last one in the
    singular ("Under-Secretary" → ``["under-secretary"]``, "spokesmen" → ``["spokesman"]``)."""
    words = title[0].doc[title[0].i : title[-1].i + 1].text.lower().split()
    if len(title[-1].text) == len(words[-1]):
        words[-1] = base(title[-1])
    return words


def _phrase_role(words: Sequence[str]) -> tuple[str | None, int]:
    """The property of the longest role phrase a title ends in, and how many words it has."""
    roles = role_words().roles
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[-n:])
        if phrase in roles:
            return roles[phrase], n
    last = words[-1].split("-")[-1] if words else ""
    if last in roles:  # "co-chief executive" ends in "executive"; "under-secretary" in nothing more specific
        return roles[last], 1
    return None, 0


def _antecedent(ctx: Context, mention: Mention) -> Mention:
    """What a pronoun stands for, through the chain of its antecedents (itself if none)."""
    seen = set()
    while mention.antecedent is not None and mention.id not in seen:
        seen.add(mention.id)
        mention = ctx.mentions[mention.antecedent]
    return mention


def _named(mention: Mention) -> bool:
    """A name, or a definite description that may stand for one ("the group")."""
    return mention.kind == "name" or (mention.kind == "nominal" and mention.definite)


def is_party(ctx: Context, mention: Mention) -> bool:
    """Whether an organisation mention names a political party ("Labour Party", "Tories", "the party")."""
    mention = _antecedent(ctx, mention)
    name = mention.name.lower().split()
    return bool(PARTY_WORDS & set(name)) or mention.name in mention_words().party_names.values()


def tie(ctx: Context, title: Sequence[Token], at: Mention) -> Tie:
    """What holding ``title`` at ``at`` (an organisation or a state) says of the holder."""
    words = role_words()
    lower = _words(title)
    head = lower[-1]
    prop, length = _phrase_role(lower)
    before = lower[: len(lower) - length]
    if ctx.resolved_type(at) in PLACES:
        # an office of a state, a province or a city; a state named by a demonym qualifies
        # only its offices ("Iranian Foreign Minister"), not what its nationals do ("British actor")
        office = head in words.state_titles or head.split("-")[-1] in words.state_titles
        return Tie(None, office or (at.kind == "name" and prop is not None and head not in words.not_posts))
    party = is_party(ctx, at)
    if party and words.party_posts & set(lower):
        return Tie(None, True)
    if party and head in words.state_offices and "leader" not in lower:
        return Tie("memberOf", False)
    if head in words.seats:
        return Tie(None, False)  # "MP for Hornsey and Wood Green" names a seat, not an organisation
    one_of = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in title[-1].children)  # "a leader of"
    if prop in ("leaderOf", "commanderOf") and (one_of or _below(before, head) or _unit(ctx, title[-1], at)):
        prop = "memberOf" if party else "employer"
    return Tie(prop, head not in words.not_posts)


def _below(before: Sequence[str], head: str) -> bool:
    """A leading title of rank below the head ("deputy leader", "vice-chairman",
    "non-executive director") or of a unit named before it ("communications chief")."""
    subordinate = role_words().subordinate
    parts = [p for w in [*before, head] for p in w.split("-")[:-1] if p] + [w for w in before]
    modifiers = role_words().title_modifiers
    return any(p in subordinate or p == "non" for p in parts) or any(
        w not in modifiers and "-" not in w for w in before
    )


def _unit(ctx: Context, role: Token, at: Mention) -> bool:
    """ "director of commercial planning at BA": the title is of a unit the organisation has."""
    for child in role.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and not (at.start <= pobj.idx < at.end):
                target = ctx.entity_at(pobj)
                if target is None or target.id != at.id:
                    return True
    return False


def title_of(ctx: Context, role: Token) -> list[Token]:
    """The title a role noun ends: the role noun and the words before it that belong to the
    title ("shadow education [secretary]", "chief [executive]", "non-executive
    [director]"), not those that describe the person ("veteran [reporter]"), say when
    ("former"), or name an organisation or a state (the qualifier, `title_before`)."""
    return _title_words(ctx, role, role)


def _title_words(ctx: Context, last: Token, head: Token) -> list[Token]:
    """The title words ending in ``last`` whose heads lie between them and ``head``:
    "Shadow education secretary Tim Collins" hangs every word on the name, "the shadow
    education secretary" on the role noun."""
    words = role_words()
    out = [last]
    i = last.i - 1
    while i >= 0:
        token = ctx.doc[i]
        if token.text == "-" and i > 0 and not ctx.doc[i - 1].whitespace_ and not token.whitespace_:
            if ctx.doc[i - 1].lower_ in words.title_qualifiers:
                break  # "Ex-chat show host": says when, as "former" does
            out[:0] = [ctx.doc[i - 1], token]  # "Under-Secretary", "non-executive", "co-chief"
            i -= 2
            continue
        modifier = token.lower_ in words.title_modifiers and token.lower_ not in words.title_qualifiers
        if modifier and not token.is_sent_start:
            out.insert(0, token)  # "Tory [shadow] local government secretary", whatever the parse made of "shadow"
            i -= 1
            continue
        if token.dep_ not in TITLE_DEPS or token.is_punct or not (head.i >= token.head.i > i):
            break
        inside = ctx.entity_at(token) is None and _in_title(ctx.doc[i - 1] if i else None)
        if _names_holder(ctx, token) and not inside:
            break  # "police spokesman"; but "local government secretary" is one title
        lower = token.lower_
        if lower in words.title_qualifiers or (token.pos_ == "ADJ" and lower not in words.title_modifiers):
            break
        if token.pos_ not in ("NOUN", "PROPN", "ADJ"):
            break
        out.insert(0, token)
        i -= 1
    return out


def _in_title(token: Token | None) -> bool:
    """Whether a word before an organisation noun makes it part of a title ("[local] government secretary")."""
    if token is None or token.dep_ not in TITLE_DEPS:
        return False
    return token.lower_ in role_words().title_modifiers or token.lower_ in role_words().title_words


def _names_holder(ctx: Context, token: Token) -> bool:
    """Whether a word before a title names what the title is of: a name or demonym of an
    organisation or place ("BBC", "Iranian"), or an organisation noun ("police", "party")."""
    mention = ctx.entity_at(token)
    if mention is None:
        return token.pos_ in ("NOUN", "PROPN") and token.lower_ in role_words().holder_nouns
    if mention.type == "Person":
        return False
    return mention.kind in ("name", "demonym") or (mention.kind == "nominal" and mention.type == "Organization")


def title_before(ctx: Context, person: Mention, head: Token) -> tuple[Mention | None, list[Token]]:
    """The title right before a person's name and what qualifies it: "[Tory] [shadow
    education secretary] Tim Collins", "[Turkey's] [President] Erdogan", "[Iranian]
    [Foreign Minister] Javad Zarif". The qualifier is the organisation or state (by name,
    demonym or possessive) the title is of; the title ends in a role noun or title word."""
    span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return None, []
    last = ctx.doc[span.start - 1]
    tokens = role_tokens()
    if last.lower_ not in tokens and base(last) not in tokens and last.lower_.split("-")[-1] not in tokens:
        return None, []
    if last.pos_ not in ("NOUN", "PROPN"):
        return None, []  # "fellow Minnesotan X"
    if last.dep_ not in TITLE_DEPS or not (head.i >= last.head.i >= last.i) or _names_holder(ctx, last):
        return None, []  # "[Wing Commander] X" named as one organisation is no title of one
    title = _title_words(ctx, last, head)
    return _qualifier(ctx, title[0], head), title


def org_after(ctx: Context, head: Token) -> Mention | None:
    """The organisation named after a person's name by "of", "at", "from" or "with"
    ("analyst Nick Bubb of Evolution Securities")."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ORG_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            mention = ctx.entity_at(pobj) if pobj is not None else None
            if mention is not None and mention.kind == "name" and ctx.resolved_type(mention) == "Organization":
                return mention
    return None


def party_before(ctx: Context, person: Mention, head: Token) -> Mention | None:
    """The party named right before a person's name: "Republican Kevin McCarthy", "Tory Ken Clarke"."""
    span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return None
    token = ctx.doc[span.start - 1]
    if token.is_punct or not (head.i >= token.head.i >= token.i):
        return None
    mention = ctx.entity_at(token)
    if mention is None or mention.kind != "name" or mention.type != "Organization" or not is_party(ctx, mention):
        return None
    return mention


def party_letter(ctx: Context, person: Mention) -> tuple[Token, str] | None:
    """The party in the parenthesis after a name, by its letter: "Ocasio-Cortez (D-NY)",
    "Lindsey Graham (R-South Carolina)"; the token and the party's name."""
    span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None or span.end + 3 > len(ctx.doc):
        return None
    paren, letter, dash = ctx.doc[span.end], ctx.doc[span.end + 1], ctx.doc[span.end + 2]
    name = mention_words().party_letters.get(letter.text)
    if paren.text != "(" or dash.text not in ("-", "–") or name is None:
        return None
    return letter, name


def _qualifier(ctx: Context, first: Token, head: Token) -> Mention | None:
    """The organisation or state just before a title: "Tory", "BBC", "Turkey's",
    "Iranian", "the company's [main]", "police"; the words between it and the title
    may say when ("former") or describe the holder ("main", "top")."""
    qualifiers = role_words().title_qualifiers
    i = first.i - 1
    while (
        i >= 0
        and (ctx.doc[i].tag_ == "POS" or ctx.doc[i].lower_ in qualifiers or ctx.doc[i].dep_ == "amod")
        and ctx.entity_at(ctx.doc[i]) is None
    ):
        i -= 1
    if i < 0:
        return None
    token = ctx.doc[i]
    if token.is_punct or token.dep_ in ("cc", "prep", "det"):
        return None
    mention = ctx.entity_at(token)
    if mention is None and _names_holder(ctx, token):  # "police spokesman": the police
        name = token.lemma_.lower()
        mention = ctx.mentions[
            ctx.add_mention(token.i, token.i + 1, token, type="Organization", kind="nominal", name=name, definite=True)
        ]
    if mention is None or mention.kind not in ("name", "demonym", "nominal", "pronoun"):
        return None
    root = ctx.head_token(mention.id)  # "[Bank of England] governor": the name hangs on its head
    if not (head.i >= root.head.i >= first.i or head.i >= token.head.i >= first.i):
        return None
    if ctx.resolved_type(mention) not in ("Organization", "Facility", *PLACES):
        return None
    if mention.kind == "pronoun" and token.dep_ != "poss":
        return None
    return mention  # "its chief executive", "the party's leader", "police spokesman"


def hold(
    ctx: Context,
    found: Found,
    person: int,
    title: Sequence[Token],
    at: Mention | None,
    *,
    anchor: Token,
    extractors: tuple[str, str, str],
    confidence: float | None = None,
) -> None:
    """The person holds ``title`` (at ``at``): the tie to the organisation, the position,
    and where it is, by ``extractors`` (tie, position held, position at)."""
    if at is not None and at.kind == "name" and at.text.islower():
        at = None  # "a volleyball player": a name in lower case is no organisation's
    if at is not None and at.kind == "pronoun" and not _named(_antecedent(ctx, at)):
        at = None  # "its chief executive": only when "its" is an organisation the text names
    result = tie(ctx, title, at) if at is not None else Tie(None, False)
    tie_by, position_by, at_by = extractors
    if result.property is not None and at is not None and ctx.resolved_type(at) in ("Organization", "Facility"):
        found.relation(person, result.property, at.id, anchor=anchor, extractor=tie_by, confidence=confidence)
    if _words(title)[-1] in role_words().not_posts or not _named(_antecedent(ctx, ctx.mentions[person])):
        return  # "officials in Chicago", "three other officials": a tie at most, no post of theirs
    party = _party_of_title(ctx, title, anchor)
    if party is not None and (at is None or party.id != at.id):  # "the Democratic chairman of the committee"
        found.relation(person, "memberOf", party.id, anchor=anchor, extractor="title.party")
    position = _position(ctx, title)
    found.relation(person, "positionHeld", position, anchor=anchor, extractor=position_by, confidence=confidence)
    if at is not None and result.position_at:
        found.relation(position, "positionAt", at.id, anchor=anchor, extractor=at_by, confidence=confidence)


def _party_of_title(ctx: Context, title: Sequence[Token], anchor: Token) -> Mention | None:
    """A party named among the modifiers of a title: "the [Democratic] chairman of ...",
    "incumbent [Republican] US Senator X" (up to three words before the title)."""
    role = title[-1]
    candidates = [c for c in role.children if c.dep_ in ("amod", "compound") and c.i < role.i]
    candidates += [t for t in ctx.doc[max(0, title[0].i - 3) : title[0].i] if anchor.i >= t.head.i >= t.i]
    for token in candidates:
        mention = ctx.entity_at(token)
        if mention is not None and mention.kind == "name" and mention.type == "Organization" and is_party(ctx, mention):
            return mention
    return None


def _position(ctx: Context, title: Sequence[Token]) -> int:
    """The position mention of a title, made once (a title read by two steps is one)."""
    for mention in ctx.covering(title[-1]):
        if mention.type == "Position" and mention.kind == "title":
            return mention.id
    last = title[-1]
    singular = base(last)
    if singular != last.lower_:  # "Labour MPs X and Y": each holds the post of "MP"
        singular = last.text[: len(singular)] if last.lower_.startswith(singular) else singular
    else:
        singular = last.text
    name = ctx.doc[title[0].i : last.i].text_with_ws + singular if len(title) > 1 else singular
    return ctx.add_mention(title[0].i, title[-1].i + 1, title[-1], type="Position", kind="title", name=name)
