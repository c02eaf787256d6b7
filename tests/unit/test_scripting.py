"""The restricted script engine: ordinary model code works, escapes are refused everywhere code runs."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from engine.scripting import ScriptSecurityError, make_script_engine

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'id="defs" targetNamespace="http://example.org/test">'
)


def _main_process(script: str, condition: str) -> str:
    """start -> script -> DMN -> gateway (condition -> approved, else rejected)."""
    return f"""{HEAD}
  <bpmn:process id="main" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="calc" name="Calculate" scriptFormat="python">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{escape(script, quote=False)}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:businessRuleTask id="rules" name="Rules">
      <bpmn:extensionElements><spiffworkflow:calledDecisionId>band</spiffworkflow:calledDecisionId></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:exclusiveGateway id="gw" default="f5"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing><bpmn:outgoing>f5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="approved"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="rejected"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="calc"/>
    <bpmn:sequenceFlow id="f2" sourceRef="calc" targetRef="rules"/>
    <bpmn:sequenceFlow id="f3" sourceRef="rules" targetRef="gw"/>
    <bpmn:sequenceFlow id="f4" sourceRef="gw" targetRef="approved">
      <bpmn:conditionExpression>{escape(condition, quote=False)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="gw" targetRef="rejected"/>
  </bpmn:process>
</bpmn:definitions>"""


def _decision(small_cell: str = "? &lt;= 100", small_output: str = "amount * 2") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="dmn" name="Band"
             namespace="http://example.org/test">
  <decision id="band" name="Band">
    <decisionTable id="table" hitPolicy="UNIQUE">
      <input id="in_amount" label="Amount">
        <inputExpression id="ie_amount" typeRef="integer"><text>amount</text></inputExpression>
      </input>
      <input id="in_category" label="Category">
        <inputExpression id="ie_category" typeRef="string"><text>category.upper()</text></inputExpression>
      </input>
      <output id="out_band" label="Band" name="band" typeRef="string"/>
      <output id="out_limit" label="Limit" name="limit" typeRef="integer"/>
      <rule id="r_small">
        <inputEntry id="r_small_a"><text>{small_cell}</text></inputEntry>
        <inputEntry id="r_small_c"><text></text></inputEntry>
        <outputEntry id="r_small_b"><text>"small"</text></outputEntry>
        <outputEntry id="r_small_l"><text>{small_output}</text></outputEntry>
      </rule>
      <rule id="r_reserved">
        <inputEntry id="r_res_a"><text>100 &lt; ? &lt;= 1000</text></inputEntry>
        <inputEntry id="r_res_c"><text>? in ("SC", "ST")</text></inputEntry>
        <outputEntry id="r_res_b"><text>"reserved"</text></outputEntry>
        <outputEntry id="r_res_l"><text>1000</text></outputEntry>
      </rule>
      <rule id="r_other">
        <inputEntry id="r_oth_a"><text></text></inputEntry>
        <inputEntry id="r_oth_c"><text>"GEN"</text></inputEntry>
        <outputEntry id="r_oth_b"><text>"general"</text></outputEntry>
        <outputEntry id="r_oth_l"><text>0</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>"""


def _workflow(bpmn: str, process_id: str = "main", dmn: str | None = None, **data: Any) -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(bpmn.encode(), filename="t.bpmn")
    if dmn is not None:
        parser.add_dmn_str(dmn.encode(), filename="t.dmn")
    wf = BpmnWorkflow(
        parser.get_spec(process_id),
        parser.get_subprocess_specs(process_id),
        script_engine=make_script_engine(),
    )
    wf.task_tree.data.update(data)
    return wf


def _run_main(
    script: str = "pass", condition: str = 'outcome == "approve"', dmn: str | None = None, **data: Any
) -> BpmnWorkflow:
    data = {"amount": 50, "category": "sc", "outcome": "approve", **data}
    wf = _workflow(_main_process(script, condition), dmn=dmn or _decision(), **data)
    wf.do_engine_steps()
    return wf


def _end(wf: BpmnWorkflow) -> str:
    assert wf.is_completed()
    ends = [t.task_spec.bpmn_id for t in wf.get_tasks(state=TaskState.COMPLETED) if t.task_spec.bpmn_id]
    return "approved" if "approved" in ends else "rejected"


def _serialize(wf: BpmnWorkflow) -> str:
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG)).serialize_json(wf)


# --- ordinary model code keeps working -------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "end"), [("approve", "approved"), ("reject", "rejected")])
def test_gateway_condition_picks_the_flow(outcome: str, end: str) -> None:
    assert _end(_run_main(outcome=outcome)) == end


def test_script_task_handles_everyday_python() -> None:
    script = "\n".join(
        [
            "instalment_no += 1",
            "amounts = [amount, amount * 2]",
            "totals = {'sum': sum(amounts), 'max': max(amounts)}",
            "totals['min'] = min(amounts)",
            "squares = [a * a for a in amounts if a > 0]",
            "by_name = {k: len(k) for k in ('ab', 'abc')}",
            "label = ' Approve '.strip().lower()",
            "count = 0",
            "for i, a in enumerate(amounts):",
            "    if a in amounts and i >= 0:",
            "        count += 1",
            "note = 'Instalment {0} of {n:>3}'.format(instalment_no, n=count)",
            "def twice(v):",
            "    return v * 2",
            "doubled = twice(amount)",
            "key = sorted(amounts, key=lambda v: -v)[0]",
        ]
    )
    wf = _run_main(script, condition="label == 'approve' and instalment_no == 2", instalment_no=1)
    data = wf.get_tasks(spec_name="calc")[0].data
    assert data["instalment_no"] == 2
    assert data["amounts"] == [50, 100]
    assert data["totals"] == {"sum": 150, "max": 100, "min": 50}
    assert data["squares"] == [2500, 10000] and data["by_name"] == {"ab": 2, "abc": 3}
    assert data["label"] == "approve" and data["count"] == 2
    assert data["note"] == "Instalment 2 of   2"
    assert data["doubled"] == 100 and data["key"] == 100
    assert _end(wf) == "approved"


def test_script_leaves_only_user_variables_and_serializes() -> None:
    wf = _run_main(
        "def helper(v):\n    return v + 1\nf = lambda v: v\nresult = helper(amount)", instalment_no=1
    )
    data = wf.get_tasks(spec_name="calc")[0].data
    assert set(data) == {"amount", "category", "outcome", "instalment_no", "result"}
    assert not any(callable(v) for v in data.values())
    restored = json.loads(_serialize(wf))
    assert restored["serializer_version"]


@pytest.mark.parametrize(
    ("amount", "category", "band", "limit"),
    [
        (50, "gen", "small", 100),  # `? <= 100`; output expression reads the input variable
        (500, "st", "reserved", 1000),  # `100 < ? <= 1000` and `? in (...)` on a computed input
        (500, "gen", "general", 0),  # a plain value cell compares with ==
    ],
)
def test_dmn_cells_and_outputs(amount: int, category: str, band: str, limit: int) -> None:
    wf = _run_main(amount=amount, category=category)
    data = wf.get_tasks(spec_name="rules")[0].data
    assert (data["band"], data["limit"]) == (band, limit)


def test_registered_functions_are_callable_and_not_left_in_data() -> None:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(_main_process("days = working_days(3)", "days == 5").encode(), filename="t.bpmn")
    parser.add_dmn_str(_decision().encode(), filename="t.dmn")
    engine = make_script_engine({"working_days": lambda n: n + 2})
    wf = BpmnWorkflow(parser.get_spec("main"), parser.get_subprocess_specs("main"), script_engine=engine)
    wf.task_tree.data.update(amount=1, category="x", outcome="")
    wf.do_engine_steps()
    assert _end(wf) == "approved"
    assert "working_days" not in wf.get_tasks(spec_name="calc")[0].data


# --- escapes are refused -------------------------------------------------------------------------

ATTACKS = [
    ("().__class__.__base__.__subclasses__()", "access to attribute '__class__' is not allowed"),
    ('__import__("os")', "name '__import__' is not allowed"),
    ('open("/etc/passwd").read()', "'open' is not available"),
    ("amount.__dict__", "access to attribute '__dict__' is not allowed"),
    ('getattr(amount, "__class__")', "'getattr' is not available"),
    ('exec("1")', "Exec calls are not allowed"),
    ('eval("1")', "Eval calls are not allowed"),
    ("globals()", "'globals' is not available"),
    ("(lambda: 0).__globals__", "access to attribute '__globals__' is not allowed"),
    ("(a for a in []).gi_frame", "access to attribute 'gi_frame' is not allowed"),
    ('"{0.__class__}".format(1)', "access to attribute '__class__' is not allowed"),
    ('str.format("{0.__class__}", 1)', "access to attribute '__class__' is not allowed"),
    ('"{a.__class__}".format_map({"a": 1})', "access to attribute '__class__' is not allowed"),
    ("type(amount)", "'type' is not available"),
]


@pytest.mark.parametrize(("expression", "message"), ATTACKS)
def test_attack_in_gateway_condition_is_refused(expression: str, message: str) -> None:
    with pytest.raises(WorkflowTaskException) as caught:
        _run_main(condition=f"outcome == 'approve' and {expression}")
    assert message in str(caught.value)
    assert caught.value.task.task_spec.bpmn_id == "gw"


@pytest.mark.parametrize(("expression", "message"), ATTACKS)
def test_attack_in_script_task_is_refused(expression: str, message: str) -> None:
    with pytest.raises(WorkflowTaskException) as caught:
        _run_main(f"x = 1\ny = {expression}")
    assert message in str(caught.value)
    assert caught.value.task.task_spec.bpmn_id == "calc"
    assert caught.value.task.state == TaskState.ERROR


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("import os", "import statements are not allowed"),
        ("from os import path", "import statements are not allowed"),
        ("class A:\n    pass", "class definitions are not allowed"),
        ("print(1)", "'print' is not available"),
        ("_getattr_ = 1", "name '_getattr_' is not allowed"),
        ("len.x = 1", "is not allowed"),
    ],
)
def test_forbidden_statements_in_script_task(script: str, message: str) -> None:
    with pytest.raises(WorkflowTaskException) as caught:
        _run_main(script)
    assert message in str(caught.value)


def test_runtime_refusal_reports_the_script_line() -> None:
    with pytest.raises(WorkflowTaskException) as caught:
        _run_main("x = 1\ny = open('/etc/passwd')")
    assert caught.value.line_number == 2 and "open" in caught.value.error_line


def test_format_with_safe_fields_still_works_and_the_attack_leaks_nothing() -> None:
    env = make_script_engine().environment
    assert env.evaluate('"{0:>4}|{1[k]}|{a}".format(7, {"k": 2}, a="x")', {}) == "   7|2|x"
    with pytest.raises(ScriptSecurityError) as caught:
        env.evaluate('"{0.__class__}".format(1)', {})
    assert "int" not in str(caught.value)


@pytest.mark.parametrize(
    "dmn",
    [
        _decision(small_cell="? == ().__class__.__base__"),
        _decision(small_output="().__class__.__base__.__subclasses__()"),
        _decision(small_output='open("/etc/passwd").read()'),
    ],
    ids=["input-cell", "output-cell", "output-builtin"],
)
def test_attack_in_dmn_cell_is_refused(dmn: str) -> None:
    with pytest.raises(WorkflowTaskException) as caught:
        _run_main(dmn=dmn)
    assert "not allowed" in str(caught.value) or "not available" in str(caught.value)
    assert caught.value.task.task_spec.bpmn_id == "rules"


def test_iterator_left_in_task_data_is_reported() -> None:
    with pytest.raises(WorkflowTaskException, match="wrap it in list"):
        _run_main("pairs = zip([1], [2])")


def test_syntax_error_stays_a_syntax_error() -> None:
    with pytest.raises(WorkflowTaskException) as caught:
        _run_main("x = (1 +")
    assert caught.value.error_type == "SyntaxError"


# --- timers --------------------------------------------------------------------------------------


def _timer_process(duration: str) -> str:
    return f"""{HEAD}
  <bpmn:process id="timers" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="work" name="Work"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="reminder" attachedToRef="work" cancelActivity="false">
      <bpmn:outgoing>f4</bpmn:outgoing>
      <bpmn:timerEventDefinition id="t1"><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:intermediateCatchEvent id="pause"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition id="t2"><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="reminded"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="pause"/>
    <bpmn:sequenceFlow id="f3" sourceRef="pause" targetRef="end"/>
    <bpmn:sequenceFlow id="f4" sourceRef="reminder" targetRef="reminded"/>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize("duration", ['"PT1S"', "wait"])
def test_timer_durations_evaluate(duration: str) -> None:
    wf = _workflow(_timer_process(duration), "timers", wait="PT1S")
    wf.do_engine_steps()
    waiting = {
        t.task_spec.bpmn_id: t for t in wf.get_tasks(state=TaskState.WAITING, spec_class=CatchingEvent)
    }
    assert waiting["reminder"].internal_data["event_value"]

    work = wf.get_tasks(state=TaskState.READY, manual=True)[0]
    work.run()
    wf.do_engine_steps()
    pause = wf.get_tasks(spec_name="pause")[0]
    assert pause.state == TaskState.WAITING and pause.internal_data["event_value"]
    _serialize(wf)


def test_attack_in_timer_expression_is_refused() -> None:
    wf = _workflow(_timer_process("().__class__"), "timers")
    with pytest.raises(WorkflowTaskException, match="access to attribute '__class__' is not allowed"):
        wf.do_engine_steps()
