"""Time quick ``yrdgeo`` commands against ``python -c "import geopandas"`` (target: each ≤ 1.5×).

Run:  python benchmarks/bench_cli_startup.py [--repeat 5]

Each round starts one fresh interpreter per command, in alternating order with the baseline
``python -c "import geopandas"`` (every yrdgeo command needs geopandas, so that is the floor).
The commands are ``yrdgeo --help``, ``yrdgeo resolve 台州市`` and three subcommands' ``--help``
(through ``python -m yrdgeo``). Wall time and the child's CPU time (user + sys) and peak memory
(max RSS) are read from ``os.wait4``. Other processes share the cores: the best of N rounds is
printed, with ``uptime`` at the start and end. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BASELINE = ("import geopandas", [sys.executable, "-c", "import geopandas"])
COMMANDS = [
    ("yrdgeo --help", ["--help"]),
    ("yrdgeo resolve 台州市", ["resolve", "台州市"]),
    ("yrdgeo moran --help", ["moran", "--help"]),
    ("yrdgeo atlas --help", ["atlas", "--help"]),
    ("yrdgeo isochrone --help", ["isochrone", "--help"]),
]


def run_once(argv: list[str]) -> tuple[float, float, float]:
    """Return (wall s, CPU s, peak RSS MiB) of one run of ``argv`` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed with exit code {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="alternating rounds (best of N is printed)")
    args = ap.parse_args()
    print("load:", os.getloadavg())
    runs = {name: [] for name, _ in [BASELINE, *COMMANDS]}
    for _ in range(args.repeat):
        for name, cli in COMMANDS:
            # Baseline and command alternate, so a busy moment hits both.
            runs[BASELINE[0]].append(run_once(BASELINE[1]))
            runs[name].append(run_once([sys.executable, "-m", "yrdgeo", *cli]))
    base_wall = min(r[0] for r in runs[BASELINE[0]])
    base_cpu = min(r[1] for r in runs[BASELINE[0]])
    print(f"{'command':28s} {'wall s':>7s} {'CPU s':>7s} {'peak MiB':>9s} {'wall ×':>7s} {'CPU ×':>7s}")
    for name in runs:
        wall, cpu, rss = min(r[0] for r in runs[name]), min(r[1] for r in runs[name]), max(r[2] for r in runs[name])
        print(f"{name:28s} {wall:7.3f} {cpu:7.3f} {rss:9.0f} {wall / base_wall:7.2f} {cpu / base_cpu:7.2f}")
    print(f"best of {args.repeat} alternating rounds; load:", os.getloadavg())


if __name__ == "__main__":
    main()
