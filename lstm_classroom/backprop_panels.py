"""Notebook 07: backpropagation you can step through, one step back at a time.

`backward_stepper` runs the seed cell forward, takes the loss L = h_T (so dL/dh_T = 1 and
nothing else) and carries the gradient back step by step with the rules of
`lstm_core.LSTMCell.backward`, written out here as a small scalar loop. A slider says how many
steps the gradient has travelled; the figure shows dL/dC_t and dL/dh_t at the steps reached so
far and the local factors that pass it on: f_t along the cell state, o_t (1 - tanh^2 C_t) from
h_t into C_t. tests/test_backprop_panels.py checks the loop against `LSTMCell.backward`.
"""
import ipywidgets as widgets
import numpy as np

from lstm_classroom.controls import Controls, group, row, weight_slider
from lstm_classroom.figures import UNIT
from lstm_classroom.inputs import MAX_T, SEQUENCES, input_sequence
from lstm_classroom.panel import LinePlot, Panel
from lstm_classroom.panels import GROUPS
from lstm_classroom.slider import NamedIntSlider
from lstm_classroom.style import TEXT, color, line_style
from lstm_core import SEED_WEIGHTS, seed_lstm

CELL_WEIGHTS = tuple(n for n in SEED_WEIGHTS if n not in ("W_y", "b_y"))   # the twelve

LINES = {  # name: (palette signal whose style it takes, legend label)
    "dC": ("c", r"$\partial L/\partial C_t$"),
    "dh": ("h", r"$\partial L/\partial h_t$"),
    "f": ("f", r"$f_t$: passes $\partial L/\partial C_t$" "\n" r"back to $C_{t-1}$"),
    "into_c": ("o", r"$o_t(1-\tanh^2 C_t)$:" "\n" r"from $h_t$ into $C_t$"),
}


def step_back_gradients(w, trace):
    """dL/dh_t and dL/dC_t for L = h_T, for every step t = 1..T, and dL/dx_t, from a scalar loop.

    w : the twelve weights of a one-unit cell by name;  trace : its run on a (T,) input.
    Follows LSTMCell.backward's rules, with everything after t included:
        dh_t = [t = T] + (what step t+1 sends back through h_t)
        dC_t = dC_{t+1} f_{t+1} + dh_t o_t (1 - tanh^2 C_t)
    Returns a dict of (T,) arrays: dh, dC, dx.
    """
    f, i, g, c, o = (np.asarray(getattr(trace, s), float) for s in "figco")
    T = len(c)
    c_prev = np.concatenate(([float(trace.c0)], c[:-1]))
    dh, dC, dx = np.zeros(T), np.zeros(T), np.zeros(T)
    dh_next = dC_next = 0.0
    for t in reversed(range(T)):
        tanh_c = np.tanh(c[t])
        dh[t] = (1.0 if t == T - 1 else 0.0) + dh_next
        dC[t] = dC_next + dh[t] * o[t] * (1 - tanh_c ** 2)
        dz_f = dC[t] * c_prev[t] * f[t] * (1 - f[t])
        dz_i = dC[t] * g[t] * i[t] * (1 - i[t])
        dz_g = dC[t] * i[t] * (1 - g[t] ** 2)
        dz_o = dh[t] * tanh_c * o[t] * (1 - o[t])
        dC_next = dC[t] * f[t]
        dh_next = dz_f * w["W_hf"] + dz_i * w["W_hi"] + dz_g * w["W_hc"] + dz_o * w["W_ho"]
        dx[t] = dz_f * w["W_f"] + dz_i * w["W_i"] + dz_g * w["W_c"] + dz_o * w["W_o"]
    return dict(dh=dh, dC=dC, dx=dx)


def backward_stepper(T=12, kind="pulse", k=0, setting=None):
    """The seed cell's twelve weight sliders and a slider "step back k" (0..T-1): the gradient
    of L = h_T after it has gone k steps back from the last step, on input `kind` of length T.

    Row 1: dL/dC_t and dL/dh_t at the steps t >= T - k reached so far (a ring marks t = T - k);
    row 2: the local factors there, f_t and o_t (1 - tanh^2 C_t).
    A Panel; parts: sliders (weight name -> slider), step (the k slider), reset;
    result holds xs, cell, trace, grads (step_back_gradients' full arrays) and t (= T - k).
    """
    if kind not in SEQUENCES:
        raise ValueError(f"kind must be one of {', '.join(map(repr, SEQUENCES))}; got {kind!r}")
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or not 2 <= T <= MAX_T:
        raise ValueError(f"T must be a whole number from 2 to {MAX_T}; got {T!r}")
    xs = input_sequence(kind, int(T))
    sliders = {n: weight_slider(n, SEED_WEIGHTS[n]) for n in CELL_WEIGHTS}
    step = NamedIntSlider(k, 0, T - 1, "step back <i>k</i>",
                          f"k, how many steps the gradient has gone back from t = {T}",
                          width="400px", description_width="7em")
    controls = Controls({"k": step, **sliders}, reset_label="reset to the seed", kind="backward")
    steps = np.arange(1, T + 1)

    def compute(values):
        w = {n: values[n] for n in CELL_WEIGHTS}
        cell = seed_lstm(**w)
        trace = cell.run(xs)
        grads = step_back_gradients(w, trace)
        into_c = trace.o * (1 - np.tanh(trace.c) ** 2)
        first = T - 1 - values["k"]                 # index of the earliest step reached
        shown = slice(first, T)
        lines = dict(dC=(steps[shown], grads["dC"][shown]), dh=(steps[shown], grads["dh"][shown]),
                     f=(steps[shown], trace.f[shown]), into_c=(steps[shown], into_c[shown]),
                     at=(steps[first:first + 1], grads["dC"][first:first + 1]))
        return dict(lines=lines, xs=xs, cell=cell, trace=trace, grads=grads, into_c=into_c,
                    t=first + 1)

    def describe(result):
        t, trace, g = result["t"], result["trace"], result["grads"]
        k_now = T - t
        dC, dh, f = g["dC"][t - 1], g["dh"][t - 1], trace.f[t - 1]
        head = (f"Figure: the gradient of L = h_{T} going back through the cell on the input "
                f"{SEQUENCES[kind]} (T = {T}). ")
        if k_now == 0:
            said = (f"At the last step, t = {T}: dL/dh_{T} = 1 (the loss itself) and "
                    f"dL/dC_{T} = o_{T}(1 - tanh² C_{T}) = {dC:.3f}")
        else:
            said = (f"After {k_now} step{'s' if k_now > 1 else ''} back, dL/dC_t = {dC:.3g} "
                    f"and dL/dh_t = {dh:.3g} at t = {t}")
        where = f"t = {t - 1}" if t > 1 else "the starting state C_0"
        return (head + said + f"; f_t there is {f:.2f}, so {100 * f:.0f} % of dL/dC_t goes "
                f"on to {where} along the cell state; dL/dh_t reaches C_t times "
                f"o_t(1 - tanh² C_t) = {result['into_c'][t - 1]:.2f}.")

    styles = {n: {**line_style(s), "label": label} for n, (s, label) in LINES.items()}
    styles["at"] = dict(color=TEXT, linestyle="none", marker="o", markersize=14,
                        markerfacecolor="none", markeredgewidth=1.5, label="the step shown")

    layout = widgets.VBox([
        row(*(group(head, [sliders[n] for n in names], color(signal))
              for head, signal, names in GROUPS if signal != "y")),
        row(step, controls.reset)])
    rows = ((r"the gradient reaching each step, for the loss $L = h_T$", ("dC", "dh", "at"), None),
            (r"the local factors that pass it one step back", ("f", "into_c"), UNIT))
    plot = LinePlot(rows, figsize=(8, 4.6), styles=styles, describe=describe,
                    xlim=lambda r: (0.5, T + 0.5),
                    xlabel="time step t (the gradient travels right to left)")
    panel = Panel(controls, compute, {"lines": plot}, layout=[layout, "message", "lines", "share"],
                  parts=dict(sliders=sliders, step=step, reset=controls.reset),
                  title=f"backpropagation through time, T = {T}")
    if setting is not None:
        panel.restore(setting)
    return panel
