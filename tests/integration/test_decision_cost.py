"""What one decision costs the database, whatever the step (issue 14 asks for at most 15 SQL statements).

Counted through SQLAlchemy's `before_cursor_execute` event for each `decide` of a margin-money
lifecycle with every hook the app installs (deadlines and SLA timers, the statistics recorder,
notices), on SQLite and PostgreSQL. The last step is the dearest: it sanctions and releases the
benefit, completes the instance, notifies the applicant and registers the business.
"""

from __future__ import annotations

from sqlalchemy import event

from sla import deadlines
from stats import recorder
from tests.integration import scheme_helpers as h
from web.infra.bootstrap import calendar_provider
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide

# Issue 14's target. The release step is the dearest: the task (locked), its application, user and
# scheme version come in one statement, and the recorder reuses that scheme version.
MAX_STATEMENTS = 15
STEPS = [
    ("dic_scrutiny", {}),
    ("dtf_committee", {}),
    ("bank_appraisal", h.LOAN),
    ("bank_disbursement", h.DISBURSED),
    ("gm_release", {}),
]


def test_a_decision_takes_at_most_15_statements(runtime, clock):  # noqa: ANN001
    calendars = calendar_provider("UP")
    deadlines.install(runtime, calendars)
    recorder.install(runtime, calendars)
    h.set_up(runtime)
    h.submit(runtime)  # the first application of a month and district creates its roll-up rows
    number = h.submit(runtime)
    statements: list[str] = []

    def count(conn, cursor, sql, *args):  # noqa: ANN001, ANN002, ANN202
        statements.append(sql.split()[0].upper())

    counted = {}
    for bpmn_id, fields in STEPS:
        task = h.open_task(runtime, number)
        assert task is not None and task.bpmn_id == bpmn_id
        actor = h.ACTOR[task.lane]
        with SchemeUnitOfWork(runtime) as uow:
            claim(uow, [task.id], actor=actor)
        clock.advance(hours=3)  # as in real life: the application's row changes too
        statements.clear()
        event.listen(runtime.db, "before_cursor_execute", count)
        try:
            with SchemeUnitOfWork(runtime) as uow:
                application = decide(uow, task.id, actor=actor, outcome="approve", fields=fields)
        finally:
            event.remove(runtime.db, "before_cursor_execute", count)
        counted[bpmn_id] = list(statements)
    assert application.status == "approved"
    too_many = {step: (len(sql), sql) for step, sql in counted.items() if len(sql) > MAX_STATEMENTS}
    assert not too_many, too_many
