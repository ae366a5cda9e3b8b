"""Start-up budget: `prepplan status` vs `python -c "import typer"` (budget 1.5x), and
`prepplan generate` of a 10-month plan with three sessions a week vs
`python -c "import typer, icalendar"` (budget 2x), measured side by side in one run.

    python benchmarks/startup.py            # 15 runs each, with hyperfine when installed
    python benchmarks/startup.py --quick    # one run each, no verdict (used by the tests)

Output goes to a pipe, as in a script; in a terminal `status` also loads rich for its tables.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGETS = {"status": 1.5, "generate": 2.0}


def measure(command: list[str], runs: int, env: dict, cwd: str) -> float:
    """Median wall time in seconds over `runs` runs (after one warm-up)."""
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure_hyperfine(commands: dict[str, list[str]], runs: int, env: dict, cwd: str):
    import json
    import shlex

    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json",
                        report.name, "--style", "none"]
                       + [shlex.join(command) for command in commands.values()],
                       env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        results = json.load(open(report.name))["results"]
    return {name: result["median"] for name, result in zip(commands, results)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each, no verdict")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    python = sys.executable
    prepplan = [python, "-m", "prepplan"]
    script = Path(python).with_name("prepplan")
    if script.exists():
        prepplan = [str(script)]  # the console script a user runs
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "PREPPLAN_HOME": os.path.join(work, "home")}
        env.pop("NO_COLOR", None)
        # Measure as a user runs it: pip compiled typer's bytecode at install time, and an
        # installed prepplan has its own too. A machine that sets PYTHONDONTWRITEBYTECODE would
        # otherwise recompile prepplan's sources on every run (and only prepplan's).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        generate = prepplan + ["generate", "--start", "2026-03-02", "--hours", "10",
                               "--months", "10", "--days", "mon,wed,sat", "--at", "19:00",
                               "--tz", "Europe/Berlin", "--force", "--out", os.path.join(work, "p.ics")]
        subprocess.run(generate, env=env, cwd=work, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(prepplan + ["log", "3", "--date", "2026-03-03"], env=env, cwd=work,
                       check=True, stdout=subprocess.DEVNULL)
        commands = {
            "import typer": [python, "-c", "import typer"],
            "status": prepplan + ["status", "--as-of", "2026-04-12"],
            "import typer, icalendar": [python, "-c", "import typer, icalendar"],
            "generate": generate,
        }
        if shutil.which("hyperfine") and not args.quick:
            medians = measure_hyperfine(commands, runs, env, work)
            tool = "hyperfine"
        else:
            medians = {name: measure(command, runs, env, work)
                       for name, command in commands.items()}
            tool = "perf_counter"
    for name, seconds in medians.items():
        print(f"{name:<26} {seconds * 1000:7.1f} ms")
    status_ratio = medians["status"] / medians["import typer"]
    generate_ratio = medians["generate"] / medians["import typer, icalendar"]
    print(f"status / import typer:              {status_ratio:.2f}x "
          f"(budget {BUDGETS['status']}x)")
    print(f"generate / import typer, icalendar: {generate_ratio:.2f}x "
          f"(budget {BUDGETS['generate']}x)")
    print(f"median of {runs} run(s), measured with {tool}")
    if args.quick:
        return 0
    within = status_ratio <= BUDGETS["status"] and generate_ratio <= BUDGETS["generate"]
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
