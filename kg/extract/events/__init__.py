"""Event steps: triggers, incident and arrest roles, statements, speech acts, casualties,
dates, claims and perpetrators by role (`kg.extract.steps`)."""

from kg.extract.events import casualties, claims, dates, roles, speech, statements, triggers

__all__ = ["casualties", "claims", "dates", "roles", "speech", "statements", "triggers"]
