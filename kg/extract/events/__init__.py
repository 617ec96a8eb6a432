"""Event steps: triggers, incident and arrest roles, statements, casualties, dates,
claims and perpetrators by role (`kg.extract.steps`)."""

from kg.extract.events import actions, casualties, claims, dates, roles, statements, triggers

__all__ = ["actions", "casualties", "claims", "dates", "roles", "statements", "triggers"]
