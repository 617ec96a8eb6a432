"""Sums of money, percentages and times of day as written, found in text by patterns
built from ``numbers.json``.

spaCy's MONEY and PERCENT entities cut amounts apart ("£" | "600" | "m", "52m euros" as
a CARDINAL), so the amounts are read from the text: a currency before the number
("$3.5bn", "CDN$ 12", "Rs 500 crore", "USD 5m") or after it ("150,000 euros", "200
million US dollars"), a scale ("m", "bn", "million"), and ranges ("$20m-$25m", "between
20 and 25 per cent") as their two ends. What the words before an amount say of it
("about", "at least") is read by the step (`kg.extract.normalize.modifier_words`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.data import number_words
from kg.extract.normalize import parse_number
from kg.model import Quantity, TimeOfDay
from kg.text import WEEKDAYS

__all__ = ["Stated", "find_money", "find_percents", "find_times"]

_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety a an"
).split()
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = rf"(?:{'|'.join(_WORDS)})(?:-(?:{'|'.join(_WORDS[:9])}))?(?:\s+hundred)?"


@dataclass(frozen=True, slots=True)
class Stated:
    """A number as written at ``[start, end)`` of the text: one value, or the two ends of a range."""

    start: int
    end: int
    values: tuple[Quantity, ...]


def _alternatives(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


@functools.cache
def _money_pattern() -> re.Pattern[str]:
    words = number_words()
    short = [k for k in words.scales if len(k) <= 3]
    long = [k for k in words.scales if len(k) > 3]
    scale = rf"(?:\s?(?:{_alternatives(short)})(?![a-z])|\s+(?:{_alternatives(long)})\b)"
    symbol = rf"(?:{_alternatives(words.currency_symbols)})"
    code = rf"(?:{_alternatives(words.currency_codes)})"
    prefix = rf"(?P<symbol>{symbol})\s?|(?<![A-Za-z])(?P<code>{code})\s?"
    named = (
        rf"(?i:(?P<word>{_alternatives(words.currency_words)})(?:e?s)?"
        rf"|(?P<sub>{_alternatives(words.currency_subunits)}))(?![a-z])"
    )
    amount = rf"(?:{_DIGITS}){scale}?"
    spoken = rf"(?i:{_WORDNUM}){scale}"
    second = rf"(?:\s*(?:-|–|\bto\b)\s*|\s+and\s+)(?:{symbol}\s?|{code}\s)?(?P<hi>{_DIGITS}){scale}?"
    before = rf"(?:{prefix})(?P<lo>{amount})(?P<range>{second})?"
    after = (
        rf"(?<![\w.,])(?P<lo2>{amount}|{spoken})(?P<range2>\s*(?:-|–|\bto\b)\s*{amount})?"
        rf"\s+(?:(?P<word_code>{code})(?![A-Za-z])|{named})"
    )
    return re.compile(rf"{before}|{after}")


def find_money(text: str, *, dollar: str = "USD") -> Iterator[Stated]:
    """The sums of money in ``text``; ``dollar`` is the currency of a bare "$" or "dollars"."""
    for m in _money_pattern().finditer(text):
        ranged = m["range"] or m["range2"]
        key = "range" if m["range"] else "range2"
        before = text[: m.start()].lower().rstrip()
        joined = ranged.strip().split()[0] if ranged and ranged.strip() else ""
        if (joined == "and" and not before.endswith("between")) or (joined == "to" and before.endswith("from")):
            # "$5m and $10m" without "between", "from £35 to £36.20": two sums, not a range
            first = _money(m, dollar, text[m.start() : m.start(key)], m.start(), m.start(key))
            if first is not None:
                yield first
            rest = _money_pattern().search(text, m.start(key) + ranged.index(joined) + len(joined), m.end())
            second = _money(rest, dollar, rest.group(), rest.start(), rest.end()) if rest else None
            if second is not None:
                yield second
            continue
        found = _money(m, dollar, m.group(), m.start(), m.end())
        if found is not None:
            yield found


def _money(m: re.Match[str], dollar: str, written: str, start: int, end: int) -> Stated | None:
    """The sum (or the two ends of a range) one match of the money pattern states."""
    unit = _currency(m, dollar)
    number = m["lo"] or m["lo2"]
    value = parse_number(number)
    if unit is None or value is None:
        return None
    if m["sub"]:
        value /= 100  # "55.57 pence"
    weak = (m["word"] or "").lower() in number_words().weak_currency_words
    if weak and value == parse_number(_digits(number)) and "sterling" not in written.lower():
        return None  # "10 pounds" may weigh; "10 million pounds" is money
    ranged = m["range"] or m["range2"]
    if not ranged or written != m.group():
        return Stated(start, end, (Quantity(_whole(value), written, kind="money", unit=unit),))
    symbol = re.compile(rf"^\s*(?:{_alternatives(number_words().currency_symbols)})\s?")
    high = symbol.sub("", re.sub(r"^(?:\s*(?:-|–|\bto\b)\s*|\s+and\s+)", "", ranged))
    values = _money_range(number, high, unit, written)
    return Stated(start, end, values) if values else None


def _digits(number: str) -> str:
    """The digits of a number without its scale: "1.2bn" → "1.2"."""
    return re.sub(r"[^\d.,]", "", number) or "x"


def _money_range(lo: str, hi: str, unit: str, text: str) -> tuple[Quantity, ...]:
    low, high = parse_number(lo), parse_number(hi)
    if low is None or high is None:
        return ()
    if parse_number(_digits(lo)) == low:  # "$20-25m": the scale of the upper end
        low *= high / (parse_number(_digits(hi)) or high)
    if not low < high:
        return ()
    return (
        Quantity(_whole(low), text, bound="min", kind="money", unit=unit),
        Quantity(_whole(high), text, bound="max", kind="money", unit=unit),
    )


def _whole(number: float) -> int | float:
    return int(number) if number == int(number) else round(number, 6)


def _currency(m: re.Match[str], dollar: str) -> str | None:
    words = number_words()
    if m["symbol"]:
        return dollar if m["symbol"] == "$" else words.currency_symbols[m["symbol"]]
    code = m["code"] or m["word_code"]
    if code:
        return "CNY" if code == "RMB" else code
    word = (m["word"] or "").lower()
    if word == "dollar" or (m["sub"] or "").lower().startswith("cent"):
        return dollar
    if m["sub"]:
        return words.currency_subunits[m["sub"].lower()]
    return words.currency_words.get(word)


@functools.cache
def _percent_pattern() -> re.Pattern[str]:
    words = sorted(number_words().percent_words, key=len, reverse=True)
    sign = "|".join(re.escape(w).replace(r"\ ", r"\s?") + ("" if w == "%" else r"\b") for w in words)
    number = rf"(?:{_DIGITS}|(?i:{_WORDNUM}))"
    return re.compile(rf"(?<![\w.,])(?P<lo>{number})(?:\s*(?:-|–|\bto\b)\s*(?P<hi>{number}))?\s*(?P<sign>(?i:{sign}))")


def find_percents(text: str) -> Iterator[Stated]:
    """The percentages in ``text``: "15%", "15 per cent", "1.5 percent", "10-15%"."""
    for m in _percent_pattern().finditer(text):
        if m["lo"].lower() in ("a", "an"):
            continue  # "a PC", "an pc": no one writes "a per cent"
        if m["sign"].isalpha() and len(m["sign"]) <= 2 and not (m["sign"].islower() and m["lo"][0].isdigit()):
            continue  # "pc" is a per cent after figures ("5pc"), not "five PC" or "Rossi PC"
        lo = parse_number(m["lo"])
        if lo is None:
            continue
        if m["hi"]:
            hi = parse_number(m["hi"])
            if hi is None or not lo < hi:
                continue
            yield Stated(
                m.start(),
                m.end(),
                (
                    Quantity(_whole(lo), m.group(), bound="min", kind="percent"),
                    Quantity(_whole(hi), m.group(), bound="max", kind="percent"),
                ),
            )
        else:
            yield Stated(m.start(), m.end(), (Quantity(_whole(lo), m.group(), kind="percent"),))


@functools.cache
def _time_pattern() -> re.Pattern[str]:
    words = number_words()
    zones = _alternatives(words.time_zones)
    day_times = _alternatives(words.day_times)
    ampm = r"(?P<ampm>[ap]\.?\s?m\b\.?)"
    weekdays = "|".join(WEEKDAYS)
    return re.compile(
        rf"(?i:(?<![\d:.])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d)(?![\d:])|\.(?P<m2>[0-5]\d))\s?{ampm}?"
        rf"|(?<![\d:.])(?P<h2>1[0-2]|0?[1-9])\s?(?P<ampm2>[ap]\.?\s?m\b\.?)"
        rf"|(?<![\d:.,])(?P<h3>[01]\d|2[0-3])(?P<m3>[0-5]\d)\s(?:(?:{weekdays}),?\s)?(?:{zones})\b"
        rf"|\b(?P<word>{day_times})\b)"
    )


def find_times(text: str) -> Iterator[tuple[int, int, TimeOfDay]]:
    """The times of day in ``text``: "10:30 am", "8pm", "2024 UTC", "noon"."""
    day_times = number_words().day_times
    for m in _time_pattern().finditer(text):
        if m["word"]:
            yield m.start(), m.end(), TimeOfDay(day_times[m["word"].lower()], m.group())
            continue
        if m["m2"] is not None and not m["ampm"]:
            continue  # "10.30" alone is a decimal
        hour = int(m["h"] or m["h2"] or m["h3"])
        minute = int(m["m"] or m["m2"] or m["m3"] or 0)
        ampm = (m["ampm"] or m["ampm2"] or "").lower()
        if ampm:
            if hour > 12 or hour == 0:
                continue
            hour = hour % 12 + (12 if ampm.startswith("p") else 0)
        text_end = m.end()
        stated = m.group().rstrip()
        yield m.start(), text_end, TimeOfDay(f"{hour:02d}:{minute:02d}:00", stated)
