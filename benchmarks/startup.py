"""Start-up budget, measured side by side in one run (SPEC "Start-up budget"):

- `prepplan status` piped, as in a script, vs `python -c "import typer"` (budget 1.5x);
- `prepplan status` in a terminal (a pseudo-terminal of 80x24: the dashboard) vs the same
  (budget 1.5x); a terminal 100 columns wide adds the burn-up chart, shown for information;
- `prepplan --help` vs the same (budget 1.5x);
- `prepplan generate` of a 10-month plan with three sessions a week vs
  `python -c "import typer, icalendar"` (budget 2x).

    python benchmarks/startup.py            # 31 rounds
    python benchmarks/startup.py --quick    # one round, no verdict (used by the tests)

Every round runs each command once, in turn, so a busy machine slows both sides of a ratio
alike; a time is the median over the rounds, a ratio the median of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date, timedelta
from pathlib import Path

# name: (baseline, budget); None: shown for information
BUDGETS = {
    "status": ("import typer", 1.5),
    "status in a terminal": ("import typer", 1.5),
    "--help": ("import typer", 1.5),
    "generate": ("import typer, icalendar", 2.0),
    "status, wide terminal": ("import typer", None),
}


def run_piped(command: list[str], env: dict, cwd: str) -> float:
    began = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def run_in_terminal(command: list[str], env: dict, cwd: str, columns: int) -> float:
    """Wall time of `command` with stdin and stdout on a pseudo-terminal of `columns` x 24,
    its output read as a terminal would."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    began = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdin=slave, stdout=slave,
                               stderr=subprocess.DEVNULL)
    os.close(slave)
    while True:
        try:
            if not os.read(master, 65536):
                break
        except OSError:  # the child closed the terminal
            break
    returncode = process.wait()
    elapsed = time.perf_counter() - began
    os.close(master)
    if returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in a terminal (exit {returncode})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round, no verdict")
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    rounds = 1 if args.quick else args.runs
    python = sys.executable
    prepplan = [python, "-m", "prepplan"]
    script = Path(python).with_name("prepplan")
    if script.exists():
        prepplan = [str(script)]  # the console script a user runs
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "PREPPLAN_HOME": os.path.join(work, "home"), "TERM": "xterm"}
        env.pop("NO_COLOR", None)
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        # Measure as a user runs it: pip compiled typer's bytecode at install time, and an
        # installed prepplan has its own too. A machine that sets PYTHONDONTWRITEBYTECODE would
        # otherwise recompile prepplan's sources on every run (and only prepplan's); unset for
        # both sides alike.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        generate = prepplan + ["generate", "--start", "2026-03-02", "--hours", "10",
                               "--months", "10", "--days", "mon,wed,sat", "--at", "19:00",
                               "--tz", "Europe/Berlin", "--force", "--out",
                               os.path.join(work, "p.ics")]
        subprocess.run(generate, env=env, cwd=work, check=True, stdout=subprocess.DEVNULL)
        # A user behind: about half the planned 10 h logged every week for eight weeks, two
        # topics done, checking in on a Thursday. The forecast walks 1,000 runs to a finish
        # more than a year out (5 ms; a user on plan costs less, one who has studied next to
        # nothing for weeks more: see the README's "Start-up time").
        for week in range(8):
            day = (date(2026, 3, 5) + timedelta(days=7 * week)).isoformat()
            subprocess.run(prepplan + ["log", str(4 + week % 3), "--date", day], env=env,
                           cwd=work, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(prepplan + ["done", "1.1-1.2", "--date", "2026-04-20"], env=env,
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
        status = prepplan + ["status", "--as-of", "2026-04-23"]
        commands = {
            "import typer": lambda: run_piped([python, "-c", "import typer"], env, work),
            "status": lambda: run_piped(status, env, work),
            "status in a terminal": lambda: run_in_terminal(status, env, work, 80),
            "status, wide terminal": lambda: run_in_terminal(status, env, work, 100),
            "--help": lambda: run_piped(prepplan + ["--help"], env, work),
            "import typer, icalendar": lambda: run_piped([python, "-c",
                                                          "import typer, icalendar"], env,
                                                         work),
            "generate": lambda: run_piped(generate, env, work),
        }
        for measure in commands.values():  # warm-up: file caches, bytecode
            measure()
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, measure in commands.items():
                times[name].append(measure())
    return report(times, rounds, args.quick)


def report(times: dict[str, list[float]], rounds: int, quick: bool) -> int:
    """Each command's median time, and each ratio as the median of its rounds' ratios: the
    two sides of a ratio ran back to back in each round, so a machine busier in one round
    than in another moves both alike."""
    for name, values in times.items():
        print(f"{name:<26} {statistics.median(values) * 1000:7.1f} ms")
    within = True
    for name, (baseline, budget) in BUDGETS.items():
        ratio = statistics.median(mine / base for mine, base in zip(times[name], times[baseline]))
        label = f"{name} / {baseline}:"
        if budget is None:
            print(f"{label:<40}{ratio:.2f}x (no budget: the chart imports plotext)")
            continue
        print(f"{label:<40}{ratio:.2f}x (budget {budget}x)")
        within = within and ratio <= budget
    print(f"medians of {rounds} round(s), each command once a round, measured with "
          f"perf_counter")
    if quick:
        return 0
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
