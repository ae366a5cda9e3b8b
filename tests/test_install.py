"""The wheel a user installs: built, installed into a fresh virtual environment, and run from
an empty folder (the bundled curriculum must travel inside the wheel)."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_generates_from_an_empty_folder(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(REPO)], check=True, capture_output=True, text=True)
    (wheel,) = dist.glob("prepplan-*.whl")
    import zipfile

    assert "prepplan/curriculum.toml" in zipfile.ZipFile(wheel).namelist()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True, text=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    home = tmp_path / "home"
    result = subprocess.run([str(env_dir / "bin" / "prepplan"), "generate", "--start",
                             "2026-12-07", "--hours", "10", "--months", "8", "--json"],
                            cwd=empty, env={"PREPPLAN_HOME": str(home), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["roadmap"] == "Meta Production Engineer Roadmap"
    assert len(plan["phases"]) == 6
    assert plan["ics"] == str(empty / "prepplan.ics")
    assert (empty / "prepplan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert (home / "prepplan.db").exists()
    # the installed copy must not be reading this checkout
    where = subprocess.run([str(python), "-c", "import prepplan; print(prepplan.__file__)"],
                           capture_output=True, text=True, cwd=empty, check=True).stdout
    assert str(REPO) not in where
