"""The committed ablation (lstm_classroom/data/ablation.json, notebook 09) seed by seed: every
run's result, not only the medians, so that a reader sees the spread a claim has to beat.

A run is "solved" when its held-out MSE fell below the threshold at one of the checks made every
`eval_every` Adam steps (50 by default); its count of sequences is the step of that check times the
batch (32), so every count is a multiple of 50 * 32 = 1,600 sequences.
"""
import json
from pathlib import Path

import numpy as np

RESULTS_JSON = Path(__file__).parent / "data" / "ablation.json"
TASKS = ("adding", "latch")


def load(doc=None):
    """The ablation record: doc itself if given (a dict as ablation.json holds), else the file."""
    return doc if doc is not None else json.loads(RESULTS_JSON.read_text(encoding="utf-8"))


def per_seed(doc=None):
    """{(task, kind): [sequences to solve of every seed, in seed order; None where unsolved]},
    cells in the order of the summary."""
    doc = load(doc)
    out = {(r["task"], r["kind"]): [] for r in doc["summary"]}
    for r in sorted(doc["runs"], key=lambda r: r["seed"]):
        out[(r["task"], r["kind"])].append(r["sequences"] if r["solved"] else None)
    return out


def spread_text(counts):
    """One cell's seeds in words: '8/8 solved, 19,200-44,800 sequences (median 26,400)';
    with one or two solved runs their counts are named: '2/8 solved: 11,200 and 60,800'."""
    done = sorted(c for c in counts if c is not None)
    head = f"{len(done)}/{len(counts)} solved"
    if not done:
        return head
    if len(done) <= 2:
        return f"{head}: {' and '.join(f'{c:,}' for c in done)} sequences"
    span = f"{done[0]:,}" if done[0] == done[-1] else f"{done[0]:,}–{done[-1]:,}"
    return f"{head}, {span} sequences (median {np.median(done):,.0f})"


def seeds_picture(doc=None):
    """A `Picture`: one dot per seed, the sequences it took to solve each task, for every cell;
    unsolved seeds as hollow dots in a column of their own at the right. Equal counts are
    stacked a little apart so that every seed shows."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lstm_classroom.figures import Picture
    from lstm_classroom.style import NEUTRAL, TEXT

    doc = load(doc)
    seeds = per_seed(doc)
    kinds = list(dict.fromkeys(k for _, k in seeds))
    fig = Figure(figsize=(8.2, 0.5 * len(kinds) + 1.6), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(TASKS), sharey=True)
    fig.subplots_adjust(left=0.2, right=0.98, top=0.9, bottom=0.2, wspace=0.12)
    words = []
    for ax, task in zip(axes, TASKS):
        st = doc["settings"]["tasks"][task]
        budget = st["steps"] * st["batch"] / 1000
        miss = budget * 1.12                           # the "not solved" column
        for row, kind in enumerate(kinds):
            counts = seeds[(task, kind)]
            seen = {}
            for c in counts:
                x = miss if c is None else c / 1000
                k = seen[x] = seen.get(x, -1) + 1
                y = row + 0.1 * ((k + 1) // 2) * (1 if k % 2 else -1)   # 0, +, -, ++, --
                ax.plot(x, y, "o", markersize=5, color=TEXT if c is not None else NEUTRAL,
                        markerfacecolor=TEXT if c is not None else "white")
            words.append(f"{task}, {kind}: {spread_text(counts)}")
        ax.axvline(budget, color=NEUTRAL, linewidth=1, linestyle=":")
        ax.set_xlim(0, budget * 1.2)
        ticks = [t for t in ax.get_xticks() if t <= budget]
        ax.set_xticks([*ticks, miss], [*(f"{t:g}" for t in ticks), "not\nsolved"])
        ax.set_xlim(0, budget * 1.2)
        ax.set_xlabel("thousands of sequences to solve")
        ax.set_title(f"{task}, T = {st['T']} (budget {budget:g}k: dotted)", fontsize=10,
                     color=TEXT, loc="left")
        ax.grid(axis="x", color="#CCCCCC", linewidth=0.5)
    axes[0].set_yticks(range(len(kinds)), kinds)
    axes[0].invert_yaxis()
    n = len(doc["settings"]["seeds"])
    return Picture.of(fig, f"Figure: every seed of the committed ablation, one dot per seed ({n} "
                           "per cell and task), placed at the sequences it took to solve the task; "
                           "unsolved seeds as hollow dots at the right. " + "; ".join(words) + ".")
