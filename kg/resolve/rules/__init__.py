"""Resolution rules, one a module, registered by name (`kg.resolve.world`)."""

from kg.resolve.rules import (
    dominant_country,
    drop_generic,
    gazetteer_places,
    geography,
    places_in_names,
    positions,
    primary,
    qualify_generic,
    role_labels,
    role_merge,
    self_claims,
    sentence_locations,
    sites,
    statement_speakers,
    title_holders,
)

__all__ = [
    "dominant_country",
    "drop_generic",
    "gazetteer_places",
    "geography",
    "places_in_names",
    "positions",
    "primary",
    "qualify_generic",
    "role_labels",
    "role_merge",
    "self_claims",
    "sentence_locations",
    "sites",
    "statement_speakers",
    "title_holders",
]
