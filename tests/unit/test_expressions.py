"""The JUEL/FEEL/ISO translator: each row is what a modeler writes, the language it is read as,
and what the translated Python gives in the sandbox for some data (or the part it refuses)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.expressions import NotTranslatable, condition_to_python, timer_to_python
from engine.scripting import RestrictedEnvironment

DATA = {"approved": True, "amount": 1500, "category": "SC", "x": 3, "name": "abc", "items": [1, 2, 3],
        "applicant": {"district": "Agra", "age": 40}, "nothing": None, "empty_list": []}

# (written, language attribute, language read, value for DATA)
CONDITIONS = [
    # JUEL, as Camunda 7 / Activiti / Flowable modelers write it
    ("${approved}", None, "JUEL", True),
    ("#{approved}", None, "JUEL", True),
    ("${!approved}", None, "JUEL", False),
    ("${not approved}", None, "JUEL", False),
    ('${amount > 1000 && category == "SC"}', None, "JUEL", True),
    ("${amount > 1000 && category == 'ST'}", None, "JUEL", False),
    ("${amount lt 1000 || category eq 'SC'}", None, "JUEL", True),
    ("${x ne 3 or amount ge 1500}", None, "JUEL", True),
    ("${x gt 2 and x le 3}", None, "JUEL", True),
    ("${amount div 2 == 750 and amount mod 7 == 2}", None, "JUEL", True),
    ("${x % 2 == 1}", None, "JUEL", True),
    ("${applicant.district == 'Agra'}", None, "JUEL", True),
    ("${applicant['age'] >= 18}", None, "JUEL", True),
    ("${empty nothing && empty empty_list && !empty name}", None, "JUEL", True),
    ("${nothing == null}", None, "JUEL", True),
    ("${x > 2 ? approved : false}", None, "JUEL", True),
    ("${-x < 0}", None, "JUEL", True),
    ("${len(items) == 3}", None, "JUEL", True),
    ("approved", "juel", "JUEL", True),
    # simple FEEL, as Camunda 8 and DMN modelers write it
    ('amount > 1000 and category = "SC"', None, "FEEL", True),
    ('=amount > 1000 and category = "SC"', None, "FEEL", True),
    ("= not(approved)", None, "FEEL", False),
    ("x in [1..5]", None, "FEEL", True),
    ("x in (3..5]", None, "FEEL", False),
    ("x in ]1..3]", None, "FEEL", True),
    ('category in ["SC", "ST"]', "feel", "FEEL", True),
    ("x in (1, 2)", "feel", "FEEL", False),
    ("x between 1 and 3", None, "FEEL", True),
    ("nothing = null", None, "FEEL", True),
    ("approved = true", None, "FEEL", True),
    ("name != null", None, "FEEL", True),
    ("= applicant.age >= 18", None, "FEEL", True),
    ('if amount > 1000 then "big" else "small"', "https://www.omg.org/spec/DMN/20191111/FEEL/", "FEEL", "big"),
    ('count(items) = 3 and contains(name, "b")', None, "FEEL", True),
    ("max(items) = 3 and min(1, 2) = 1 and abs(-2) = 2 and sum(items) = 6", "feel", "FEEL", True),
    ("x ** 2 = 9", "feel", "FEEL", True),
    # Python (what the engine runs) stays as written
    ('outcome == "approve" or amount > 1000', None, "Python", True),
    ("x in [1, 2]", None, "Python", False),
    ("not(x)", None, "Python", False),
    ("amount > 1000", "python", "Python", True),
]


@pytest.mark.parametrize(("written", "language", "read_as", "value"), CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_condition_translation(written: str, language: str | None, read_as: str, value: object) -> None:
    python, read = condition_to_python(written, language)
    assert read == read_as
    assert RestrictedEnvironment().evaluate(python, {"outcome": "return", **DATA}) == value


# (written, language attribute, words the refusal must contain)
REFUSED = [
    ("", None, "empty"),
    ("Service Level == 'Premium'", None, "position"),
    ('Vacation Approval = "Approved"', None, "names with spaces ('Vacation Approval')"),
    ('= some risk in riskLevels satisfies risk = "red"', None, "'some … satisfies'"),
    ('every r in rs satisfies r = "y"', "feel", "'every … satisfies'"),
    ("bpmn:getDataObject('approved')", None, "XPath"),
    ('${execution.getVariable("approved")}', None, "method calls"),
    ("${a instanceof b}", None, "instanceof"),
    ("${__class__}", None, "'__class__'"),
    ("Amount ${amount}", None, "mixed"),
    ("${amount >}", None, "ends too early"),
    ("${(amount > 1}", None, "')' was expected"),
    ('string length(name) > 2', "feel", "names with spaces ('string length')"),
    ("date(x) > 2", "feel", "FEEL function 'date'"),
    ("items[1] = 1", "feel", "1-based"),
    ('"unclosed', "feel", "no closing"),
    ("x > 1", "javascript", "language 'javascript' is not accepted"),
    ("x >", "python", "not valid Python"),
]


@pytest.mark.parametrize(("written", "language", "says"), REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_untranslatable_conditions_name_the_part(written: str, language: str | None, says: str) -> None:
    with pytest.raises(NotTranslatable) as refused:
        condition_to_python(written, language)
    assert says in str(refused.value)


# (written, timer kind, Python expected)
TIMERS = [
    ("PT1H", "timeDuration", "'PT1H'"),
    ("P5D", "timeDuration", "'P5D'"),
    ("P1Y2M10DT2H30M", "timeDuration", "'P1Y2M10DT2H30M'"),
    ("P2W", "timeDuration", "'P2W'"),
    ('"PT1H"', "timeDuration", '"PT1H"'),
    ("'P7D'", "timeDuration", "'P7D'"),
    ("${reminder}", "timeDuration", "reminder"),
    ("reminder", "timeDuration", "reminder"),
    ('="PT10M"', "timeDuration", "'PT10M'"),
    ("R3/PT10M", "timeCycle", "'R3/PT10M'"),
    ("R/PT1H", "timeCycle", "'R/PT1H'"),
    ("R2/2026-12-31T10:00:00Z/P1D", "timeCycle", "'R2/2026-12-31T10:00:00Z/P1D'"),
    ("2026-12-31T10:00:00+05:30", "timeDate", "'2026-12-31T10:00:00+05:30'"),
    ("2026-12-31T10:00Z", "timeDate", "'2026-12-31T10:00Z'"),
    ('"2026-12-31T10:00:00+05:30"', "timeDate", '"2026-12-31T10:00:00+05:30"'),
]


@pytest.mark.parametrize(("written", "kind", "python"), TIMERS, ids=[t[0] for t in TIMERS])
def test_timer_translation(written: str, kind: str, python: str) -> None:
    assert timer_to_python(written, kind) == python


def test_translated_timers_are_what_the_library_reads() -> None:
    value = RestrictedEnvironment().evaluate(timer_to_python("2026-12-31T10:00:00+05:30", "timeDate"), {})
    assert TimerEventDefinition.get_datetime(value) == datetime(2026, 12, 31, 4, 30, tzinfo=UTC)
    assert TimerEventDefinition.parse_iso_duration(RestrictedEnvironment().evaluate(timer_to_python("P5D", "timeDuration"), {})) == {"days": 5}
    cycles, _, duration = TimerEventDefinition.parse_iso_recurring_interval(
        RestrictedEnvironment().evaluate(timer_to_python("R3/PT10M", "timeCycle"), {})
    )
    assert (cycles, duration.total_seconds()) == (3, 600)


TIMERS_REFUSED = [
    ("", "timeDuration", "empty"),
    ("1 week", "timeDuration", "'1 week'"),
    ("P7X", "timeDuration", "not an ISO 8601"),
    ('"P7X"', "timeDuration", "'P7X' is not an ISO 8601 duration"),
    ("PT1H", "timeDate", "not an ISO 8601 date and time"),
    ("2026-12-31T10:00:00", "timeDate", "no time zone"),
    ("2026-12-31", "timeDate", "date and time"),
    ("2026-02-30T10:00:00Z", "timeDate", "not a real date"),
    ("R3/2026-12-31T10:00:00Z", "timeCycle", "exactly one duration"),
    ("42", "timeDuration", "'42'"),
]


@pytest.mark.parametrize(("written", "kind", "says"), TIMERS_REFUSED, ids=[t[0] or "empty" for t in TIMERS_REFUSED])
def test_untranslatable_timers_say_why(written: str, kind: str, says: str) -> None:
    with pytest.raises(NotTranslatable) as refused:
        timer_to_python(written, kind)
    assert says in str(refused.value)
