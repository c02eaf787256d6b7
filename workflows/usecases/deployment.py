"""Use case: deploy scheme processes (each BPMN file with the DMN files it calls) and publish the
scheme bundles of a folder (`<folder>/schemes/<name>/scheme.json`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from engine.definitions import DeployResult, deploy
from workflows.catalogue.bundles import data_names, load_folder
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.scheme_admin import publish_bundle, scheme_rules

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
    uow: SchemeUnitOfWork, files: Mapping[str, bytes], *, actor: str, comment: str = "", extra_names: Iterable[str] = (),
    confirm_replace: bool = False,
) -> DeployResult:
    """Deploy one BPMN/DMN set of a scheme process; commits once."""
    result = deploy(uow, files, actor=actor, comment=comment, confirm_replace=confirm_replace, **scheme_rules(uow, extra_names))
    uow.commit()
    return result


def scheme_folders(folder: Path) -> list[Path]:
    root = folder / "schemes"
    return sorted(p for p in root.iterdir() if (p / "scheme.json").is_file()) if root.is_dir() else []


def deploy_directory(
    uow_factory, folder: Path, *, actor: str, comment: str = "", confirm_replace: bool = False  # noqa: ANN001
) -> list[DeployResult]:
    """Deploy every BPMN file of `folder`, each in its own transaction, then publish the folder's
    scheme bundles whose content changed (also each in its own transaction)."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".bpmn", ".dmn")}
    schemes = [load_folder(p) for p in scheme_folders(folder)]
    names = set().union(*(data_names(b) for b in schemes)) if schemes else set()
    results = []
    for bundle in bundles(files).values():
        with uow_factory() as uow:
            results.append(deploy_set(uow, bundle, actor=actor, comment=comment, extra_names=names, confirm_replace=confirm_replace))
    for scheme in schemes:
        with uow_factory() as uow:
            publish_bundle(uow, scheme, actor=actor, comment=comment or "Deployed from the repository", check_role=False)
    return results
