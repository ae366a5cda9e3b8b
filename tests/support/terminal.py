"""Running prepplan with its output on a real pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios


def run_in_pty(args, env, columns=100, rows=30, python=False):
    """Run prepplan (`python`: a script given first in args) with stdout on a real
    pseudo-terminal; returns (exit code, output)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    command = [sys.executable, *args] if python else [sys.executable, "-m", "prepplan", *args]
    process = subprocess.Popen(command, stdin=slave,
                               stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    process.wait(60)
    return process.returncode, b"".join(chunks).decode().replace("\r\n", "\n")
