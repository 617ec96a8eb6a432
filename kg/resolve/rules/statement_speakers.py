"""A fact quoted from a statement ("..., read the statement") is the statement's speaker's."""

from __future__ import annotations

import dataclasses

from kg.model import Fact, Key
from kg.resolve.world import Outcome, World, rule


@rule("statement_speakers")
def statement_speakers(facts: list[Fact], world: World) -> Outcome:
    speakers = {f.subject: f.object for f in facts if f.predicate == "speaker" and isinstance(f.object, Key)}
    return Outcome(
        [
            dataclasses.replace(f, speaker=speakers[f.statement])
            if f.speaker is None and f.statement in speakers
            else f
            for f in facts
        ]
    )
