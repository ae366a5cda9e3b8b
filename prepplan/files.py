"""Atomic file writes: a temp file in the same folder, then a rename over the target."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import UsageError


def _cannot(path: Path, exc: OSError | str) -> UsageError:
    reason = exc if isinstance(exc, str) else (exc.strerror or str(exc))
    return UsageError(f"cannot write {path}: {reason}")


def _existing_mode(path: Path) -> int | None:
    """The target's permission bits (kept by the new file), None when there is none yet; a
    target that is not a regular file (a device, a FIFO, a folder) is refused."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _cannot(path, exc) from None
    if not stat.S_ISREG(status.st_mode):
        raise _cannot(path, "is a folder" if stat.S_ISDIR(status.st_mode)
                      else "not a regular file")
    return stat.S_IMODE(status.st_mode)


def check_target(path: Path) -> None:
    """Refuse now what writing `path` later would: a target that is not a regular file, a
    folder that is missing or not writable. Lets a command refuse before it stores anything."""
    _existing_mode(path)
    if not path.parent.is_dir():
        raise _cannot(path, "No such file or directory")
    if not os.access(path.parent, os.W_OK):
        raise _cannot(path, "Permission denied")


def remove_orphans(path: Path) -> None:
    """Temp files of this target left by an earlier run that was killed before its rename."""
    for orphan in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if orphan.is_file() and not orphan.is_symlink():
                orphan.unlink()
        except OSError:
            pass  # not ours to remove, or already gone


class AtomicFile:
    """Write `data` to a temp file beside `path` now; `commit()` renames it into place.

    Splitting the two lets a command write the file, commit its database transaction, and only
    then make the file visible: a failure anywhere leaves neither a half-written file nor a
    file ahead of the database. A new file gets the user's umask (the kernel applies it to
    mode 0666); an existing one keeps its own mode."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        mode = _existing_mode(path)
        remove_orphans(path)
        # tempfile.mkstemp always makes 0600 files; the calendar should follow the umask
        self.temp = path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"
        try:
            handle = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise _cannot(path, exc) from None
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            if mode is not None:
                os.chmod(self.temp, mode)
        except OSError as exc:
            self.discard()
            raise _cannot(path, exc) from None

    def commit(self) -> None:
        try:
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise _cannot(self.path, exc) from None

    def discard(self) -> None:
        try:
            self.temp.unlink()
        except FileNotFoundError:
            pass


def write_atomic(path: Path, data: bytes) -> None:
    AtomicFile(path, data).commit()
