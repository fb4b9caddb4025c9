"""Static figures and tables for the notebooks, and `core_code`, the core's own source.

Every figure here fits a notebook column (at most 8.4 inches wide at 100 dpi, so nothing is
scaled down) and uses the palette of lstm_classroom.style.
"""
import inspect

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lstm_classroom.inputs import SEQUENCES, input_sequence
from lstm_classroom.live import img_html, png_bytes
from lstm_classroom.signals import signals
from lstm_classroom.source import marked, source_lines
from lstm_classroom.style import GRID, LABELS, line_style

UNIT, SIGNED = (-0.05, 1.05), (-1.08, 1.08)   # y-limits of a sigmoid gate, of a tanh signal

FEEDS = (r"what feeds it: the input $x_t$ and the last hidden state $h_{t-1}$", ("x", "h_prev"),
         None)
PANEL_ROWS = {  # panel: (name, the weights it has sliders for, rows: (title, signals, y-limits))
    "f": ("the forget gate", ("W_f", "W_hf", "b_f"), (
        FEEDS,
        (r"forget gate $f_t = \sigma(W_f x_t + W_{hf} h_{t-1} + b_f)$", ("f",), UNIT),
        (r"what it feeds: the cell state $C_t = f_t C_{t-1} + i_t g_t$", ("kept", "c"), None))),
    "i": ("the input gate", ("W_i", "W_hi", "b_i"), (
        FEEDS,
        (r"input gate $i_t = \sigma(W_i x_t + W_{hi} h_{t-1} + b_i)$", ("i",), UNIT),
        (r"what it feeds: $i_t$ lets through $i_t g_t$ of the candidate $g_t$ into $C_t$",
         ("g", "written", "c"), None))),
    "g": ("the candidate", ("W_c", "W_hc", "b_c"), (
        FEEDS,
        (r"candidate $g_t = \tanh(W_c x_t + W_{hc} h_{t-1} + b_c)$", ("g",), SIGNED),
        (r"what it feeds: $i_t g_t$ is written into $C_t$", ("written", "c"), None))),
    "c": ("the cell state", ("W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i"), (
        (r"the gates that run the belt: $f_t$, $i_t$ and the candidate $g_t$",
         ("f", "i", "g"), SIGNED),
        (r"what is kept, $f_t C_{t-1}$, and what is written, $i_t g_t$", ("kept", "written"),
         None),
        (r"the cell state $C_t = f_t C_{t-1} + i_t g_t$", ("c",), None))),
    "o": ("the output gate", ("W_o", "W_ho", "b_o", "W_y", "b_y"), (
        FEEDS,
        (r"output gate $o_t = \sigma(W_o x_t + W_{ho} h_{t-1} + b_o)$", ("o",), UNIT),
        (r"what it feeds: the hidden state $h_t = o_t \tanh(C_t)$", ("tanh_c", "h"), SIGNED),
        (r"the read-out: predicted next input $\hat{y}_{t+1} = W_y h_t + b_y$", ("y",), None))),
    "dashboard": ("the whole cell", ("W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i", "W_c", "W_hc",
                                     "b_c", "W_o", "W_ho", "b_o", "W_y", "b_y"), (
        (r"gates: forget $f_t$, input $i_t$, output $o_t$; the candidate $g_t$",
         ("f", "i", "g", "o"), SIGNED),
        (r"input $x_t$, cell state $C_t$, hidden state $h_t$, prediction $\hat{y}_{t+1}$",
         ("x", "c", "h", "y", "y_next"), None))),
}


def set_ylim(ax, ylim):
    """Fixed limits and ticks for UNIT and SIGNED rows; a few round ticks for the others."""
    if ylim is None:
        ax.yaxis.set_major_locator(MaxNLocator(4))
        return
    ax.set_ylim(*ylim)
    ax.set_yticks([0, 0.5, 1] if ylim == UNIT else [-1, -0.5, 0, 0.5, 1])


def plot_points(name, sig):
    """Where signal `name` of `signals(...)` is plotted: (t, values) at t = 1..T; the prediction
    y of x_{t+1} at t + 1; y_next, the prediction after the last step, at T + 1 alone."""
    T = len(sig["x"])
    t = np.arange(1, T + 1)
    if name == "y_next":
        return np.array([T + 1.0]), sig["y"][-1:]
    return (t + 1 if name == "y" else t), sig[name]


def plot_trace(trace, signals="figcoh", ax=None, title=None):
    """Plot the signals of a one-unit `Trace` over time t = 1..T on one axis; returns the axis."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    t = np.arange(1, len(trace.h) + 1)
    for s in signals:
        ax.plot(t, np.ravel(getattr(trace, s)), **line_style(s))
    ax.set_xlabel("time step t")
    ax.set_xticks(t if len(t) <= 20 else ax.get_xticks())
    ax.axhline(0, color=GRID, linewidth=0.8, zorder=0)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title)
    return ax


def table(cell, trace, names=("x", "f", "i", "g", "c", "o", "h")):
    """The signals `names` of a one-unit run as a text table, one row per time step, 3 decimals."""
    s = signals(cell, trace)
    heads = {**LABELS, "y": "ŷ_{t+1}"}
    widths = [max(8, len(heads[n]) + 2) for n in names]
    lines = [" t" + "".join(f"{heads[n]:>{w}}" for n, w in zip(names, widths))]
    for t in range(len(s["x"])):   # round, then + 0.0: a tiny negative prints 0.000, not -0.000
        lines.append(f"{t + 1:2d}" + "".join(f"{round(float(s[n][t]), 3) + 0.0:{w}.3f}"
                                             for n, w in zip(names, widths)))
    return "\n".join(lines)


def core_code(*names, method="scalar_step"):
    """The body of a function of lstm_core (default: `scalar_step`, one time step of a one-unit
    cell, one equation a line) or of a method of LSTMCell (e.g. '_gates', the stacked step of
    notebook 06; 'predict'; 'backward') as text, with '<-- name' after each line that assigns
    one of `names` ('f', 'c', ...)."""
    import lstm_core
    where = method if inspect.isfunction(getattr(lstm_core, method, None)) else \
        f"LSTMCell.{method}"
    lines = marked(source_lines(lstm_core, where), names)
    out = [f"lstm_core.py, {where}:", *lines]
    return "\n".join(out)


class Picture:
    """A static figure for a notebook: a PNG with words that say what it shows.

    Displayed, it gives an <img> whose alt text is its description (what JupyterLab shows, and
    a screen reader reads), the PNG itself, and the description as text (a text-only front end,
    nbval's comparison). Attributes: png (bytes), description (str).
    """

    def __init__(self, png, description):
        self.png, self.description = png, description

    @classmethod
    def of(cls, fig, description):
        """A Picture of a matplotlib figure (closed afterwards, so it is not shown twice)."""
        png = png_bytes(fig)
        plt.close(fig)
        return cls(png, description)

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64
        return {"text/html": img_html(self.png, self.description),
                "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.description}


def compare(focus, settings, kind="ramp", T=6):
    """A static figure with the rows of panel `focus` ('f', 'i', 'g', 'c', 'o' or 'dashboard'),
    one column per setting of the seed cell's weights:
    settings = {"seed": {}, "b_f = 5": {"b_f": 5.0}, ...}.

    Returns a `Picture`: the PNG, and words giving each setting's last value of every signal.
    """
    from lstm_core import seed_lstm
    title, _, rows = PANEL_ROWS[focus]
    xs = input_sequence(kind, T)
    n = len(settings)
    width = 8.2
    fig = Figure(figsize=(width, 1.5 * len(rows) + 0.8), dpi=100)
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(rows), n, sharex=True, sharey="row", squeeze=False)
    fig.subplots_adjust(left=0.07, right=1 - 1.75 / width, top=0.9, bottom=0.1,
                        hspace=0.45, wspace=0.08)
    words = []
    for j, (label, changes) in enumerate(settings.items()):
        cell = seed_lstm(**changes)
        sig = signals(cell, cell.run(xs))
        said = []
        for r, (_, names, ylim) in enumerate(rows):
            ax = axes[r, j]
            for name in names:
                ax.plot(*plot_points(name, sig), **line_style(name))
                said.append(f"{LABELS[name]} ends at {plot_points(name, sig)[1][-1]:.3f}")
            ax.axhline(0, color=GRID, linewidth=0.8, zorder=0)
            set_ylim(ax, ylim)
            if j == n - 1:
                ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False,
                          fontsize=10)
        axes[0, j].set_title(label, fontsize=10)
        axes[-1, j].set_xlabel("time step t")
        axes[-1, j].xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        words.append(f"{label}: " + ", ".join(said))
    fig.suptitle(f"{title} on the input '{SEQUENCES[kind]}', T = {T}", fontsize=10)
    description = (f"Figure: {title} on the input '{SEQUENCES[kind]}', T = {T}, one column per "
                   "setting. " + "; ".join(words) + ".")
    return Picture(png_bytes(fig), description)
