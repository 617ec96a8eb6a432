"""Event steps: triggers, incident and arrest roles, actions between actors, statements,
speech acts, casualties, dates, claims and perpetrators by role (`kg.extract.steps`)."""

from kg.extract.events import actions, casualties, claims, dates, roles, speech, statements, triggers

__all__ = ["actions", "casualties", "claims", "dates", "roles", "speech", "statements", "triggers"]
