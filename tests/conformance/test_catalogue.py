"""Every model under models/ deploys (the ones validation must refuse live in models/refused/)."""

from __future__ import annotations

import pytest

from tests.conformance.conftest import MODELS, Driver

DMN = sorted(p.name for p in MODELS.glob("*.dmn"))
# Deployed first: the processes other models call without carrying them in their own files.
CALLED = ["call_activity_callee.bpmn"]


@pytest.mark.parametrize("name", sorted(p.name for p in MODELS.glob("*.bpmn")))
def test_every_model_deploys(driver: Driver, name: str) -> None:
    for callee in CALLED:
        if callee != name:
            driver.deploy(callee)
    definition = driver.deploy(name, *DMN)
    assert definition.version == 1 and definition.spec["spec"]


def test_every_model_is_driven_by_a_test() -> None:
    """A model nobody runs proves nothing: each file is named by some conformance test."""
    from pathlib import Path

    tests = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py") if p.name != "test_catalogue.py")
    unused = [p.name for p in sorted(MODELS.glob("*.*")) if p.name not in tests]
    assert unused == []
