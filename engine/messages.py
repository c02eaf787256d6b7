"""Messages as a code with parameters, so that each page can say them in its reader's language.

A `Text` is the English sentence (what logs, the API and `str()` show) that also carries its
`code` and `params`; the web layer renders it from the code in the page's language
(web/infra/messages.py, docs/decisions.md D88). `hi` holds a Hindi text that came with the data
(a scheme's own message in {"en", "hi"}); `custom` marks an English text the data chose, which
replaces the default sentence of the code in English.
"""

from __future__ import annotations

from typing import Any


class Text(str):
    """An English message with its code and parameters (a str everywhere a str is expected)."""

    code: str
    params: dict[str, Any]
    hi: str | None
    custom: bool

    def __new__(cls, code: str, english: str, *, hi: str | None = None, custom: bool = False, **params: Any) -> Text:
        text = super().__new__(cls, english)
        text.code, text.params, text.hi, text.custom = code, params, hi or None, custom
        return text

    def __reduce__(self) -> tuple:  # copies and pickles keep the code
        return (_rebuild, (self.code, str(self), self.hi, self.custom, self.params))


def _rebuild(code: str, english: str, hi: str | None, custom: bool, params: dict[str, Any]) -> Text:
    return Text(code, english, hi=hi, custom=custom, **params)


def grouped(number: Any) -> str:
    """A whole number with Indian digit grouping (12,34,567); other values as they are."""
    if not isinstance(number, int) or isinstance(number, bool):
        return str(number)
    sign, digits = ("-" if number < 0 else ""), str(abs(number))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return sign + ",".join([head, *pairs, tail])
