"""How counts and figures are worded, in one place: "1 day", "2 days", "1 entry", "13.7"."""

from __future__ import annotations

import math

IRREGULAR = {"entry": "entries"}


def plural(count: int, word: str) -> str:
    """`count word`, the word in the plural unless the count is exactly one."""
    return f"{count:g} {word if count == 1 else IRREGULAR.get(word, word + 's')}"


def tenths(value: float, up: bool = False) -> str:
    """A computed figure as a user reads it, to a tenth: 41 h over 3 days is "13.7" h a day
    (`up`: rounded up, so a figure over a limit never reads as the limit itself)."""
    rounded = math.ceil(value * 10 - 1e-9) / 10 if up else round(value, 1)
    return f"{rounded:g}"
