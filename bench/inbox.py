"""Inbox latency through HTTP against the running app, with 100,000 open and 1,000,000 completed
tasks, on SQLite and on PostgreSQL.

The rows are bulk-inserted in the shape the engine writes them (the engine's own throughput is the
lifecycle benchmark's subject; a million task rows through it would take hours). The app is then
started with `odop serve` in a child process and asked over HTTP, as officers and API clients do.
"""

from __future__ import annotations

import random
import tempfile
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from bench.http_client import p50_p95, serve, signed_in, timings
from bench.postgres import scratch_schema
from engine.models import Definition, Instance, Task
from engine.runtime import Runtime
from web.infra.config import ROOT
from web.infra.dbschema import upgrade
from workflows.models import Application, User
from workflows.sample.demo import load_demo
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import accounts
from workflows.usecases.deployment import deploy_directory

OPEN, COMPLETED = 100_000, 1_000_000
PER_APPLICATION = 10  # completed tasks per application: about one application per ten task rows
REQUESTS = 200
LANES = ["dic_officer", "gm_dic", "district_committee", "bank_officer", "state_nodal"]
NOW = datetime.now(UTC)


def populate(url: str) -> str:
    """Returns an API token of dic.agr."""
    upgrade(url)
    runtime = Runtime.create(url)
    with SchemeUnitOfWork(runtime) as uow:
        load_demo(uow)
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="bench")
    with SchemeUnitOfWork(runtime) as uow:
        token = accounts.create_token(uow, actor="dic.agr", name="bench").secret
    engine = runtime.db
    with engine.connect() as conn:
        definition_id = conn.scalar(select(Definition.id).where(Definition.key == "marketing_assistance"))
        users = conn.execute(select(User.id, User.username, User.role, User.district_code)).all()
        districts = [d for (d,) in conn.execute(text("SELECT code FROM districts"))]
    applicant = next(u for u in users if u.username == "applicant1.agr")
    officers = [u.username for u in users if u.role in LANES]
    rng = random.Random(7)
    apps_total = OPEN + COMPLETED // PER_APPLICATION
    batch = 20_000
    done_tasks = 0
    for start in range(0, apps_total, batch):
        instances, applications, tasks = [], [], []
        for i in range(start, min(start + batch, apps_total)):
            # A fifth of the load is Agra's, so the measured officer has a heavy inbox.
            district = "AGR" if rng.random() < 0.2 else rng.choice(districts)
            submitted = NOW - timedelta(days=rng.uniform(1, 720))
            number = f"MDA/UP/{district}/BENCH/{i:07d}"
            instances.append(dict(id=i + 1, business_key=number, definition_id=definition_id, district=district,
                                  status="running", state="{}", version=1, started_by="bench", started_at=submitted,
                                  updated_at=submitted))
            applications.append(dict(id=i + 1, number=number, scheme_code="MDA", district_code=district,
                                     applicant_id=applicant.id, filed_by_id=applicant.id,
                                     applicant_name=f"Applicant {i}", instance_id=i + 1, status="in_process", data={},
                                     submitted_at=submitted, updated_at=submitted))
            for k in range(PER_APPLICATION if i >= OPEN else 0):
                if done_tasks >= COMPLETED:
                    break
                at = submitted + timedelta(days=k)
                tasks.append(dict(id=str(uuid.UUID(int=rng.getrandbits(128))), instance_id=i + 1, bpmn_id="dic_verification",
                                  name="DIC verification", lane=rng.choice(LANES), district=district, state="completed",
                                  assignee=None, time_limit_days=5, created_at=at, claimed_at=at, completed_at=at,
                                  completed_by=rng.choice(officers), outcome="approve", due_at=at + timedelta(days=7)))
                done_tasks += 1
            if i < OPEN:
                created = NOW - timedelta(days=rng.uniform(0, 20))
                tasks.append(dict(id=str(uuid.UUID(int=rng.getrandbits(128))), instance_id=i + 1, bpmn_id="dic_verification",
                                  name="DIC verification", lane=rng.choice(LANES), district=district, state="ready",
                                  assignee=None, time_limit_days=5, created_at=created, claimed_at=None, completed_at=None,
                                  completed_by=None, outcome=None, due_at=created + timedelta(days=7)))
        with engine.begin() as conn:
            conn.execute(insert(Instance.__table__), instances)
            conn.execute(insert(Application.__table__), applications)
            conn.execute(insert(Task.__table__), tasks)
    # A live database is vacuumed and analysed continuously (autovacuum); a freshly loaded one
    # is not, and PostgreSQL would then read the heap for every index entry it counts.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    runtime.db.dispose()
    return token


def measure(url: str, label: str, port: int) -> list[tuple[str, str, float, float]]:
    token = populate(url)
    proc = serve(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        browser = signed_in(base, "dic.agr")
        api = urllib.request.build_opener()
        auth = {"Authorization": f"Bearer {token}"}
        rows = []
        for name, opener, path, headers in [
            ("HTML inbox, available", browser, "/inbox", None),
            ("HTML inbox, completed by me", browser, "/inbox?view=completed", None),
            ("API tasks, available", api, "/api/v1/tasks", auth),
            ("API tasks, completed by me", api, "/api/v1/tasks?view=completed", auth),
            ("API counts", api, "/api/v1/tasks/counts", auth),
        ]:
            rows.append(p50_p95(label, name, timings(opener, base + path, REQUESTS, headers=headers)))
        return rows
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += measure(f"sqlite:///{Path(tmp) / 'inbox.db'}", "SQLite", 5071)
    try:
        with scratch_schema("bench_inbox") as url:
            rows += measure(url, "PostgreSQL", 5072)
    except Exception as err:  # noqa: BLE001 - the table says the run was skipped, and why
        rows.append(("PostgreSQL", f"skipped: {str(err).splitlines()[0][:60]}", float("nan"), float("nan")))
    print(f"Inbox latency over HTTP, {OPEN:,} open and {COMPLETED:,} completed tasks, {REQUESTS} requests each (dic.agr)")
    print(f"{'database':11} {'request':32} {'p50 ms':>8} {'p95 ms':>8}  target p95 < 100 ms")
    for db, name, p50, p95 in rows:
        print(f"{db:11} {name:32} {p50:8.1f} {p95:8.1f}  {'ok' if p95 < 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
