"""Benchmark (a script, not a test): where the time of `make test`'s pytest run goes, per test file.

Run from the repository root, in the environment `make test` made:

    .venv/bin/python benchmarks/bench_tests.py [extra pytest arguments]

It runs pytest as `make test` does (pytest.ini's options: one worker per core, whole files per
worker), with --durations=0, and adds up each test file's (and each notebook's) setup, call and
teardown times. Printed: the files, slowest first, their sum (the work the workers share), the
wall time, and the least wall time that work allows: the sum divided by the number of workers,
or the slowest file (a file runs on one worker), whichever is larger.
"""
import collections
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = re.compile(r"^\s*([\d.]+)s (?:setup|call|teardown)\s+(\S+?)::")


def worker_count(extra):
    """pytest-xdist's worker count for these arguments: the last -n N (here, else pytest.ini's
    addopts), "auto" being one per core; 1 with -n 0 or none."""
    ini = (ROOT / "pytest.ini").read_text()
    addopts = re.search(r"^addopts\s*=(.*)$", ini, re.M)
    args = (addopts.group(1).split() if addopts else []) + list(extra)
    n = "0"
    for k, arg in enumerate(args):
        if arg in ("-n", "--numprocesses") and k + 1 < len(args):
            n = args[k + 1]
        elif arg.startswith(("-n", "--numprocesses=")) and arg not in ("-n", "--numprocesses"):
            n = arg.split("=", 1)[-1] if "=" in arg else arg[2:]
    workers = (os.cpu_count() or 1) if n in ("auto", "logical") else int(n)
    return max(workers, 1)


def main(extra):
    cmd = [sys.executable, "-m", "pytest", "--durations=0", "-q", *extra]
    print("running:", " ".join(cmd), flush=True)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    per_file = collections.Counter()
    for line in out.stdout.splitlines():
        m = DURATION.match(line)
        if m:
            per_file[m.group(2)] += float(m.group(1))
    summary = [line for line in out.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    print(summary[-1] if summary else out.stdout[-2000:] + out.stderr[-2000:])
    if not per_file:
        print("no durations found in pytest's output")
        return 1
    workers = worker_count(extra)
    work = sum(per_file.values())
    print(f"\n{'seconds':>8}  test file or notebook (setup + call + teardown of its tests)")
    for name, s in per_file.most_common():
        print(f"{s:8.1f}  {name}")
    floor = max(work / workers, max(per_file.values()))
    print(f"\nwork: {work:.0f} s over {workers} workers; least wall time it allows: {floor:.0f} s; "
          f"pytest's wall time here: {wall:.0f} s (with collection and start-up)")
    return out.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
