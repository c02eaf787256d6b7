"""The shipped DMN benefit tables at every slab boundary, evaluated by the sandboxed script engine."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from engine.scripting import make_script_engine

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
SCRIPTS = make_script_engine()


def decide(decision_id: str, **data: Any) -> dict[str, Any]:
    parser = SpiffBpmnParser()
    parser.add_dmn_files([str(p) for p in BPMN.glob("*.dmn")])
    engine: DMNEngine = parser.get_engine(decision_id, None)
    # The DMN engine reads only the task's data and its workflow's script engine.
    task = SimpleNamespace(data=data, workflow=SimpleNamespace(script_engine=SCRIPTS))
    return dict(engine.result(task))


LAKH = 100_000
CFC_CAP = 150_000_000  # bpmn/schemes/cfc/scheme.json parameters.project_cost_cap
TRAVEL_CAP = 10_000  # bpmn/schemes/marketing_assistance/scheme.json parameters.travel_fare_cap


@pytest.mark.parametrize(
    ("cost_lakh", "expected"),
    [
        (1, 25_000),
        (25, 625_000),  # 25% of 25 lakh
        (25.01, 625_000),  # 20% is 5.0 lakh: the 6.25 lakh floor applies
        (40, 800_000),  # 20%
        (50, 1_000_000),  # 20% of 50 lakh
        (50.01, 1_000_000),  # 10% is 5.0 lakh: the 10 lakh floor applies
        (120, 1_200_000),  # 10%
        (150, 1_500_000),
        (150.01, 1_500_100),
        (200, 2_000_000),
        (300, 2_000_000),  # 30 lakh capped at 20 lakh
    ],
)
def test_margin_money_slabs(cost_lakh: float, expected: int) -> None:
    assert decide("margin_money_benefit", project_cost=round(cost_lakh * LAKH)) == {"margin_money": expected}


def test_margin_money_rounds_down_to_whole_rupees() -> None:
    assert decide("margin_money_benefit", project_cost=1_000_003) == {"margin_money": 250_000}


@pytest.mark.parametrize(
    ("cost", "grant"),
    [
        (10_000_000, 9_000_000),
        (149_999_999, 134_999_999),
        (150_000_000, 135_000_000),  # exactly the cap
        (150_000_001, 135_000_000),
        (400_000_000, 135_000_000),
    ],
)
def test_cfc_grant_is_ninety_percent_of_the_appraised_cost_up_to_fifteen_crore(cost: int, grant: int) -> None:
    result = decide("cfc_grant", appraised_cost=cost, project_cost_cap=CFC_CAP)
    assert result == {"grant_basis": min(cost, CFC_CAP), "grant_amount": grant}


def test_cfc_grant_reads_the_cap_from_the_scheme_parameter() -> None:
    assert decide("cfc_grant", appraised_cost=200_000_000, project_cost_cap=180_000_000)["grant_amount"] == 162_000_000


@pytest.mark.parametrize(
    ("fair", "stall", "freight", "travel", "expected"),
    [
        ("domestic", 66_666, 10_000, 1_500, (49_999, 7_500, 58_999)),
        ("domestic", 66_667, 10_000, 0, (50_000, 7_500, 57_500)),  # stall cap reached
        ("domestic", 200_000, 9_999, 0, (50_000, 7_499, 57_499)),
        ("international", 266_666, 4_000, 3_000, (199_999, 3_000, 205_999)),
        ("international", 266_667, 20_000, 3_000, (200_000, 7_500, 210_500)),
        ("international", 1_000_000, 0, 0, (200_000, 0, 200_000)),
    ],
)
def test_marketing_assistance_caps(fair: str, stall: int, freight: int, travel: int, expected: tuple) -> None:
    result = decide(
        "mda_reimbursement", fair_type=fair, stall_charges=stall, freight_charges=freight, travel_fare=travel,
        travel_fare_cap=TRAVEL_CAP,
    )
    assert (result["stall_reimbursement"], result["freight_reimbursement"], result["reimbursement"]) == expected
    assert result["sanctioned_amount"] == result["reimbursement"]  # proposed for sanction as computed


@pytest.mark.parametrize("fair", ["domestic", "international"])
@pytest.mark.parametrize(("travel", "admitted"), [(TRAVEL_CAP - 1, TRAVEL_CAP - 1), (TRAVEL_CAP, TRAVEL_CAP),
                                                  (TRAVEL_CAP + 1, TRAVEL_CAP), (900_000, TRAVEL_CAP)])
def test_travel_fare_is_capped(fair: str, travel: int, admitted: int) -> None:
    result = decide("mda_reimbursement", fair_type=fair, stall_charges=80_000, freight_charges=12_000,
                    travel_fare=travel, travel_fare_cap=TRAVEL_CAP)  # fmt: skip
    assert result["travel_reimbursement"] == admitted
    assert result["reimbursement"] == result["stall_reimbursement"] + 7_500 + admitted
    # The example: Rs 9,00,000 of travel was computed at Rs 9,52,500; now at most the cap counts.
    assert result["reimbursement"] <= result["stall_cap"] + result["freight_cap"] + TRAVEL_CAP


def test_unknown_fair_type_matches_no_rule() -> None:
    assert decide("mda_reimbursement", fair_type="regional", stall_charges=1, freight_charges=1, travel_fare=0,
                  travel_fare_cap=TRAVEL_CAP) == {}  # fmt: skip
