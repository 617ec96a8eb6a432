"""kg.fastpipes: the faster attribute rules and lemmatizer annotate exactly as spaCy's own."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.fastpipes import RuleAttributes, Unsupported, speed_up
from kg.nlp import model_name

from .conftest import EXAMPLES

SENTENCES = [
    "She said that she wouldn't go, because the talks hadn't started.",
    "Whether or not the ministers agree, the bill will be voted on tomorrow.",
    "His brother's company, which he founded in 1998, can't pay its debts.",
    "The U.S. Treasury said it'd review the £2.5bn deal once talks resume.",
    "Tens of thousands marched in Paris  on Saturday;\n\npolice made 12 arrests.",
    "I'd rather they'd asked us first, tho the result is the same.",
    "Is there anything left to say?  Nope.",
]


def annotated(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def both() -> tuple[spacy.language.Language, spacy.language.Language]:
    plain, fast = spacy.load(model_name()), spacy.load(model_name())
    assert speed_up(fast) == ["attribute_ruler", "lemmatizer"]
    return plain, fast


def test_same_annotations_as_spacy_on_news_text(both) -> None:
    plain, fast = both
    texts = [*SENTENCES, *(p.read_text(encoding="utf-8") for p in sorted((EXAMPLES / "news").iterdir()))]
    for a, b in zip(plain.pipe(texts), fast.pipe(texts), strict=True):
        assert annotated(b) == annotated(a)


def test_kg_loads_the_faster_components(nlp) -> None:
    assert "kg_rule_attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    assert "kg_cached_lemmatizer" in nlp.pipe_names and "lemmatizer" not in nlp.pipe_names
    assert [t.lemma_ for t in nlp("The ministers hadn't met.")] == ["the", "minister", "have", "not", "meet", "."]


def _ruled(patterns: list[dict], words: list[str], tags: list[str]) -> tuple[list, list]:
    """A doc with ``tags`` annotated by spaCy's attribute ruler and by `RuleAttributes`."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    out = []
    for annotate in (ruler, RuleAttributes(nlp, patterns)):
        doc = annotate(Doc(nlp.vocab, words=words, tags=tags))
        out.append([(t.pos_, str(t.morph), t.lemma_) for t in doc])
    return out[0], out[1]


def test_later_rules_win_and_longer_rules_take_their_turn() -> None:
    patterns: list[dict] = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"LOWER": {"IN": ["talks", "deal"]}, "TAG": "NN"}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"LOWER": "peace"}, {"TAG": "NN"}]], "attrs": {"LEMMA": "PEACE-TALK"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"POS": "PART", "LEMMA": "not"}},
        {"patterns": [[{"TAG": {"NOT_IN": ["NN", "VBD"]}}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"LOWER": "deal"}]], "attrs": {"POS": "PROPN"}},
    ]
    words = ["peace", "talks", "did", "n't", "deal", "nt"]
    tags = ["NN", "NN", "VBD", "RB", "NN", "RB"]
    expected, got = _ruled(patterns, words, tags)
    assert got == expected
    assert [pos for pos, _, _ in got] == ["NOUN", "VERB", "", "X", "PROPN", "X"]
    assert got[1][2] == "PEACE-TALK"


@pytest.mark.parametrize(
    "token",
    [{"NORM": "talks"}, {"LOWER": "talks", "OP": "?"}, {"LOWER": {"FUZZY": "talks"}}, {"IS_SPACE": "yes"}],
)
def test_rules_it_cannot_read_keep_spacys_component(token: dict) -> None:
    nlp = spacy.blank("en")
    with pytest.raises(Unsupported):
        RuleAttributes(nlp, [{"patterns": [[token]], "attrs": {"POS": "NOUN"}}])
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"LOWER": "talks"}]], "attrs": {"POS": "NOUN"}}])  # type: ignore[attr-defined]
    ruler.add_patterns([{"patterns": [[token]], "attrs": {"POS": "NOUN"}}])  # type: ignore[attr-defined]
    assert speed_up(nlp) == []
    assert "attribute_ruler" in nlp.pipe_names
