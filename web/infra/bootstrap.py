"""The composition root: builds the runtime and the scheduler with every layer's parts wired in."""

from __future__ import annotations

from functools import lru_cache

from engine.clock import Clock
from engine.retry import once_more
from engine.runtime import Runtime
from engine.timers import BPMN
from engine.uow import UnitOfWork
from sla import deadlines, digest
from sla import services as sla_services
from sla.calendar import WeeklyOffs
from sla.calendar_provider import CalendarProvider
from sla.escalation import SlaHandlers
from sla.mailer import SmtpMailer
from sla.scheduler import TimerScheduler
from sla.sender import OutboxSender
from sla.sms import HttpSmsGateway
from sla.sweep import TimerSweep, fire_bpmn_timer
from stats import recorder
from web.infra.config import Settings
from workflows import services as scheme_services
from workflows.directory import UserDirectory
from workflows.uow import SchemeUnitOfWork
from workflows.usecases import integration
from workflows.usecases.deemed import deem_approved


@lru_cache(maxsize=8)
def calendar_provider(state: str, weekly_offs: str = "sun,sat2,sat4") -> CalendarProvider:
    """One provider per state and process, so a holiday edit clears the cache everyone uses."""
    return CalendarProvider(state, WeeklyOffs.parse(weekly_offs))


def build_runtime(settings: Settings, *, clock: Clock | None = None) -> Runtime:
    runtime = Runtime.create(settings.database_url, clock=clock)
    calendars = calendar_provider(settings.state, settings.weekly_offs)
    deadlines.install(runtime, calendars)
    recorder.install(runtime, calendars)
    sla_services.install(runtime, calendars)
    scheme_services.install(runtime, aadhaar_key=settings.aadhaar_key.encode())
    return runtime


def build_sweep(runtime: Runtime, settings: Settings) -> TimerSweep:
    directory = UserDirectory()
    handlers = {
        BPMN: fire_bpmn_timer,
        **SlaHandlers(directory, calendar_provider(settings.state, settings.weekly_offs), deem_approved=deem_approved).as_mapping(),
        digest.KIND: digest.DigestHandler(directory),
        integration.SIGNAL_KIND: integration.redeliver_signal,
    }
    return TimerSweep(lambda: SchemeUnitOfWork(runtime), handlers=handlers, directory=directory)


def build_sender(runtime: Runtime, settings: Settings) -> OutboxSender | None:
    """None with neither an SMTP host nor an SMS gateway: messages then wait in the outbox until
    one is configured; a channel without its way out waits while the other is sent."""
    mailer = SmtpMailer(settings.smtp) if settings.smtp.host else None
    sms = HttpSmsGateway(settings.sms) if settings.sms.url else None
    if mailer is None and sms is None:
        return None
    return OutboxSender(lambda: UnitOfWork(runtime), mailer, sms)


def build_scheduler(runtime: Runtime, settings: Settings) -> TimerScheduler:
    def ensure_digest() -> None:
        with UnitOfWork(runtime) as uow:
            digest.ensure_timer(uow)
            uow.commit()

    # Idempotent (INSERT … ON CONFLICT DO NOTHING), so schedulers may start together and a
    # transient database failure is simply tried once more (D35, D36).
    once_more(ensure_digest, idempotent=True)
    return TimerScheduler(build_sweep(runtime, settings), sender=build_sender(runtime, settings))
