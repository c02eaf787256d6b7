"""Do the office steps' time limits fit the scheme's overall limit, on every path through the flow?

The overall limit (scheme.json `time_limit_days`) is the department's time: steps in the applicant's
lane (clarifications, utilisation certificates) are the applicant's and do not count (README of
bpmn/). A path runs from the start event to an end event; it does not take "return" flows (a return
stops the department's clock, D81), and a loop that is part of the normal path (the instalments of
a CFC grant) is counted as taken twice, i.e. each step at most twice on one path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from workflows.catalogue import roles

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF_PROPERTY = "{http://spiffworkflow.org/bpmn/schema/1.0/core}property"
MAX_VISITS = 2
MAX_PATHS = 20_000  # a flow with more paths than this is not checked path by path (none of ours comes near)


@dataclass(frozen=True)
class LongestPath:
    days: int
    steps: tuple[str, ...]  # the office steps on it, in order (names)


def _limit(task: etree._Element) -> int:
    for prop in task.iter(SPIFF_PROPERTY):
        if prop.get("name") == "time_limit_days":
            try:
                return int(prop.get("value") or 0)
            except ValueError:
                return 0
    return 0


def _is_return(flow: etree._Element) -> bool:
    condition = flow.find(f"{BPMN}conditionExpression")
    text = "".join(condition.itertext()).replace("'", '"').replace(" ", "") if condition is not None else ""
    return text == 'outcome=="return"'


def longest_office_path(bpmn: Mapping[str, etree._Element], process_id: str) -> LongestPath | None:
    """The path whose office steps' limits add up to the most; None when the process is not there."""
    process = next((p for root in bpmn.values() for p in root.iter(f"{BPMN}process") if p.get("id") == process_id), None)
    if process is None:
        return None
    lane_of = {
        ref.text.strip(): lane.get("name") or ""
        for lane in process.iter(f"{BPMN}lane") for ref in lane.findall(f"{BPMN}flowNodeRef") if ref.text
    }  # fmt: skip
    days, names = {}, {}
    for task in process.findall(f"{BPMN}userTask"):
        if lane_of.get(task.get("id"), "") != roles.APPLICANT:
            days[task.get("id")] = _limit(task)
            names[task.get("id")] = task.get("name") or task.get("id")
    outgoing: dict[str, list[str]] = {}
    for flow in process.findall(f"{BPMN}sequenceFlow"):
        if not _is_return(flow):
            outgoing.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    starts = [e.get("id") for e in process.findall(f"{BPMN}startEvent")]
    best = LongestPath(0, ())
    explored = 0
    stack = [(s, 0, (), {s: 1}) for s in starts]
    while stack and explored < MAX_PATHS:
        node, total, steps, visits = stack.pop()
        if node in days:
            total, steps = total + days[node], (*steps, names[node])
        following = [n for n in outgoing.get(node, []) if visits.get(n, 0) < MAX_VISITS]
        if not outgoing.get(node):
            explored += 1
            best = max(best, LongestPath(total, steps), key=lambda p: p.days)
        for nxt in following:
            stack.append((nxt, total, steps, {**visits, nxt: visits.get(nxt, 0) + 1}))
    return best


def problems(bpmn: Mapping[str, etree._Element], process_id: str, overall_days: object) -> list[str]:
    """A refusal when some path's office steps need more working days than the overall limit."""
    if not isinstance(overall_days, int) or isinstance(overall_days, bool):
        return []
    longest = longest_office_path(bpmn, process_id)
    if longest is None or longest.days <= overall_days:
        return []
    return [
        f"The office steps' time limits add up to {longest.days} working days on the path "
        f"{' -> '.join(longest.steps)}, more than the overall limit of {overall_days}; "
        "lower the steps' limits or raise the overall limit."
    ]
