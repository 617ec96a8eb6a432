"""Sources → ``Iterator[Article]``: text, Markdown, HTML, JSONL and CSV corpora, folders, stdin.

Everything streams: files are read one at a time, corpora one record at a time, so
memory does not grow with the number of articles. A bad input (undecodable bytes,
empty text, a malformed JSONL line, a missing column) is reported through
``on_problem`` with its file and line, and reading goes on with the next one.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from kg.model import Article, Problem

__all__ = ["STDIN", "SUFFIXES", "parse_date", "read_articles"]

logger = logging.getLogger(__name__)

ProblemSink = Callable[[Problem], None]

FIELDS = ("id", "title", "date", "url")
STDIN = "<stdin>"
_WS = re.compile(r"\s+")


# ---------------------------------------------------------------------------- dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATELINE = re.compile(
    r"^\s*(?:(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
    r"(?:(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y1>\d{4})"
    r"|(?P<mon>[a-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<y2>\d{4})"
    r"|(?P<day2>\d{1,2})\s+(?P<mon2>[a-z]{3,9})\.?,?\s+(?P<y3>\d{4}))\s*$",
    re.IGNORECASE,
)


def parse_date(value: str) -> dt.date | None:
    """A date from metadata or a dateline, or ``None`` if it cannot be read.

    Accepts ISO dates and datetimes, RFC 2822, "January 4, 2019", "4 January 2019" and
    "Friday, 01/05/2024". A numeric ``a/b/yyyy`` is read as month/day unless only
    day/month is valid or a stated weekday says otherwise.
    """
    value = value.strip().replace("\xa0", " ")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    m = _DATELINE.match(value)
    if m:
        return _dateline_date(m)
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _dateline_date(m: re.Match[str]) -> dt.date | None:
    if m["iso"]:
        return dt.date.fromisoformat(m["iso"])
    candidates: list[dt.date] = []
    if m["a"]:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y1"])
        for month, day in ((a, b), (b, a)):
            try:
                candidates.append(dt.date(y, month, day))
            except ValueError:
                continue
    else:
        mon = (m["mon"] or m["mon2"] or "").lower()
        day = int(m["day"] or m["day2"])
        year = int(m["y2"] or m["y3"])
        if mon not in _MONTHS:
            return None
        try:
            candidates.append(dt.date(year, _MONTHS[mon], day))
        except ValueError:
            return None
    if m["wd"]:
        weekday = _WEEKDAYS.index(m["wd"].lower())
        matching = [c for c in candidates if c.weekday() == weekday]
        candidates = matching or candidates
    return candidates[0] if candidates else None


def _dateline(text: str) -> dt.date | None:
    """The date of a dateline among the first few non-empty lines of a text."""
    lines = [line for line in text.splitlines() if line.strip()][:5]
    for line in lines:
        if len(line) < 40:
            m = _DATELINE.match(line.replace("\xa0", " "))
            if m:
                return _dateline_date(m)
    return None


# ---------------------------------------------------------------------------- readers


def _decode(data: bytes, source: str, on_problem: ProblemSink) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        on_problem(Problem(source, f"not valid UTF-8 (byte {exc.start})", line))
        return None


def _make(
    text: str,
    source: str,
    on_problem: ProblemSink,
    *,
    line: int | None = None,
    meta: dict[str, object] | None = None,
) -> Article | None:
    meta = meta or {}
    if not text.strip():
        on_problem(Problem(source, "empty article text", line))
        return None
    date = None
    raw_date = meta.get("date")
    if isinstance(raw_date, str) and raw_date.strip():
        date = parse_date(raw_date)
        if date is None:
            logger.warning("%s: unreadable date %r, article kept without a date", source, raw_date)
    if date is None:
        date = _dateline(text)

    def _str(key: str) -> str | None:
        value = meta.get(key)
        if value is None or value == "":
            return None
        return str(value).strip() or None

    where = source if line is None else f"{source}:{line}"
    path = None
    if source != STDIN:
        path = str(Path(source).resolve()) + ("" if line is None else f"#{line}")
    return Article(
        text=text,
        title=_str("title"),
        date=date,
        url=_str("url"),
        source=where,
        source_id=_str("id"),
        path=path,
    )


def _read_text(path: Path, on_problem: ProblemSink) -> Iterator[Article]:
    data = _read_bytes(path, on_problem)
    text = None if data is None else _decode(data, str(path), on_problem)
    if text is None:
        return
    meta: dict[str, object] = {}
    if path.suffix.lower() in {".md", ".markdown"}:
        text, meta = _markdown(text)
    article = _make(text, str(path), on_problem, meta=meta)
    if article:
        yield article


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|[*_`]{1,3}", re.MULTILINE)


def _markdown(text: str) -> tuple[str, dict[str, object]]:
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


def _read_bytes(path: Path, on_problem: ProblemSink) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        on_problem(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
        return None


class _Readable(HTMLParser):
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


_HTML_DATE_KEYS = ("article:published_time", "datepublished", "date", "dc.date", "pubdate", "time")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def _read_html(path: Path, on_problem: ProblemSink) -> Iterator[Article]:
    data = _read_bytes(path, on_problem)
    if data is None:
        return
    m = _CHARSET.search(data[:4096])
    charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        html = data.decode("utf-8-sig" if charset in {"utf-8", "utf8"} else charset)
    except (UnicodeDecodeError, LookupError) as exc:
        on_problem(Problem(str(path), f"cannot decode as {charset}: {exc}"))
        return
    parser = _Readable()
    parser.feed(html)
    parser.close()
    meta: dict[str, object] = {
        "title": parser.meta.get("og:title") or parser.h1.strip() or parser.title.strip(),
        "date": next((parser.meta[k] for k in _HTML_DATE_KEYS if parser.meta.get(k)), ""),
        "url": parser.meta.get("og:url") or parser.meta.get("canonical") or "",
    }
    article = _make(parser.text(), str(path), on_problem, meta=meta)
    if article:
        yield article


def _read_jsonl_stream(stream: BinaryIO, source: str, on_problem: ProblemSink) -> Iterator[Article]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            on_problem(Problem(source, f"not valid UTF-8 (column {exc.start + 1})", number))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            on_problem(Problem(source, f"malformed JSON: {exc.msg} (column {exc.colno})", number))
            continue
        if not isinstance(record, dict):
            on_problem(Problem(source, "a JSONL line must be an object", number))
            continue
        text = record.get("text")
        if not isinstance(text, str):
            on_problem(Problem(source, "no string field 'text'", number))
            continue
        article = _make(text, source, on_problem, line=number, meta=record)
        if article:
            yield article


def _read_jsonl(path: Path, on_problem: ProblemSink) -> Iterator[Article]:
    try:
        with path.open("rb") as stream:
            yield from _read_jsonl_stream(stream, str(path), on_problem)
    except OSError as exc:
        on_problem(Problem(str(path), f"cannot read: {exc.strerror or exc}"))


class _DecodedLines:
    """Decodes a binary stream line by line for `csv`, remembering undecodable lines."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.number = 0
        self.bad: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        for raw in self.stream:
            self.number += 1
            try:
                yield raw.decode("utf-8-sig" if self.number == 1 else "utf-8")
            except UnicodeDecodeError:
                self.bad.add(self.number)
                yield raw.decode("utf-8", errors="replace")


def _read_csv(path: Path, on_problem: ProblemSink) -> Iterator[Article]:
    source = str(path)
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open("rb") as stream:
            lines = _DecodedLines(stream)
            reader = csv.DictReader(lines)
            try:
                header = reader.fieldnames
            except csv.Error as exc:
                on_problem(Problem(source, f"malformed CSV header: {exc}", 1))
                return
            if not header or "text" not in header:
                on_problem(Problem(source, "CSV has no 'text' column", 1))
                return
            first = 2
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    on_problem(Problem(source, f"malformed CSV: {exc}", reader.line_num))
                    break
                span = range(first, reader.line_num + 1)
                first = reader.line_num + 1
                bad = [n for n in span if n in lines.bad]
                if bad:
                    on_problem(Problem(source, "not valid UTF-8", bad[0]))
                    continue
                text = row.get("text")
                if text is None:
                    on_problem(Problem(source, "row has too few columns", span.start))
                    continue
                article = _make(text, source, on_problem, line=span.start, meta=dict(row))
                if article:
                    yield article
    except OSError as exc:
        on_problem(Problem(source, f"cannot read: {exc.strerror or exc}"))


Reader = Callable[[Path, ProblemSink], Iterator[Article]]

SUFFIXES: dict[str, Reader] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_text,
    ".markdown": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
}
"""File suffix → reader. Files with other suffixes in a folder are ignored."""


def _read_stdin(on_problem: ProblemSink) -> Iterator[Article]:
    data = sys.stdin.buffer.read()
    head = data.lstrip()[:1]
    if head == b"{":
        import io

        yield from _read_jsonl_stream(io.BytesIO(data), STDIN, on_problem)
        return
    text = _decode(data, STDIN, on_problem)
    if text is not None:
        article = _make(text, STDIN, on_problem)
        if article:
            yield article


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(root, name)


def read_articles(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    on_problem: ProblemSink,
) -> Iterator[Article]:
    """Every article of ``inputs``, in input order.

    Args:
        inputs: files, folders (read recursively) or ``"-"`` for stdin (plain text, or
            JSONL when it starts with ``{``).
        on_problem: called with each skipped input; reading goes on.

    Yields:
        Articles in input order, repeated texts included (the build decides what a repeat
        is: the same source unchanged, or the same text from another source).
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    for item in inputs:
        yield from _read_one(item, on_problem)


def _read_one(item: str | os.PathLike[str], on_problem: ProblemSink) -> Iterator[Article]:
    if str(item) == "-":
        yield from _read_stdin(on_problem)
        return
    path = Path(item)
    if path.is_dir():
        for file in _walk(path):
            yield from SUFFIXES[file.suffix.lower()](file, on_problem)
    elif not path.exists():
        on_problem(Problem(str(path), "no such file or folder"))
    else:
        reader = SUFFIXES.get(path.suffix.lower())
        if reader is None:
            on_problem(Problem(str(path), f"unsupported file type {path.suffix or '(none)'!r}"))
        else:
            yield from reader(path, on_problem)
