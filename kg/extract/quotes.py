"""Quotations: the stretches of an article's text inside quotation marks.

Marks are paired within a paragraph (a line of the text): curly marks open (“) and
close (”); straight marks (") alternate. A quotation still open at the end of its
paragraph runs to that end (the convention for a quotation that goes on into the next
paragraph). A quotation is kept with its tokens, so the speech steps can ask which verb
introduces it and which facts were stated inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

__all__ = ["Quote", "quotations"]

OPENING = frozenset("“«")
CLOSING = frozenset("”»")
STRAIGHT = '"'
_MARKS = re.compile(r"[\"“”«»]")
_TRIM = " \t,;:"


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation.

    Attributes:
        start, end: character offsets of the quoted words, without the marks, spaces
            and a trailing comma (``"We will win,"`` → ``We will win``).
        first, last: the first and last token inside the marks (``last`` inclusive).
        opening, closing: the tokens of the marks, ``None`` when a mark is glued to a
            word or the quotation runs to the end of its paragraph.
        paragraph: the number of the paragraph (line) it is in.
    """

    start: int
    end: int
    first: int
    last: int
    opening: int | None
    closing: int | None
    paragraph: int

    def holds(self, token_index: int) -> bool:
        """Whether a token is inside the marks."""
        return self.first <= token_index <= self.last


def quotations(doc: Doc, text: str | None = None) -> list[Quote]:
    """The quotations of ``doc`` in text order (see the module docstring); ``text`` is
    ``doc.text`` when the caller has it (spaCy joins the tokens anew on each read)."""
    text = doc.text if text is None else text
    out: list[Quote] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        for start, end in _pairs(line):
            quote = _quote(doc, text, offset + start, offset + end, number)
            if quote is not None:
                out.append(quote)
        offset += len(line) + 1
    return out


def _pairs(line: str) -> list[tuple[int, int]]:
    """Offsets (in ``line``) of each opening mark and of its closing mark (or the line's end).

    A straight mark opens or closes by what is around it (after a space and before a word
    it opens); one that opens while a quotation is open ends that quotation there, as a
    quotation left open at the end of a paragraph does (``said: "I have no regrets. "We
    ...``, where two paragraphs were run into one).
    """
    pairs = []
    opened: int | None = None
    for match in _MARKS.finditer(line):
        mark, at = match.group(), match.start()
        role = _role(line, at) if mark == STRAIGHT else ("open" if mark in OPENING else "close")
        if opened is None:
            if role != "close":
                opened = at
        elif role == "open" and line[opened] == mark:
            pairs.append((opened, _before_space(line, at)))
            opened = at
        elif role != "open" or line[opened] != mark:
            pairs.append((opened, at))
            opened = None
    if opened is not None:
        pairs.append((opened, len(line)))
    return pairs


def _role(line: str, at: int) -> str:
    """Whether a straight mark opens (a space or line start before, a word after), closes
    (a word or punctuation before, a space, punctuation or line end after), or either."""
    before = line[at - 1] if at > 0 else " "
    after = line[at + 1] if at + 1 < len(line) else " "
    opens = (before.isspace() or before in "([{—–-/") and not after.isspace()
    closes = not before.isspace() and (after.isspace() or not after.isalnum())
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _before_space(line: str, at: int) -> int:
    while at > 0 and line[at - 1].isspace():
        at -= 1
    return at


def _quote(doc: Doc, text: str, open_at: int, close_at: int, paragraph: int) -> Quote | None:
    """The quotation between the mark at ``open_at`` and the one at ``close_at``."""
    start, end = open_at + 1, close_at
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if end <= start:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not any(t.is_alpha or t.like_num for t in span):
        return None
    opening = _mark_token(doc, open_at)
    closing = _mark_token(doc, close_at) if close_at < len(text) and text[close_at] in CLOSING | {STRAIGHT} else None
    return Quote(start, end, span.start, span.end - 1, opening, closing, paragraph)


def _mark_token(doc: Doc, at: int) -> int | None:
    """The token that is exactly the mark at character ``at``, if the tokenizer split it off."""
    span = doc.char_span(at, at + 1)
    return span.start if span is not None and len(span) == 1 else None
