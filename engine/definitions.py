"""Deploying process definitions: every distinct BPMN/DMN set becomes a new immutable version."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.diff import elements
from engine.errors import DefinitionInvalid, Problem, ReplaceNotConfirmed
from engine.model_expressions import translate
from engine.models import Definition
from engine.uow import UnitOfWork
from engine.validation import ScreenedFiles, descriptive_only, lint, screen
from engine.wording import library_problem, schema_problem, unexpected_problem


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
    confirm_replace: bool = False,
) -> DeployResult:
    """Validate a BPMN/DMN set and store it as the newest version of its process.

    Identical content to the newest version deploys nothing. Raises DefinitionInvalid listing
    every problem found; nothing is stored then. Files unrelated to the newest version of the
    same process id (see `unrelated`) raise ReplaceNotConfirmed unless `confirm_replace`.
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
    if latest is not None and not confirm_replace and unrelated(latest.files, screened.text):
        raise ReplaceNotConfirmed(
            f"The process '{key}' already exists (version {latest.version}, '{latest.name}'), and these files share "
            "none of its steps or gateways: deploying them would make an unrelated process its next version. "
            "Confirm that this is meant to replace it (confirm_replace=true), or give the process another id."
        )
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


# Kinds whose ids say "the same step" across versions; events are left out, since modelers give
# every new diagram the same start and end ids (StartEvent_1, start, end).
_STEP_KINDS = ("task", "Task", "subProcess", "callActivity", "Gateway", "transaction")


def unrelated(old_files: Mapping[str, str], new_files: Mapping[str, str]) -> bool:
    """Whether two BPMN sets have no step (task, sub-process, call activity) or gateway id in
    common, while the old one has some: the new one is then another process, not an edit."""

    def steps(files: Mapping[str, str]) -> set[str]:
        bpmn = {name: text for name, text in files.items() if not name.endswith(".dmn")}
        return {e.id for e in elements(bpmn).values() if any(e.kind.endswith(k) for k in _STEP_KINDS)}

    old = steps(old_files)
    return bool(old) and not (old & steps(new_files))


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
    """Every check deploy makes, storing nothing: safe XML, a process marked executable, the
    expressions translated into Python, the library's parse, our lint.

    The returned `screened` holds the files as written (what is stored); the spec is built from
    a translated copy (docs/decisions.md, D30). A call activity may call a process of
    `deployed_processes` that is not in `files` (D25); a service task must name one of
    `known_operators` (D27).
    """
    screened, problems = screen(files)
    if problems:
        return Checked(problems, screened)
    descriptive = descriptive_only(screened)
    if descriptive:
        return Checked([descriptive], screened)
    translated, problems = translate(screened)
    parser, parse_problems = _parse(translated)
    problems += parse_problems
    problems += lint(translated, known_lanes=known_lanes, known_names=known_names)
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
        return Checked([library_problem(err)], screened)
    except (SpiffWorkflowException, NotImplementedError, KeyError, TypeError, ValueError, AttributeError) as err:
        return Checked([unexpected_problem(err)], screened)
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
            problems.append(schema_problem(err, name, root) if err.line_number else library_problem(err, name))
        except (SpiffWorkflowException, NotImplementedError, etree.LxmlError, TypeError, ValueError, KeyError) as err:
            problems.append(unexpected_problem(err, name))
    for name, root in screened.dmn.items():
        try:
            parser.add_dmn_xml(root, filename=name)
        except ValidationException as err:
            problems.append(schema_problem(err, name, root) if err.line_number else library_problem(err, name))
        except (SpiffWorkflowException, NotImplementedError, etree.LxmlError, TypeError, ValueError, KeyError) as err:
            problems.append(unexpected_problem(err, name))
    return parser, problems


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
