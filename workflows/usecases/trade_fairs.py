"""Trade fairs and events that administrators list for the public (and for MDA applications)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from workflows.access import require_admin
from workflows.errors import UnknownTradeFair, ValidationFailed
from workflows.models import TradeFair
from workflows.uow import SchemeUnitOfWork

FAIR_TYPES = ("domestic", "international")


def add_fair(
    uow: SchemeUnitOfWork, *, actor: str, name: str, city: str, fair_type: str, starts_on: date | None, ends_on: date | None
) -> TradeFair:
    require_admin(uow.users.by_username(actor), "manage the list of trade fairs")
    errors: dict[str, list[str]] = {}
    name, city = (name or "").strip(), (city or "").strip()
    if not 3 <= len(name) <= 200:
        errors["name"] = ["Between 3 and 200 characters."]
    if not 2 <= len(city) <= 100:
        errors["city"] = ["Between 2 and 100 characters."]
    if fair_type not in FAIR_TYPES:
        errors["fair_type"] = [f"Choose one of: {', '.join(FAIR_TYPES)}."]
    if starts_on is None:
        errors["starts_on"] = ["Enter the first day (YYYY-MM-DD)."]
    if ends_on is None:
        errors["ends_on"] = ["Enter the last day (YYYY-MM-DD)."]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["The fair cannot end before it starts."]
    if errors:
        raise ValidationFailed("The trade fair is not complete.", errors)
    fair = TradeFair(
        name=name, city=city, fair_type=fair_type, starts_on=starts_on, ends_on=ends_on,
        created_by=actor, created_at=uow.clock.now(),
    )
    uow.session.add(fair)
    uow.flush()
    uow.audit.record("trade_fair_added", actor, fair_id=fair.id, name=name, starts_on=starts_on.isoformat())
    uow.commit()
    return fair


def remove_fair(uow: SchemeUnitOfWork, *, actor: str, fair_id: int) -> None:
    require_admin(uow.users.by_username(actor), "manage the list of trade fairs")
    fair = uow.session.get(TradeFair, fair_id)
    if fair is None:
        raise UnknownTradeFair(f"There is no trade fair {fair_id}.")
    uow.audit.record("trade_fair_removed", actor, fair_id=fair.id, name=fair.name)
    uow.session.delete(fair)
    uow.commit()


def upcoming(uow: SchemeUnitOfWork, *, today: date, limit: int = 50) -> list[TradeFair]:
    """Fairs not yet over, soonest first."""
    query = select(TradeFair).where(TradeFair.ends_on >= today).order_by(TradeFair.starts_on, TradeFair.id).limit(limit)
    return list(uow.session.scalars(query))


def all_fairs(uow: SchemeUnitOfWork) -> list[TradeFair]:
    return list(uow.session.scalars(select(TradeFair).order_by(TradeFair.starts_on.desc(), TradeFair.id.desc())))
