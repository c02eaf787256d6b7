"""Dashboard latency through HTTP with 1,000,000 applications of history, on SQLite and PostgreSQL.

The history is bulk-inserted in the shape the engine and the statistics recorder write it:
instances, applications, the open tasks of applications in process, and the summary rows
(application_facts, step_facts, registered_businesses, and the monthly and yearly roll-ups)
that every dashboard reads. Completed task rows are left out: no dashboard reads them (the inbox
benchmark loads a million of those).
Each view is then asked over HTTP from `odop serve` in a child process, signed out (public) or
signed in as a state officer and as a district officer (internal). No cache: every request
computes its figures.
"""

from __future__ import annotations

import os
import random
import tempfile
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from bench.http_client import p50_p95, serve, signed_in, timings
from bench.postgres import scratch_schema
from engine.models import Definition, Instance, Task
from engine.runtime import Runtime
from stats import monthly
from stats.filters import financial_year
from stats.models import ApplicationFact, RegisteredBusiness, StepFact
from web.infra.config import ROOT
from web.infra.dbschema import upgrade
from workflows.models import Application, User
from workflows.sample.demo import load_demo
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.deployment import deploy_directory

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "1000000"))
APPLICANTS = 50_000
HISTORY_DAYS = 1800  # about five financial years
REQUESTS = 30
NOW = datetime.now(UTC)
TODAY = NOW.date()
# (scheme, the two office steps recorded per decided application, their lanes)
STEPS = {
    "MM": (("dic_scrutiny", "dic_officer"), ("gm_release", "gm_dic")),
    "CFC": (("dic_scrutiny", "dic_officer"), ("state_committee_approval", "state_committee")),
    "MDA": (("dic_verification", "dic_officer"), ("gm_sanction", "gm_dic")),
}
PROCESS = {"MM": "margin_money", "CFC": "cfc", "MDA": "marketing_assistance"}
LIMITS = {"MM": 60, "CFC": 120, "MDA": 30}  # the bundles' overall time limits (bpmn/schemes/)


def populate(url: str) -> None:
    upgrade(url)
    runtime = Runtime.create(url)
    with SchemeUnitOfWork(runtime) as uow:
        load_demo(uow)
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="bench")
    engine = runtime.db
    with engine.connect() as conn:
        definitions = dict(conn.execute(select(Definition.key, Definition.id)).all())
        districts = [d for (d,) in conn.execute(text("SELECT code FROM districts ORDER BY code"))]
        first_user = conn.scalar(text("SELECT max(id) FROM users")) + 1
    rng = random.Random(11)
    with engine.begin() as conn:
        conn.execute(
            insert(User.__table__),
            [
                dict(id=first_user + i, username=f"bench.applicant{i}", full_name=f"Bench Applicant {i}", email=None,
                     phone=None, role="applicant", district_code=rng.choice(districts), password_hash=None,
                     language="en", active=True)
                for i in range(APPLICANTS)
            ],
        )
        # Officers of each district (two DIC officers and a general manager) and a state committee:
        # each step is completed by an officer of its lane and, for district lanes, its district.
        staff = [(f"bench.{role}{n}.{d.lower()}", role, d) for d in districts for role, n in
                 (("dic_officer", 1), ("dic_officer", 2), ("gm_dic", 1))]
        staff += [(f"bench.state_committee{n}", "state_committee", None) for n in (1, 2, 3)]
        conn.execute(
            insert(User.__table__),
            [
                dict(id=first_user + APPLICANTS + i, username=name, full_name=f"Bench Officer {i}", email=None, phone=None,
                     role=role, district_code=district, password_hash=None, language="en", active=True)
                for i, (name, role, district) in enumerate(staff)
            ],
        )
    officers: dict[tuple[str, str | None], list[str]] = {}
    for name, role, district in staff:
        officers.setdefault((role, district), []).append(name)

    def officer(lane: str, district: str) -> str:
        return rng.choice(officers[(lane, None if lane == "state_committee" else district)])
    businesses: dict[int, dict] = {}
    batch = 25_000
    for start in range(0, APPLICATIONS, batch):
        instances, applications, tasks, facts, steps = [], [], [], [], []
        for i in range(start, min(start + batch, APPLICATIONS)):
            scheme = rng.choice(("MM", "MM", "MDA", "MDA", "CFC"))
            limit = LIMITS[scheme]
            district = "AGR" if rng.random() < 0.05 else rng.choice(districts)
            applicant = first_user + rng.randrange(APPLICANTS)
            submitted = NOW - timedelta(days=rng.uniform(0, HISTORY_DAYS), minutes=rng.uniform(0, 600))
            submitted_on = submitted.date()
            number = f"{scheme}/UP/{district}/B/{i:07d}"
            roll = rng.random()
            taken = int(rng.gammavariate(2.0, limit / 3))
            decided_at = submitted + timedelta(days=taken, hours=rng.uniform(0, 6))
            decided = roll < 0.85 and decided_at < NOW
            outcome = ("approved" if roll < 0.72 else "rejected") if decided else None
            applicant_days = rng.choice((0, 0, 0, 2, 5))
            days_working = taken * 5 // 7
            benefit = rng.randrange(20_000, 2_000_000, 100) if outcome == "approved" else None
            instances.append(dict(
                id=i + 1, business_key=number, definition_id=definitions[PROCESS[scheme]], district=district,
                status="completed" if decided else "running", end_event="end_approved" if outcome == "approved" else None,
                state="{}", version=1, started_by="bench", started_at=submitted, updated_at=decided_at if decided else submitted,
                completed_at=decided_at if decided else None,
            ))
            applications.append(dict(
                id=i + 1, number=number, scheme_code=scheme, district_code=district, applicant_id=applicant,
                filed_by_id=applicant, applicant_name=f"Bench Applicant {applicant}", instance_id=i + 1,
                status=outcome or "in_process", data={}, benefit_amount=benefit, submitted_at=submitted,
                decided_at=decided_at if decided else None, updated_at=decided_at if decided else submitted,
            ))
            facts.append(dict(
                instance_id=i + 1, scheme_code=scheme, district_code=district, submitted_on=submitted_on,
                due_on=submitted_on + timedelta(days=(limit + applicant_days) * 7 // 5),
                decided_on=decided_at.date() if decided else None, outcome=outcome,
                days_calendar=(decided_at.date() - submitted_on).days if decided else None,
                days_working=days_working if decided else None, applicant_days=applicant_days,
                within_limit=(days_working - applicant_days <= limit) if decided else None,
                benefit_sanctioned=benefit, sanctioned_on=decided_at.date() if benefit else None,
                benefit_released=benefit, released_on=decided_at.date() if benefit else None,
            ))
            at = submitted
            for bpmn_id, lane in STEPS[scheme][: 2 if decided else 1]:
                wait = rng.randrange(0, 4 * 1440)
                work = rng.randrange(0, 2 * 1440)
                done = at + timedelta(minutes=wait + work)
                if done > NOW:
                    break
                steps.append(dict(
                    task_id=str(uuid.UUID(int=rng.getrandbits(128))), instance_id=i + 1, scheme_code=scheme,
                    district_code=district, bpmn_id=bpmn_id, lane=lane, completed_on=done.date(), completed_at=done,
                    completed_by=officer(lane, district), outcome="approve", wait_minutes=wait, work_minutes=work,
                    days_working=(wait + work) // 1440 * 5 // 7, within_limit=(wait + work) < 5 * 1440,
                ))
                at = done
            if not decided:
                created = max(at, NOW - timedelta(days=rng.uniform(0, 30)))
                claimed = rng.random() < 0.4
                tasks.append(dict(
                    id=str(uuid.UUID(int=rng.getrandbits(128))), instance_id=i + 1, bpmn_id=STEPS[scheme][-1][0],
                    process_key=PROCESS[scheme], name="Bench step", lane=STEPS[scheme][-1][1], district=district,
                    state="claimed" if claimed else "ready", assignee=officer(STEPS[scheme][-1][1], district) if claimed else None,
                    time_limit_days=7, created_at=created, claimed_at=created if claimed else None,
                    completed_at=None, completed_by=None, outcome=None, due_at=created + timedelta(days=9),
                ))
            if outcome == "approved":
                b = businesses.setdefault(applicant, dict(applicant_id=applicant, district_code=district, schemes=set(), since=decided_at.date()))
                b["schemes"].add(scheme)
                b["since"] = min(b["since"], decided_at.date())
        with engine.begin() as conn:
            conn.execute(insert(Instance.__table__), instances)
            conn.execute(insert(Application.__table__), applications)
            conn.execute(insert(ApplicationFact.__table__), facts)
            if steps:
                conn.execute(insert(StepFact.__table__), steps)
            if tasks:
                conn.execute(insert(Task.__table__), tasks)
    rows = [{**b, "schemes": ",".join(sorted(b["schemes"]))} for b in businesses.values()]
    with engine.begin() as conn:
        for k in range(0, len(rows), batch):
            conn.execute(insert(RegisteredBusiness.__table__), rows[k : k + batch])
    # The monthly rows, as the recorder keeps them (the same code as `odop stats rebuild`).
    with Session(engine) as session:
        monthly.rebuild(
            session,
            session.scalars(select(ApplicationFact).execution_options(yield_per=20_000)),
            session.scalars(select(StepFact).execution_options(yield_per=20_000)),
        )
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    runtime.db.dispose()


def views() -> list[tuple[str, str, str]]:
    fy_start, _ = financial_year(TODAY)
    everything = f"start={(TODAY - timedelta(days=HISTORY_DAYS)).isoformat()}&end={TODAY.isoformat()}"
    last_fy = f"fy={fy_start.year - 1}-{str(fy_start.year)[2:]}"
    return [
        ("public", "public overview (this FY)", "/public"),
        ("public", "public overview (5 years)", f"/public?{everything}"),
        ("public", "public overview, by day", f"/public?{last_fy}&unit=day"),
        ("public", "public districts", "/public/districts"),
        ("public", "public applications", "/public/applications?page=40"),
        ("public", "public applications by days", f"/public/applications?{last_fy}&status=approved&sort=days"),
        ("public", "public ranking", "/public/ranking"),
        ("public", "public businesses", "/public/businesses?page=10"),
        ("nodal1", "state overview", "/dashboard"),
        ("nodal1", "state steps + heatmap (MM)", "/dashboard/steps?scheme=MM"),
        ("nodal1", "state officers", "/dashboard/officers"),
        ("nodal1", "state applications", "/dashboard/applications?status=in_process"),
        ("nodal1", "state ranking (5 years)", f"/dashboard/ranking?{everything}"),
        ("dic.agr", "district overview (AGR)", "/dashboard"),
        ("dic.agr", "district steps (AGR)", "/dashboard/steps?scheme=MDA"),
    ]


def measure(url: str, label: str, port: int, *, load: bool = True) -> list[tuple[str, str, float, float]]:
    if load:
        populate(url)
    proc = serve(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        openers = {"public": urllib.request.build_opener()}
        openers["nodal1"] = signed_in(base, "nodal1")
        openers["dic.agr"] = signed_in(base, "dic.agr")
        return [p50_p95(label, name, timings(openers[who], base + path, REQUESTS, warm_up=3)) for who, name, path in views()]
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    only = os.environ.get("BENCH_ONLY", "")  # "sqlite" or "postgresql": one database only
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if only != "postgresql":
            rows += measure(f"sqlite:///{Path(tmp) / 'dashboards.db'}", "SQLite", 5073)
    for row in rows:  # shown at once: the PostgreSQL run takes a while
        print(f"{row[0]:11} {row[1]:34} {row[2]:8.1f} {row[3]:8.1f}", flush=True)
    if only == "sqlite":
        _report(rows)
        return
    try:
        with scratch_schema("bench_dashboards") as url:
            rows += measure(url, "PostgreSQL", 5074)
    except Exception as err:  # noqa: BLE001 - the table says the run was skipped, and why
        rows.append(("PostgreSQL", f"skipped: {str(err).splitlines()[0][:60]}", float("nan"), float("nan")))
    _report(rows)


def _report(rows: list[tuple[str, str, float, float]]) -> None:
    print(f"Dashboard latency over HTTP, {APPLICATIONS:,} applications over {HISTORY_DAYS} days, {REQUESTS} requests each")
    print(f"{'database':11} {'view':34} {'p50 ms':>8} {'p95 ms':>8}  target p95 < 500 ms")
    for db, name, p50, p95 in rows:
        print(f"{db:11} {name:34} {p50:8.1f} {p95:8.1f}  {'ok' if p95 < 500 else 'MISSED'}")


if __name__ == "__main__":
    main()
