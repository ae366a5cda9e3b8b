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
    for name in ("import typer", "status", "status in a terminal", "status, wide terminal",
                 "--help", "import typer, icalendar", "generate"):
        assert any(re.fullmatch(rf"{re.escape(name)}\s+\d+\.\d ms", line) for line in lines)
    for ratio, budget in (("status / import typer", "1.5"),
                          ("status in a terminal / import typer", "1.5"),
                          ("--help / import typer", "1.5"),
                          ("generate / import typer, icalendar", "2.0")):
        assert re.search(rf"^{re.escape(ratio)}: +\d+\.\d\dx \(budget {re.escape(budget)}x\)$",
                         result.stdout, re.M), ratio


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


def test_status_in_an_80_column_terminal_and_help_import_neither_rich_nor_plotext(tmp_path):
    """The dashboard is drawn with plain escapes; plotext only for a chart (wide terminal or
    --chart); --help is click's plain help."""
    from support.terminal import run_in_pty

    env = {"PREPPLAN_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "TERM": "xterm"}
    subprocess.run([sys.executable, "-m", "prepplan", "generate", "--start", "2026-03-02",
                    "--tz", "UTC", "--out", str(tmp_path / "p.ics")], env=env, check=True,
                   capture_output=True)
    probe = tmp_path / "probe.py"
    probe.write_text("import sys, runpy\nsys.argv = ['prepplan'] + sys.argv[1:]\n"
                     "try:\n    runpy.run_module('prepplan', run_name='__main__')\n"
                     "finally:\n    open(%r, 'w').write(' '.join(sorted({m.split('.')[0] "
                     "for m in sys.modules} & {'rich', 'plotext', 'icalendar'})))\n"
                     % str(tmp_path / "loaded"))
    for args, columns, expected in ((["status", "--as-of", "2026-04-01"], 80, ""),
                                    (["status", "--as-of", "2026-04-01"], 100, "plotext"),
                                    (["--help"], 80, "")):
        code, output = run_in_pty([str(probe), *args], env, columns=columns, python=True)
        assert code == 0, output
        assert (tmp_path / "loaded").read_text() == expected, (args, columns)


ALLOCATION = SCRIPT.with_name("allocation.py")


def test_allocation_benchmark_runs_in_quick_mode():
    result = subprocess.run([sys.executable, str(ALLOCATION), "--quick"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^allocate, 500 topics, 260 weeks, daily: +\d+\.\d ms \(budget 1000 ms\)$",
                     result.stdout, re.M)
    assert re.search(r"^daily sessions \(1820\): +\d+\.\d ms$", result.stdout, re.M)
