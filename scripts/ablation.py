"""A small "LSTM: A Search Space Odyssey" (Greff et al. 2017): which parts of the LSTM matter?

Trains the vanilla LSTM, six variants of it (no forget gate -- the 1997 cell --, no input gate,
no output gate, no output activation, coupled input and forget gates, peepholes) and the GRU,
from several seeds, on two tasks, and records how often and how fast each one solves them:

    adding   the adding problem (Hochreiter & Schmidhuber 1997), T = 50: the sum of two marked
             values, answered at the last step; solved when the MSE on 256 held-out sequences
             is below 0.01 (always answering 1 scores 1/6)
    latch    remember the last marked value and overwrite it at the next mark, T = 100, an answer
             at every step; solved when the held-out MSE is below 0.01 (answering 0 scores 1/3).
             Each trained cell is then also run on streams of 2,000 steps that never reset.

and runs Gers, Schmidhuber & Cummins's (2000) experiment, lstm_variants.forget_gate_experiment:
the cell state of the 1997 cell and of a cell with a forget gate over a 3,000-step stream.

Run from the repository root (about 8 minutes on 2 cores; --seeds 2 takes about 2):

    python scripts/ablation.py [--seeds 8] [--workers 2]

It writes lstm_classroom/data/ablation.json (settings, every run, the summary, the forget-gate
experiment) and ablation.md beside it (the tables), which the package ships to notebook 09.
Everything but the timings is deterministic from the seeds.
"""
from _common import arguments, run_jobs  # first: one BLAS thread a process

# isort: split
import json
import time

import numpy as np

from lstm_variants import (
    CELLS,
    ablation_run,
    forget_gate_experiment,
    markdown_table,
    summarise,
)

TASKS = {   # task: settings for ablation_run
    "adding": dict(T=50, H=8, steps=3000, batch=32, lr=1e-2, clip=1.0, solved_below=0.01),
    "latch": dict(T=100, H=8, steps=2000, batch=32, lr=1e-2, clip=1.0, solved_below=0.01,
                  stream_T=2000),
}
BASELINES = {"adding": 1 / 6, "latch": 1 / 3}
FORGET = dict(T_stream=3000, T_train=30, H=8, steps=400, seed=0, window=100)


def one(job):
    kind, task_name, seed = job
    r = ablation_run(kind, task_name, seed, **TASKS[task_name])
    r.pop("seconds")          # timings differ from run to run; the file should not
    return r


def forget_gate_summary():
    out = forget_gate_experiment(**FORGET)
    marks = [0, 9, 99, 999, FORGET["T_stream"] - 1]
    summary = {"steps": [m + 1 for m in marks], "seconds": round(out["seconds"], 1)}
    for kind in ("no_forget_gate", "vanilla"):
        d = out[kind]
        summary[kind] = dict(
            # 6 decimals: ablation.md rounds these to 2, and rounding twice (to 3, then 2)
            # could differ from the notebook's live figure, which rounds once
            max_abs_c_at_steps=[round(float(d["c_max"][m]), 6) for m in marks],
            largest_abs_c=round(float(d["c_max"].max()), 6),
            train_mse=round(d["train_mse"], 5), stream_mse=round(d["stream_mse"], 5),
            first_window_mse=round(float(d["mse"][0]), 5),
            last_window_mse=round(float(d["mse"][-1]), 5))
    return summary


def forget_gate_markdown(s):
    rows = ["| cell | " + " | ".join(f"largest abs(C_t) at t = {t:,}" for t in s["steps"])
            + " | MSE, training length | MSE on the stream |",
            "|---|" + "---:|" * (len(s["steps"]) + 2)]
    for kind in ("no_forget_gate", "vanilla"):
        d = s[kind]
        rows.append(f"| {kind} | " + " | ".join(f"{v:,.2f}" for v in d["max_abs_c_at_steps"])
                    + f" | {d['train_mse']:.4f} | {d['stream_mse']:.4f} |")
    return "\n".join(rows)


def markdown(record):
    """ablation.md from the record that ablation.json holds."""
    st, forget = record["settings"], record["forget_gate"]
    add, latch = st["tasks"]["adding"], st["tasks"]["latch"]
    return "\n".join([
        "# A small LSTM ablation (after Greff et al. 2017)",
        "",
        f"Made by `python scripts/ablation.py --seeds {len(st['seeds'])}` in "
        f"{record['wall_seconds'] / 60:.1f} min on {st['workers']} processes; every number but "
        "the time is deterministic from the seeds.",
        "",
        f"Each cell: H = {add['H']} units, {len(st['seeds'])} seeds, Adam (lr {add['lr']}), "
        f"batches of {add['batch']} fresh sequences, gradient norm clipped at {add['clip']}. "
        f"*Solved*: the MSE on 256 held-out sequences fell below {add['solved_below']} within "
        f"the budget (adding: T = {add['T']}, {add['steps']:,} steps = "
        f"{add['steps'] * add['batch']:,} sequences; latch: T = {latch['T']}, "
        f"{latch['steps']:,} steps = {latch['steps'] * latch['batch']:,} sequences). "
        "*Sequences to solve*: the median over the solved runs; the held-out MSE is measured "
        f"every 50 steps, so every run's count is a multiple of {50 * add['batch']:,} sequences "
        "(every seed's count: ablation.json, `runs`). *Median MSE*: on the held-out "
        "set at the end (all runs). The latch task's last column runs each trained cell on 8 "
        f"streams of {latch['stream_T']:,} steps that never reset.",
        "",
        markdown_table(record["summary"], BASELINES),
        "",
        "## Why the forget gate was added (Gers, Schmidhuber & Cummins 2000)",
        "",
        f"Both cells trained on the latch task with sequences of {FORGET['T_train']} steps "
        f"({FORGET['steps']} Adam steps, seed {FORGET['seed']}), then run over one stream of "
        f"{FORGET['T_stream']:,} steps without a reset:",
        "",
        forget_gate_markdown(forget),
        "",
    ])


def main():
    args = arguments(__doc__, "seeds 0..N-1 per cell and task")
    start = time.perf_counter()
    # the adding problem's runs are the long ones: hand them out first
    jobs = [(k, t, s) for t in ("adding", "latch") for s in range(args.seeds) for k in CELLS]
    runs, (forget,) = run_jobs(one, jobs, args.workers,
                               lambda r: f"{r['task']:>6} {r['kind']:<21} seed {r['seed']}",
                               forget_gate_summary)
    seconds = time.perf_counter() - start
    summary = summarise(runs)
    table = markdown_table(summary, BASELINES)

    args.out.mkdir(exist_ok=True)
    settings = dict(tasks=TASKS, seeds=list(range(args.seeds)), workers=args.workers,
                    forget_gate_experiment=FORGET,
                    optimiser="Adam, a fresh batch every step, gradient norm clipped",
                    init="PyTorch's U(-1/sqrt(H), 1/sqrt(H)); forget-gate bias 1")
    record = dict(settings=settings, summary=summary, runs=runs, forget_gate=forget,
                  numpy=np.__version__, wall_seconds=round(seconds, 1))
    (args.out / "ablation.json").write_text(json.dumps(record, indent=1) + "\n")
    (args.out / "ablation.md").write_text(markdown(record))
    print()
    print(table)
    print()
    print(forget_gate_markdown(forget))
    print(f"\nwrote {args.out / 'ablation.json'} and {args.out / 'ablation.md'} "
          f"in {seconds:.0f} s ({seconds / 60:.1f} min)")


if __name__ == "__main__":
    main()
