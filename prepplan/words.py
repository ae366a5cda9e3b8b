"""How counts and figures are worded, in one place: "1 day", "2 days", "1 entry", "13.7"."""

from __future__ import annotations

import math

IRREGULAR = {"entry": "entries"}


def plural(count: int, word: str) -> str:
    """`count word`, the word in the plural unless the count is exactly one."""
    return f"{count:g} {word if count == 1 else IRREGULAR.get(word, word + 's')}"


def tenths_up(value: float) -> str:
    """A computed figure to a tenth, rounded up: 41 h over 3 days is "13.7" h a day, and a
    figure over a limit never reads as the limit itself (12.03 h: "12.1")."""
    return f"{math.ceil(value * 10 - 1e-9) / 10:g}"
