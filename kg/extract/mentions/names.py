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
from kg.extract.data import mention_words, nominal_words, role_words
from kg.extract.gazetteer import country_table
from kg.extract.mentions.spans import entity_spans, title_heads
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
    """Drop leading determiners, a leading "ex-" ("Ex-BBC chat show host": the BBC), a
    bracket left open ("Commission on Religious Freedom (USCIRF": the commission), and
    trailing possessives and punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    opened = [t.i for t in span if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1] : end]):
        end = opened[-1]
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    if end - start > 2 and doc[start].lower_ == "ex" and doc[start + 1].text == "-" and not doc[start].whitespace_:
        start += 2
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
    if root.dep_ == "pobj" and head.lower_ in ("of", "in", "near") and head.head.pos_ == "NOUN":
        found = types.get(head.head.lemma_.lower())
        if found and ontology.is_place(found):
            return found if head.lower_ == "of" else "Place"  # "the city of X"; "a military base in X"
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
    out = _party_names(ctx, claimed)
    out += _organisation_names(ctx, claimed)
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


PARTY_SPAN_LABELS = frozenset({"ORG", "NORP", "PERSON"})
"""NER labels a party word may carry alone or at the start of a span ("[Lib Dem] leader", "[Tory] Michael Howard")."""


def _party_names(ctx: Context, claimed: set[int]) -> list[Candidate]:
    """Parties named by a word of their own ("Labour MP", "the Tories", "Lib Dem leader"),
    capitalised, longest first; not a word inside a longer name ("International Labour
    Organisation", "Democratic Republic of Congo", "Republican Guard")."""
    parties = mention_words().party_names
    doc = ctx.doc
    lower = [t.lower_ for t in ctx.tokens]
    capital = [t.text[:1].isupper() or t.is_upper for t in ctx.tokens]
    out: list[Candidate] = []
    i = 0
    while i < len(doc):
        found = next(
            (
                n
                for n in (3, 2, 1)
                if i + n <= len(doc) and " ".join(lower[i : i + n]) in parties and all(capital[i : i + n])
            ),
            0,
        )
        if not found or not _party_here(doc[i : i + found]):
            i += 1
            continue
        span = doc[i : i + found]
        name = parties[" ".join(t.lower_ for t in span)]
        out.append((span.start, span.end, span.root, {"type": "Organization", "kind": "name", "name": name}))
        claimed.update(range(span.start, span.end))
        i += found
    return out


def _party_here(span: Span) -> bool:
    """Whether a party word stands for the party here, not inside another name."""
    doc = span.doc
    first, last = span[0], span[-1]
    ent = next((e for e in doc.ents if e.start <= first.i < e.end), None)
    longer = ent is not None and ((ent.start < first.i and doc[ent.start].lower_ != "the") or ent.end > last.i + 1)
    if ent is not None and longer and not (ent.label_ == "PERSON" and ent.start == first.i):
        # inside a longer name ("International Labour Organisation", "the Republican Guard"),
        # unless a person's name follows the party word in one span ("[Tory] Michael Howard")
        return False
    if ent is not None and ent.label_ not in PARTY_SPAN_LABELS:
        return False
    following = doc[last.i + 1] if last.i + 1 < len(doc) else None
    previous = doc[first.i - 1] if first.i > 0 else None
    if previous is not None and previous.tag_ in ("NNP", "NNPS") and not previous.is_sent_start:
        return False  # "Christian Democrats", "Social Democrat"
    if first.is_sent_start and ent is None:
        # "Conservative estimates put ...": at the start of a sentence, only a word that acts as a party
        return following is not None and (
            following.tag_ in ("VBZ", "VBD", "POS", "MD")
            or following.ent_type_ == "PERSON"
            or following.lower_ in title_heads()
        )
    return True


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
    for ent, override in entity_spans(ctx):
        label = ent.label_
        if len(ent) == 1 and surnames.get(ent.text, ent.start) < ent.start and country_table().lookup(ent.text) is None:
            label = "PERSON"  # "Giuseppe Rossi ... Rossi, 63," with "Rossi" taken for a place
        if label not in words.ner_types and label != "NORP" and label not in words.retypable:
            continue
        span = _trim(ent)
        if span is not None and label == "PERSON":
            span = _untitled(span, claimed)
        if span is None or any(i in claimed for i in range(span.start, span.end)) or _title_part(span, label):
            continue
        if span.text.lower().replace(" ", "") in words.not_names or _post_nominal(span):
            continue
        attrs = _name_attributes(span, label, override)
        if attrs is None:
            continue
        attrs["ner"] = label
        out.append((span.start, span.end, span.root, attrs))
        claimed.update(range(span.start, span.end))
    return out


def _post_nominal(span: Span) -> bool:
    """A degree or honour after a person's name and a comma ("Jane Roe, M.D."), which the
    NER takes for an organisation or a place."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != "," or doc[span.start - 2].ent_type_ != "PERSON":
        return False
    return span.text.lower().replace(".", "").replace(" ", "") in mention_words().post_nominals


def _untitled(span: Span, claimed: set[int]) -> Span | None:
    """A person's name without the party word or title the NER took into it: "[Tory]
    Michael Howard", "[Crown Prince] Abdullah", "[Shadow Home Secretary] David Davis"."""
    doc = span.doc
    start = span.start
    while start < span.end and start in claimed:
        start += 1
    words = role_words()
    heads = title_heads()
    title_end = start
    for i in range(start, span.end - 1):
        lower = doc[i].lower_
        if lower in words.name_titles:
            break
        if lower in heads or doc[i].lemma_.lower() in heads or (lower.endswith("s") and lower[:-1] in heads):
            title_end = i + 1
        elif lower not in words.title_words and lower not in words.title_modifiers:
            break
    start = title_end
    return doc[start : span.end] if start < span.end else None


def _title_part(span: Span, label: str) -> bool:
    """An organisation or person span that is the start of a title, not a name: "[Shadow
    Home] Secretary", "[Education] Secretary", "[Lifelong Learning] Minister"."""
    doc = span.doc
    if label not in ("ORG", "PERSON") or span.end >= len(doc):
        return False
    following = doc[span.end]
    words = role_words()
    if following.lower_ not in title_heads() and following.lower_ not in words.title_words:
        return False
    qualifiers = words.title_words | words.title_modifiers | words.title_qualifiers
    return all(t.lower_ in qualifiers for t in span)


def _name_attributes(span: Span, label: str, override: str | None) -> dict[str, object] | None:
    """Type, kind and name of an entity span: a country, a demonym, or a name of its NER
    class corrected by its context; ``None`` when it names nothing `kg` keeps."""
    table = country_table()
    text = span.text
    country = table.lookup(text)
    if country is not None and _names_a_contest(span):
        return None  # "the US Open champion": a tournament's name, not the country
    if country is not None:
        return {"type": "Country", "kind": "name", "name": country.label, "qid": country.qid}
    if label == "NORP" or (label in ("PERSON", "ORG") and table.demonym(text)):
        demonym = table.demonym(text)  # NER sometimes tags "Tajik" as a PERSON
        if demonym is None:
            return None
        plural = span.root.tag_ in ("NNS", "NNPS")  # "most Britons": people, not their country's
        return {"type": "Country", "kind": "demonym", "name": demonym.label, "qid": demonym.qid, "plural": plural}
    etype = _entity_type(span, mention_words().ner_types.get(label))
    if etype is None:
        return None
    if etype == "Person" and len(span) == 1 and span.root.lower_ in nominal_words().classes["Organization"]:
        return None  # "Justice [Department] spokeswoman": the NER's person is an organisation's head noun
    if etype == "Organization" and _someones_title(span):
        return None  # "Mike Eccleshall, the venue's Promotions Coordinator": a title, no organisation
    return {"type": etype, "kind": "name", "name": override or clean_name(text)}


def _someones_title(span: Span) -> bool:
    """A capitalised title the NER took for an organisation: it ends in a role word and is
    someone's ("the venue's Promotions Coordinator") or said of a person beside it."""
    if span[-1].lower_ not in role_words().roles:
        return False
    root = span.root
    possessed = any(c.dep_ == "poss" for c in root.children) or (
        span.start > 0 and span.doc[span.start - 1].tag_ == "POS"
    )
    return possessed or (root.dep_ == "appos" and root.head.ent_type_ == "PERSON")


def _names_a_contest(span: Span) -> bool:
    """A country's name that begins a contest's: "US Open", "Australian Masters"."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    return after is not None and after.text[:1].isupper() and after.lower_ in mention_words().contest_heads


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
        if country is not None and _names_a_contest(ctx.doc[token.i : token.i + 1]):
            continue
        attrs: dict[str, object]
        if country is not None:
            attrs = {"type": "Country", "kind": "name", "name": country.label, "qid": country.qid}
        else:
            attrs = {"type": "Organization", "kind": "name", "name": token.text}
        out.append((token.i, token.i + 1, token, attrs))
    return out


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
    for token in ctx.tokens:
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
        and token.lower_ not in title_heads()  # "DJ", "CEO", "MP": a title, not an organisation
        and not _post_nominal(token.doc[token.i : token.i + 1])
    )
