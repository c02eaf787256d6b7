"""Deploying process definitions: every distinct BPMN/DMN set becomes a new immutable version."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.errors import DefinitionInvalid, Problem
from engine.models import Definition
from engine.uow import UnitOfWork
from engine.validation import ScreenedFiles, lint, screen


@dataclass(frozen=True)
class DeployResult:
    definition: Definition
    created: bool


def checksum(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def deploy(
    uow: UnitOfWork,
    files: Mapping[str, bytes],
    *,
    actor: str,
    comment: str = "",
    process_id: str | None = None,
    known_lanes: Iterable[str] | None = None,
    known_names: Iterable[str] | None = None,
) -> DeployResult:
    """Validate a BPMN/DMN set and store it as the newest version of its process.

    Identical content to the newest version deploys nothing. Raises DefinitionInvalid listing
    every problem found; nothing is stored then.
    """
    checked = check(
        files, process_id=process_id, known_lanes=known_lanes, known_names=known_names,
        deployed_processes=uow.definitions.latest_versions(), known_operators=uow.runtime.services.names(),
    )
    if checked.problems:
        raise DefinitionInvalid(checked.problems)
    key, spec, subprocess_specs, screened = checked.key, checked.spec, checked.subprocess_specs, checked.screened
    digest = checksum(files)
    latest = uow.definitions.latest(key)
    if latest is not None and latest.checksum == digest:
        return DeployResult(latest, created=False)
    definition = Definition(
        key=key,
        version=(latest.version + 1) if latest else 1,
        name=spec.description or key,
        checksum=digest,
        files=dict(screened.text),
        spec=uow.runtime.codec.spec_to_dict(spec, subprocess_specs),
        user_tasks=describe_user_tasks([spec, *subprocess_specs.values()]),
        deployed_by=actor,
        deployed_at=uow.clock.now(),
        comment=comment,
    )
    uow.definitions.add(definition)
    uow.flush()
    uow.audit.record(
        "definition_deployed",
        actor,
        definition_id=definition.id,
        key=key,
        version=definition.version,
        checksum=digest,
        comment=comment,
    )
    return DeployResult(definition, created=True)


@dataclass
class Checked:
    """What validation found: the problems, or the parsed process ready to store."""

    problems: list[Problem]
    screened: ScreenedFiles
    key: str | None = None
    spec: Any = None
    subprocess_specs: dict[str, Any] | None = None


def check(
    files: Mapping[str, bytes],
    *,
    process_id: str | None = None,
    known_lanes: Iterable[str] | None = None,
    known_names: Iterable[str] | None = None,
    deployed_processes: Iterable[str] = (),
    known_operators: Iterable[str] = (),
) -> Checked:
    """Every check deploy makes, storing nothing: safe XML, the library's parse, our lint.

    A call activity may call a process of `deployed_processes` that is not in `files` (D25); a
    service task must name one of `known_operators` (D27).
    """
    screened, problems = screen(files)
    if problems:
        return Checked(problems, screened)
    parser, problems = _parse(screened)
    problems += lint(screened, known_lanes=known_lanes, known_names=known_names)
    problems += _lint_service_tasks(screened, sorted(known_operators))
    key = None
    if not problems:
        key, problems = _choose_process(parser, process_id)
    if problems:
        return Checked(problems, screened)
    try:
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key, require_call_activity_specs=False)
    except ValidationException as err:
        return Checked([_from_validation(err)], screened)
    except (SpiffWorkflowException, KeyError, TypeError, ValueError, AttributeError) as err:
        return Checked([Problem(f"The process could not be built: {err}")], screened)
    problems = _called_elsewhere(screened, subprocess_specs, set(deployed_processes) - {key})
    if problems:
        return Checked(problems, screened)
    return Checked([], screened, key, spec, {k: v for k, v in subprocess_specs.items() if v is not None})


def _lint_service_tasks(screened: ScreenedFiles, operators: list[str]) -> list[Problem]:
    """Every service task names an operator of the registry."""
    problems = []
    listed = ", ".join(operators) or "none"
    for file, root in screened.bpmn.items():
        for el in root.iter(f"{{{_BPMN_NS}}}serviceTask"):
            found = el.find(f".//{{{_SPIFF_NS}}}serviceTaskOperator")
            name = (found.get("id") or "").strip() if found is not None else ""
            if not name:
                message = f"The service task names no operator; choose one of: {listed}."
            elif name not in operators:
                message = f"The service task calls the operator '{name}', which does not exist (operators: {listed})."
            else:
                continue
            problems.append(Problem(message, file=file, element_id=el.get("id"), element_name=el.get("name")))
    return problems


_BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def _called_elsewhere(screened: ScreenedFiles, specs: Mapping[str, Any], deployed: set[str]) -> list[Problem]:
    """A call activity whose process is neither in the files nor deployed on its own."""
    problems = []
    for key in sorted(k for k, v in specs.items() if v is None and k not in deployed):
        for file, root in screened.bpmn.items():
            for el in root.iter(f"{{{_BPMN_NS}}}callActivity"):
                if el.get("calledElement") == key:
                    problems.append(Problem(
                        f"The call activity calls the process '{key}', which is neither in these files nor deployed"
                        f" (deployed: {', '.join(sorted(deployed)) or 'none'}).",
                        file=file, element_id=el.get("id"), element_name=el.get("name"),
                    ))
    return problems


def _parse(screened: ScreenedFiles) -> tuple[SpiffBpmnParser, list[Problem]]:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    problems: list[Problem] = []
    for name, root in screened.bpmn.items():
        try:
            parser.add_bpmn_xml(root, filename=name)
        except ValidationException as err:
            problems.append(_from_validation(err, name))
        except (SpiffWorkflowException, etree.LxmlError, TypeError, ValueError, KeyError) as err:
            problems.append(Problem(f"The BPMN could not be read: {err}", file=name))
    for name, root in screened.dmn.items():
        try:
            parser.add_dmn_xml(root, filename=name)
        except ValidationException as err:
            problems.append(_from_validation(err, name))
        except (SpiffWorkflowException, etree.LxmlError, TypeError, ValueError, KeyError) as err:
            problems.append(Problem(f"The DMN could not be read: {err}", file=name))
    return parser, problems


# The library's wording for some findings, said plainly (pattern -> message; groups fill in).
_PLAIN = (
    (re.compile(r"Data Store with name (.*) has no implementation"),
     "The data store '{0}' cannot be used: the engine keeps no data outside the application."),
    (re.compile(r"Time Specification Error"), "The timer's time is not an ISO 8601 date, duration or cycle."),
    (re.compile(r"Cannot resolve dataInputAssociation"), "A data input association refers to data that does not exist."),
    (re.compile(r"Cannot resolve dataOutputAssociation"), "A data output association refers to data that does not exist."),
)


def _from_validation(err: ValidationException, file: str | None = None) -> Problem:
    line = err.line_number if isinstance(err.line_number, int) else None
    message = str(err).split("\n")[0].strip()
    for pattern, plain in _PLAIN:
        found = pattern.search(message)
        if found:
            message = plain.format(*found.groups())
            break
    return Problem(message, file=err.file_name or file, element_id=err.id or None, element_name=err.name or None, line=line)


def _choose_process(parser: SpiffBpmnParser, wanted: str | None) -> tuple[str | None, list[Problem]]:
    executable = parser.get_process_ids()
    if wanted:
        if wanted in executable:
            return wanted, []
        return None, [Problem(f"There is no executable process '{wanted}' (found: {', '.join(executable) or 'none'}).")]
    if len(executable) == 1:
        return executable[0], []
    if not executable:
        return None, [Problem("No process is marked executable (isExecutable=\"true\"): there is nothing to run.")]
    called = {dep for p in executable for dep in parser.process_parsers[p].called_element_ids()}
    roots = [p for p in executable if p not in called]
    if len(roots) == 1:
        return roots[0], []
    return None, [Problem(f"The files hold several executable processes ({', '.join(roots)}); name the one to deploy.")]


def describe_user_tasks(specs: Iterable[Any]) -> dict[str, Any]:
    """Per user task: name, lane and extension properties, for inboxes and SLA without a parse."""
    described: dict[str, Any] = {}
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, UserTask):
                described[task_spec.bpmn_id] = {
                    "name": task_spec.bpmn_name or task_spec.bpmn_id,
                    "lane": task_spec.lane,
                    "properties": dict(task_spec.extensions.get("properties", {})),
                }
    return described
