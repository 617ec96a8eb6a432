"""A speaker who says that it, or its members, carried out an attack claims it.

"The group said two of its members had detonated explosive belts": the group claimed
responsibility.
"""

from __future__ import annotations

import dataclasses

from kg.extract.data import confidence
from kg.model import Fact, Key
from kg.resolve.world import Outcome, World, rule


@rule("self_claims")
def self_claims(facts: list[Fact], world: World) -> Outcome:
    members = {(f.subject, f.object) for f in facts if f.predicate in ("memberOf", "branchOf", "partOf")}
    cap = confidence("claim.self_attributed.cap")
    added = [
        dataclasses.replace(
            f,
            subject=f.speaker,
            predicate="claimedResponsibilityFor",
            object=f.subject,
            extractor="claim.self_attributed",
            confidence=round(min(f.confidence, cap), 3),
        )
        for f in facts
        if f.predicate == "perpetrator"
        and f.speaker
        and isinstance(f.object, Key)
        and (f.speaker == f.object or (f.object, f.speaker) in members)
    ]
    return Outcome(facts + added)
