"""Sources → ``Iterator[Article]``: text, Markdown, HTML, JSONL and CSV corpora, folders, stdin.

Everything streams: files are read one at a time, corpora one record at a time, so
memory does not grow with the number of articles. A bad input (undecodable bytes,
empty text, a malformed JSONL line, a missing column) is reported through
``on_problem`` with its file and line, and reading goes on with the next one.

Nothing is read without a bound (`Settings`: ``max_file_bytes`` for a file read whole,
``max_line_bytes`` for a JSONL line or CSV record, ``max_article_bytes`` for the text
of an article): what is over a bound is skipped with a line saying so, without being
held in memory.
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
from pathlib import Path
from typing import BinaryIO

from kg.formats import Readable, markdown
from kg.model import Article, Problem
from kg.settings import Settings
from kg.text import MONTHS as _MONTHS
from kg.text import WEEKDAYS as _WEEKDAYS

__all__ = ["STDIN", "SUFFIXES", "parse_date", "read_articles"]

logger = logging.getLogger(__name__)

ProblemSink = Callable[[Problem], None]

STDIN = "<stdin>"
_BLOCK = 1 << 16


# ---------------------------------------------------------------------------- dates

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


def _size(n: int) -> str:
    return f"{n:,} bytes"


class _Reading:
    """What every reader needs: where problems go and the limits of what it may hold."""

    def __init__(self, on_problem: ProblemSink, settings: Settings) -> None:
        self.problem = on_problem
        self.max_file = settings.max_file_bytes
        self.max_line = settings.max_line_bytes
        self.max_article = settings.max_article_bytes

    def make(
        self, text: str, source: str, *, line: int | None = None, meta: dict[str, object] | None = None
    ) -> Article | None:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > self.max_article:
            self.problem(
                Problem(
                    source,
                    f"article text is {_size(size)}, over the limit of {_size(self.max_article)} "
                    "(KG_MAX_ARTICLE_BYTES); article skipped",
                    line,
                )
            )
            return None
        return _make(text, source, self.problem, line=line, meta=meta)

    def whole(self, path: Path) -> bytes | None:
        """The bytes of a file read whole, or ``None`` (reported) when unreadable or too large."""
        try:
            with path.open("rb") as stream:
                data = stream.read(self.max_file + 1)
        except OSError as exc:
            self.problem(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
            return None
        if len(data) > self.max_file:
            self.problem(
                Problem(str(path), f"file is over the limit of {_size(self.max_file)} (KG_MAX_FILE_BYTES); skipped")
            )
            return None
        return data

    def lines(self, stream: BinaryIO, source: str) -> Iterator[tuple[int, bytes | None]]:
        """``(number, line)`` of a stream; a line over ``max_line`` is reported, skipped
        without being held, and comes back as ``None``."""
        number = 0
        while True:
            raw = stream.readline(self.max_line + 1)
            if not raw:
                return
            number += 1
            if len(raw) > self.max_line and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # drop the rest of the line unread
                    raw = stream.readline(_BLOCK)
                self.problem(
                    Problem(
                        source, f"line is over the limit of {_size(self.max_line)} (KG_MAX_LINE_BYTES); skipped", number
                    )
                )
                yield number, None
                continue
            yield number, raw


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
        date = parse_date(raw_date[:200])
        if date is None:
            logger.warning("%s: unreadable date %r, article kept without a date", source, raw_date[:200])
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


def _read_text(path: Path, reading: _Reading) -> Iterator[Article]:
    data = reading.whole(path)
    text = None if data is None else _decode(data, str(path), reading.problem)
    if text is None:
        return
    meta: dict[str, object] = {}
    if path.suffix.lower() in {".md", ".markdown"}:
        text, meta = markdown(text)
    article = reading.make(text, str(path), meta=meta)
    if article:
        yield article


_HTML_DATE_KEYS = ("article:published_time", "datepublished", "date", "dc.date", "pubdate", "time")
_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset=["']?([\w-]{1,40})""", re.IGNORECASE)


def _read_html(path: Path, reading: _Reading) -> Iterator[Article]:
    data = reading.whole(path)
    if data is None:
        return
    m = _CHARSET.search(data[:4096])
    charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        html = data.decode("utf-8-sig" if charset in {"utf-8", "utf8"} else charset)
    except (UnicodeDecodeError, LookupError) as exc:
        reading.problem(Problem(str(path), f"cannot decode as {charset}: {exc}"))
        return
    parser = Readable()
    parser.feed(html)
    parser.close()
    meta: dict[str, object] = {
        "title": parser.meta.get("og:title") or parser.h1.strip() or parser.title.strip(),
        "date": next((parser.meta[k] for k in _HTML_DATE_KEYS if parser.meta.get(k)), ""),
        "url": parser.meta.get("og:url") or parser.meta.get("canonical") or "",
    }
    article = reading.make(parser.text(), str(path), meta=meta)
    if article:
        yield article


def _read_jsonl_stream(stream: BinaryIO, source: str, reading: _Reading) -> Iterator[Article]:
    for number, raw in reading.lines(stream, source):
        if raw is None or not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            reading.problem(Problem(source, f"not valid UTF-8 (column {exc.start + 1})", number))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reading.problem(Problem(source, f"malformed JSON: {exc.msg} (column {exc.colno})", number))
            continue
        except RecursionError:
            reading.problem(Problem(source, "malformed JSON: nested too deeply", number))
            continue
        if not isinstance(record, dict):
            reading.problem(Problem(source, "a JSONL line must be an object", number))
            continue
        text = record.get("text")
        if not isinstance(text, str):
            reading.problem(Problem(source, "no string field 'text'", number))
            continue
        article = reading.make(text, source, line=number, meta=record)
        if article:
            yield article


def _read_jsonl(path: Path, reading: _Reading) -> Iterator[Article]:
    try:
        with path.open("rb") as stream:
            yield from _read_jsonl_stream(stream, str(path), reading)
    except OSError as exc:
        reading.problem(Problem(str(path), f"cannot read: {exc.strerror or exc}"))


class _DecodedLines:
    """Decodes a binary stream line by line for `csv`, remembering undecodable lines and
    lines over the limit (handed to `csv` as a one-character row, so no record holds them)."""

    def __init__(self, stream: BinaryIO, reading: _Reading, source: str) -> None:
        self.lines = reading.lines(stream, source)
        self.number = 0
        self.bad: set[int] = set()
        self.long: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        for number, raw in self.lines:
            self.number = number
            if raw is None:
                self.long.add(number)
                yield "-\n"  # a row of its own, known by its number and skipped
                continue
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                self.bad.add(number)
                yield raw.decode("utf-8", errors="replace")


def _read_csv(path: Path, reading: _Reading) -> Iterator[Article]:
    source = str(path)
    previous = csv.field_size_limit(reading.max_line)
    try:
        yield from _csv_rows(path, source, reading)
    except OSError as exc:
        reading.problem(Problem(source, f"cannot read: {exc.strerror or exc}"))
    finally:
        csv.field_size_limit(previous)


def _csv_rows(path: Path, source: str, reading: _Reading) -> Iterator[Article]:
    with path.open("rb") as stream:
        lines = _DecodedLines(stream, reading, source)
        reader = csv.DictReader(lines)
        try:
            header = reader.fieldnames
        except csv.Error as exc:
            reading.problem(Problem(source, f"malformed CSV header: {exc}", 1))
            return
        if not header or "text" not in header:
            reading.problem(Problem(source, "CSV has no 'text' column", 1))
            return
        first = 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                reading.problem(Problem(source, f"malformed CSV: {exc}", reader.line_num))
                break
            span = range(first, reader.line_num + 1)
            first = reader.line_num + 1
            if any(n in lines.long for n in span):
                continue  # already reported
            bad = [n for n in span if n in lines.bad]
            if bad:
                reading.problem(Problem(source, "not valid UTF-8", bad[0]))
                continue
            text = row.get("text")
            if text is None:
                reading.problem(Problem(source, "row has too few columns", span.start))
                continue
            article = reading.make(text, source, line=span.start, meta=dict(row))
            if article:
                yield article


Reader = Callable[[Path, _Reading], Iterator[Article]]

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


def _read_stdin(reading: _Reading) -> Iterator[Article]:
    stream = sys.stdin.buffer
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.lstrip()[:1] == b"{":
        yield from _read_jsonl_stream(stream, STDIN, reading)
        return
    data = stream.read(reading.max_file + 1)
    if len(data) > reading.max_file:
        reading.problem(
            Problem(STDIN, f"input is over the limit of {_size(reading.max_file)} (KG_MAX_FILE_BYTES); skipped")
        )
        return
    if data.lstrip()[:1] == b"{":
        import io

        yield from _read_jsonl_stream(io.BytesIO(data), STDIN, reading)
        return
    text = _decode(data, STDIN, reading.problem)
    if text is not None:
        article = reading.make(text, STDIN)
        if article:
            yield article


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(root, name)


def read_articles(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    on_problem: ProblemSink,
    settings: Settings | None = None,
) -> Iterator[Article]:
    """Every article of ``inputs``, in input order.

    Args:
        inputs: files, folders (read recursively) or ``"-"`` for stdin (plain text, or
            JSONL when it starts with ``{``).
        on_problem: called with each skipped input; reading goes on.
        settings: the limits of what is read (`Settings.max_file_bytes`, ...).

    Yields:
        Articles in input order, repeated texts included (the build decides what a repeat
        is: the same source unchanged, or the same text from another source).
    """
    reading = _Reading(on_problem, settings or Settings.from_env())
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    for item in inputs:
        yield from _read_one(item, reading)


def _read_one(item: str | os.PathLike[str], reading: _Reading) -> Iterator[Article]:
    if str(item) == "-":
        yield from _read_stdin(reading)
        return
    path = Path(item)
    if path.is_dir():
        for file in _walk(path):
            yield from SUFFIXES[file.suffix.lower()](file, reading)
    elif not path.exists():
        reading.problem(Problem(str(path), "no such file or folder"))
    else:
        reader = SUFFIXES.get(path.suffix.lower())
        if reader is None:
            reading.problem(Problem(str(path), f"unsupported file type {path.suffix or '(none)'!r}"))
        else:
            yield from reader(path, reading)
