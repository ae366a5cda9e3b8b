"""The start-up benchmark runs (one repetition, no timing verdict) so the script never rots."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "startup.py"


def test_benchmark_script_runs_in_quick_mode():
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in ("import typer", "status", "import typer, icalendar", "generate"):
        assert any(re.fullmatch(rf"{re.escape(name)}\s+\d+\.\d ms", line) for line in lines)
    assert re.search(r"^status / import typer: +\d+\.\d\dx \(budget 1\.5x\)$", result.stdout,
                     re.M)
    assert re.search(r"^generate / import typer, icalendar: \d+\.\d\dx \(budget 2\.0x\)$",
                     result.stdout, re.M)


def test_status_never_imports_icalendar_or_rich_when_piped(tmp_path):
    env_home = tmp_path / "home"
    code = ("import sys, runpy; sys.argv = ['prepplan'] + sys.argv[1:];\n"
            "try:\n    runpy.run_module('prepplan', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('icalendar', 'rich', 'plotext', 'tzlocal', 'dateutil')), file=sys.stderr)")
    env = {"PREPPLAN_HOME": str(env_home), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "prepplan", "generate", "--start", "2026-03-02",
                    "--tz", "UTC", "--out", str(tmp_path / "p.ics")], env=env, check=True,
                   capture_output=True)
    for command in (["status", "--as-of", "2026-04-01"], ["show"], ["log", "1", "--date",
                    "2026-03-03"], ["done", "1.1", "--date", "2026-03-04"]):
        result = subprocess.run([sys.executable, "-c", code, *command], env=env,
                                capture_output=True, text=True)
        assert result.stderr.strip().splitlines()[-1] == "[]", (command, result.stderr)


ALLOCATION = SCRIPT.with_name("allocation.py")


def test_allocation_benchmark_runs_in_quick_mode():
    result = subprocess.run([sys.executable, str(ALLOCATION), "--quick"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^allocate, 500 topics, 260 weeks, daily: +\d+\.\d ms \(budget 1000 ms\)$",
                     result.stdout, re.M)
    assert re.search(r"^daily sessions \(1820\): +\d+\.\d ms$", result.stdout, re.M)
