"""Benchmark (a script, not a test): how long each notebook takes to run, from a fresh kernel.

Run from the repository root:  python benchmarks/bench_notebooks.py [notebook ...]

Each notebook (all of notebooks/ by default) is executed top to bottom by nbclient in a fresh
python3 kernel of this environment, in notebooks/ (where it reads its files), with
OPENBLAS_NUM_THREADS=1 (as under the tests); nothing is saved. The time counts the kernel's start
and every cell. Printed: each notebook's time, slowest first, and the total; a notebook that
fails is reported with its error and counted until it stopped.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CELL_TIMEOUT_S = 1800


def run(path):
    """Execute notebook `path` in a fresh kernel; returns (seconds, error or None)."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    t0 = time.perf_counter()
    try:
        client.execute(stderr=subprocess.DEVNULL)    # the kernel's start-up warnings: noise here
        error = None
    except Exception as err:   # noqa: BLE001 - a benchmark reports a failing notebook and goes on
        lines = str(err).strip().splitlines()
        error = f"{type(err).__name__}: {lines[-1] if lines else ''}"
    return time.perf_counter() - t0, error


def main(names):
    os.environ["OPENBLAS_NUM_THREADS"] = "1"      # the kernels inherit it
    paths = [NOTEBOOKS / n for n in names] if names else sorted(NOTEBOOKS.glob("*.ipynb"))
    print(f"each notebook from a fresh kernel (nbclient, OPENBLAS_NUM_THREADS=1), "
          f"{len(paths)} notebooks; load average now: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    times = {}
    for path in paths:
        seconds, error = run(path)
        times[path.name] = seconds
        print(f"  ran {path.name:40s} {seconds:7.1f} s" + (f"   FAILED: {error}" if error else ""),
              flush=True)
    print("slowest first:")
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"  {name:40s} {seconds:7.1f} s")
    print(f"  {'total':40s} {sum(times.values()):7.1f} s   (load average after: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main(sys.argv[1:])
