"""Document checklists of the shipped schemes (bpmn/schemes/*/scheme.json): which documents each
scheme needs for which answers (`required`, `required_if`), and what submission refuses."""

from __future__ import annotations

import pytest

from tests.files import PDF, PNG
from tests.unit.test_schemes import BASE, ROOT, scheme
from web.infra.formatting import simple_condition
from workflows.catalogue.bundles import load_folder, problems
from workflows.errors import DocumentsMissing, ValidationFailed
from workflows.usecases.documents import Upload, check_checklist, check_uploads


def needed(folder: str, **change: object) -> list[str]:
    s = scheme(folder)
    return [item.type for item in s.missing_documents({**BASE[folder], **change}, set())]


def test_margin_money_needs_aadhaar_passbook_and_project_report() -> None:
    assert needed("margin_money", category="GEN") == ["aadhaar", "bank_passbook", "project_report"]


@pytest.mark.parametrize(("category", "caste"), [("SC", True), ("ST", True), ("OBC", True), ("GEN", False)])
def test_a_caste_certificate_is_needed_where_a_reserved_category_is_claimed(category: str, caste: bool) -> None:
    assert ("caste_certificate" in needed("margin_money", category=category)) is caste


def test_cfc_needs_dpr_registration_and_member_list() -> None:
    assert needed("cfc") == ["dpr", "certificate", "member_list"]


def test_mda_needs_bills_and_proof_and_travel_tickets_only_for_a_fare_claimed() -> None:
    assert needed("marketing_assistance") == ["bills", "travel_bill", "proof_of_participation"]
    assert needed("marketing_assistance", travel_fare=0) == ["bills", "proof_of_participation"]


def test_skill_toolkit_needs_aadhaar_and_rpl_only_for_skilled_artisans() -> None:
    s = scheme("skill_toolkit")
    assert [i.type for i in s.missing_documents({"artisan_status": "unskilled"}, set())] == ["aadhaar"]
    assert [i.type for i in s.missing_documents({"artisan_status": "skilled"}, set())] == ["aadhaar", "rpl_certificate"]


def test_document_types_are_per_scheme() -> None:
    assert scheme("cfc").document_kinds == ("dpr", "certificate", "member_list", "other")
    with pytest.raises(ValidationFailed) as caught:
        check_uploads([Upload("aadhaar", "a.pdf", PDF)], scheme("cfc").document_kinds, by_kind=True)
    assert "Unknown document kind" in caught.value.fields["file"][0]


@pytest.mark.parametrize("folder", ["margin_money", "cfc", "marketing_assistance", "skill_toolkit"])
def test_shipped_checklists_are_valid(folder: str) -> None:
    found = problems(load_folder(ROOT / folder), None)
    assert [p for p in found if not p.startswith("No flow has been deployed")] == []


def uploads(*kinds: str, content: bytes = PDF) -> list[Upload]:
    return [Upload(k, f"{k}.pdf", content) for k in kinds]


def test_missing_documents_are_named_in_order_and_several_files_per_item_count() -> None:
    s, data = scheme("margin_money"), {**BASE["margin_money"], "category": "SC"}
    given = uploads("aadhaar", "aadhaar", "project_report")
    with pytest.raises(DocumentsMissing) as caught:
        check_checklist(s, data, given, check_uploads(given, s.document_kinds))
    assert caught.value.missing == ["bank_passbook", "caste_certificate"]
    assert "Bank passbook, Caste certificate" in str(caught.value)
    assert caught.value.fields["bank_passbook"] == ["Bank passbook is required."]
    complete = given + uploads("bank_passbook", "caste_certificate")
    check_checklist(s, data, complete, check_uploads(complete, s.document_kinds))


def test_a_format_the_item_does_not_take_is_refused() -> None:
    s, data = scheme("margin_money"), {**BASE["margin_money"], "category": "GEN"}
    given = [*uploads("aadhaar", "bank_passbook"), Upload("project_report", "report.png", PNG)]
    with pytest.raises(ValidationFailed) as caught:
        check_checklist(s, data, given, check_uploads(given, s.document_kinds))
    assert caught.value.fields == {"project_report": ["Project report: only PDF accepted."]}


def test_kept_documents_count_and_unacceptable_ones_need_a_replacement() -> None:
    s, data = scheme("margin_money"), {**BASE["margin_money"], "category": "GEN"}
    check_checklist(s, data, (), (), kept={"aadhaar", "bank_passbook", "project_report"})
    with pytest.raises(DocumentsMissing) as caught:
        check_checklist(s, data, (), (), kept={"aadhaar", "project_report"}, unacceptable={"bank_passbook"})
    assert caught.value.missing == ["bank_passbook"]


@pytest.mark.parametrize(
    ("expression", "browser"),
    [('artisan_status == "skilled"', ("artisan_status", "skilled")), ('category in ("SC", "ST", "OBC")', ("category", "SC|ST|OBC")),
     ("travel_fare > 0", None), ('category in ("SC") or x', None)],
)
def test_the_browser_checks_the_simple_conditions_only(expression: str, browser: tuple[str, str] | None) -> None:
    assert simple_condition(expression) == browser
