"""How notifications write amounts and dates for India: ₹ 6,40,000 (Indian digit grouping), with
"6.4 lakh" / "1.35 crore" beside large amounts, and dates on the India-time calendar."""

from __future__ import annotations

from datetime import datetime

from engine.clock import IST

LAKH = 100_000
CRORE = 10_000_000
_WORDS = {"en": {LAKH: "lakh", CRORE: "crore"}, "hi": {LAKH: "लाख", CRORE: "करोड़"}}


def grouped(amount: int) -> str:
    """6400000 -> '64,00,000': the last three digits, then groups of two."""
    sign, digits = ("-", str(-amount)) if amount < 0 else ("", str(amount))
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join([*groups, tail])


def in_lakh_or_crore(amount: int, language: str = "en") -> str | None:
    """640000 -> '6.4 lakh', 13500000 -> '1.35 crore'; None below a lakh. Two decimals at most,
    cut rather than rounded, so an amount never reads larger than it is (99,99,999: 99.99 lakh)."""
    unit = CRORE if abs(amount) >= CRORE else LAKH if abs(amount) >= LAKH else None
    if unit is None:
        return None
    hundredths = abs(amount) * 100 // unit
    figure = f"{'-' if amount < 0 else ''}{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")
    return f"{figure} {_WORDS.get(language, _WORDS['en'])[unit]}"


def rupees(amount: int, language: str = "en") -> str:
    """'₹ 6,40,000 (6.4 lakh)'; below a lakh just '₹ 99,999'."""
    text = f"₹ {grouped(amount)}"
    words = in_lakh_or_crore(amount, language)
    return f"{text} ({words})" if words else text


def india_day(moment: datetime) -> str:
    """The date in India time, DD-MM-YYYY: 00:30 IST is that day, though still the previous in UTC."""
    return moment.astimezone(IST).strftime("%d-%m-%Y")
