"""Mention steps: names, nominals and pronouns, in that order (`kg.extract.steps`)."""

from kg.extract.mentions import names, nominals, pronouns

__all__ = ["names", "nominals", "pronouns"]
