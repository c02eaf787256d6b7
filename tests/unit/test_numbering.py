from datetime import UTC, datetime

from workflows.catalogue.numbering import financial_year, format_number, number_prefix


def test_financial_year_turns_on_first_april_india_time() -> None:
    # 31 March 2026 23:00 IST is still 2025-26; 1 April 00:30 IST is 2026-27 (still 31 March in UTC).
    assert financial_year(datetime(2026, 3, 31, 17, 30, tzinfo=UTC)) == "2025-26"
    assert financial_year(datetime(2026, 3, 31, 19, 0, tzinfo=UTC)) == "2026-27"
    assert financial_year(datetime(2099, 12, 1, tzinfo=UTC)) == "2099-00"


def test_number_format() -> None:
    prefix = number_prefix("MM", "UP", "AGR", datetime(2025, 7, 1, tzinfo=UTC))
    assert format_number(prefix, 123) == "MM/UP/AGR/2025-26/000123"
