"""Sums of money, percentages and times of day as written (`kg.extract.numbers.scan`)."""

from __future__ import annotations

import pytest

from kg.extract.numbers.scan import find_money, find_percents, find_times


@pytest.mark.parametrize(
    ("text", "written", "values", "unit"),
    [
        ("Sales reached $3.5bn.", "$3.5bn", [3_500_000_000], "USD"),
        ("It paid £1.2m for it.", "£1.2m", [1_200_000], "GBP"),
        ("A grant of 150,000 euros.", "150,000 euros", [150_000], "EUR"),
        ("A budget of 200 million euros.", "200 million euros", [200_000_000], "EUR"),
        ("It cost CDN$12 million.", "CDN$12 million", [12_000_000], "CAD"),
        ("Rs 500 crore was spent.", "Rs 500 crore", [5_000_000_000], "INR"),
        ("The fund holds USD 5m.", "USD 5m", [5_000_000], "USD"),
        ("It sells for 19,800 yen.", "19,800 yen", [19_800], "JPY"),
        ("A deal worth three million dollars.", "three million dollars", [3_000_000], "USD"),
        ("It will cost $20-25m.", "$20-25m", [20_000_000, 25_000_000], "USD"),
        ("Between $5m and $10m was lost.", "$5m and $10m", [5_000_000, 10_000_000], "USD"),
        ("The prize is 10 million pounds.", "10 million pounds", [10_000_000], "GBP"),
        ("An award of SEK9 million.", "SEK9 million", [9_000_000], "SEK"),
        ("Shares fell to 55.5 pence.", "55.5 pence", [0.555], "GBP"),
    ],
)
def test_money(text: str, written: str, values: list[int], unit: str) -> None:
    found = list(find_money(text))
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == written
    assert [q.value for q in found[0].values] == values
    assert {q.unit for q in found[0].values} == {unit}


def test_money_two_sums_with_and() -> None:
    found = list(find_money("It paid $5m and $10m."))
    assert [[q.value for q in s.values] for s in found] == [[5_000_000], [10_000_000]]


def test_money_in_the_articles_dollar() -> None:
    (found,) = find_money("It cost $40.", dollar="CAD")
    assert found.values[0].unit == "CAD"


def test_a_change_from_one_sum_to_another_is_two_sums() -> None:
    found = list(find_money("They raised the target from £35 to £36.20 on Monday."))
    assert [[(q.value, q.bound) for q in f.values] for f in found] == [[(35, None)], [(36.2, None)]]
    (ranged,) = find_money("The repairs will cost between $20m and $25m.")
    assert [q.bound for q in ranged.values] == ["min", "max"]


@pytest.mark.parametrize("text", ["They weighed 10 pounds.", "The 1990s were good.", "It has 5m users."])
def test_not_money(text: str) -> None:
    assert list(find_money(text)) == []


@pytest.mark.parametrize(
    ("text", "values"),
    [("up 15%", [15]), ("15 per cent", [15]), ("1.5 percent", [1.5]), ("10-15%", [10, 15]),
     ("ten per cent", [10]), ("a 2 percentage point rise", [2]), ("rose 5pc", [5]), ("a 3.5 pc rise", [3.5])],
)  # fmt: skip
def test_percents(text: str, values: list[float]) -> None:
    (found,) = find_percents(text)
    assert [q.value for q in found.values] == values


@pytest.mark.parametrize(
    "text", ["He bought a PC last year.", "She sold an pc.", "Two PC users", "They met five PC Smith."]
)
def test_not_percents(text: str) -> None:
    assert list(find_percents(text)) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("at 10:30 am", "10:30:00"), ("at 8.30pm", "20:30:00"), ("at 2024 UTC", "20:24:00"), ("at noon", "12:00:00"),
     ("by 10 pm", "22:00:00"), ("at 5:03 AM", "05:03:00"), ("at 12 am", "00:00:00"), ("at 14:15", "14:15:00"),
     ("at 2024 Friday, UTC", "20:24:00"), ("1300 local time", "13:00:00")],
)  # fmt: skip
def test_times(text: str, value: str) -> None:
    (found,) = find_times(text)
    assert found[2].value == value


@pytest.mark.parametrize("text", ["a 10.30 rate", "in 2019", "won 3-1", "at 25:10"])
def test_not_times(text: str) -> None:
    assert list(find_times(text)) == []
