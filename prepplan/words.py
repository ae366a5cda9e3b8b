"""How counts are worded, in one place: "1 day", "2 days", "1 entry"."""

from __future__ import annotations

IRREGULAR = {"entry": "entries"}


def plural(count: int, word: str) -> str:
    """`count word`, the word in the plural unless the count is exactly one."""
    return f"{count:g} {word if count == 1 else IRREGULAR.get(word, word + 's')}"
