"""Readable text of Markdown and HTML sources, in time linear in their length.

Both are untrusted: patterns here never backtrack over more than a bounded window, and
the HTML parser is the standard library's, which does not build a tree.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["FIELDS", "Readable", "markdown"]

FIELDS = ("id", "title", "date", "url")
_WS = re.compile(r"\s+")

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
# Link text and target are bounded and stay on one line: with unbounded `[^\]]*`, each of
# n unclosed "[" scanned to the end of the text (n² steps; 20,000 of them took 16.6 s).
_MD_LINK = re.compile(r"!?\[([^\]\[\n]{0,1000})\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_MD_MARKS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|[*_`]{1,3}", re.MULTILINE)


def markdown(text: str) -> tuple[str, dict[str, object]]:
    """Readable text of a Markdown file and the ``title``/``date``/``url`` of its front matter."""
    meta: dict[str, object] = {}
    m = _FRONT.match(text)
    if m:
        for line in m.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() in FIELDS:
                meta[key.strip().lower()] = value.strip().strip("'\"")
        text = text[m.end() :]
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_MARKS.sub("", text)
    return text, meta


class Readable(HTMLParser):
    """Collects the readable text of an HTML page: paragraphs, headings, list items.

    Scripts, styles, navigation, headers, footers, forms and figures are dropped; when
    the page has an ``<article>`` element only its content counts.
    """

    SKIP = frozenset(
        {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
         "figure", "figcaption", "button", "svg", "template", "iframe", "select"}
    )  # fmt: skip
    BLOCK = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div",
         "section", "article", "td", "th", "br", "tr", "dd", "dt"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.article_blocks: list[list[str]] = [[]]
        self.skip_depth = 0
        self.article_depth = 0
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in {"og:title", "article:published_time", "date", "dc.date", "datepublished",
                       "og:url", "pubdate"}:  # fmt: skip
                self.meta.setdefault(key, a.get("content", ""))
            return
        if tag == "link" and a.get("rel", "").lower() == "canonical":
            self.meta.setdefault("canonical", a.get("href", ""))
            return
        if tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "article":
            self.article_depth += 1
        if tag == "h1":
            self.in_h1 = True
        if tag in self.BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "article" and self.article_depth:
            self.article_depth -= 1
        if tag == "h1":
            self.in_h1 = False
        if tag in self.BLOCK:
            self._break()

    def _break(self) -> None:
        for blocks in (self.blocks, self.article_blocks):
            if blocks[-1]:
                blocks.append([])

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1 += data
        self.blocks[-1].append(data)
        if self.article_depth:
            self.article_blocks[-1].append(data)

    def text(self) -> str:
        blocks = self.article_blocks if any(self.article_blocks) else self.blocks
        paragraphs = (_WS.sub(" ", "".join(b)).strip() for b in blocks)
        return "\n\n".join(p for p in paragraphs if p)
