"""Number steps: sums of money, percentages, counts, ages, penalties and times of day,
each attached to the event or entity it is stated of (`kg.extract.numbers.owner`)."""

from kg.extract.numbers import amounts, counts, people, times

__all__ = ["amounts", "counts", "people", "times"]
