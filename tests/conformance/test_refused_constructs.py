"""Constructs the engine cannot run durably are refused at validation, in plain words, naming the
element (issue 12). One small model per construct in models/refused/; each is checked with the
scheme rules every deploy uses, and a deploy of it stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.definitions import check, deploy
from engine.errors import DefinitionInvalid
from engine.runtime import Runtime
from engine.uow import UnitOfWork
from engine.wording import LEAKS
from tests.flow_edits import shipped_scheme_rules

MODELS = Path(__file__).parent / "models" / "refused"

# file -> (element id the problem names, words the message holds)
REFUSED = {
    "compensation_boundary.bpmn": ("undo_booking", "does not support compensation"),
    "compensation_throw.bpmn": ("undo_all", "does not support compensation"),
    "descriptive_only.bpmn": ("descriptive_only", "marked executable"),
    "unroutable_outcome.bpmn": ("scrutiny", "allows the outcome 'return'"),
    "lane_in_subprocess.bpmn": ("visit_site", "'site_inspector' is not a known role"),
    "unparseable_juel.bpmn": ("flow_large", "ends too early"),
    "unparseable_feel.bpmn": ("flow_large", "'some … satisfies'"),
    "unknown_language.bpmn": ("flow_large", "'javascript' is not accepted"),
    "timer_without_zone.bpmn": ("wait_for_fair", "has no time zone"),
    "conditional_event.bpmn": ("wait_until_ready", "nothing re-evaluates its condition"),
    "transaction_cancel.bpmn": ("payment", "transaction sub-process cannot be run"),
    "ad_hoc_subprocess.bpmn": ("paperwork", "ad-hoc sub-process cannot be run"),
    "complex_gateway.bpmn": ("merge", "complex gateway cannot be run"),
    "link_events.bpmn": ("go_to_review", "link event cannot be run"),
}


def test_every_refused_model_is_listed() -> None:
    assert sorted(p.name for p in MODELS.glob("*.bpmn")) == sorted(REFUSED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_construct_is_refused_naming_the_element(name: str) -> None:
    element_id, words = REFUSED[name]
    problems = check({name: (MODELS / name).read_bytes()}, **shipped_scheme_rules()).problems
    assert problems, f"{name} was accepted"
    assert any(p.element_id == element_id and words in p.message for p in problems), [str(p) for p in problems]
    assert not [p.message for p in problems if LEAKS.search(p.message)]
    # The message says which languages are accepted whenever a condition is refused.
    if name.startswith(("unparseable", "unknown_language")):
        assert all("Python, JUEL (${…}) or simple FEEL" in p.message for p in problems)


def test_a_transaction_names_its_cancel_event_too() -> None:
    problems = check({"t.bpmn": (MODELS / "transaction_cancel.bpmn").read_bytes()}, **shipped_scheme_rules()).problems
    assert {p.element_id for p in problems} == {"payment", "pay_cancelled"}


def test_a_descriptive_model_is_told_only_that() -> None:
    problems = check({"d.bpmn": (MODELS / "descriptive_only.bpmn").read_bytes()}, **shipped_scheme_rules()).problems
    assert len(problems) == 1, [str(p) for p in problems]


def test_compensation_is_refused_for_the_event_and_the_handler() -> None:
    problems = check({"c.bpmn": (MODELS / "compensation_boundary.bpmn").read_bytes()}, **shipped_scheme_rules()).problems
    assert {p.element_id for p in problems} == {"undo_booking", "cancel_booking"}


def test_a_user_task_inside_a_subprocess_in_a_known_lane_passes() -> None:
    """The sub-process's lane is the task's lane (as the library assigns it), not "no lane"."""
    fixed = (MODELS / "lane_in_subprocess.bpmn").read_bytes().replace(b'name="site_inspector"', b'name="bank_officer"')
    assert check({"l.bpmn": fixed}, **shipped_scheme_rules()).problems == []
    # Drawn in one lane while its sub-process is in another: the engine would hand it to the
    # sub-process's lane, so the model is refused instead of surprising the officers.
    split = fixed.replace(
        b"<bpmn:flowNodeRef>inspection</bpmn:flowNodeRef><bpmn:flowNodeRef>visit_site</bpmn:flowNodeRef>",
        b"<bpmn:flowNodeRef>inspection</bpmn:flowNodeRef>",
    ).replace(b"<bpmn:flowNodeRef>end</bpmn:flowNodeRef>", b"<bpmn:flowNodeRef>end</bpmn:flowNodeRef><bpmn:flowNodeRef>visit_site</bpmn:flowNodeRef>")
    problems = check({"l.bpmn": split}, **shipped_scheme_rules()).problems
    assert [(p.element_id, "drawn in lane 'dic_officer'" in p.message) for p in problems] == [("visit_site", True)]


def test_the_outcome_lint_accepts_a_default_flow_and_a_return_route() -> None:
    model = (MODELS / "unroutable_outcome.bpmn").read_bytes()
    with_default = model.replace(b'name="Scrutiny outcome?"', b'name="Scrutiny outcome?" default="f4"')
    assert check({"o.bpmn": with_default}, **shipped_scheme_rules()).problems == []
    handled = model.replace(b'outcome == "reject"', b'outcome in ("reject", "return")')
    assert check({"o.bpmn": handled}, **shipped_scheme_rules()).problems == []


@pytest.mark.parametrize("name", ["compensation_boundary.bpmn", "unparseable_juel.bpmn"])
def test_a_refused_deploy_stores_nothing(runtime: Runtime, name: str) -> None:
    with UnitOfWork(runtime) as uow, pytest.raises(DefinitionInvalid):
        deploy(uow, {name: (MODELS / name).read_bytes()}, actor="admin", comment="x", **shipped_scheme_rules())
    with UnitOfWork(runtime) as uow:
        assert uow.definitions.list() == []
