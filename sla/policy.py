"""Per-step SLA policy: defaults, overridable by properties of the user task in the BPMN."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

BREACH_ACTIONS = ("none", "return_to_pool", "deemed_approval")


@dataclass(frozen=True)
class StepPolicy:
    # Remind at close of office of the working day by which this share of the time limit is used.
    reminder_share: float = 0.75
    # Second escalation, to the appellate authority, this many working days after the breach.
    appeal_after_days: int = 5
    # What happens to the task itself at the breach; nothing by default.
    on_breach: str = "none"

    @classmethod
    def from_properties(cls, props: Mapping[str, str]) -> StepPolicy:
        default = cls()
        share = props.get("reminder_share")
        appeal = props.get("appeal_after_days")
        action = props.get("on_breach", default.on_breach)
        return cls(
            reminder_share=float(share) if share and 0 < float(share) < 1 else default.reminder_share,
            appeal_after_days=int(appeal) if appeal and appeal.isdigit() else default.appeal_after_days,
            on_breach=action if action in BREACH_ACTIONS else default.on_breach,
        )
