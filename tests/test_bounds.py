"""Nothing read or parsed without a bound: bytes per file, line and article, chunks of
bounded size whatever the text, a time budget per article, and one bad article never
costing the batch."""

from __future__ import annotations

import csv
import itertools
import json
import time
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.budget import OverBudget, deadline
from kg.formats import markdown
from kg.ingest import read_articles
from kg.model import Article, Problem
from kg.nlp import load_nlp
from kg.pipeline import MAX_CHUNK_CHARS, chunk_spans, process
from kg.settings import Settings

GOOD = "Police in Kerman said on Monday that {n} men had been arrested after the bombing at the cemetery."


@Language.component("kg_test_trap")
def _trap(doc: Doc) -> Doc:
    """Fails or stalls on marked text, as a model or a component might on real input."""
    if "TRAPFAIL" in doc.text:
        raise ValueError("the component gave up")
    if "TRAPSLOW" in doc.text:
        time.sleep(3.5)
    return doc


@pytest.fixture(scope="module")
def trapped() -> Language:
    nlp = load_nlp.__wrapped__()  # a pipeline of its own: the shared one stays untouched
    nlp.add_pipe("kg_test_trap", last=True)
    return nlp


def _article(text: str, source: str) -> Article:
    return Article(text=text, source=source)


def _run(nlp: Language, articles: list[Article], **settings: object) -> tuple[list[str], list[Problem]]:
    problems: list[Problem] = []
    graphs = process(articles, settings=Settings(**settings), nlp=nlp, on_problem=problems.append)  # type: ignore[arg-type]
    return [g.article.source for g in graphs], problems


def test_a_parse_failure_skips_its_article_and_the_batch_goes_on(trapped: Language) -> None:
    articles = [
        _article(GOOD.format(n="two"), "a"),
        _article(GOOD.format(n="three") + " TRAPFAIL", "b"),
        _article(GOOD.format(n="four"), "c"),
    ]
    done, problems = _run(trapped, articles)
    assert done == ["a", "c"]
    assert [(p.source, p.message) for p in problems] == [
        ("b", "parse failed (ValueError: the component gave up); article skipped")
    ]


def test_an_article_over_its_time_budget_is_skipped_with_a_line(trapped: Language) -> None:
    slow = "\n\n".join([GOOD.format(n="five") + " TRAPSLOW"] * 3)
    articles = [_article(GOOD.format(n="two"), "a"), _article(slow, "slow"), _article(GOOD.format(n="six"), "c")]
    done, problems = _run(trapped, articles, article_seconds=3.0, batch_size=1, chunk_words=5)
    assert done == ["a", "c"]
    assert len(problems) == 1 and problems[0].source == "slow"
    assert "over the time budget of 3 s" in problems[0].message and "KG_ARTICLE_SECONDS" in problems[0].message


def test_without_a_problem_sink_errors_are_raised(trapped: Language) -> None:
    with pytest.raises(ValueError, match="gave up"):
        list(process([_article("TRAPFAIL here.", "x")], settings=Settings(), nlp=trapped))


def test_the_deadline_interrupts_python_code() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget), deadline(0.2):
        while True:
            sum(range(1000))
    assert time.monotonic() - started < 5
    with deadline(5):  # a block that ends in time is left alone
        pass


@pytest.mark.parametrize(
    "text",
    [
        " ".join(itertools.islice(itertools.cycle("the army said that men attacked the town".split()), 220_000)),
        "no sentence ends here but it goes on. and on, in lower case. " * 17_000,
        "x" * 1_050_000,  # one "word" longer than spaCy's limit
        ("word " * 50 + "\n") * 20_000,  # lines, never a paragraph break
    ],
    ids=["one-sentence", "lower-case-sentences", "one-word", "lines"],
)
def test_paragraph_free_text_is_cut_into_bounded_chunks(text: str) -> None:
    assert len(text) > 1_000_000  # over spaCy's limit for one text
    spans = chunk_spans(text, 150)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert max(end - start for start, end in spans) <= MAX_CHUNK_CHARS
    assert max(len(text[start:end].split()) for start, end in spans) <= 3 * 150


def test_chunks_end_at_sentence_ends_when_there_are_some() -> None:
    text = "The army said men attacked the town. " * 3000  # one paragraph of 111,000 characters
    spans = chunk_spans(text, 150)
    assert all(text[start:end].rstrip().endswith(".") for start, end in spans)


def _settings(**limits: int) -> Settings:
    return Settings(**limits)  # type: ignore[arg-type]


def test_an_article_over_the_byte_limit_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Big news. " * 30, encoding="utf-8")
    (tmp_path / "small.txt").write_text("Small news.", encoding="utf-8")
    problems: list[Problem] = []
    articles = list(read_articles([tmp_path], on_problem=problems.append, settings=_settings(max_article_bytes=100)))
    assert [Path(a.source).name for a in articles] == ["small.txt"]
    assert len(problems) == 1 and "article text is 300 bytes, over the limit of 100 bytes" in problems[0].message


def test_a_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "huge.html").write_text("<p>" + "word " * 200 + "</p>", encoding="utf-8")
    (tmp_path / "fine.md").write_text("# Title\n\nA short story.", encoding="utf-8")
    problems: list[Problem] = []
    articles = list(read_articles([tmp_path], on_problem=problems.append, settings=_settings(max_file_bytes=500)))
    assert [Path(a.source).name for a in articles] == ["fine.md"]
    assert [Path(p.source).name for p in problems] == ["huge.html"]
    assert "file is over the limit of 500 bytes (KG_MAX_FILE_BYTES)" in problems[0].message


def test_a_corpus_line_over_the_limit_is_skipped_and_the_next_is_read(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    lines = [{"id": "1", "text": "First story."}, {"id": "2", "text": "x " * 5000}, {"id": "3", "text": "Third story."}]
    corpus.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    problems: list[Problem] = []
    articles = list(read_articles([corpus], on_problem=problems.append, settings=_settings(max_line_bytes=1000)))
    assert [a.text for a in articles] == ["First story.", "Third story."]
    assert [(p.line, p.message) for p in problems] == [
        (2, "line is over the limit of 1,000 bytes (KG_MAX_LINE_BYTES); skipped")
    ]


def test_a_csv_record_over_the_limit_is_skipped_and_the_limit_restored(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([["1", "First story."], ["2", "y " * 5000], ["3", "Third story."]])
    before = csv.field_size_limit()
    problems: list[Problem] = []
    articles = list(read_articles([path], on_problem=problems.append, settings=_settings(max_line_bytes=1000)))
    assert [a.text for a in articles] == ["First story.", "Third story."]
    assert len(problems) == 1 and problems[0].line == 3
    assert csv.field_size_limit() == before


def test_markdown_clean_up_is_linear_in_unclosed_brackets() -> None:
    text = "Some [text " * 40_000 + "and [a link](https://example.org/x) at the end."
    started = time.monotonic()
    cleaned, _ = markdown(text)
    assert time.monotonic() - started < 5  # quadratic, this took over a minute
    assert cleaned.endswith("and a link at the end.")


def test_bad_limit_settings_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.errors import UsageError

    monkeypatch.setenv("KG_MAX_ARTICLE_BYTES", "lots")
    with pytest.raises(UsageError, match="KG_MAX_ARTICLE_BYTES='lots' is not a whole number"):
        Settings.from_env()
    monkeypatch.setenv("KG_MAX_ARTICLE_BYTES", "2_000_000")
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "0")
    settings = Settings.from_env()
    assert settings.max_article_bytes == 2_000_000 and settings.query_timeout == 0
