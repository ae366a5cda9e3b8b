from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prepplan.cli import app

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # test helpers: icsutil, radicale_server


@pytest.fixture(autouse=True)
def prepplan_home(tmp_path, monkeypatch):
    """Every test gets its own empty store; no test touches the user's data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("PREPPLAN_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke the CLI in a temporary working folder; returns the click Result."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def run_json(run):
    def invoke(*args: str):
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


@pytest.fixture
def radicale(tmp_path):
    from radicale_server import start_radicale

    server = start_radicale(tmp_path / "radicale")
    yield server
    server.stop()
