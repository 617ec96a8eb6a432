"""Named mentions: NER entities with their boundaries repaired, countries and demonyms,
organisation names before a naming head, acronyms.

spaCy's NER is the starting point; the package's country table makes "Iran" a Country
and "Tajikistani" a demonym of Tajikistan; "The [Islamic State] group" is an
organisation named by its head; the type named by an appositive ("Shahcheragh, a
funerary monument") or a copula ("Leonessa is a town") corrects what the small model
mistypes.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg import ontology
from kg.extract.context import Context, Found
from kg.extract.data import mention_words, nominal_words
from kg.extract.gazetteer import country_table
from kg.extract.steps import step
from kg.text import clean_name

__all__ = ["naming_head"]

Candidate = tuple[int, int, Token, dict[str, object]]


@step("mentions.names")
def find_names(ctx: Context, found: Found) -> None:
    """Name mentions, in text order; a span overlapping an earlier one is left out."""
    taken: set[int] = set()
    for start, end, head, attrs in sorted(_candidates(ctx), key=lambda s: s[0]):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        mention_id = ctx.add_mention(start, end, head, **attrs)
        head_noun = naming_head(ctx.doc[start:end])
        if head_noun is not None:
            # "The Islamic State group": the head noun stands for the named organisation
            ctx.index.also_headed_by(head_noun, mention_id)
            taken.add(head_noun.i)


def _trim(span: Span) -> Span | None:
    """Drop leading determiners and trailing possessives and punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _appos_type(span: Span) -> str | None:
    """The class named by an appositive or "the city of X" construction, if any."""
    types = nominal_words().types
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            found = types.get(child.lemma_.lower())
            if found:
                return found
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        found = types.get(head.head.lemma_.lower())
        if found and ontology.is_place(found):
            return found
    if root.dep_ == "appos" and head.pos_ == "NOUN":
        found = types.get(head.lemma_.lower())
        if found:
            return found
    if root.dep_ == "compound" and head.pos_ == "NOUN" and head.i == span.end:  # "the Lazio region"
        found = types.get(head.lemma_.lower())
        if found and ontology.is_place(found) and found != "Facility":
            return found
    if root.dep_ == "nsubj" and head.lemma_ == "be":  # "Leonessa is a town in ..."
        attr = next((c for c in head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        if attr is not None:
            return types.get(attr.lemma_.lower())
    return None


def _candidates(ctx: Context) -> list[Candidate]:
    """Candidate name spans: organisation names before a naming head, NER entities, acronyms."""
    claimed: set[int] = set()
    out = _organisation_names(ctx, claimed)
    out += _entity_names(ctx, claimed)
    out += _acronyms(ctx, claimed)
    out += _surnames(ctx, claimed, out)
    return out


def _surname_starts(ctx: Context) -> dict[str, int]:
    """The last words of the people the NER names in full, with where each is first named."""
    out: dict[str, int] = {}
    for ent in ctx.doc.ents:
        if ent.label_ == "PERSON" and len(ent) >= 2 and ent[-1].pos_ == "PROPN":
            out.setdefault(ent[-1].text, ent.start)
    return out


def _surnames(ctx: Context, claimed: set[int], named: list[Candidate]) -> list[Candidate]:
    """A surname alone that the NER missed, after the article named the full person
    ("Giuseppe Rossi ... Rossi, 63, was arrested"): a proper noun standing alone whose
    text is the last word of a person named before it."""
    people: dict[str, int] = {}
    for start, end, _, attrs in named:
        if attrs.get("type") == "Person" and end - start >= 2:
            people.setdefault(ctx.doc[end - 1].text, start)
    out: list[Candidate] = []
    for token in ctx.tokens:
        first = people.get(token.text)
        if first is None or token.i <= first or token.i in claimed or token.pos_ != "PROPN":
            continue
        if token.dep_ == "compound" or any(c.dep_ == "compound" for c in token.children):
            continue  # part of a longer name ("Rossi Group")
        out.append((token.i, token.i + 1, token, {"type": "Person", "kind": "name", "name": token.text}))
        claimed.add(token.i)
    return out


def _organisation_names(ctx: Context, claimed: set[int]) -> list[Candidate]:
    out: list[Candidate] = []
    for start, end, head in [*_org_names(ctx), *_norp_names(ctx)]:
        if any(i in claimed for i in range(start, end)):
            continue
        claimed.update(range(start, end))
        name = ctx.doc[start:end].text
        out.append((start, end, head, {"type": "Organization", "kind": "name", "name": name}))
    return out


def _entity_names(ctx: Context, claimed: set[int]) -> list[Candidate]:
    words = mention_words()
    out: list[Candidate] = []
    surnames = _surname_starts(ctx)
    for ent, override in _entity_spans(ctx):
        label = ent.label_
        if len(ent) == 1 and surnames.get(ent.text, ent.start) < ent.start and country_table().lookup(ent.text) is None:
            label = "PERSON"  # "Giuseppe Rossi ... Rossi, 63," with "Rossi" taken for a place
        if label not in words.ner_types and label != "NORP" and label not in words.retypable:
            continue
        span = _trim(ent)
        if span is None or any(i in claimed for i in range(span.start, span.end)):
            continue
        if span.text.lower().replace(" ", "") in words.not_names:
            continue
        attrs = _name_attributes(span, label, override)
        if attrs is None:
            continue
        attrs["ner"] = label
        out.append((span.start, span.end, span.root, attrs))
        claimed.update(range(span.start, span.end))
    return out


def _name_attributes(span: Span, label: str, override: str | None) -> dict[str, object] | None:
    """Type, kind and name of an entity span: a country, a demonym, or a name of its NER
    class corrected by its context; ``None`` when it names nothing `kg` keeps."""
    table = country_table()
    text = span.text
    country = table.lookup(text)
    if country is not None:
        return {"type": "Country", "kind": "name", "name": country.label, "qid": country.qid}
    if label == "NORP" or (label in ("PERSON", "ORG") and table.demonym(text)):
        demonym = table.demonym(text)  # NER sometimes tags "Tajik" as a PERSON
        if demonym is None:
            return None
        return {"type": "Country", "kind": "demonym", "name": demonym.label, "qid": demonym.qid}
    etype = _entity_type(span, mention_words().ner_types.get(label))
    if etype is None:
        return None
    return {"type": etype, "kind": "name", "name": override or clean_name(text)}


def _entity_type(span: Span, etype: str | None) -> str | None:
    """The class of a name: its NER class, unless its context names a better one."""
    refined = _appos_type(span)
    refined_place = refined is not None and ontology.is_place(refined)
    vague = etype in (None, "Place", "Event", "Facility") and (refined_place or refined == "Organization")
    # the small model takes unfamiliar place names for people or organisations
    mistaken = etype in ("Person", "Organization") and refined_place and refined != "Facility"
    if vague or mistaken or (etype == "Organization" and refined == "Facility"):
        etype = refined
    if etype is None:
        return None
    if etype != "Person" and _named_by_head(span):
        return "Organization"
    if etype != "Person" and len(span) > 1 and nominal_words().types.get(span[-1].lemma_.lower()) == "Facility":
        return "Facility"  # "Al Noor Mosque", "Jolo Cathedral", "Fishmongers' Hall"
    return etype


def _acronyms(ctx: Context, claimed: set[int]) -> list[Candidate]:
    table = country_table()
    out: list[Candidate] = []
    for token in ctx.tokens:
        if token.i in claimed or not _is_acronym(token):
            continue
        country = table.lookup(token.text)
        attrs: dict[str, object]
        if country is not None:
            attrs = {"type": "Country", "kind": "name", "name": country.label, "qid": country.qid}
        else:
            attrs = {"type": "Organization", "kind": "name", "name": token.text}
        out.append((token.i, token.i + 1, token, attrs))
    return out


def _entity_spans(ctx: Context) -> list[tuple[Span, str | None]]:
    """NER entities with boundary repairs, each with a name when it differs from its text.

    - A place followed by its kind: "San Bernardino [County]", "Kerman [Province]"; a
      plural kind distributes over a coordination: "Los Angeles, Orange and San
      Bernardino Counties" names three counties. "Ohio [State]" names an organisation (a
      university, its teams).
    - A country or place directly before an organisation name is part of it: "[U.S.]
      [Department of Education]" is one organisation.
    """
    doc = ctx.doc
    ents = list(doc.ents)
    out: list[tuple[Span, str | None]] = []
    renamed: dict[int, str] = {}  # ent start -> name, for conjuncts of a plural kind
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if ent.label_ in ("GPE", "LOC") and nxt is not None and nxt.label_ == "ORG" and nxt.start == ent.end:
            out.append((Span(doc, ent.start, nxt.end, label="ORG"), None))
            i += 2
            continue
        step_over = _plural_kind(ents, i, out, renamed) or _kind_after(ents, i, out, renamed)
        if step_over:
            i += step_over
            continue
        out.append((ent, None))
        i += 1
    return [(span, renamed.get(span.start, name)) for span, name in out]


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
        if other.label_ in ("GPE", "LOC") and _coordinated(other.root, ent.root):
            renamed[other.start] = f"{other.text} {last.lemma_.capitalize()}"
    singular = f"{doc[ent.start : ent.end - 1].text} {last.lemma_.capitalize()}"
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
        out.append((Span(doc, ent.start, ent.end + 1, label=ent.label_), None))
        if kind.endswith("ies") or kind.endswith("s"):
            singular = following.lemma_.capitalize()
            for other in ents[: i + (1 if suffix_is_entity else 0)]:
                if other.label_ in ("GPE", "LOC") and _coordinated(other.root, ent.root):
                    renamed[other.start] = f"{other.text} {singular}"
        return 2 if suffix_is_entity else 1
    if kind == "state":
        out.append((Span(doc, ent.start, ent.end + 1, label="ORG"), None))
        return 1
    return 0


def _coordinated(a: Token, b: Token) -> bool:
    """Whether two tokens are conjuncts of one coordination ("X, Y and Z Counties")."""

    def chain(t: Token) -> set[int]:
        seen = {t.i}
        while t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
            seen.add(t.i)
        return seen

    return bool(chain(a) & chain(b)) or b.i in {c.i for c in a.subtree} or a.i in {c.i for c in b.subtree}


def naming_head(span: Span) -> Token | None:
    """The naming head noun after a name: "[Islamic States] terrorist *group*"."""
    words = mention_words()
    root = span.root
    head = root.head
    if (
        root.dep_ in ("compound", "nmod", "amod")
        and head.i > span.end - 1
        and head.pos_ == "NOUN"
        and head.lemma_.lower() in words.name_heads
        and all(t.lower_ in words.name_head_modifiers for t in span.doc[span.end : head.i])
    ):
        return head
    return None


def _named_by_head(span: Span) -> bool:
    """True when the span names an organisation by its head: "[Islamic States] terrorist group"."""
    return naming_head(span) is not None and country_table().lookup(span.text) is None


def _org_names(ctx: Context) -> list[tuple[int, int, Token]]:
    """Proper-noun runs before a naming head noun: "The [Islamic State] group"."""
    words = mention_words()
    found = []
    doc = ctx.doc
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in words.name_heads:
            continue
        i = token.i - 1
        while i >= 0 and doc[i].lower_ in words.name_head_modifiers:
            i -= 1
        end = i + 1
        while i >= 0 and doc[i].tag_ in ("NNP", "NNPS") and doc[i].head.i >= doc[i].i:
            i -= 1
        start = i + 1
        if start >= end:
            continue
        span = doc[start:end]
        table = country_table()
        if table.lookup(span.text) or table.demonym(span.text):
            continue
        if all(t.ent_type_ in ("GPE", "PERSON") for t in span) and span[0].ent_iob_ == "B":
            continue  # "the Kabul group": a place or person qualifying the head, not a name
        found.append((start, end, span.root))
    return found


def _norp_names(ctx: Context) -> list[tuple[int, int, Token]]:
    """A group adjective the NER split from its name: "[Islamic] State", "[Muslim] Brotherhood"."""
    found = []
    doc = ctx.doc
    table = country_table()
    for ent in doc.ents:
        if ent.label_ != "NORP" or table.demonym(ent.text):
            continue
        end = ent.end
        while end < len(doc) and doc[end].tag_ in ("NNP", "NNPS") and not doc[end].ent_type_:
            end += 1
        if end > ent.end:
            span = doc[ent.start : end]
            found.append((span.start, span.end, span.root))
    return found


def _is_acronym(token: Token) -> bool:
    text = token.text
    return (
        2 <= len(text) <= 6
        and text.isupper()
        and text.isalpha()
        and token.pos_ in ("PROPN", "NOUN")
        and text not in mention_words().acronym_stop
    )
