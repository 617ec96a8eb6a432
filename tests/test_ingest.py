"""Reading articles: formats, metadata, stable ids, and bad input reported with file and line."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from kg.ingest import parse_date, read_articles
from kg.model import Problem, text_digest


def read(*inputs: object) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    articles = list(read_articles(inputs, on_problem=problems.append))  # type: ignore[arg-type]
    return articles, problems


def test_digests_are_stable_and_ignore_whitespace() -> None:
    a = text_digest("Two blasts hit Kerman.\n\nMany were killed.")
    b = text_digest("Two blasts  hit Kerman.\nMany were killed.  ")
    assert a == b
    assert a != text_digest("Two blasts hit Shiraz.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-05", dt.date(2024, 1, 5)),
        ("2024-01-05T18:30:00Z", dt.date(2024, 1, 5)),
        ("Friday, 01/05/2024", dt.date(2024, 1, 5)),  # the weekday says month/day
        ("Friday, January 4, 2019", dt.date(2019, 1, 4)),
        ("4 January 2019", dt.date(2019, 1, 4)),
        ("Fri, 05 Jan 2024 10:00:00 +0000", dt.date(2024, 1, 5)),
        ("soon", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_text_file_with_dateline(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("Friday, January 4, 2019\n\nAn apartment building collapsed in Magnitogorsk.\n", encoding="utf-8")
    (article,), problems = read(path)
    assert problems == []
    assert article.date == dt.date(2019, 1, 4)
    assert article.source == str(path)


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Blasts in Kerman\ndate: 2024-01-05\nurl: https://example.org/a\n---\n\n"
        "The [ministry](https://example.org) said **11** people were arrested.\n",
        encoding="utf-8",
    )
    (article,), _ = read(path)
    assert (article.title, article.date, article.url) == (
        "Blasts in Kerman",
        dt.date(2024, 1, 5),
        "https://example.org/a",
    )
    assert article.text.strip() == "The ministry said 11 people were arrested."


def test_html_keeps_readable_text_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<html><head><title>Site | Blasts</title>
        <meta property="article:published_time" content="2024-01-05T08:00:00Z">
        <script>var tracking = "<p>not text</p>";</script><style>p {color: red}</style></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
        <article><h1>Blasts in Kerman</h1><p>Two blasts struck Kerman on Wednesday.</p>
        <figure><figcaption>A photo caption</figcaption></figure>
        <p>The ministry said 11 people were arrested &amp; questioned.</p></article>
        <footer>Copyright</footer></body></html>""",
        encoding="utf-8",
    )
    (article,), problems = read(path)
    assert problems == []
    assert article.title == "Blasts in Kerman"
    assert article.date == dt.date(2024, 1, 5)
    assert article.text == (
        "Blasts in Kerman\n\nTwo blasts struck Kerman on Wednesday.\n\n"
        "The ministry said 11 people were arrested & questioned."
    )


def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "One", "date": "2024-01-05", "text": "Two blasts struck Kerman."}),
        '{"text": "broken',
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Eleven people were arrested.", "url": "https://example.org/b"}),
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "bad \xff byte"}\n')
    articles, problems = read(path)
    assert [a.source_id for a in articles] == ["a1", None]
    assert articles[1].url == "https://example.org/b"
    assert [(p.line, p.message.split(" (")[0].split(":")[0]) for p in problems] == [
        (2, "malformed JSON"),
        (3, "no string field 'text'"),
        (4, "empty article text"),
        (5, "a JSONL line must be an object"),
        (7, "not valid UTF-8"),
    ]
    assert str(problems[0]).startswith(f"{path}:2: malformed JSON")


def test_csv_rows_and_missing_column(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        'url,date,title,text\nhttps://x.org/1,2019-01-04,A,"First line\nsecond line"\nhttps://x.org/2,2019-01-05,B,\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("url,body\nx,y\n", encoding="utf-8")
    articles, problems = read(good, bad)
    assert len(articles) == 1 and articles[0].text == "First line\nsecond line"
    assert articles[0].source == f"{good}:2"
    assert [str(p) for p in problems] == [f"{good}:4: empty article text", f"{bad}:1: CSV has no 'text' column"]


def test_folder_is_read_recursively_and_bad_files_do_not_stop_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Two blasts struck Kerman.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("Eleven people were arrested.", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_bytes(b"Latin-1 text: caf\xe9")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    articles, problems = read(tmp_path)
    assert sorted(Path(a.source).name for a in articles) == ["a.txt", "b.txt"]
    assert len(problems) == 1 and "not valid UTF-8" in problems[0].message


def test_articles_are_named_by_their_source(tmp_path: Path) -> None:
    """The corpus id, else the URL, else the file (and line); the text only gives the digest."""
    (tmp_path / "a.txt").write_text("Two blasts struck Kerman.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Two  blasts struck Kerman.\n", encoding="utf-8")
    records = [
        {"id": "x1", "url": "https://example.org/1", "text": "One."},
        {"url": "https://example.org/2", "text": "Two."},
        {"text": "Three."},
    ]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    articles, _ = read(tmp_path)
    assert [a.origin for a in articles] == [
        f"file:{tmp_path / 'a.txt'}",
        f"file:{tmp_path / 'b.txt'}",
        "id:x1",
        "url:https://example.org/2",
        f"file:{tmp_path / 'c.jsonl'}#3",
    ]
    assert articles[0].digest == articles[1].digest and articles[0].id != articles[1].id
    assert len({a.id for a in articles}) == 5


def test_missing_file_and_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    articles, problems = read(tmp_path / "nope.txt", tmp_path / "x.pdf")
    assert articles == []
    assert [p.message for p in problems] == ["no such file or folder", "unsupported file type '.pdf'"]


def test_stdin_text_and_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Two blasts struck Kerman.")))
    (article,), _ = read("-")
    assert article.text == "Two blasts struck Kerman." and article.source == "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "A"}\n{"text": "B"}\n')))
    articles, _ = read("-")
    assert [a.text for a in articles] == ["A", "B"]


def test_reading_streams() -> None:
    """Articles come out one at a time, before later inputs are read."""
    seen: list[str] = []

    def inputs():
        seen.append("first")
        yield "-"
        seen.append("second")

    stream = read_articles(inputs(), on_problem=lambda p: None)
    assert seen == []
    sys_stdin = sys.stdin
    try:
        sys.stdin = io.TextIOWrapper(io.BytesIO(b"text"))
        next(stream)
        assert seen == ["first"]
    finally:
        sys.stdin = sys_stdin
