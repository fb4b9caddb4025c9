"""Does the sLSTM's exponential input gate help to revise what is stored? (Beck et al. 2024)

The xLSTM paper names the LSTM's "inability to revise storage decisions" as its first limit
and shows it on a nearest-neighbour search. This is a small version of that task: a stream of T
(value, score) pairs, values from U[-1, 1] and scores from U[0, 1]; after the last pair the cell
must answer the value whose score was the highest. A cell that has stored a value must replace
it whenever a higher score arrives, and keep it when a lower one does.

An LSTM (lstm_core) and an sLSTM (lstm_xlstm), each of H units with a linear read-out at the last
step, the same initialisation (PyTorch's U(-1/sqrt(H), 1/sqrt(H)), forget-gate bias 1), Adam on
fresh batches, the gradient norm clipped, from several seeds. *Solved*: the MSE on 512 held-out
streams, measured every 200 steps, fell below 0.05 (always answering 0 scores 1/3).

Run from the repository root (about 5 minutes on 2 cores):

    OPENBLAS_NUM_THREADS=1 python scripts/xlstm_experiment.py [--seeds 8] [--workers 2]

It writes lstm_classroom/data/xlstm_experiment.json (settings, every run's held-out curve, the
summary) and xlstm_experiment.md beside it (the table), both deterministic from the seeds and
shipped with the package to notebook 11, and prints how long it took (the time is not written to
the files).
"""
from _common import arguments, run_jobs  # first: one BLAS thread a process

# isort: split
import json
import time

import numpy as np

from lstm_xlstm import (
    BASELINE,
    EXPERIMENT,
    markdown_table,
    summarise,
    train_max_score,
)


def one(job):
    kind, seed = job
    r = train_max_score(kind, seed, **EXPERIMENT)
    r.pop("seconds")          # timings differ from run to run; the files should not
    r["curve"] = [round(v, 6) for v in r["curve"]]
    for k in ("final_mse", "best_mse"):
        r[k] = round(r[k], 6)
    return r


def markdown(record):
    """xlstm_experiment.md from the record that xlstm_experiment.json holds."""
    st = record["settings"]
    return "\n".join([
        "# Revising what is stored: LSTM against sLSTM (after Beck et al. 2024)",
        "",
        f"Made by `OPENBLAS_NUM_THREADS=1 python scripts/xlstm_experiment.py --seeds "
        f"{len(st['seeds'])}` on {st['workers']} processes; every number is deterministic "
        "from the seeds.",
        "",
        f"The task: a stream of T = {st['T']} (value, score) pairs, values from U[-1, 1], scores "
        "from U[0, 1]; after the last pair, answer the value whose score was the highest. Each "
        f"cell: H = {st['H']} units and a linear read-out at the last step, {len(st['seeds'])} "
        f"seeds, Adam (lr {st['lr']}), {st['steps']:,} batches of {st['batch']} fresh streams "
        f"({st['steps'] * st['batch']:,} sequences), gradient norm clipped at {st['clip']}. "
        f"*Solved*: the MSE on {st['n_eval']} held-out streams, measured every "
        f"{st['eval_every']} batches, fell below {st['solved_below']}. *Sequences to solve*: "
        "the median over the solved runs. *Final* and *best MSE*: held-out, medians over all "
        f"runs. Always answering 0 scores {BASELINE:.3f}.",
        "",
        markdown_table(record["summary"]),
        "",
        "Held-out MSE at the end, by seed:",
        "",
        "| cell | " + " | ".join(f"seed {s}" for s in st["seeds"]) + " |",
        "|---|" + "---:|" * len(st["seeds"]),
        *[f"| {kind} | " + " | ".join(f"{r['final_mse']:.4f}" for r in record["runs"]
                                      if r["kind"] == kind) + " |"
          for kind in ("lstm", "slstm")],
        "",
    ])


def main():
    args = arguments(__doc__, "seeds 0..N-1 per cell")
    start = time.perf_counter()
    jobs = [(kind, seed) for seed in range(args.seeds) for kind in ("slstm", "lstm")]
    runs, _ = run_jobs(one, jobs, args.workers, lambda r: f"{r['kind']:>5} seed {r['seed']}")
    runs.sort(key=lambda r: (r["kind"], r["seed"]))
    seconds = time.perf_counter() - start
    summary = summarise(runs)

    args.out.mkdir(exist_ok=True)
    settings = dict(EXPERIMENT, seeds=list(range(args.seeds)), workers=args.workers,
                    task="max_score_task: values U[-1, 1], scores U[0, 1]; answer the value of "
                         "the highest score at the last step",
                    optimiser="Adam, a fresh batch every step, gradient norm clipped",
                    init="PyTorch's U(-1/sqrt(H), 1/sqrt(H)) for both cells; forget-gate bias 1",
                    held_out="512 streams from np.random.default_rng(10_000 + seed)")
    record = dict(settings=settings, summary=summary, runs=runs, numpy=np.__version__)
    (args.out / "xlstm_experiment.json").write_text(json.dumps(record, indent=1) + "\n")
    (args.out / "xlstm_experiment.md").write_text(markdown(record))
    print()
    print(markdown_table(summary))
    print(f"\nwrote {args.out / 'xlstm_experiment.json'} and {args.out / 'xlstm_experiment.md'} "
          f"in {seconds:.0f} s ({seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
