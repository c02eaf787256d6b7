"""Full margin-money lifecycles per second: SpiffWorkflow alone in memory vs our engine on SQLite.

(a) parses the shipped BPMN/DMN once, then creates and completes workflows in memory with the
    library's default script engine — the ceiling.
(b) deploys the same files and runs each lifecycle through engine commands on a SQLite file,
    each command in its own committed transaction (start, then one complete per user task).
"""

from __future__ import annotations

import platform
import tempfile
import time
from pathlib import Path

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy import create_engine

from engine.commands import complete_task, start_instance
from engine.definitions import deploy
from engine.models import Base
from engine.runtime import Runtime
from engine.uow import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
BPMN = ROOT / "bpmn"
FILES = ["margin_money.bpmn", "margin_money_benefit.dmn"]
SEED = {"project_cost": 3_000_000, "applicant_name": "Bench Applicant", "district": "AGR"}
DECISION = {"outcome": "approve", "remarks": "", "loan_amount": 2_000_000}


def in_memory(n: int) -> float:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN / FILES[0]))
    parser.add_dmn_file(str(BPMN / FILES[1]))
    spec, subs = parser.get_spec("margin_money"), parser.get_subprocess_specs("margin_money")
    start = time.perf_counter()
    for _ in range(n):
        wf = BpmnWorkflow(spec, subs)
        wf.task_tree.data.update(SEED)
        wf.do_engine_steps()
        while not wf.is_completed():
            task = wf.get_tasks(state=SpiffState.READY, manual=True)[0]
            task.data.update(DECISION)
            task.run()
            wf.do_engine_steps()
    return n / (time.perf_counter() - start)


def through_engine(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = create_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        runtime = Runtime.create(url)
        with UnitOfWork(runtime) as uow:
            deploy(uow, {name: (BPMN / name).read_bytes() for name in FILES}, actor="bench")
            uow.commit()
        start = time.perf_counter()
        for i in range(n):
            with UnitOfWork(runtime) as uow:
                result = start_instance(uow, "margin_money", business_key=f"B{i}", data=SEED, actor="bench", district="AGR")
                uow.commit()
            pending = [t.id for t in result.created]
            while pending:
                with UnitOfWork(runtime) as uow:
                    step = complete_task(uow, pending.pop(), actor="bench", data=DECISION)
                    uow.commit()
                pending += [t.id for t in step.created]
        elapsed = time.perf_counter() - start
        runtime.db.dispose()
    return n / elapsed


def main(n_memory: int = 2000, n_engine: int = 500) -> None:
    in_memory(50)  # warm caches and imports before timing
    a = in_memory(n_memory)
    b = through_engine(n_engine)
    print(f"Lifecycle benchmark ({platform.python_version()}, {platform.machine()}, {platform.node()})")
    print(f"{'measure':58} {'lifecycles/s':>12}")
    print(f"{'(a) SpiffWorkflow alone, in memory (' + str(n_memory) + ' lifecycles)':58} {a:12.1f}")
    print(f"{'(b) our engine, SQLite, one commit per command (' + str(n_engine) + ')':58} {b:12.1f}")
    print(f"{'ratio b/a (target >= 0.35)':58} {b / a:12.2f}")


if __name__ == "__main__":
    main()
