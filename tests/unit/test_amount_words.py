"""Amounts in figures and words in the Indian system, English (num2words en_IN) and Hindi (our table)."""

from __future__ import annotations

import pytest

from workflows.printing.amount_words import (
    HINDI_0_99,
    MAX_AMOUNT,
    english_words,
    hindi_words,
    indian_figures,
    rupees_in_words,
)


@pytest.mark.parametrize(
    ("amount", "figures"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (99_999, "99,999"), (1_00_000, "1,00,000"), (6_40_000, "6,40,000"),
     (99_99_999, "99,99,999"), (1_00_00_000, "1,00,00,000"), (13_50_00_000, "13,50,00,000"), (MAX_AMOUNT, "99,99,99,999")],
)
def test_figures_use_indian_grouping(amount: int, figures: str) -> None:
    assert indian_figures(amount) == figures


@pytest.mark.parametrize(
    ("amount", "english", "hindi"),
    [
        (99_999, "ninety-nine thousand nine hundred and ninety-nine", "निन्यानबे हज़ार नौ सौ निन्यानबे"),
        (1_00_000, "one lakh", "एक लाख"),
        (99_99_999, "ninety-nine lakh ninety-nine thousand nine hundred and ninety-nine",
         "निन्यानबे लाख निन्यानबे हज़ार नौ सौ निन्यानबे"),
        (1_00_00_000, "one crore", "एक करोड़"),
        (6_40_000, "six lakh forty thousand", "छह लाख चालीस हज़ार"),
        (13_50_00_000, "thirteen crore fifty lakh", "तेरह करोड़ पचास लाख"),
        (59_900, "fifty-nine thousand nine hundred", "उनसठ हज़ार नौ सौ"),
        (1_01_01_047, "one crore one lakh one thousand and forty-seven", "एक करोड़ एक लाख एक हज़ार सैंतालीस"),
        (0, "zero", "शून्य"),
    ],
)
def test_words_in_the_indian_system(amount: int, english: str, hindi: str) -> None:
    assert english_words(amount) == english
    assert hindi_words(amount) == hindi


def test_the_irregular_hindi_numbers_come_from_the_table() -> None:
    # Spot checks across the decades, where the words are not "tens + units".
    assert [HINDI_0_99[n] for n in (11, 19, 29, 39, 47, 49, 59, 69, 79, 89, 99)] == [
        "ग्यारह", "उन्नीस", "उनतीस", "उनतालीस", "सैंतालीस", "उनचास", "उनसठ", "उनहत्तर", "उन्यासी", "नवासी", "निन्यानबे",
    ]
    assert len(set(HINDI_0_99)) == 100
    assert hindi_words(100) == "एक सौ" and hindi_words(105) == "एक सौ पाँच" and hindi_words(1_000) == "एक हज़ार"
    assert hindi_words(MAX_AMOUNT) == "निन्यानबे करोड़ निन्यानबे लाख निन्यानबे हज़ार नौ सौ निन्यानबे"


def test_rupees_as_on_a_cheque() -> None:
    assert rupees_in_words(6_40_000, "en") == "Rupees six lakh forty thousand only"
    assert rupees_in_words(6_40_000, "hi") == "छह लाख चालीस हज़ार रुपये मात्र"


@pytest.mark.parametrize("amount", [-1, MAX_AMOUNT + 1, 10.5, True])
def test_amounts_outside_the_range_are_refused_with_a_reason(amount: object) -> None:
    with pytest.raises(ValueError, match="whole number of rupees from 0 to 999999999"):
        hindi_words(amount)  # type: ignore[arg-type]
