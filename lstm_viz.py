"""Figures and interactive panels for the notebooks: written once here, called by name there.

One notation and one colour per signal across every figure, legend and slider label:
f_t forget, i_t input, g_t candidate (C~_t), o_t output, C_t cell state, h_t hidden state.
The colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); each
signal also has its own line style and marker, so the figures read in grayscale as well.
"""
import matplotlib.pyplot as plt
import numpy as np

# signal: (colour, line style, marker, label as in the equations)
STYLE = {
    "x": ("#999999", "-", ".", r"$x_t$"),
    "f": ("#0072B2", "-", "o", r"$f_t$"),
    "i": ("#E69F00", "--", "s", r"$i_t$"),
    "g": ("#009E73", "-.", "^", r"$g_t$ ($\tilde{C}_t$)"),
    "o": ("#CC79A7", ":", "D", r"$o_t$"),
    "c": ("#D55E00", "-", "v", r"$C_t$"),
    "h": ("#000000", "-", "P", r"$h_t$"),
}
GATE_COLORS = {k: v[0] for k, v in STYLE.items()}


def line_style(name):
    """Keyword arguments for ax.plot that draw signal `name` ('f', 'i', 'g', 'o', 'c', 'h', 'x')."""
    color, ls, marker, label = STYLE[name]
    return dict(color=color, linestyle=ls, marker=marker, label=label, markersize=5, linewidth=2)


def plot_trace(trace, signals="figoch", ax=None, title=None):
    """Plot the signals of a one-unit `Trace` over time t = 1..T on one axis; returns the axis."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    t = np.arange(1, len(trace.h) + 1)
    for s in signals:
        ax.plot(t, np.ravel(getattr(trace, s)), **line_style(s))
    ax.set_xlabel("time step t")
    ax.set_xticks(t if len(t) <= 20 else ax.get_xticks())
    ax.axhline(0, color="#cccccc", linewidth=0.8, zorder=0)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    if title:
        ax.set_title(title)
    return ax
