"""Whether a command may ask questions: the input stream it is handed, looked at without
blocking."""

from __future__ import annotations

import select


def has_answers(stream, timeout: float = 0.3) -> bool:
    """True when answers can be read without blocking: a terminal, in-memory input (tests),
    or a pipe/file with data or at its end. An open pipe that stays silent is not waited on."""
    if stream is None:
        return False
    try:
        if stream.isatty():
            return True
        fileno = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return True  # not a real file descriptor: in-memory input cannot block
    try:
        ready, _, _ = select.select([fileno], [], [], timeout)
    except (OSError, ValueError):
        return False
    return bool(ready)
