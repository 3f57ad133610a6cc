"""The command line's answer times on the sample data, beside ``python -c pass`` in the same run.

    python benchmarks/cli_timings.py [--runs 7]

Each command runs as its own process (``python -m peer_support ...``, as the
``peer-support`` script does), interleaved with the floor so a busy moment on
the machine hits them alike; prints the median wall time, the time over the
floor, and the CPU time of the child. Goals (issue 18): ``--version`` and
``--help`` at most 0.1 s over the floor; read commands under 0.4 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    data_dir = tempfile.mkdtemp(prefix="peer-support-cli-bench-")
    app = [sys.executable, "-m", "peer_support", "--data-dir", data_dir]
    subprocess.run([*app, "demo"], check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "peer-support --version": [sys.executable, "-m", "peer_support", "--version"],
        "peer-support --help": [sys.executable, "-m", "peer_support", "--help"],
        "packs progress": [*app, "packs", "progress"],
        "fund status": [*app, "fund", "status"],
        "families list --search sorensen": [*app, "families", "list", "--search", "sorensen"],
        "families list (530 rows)": [*app, "families", "list"],
        "packs batches (ORM path, for comparison)": [*app, "packs", "batches"],
    }
    for argv in commands.values():  # warm the file cache once
        timed(argv)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            wall, cpu = timed(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    floor = statistics.median(walls["python -c pass (floor)"])
    print(f"median of {runs} runs, sample data (530 families) in {data_dir}")
    print(f"{'command':<42}{'wall':>9}{'over floor':>12}{'CPU':>9}")
    for name in commands:
        wall = statistics.median(walls[name])
        print(f"{name:<42}{wall * 1000:>7.0f} ms{(wall - floor) * 1000:>9.0f} ms"
              f"{statistics.median(cpus[name]) * 1000:>7.0f} ms")


if __name__ == "__main__":
    main()
