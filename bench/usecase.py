"""The whole use case, as officers wait for it: margin-money lifecycles through the scheme layer.

One lifecycle is `submit_application`, then `claim` and `decide` (approve) at each of margin
money's four office steps (DIC scrutiny, district task force, bank appraisal, GM release), each
use case in its own unit of work and committed, with every hook the app installs (deadlines and
SLA timers, the statistics recorder, notices): the runtime is built by `web.infra.bootstrap`, as the app
builds it. Measured beside SpiffWorkflow in memory on the same BPMN (bench.lifecycle.in_memory)
and beside the engine alone (bench.lifecycle.through_engine), in the same run.

Applications rotate over the three demo districts (Agra, Moradabad, Varanasi).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import event

from bench.postgres import scratch_schema
from engine.clock import IST
from web.infra.bootstrap import build_runtime
from web.infra.config import ROOT, Settings
from web.infra.dbschema import upgrade
from workflows.identity import verhoeff_check_digit
from workflows.sample.demo import load_demo
from workflows.sample.simulation import PDF
from workflows.uow import SchemeUnitOfWork
from workflows.usecases.decisions import claim, decide
from workflows.usecases.deployment import deploy_directory
from workflows.usecases.documents import FolderStore, Upload
from workflows.usecases.submission import submit_application

DISTRICTS = ("agr", "mbd", "vns")
STEPS = (
    ("dic_scrutiny", "dic"), ("dtf_committee", "dtf"), ("bank_appraisal", "bank"), ("bank_disbursement", "bank"),
    ("gm_release", "gm"),
)
TODAY = datetime.now(IST).date().isoformat()
FIELDS = {
    "bank_appraisal": {"loan_amount": 2_000_000, "loan_account_number": "31234567890", "sanction_date": TODAY},
    "bank_disbursement": {"disbursed_amount": 2_000_000, "disbursement_date": TODAY},
}
# The demo bank branch of each district whose officer is `bank.<district>` (workflows/data/bank_officers.csv).
BRANCH = {"agr": "SBIN0001735", "mbd": "SBIN0002498", "vns": "SBIN0000103"}
# Each district's ODOP product (workflows/data/up_districts.csv): an application's product must be one.
PRODUCT = {"agr": "Leather products", "mbd": "Metal craft", "vns": "Banarasi silk saree"}
FORM = {
    "applicant_name": "Bench Applicant",
    "mobile": "9876543210",
    "date_of_birth": "1990-05-01",
    "category": "OBC",
    "gender": "female",
    "unit_address": "12 Shoe Market",
    "project_cost": 3_000_000,
    "bank_defaulter": False,
    "earlier_benefit": False,
}


def person(i: int) -> dict[str, str]:
    """The i-th lifecycle's applicant: one margin money per family, so a new Aadhaar and Family ID each."""
    base = f"6{i:010d}"
    return {"aadhaar": base + str(verhoeff_check_digit(base)), "family_id": f"BNF{i:09d}"}


@dataclass
class Result:
    label: str
    lifecycles: int
    seconds: float
    cpu_seconds: float = 0.0  # of this process: what the machine's other work does not inflate
    times: dict[str, list[float]] = field(default_factory=lambda: {"submit": [], "claim": [], "decide": []})
    statements: dict[str, list[int]] = field(default_factory=lambda: {"submit": [], "claim": [], "decide": []})

    @property
    def rate(self) -> float:
        return self.lifecycles / self.seconds

    def pct(self, what: str, p: float) -> float:
        values = sorted(self.times[what])
        return 1000 * values[min(len(values) - 1, int(p / 100 * len(values)))]


def prepare(url: str) -> None:
    """Migrate, load the demo districts and users, deploy the shipped processes."""
    upgrade(url)
    runtime = build_runtime(Settings(database_url=url))
    with SchemeUnitOfWork(runtime) as uow:
        load_demo(uow)
    deploy_directory(lambda: SchemeUnitOfWork(runtime), ROOT / "bpmn", actor="bench")
    runtime.db.dispose()


def run(url: str, label: str, n: int, warmup: int = 10) -> Result:
    """`warmup` lifecycles, then `n` timed ones, on a prepared database."""
    runtime = build_runtime(Settings(database_url=url))
    counter = [0]

    @event.listens_for(runtime.db, "before_cursor_execute")
    def _count(*_args: object) -> None:
        counter[0] += 1

    result = Result(label, n, 0.0)
    # The checklist's documents, which submission requires (a real one-page PDF each).
    scratch = tempfile.TemporaryDirectory(prefix="odop-bench-uploads-")
    store = FolderStore(Path(scratch.name))
    documents = [Upload(kind, f"{kind}.pdf", PDF) for kind in ("aadhaar", "bank_passbook", "project_report", "caste_certificate")]

    def timed(what: str, action: Callable[[SchemeUnitOfWork], object]) -> object:
        counter[0] = 0
        start = time.perf_counter()
        with SchemeUnitOfWork(runtime) as uow:
            out = action(uow)
        result.times[what].append(time.perf_counter() - start)
        result.statements[what].append(counter[0])
        return out

    def lifecycle(i: int) -> None:
        d = DISTRICTS[i % len(DISTRICTS)]
        data = {**FORM, **person(i), "bank_ifsc": BRANCH[d], "product": PRODUCT[d]}
        application = timed("submit", lambda uow: submit_application(
            uow, scheme_code="MM", district_code=d.upper(), data=data, actor=f"applicant1.{d}",
            documents=documents, store=store))
        instance_id = application.instance_id  # type: ignore[attr-defined]
        for bpmn_id, who in STEPS:
            with SchemeUnitOfWork(runtime) as uow:
                [task] = uow.tasks.open_for_instance(instance_id)
            assert task.bpmn_id == bpmn_id, (task.bpmn_id, bpmn_id)
            actor = f"{who}.{d}"
            timed("claim", lambda uow, t=task.id, a=actor: claim(uow, [t], actor=a))
            timed("decide", lambda uow, t=task.id, a=actor, b=bpmn_id: decide(
                uow, t, actor=a, outcome="approve", fields=FIELDS.get(b, {})))

    for i in range(warmup):
        lifecycle(i)
    for values in (*result.times.values(), *result.statements.values()):
        values.clear()
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(warmup, warmup + n):
        lifecycle(i)
    # The wall time of whole lifecycles, including reading the open task between steps.
    result.seconds = time.perf_counter() - start
    result.cpu_seconds = time.process_time() - cpu
    runtime.db.dispose()
    scratch.cleanup()
    return result


def on_sqlite(n: int) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/usecase.db"
        prepare(url)
        return run(url, "whole use case, SQLite", n)


def on_postgresql(n: int) -> Result | None:
    try:
        with scratch_schema("bench_usecase") as url:
            prepare(url)
            return run(url, "whole use case, PostgreSQL", n)
    except Exception as err:  # noqa: BLE001 - no server: say so and go on with the other benchmarks
        print(f"PostgreSQL use-case benchmark skipped: {str(err).splitlines()[0]}")
        return None


def report(memory: float, engine: float, results: list[Result]) -> None:
    print(f"{'':34} {'lifecycles/s':>12} {'ratio':>6}   "
          f"{'submit p50/p90/p99 ms':>22} {'claim p50/p90/p99 ms':>22} {'decide p50/p90/p99 ms':>22} {'SQL/decide':>10}")
    print(f"{'SpiffWorkflow in memory':34} {memory:12.1f} {1:6.3f}")
    print(f"{'engine alone, SQLite':34} {engine:12.1f} {engine / memory:6.3f}")
    for r in results:
        cells = ["/".join(f"{r.pct(what, p):.1f}" for p in (50, 90, 99)) for what in ("submit", "claim", "decide")]
        sql = statistics.mean(r.statements["decide"])
        cpu = 1000 * r.cpu_seconds / r.lifecycles
        print(f"{r.label:34} {r.rate:12.1f} {r.rate / memory:6.3f}   {cells[0]:>22} {cells[1]:>22} {cells[2]:>22} {sql:10.1f} {cpu:16.1f}")


def main() -> None:
    from bench.lifecycle import in_memory, through_engine

    n = int(os.environ.get("BENCH_LIFECYCLES", "300"))
    in_memory(50)
    memory = in_memory(2000)
    engine = through_engine(n)
    results = [on_sqlite(n)]
    pg = on_postgresql(n)
    if pg is not None:
        results.append(pg)
    print(f"Whole use case: margin money, submit + claim and decide at 5 office steps ({n} lifecycles each)")
    report(memory, engine, results)


if __name__ == "__main__":
    main()
