"""The read side's one entry point (stats/dashboards.py) decides who sees which table."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from stats.dashboards import UnknownTable, open_dashboard
from stats.filters import Filters
from tests.web.conftest import sign_in, submit_mda
from workflows.errors import NotAllowed
from workflows.uow import SchemeUnitOfWork


def _all_year(today: date, districts: dict[str, str], schemes: object = ()) -> Filters:
    return Filters.this_financial_year(today)


def _mbd(today: date, districts: dict[str, str], schemes: object = ()) -> Filters:
    assert "MBD" in districts
    return Filters.this_financial_year(today, district="MBD")


def test_the_entry_point_applies_access(app: Flask) -> None:
    submit_mda(app)  # in Agra
    with SchemeUnitOfWork(app.extensions["odop.runtime"]) as work:
        officer = open_dashboard(work, "dic.agr", _all_year)
        assert officer.filters.district == "AGR" and officer.fixed_district == "AGR"
        assert officer.table("applications").total == 1
        assert officer.table("officers").name == "officers"
        with pytest.raises(NotAllowed):
            open_dashboard(work, "dic.agr", _mbd)
        with pytest.raises(NotAllowed):
            open_dashboard(work, "fc.agr", _all_year)
        state = open_dashboard(work, "nodal1", _mbd)
        assert state.fixed_district is None and state.table("applications").total == 0
        public = open_dashboard(work, None, _all_year)
        assert public.filters.district is None and public.table("applications").total == 1
        for internal in ("officers", "steps", "no_such_table"):
            with pytest.raises(UnknownTable):
                public.table(internal)
        with pytest.raises(UnknownTable):
            public.steps()


def test_unknown_downloads_are_not_found_on_both_dashboards(app: Flask) -> None:
    assert sign_in(app, "dic.agr").get("/dashboard/export/no_such_table.csv").status_code == 404
    assert sign_in(app, "dic.agr").get("/dashboard/export/officers.pdf").status_code == 404
    assert sign_in(app, None).get("/public/export/no_such_table.csv").status_code == 404
    assert sign_in(app, "dic.agr").get("/dashboard/export/officers.csv").status_code == 200
