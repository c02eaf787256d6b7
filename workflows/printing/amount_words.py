"""Rupee amounts as letters print them: figures with Indian grouping, words in the Indian system.

English words come from num2words' Indian English (`en_IN`: lakh, crore). Hindi has no such
library mode, and its numbers 1-99 are irregular words (सैंतालीस, not "चालीस सात"), so they come
from the table below; larger numbers are built from them with सौ, हज़ार, लाख and करोड़.
"""

from __future__ import annotations

from num2words import num2words

# The largest amount spelt out: 99,99,99,999 (ninety-nine crore ...); the CFC grant tops at 13.5 crore.
MAX_AMOUNT = 99_99_99_999

HINDI_0_99 = (  # one decade a line
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
    "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
    "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
    "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",
    "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस", "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",
    "पचास", "इक्यावन", "बावन", "तिरपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
    "साठ", "इकसठ", "बासठ", "तिरसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
    "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उन्यासी",
    "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
    "नब्बे", "इक्यानबे", "बानबे", "तिरानबे", "चौरानबे", "पंचानबे", "छियानबे", "सत्तानबे", "अट्ठानबे", "निन्यानबे",
)
assert len(HINDI_0_99) == 100

# (size, word) from the largest: crore = 1,00,00,000; lakh = 1,00,000; thousand; hundred.
_HINDI_UNITS = ((10_000_000, "करोड़"), (100_000, "लाख"), (1_000, "हज़ार"), (100, "सौ"))


def _check(amount: int) -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_AMOUNT:
        raise ValueError(f"An amount in words must be a whole number of rupees from 0 to {MAX_AMOUNT}; got {amount!r}.")


def indian_figures(amount: int) -> str:
    """640000 -> '6,40,000' (the last three digits, then groups of two)."""
    _check(amount)
    digits = str(amount)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def hindi_words(amount: int) -> str:
    """640000 -> 'छह लाख चालीस हज़ार'; 0 -> 'शून्य'."""
    _check(amount)
    if amount == 0:
        return HINDI_0_99[0]
    words = []
    rest = amount
    for size, word in _HINDI_UNITS:
        count, rest = divmod(rest, size)
        if count:
            words += [HINDI_0_99[count], word]
    if rest:
        words.append(HINDI_0_99[rest])
    return " ".join(words)


def english_words(amount: int) -> str:
    """640000 -> 'six lakh forty thousand'; commas dropped, 'and' kept before the last part."""
    _check(amount)
    return num2words(amount, lang="en_IN").replace(",", "")


def rupees_in_words(amount: int, language: str) -> str:
    """As written on a cheque: 'Rupees six lakh forty thousand only' / 'छह लाख चालीस हज़ार रुपये मात्र'."""
    if language == "hi":
        return f"{hindi_words(amount)} रुपये मात्र"
    return f"Rupees {english_words(amount)} only"
