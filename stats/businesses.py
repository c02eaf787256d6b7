"""Registered ODOP businesses: applicants with an approved application, without personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stats.filters import Filters
from stats.models import RegisteredBusiness as B
from workflows.catalogue.schemes import catalogue
from workflows.models import District


@dataclass(frozen=True)
class Business:
    reference: str
    district: str
    product_type: str
    services: str
    since: date


@dataclass(frozen=True)
class BusinessPage:
    rows: list[Business]
    total: int


def listing(session: Session, f: Filters, *, page: int = 1, per_page: int = 50) -> BusinessPage:
    """Businesses registered (first approval) up to the end of the period, newest first."""
    query = select(B, District.name, District.odop_product).join(District, District.code == B.district_code)
    query = query.where(B.since <= f.end)
    if f.district:
        query = query.where(B.district_code == f.district)
    if f.scheme:
        query = query.where(B.schemes.contains(f.scheme))
    schemes = catalogue(session)
    total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
    rows = session.execute(
        query.order_by(B.since.desc(), B.applicant_id.desc()).offset((max(1, page) - 1) * per_page).limit(per_page)
    ).all()
    return BusinessPage(
        rows=[
            Business(
                reference=f"ODOP-{b.district_code}-{b.applicant_id:06d}",
                district=name,
                product_type=product,
                services=", ".join(schemes[c].name for c in b.schemes.split(",") if c in schemes),
                since=b.since,
            )
            for b, name, product in rows
        ],
        total=total,
    )
