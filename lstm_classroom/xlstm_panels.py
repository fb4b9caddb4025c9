"""Notebook 11's figures, panel and experiment: the xLSTM's sLSTM and mLSTM (Beck et al. 2024,
arXiv:2405.04517) next to this project's LSTM. The cells are lstm_xlstm's and lstm_core's.

    why_revise, why_one_number, why_sequential    the paper's three limits of the LSTM, each a
                                                  small `Picture` of an lstm_core cell
    overwrite_picture    the same weights as an LSTM (sigma input gate) and as an sLSTM (exp)
    slstm_panel          sliders on a one-unit sLSTM; i, f, z, o, c, n, m, h over time
    slstm_step_code      the sLSTM's time step, as lstm_xlstm computes it
    attention_picture    the parallel mLSTM's (T, T) weights: gated, normalised linear attention
    experiment_table     the committed results of scripts/xlstm_experiment.py (which trains with
                         lstm_xlstm.train_max_score), as text
"""
import json
from pathlib import Path

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

import lstm_xlstm
from lstm_classroom.controls import Controls, group, row, sequence_text, symbol_html
from lstm_classroom.figures import SIGNED, UNIT, Picture, set_ylim
from lstm_classroom.inputs import parse_sequence
from lstm_classroom.live import png_bytes
from lstm_classroom.panel import LinePlot, Panel
from lstm_classroom.panels import span_words
from lstm_classroom.slider import NamedSlider
from lstm_classroom.source import source_lines
from lstm_classroom.style import GRID, NEUTRAL, TEXT, color, line_style
from lstm_core import LSTMCell, seed_lstm
from lstm_xlstm import BASELINE, SLSTM_TEXT, SLSTM_WEIGHTS, mlstm_parallel, slstm_from_scalars

RESULTS = Path(__file__).resolve().parent / "data" / "xlstm_experiment.json"   # shipped
WIDTH = 8.2   # inches at 100 dpi: the widest figure a notebook column shows unscaled

# the sLSTM's signals: the LSTM's palette where the signal is shared (z_t is the LSTM's g_t),
# the read-out's colour and style for the normaliser n_t, the neutral grey for m_t
SLSTM_STYLE = {
    "x": line_style("x"),
    "i": line_style("i"),
    "f": line_style("f"),
    "z": {**line_style("g"), "label": r"$z_t$"},
    "o": line_style("o"),
    "c": {**line_style("c"), "label": r"$c_t$"},
    "n": {**line_style("y"), "label": r"$n_t$"},
    "m": dict(color=NEUTRAL, linestyle=(0, (5, 1)), marker="X", markersize=5, linewidth=2,
              label=r"$m_t$"),
    "h": line_style("h"),
}
WORDS = {"x": "x_t", "i": "i_t", "f": "f_t", "z": "z_t", "o": "o_t", "c": "c_t", "n": "n_t",
         "m": "m_t", "h": "h_t"}
SLSTM_ROWS = (
    (r"gates: input $i_t = e^{\tilde\imath_t - m_t}$, forget $f_t$, output $o_t$; "
     r"cell input $z_t$", ("i", "f", "z", "o"), SIGNED),
    (r"cell state $c_t = f_t c_{t-1} + i_t z_t$, normaliser $n_t = f_t n_{t-1} + i_t$",
     ("c", "n"), None),
    (r"stabiliser $m_t = \max(\log\sigma(\tilde f_t) + m_{t-1},\ \tilde\imath_t)$", ("m",), None),
    (r"input $x_t$ and hidden state $h_t = o_t\,c_t / n_t$", ("x", "h"), None),
)
GATE_GROUPS = (  # (title, the palette signal whose colour marks it, the gate's letter)
    ("input gate <i>i<sub>t</sub></i> (exponential)", "i", "i"),
    ("forget gate <i>f<sub>t</sub></i>", "f", "f"),
    ("cell input <i>z<sub>t</sub></i>", "g", "z"),
    ("output gate <i>o<sub>t</sub></i>", "o", "o"),
)
GATE_WORDS = {"i": "the input gate", "f": "the forget gate", "z": "the cell input",
              "o": "the output gate"}


def _axes(figsize, ncols=1):
    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        ax.axhline(0, color=GRID, linewidth=0.8, zorder=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig, axes


def _series(values):
    return ", ".join(f"{v:.3f}" for v in np.ravel(values))


def _span(name, values):
    """Words for one signal over time: 'n_t moves between 1.000 and 2.040, ending at 1.998'."""
    v = np.ravel(values)
    return span_words(WORDS[name], v) if len(v) > 1 else f"{WORDS[name]} stays at {v[0]:.3f}"


# ---- why: the three limits, on lstm_core's LSTM ------------------------------------------

REVISE_XS = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 0.0])


def why_revise():
    """Limit 1: one-unit LSTMs (sigma input gate open, candidate g_t = tanh(0.3 x_t)) on
    1, 3, 2, 5, 4, 0 against the value to keep, g of the largest x so far. A forget gate near 1
    piles the writes up; near 0 it keeps only the latest. Returns a `Picture`."""
    xs = REVISE_XS
    t = np.arange(1, len(xs) + 1)
    target = np.tanh(0.3 * np.maximum.accumulate(xs))
    fig, (ax,) = _axes((WIDTH, 2.6))
    fig.subplots_adjust(left=0.08, right=0.62, top=0.86, bottom=0.2)
    said = []
    for b_f, look in ((3.0, {**line_style("c"), "label": r"$C_t$, forget gate $b_f = 3$"}),
                      (-3.0, {**line_style("kept"), "label": r"$C_t$, forget gate $b_f = -3$"})):
        cell = LSTMCell.from_scalars(W_f=0, W_hf=0, b_f=b_f, W_i=5, W_hi=0, W_c=0.3, W_hc=0,
                                     W_o=0, W_ho=0, b_o=5)
        c = cell.run(xs).c
        ax.plot(t, c, **look)
        said.append(f"with b_f = {b_f:g} (f_t = {1 / (1 + np.exp(-b_f)):.2f}) C_t is "
                    f"{_series(c)}")
    ax.plot(t, target, color=NEUTRAL, linestyle=(0, (1, 1.5)), marker="D", markersize=6,
            markerfacecolor="white", linewidth=2, label="what to keep: $g$ of the\n"
                                                      "largest $x$ so far")
    ax.set(xlabel="time step t", title=f"input x_t = {', '.join(f'{v:g}' for v in xs)}")
    ax.title.set_fontsize(10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
    words = ("Figure: one-unit LSTMs with the input gate open (W_i = 5) and candidate "
             f"g_t = tanh(0.3 x_t) on x = {', '.join(f'{v:g}' for v in xs)}. The value to keep "
             f"is {_series(target)}; " + "; ".join(said) + ".")
    return Picture(png_bytes(fig), words)


ONE_NUMBER = {"0.5, then 0.3": (0.5, 0.3), "0.3, then 0.5": (0.3, 0.5),
              "0.8, then 0.0": (0.8, 0.0)}


def why_one_number():
    """Limit 2: a one-unit LSTM that keeps and writes almost everything (b_f = b_i = 8) stores
    two values, then reads nothing; three different pairs leave the same C_3. Returns a
    `Picture`."""
    cell = LSTMCell.from_scalars(W_f=0, W_hf=0, b_f=8, W_i=0, W_hi=0, b_i=8, W_c=1, W_hc=0,
                                 W_o=0, W_ho=0)
    fig, (ax,) = _axes((WIDTH, 2.4))
    fig.subplots_adjust(left=0.08, right=0.62, top=0.86, bottom=0.22)
    looks = [line_style("c"), line_style("kept"), line_style("written")]
    said = []
    for (label, (a, b)), look in zip(ONE_NUMBER.items(), looks):
        xs = np.arctanh([a, b, 0.0])         # x_t chosen so that g_t = tanh(x_t) is a, b, 0
        c = cell.run(xs).c
        ax.plot([1, 2, 3], c, **{**look, "label": f"$C_t$ after writing {label}"})
        said.append(f"writing {label} gives C_t = {_series(c)}")
    ax.set(xlabel="time step t", ylabel="$C_t$", xticks=[1, 2, 3])
    ax.set_title("one unit, one number: three different histories, one memory", fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
    words = ("Figure: a one-unit LSTM with f_t and i_t near 1 (biases 8) writes two values and "
             "then nothing; " + "; ".join(said) + ".")
    return Picture(png_bytes(fig), words)


def why_sequential(W_ho=2.0, T=12):
    """Limit 3: the seed cell with recurrent weight W_ho on the sine: o_t as it runs, against
    o_t from x_t alone (h_{t-1} = 0), what a pass over all steps at once could compute.
    Returns a `Picture`."""
    from lstm_classroom.inputs import input_sequence
    cell = seed_lstm(W_ho=W_ho)
    xs = input_sequence("sine", T)
    o_run = cell.run(xs).o
    o_alone = np.array([cell.step(x)[4] for x in xs])     # (f, i, g, c, o, h)[4], h_prev = 0
    t = np.arange(1, T + 1)
    fig, (ax,) = _axes((WIDTH, 2.4))
    fig.subplots_adjust(left=0.08, right=0.62, top=0.86, bottom=0.22)
    ax.plot(t, o_run, **{**line_style("o"), "label": r"$o_t$ as the cell runs"})
    ax.plot(t, o_alone, **{**line_style("o"), "linestyle": (0, (4, 2)), "markerfacecolor": "white",
                           "label": "$o_t$ from $x_t$ alone\n($h_{t-1}$ set to 0)"})
    set_ylim(ax, UNIT)
    ax.set(xlabel="time step t")
    ax.set_title(f"the seed cell with $W_{{ho}} = {W_ho:g}$, input: sine", fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
    gap = np.abs(o_run - o_alone)
    words = (f"Figure: the seed cell with W_ho = {W_ho:g} on the sine, T = {T}. o_t as it runs "
             f"is {_series(o_run)}; from x_t alone it would be {_series(o_alone)}; they differ "
             f"by up to {gap.max():.3f} (at t = {int(gap.argmax()) + 1}).")
    return Picture(png_bytes(fig), words)


def overwrite_picture(W_i=5.0, xs=REVISE_XS):
    """The panel's cell with input-gate weight W_i as an sLSTM (i_t = exp) and the same weights
    as an LSTM (i_t = sigma): c_t / n_t and C_t against z of the largest x so far. Returns a
    `Picture`."""
    w = {**SLSTM_WEIGHTS, "W_i": W_i}
    tr = slstm_from_scalars(**w).run(xs)
    lstm = LSTMCell.from_scalars(W_i=w["W_i"], W_hi=w["R_i"], b_i=w["b_i"], W_f=w["W_f"],
                                 W_hf=w["R_f"], b_f=w["b_f"], W_c=w["W_z"], W_hc=w["R_z"],
                                 b_c=w["b_z"], W_o=w["W_o"], W_ho=w["R_o"], b_o=w["b_o"])
    c_lstm = lstm.run(xs).c
    target = np.tanh(w["W_z"] * np.maximum.accumulate(xs) + w["b_z"])
    t = np.arange(1, len(xs) + 1)
    fig, (ax,) = _axes((WIDTH, 2.6))
    fig.subplots_adjust(left=0.08, right=0.62, top=0.86, bottom=0.2)
    ax.plot(t, c_lstm, **{**line_style("c"), "label": r"LSTM: $C_t$ ($i_t = \sigma$)"})
    ax.plot(t, tr.c / tr.n, **{**line_style("h"), "label": r"sLSTM: $c_t / n_t$ ($i_t = \exp$)"})
    ax.plot(t, target, color=NEUTRAL, linestyle=(0, (1, 1.5)), marker="D", markersize=6,
            markerfacecolor="white", linewidth=2, label="what to keep: $z$ of the\n"
                                                      "largest $x$ so far")
    ax.set(xlabel="time step t")
    ax.set_title(f"the same weights ($W_i = {W_i:g}$, $b_f = {w['b_f']:g}$, "
                 f"$W_z = {w['W_z']:g}$), two input gates", fontsize=10)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
    words = (f"Figure: the panel's weights with W_i = {W_i:g} on x = "
             f"{', '.join(f'{v:g}' for v in xs)}. The value to keep is {_series(target)}; the "
             f"sLSTM's c_t / n_t is {_series(tr.c / tr.n)}; the LSTM's C_t is {_series(c_lstm)}.")
    return Picture(png_bytes(fig), words)


def slstm_step_code():
    """The loop of lstm_xlstm's SLSTMCell.run, one time step, as text: the code the panel runs."""
    lines = source_lines(lstm_xlstm, "SLSTMCell.run", loop="t", drop_last=1)
    return "lstm_xlstm.py, SLSTMCell.run:\n" + "\n".join(lines).rstrip()


# ---- the sLSTM panel -----------------------------------------------------------------------

def _slider(name, value):
    """A named slider for weight `name` of the one-unit sLSTM: W_* and R_* +-5, biases +-8."""
    lo, hi = (-8.0, 8.0) if name.startswith("b_") else (-5.0, 5.0)
    kind, gate = name.split("_")
    what = {"W": "input weight", "R": "recurrent weight", "b": "bias"}[kind]
    return NamedSlider(value, lo, hi, 0.1, symbol_html(name),
                       f"{name}, {GATE_WORDS[gate]}'s {what}")


def slstm_panel(text=SLSTM_TEXT, **weights):
    """The notebook's sLSTM panel: sliders on the twelve weights of a one-unit sLSTM
    (lstm_xlstm.SLSTMCell), starting at SLSTM_WEIGHTS (changed by `weights`), a text box for the
    input (`text`, "1, 3, 2, 5, 4, 0" by default, applied on Enter), and i, f, z, o, c, n, m, h
    over time. A Panel; parts: sliders (name -> NamedSlider), text, reset; the latest result's
    weights (all twelve), xs, cell, trace."""
    weights = {**SLSTM_WEIGHTS, **weights}
    slstm_from_scalars(**weights)                      # unknown names fail here, early
    sliders = {n: _slider(n, v) for n, v in weights.items()}
    box = sequence_text(text)
    controls = Controls({**sliders, "text": box}, reset_label="reset")
    plotted = [n for _, names, _ in SLSTM_ROWS for n in names]

    def compute(values):
        xs = parse_sequence(values["text"])
        w = {n: values[n] for n in sliders}
        cell = slstm_from_scalars(**w)
        trace = cell.run(xs)
        t = np.arange(1, len(xs) + 1)
        lines = {n: (t, np.ravel(getattr(trace, n)).astype(float)) for n in plotted}
        return dict(lines=lines, xs=xs, cell=cell, trace=trace, weights=w)

    def describe(result):
        lines, T = result["lines"], len(result["xs"])
        return (f"Figure: a one-unit sLSTM over T = {T} steps. "
                + "; ".join(_span(n, lines[n][1]) for n in plotted) + ".")

    grid = widgets.GridBox(
        [group(head, [sliders[f"{k}_{gate}"] for k in "WRb"], color(signal))
         for head, signal, gate in GATE_GROUPS],
        layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(262px, 1fr))"))
    plot = LinePlot(SLSTM_ROWS, figsize=(8, 6.4), styles=SLSTM_STYLE, describe=describe,
                    xlim=lambda r: (0.5, len(r["xs"]) + 0.5))
    return Panel(controls, compute, {"lines": plot},
                 layout=[widgets.VBox([grid, row(box, controls.reset)]), "message", "lines",
                         "share"],
                 parts=dict(sliders=sliders, text=box, reset=controls.reset),
                 title="sliders " + ", ".join(sliders))


# ---- the mLSTM's parallel form as attention -----------------------------------------------

def attention_matrix(q, k, i_pre, f_pre):
    """The (T, T) matrix A with mlstm_parallel(q, k, v, i_pre, f_pre) = A v for every v: the
    parallel form is linear in v, so its columns are the parallel form run on unit values."""
    T, d = np.shape(q)
    A = np.zeros((T, T))
    for start in range(0, T, d):                 # d columns of A per call: v = d unit vectors
        cols = np.arange(start, min(start + d, T))
        units = np.zeros((T, d))
        units[cols, np.arange(len(cols))] = 1.0
        A[:, cols] = mlstm_parallel(q, k, units, i_pre, f_pre)[:, :len(cols)]
    return A


def attention_picture(q, k, i_pre, f_pre):
    """The (T, T) matrix A that the parallel mLSTM multiplies the values by, h = A v: row t
    says how much of each v_j reaches h_t. Returns a `Picture`."""
    A = attention_matrix(q, k, i_pre, f_pre)
    T = len(A)
    fig = Figure(figsize=(5.6, 4.2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.13, right=0.88, top=0.9, bottom=0.14)
    lim = float(np.abs(A).max())
    im = ax.imshow(A, cmap="PuOr", vmin=-lim, vmax=lim)
    fig.colorbar(im, ax=ax, fraction=0.05, label="weight of $v_j$ in $h_t$")
    ticks = np.arange(0, T, max(1, T // 8))
    ax.set(xticks=ticks, xticklabels=ticks + 1, yticks=ticks, yticklabels=ticks + 1,
           xlabel="j, the step whose value is read", ylabel="t, the step that reads")
    ax.set_title("parallel mLSTM: $h = A\\,v$ (zero above the diagonal)", fontsize=10,
                 color=TEXT)
    above = A[np.triu_indices(T, 1)]
    zero = "is 0" if not np.any(above) else f"is at most {np.abs(above).max():.1e} in size"
    words = (f"Figure: the ({T}, {T}) matrix A of the parallel mLSTM, h = A v. Every entry above "
             f"the diagonal {zero}: step t reads no later value. The entries lie between "
             f"{A.min():.3f} and {A.max():.3f}.")
    return Picture(png_bytes(fig), words)


# ---- the experiment (trained by lstm_xlstm.train_max_score): its committed results ----------

def experiment_table(path=RESULTS):
    """The committed results of scripts/xlstm_experiment.py as text: settings, the table, and
    each run's held-out MSE at the end."""
    if not Path(path).exists():
        return f"{path} is missing: run python scripts/xlstm_experiment.py to make it."
    record = json.loads(Path(path).read_text())
    st = record["settings"]
    lines = [f"max-score task, T = {st['T']}, H = {st['H']} units, {len(st['seeds'])} seeds, "
             f"{st['steps']:,} Adam steps of {st['batch']} streams (lr {st['lr']}, clip "
             f"{st['clip']}); solved: held-out MSE below {st['solved_below']} "
             f"(always answering 0: {BASELINE:.3f})",
             "",
             f"{'cell':6s} {'solved':>7s} {'sequences to solve':>19s} {'final MSE':>10s} "
             f"{'best MSE':>9s}   (medians)"]
    for s in record["summary"]:
        seqs = "-" if s["median_sequences"] is None else f"{s['median_sequences']:,.0f}"
        lines.append(f"{s['kind']:6s} {s['solved']:>3d}/{s['runs']:<3d} {seqs:>19s} "
                     f"{s['median_final_mse']:10.4f} {s['median_best_mse']:9.4f}")
    lines.append("")
    for kind in ("lstm", "slstm"):
        finals = [r["final_mse"] for r in record["runs"] if r["kind"] == kind]
        lines.append(f"{kind:6s} final MSE by seed: " + " ".join(f"{v:.4f}" for v in finals))
    return "\n".join(lines)
