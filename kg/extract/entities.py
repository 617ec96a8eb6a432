"""Mentions: named entities, demonyms, nominals ("the bomber") and pronouns.

spaCy's NER is the starting point; lexicons and the parse carry what the small model
misses: countries and demonyms from the package's country table, organisation names
built before a naming head ("The Islamic State group"), acronyms ("IRGC"), types taken
from an appositive ("Shahcheragh, a funerary monument"), and pronoun antecedents from
the clause structure ("the ministry claims that it has arrested").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import Context
from kg.extract.lexicon import country_table, event_lexicon, nominal_lexicon
from kg.model import PLACE_TYPES
from kg.text import clean_name

__all__ = ["find_mentions"]

NER_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Facility",
    "EVENT": "Event",
}
RETYPABLE = frozenset({"PRODUCT", "WORK_OF_ART", "LAW"})
NAME_HEADS = frozenset(
    {"group", "organization", "organisation", "militia", "movement", "party", "network",
     "faction", "front", "brigade", "brigades", "cell", "outfit", "insurgency", "army"}
)  # fmt: skip
MODIFIERS_BEFORE_NAME_HEAD = frozenset(
    {"terrorist", "militant", "jihadist", "extremist", "rebel", "armed", "islamist", "radical",
     "separatist", "insurgent", "paramilitary", "political", "opposition", "banned"}
)  # fmt: skip
ACRONYM_STOP = frozenset(
    {"CEO", "TV", "AM", "PM", "GMT", "UTC", "ID", "OK", "DNA", "GDP", "PhD", "AD", "BC", "II",
     "III", "IV", "VIP", "FAQ", "USD", "EUR", "CCTV", "COVID", "SARS", "HIV", "AIDS", "AK", "RPG",
     "IED", "PS", "NB", "MP", "MPS", "KM", "MM", "KG"}
)  # fmt: skip
NOT_NAMES = frozenset({"a.m.", "p.m.", "am", "pm", "utc", "gmt"})
PRONOUNS = {
    "it": ("sing", False),
    "its": ("sing", False),
    "itself": ("sing", False),
    "they": ("plur", False),
    "them": ("plur", False),
    "their": ("plur", False),
    "he": ("sing", True),
    "him": ("sing", True),
    "his": ("sing", True),
    "she": ("sing", True),
    "her": ("sing", True),
}
PARTITIVE_HEADS = frozenset({"one", "two", "three", "four", "five", "some", "several", "many",
                             "most", "each", "all", "both", "none", "few", "dozens", "hundreds"})  # fmt: skip


def find_mentions(ctx: Context) -> None:
    """Add every entity mention of the article to ``ctx``, in text order per kind."""
    taken: set[int] = set()
    for start, end, head, attrs in sorted(_names(ctx), key=lambda s: s[0]):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        mention_id = ctx.add_mention(start, end, head, **attrs)  # type: ignore[arg-type]
        naming_head = _naming_head(ctx.doc[start:end])
        if naming_head is not None:
            # "The Islamic State group": the head noun stands for the named organisation
            ctx.by_head.setdefault(naming_head.i, mention_id)
            taken.add(naming_head.i)
    _nominals(ctx, taken)
    _pronouns(ctx)


# ---------------------------------------------------------------------------- names


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
    types = nominal_lexicon()["types"]
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            found = types.get(child.lemma_.lower())
            if found:
                return found
    head = root.head
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        found = types.get(head.head.lemma_.lower())
        if found in PLACE_TYPES:
            return found
    if root.dep_ == "appos" and head.pos_ == "NOUN":
        found = types.get(head.lemma_.lower())
        if found:
            return found
    if root.dep_ == "compound" and head.pos_ == "NOUN" and head.i == span.end:  # "the Lazio region"
        found = types.get(head.lemma_.lower())
        if found in PLACE_TYPES - {"Facility"}:
            return found
    if root.dep_ == "nsubj" and head.lemma_ == "be":  # "Leonessa is a town in ..."
        attr = next((c for c in head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        if attr is not None:
            return types.get(attr.lemma_.lower())
    return None


def _names(ctx: Context) -> list[tuple[int, int, Token, dict[str, object]]]:
    """Candidate name spans: NER entities, organisation names before a naming head, acronyms."""
    table = country_table()
    out: list[tuple[int, int, Token, dict[str, object]]] = []
    claimed: set[int] = set()

    for start, end, head in [*_org_names(ctx), *_norp_names(ctx)]:
        if any(i in claimed for i in range(start, end)):
            continue
        claimed.update(range(start, end))
        name = ctx.doc[start:end].text
        out.append((start, end, head, {"type": "Organization", "kind": "name", "name": name}))

    for ent, override in _entity_spans(ctx):
        label = ent.label_
        if label not in NER_TYPES and label != "NORP" and label not in RETYPABLE:
            continue
        span = _trim(ent)
        if span is None or any(i in claimed for i in range(span.start, span.end)):
            continue
        if span.text.lower().replace(" ", "") in NOT_NAMES:
            continue
        text = span.text
        country = table.lookup(text)
        attrs: dict[str, object]
        if country is not None:
            attrs = {"type": "Country", "kind": "name", "name": country.label, "qid": country.qid}
        elif label == "NORP" or (label in ("PERSON", "ORG") and table.demonym(text)):
            demonym = table.demonym(text)  # NER sometimes tags "Tajik" as a PERSON
            if demonym is None:
                continue
            attrs = {
                "type": "Country",
                "kind": "demonym",
                "name": demonym.label,
                "qid": demonym.qid,
            }
        else:
            etype = NER_TYPES.get(label)
            refined = _appos_type(span)
            vague = etype in (None, "Place", "Event", "Facility") and refined in PLACE_TYPES | {"Organization"}
            # the small model takes unfamiliar place names for people or organisations
            mistaken = etype in ("Person", "Organization") and refined in PLACE_TYPES - {"Facility"}
            if vague or mistaken or (etype == "Organization" and refined == "Facility"):
                etype = refined
            if etype is None:
                continue
            if etype != "Person" and _named_by_head(span):
                etype = "Organization"
            elif (
                etype != "Person"
                and len(span) > 1
                and nominal_lexicon()["types"].get(span[-1].lemma_.lower()) == "Facility"
            ):
                etype = "Facility"  # "Al Noor Mosque", "Jolo Cathedral", "Fishmongers' Hall"
            attrs = {"type": etype, "kind": "name", "name": override or clean_name(text)}
        attrs["ner"] = label
        out.append((span.start, span.end, span.root, attrs))
        claimed.update(range(span.start, span.end))

    for token in ctx.doc:
        if token.i in claimed or not _is_acronym(token):
            continue
        country = table.lookup(token.text)
        if country is not None:
            attrs = {"type": "Country", "kind": "name", "name": country.label, "qid": country.qid}
        else:
            attrs = {"type": "Organization", "kind": "name", "name": token.text}
        out.append((token.i, token.i + 1, token, attrs))
    return out


PLACE_SUFFIXES = frozenset({"county", "counties", "province", "region", "district", "prefecture", "governorate",
                            "oblast", "municipality", "parish", "borough"})  # fmt: skip


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
        last = doc[ent.end - 1]
        if (
            ent.label_ in ("GPE", "LOC")
            and len(ent) > 1
            and last.lower_ in PLACE_SUFFIXES
            and last.lower_.endswith("s")
        ):
            for other in ents[:i]:  # "Los Angeles, Orange and San Bernardino Counties"
                if other.label_ in ("GPE", "LOC") and _coordinated(other.root, ent.root):
                    renamed[other.start] = f"{other.text} {last.lemma_.capitalize()}"
            singular = f"{doc[ent.start : ent.end - 1].text} {last.lemma_.capitalize()}"
            out.append((ent, singular))
            i += 1
            continue
        following = doc[ent.end] if ent.end < len(doc) else None
        suffix_is_entity = nxt is not None and nxt.start == ent.end and len(nxt) == 1  # NER tagged "Counties" alone
        if (
            ent.label_ in ("GPE", "LOC")
            and following is not None
            and following.text[:1].isupper()
            and (not following.ent_type_ or (suffix_is_entity and following.lower_ in PLACE_SUFFIXES))
        ):
            kind = following.lower_
            if kind in PLACE_SUFFIXES:
                if suffix_is_entity:
                    i += 1
                out.append((Span(doc, ent.start, ent.end + 1, label=ent.label_), None))
                if kind.endswith("ies") or kind.endswith("s"):
                    singular = following.lemma_.capitalize()
                    for other in ents[:i]:
                        if other.label_ in ("GPE", "LOC") and _coordinated(other.root, ent.root):
                            renamed[other.start] = f"{other.text} {singular}"
                i += 1
                continue
            if kind == "state":
                out.append((Span(doc, ent.start, ent.end + 1, label="ORG"), None))
                i += 1
                continue
        out.append((ent, None))
        i += 1
    return [(span, renamed.get(span.start, name)) for span, name in out]


def _coordinated(a: Token, b: Token) -> bool:
    """Whether two tokens are conjuncts of one coordination ("X, Y and Z Counties")."""

    def chain(t: Token) -> set[int]:
        seen = {t.i}
        while t.dep_ == "conj" and t.head.i != t.i:
            t = t.head
            seen.add(t.i)
        return seen

    return bool(chain(a) & chain(b)) or b.i in {c.i for c in a.subtree} or a.i in {c.i for c in b.subtree}


def _naming_head(span: Span) -> Token | None:
    """The naming head noun after a name: "[Islamic States] terrorist *group*"."""
    root = span.root
    head = root.head
    if (
        root.dep_ in ("compound", "nmod", "amod")
        and head.i > span.end - 1
        and head.pos_ == "NOUN"
        and head.lemma_.lower() in NAME_HEADS
        and all(t.lower_ in MODIFIERS_BEFORE_NAME_HEAD for t in span.doc[span.end : head.i])
    ):
        return head
    return None


def _named_by_head(span: Span) -> bool:
    """True when the span names an organisation by its head: "[Islamic States] terrorist group"."""
    return _naming_head(span) is not None and country_table().lookup(span.text) is None


def _org_names(ctx: Context) -> list[tuple[int, int, Token]]:
    """Proper-noun runs before a naming head noun: "The [Islamic State] group"."""
    found = []
    doc = ctx.doc
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in NAME_HEADS:
            continue
        i = token.i - 1
        while i >= 0 and doc[i].lower_ in MODIFIERS_BEFORE_NAME_HEAD:
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
        and text not in ACRONYM_STOP
    )


# ---------------------------------------------------------------------------- nominals


def _nominals(ctx: Context, taken: set[int]) -> None:
    types = nominal_lexicon()["types"]
    triggers = event_lexicon()["noun_triggers"]
    for token in ctx.doc:
        if token.pos_ != "NOUN" or token.dep_ == "compound" or token.i in taken:
            continue
        lemma = token.lemma_.lower()
        etype = types.get(lemma)
        if etype is None or lemma in triggers:
            continue
        start = min(
            (c.left_edge.i for c in token.lefts if c.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod")),
            default=token.i,
        )
        while start < token.i and ctx.doc[start].is_punct:
            start += 1
        head = token
        definite = any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in token.lefts
        ) or any(c.dep_ == "poss" for c in token.lefts)
        plural = token.tag_ in ("NNS", "NNPS")
        # partitive: "one of the alleged suicide bombers" -> headed by "one"
        prep = token.head
        if token.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lower_ in PARTITIVE_HEADS:
            quantifier = prep.head
            start = min(start, quantifier.i)
            head = quantifier
            plural = quantifier.lower_ != "one" and quantifier.lower_ != "each"
            definite = False
        name = _nominal_name(ctx, token, start, singular=head is not token and not plural)
        ctx.add_mention(
            start,
            token.i + 1,
            head,
            type=etype,
            kind="nominal",
            name=name,
            plural=plural,
            definite=definite,
            head_lemma=lemma,
        )


DROP_BEFORE_NOMINAL = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
     "alleged", "suspected", "late", "of"}
)  # fmt: skip


def _nominal_name(ctx: Context, head: Token, start: int, *, singular: bool) -> str:
    """A descriptive label: the noun phrase without determiners, counts or hedges.

    ``"one of the alleged suicide bombers"`` → ``"suicide bomber"``;
    ``"Islamic State's Afghanistan branch"`` stays as written.
    """
    tokens = list(ctx.doc[start : head.i + 1])
    if tokens[0].i != head.i and tokens[0].head.i != head.i and tokens[0].dep_ != "compound":
        # partitive "one of the ...": keep only the noun phrase after "of"
        tokens = [t for t in tokens if t.i > tokens[0].i]
        while len(tokens) > 1 and (tokens[0].lower_ in DROP_BEFORE_NOMINAL or tokens[0].like_num):
            tokens = tokens[1:]
    while len(tokens) > 1 and (tokens[0].lower_ in DROP_BEFORE_NOMINAL or tokens[0].is_punct):
        tokens = tokens[1:]
    words = [t.text_with_ws for t in tokens[:-1]]
    words.append(head.lemma_ if singular else head.text)
    return "".join(words).strip()


# ---------------------------------------------------------------------------- pronouns


def _compatible(ctx: Context, mention_id: int, number: str, person: bool) -> bool:
    mention = ctx.mentions[mention_id]
    if mention.kind in ("pronoun", "event", "demonym"):
        return False
    is_person = mention.type == "Person"
    if person:
        return is_person and not mention.plural
    if number == "sing":
        return not is_person and not mention.plural
    return mention.plural or mention.type == "Organization"


def _pronouns(ctx: Context) -> None:
    for token in ctx.doc:
        info = PRONOUNS.get(token.lower_)
        if info is None or token.pos_ != "PRON":
            continue
        if token.lower_ == "it" and _pleonastic(token):
            continue
        number, person = info
        antecedent = _antecedent(ctx, token, number, person)
        etype = ctx.mentions[antecedent].type if antecedent is not None else "Entity"
        ctx.add_mention(
            token.i,
            token.i + 1,
            token,
            type=etype,
            kind="pronoun",
            name=token.text,
            plural=number == "plur",
            antecedent=antecedent,
        )


def _pleonastic(token: Token) -> bool:
    head = token.head
    return (
        head.lemma_ == "be"
        and any(c.dep_ in ("acomp", "xcomp", "ccomp", "attr") for c in head.children)
        and any(
            c.dep_ in ("xcomp", "ccomp")
            or (c.dep_ == "acomp" and any(g.dep_ in ("xcomp", "ccomp") for g in c.children))
            for c in head.children
        )
    )


def _antecedent(ctx: Context, token: Token, number: str, person: bool) -> int | None:
    """The mention a pronoun refers to: the subject of the clause it is reported in, else
    the nearest compatible mention before it in this or the previous two sentences."""
    node = token
    while node.head.i != node.i:
        parent = node.head
        if node.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "pcomp", "pobj", "prep", "dobj", "conj") or node is token:
            for child in parent.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i < token.i and child.i != token.i:
                    mention = ctx.mention_at(child)
                    if (
                        mention is not None
                        and mention.kind != "pronoun"
                        and _compatible(ctx, mention.id, number, person)
                    ):
                        return mention.id
                    if (
                        mention is not None
                        and mention.kind == "pronoun"
                        and mention.antecedent is not None
                        and _compatible(ctx, mention.antecedent, number, person)
                    ):
                        return mention.antecedent
        node = parent
    sentence = ctx.sent_of[token.i]
    best = None
    for mention in ctx.mentions:
        if mention.start >= token.idx or mention.sentence < sentence - 2:
            continue
        if _compatible(ctx, mention.id, number, person):
            best = mention.id
    return best
