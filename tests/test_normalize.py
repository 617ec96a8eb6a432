"""Counts and dates as news states them, normalised against the article date."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.normalize import parse_quantity, parse_time

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
