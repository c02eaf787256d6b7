"""The `odop` command: migrate, deploy, load demo data and bank branches, simulate, list, serve."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import click
import waitress

from engine.clock import FixedClock
from engine.errors import DefinitionInvalid, EngineError, ReplaceNotConfirmed
from engine.runtime import Runtime
from sla.holiday_admin import recompute_deadlines
from stats import recorder
from web.app import create_app
from web.infra.bootstrap import build_runtime, build_scheduler, build_sweep, calendar_provider
from web.infra.config import Settings
from web.infra.dbschema import SchemaOutOfDate, require_current, upgrade
from workflows.catalogue.schemes import published
from workflows.errors import ValidationFailed
from workflows.readmodels.tracking import count_applications
from workflows.sample.appeals_history import add_appeals
from workflows.sample.demo import DEMO_PASSWORD, load_demo
from workflows.sample.simulation import simulate as run_simulation
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import accounts, bank_branches, integration
from workflows.usecases.deployment import deploy_directory
from workflows.usecases.documents import FolderStore


class Context:
    def __init__(self) -> None:
        self.settings = Settings.from_env()
        self._runtime: Runtime | None = None

    def runtime(self, *, check_schema: bool = True) -> Runtime:
        if self._runtime is None:
            self._runtime = build_runtime(self.settings)
            if check_schema:
                try:
                    require_current(self._runtime.db)
                except SchemaOutOfDate as err:
                    raise click.ClickException(str(err)) from err
        return self._runtime

    def uow(self) -> SchemeUnitOfWork:
        return SchemeUnitOfWork(self.runtime())


pass_ctx = click.make_pass_decorator(Context, ensure=True)


@click.group()
def main() -> None:
    """ODOP scheme approvals: engine administration and the development server."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@pass_ctx
def db_upgrade(ctx: Context) -> None:
    """Create or migrate the database to the newest schema."""
    url = ctx.settings.database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url)
    click.echo(f"Database schema is current ({ctx.runtime().db.url.render_as_string(hide_password=True)}).")
    with ctx.uow() as uow:
        if recorder.needs_backfill(uow):
            count = recorder.rebuild(uow, calendar_provider(ctx.settings.state, ctx.settings.weekly_offs))
            uow.commit()
            click.echo(f"Statistics built from the history of {count} applications.")


@main.group()
def stats() -> None:
    """Approval-time statistics."""


@stats.command("rebuild")
@pass_ctx
def stats_rebuild(ctx: Context) -> None:
    """Recompute the statistics' summary rows from the task history (e.g. after holiday changes)."""
    with ctx.uow() as uow:
        count = recorder.rebuild(uow, calendar_provider(ctx.settings.state, ctx.settings.weekly_offs))
        uow.commit()
    click.echo(f"Statistics rebuilt from the history of {count} applications.")


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--actor", default="system", show_default=True, help="Who deploys (recorded in the audit log).")
@click.option("--comment", default="", help="Why this version exists.")
@click.option("--replace", is_flag=True, help="Deploy a file even if it shares no step with the deployed process of the same id.")
@pass_ctx
def deploy(ctx: Context, folder: Path | None, actor: str, comment: str, replace: bool) -> None:
    """Deploy every BPMN file of FOLDER (default: the bundled bpmn/) with the DMN files it calls, then
    publish the scheme bundles of FOLDER/schemes/ whose content changed."""
    try:
        results = deploy_directory(
            ctx.uow, folder or ctx.settings.bpmn_dir, actor=actor, comment=comment, confirm_replace=replace
        )
    except DefinitionInvalid as err:
        for problem in err.problems:
            click.echo(f"  - {problem}", err=True)
        raise click.ClickException("Deployment refused; nothing was deployed from the failing file.") from err
    except ReplaceNotConfirmed as err:
        raise click.ClickException(f"{err} (odop deploy --replace)") from err
    except ValidationFailed as err:
        for problem in err.fields.get("bundle", []):
            click.echo(f"  - {problem}", err=True)
        raise click.ClickException(f"A scheme was not published: {err}") from err
    for r in results:
        state = "deployed" if r.created else "unchanged"
        click.echo(f"{r.definition.key} v{r.definition.version} {state} ({r.definition.checksum[:12]})")
    with ctx.uow() as uow:
        for code, scheme in published(uow).items():
            click.echo(f"scheme {code} ({scheme.name}) v{scheme.version}, flow {scheme.process_key}")


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
@pass_ctx
def demo_load(ctx: Context) -> None:
    """Load the UP districts and demo users (safe to run again)."""
    with ctx.uow() as uow:
        report = load_demo(uow)
    click.echo(f"Added {report.districts} districts and {report.users} users (demo password: {DEMO_PASSWORD}).")


@main.group()
def banks() -> None:
    """Bank branches (D102)."""


@banks.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="admin", show_default=True, help="The administrator who imports (recorded in the audit log).")
@pass_ctx
def banks_import(ctx: Context, file: Path, actor: str) -> None:
    """Add or update the bank branches of FILE (CSV: ifsc,bank_name,branch_name,district_code), all or none."""
    try:
        with ctx.uow() as uow:
            count = bank_branches.import_csv(uow, actor=actor, content=file.read_bytes())
    except ValidationFailed as err:
        for messages in err.fields.values():
            for message in messages:
                click.echo(f"  - {message}", err=True)
        raise click.ClickException(f"{err.message} Nothing was changed.") from err
    except EngineError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{count} bank branch(es) added or updated.")


@main.command()
@click.option("--applications", "count", type=click.IntRange(1, 1_000_000), default=200, show_default=True)
@click.option("--days", type=click.IntRange(1, 3650), default=90, show_default=True)
@click.option("--seed", type=int, default=2025, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--if-empty", is_flag=True, help="Do nothing if there are applications already.")
@pass_ctx
def simulate(ctx: Context, count: int, days: int, seed: int, quiet: bool, if_empty: bool) -> None:
    """Run COUNT applications through their real BPMN paths, spread over DAYS of history."""
    if if_empty:
        with ctx.uow() as uow:
            if count_applications(uow):
                click.echo("Applications exist already; not simulating more.")
                return
    clock = FixedClock(datetime.now(UTC))
    runtime = build_runtime(ctx.settings, clock=clock)
    store = FolderStore(ctx.settings.upload_dir)
    report = run_simulation(
        runtime, clock, applications=count, days=days, seed=seed, progress=not quiet, store=store,
        sweep=build_sweep(runtime, ctx.settings),  # reminders and escalations fire as the history runs
    )
    appeals = add_appeals(runtime, clock, calendar_for=calendar_provider(ctx.settings.state, ctx.settings.weekly_offs), seed=seed)
    runtime.db.dispose()
    click.echo(report.summary())
    click.echo("Appeals: " + (", ".join(f"{k}: {v}" for k, v in sorted(appeals.items())) or "none") + ".")


@main.command("definitions")
@pass_ctx
def list_definitions(ctx: Context) -> None:
    """List deployed process definitions and their versions."""
    with ctx.uow() as uow:
        for d in uow.definitions.list():
            click.echo(f"{d.key:24} v{d.version:<3} {d.deployed_at:%Y-%m-%d %H:%M} {d.deployed_by:12} {d.checksum[:12]} {d.comment}")


@main.command("instances")
@click.option("--status", type=click.Choice(["running", "completed", "all"]), default="all")
@click.option("--limit", type=int, default=50, show_default=True)
@pass_ctx
def list_instances(ctx: Context, status: str, limit: int) -> None:
    """List process instances, newest first."""
    with ctx.uow() as uow:
        for inst, d in uow.instances.newest(limit=limit, status=None if status == "all" else status):
            click.echo(f"{inst.business_key:28} {d.key}:v{d.version:<3} {inst.status:10} {inst.end_event or '':24} {inst.started_at:%Y-%m-%d}")


@main.command()
@pass_ctx
def scheduler(ctx: Context) -> None:
    """Run the timer scheduler in the foreground (several may run against one PostgreSQL)."""
    timer_scheduler = build_scheduler(ctx.runtime(), ctx.settings)
    timer_scheduler.start()
    click.echo("Timer scheduler running; Ctrl+C stops it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        timer_scheduler.shutdown()


@main.group()
def calendar() -> None:
    """The holiday calendar and the deadlines computed from it."""


@calendar.command("recompute")
@pass_ctx
def calendar_recompute(ctx: Context) -> None:
    """Recompute the due dates and SLA timers of open tasks (after a holiday change)."""
    with ctx.uow() as uow:
        changed = recompute_deadlines(uow, calendar_provider(ctx.settings.state, ctx.settings.weekly_offs), actor="cli")
    click.echo(f"{changed} open task(s) got a new due date.")


@main.command("token")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@pass_ctx
def token(ctx: Context, username: str, name: str) -> None:
    """Create an API token for USERNAME and print it once (integration accounts cannot sign in to make one)."""
    with ctx.uow() as uow:
        created = accounts.create_token(uow, actor=username, name=name)
    click.echo(created.secret)


@main.command("signal")
@click.argument("name")
@click.option("--payload", default="{}", show_default=True, help="A JSON object merged into the data of each catcher.")
@pass_ctx
def signal(ctx: Context, name: str, payload: str) -> None:
    """Send the signal NAME to every instance waiting for it (each in its own transaction)."""
    try:
        body = json.loads(payload)
        name, body = integration.check_event(name, body)
    except (ValueError, EngineError) as err:
        raise click.ClickException(f"The payload must be a JSON object: {err}") from err
    report = integration.broadcast_signal(ctx.uow, name, payload=body, actor="cli")
    click.echo(f"Signal '{name}' reached {report.reached} instance(s); {report.failed} failed (see incidents).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--threads", default=8, show_default=True, help="Requests served at once.")
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int) -> None:
    """Serve the web application with waitress (a production WSGI server, pure Python)."""
    try:
        app = create_app(ctx.settings)
    except SchemaOutOfDate as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Serving on http://{host}:{port}")
    proxy = {}
    if ctx.settings.trusted_proxy:  # the client's address (sign-in throttling) from the proxy's X-Forwarded-For
        proxy = {"trusted_proxy": ctx.settings.trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-for"}, "clear_untrusted_proxy_headers": True}
    waitress.serve(app, host=host, port=port, threads=threads, ident="odop", **proxy)


if __name__ == "__main__":
    sys.exit(main())
