"""Numbers and dates as stated in news text, normalised.

``"around 90"`` → ``Quantity(90, approximate=True)``; ``"on Wednesday"`` in an article
dated Friday 2024-01-05 → ``TimeValue("2024-01-03", "day")``. Relative expressions that
cannot be pinned down ("about a year ago" in early January) keep only the coarsest
precision that is certainly right, or only their text; never a wrong exact date.
"""

from __future__ import annotations

import datetime as dt
import re

from kg.model import Quantity, TimeValue
from kg.text import MONTHS as _MONTHS
from kg.text import WEEKDAYS as _WEEKDAYS

__all__ = ["parse_quantity", "parse_time"]

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_VAGUE = {  # plural quantity words: a lower bound, approximate
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "tens of thousands": 20000,
    "millions": 2_000_000,
}
_APPROX = (
    "about", "around", "approximately", "roughly", "nearly", "almost", "some",
    "an estimated", "estimated", "close to", "approx.", "approx", "circa", "~", "as many as",
    "reportedly",
)  # fmt: skip
_MIN = (
    "at least", "more than", "over", "upwards of", "in excess of", "greater than",
    "no fewer than", "no less than", "a minimum of", "above",
)  # fmt: skip
_MAX = ("up to", "fewer than", "less than", "under", "at most", "no more than", "below")
_NUMBER = re.compile(r"\d{1,3}(?:[,\u202f ]\d{3})+|\d+(?:\.\d+)?")


def _words_to_int(words: list[str]) -> int | None:
    total, current, seen = 0, 0, False
    for w in words:
        if w in ("a", "an") and not seen:
            current, seen = 1, True
        elif w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _TENS:
            current += _TENS[w]
            seen = True
        elif "-" in w and all(p in _UNITS or p in _TENS for p in w.split("-")):
            current += sum(_UNITS.get(p, 0) + _TENS.get(p, 0) for p in w.split("-"))
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0
            seen = True
        elif w == "and" and seen:
            continue
        else:
            return None
    return total + current if seen else None


def parse_quantity(text: str) -> Quantity | None:
    """A count from a phrase such as ``"About 90"``, ``"at least 20"``, ``"1,200"``, ``"dozens"``.

    Returns ``None`` when the phrase holds no count.
    """
    raw = " ".join(text.replace("\xa0", " ").split())
    low = raw.lower().strip(" .,;:")
    approximate, bound = False, None
    changed = True
    while changed:
        changed = False
        for marker, kind in [(m, "approx") for m in _APPROX] + [(m, "min") for m in _MIN] + [(m, "max") for m in _MAX]:
            if low.startswith(marker + " ") or (marker == "~" and low.startswith("~")):
                low = low[len(marker) :].strip()
                if kind == "approx":
                    approximate = True
                else:
                    bound = kind
                changed = True
    if low in _VAGUE:
        return Quantity(_VAGUE[low], raw, approximate=True, bound="min")
    m = _NUMBER.search(low)
    if m and m.start() == 0:
        number = float(re.sub(r"[,\u202f ]", "", m.group()))
        rest = low[m.end() :].strip().split()
        if rest and rest[0] in _SCALES:
            number *= _SCALES[rest[0]]
        if number != int(number) or number > 10**10:
            return None
        return Quantity(int(number), raw, approximate=approximate, bound=bound)
    words = [w for w in re.split(r"[\s]+", low) if w]
    value = _words_to_int(words)
    if value is None and len(words) > 1:
        value = _words_to_int(words[:-1])  # "five people" given as a whole phrase
    if value is None:
        return None
    return Quantity(value, raw, approximate=approximate, bound=bound)


# ---------------------------------------------------------------------------- dates

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?")
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\b\.?(?:,?\s+(?P<year>\d{{4}}))?"
)
_MONTH_YEAR = re.compile(rf"\b(?P<mon>{_MONTH_RE})\b\.?(?:\s+of)?,?\s+(?P<year>\d{{4}})\b")
_MONTH_ONLY = re.compile(rf"\b(?P<mon>{_MONTH_RE})\b")
_YEAR = re.compile(r"\b(?P<year>1[89]\d\d|20\d\d|21\d\d)\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_AGO = re.compile(
    r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a few|several)\s+"
    r"(?P<unit>day|week|month|year)s?\s+ago\b"
)
_SMALL = {"a": 1, "an": 1, **{k: v for k, v in _UNITS.items() if v}}


def _day(value: dt.date, text: str, approximate: bool = False) -> TimeValue:
    return TimeValue(value.isoformat(), "day", text, approximate)


def _span(lo: dt.date, hi: dt.date, text: str) -> TimeValue:
    """The finest precision that holds every day from ``lo`` to ``hi``; text only if none."""
    if lo == hi:
        return TimeValue(lo.isoformat(), "day", text, approximate=False)
    if (lo.year, lo.month) == (hi.year, hi.month):
        return TimeValue(f"{lo.year:04d}-{lo.month:02d}", "month", text, approximate=True)
    if lo.year == hi.year:
        return TimeValue(f"{lo.year:04d}", "year", text, approximate=True)
    return TimeValue("", "text", text, approximate=True)


def _shift_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def _month_end(d: dt.date) -> dt.date:
    return _shift_months(d, 1) - dt.timedelta(days=1)


def parse_time(text: str, anchor: dt.date | None) -> TimeValue | None:
    """Normalise a date expression against ``anchor`` (the article's date).

    ``text`` is a date expression as NER found it (a ``DATE`` entity). Returns ``None``
    when it holds no date, a ``TimeValue`` of precision ``"text"`` when it is one that
    cannot be placed (no anchor, too vague).
    """
    raw = " ".join(text.replace("\xa0", " ").split())
    low = raw.lower()
    m = _ISO.search(low)
    if m:
        try:
            return _day(dt.date(int(m[1]), int(m[2]), int(m[3])), raw)
        except ValueError:
            return None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(low)
        if m:
            return _month_day(m, raw, anchor)
    m = _MONTH_YEAR.search(low)
    if m:
        return TimeValue(f"{int(m['year']):04d}-{_MONTHS[m['mon']]:02d}", "month", raw)
    relative = _relative(low, raw, anchor)
    if relative is not None:
        return relative
    m = _YEAR.search(low)
    if m and not re.search(r"\b(?:ago|years?|old|since)\b", low):
        return TimeValue(m["year"], "year", raw)
    m = _MONTH_ONLY.search(low)
    if m:
        return _month_only(_MONTHS[m["mon"]], raw, anchor)
    return None


def _month_day(m: re.Match[str], raw: str, anchor: dt.date | None) -> TimeValue | None:
    month, day = _MONTHS[m["mon"]], int(m["day"])
    if m["year"]:
        try:
            return _day(dt.date(int(m["year"]), month, day), raw)
        except ValueError:
            return None
    if anchor is None:
        return TimeValue("", "text", raw, approximate=True)
    try:
        value = dt.date(anchor.year, month, day)
        if value > anchor + dt.timedelta(days=31):
            value = dt.date(anchor.year - 1, month, day)
    except ValueError:
        return None
    return _day(value, raw)


def _month_only(month: int, raw: str, anchor: dt.date | None) -> TimeValue:
    if anchor is None:
        return TimeValue("", "text", raw, approximate=True)
    year = anchor.year if month <= anchor.month else anchor.year - 1
    return TimeValue(f"{year:04d}-{month:02d}", "month", raw)


def _relative(low: str, raw: str, anchor: dt.date | None) -> TimeValue | None:
    words = set(re.findall(r"[a-z]+", low))
    weekday = next((w for w in _WEEKDAYS if w in words), None)
    is_relative = (
        weekday is not None
        or words & {"today", "tonight", "yesterday", "ago", "week", "month", "year", "weekend"}
        or "this morning" in low
        or "this afternoon" in low
        or "this evening" in low
        or "last night" in low
    )
    if not is_relative:
        return None
    if anchor is None:
        return TimeValue("", "text", raw, approximate=True)
    return _days_around(low, words, weekday, raw, anchor) or _period(low, words, raw, anchor)


def _days_around(low: str, words: set[str], weekday: str | None, raw: str, anchor: dt.date) -> TimeValue | None:
    """A day near the article's: "on Tuesday", "yesterday", "this morning", "three days ago"."""
    if weekday and not words & {"next", "coming"}:
        back = (anchor.weekday() - _WEEKDAYS.index(weekday)) % 7
        if "last" in words and back == 0:
            back = 7
        return _day(anchor - dt.timedelta(days=back), raw)
    if "yesterday" in words or "last night" in low:
        back = 2 if "before yesterday" in low else 1
        return _day(anchor - dt.timedelta(days=back), raw)
    if words & {"today", "tonight"} or re.search(r"\bthis (morning|afternoon|evening)\b", low):
        return _day(anchor, raw)
    m = _AGO.search(low)
    return _ago(m, raw, anchor) if m else None


def _period(low: str, words: set[str], raw: str, anchor: dt.date) -> TimeValue:
    """A week, weekend, month or year relative to the article's: "last week", "this year"."""
    last = "last" in words or "previous" in words
    this = "this" in words or "earlier" in words
    monday = anchor - dt.timedelta(days=anchor.weekday())
    if "week" in words and (last or this):
        if last:
            return _span(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), raw)
        return _span(monday, anchor, raw)
    if "weekend" in words and ("last" in words or "this" in words or "the" in words):
        saturday = anchor - dt.timedelta(days=(anchor.weekday() - 5) % 7)
        return _span(saturday, saturday + dt.timedelta(days=1), raw)
    first = anchor.replace(day=1)
    if "month" in words and (last or this):
        if last:
            lo = _shift_months(first, -1)
            return _span(lo, _month_end(lo), raw)
        return _span(first, anchor, raw)
    if "year" in words and (last or this):
        return TimeValue(f"{anchor.year - 1 if last else anchor.year:04d}", "year", raw)
    return TimeValue("", "text", raw, approximate=True)


def _ago(m: re.Match[str], raw: str, anchor: dt.date) -> TimeValue:
    vague = m["n"] in ("a few", "several")
    n: int = 3 if vague else int(m["n"]) if m["n"].isdigit() else _SMALL.get(m["n"], 1)
    unit = m["unit"]
    if unit == "day":
        day = anchor - dt.timedelta(days=n)
        margin = dt.timedelta(days=2 if vague else 0)
        return _span(day - margin, day + margin, raw)
    if unit == "week":
        week = anchor - dt.timedelta(weeks=n)
        return _span(week - dt.timedelta(days=4), week + dt.timedelta(days=4), raw)
    if unit == "month":
        centre = _shift_months(anchor.replace(day=1), -n)
        return _span(_shift_months(centre, -1), _month_end(_shift_months(centre, 1)), raw)
    centre = _shift_months(anchor.replace(day=1), -12 * n)
    slack = 4 if vague or "about" in raw.lower() or "around" in raw.lower() else 2
    return _span(_shift_months(centre, -slack), _month_end(_shift_months(centre, slack)), raw)
