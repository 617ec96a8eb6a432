"""Counts and dates as news states them, normalised against the article date."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.normalize import (
    modifier_words,
    modifiers,
    parse_number,
    parse_quantity,
    parse_range,
    parse_time,
    parse_time_range,
    vague,
)
from kg.model import Quantity

FRIDAY = dt.date(2024, 1, 5)


@pytest.mark.parametrize(
    ("text", "value", "approximate", "bound"),
    [
        ("About 90", 90, True, None),
        ("around 90", 90, True, None),
        ("284", 284, False, None),
        ("at least 20", 20, False, "min"),
        ("more than 1,000", 1000, False, "min"),
        ("up to 300", 300, False, "max"),
        ("eleven", 11, False, None),
        ("twenty-five", 25, False, None),
        ("a dozen", 12, False, None),
        ("dozens", 24, True, "min"),
        ("1.5 million", 1_500_000, False, None),
        ("nearly two hundred", 200, True, None),
    ],
)
def test_quantities(text: str, value: int, approximate: bool, bound: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.approximate, q.bound) == (value, approximate, bound)


@pytest.mark.parametrize("text", ["", "people", "the first"])
def test_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "value", "precision", "approximate"),
    [
        ("on Wednesday", "2024-01-03", "day", False),  # the Wednesday before Friday 2024-01-05
        ("Friday evening", "2024-01-05", "day", False),  # the article's own day
        ("yesterday", "2024-01-04", "day", False),
        ("last Friday", "2023-12-29", "day", False),
        ("January 3", "2024-01-03", "day", False),
        ("3 January 2024", "2024-01-03", "day", False),
        ("December 30", "2023-12-30", "day", False),  # no year: the most recent one
        ("earlier this week", "2024-01", "month", True),  # 1-4 January: only the month is sure
        ("last month", "2023-12", "month", True),
        ("in 2019", "2019", "year", False),
        ("two days ago", "2024-01-03", "day", False),
        ("about a year ago", "", "text", True),  # Nov 2022 to Mar 2023: no year is sure
        ("in January", "2024-01", "month", False),
    ],
)
def test_dates(text: str, value: str, precision: str, approximate: bool) -> None:
    t = parse_time(text, FRIDAY)
    assert t is not None
    assert (t.value, t.precision, t.approximate) == (value, precision, approximate)


def test_a_year_ago_in_midsummer_is_the_year_before() -> None:
    t = parse_time("a year ago", dt.date(2024, 7, 15))
    assert t is not None and (t.value, t.precision, t.approximate) == ("2023", "year", True)


def test_relative_dates_without_article_date_stay_text() -> None:
    t = parse_time("on Wednesday", None)
    assert t is not None and t.precision == "text" and t.text == "on Wednesday"


def test_not_a_date() -> None:
    assert parse_time("more than 24 hours", FRIDAY) is None


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("20 to 25", (20, 25)),
        ("between 20 and 25", (20, 25)),
        ("20-25", (20, 25)),
        ("about 20 to 25", (20, 25)),
        ("twenty-five to thirty", (25, 30)),
        ("20 to 25 million", (20_000_000, 25_000_000)),
    ],
)
def test_ranges(text: str, ends: tuple[int, int]) -> None:
    found = parse_range(text)
    assert found is not None
    lo, hi = found
    assert (lo.value, hi.value, lo.bound, hi.bound) == (*ends, "min", "max")


@pytest.mark.parametrize("text", ["20 and 25", "25 to 20", "20", "twenty-five"])
def test_not_ranges(text: str) -> None:
    assert parse_range(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.13bn", 1.13e9), ("3.5 million", 3.5e6), ("three million", 3e6), ("1,200", 1200), ("Rs", None)],
)
def test_numbers_with_scales(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_quantity_of_another_kind_keeps_decimals() -> None:
    assert parse_quantity("about 1.5", kind="percent") == Quantity(1.5, "about 1.5", approximate=True, kind="percent")
    assert parse_quantity("1.5") is None  # a count is whole


def test_modifier_words() -> None:
    assert modifier_words(["rose", "by", "about"]) == 1
    assert modifier_words(["at", "least"]) == 2
    assert modifier_words(["the"]) == 0
    assert modifiers("At least about 20") == ("20", True, "min")
    assert vague("at least dozens") and not vague("at least 12")


@pytest.mark.parametrize(
    ("text", "ends", "whole"),
    [
        ("1-5 March 2019", ("2019-03-01", "2019-03-05"), "2019-03"),
        ("March 1-5, 2019", ("2019-03-01", "2019-03-05"), "2019-03"),
        ("from 3 January to 5 February 2023", ("2023-01-03", "2023-02-05"), "2023"),
        ("January to March 2019", ("2019-01", "2019-03"), "2019"),
        ("between 2005 and 2015", ("2005", "2015"), ""),  # no one year holds it
        ("between Monday and Wednesday", ("2024-01-01", "2024-01-03"), "2024-01"),
    ],
)
def test_date_ranges(text: str, ends: tuple[str, str], whole: str) -> None:
    found = parse_time_range(text, FRIDAY)
    assert found is not None
    assert (found[0].value, found[1].value) == ends
    value = parse_time(text, FRIDAY)
    assert value is not None and value.value == whole and value.approximate


@pytest.mark.parametrize("text", ["March 3", "2019-01-03", "2005-06", "Monday and Tuesday", "last week"])
def test_not_date_ranges(text: str) -> None:
    assert parse_time_range(text, FRIDAY) is None
