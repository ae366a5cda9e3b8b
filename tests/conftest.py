from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner

from support.plans import PAST_START

from prepplan.cli import app
from prepplan.options import command_group

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def prepplan_home(tmp_path, monkeypatch):
    """Every test gets its own empty store; no test touches the user's data folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("PREPPLAN_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke the CLI in a temporary working folder, as the installed command builds it (each
    command on demand); returns the click Result."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setattr(typer.testing, "_get_command", command_group)  # typer's runner builds
    runner = CliRunner()  # the group its own way
    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the CLI takes for today (it reads the clock in `prepplan.cli.today` only)."""
    import prepplan.cli

    def set_today(day):
        monkeypatch.setattr(prepplan.cli, "today", lambda: day)

    return set_today


@pytest.fixture
def run_json(run):
    def invoke(*args: str):
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke


@pytest.fixture
def radicale(tmp_path):
    """A real Radicale on 127.0.0.1 with default settings (see support.caldav_servers)."""
    from support.caldav_servers import start_server

    server = start_server("radicale", tmp_path / "radicale")
    yield server
    server.stop()




@pytest.fixture
def planned(run):
    result = run("generate", "--start", PAST_START, "--hours", "10", "--months", "8",
                 "--tz", "UTC")
    assert result.exit_code == 0, result.output
    return run


@pytest.fixture
def behind(run):
    assert run("generate", "--start", "2026-03-02", "--days", "mon,wed,sat", "--at", "19:00",
               "--tz", "America/New_York").exit_code == 0
    assert run("log", "20", "--date", "2026-03-20").exit_code == 0
    assert run("log", "20", "--date", "2026-04-10").exit_code == 0
    assert run("done", "1.1", "1.2", "1.3", "--date", "2026-04-10").exit_code == 0
    return run
