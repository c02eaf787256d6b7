"""Does a decision get slower as history grows? `decide` latency and the dashboard views with
0, 10,000, 100,000 and 1,000,000 applications in the database (issue 14, docs/scaling.md).

Each size is bulk-loaded as the dashboard benchmark loads it (bench.dashboards.populate), then
the whole-use-case benchmark (bench.usecase.run) runs its lifecycles on top of that history, and
the dashboard views are asked over HTTP as in bench.dashboards. Not part of `make bench` (the
million-row loads take long): `python -m bench.growth` (`BENCH_ONLY=sqlite|postgresql`,
`BENCH_SIZES=0,10000,100000,1000000`, `BENCH_LIFECYCLES=100`).
"""

from __future__ import annotations

import os
import tempfile

from sqlalchemy import text

from bench import dashboards, usecase
from bench.postgres import scratch_schema
from engine.db import make_engine

VIEWS = ("public overview (this FY)", "public overview (5 years)", "state overview", "state steps + heatmap (MM)",
         "state officers", "state ranking (5 years)", "district overview (AGR)")


def _fix_sequences(url: str) -> None:
    """The bulk load writes ids itself; PostgreSQL's sequences must move past them."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("instances", "applications", "users"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    engine.dispose()


def one(url: str, size: int, label: str, lifecycles: int, port: int) -> tuple[usecase.Result, dict[str, tuple[float, float]]]:
    if size:
        dashboards.APPLICATIONS = size
        dashboards.populate(url)
        _fix_sequences(url)
    else:
        usecase.prepare(url)
    result = usecase.run(url, f"{label}, {size:,} applications", lifecycles)
    views: dict[str, tuple[float, float]] = {}
    if size:
        for _db, view, p50, p95 in dashboards.measure(url, label, port, load=False):
            if view in VIEWS:
                views[view] = (p50, p95)
    return result, views


def main() -> None:
    only = os.environ.get("BENCH_ONLY", "")
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "0,10000,100000,1000000").split(",")]
    lifecycles = int(os.environ.get("BENCH_LIFECYCLES", "100"))
    rows = []
    for size in sizes:
        if only != "postgresql":
            with tempfile.TemporaryDirectory() as tmp:
                rows.append(("SQLite", size, *one(f"sqlite:///{tmp}/growth.db", size, "SQLite", lifecycles, 5181)))
        if only != "sqlite":
            with scratch_schema("bench_growth") as url:
                rows.append(("PostgreSQL", size, *one(url, size, "PostgreSQL", lifecycles, 5182)))
        _print(rows)


def _print(rows: list) -> None:
    print(f"{'database':11} {'applications':>12} {'lifecycles/s':>12} {'decide p50/p90/p99 ms':>22} {'submit p50 ms':>13}  views p50/p95 ms")
    for db, size, r, views in rows:
        decide = "/".join(f"{r.pct('decide', p):.1f}" for p in (50, 90, 99))
        shown = "; ".join(f"{v}: {a:.0f}/{b:.0f}" for v, (a, b) in views.items())
        print(f"{db:11} {size:12,} {r.rate:12.1f} {decide:>22} {r.pct('submit', 50):13.1f}  {shown}", flush=True)


if __name__ == "__main__":
    main()
