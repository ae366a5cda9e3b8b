"""Atomic file writes: a temp file in the same folder, then a rename over the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UsageError


class AtomicFile:
    """Write `data` to a temp file beside `path` now; `commit()` renames it into place.

    Splitting the two lets a command write the file, commit its database transaction, and only
    then make the file visible: a failure anywhere leaves neither a half-written file nor a
    stored plan without its calendar."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        folder = path.parent
        try:
            if path.is_dir():
                raise IsADirectoryError(21, "is a folder")
            handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.",
                                                 suffix=".tmp")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(self.temp, 0o644)
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None

    def commit(self) -> None:
        try:
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass


def write_atomic(path: Path, data: bytes) -> None:
    AtomicFile(path, data).commit()
