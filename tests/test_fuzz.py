"""Fuzzing: hostile and broken input through ingest, extraction and RDF writing.

Hypothesis, with a fixed small budget and derandomised examples so that `.ci/run` stays a
few minutes and gives the same result every run. Every example is a file among good ones:
random bytes, Unicode with control, bidi and zero-width characters, nested and broken HTML
and Markdown, JSONL and CSV lines that are half right, a long paragraph-free text. What
must hold for each: no exception escapes `kg.build` (problems become lines), the good
article is stored, and the store serialises to N-Quads that pyoxigraph parses back with
the same number of quads.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.store import OxigraphStore

BUDGET = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
GOOD = "Police in Lagos said on Monday that two men had been arrested after a fire at a market.\n"
HOSTILE_CHARS = "\x00\x01\x07\x1b\x7f\x85\u200b\u200c\u200d\u2028\u2029\u202a\u202b\u202d\u202e\u2066\u2069\ufeff\ufffd"

hostile_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(HOSTILE_CHARS), st.sampled_from(" .\n,\"'")),
    max_size=400,
)
words = st.lists(
    st.sampled_from(["Lagos", "police", "fire", "said", "the", "Iran", "bomb", "—", "[", "<"]), max_size=60
)


@st.composite
def broken_html(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 300))
    tags = draw(
        st.lists(st.sampled_from(["div", "p", "b", "script", "title", "a href='x", "!--", "table"]), min_size=1)
    )
    body = draw(hostile_text)
    opened = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    return f"<html><head><title>{body[:40]}</title></head><body>{opened}{body}{GOOD}"  # never closed


@st.composite
def broken_markdown(draw: st.DrawFn) -> str:
    marks = draw(st.lists(st.sampled_from(["[", "](", "**", "`", "```", "#", "> ", "![", "<", "]("]), max_size=200))
    return "# " + draw(hostile_text)[:60] + "\n\n" + "".join(marks) + " ".join(draw(words)) + "\n\n" + GOOD


def _build(tmp_path: Path, name: str, content: str | bytes) -> kg.KnowledgeGraph:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    hostile = tmp_path / name
    hostile.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    problems: list[object] = []
    return kg.build([good, hostile], store=OxigraphStore(None), settings=kg.Settings(linker="none"),
                    on_problem=problems.append)  # fmt: skip


def _round_trips(graph: kg.KnowledgeGraph) -> None:
    buffer = io.BytesIO()
    graph.store.serialize(buffer, "nq")
    parsed = ox.Store()
    parsed.load(buffer.getvalue(), ox.RdfFormat.N_QUADS)
    assert len(parsed) == graph.store.quad_count() > 0
    assert graph.report.articles >= 1  # the good article is there


def _check(tmp_path: Path, name: str, content: str | bytes) -> None:
    for old in tmp_path.iterdir():
        old.unlink()
    graph = _build(tmp_path, name, content)
    try:
        _round_trips(graph)
    finally:
        graph.close()


@BUDGET
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl", ".csv"]))
def test_random_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    _check(tmp_path, "hostile" + suffix, data)


@BUDGET
@given(text=hostile_text)
def test_hostile_unicode(tmp_path: Path, text: str) -> None:
    _check(tmp_path, "hostile.txt", text + "\n\n" + GOOD)


@BUDGET
@given(page=broken_html())
def test_nested_and_broken_html(tmp_path: Path, page: str) -> None:
    _check(tmp_path, "hostile.html", page)


@BUDGET
@given(text=broken_markdown())
def test_broken_markdown(tmp_path: Path, text: str) -> None:
    _check(tmp_path, "hostile.md", text)


@BUDGET
@given(
    lines=st.lists(st.one_of(hostile_text, st.just('{"text": "'), st.just('{"text": 5}'), st.just("[]")), max_size=6)
)
def test_half_right_jsonl_and_csv(tmp_path: Path, lines: list[str]) -> None:
    good = '{"id": "g", "text": "' + GOOD.strip() + '"}'
    _check(tmp_path, "hostile.jsonl", "\n".join([good, *lines]))
    _check(tmp_path, "hostile.csv", "id,text\n" + "\n".join(f"h{i},{line}" for i, line in enumerate(lines)))


@pytest.mark.parametrize("sentence_ends", [False, True])
def test_a_long_paragraph_free_text(tmp_path: Path, sentence_ends: bool) -> None:
    """One 20,000-word line, with or without sentence ends: chunked, parsed, written."""
    word = "bombers attacked the market in lagos and police said " if not sentence_ends else "Police said. "
    _check(tmp_path, "long.txt", word * (20_000 // len(word.split())))
