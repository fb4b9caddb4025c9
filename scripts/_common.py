"""What the experiment scripts in scripts/ share: one BLAS thread a process, their command line,
and a pool of processes that prints each run as it finishes. (The modules they import are the
project's, installed by `make` with `pip install -e .`.)

Import it before numpy (`import _common` first of all), so that the thread setting takes effect.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # the matrices are tiny: one thread a process

import argparse  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def arguments(doc, seeds_help):
    """The command line: --seeds (8), --workers (2) and --out (lstm_classroom/data/, which the
    package ships); `doc` the script's docstring, whose first line describes it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help=seeds_help)
    parser.add_argument("--workers", type=int, default=2, help="processes (one per core)")
    parser.add_argument("--out", type=Path, default=ROOT / "lstm_classroom" / "data")
    return parser.parse_args()


def run_jobs(one, jobs, workers, label, *alongside):
    """one(job) for every job on `workers` processes, printing "label(r): solved ..., final MSE"
    as each result r comes in, in the order of `jobs`; each function in `alongside` runs in the
    same pool meanwhile. Returns (the results in order, [f() for f in alongside])."""
    with ProcessPoolExecutor(workers) as pool:
        extra = [pool.submit(f) for f in alongside]
        runs = []
        for r in pool.map(one, jobs):
            runs.append(r)
            status = f"solved after {r['sequences']:,} sequences" if r["solved"] else "not solved"
            print(f"{label(r)}: {status}, final MSE {r['final_mse']:.4f}", flush=True)
        return runs, [f.result() for f in extra]
