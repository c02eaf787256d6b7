"""The floor of the design: the SQL of margin-money lifecycles replayed straight through sqlite3.

`python -m bench.floor [N]` runs N lifecycles of the whole use case (bench.usecase) on a fresh
SQLite database while recording every statement, its parameters and every commit through
SQLAlchemy's events, then replays them with the `sqlite3` module alone on a copy of the database
as it was before those lifecycles: no SQLAlchemy, no engine, no Python between the statements.
What the replay costs is what this schema costs on this machine, whatever the code around it.
"""

from __future__ import annotations

import collections
import contextlib
import shutil
import sqlite3
import sys
import tempfile
import time

from sqlalchemy import event

from bench import usecase


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/floor.db"
        url = f"sqlite:///{path}"
        usecase.prepare(url)
        usecase.run(url, "warm-up", 1, warmup=9)
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                shutil.copy(path + suffix, f"{tmp}/copy.db{suffix}")
        log: list[tuple[str, str | None, object]] = []
        build = usecase.build_runtime

        def recording(settings):  # noqa: ANN001, ANN202
            runtime = build(settings)
            event.listen(runtime.db, "before_cursor_execute",
                         lambda _c, _cur, statement, params, _ctx, many: log.append(("many" if many else "one", statement, params)))
            event.listen(runtime.db, "commit", lambda _conn: log.append(("commit", None, None)))
            event.listen(runtime.db, "rollback", lambda _conn: log.append(("rollback", None, None)))
            return runtime

        usecase.build_runtime = recording
        person = usecase.person
        usecase.person = lambda i: person(i + 10_000)
        try:
            result = usecase.run(url, "recorded", n, warmup=0)
        finally:
            usecase.build_runtime, usecase.person = build, person
        statements = sum(1 for kind, _, _ in log if kind in ("one", "many"))
        print(f"through the app: {result.rate:.1f} lifecycles/s, {1000 / result.rate:.1f} ms per lifecycle, "
              f"CPU {1000 * result.cpu_seconds / n:.1f} ms; {statements / n:.1f} statements and "
              f"{sum(1 for kind, _, _ in log if kind == 'commit') / n:.1f} commits per lifecycle")
        db = sqlite3.connect(f"{tmp}/copy.db", isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            db.execute(f"PRAGMA {pragma}")
        cost: dict[str, float] = collections.defaultdict(float)
        start = time.perf_counter()
        for kind, statement, params in log:
            t = time.perf_counter()
            if kind == "one":
                if statement.startswith("BEGIN") and db.in_transaction:
                    db.execute("COMMIT")  # a read-only unit of work ends at the driver (D99)
                db.execute(statement, params).fetchall()
            elif kind == "many":
                db.executemany(statement, params)
            elif db.in_transaction:
                db.execute("COMMIT" if kind == "commit" else "ROLLBACK")
            cost[kind if statement is None else " ".join(statement.split()[:3])[:48]] += time.perf_counter() - t
        if db.in_transaction:
            db.execute("COMMIT")
        replay = time.perf_counter() - start
        print(f"the same SQL through sqlite3 alone: {1000 * replay / n:.2f} ms per lifecycle, of which:")
        for what, seconds in sorted(cost.items(), key=lambda item: -item[1])[:8]:
            print(f"  {1000 * seconds / n:6.2f} ms  {what}")


if __name__ == "__main__":
    main()
