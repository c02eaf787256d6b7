"""The XML schema's and the library's findings reach the administrator in plain words, naming the
element: no namespaces, no `xs:` types, no Python reprs."""

from __future__ import annotations

import pytest

from engine.definitions import check
from engine.wording import LEAKS

HEAD = (
    '<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'id="d" targetNamespace="x">\n<bpmn:process id="p" isExecutable="true">\n'
)
TAIL = "\n</bpmn:process></bpmn:definitions>"
FLOW = '<bpmn:startEvent id="s"/>\n<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>\n<bpmn:endEvent id="e"/>\n'

# (model body, element id named, words of the message)
CASES = [
    (FLOW + '<bpmn:task id="t" name="Look" completionQuantity="many"/>', "t",
     "The attribute 'completionQuantity' of <task> holds 'many', which is not a whole number."),
    ('<bpmn:startEvent id="s" foo="1"/>\n<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>\n<bpmn:endEvent id="e"/>',
     "s", "The <startEvent> 's' may not have the attribute 'foo'."),
    ('<bpmn:startEvent id="s">\n<bpmn:bogus/>\n</bpmn:startEvent>\n<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/>'
     '\n<bpmn:endEvent id="e"/>', "s", "The <bogus> element of 's' is not allowed here; expected: documentation,"),
    (FLOW + '<bpmn:endEvent id="e"/>', "e", "The id 'e' is used by more than one element"),
    ('<bpmn:startEvent id="s"/>\n<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>\n'
     '<bpmn:intermediateCatchEvent id="t" name="Wait"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>\n'
     '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>\n<bpmn:endEvent id="e"/>', "t", "The timer has no date, duration or cycle."),
]


@pytest.mark.parametrize(("body", "element_id", "says"), CASES, ids=[c[2][:40] for c in CASES])
def test_findings_in_plain_words(body: str, element_id: str, says: str) -> None:
    problems = check({"x.bpmn": (HEAD + body + TAIL).encode()}).problems
    assert any(p.element_id == element_id and says in p.message for p in problems), [str(p) for p in problems]
    assert not [p.message for p in problems if LEAKS.search(p.message)]


def test_a_called_process_that_exists_nowhere_is_named() -> None:
    body = ('<bpmn:startEvent id="s"/>\n<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="c"/>\n'
            '<bpmn:callActivity id="c" calledElement="nowhere"/>\n<bpmn:sequenceFlow id="f2" sourceRef="c" targetRef="e"/>'
            '\n<bpmn:endEvent id="e"/>')
    (problem,) = check({"x.bpmn": (HEAD + body + TAIL).encode()}).problems
    assert "'nowhere'" in problem.message and not LEAKS.search(problem.message) and "Did you mean" not in problem.message
