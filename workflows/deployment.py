"""Use case: deploy scheme processes, each BPMN file with the DMN files it calls."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from engine.definitions import DeployResult, deploy
from workflows import roles
from workflows.schemes import DATA_NAMES
from workflows.uow import SchemeUnitOfWork

# What a scheme process must satisfy beyond BPMN itself: its lanes are roles, and its conditions
# read only what an application holds (or the model sets). Every deploy and validation uses these.
SCHEME_RULES = {"known_lanes": roles.LANE_ROLES, "known_names": DATA_NAMES}

_CALLED = re.compile(rb"<spiffworkflow:calledDecisionId>\s*([^<\s]+)\s*</spiffworkflow:calledDecisionId>")
_DECISION = re.compile(rb"<(?:\w+:)?decision\b[^>]*\bid=\"([^\"]+)\"")


def bundles(files: Mapping[str, bytes]) -> dict[str, dict[str, bytes]]:
    """Group a folder's files: each BPMN file with exactly the DMN files whose decisions it calls."""
    decisions = {d.decode(): name for name, body in files.items() if name.endswith(".dmn") for d in _DECISION.findall(body)}
    grouped = {}
    for name, body in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        called = {c.decode() for c in _CALLED.findall(body)}
        grouped[name] = {name: body} | {decisions[c]: files[decisions[c]] for c in called if c in decisions}
    return grouped


def deploy_set(
    uow: SchemeUnitOfWork, files: Mapping[str, bytes], *, actor: str, comment: str = "", confirm_replace: bool = False
) -> DeployResult:
    """Deploy one BPMN/DMN set of a scheme process; commits once."""
    result = deploy(uow, files, actor=actor, comment=comment, confirm_replace=confirm_replace, **SCHEME_RULES)
    uow.commit()
    return result


def deploy_directory(
    uow_factory, folder: Path, *, actor: str, comment: str = "", confirm_replace: bool = False  # noqa: ANN001
) -> list[DeployResult]:
    """Deploy every BPMN file of `folder`, each in its own transaction."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".bpmn", ".dmn")}
    results = []
    for bundle in bundles(files).values():
        with uow_factory() as uow:
            results.append(deploy_set(uow, bundle, actor=actor, comment=comment, confirm_replace=confirm_replace))
    return results
