"""Notebook 09's figures, panels and tables: the LSTM's variants and the GRU (lstm_variants).

    VARIANT_DIAGRAMS, variant_picture the cell diagram of lstm_classroom.diagram (a DiagramSpec
                                      per variant: CHANGES) with what a variant lacks greyed
                                      out (f_t = 1, i_t = 1, o_t = 1, no tanh on C_t),
                                      i_t = 1 - f_t written in, or peepholes drawn
    variant_diagram_panel             that diagram, live: a variant and a time step to choose
    GRU, gru_picture                  the GRU drawn the same way: one state h_t, gates r, z, n
    variant_panel                     sliders on a one-unit variant of the seed cell, its
                                      signals over time next to the LSTM's C_t
    variant_code                      the variants' time step as lstm_variants computes it
    forget_gate_picture               Gers et al.'s experiment: C_t over a stream with no reset
    Table, committed_ablation, greff_comparison, live_table   the ablation's tables
"""
import functools
import json
import re
from pathlib import Path

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lstm_classroom.controls import (
    Controls,
    group,
    length_slider,
    row,
    sequence_dropdown,
    weight_slider,
)
from lstm_classroom.diagram import (
    BOX_H,
    GATES,
    LSTM,
    MID,
    TOP,
    Arrow,
    CellDiagram,
    DiagramSpec,
    Dot,
    Frame,
    Gate,
    Label,
    Line,
    NumberText,
    Op,
    Oval,
    input_number,
    number,
    step_values,
    wire,
)
from lstm_classroom.diagram import BOX_W as BOX_W
from lstm_classroom.diagram import BUS as BUS
from lstm_classroom.diagram import FIGSIZE as FIGSIZE
from lstm_classroom.figures import SIGNED, Picture
from lstm_classroom.inputs import input_sequence
from lstm_classroom.panel import DiagramView, LinePlot, Panel
from lstm_classroom.panels import signal_words
from lstm_classroom.slider import NamedIntSlider, NamedSlider
from lstm_classroom.source import ASSIGNS_ANYWHERE, marked, source_lines
from lstm_classroom.style import NEUTRAL, TEXT, color, line_style
from lstm_core import seed_lstm
from lstm_variants import PEEPHOLES, VARIANTS, gru_from_scalars, markdown_table, seed_variant

DATA = Path(__file__).resolve().parent / "data"   # shipped with the package
RESULTS_MD = DATA / "ablation.md"
RESULTS_JSON = DATA / "ablation.json"
WIDTH = 8.2      # inches at 100 dpi: the widest figure a notebook column shows unscaled
TITLE_H = 0.45   # inches above the 8.0 x 4.6 diagram for its title

TITLES = {  # variant: the diagram's title
    "vanilla": "the LSTM of this collection (as PyTorch's): forget, input and output gates",
    "no_forget_gate": "the 1997 LSTM: no forget gate, f_t = 1",
    "no_input_gate": "no input gate: i_t = 1",
    "no_output_gate": "no output gate: o_t = 1",
    "no_output_activation": "no output activation: h_t = o_t C_t",
    "coupled": "coupled input and forget gates (CIFG): i_t = 1 - f_t",
    "peepholes": "peepholes: the gates also read the cell state",
}
REMOVED = {"no_forget_gate": "f", "no_input_gate": "i", "no_output_gate": "o"}


def _tex(text):
    """A plain title as mathtext: f_t -> $f_t$, C_t -> $C_t$."""
    return re.sub(r"\b([A-Za-z])_([a-z])\b", r"$\1_\2$", text)


def describe_variant(values, name):
    """One sentence with the numbers of one step of the variant `name`."""
    v = {k: float(values[k]) for k in ("t", "x", "h_prev", "c_prev", "f", "i", "g", "c", "o",
                                       "h")}
    n = {k: number(x).replace("\u2212", "-") for k, x in v.items()}
    kept, written = (number(a).replace("\u2212", "-") for a in (v["f"] * v["c_prev"],
                                                                   v["i"] * v["g"]))
    f = "f_t = 1 (no forget gate) keeps all" if name == "no_forget_gate" else \
        f"the forget gate f_t = {n['f']} keeps f_t·C_{{t-1}} = {kept}"
    if name == "no_input_gate":
        i = f"with no input gate (i_t = 1) all of the candidate g_t = {n['g']} is written"
    elif name == "coupled":
        i = (f"the coupled input gate i_t = 1 - f_t = {n['i']} writes i_t·g_t = {written} of "
             f"the candidate g_t = {n['g']}")
    else:
        i = (f"the input gate i_t = {n['i']} writes i_t·g_t = {written} of the candidate "
             f"g_t = {n['g']}")
    o = "o_t = 1 (no output gate)" if name == "no_output_gate" else f"o_t = {n['o']}"
    h = "h_t = o_t·C_t" if name == "no_output_activation" else "h_t = o_t·tanh(C_t)"
    extra = " The peepholes feed C_{t-1} into f_t and i_t, and C_t into o_t." \
        if name == "peepholes" else ""
    x = input_number(v["x"]).replace("\u2212", "-")
    of_old = "" if name == "no_forget_gate" else " of the old cell state"
    old = f" of C_{{t-1}} = {n['c_prev']}" if name == "no_forget_gate" else ""
    return (f"{TITLES[name][0].upper()}{TITLES[name][1:]}. At t = {int(v['t'])}: x_t = {x}, "
            f"h_{{t-1}} = {n['h_prev']}, C_{{t-1}} = {n['c_prev']}; {f}{old}{of_old}; {i}; "
            f"C_t = {n['c']}; {o}; {h} = {n['h']}.{extra}")


# ---- the variants' diagrams: the LSTM's diagram, with what each variant changes ----------------

_C = color("c")
_PEEP = dict(color=_C, lw=1.5, dashed=True)
_PEEP_HEAD = "-|>,head_length=4,head_width=2.2"
_X_TAP, _Y_SPLIT, _TOP_BOX = 11.0, 23.0, MID + BOX_H / 2
_PF, _PI, _PO = GATES["f"][0] - 3.3, GATES["i"][0] - 3.3, GATES["o"][0] + 4.0
# the peepholes: dashed lines in the cell state's colour, C_{t-1} into f_t and i_t, C_t into o_t
PEEPHOLE_PARTS = (
    Line(((_X_TAP, TOP), (_X_TAP, _Y_SPLIT), (_PI, _Y_SPLIT)), **_PEEP),
    Line(((_PO, TOP), (_PO, _TOP_BOX + 1.5)), **_PEEP),
    Arrow((_PF, _Y_SPLIT), (_PF, _TOP_BOX), head=_PEEP_HEAD, sharp=False, **_PEEP),
    Arrow((_PI, _Y_SPLIT), (_PI, _TOP_BOX), head=_PEEP_HEAD, sharp=False, **_PEEP),
    Arrow((_PO, _TOP_BOX + 1.5), (_PO, _TOP_BOX), head=_PEEP_HEAD, sharp=False, **_PEEP),
    Dot(_X_TAP, TOP, _C), Dot(_PO, TOP, _C),
    Label(_PF + 0.5, 21.7, r"$p_f$", fontsize=10, color=_C),
    Label(_PI + 0.5, 21.7, r"$p_i$", fontsize=10, color=_C),
    Label(_PO + 0.5, 24.2, r"$p_o$", fontsize=10, color=_C),
)
CHANGES = {  # variant: how its diagram differs from the LSTM's (DiagramSpec's fields)
    "vanilla": {},
    "no_forget_gate": dict(removed=("f",)),
    "no_input_gate": dict(removed=("i",)),
    "no_output_gate": dict(removed=("o",)),
    "no_output_activation": dict(plain={"tanh_c": "no tanh"}),
    "coupled": dict(functions={"i": (r"$1 - f_t$", 12)}),
    "peepholes": dict(extras=PEEPHOLE_PARTS),
}
VARIANT_DIAGRAMS = {name: LSTM.but(name, describe=functools.partial(describe_variant, name=name),
                                   **changes)
                    for name, changes in CHANGES.items()}


def variant_diagram(name):
    """The DiagramSpec of variant `name` (one of lstm_variants.VARIANTS)."""
    if name not in VARIANT_DIAGRAMS:
        raise ValueError(f"name must be one of {', '.join(VARIANT_DIAGRAMS)}; got {name!r}")
    return VARIANT_DIAGRAMS[name]


def _diagram_figure():
    fig = Figure(figsize=(FIGSIZE[0], FIGSIZE[1] + TITLE_H), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, FIGSIZE[1] / (FIGSIZE[1] + TITLE_H)))
    title = fig.text(0.01, 1 - 0.08 / (FIGSIZE[1] + TITLE_H), "", ha="left", va="top",
                     fontsize=12, color=TEXT)
    return fig, ax, title


def variant_values(name, xs=(1.0, 2.0, 3.0), t=None, **weights):
    """The numbers of step t (default: the last) of the seed cell as the variant `name` (with
    `weights` changed, peepholes p_i, p_f, p_o included) on `xs`: diagram.step_values' dict."""
    trace = seed_variant(name, **weights).run(np.asarray(xs, float))
    return step_values(trace, len(trace.h) if t is None else t)


def variant_picture(name, xs=(1.0, 2.0, 3.0), t=None, **weights):
    """A `Picture` of the diagram of variant `name`: the seed cell (with `weights` changed) at step
    t (default: the last) of `xs`, the parts the variant lacks greyed out."""
    spec = variant_diagram(name)
    fig, ax, title = _diagram_figure()
    title.set_text(_tex(TITLES[name]))
    sentence = CellDiagram(ax, spec).draw(variant_values(name, xs, t, **weights))
    return Picture.of(fig, "Figure: " + sentence)


def variant_diagram_panel(name="vanilla", xs=(1.0, 2.0, 3.0)):
    """The live diagram of any variant of the seed cell on `xs`, one time step at a time: a
    Panel whose parts are variant (Dropdown), step (NamedIntSlider) and diagram (CellDiagram)."""
    xs = np.asarray(xs, float)
    variant = widgets.Dropdown(
        options=[(TITLES[k].split(":")[0], k) for k in VARIANTS], value=name,
        description="variant", style={"description_width": "4.5em"},
        layout=widgets.Layout(width="420px"))
    step = NamedIntSlider(1, 1, len(xs), "time step <i>t</i>",
                          "t, the time step the diagram shows", width="320px",
                          description_width="6em")
    controls = Controls({"name": variant, "t": step}, kind="variant diagram")

    def compute(values):
        trace = seed_variant(values["name"]).run(xs)
        return dict(name=values["name"], trace=trace, shown=step_values(trace, values["t"]))

    view = DiagramView(VARIANT_DIAGRAMS[name], lambda r: (r["shown"], variant_diagram(r["name"])),
                       title=lambda r: _tex(TITLES[r["name"]]),
                       caption=lambda r, sentence: "Figure: " + sentence)
    return Panel(controls, compute, {"diagram": view},
                 layout=[row(variant, step, controls.reset), "diagram"],
                 parts=dict(variant=variant, step=step, diagram=view.diagram),
                 title="the LSTM's variants, one time step at a time")


# ---- the GRU's diagram --------------------------------------------------------------------------

GRU_GATES = {  # gate: (centre x, function, symbol, the palette colour whose role it plays)
    "z": (14.0, r"$\sigma$", "z_t", "f"),     # the update gate decides what is kept, as f_t
    "r": (30.0, r"$\sigma$", "r_t", "i"),
    "n": (48.0, r"$\tanh$", "n_t", "g"),      # the candidate, as g_t
}
X_RESET, X_JOIN, Y_JOIN = 40.0, 58.0, 25.0    # the x of r_t, the x of (1 - z_t) and n_t
GRU_KEYS = ("t", "x", "h_prev", "r", "z", "n", "h")


def gru_values(trace, t):
    """The numbers of step t (1-based) of a one-unit GRU trace: t, x, h_prev, r, z, n, h."""
    T = len(trace.h)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 1 <= t <= T:
        raise ValueError(f"t must be a whole time step 1..T = 1..{T}; got {t!r}")
    k = t - 1
    one = lambda a: float(np.ravel(a)[0])
    return dict(t=int(t), x=one(trace.x[k]), h_prev=one(trace.h0 if k == 0 else trace.h[k - 1]),
                **{s: one(getattr(trace, s)[k]) for s in ("r", "z", "n", "h")})


def describe_gru(v):
    """One sentence with the numbers of one GRU step (`gru_values`' dict)."""
    n = {k: number(x).replace("\u2212", "-") for k, x in v.items()}
    x = input_number(v["x"]).replace("\u2212", "-")
    return (f"The GRU at t = {int(v['t'])}: x_t = {x}, h_{{t-1}} = {n['h_prev']}; the reset gate "
            f"r_t = {n['r']} scales W_hn h_{{t-1}} + b_hn inside the candidate n_t = {n['n']}; "
            f"the update gate z_t = {n['z']} keeps z_t·h_{{t-1}} = "
            f"{number(v['z'] * v['h_prev'])} and writes (1 - z_t)·n_t = "
            f"{number((1 - v['z']) * v['n'])}; h_t = {n['h']}. There is no cell state and no "
            "output gate: h_t is the memory and the output.")


_XZ, _XR, _XN, _X_ONE = GRU_GATES["z"][0], GRU_GATES["r"][0], GRU_GATES["n"][0], 33.0
_R = 1.5
GRU = DiagramSpec(  # one line along the top, h_{t-1} -> x z_t -> + (1 - z_t) n_t -> h_t
    name="gru", keys=GRU_KEYS, describe=describe_gru,
    parts=(
        Frame(3.0, 4.0, 62.5, 36.0),
        *wire((0.5, TOP), (_XZ - _R, TOP), head=False, lw=2.6),
        *wire((_XZ + _R, TOP), (X_JOIN - _R, TOP), head=False, lw=2.6),
        *wire((X_JOIN + _R, TOP), (79.5, TOP), lw=2.6),
        Op(_XZ, TOP, "\u00d7"), Op(X_JOIN, TOP, "+"), Op(X_JOIN, Y_JOIN, "\u00d7"),
        Op(X_RESET, MID, "\u00d7"),
        # h_{t-1} and x_t on the bus under the gates
        Dot(5.0, TOP),
        *wire((5.0, TOP), (5.0, BUS), (_XN, BUS), head=False),
        *wire((9.0, 0.4), (9.0, BUS), head=False),
        Dot(9.0, BUS),
        *(p for x in (_XZ, _XR, _XN) for p in wire((x, BUS), (x, MID - BOX_H / 2))),
        *wire((X_RESET, BUS), (X_RESET, MID - _R)),
        # z_t: up to the x on the line; 1 - z_t across to the x with n_t
        *wire((_XZ, MID + BOX_H / 2), (_XZ, TOP - _R)),
        Dot(_XZ, Y_JOIN),
        *wire((_XZ, Y_JOIN), (_X_ONE - 3.0, Y_JOIN), head=False),
        Oval("one_minus_z", _X_ONE, Y_JOIN, 6.0, 3.0, r"$1 - z_t$", fontsize=10),
        *wire((_X_ONE + 3.0, Y_JOIN), (X_JOIN - _R, Y_JOIN)),
        # r_t into the x before n_t; n_t round to the x with 1 - z_t; up to the +
        *wire((_XR + BOX_W / 2, MID), (X_RESET - _R, MID)),
        *wire((X_RESET + _R, MID), (_XN - BOX_W / 2, MID)),
        *wire((_XN + BOX_W / 2, MID), (X_JOIN, MID), (X_JOIN, Y_JOIN - _R)),
        *wire((X_JOIN, Y_JOIN + _R), (X_JOIN, TOP - _R)),
        Dot(68.0, TOP),
        *wire((68.0, TOP), (68.0, 43.0)),
        Label(79.4, TOP - 1.2, r"$h_t$", ha="right", va="top"),
        Label(_XZ + 0.8, 22.6, r"$z_t$"),
        Label(_XR + BOX_W / 2 + 0.2, MID + 0.6, r"$r_t$", va="bottom"),
        Label(_XN + BOX_W / 2 + 0.2, MID + 0.6, r"$n_t$", va="bottom"),
        Label(79.4, 1.6, r"the $\times$ before $n_t$: $r_t \odot (W_{hn} h_{t-1} + b_{hn})$",
              ha="right", fontsize=10, zorder=3),
    ),
    gates=tuple(Gate(k, x, fn, sym, palette, 14 if k != "n" else 12)
                for k, (x, fn, sym, palette) in GRU_GATES.items()),
    numbers=(
        NumberText("t", 0.8, 44.6, "time step $t$", "t", form="whole", fontsize=13, bold=True),
        NumberText("h_prev", 0.8, TOP + 1.2, "$h_{t-1}$", "h_prev", va="bottom"),
        NumberText("x", 9.8, 1.6, "$x_t$", "x", form="input"),
        NumberText("h", 68.0, 44.6, "$h_t$", "h", ha="center"),
        NumberText("kept", 36.0, TOP + 1.2, r"$z_t \cdot h_{t-1}$",
                   lambda v: v["z"] * v["h_prev"], ha="center", va="bottom"),
        NumberText("written", X_JOIN + 2.3, Y_JOIN, r"$(1 - z_t)\, n_t$",
                   lambda v: (1 - v["z"]) * v["n"]),
    ),
)


def gru_picture(xs=(1.0, 2.0, 3.0), t=None, **weights):
    """A `Picture` of the GRU diagram: the one-unit GRU of checks.variants.GRU_WEIGHTS (with
    `weights` changed) at step t (default: the last) of `xs`."""
    trace = gru_from_scalars(**weights).run(np.asarray(xs, float))
    fig, ax, title = _diagram_figure()
    title.set_text("the GRU (Cho et al. 2014), in PyTorch's form: gates r, z, candidate n")
    sentence = CellDiagram(ax, GRU).draw(gru_values(trace, len(trace.h) if t is None else t))
    return Picture.of(fig, "Figure: " + sentence)


# ---- the variants' code -------------------------------------------------------------------------

def variant_code(*names):
    """The body of lstm_variants.VariantLSTMCell._variant_step (one time step of every variant)
    as text, with '<-- name' after each line that assigns one of `names` ('f', 'i', ...)."""
    import lstm_variants
    lines = marked(source_lines(lstm_variants, "VariantLSTMCell._variant_step"), names,
                   ASSIGNS_ANYWHERE)
    out = ["lstm_variants.py, VariantLSTMCell._variant_step:", *lines]
    return "\n".join(out)


# ---- a panel on a one-unit variant --------------------------------------------------------------

PANEL_WEIGHTS = ("b_f", "b_i", "b_o")
PEEP_WORDS = {"p_i": "p_i, the input gate's peephole weight from C_{t-1}",
              "p_f": "p_f, the forget gate's peephole weight from C_{t-1}",
              "p_o": "p_o, the output gate's peephole weight from C_t"}
LSTM_C = dict(color=NEUTRAL, linestyle=(0, (5, 2)), marker="x", markersize=5, linewidth=1.6,
              label=r"$C_t$ of the LSTM")
VARIANT_C = {**line_style("c"), "label": r"$C_t$ of the variant"}
VARIANT_ROWS = (
    (r"gates $f_t$, $i_t$, $o_t$ and the candidate $g_t$ (a missing gate is 1)",
     ("f", "i", "g", "o"), SIGNED),
    (r"cell state $C_t$ of the variant, and of the LSTM with the same weights",
     ("c", "c_lstm"), None),
    (r"hidden state $h_t$", ("h",), None),
)


def variant_panel(name="no_forget_gate", kind="step", T=20):
    """Sliders on a one-unit variant of the seed cell: the variant, the three gate biases and the
    peephole weights (used by "peepholes" only), the input; f, i, g, o, C_t (with the LSTM's
    C_t for the same weights) and h_t over time. Every number is lstm_variants' run of
    checks.variants.seed_variant.

    Attributes: variant (Dropdown), sliders (name -> slider), sequence, length, controls, and
    Panel's (result["trace"], result["lstm"], ...)."""
    variant_box = widgets.Dropdown(
        options=[(TITLES[k].split(":")[0], k) for k in VARIANTS], value=name,
        description="variant", style={"description_width": "4.5em"},
        layout=widgets.Layout(width="420px"))
    sliders = {n: weight_slider(n, 0.0) for n in PANEL_WEIGHTS}
    peeps = {n: NamedSlider(PEEPHOLES[n], -3.0, 3.0, 0.1, n.replace("_", "<sub>") + "</sub>",
                            PEEP_WORDS[n]) for n in PEEPHOLES}
    sequence, length = sequence_dropdown(kind), length_slider(T)
    controls = Controls({"name": variant_box, **sliders, **peeps, "kind": sequence, "T": length},
                        reset_label="reset", kind="variant")

    def compute(values):
        xs = input_sequence(values["kind"], values["T"])
        weights = {n: values[n] for n in PANEL_WEIGHTS}
        peep = {n: values[n] for n in PEEPHOLES} if values["name"] == "peepholes" else {}
        cell = seed_variant(values["name"], **weights, **peep)
        trace = cell.run(xs)
        lstm = seed_lstm(**weights).run(xs)
        t = np.arange(1, len(xs) + 1)
        lines = {s: (t, np.ravel(getattr(trace, s))) for s in "figcoh"}
        lines["c_lstm"] = (t, np.ravel(lstm.c))
        return dict(lines=lines, xs=xs, cell=cell, trace=trace, lstm=lstm, values=dict(values))

    def describe(result):
        v = result["values"]
        tr, T_ = result["trace"], len(result["xs"])
        spoken = [signal_words(s, np.ravel(getattr(tr, s))) for s in "figcoh"]
        c_lstm = np.ravel(result["lstm"].c)
        peep = (", peepholes " + ", ".join(f"{n} = {v[n]:g}" for n in PEEPHOLES)
                if v["name"] == "peepholes" else "")
        return (f"Figure: {TITLES[v['name']]}, the seed cell with b_f = {v['b_f']:g}, "
                f"b_i = {v['b_i']:g}, b_o = {v['b_o']:g}{peep}, over T = {T_} steps of the "
                f"input '{v['kind']}'. " + "; ".join(spoken)
                + f"; the LSTM's C_t (same weights, every gate) ends at {c_lstm[-1]:.3f}.")

    layout = widgets.VBox([
        row(variant_box, controls.reset),
        row(group("gate biases", list(sliders.values())),
            group("peepholes (the variant 'peepholes' only)", list(peeps.values()), color("c")),
            group("input sequence", [sequence, length]))])

    plot = LinePlot(VARIANT_ROWS, figsize=(8, 5.2), styles={"c_lstm": LSTM_C, "c": VARIANT_C},
                    describe=describe, xlim=lambda r: (0.5, len(r["xs"]) + 0.5))
    return Panel(controls, compute, {"lines": plot}, layout=[layout, "message", "lines", "share"],
                 parts=dict(variant=variant_box, sliders=sliders, peepholes=peeps,
                            sequence=sequence, length=length),
                 title="a one-unit variant of the seed cell")


# ---- the forget gate's experiment ---------------------------------------------------------------

def forget_gate_picture(out):
    """The result of lstm_variants.forget_gate_experiment as a `Picture`: the largest |C_t| of
    the 1997 cell and of the cell with a forget gate over the stream (log scale), and the task's
    error in windows of the stream."""
    t = out["t"] + 1
    old, new = out["no_forget_gate"], out["vanilla"]
    fig = Figure(figsize=(WIDTH, 5.0), dpi=100)
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.93, bottom=0.1, hspace=0.35)
    no_f = {**line_style("c"), "label": r"1997 cell (no forget gate)", "markevery": 300}
    with_f = {**line_style("f"), "label": r"LSTM with a forget gate", "markevery": 300}
    ax1.plot(t, old["c_max"], **no_f)
    ax1.plot(t, new["c_max"], **with_f)
    ax1.set(ylabel=r"largest $|C_t|$")
    ax1.set_title(r"the cell state over one stream that never resets (trained on 30 steps)",
                  loc="left", fontsize=10, color=TEXT)
    ax1.legend(loc="upper left", frameon=False, fontsize=10)
    window = len(t) // len(old["mse"])
    mid = (np.arange(len(old["mse"])) + 0.5) * window
    ax2.plot(mid, old["mse"], **{**no_f, "markevery": 3})
    ax2.plot(mid, new["mse"], **{**with_f, "markevery": 3})
    ax2.set(yscale="log", ylabel="squared error", xlabel="time step t of the stream")
    ax2.set_title(f"the latch task's error, mean over windows of {window} steps", loc="left",
                  fontsize=10, color=TEXT)
    ax2.xaxis.set_major_locator(MaxNLocator(integer=True))
    slope = np.polyfit(t, old["c_max"], 1)[0]
    marks = [1, 10, 100, 1000, len(t)]
    said = ", ".join(f"{old['c_max'][m - 1]:,.2f} at t = {m:,}" for m in marks)
    words = (f"Figure: over one stream of {len(t):,} steps without a reset, the 1997 cell's "
             f"largest |C_t| is {said} (a straight-line fit rises {slope:.2f} per step); the "
             f"cell with a forget gate stays between {new['c_max'].min():.2f} and "
             f"{new['c_max'].max():.2f}. The task's error over the whole stream: "
             f"{old['stream_mse']:.4f} for the 1997 cell, {new['stream_mse']:.4f} with the "
             f"forget gate (on fresh 30-step sequences: {old['train_mse']:.4f} and "
             f"{new['train_mse']:.4f}).")
    return Picture.of(fig, words)


# ---- the ablation's tables ----------------------------------------------------------------------

class Table:
    """A markdown table for a notebook: rendered as markdown, the same text as plain text."""

    def __init__(self, markdown):
        self.markdown = markdown

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": self.markdown, "text/plain": self.markdown}


def committed_ablation():
    """data/ablation.md (made by `python scripts/ablation.py --seeds 8`), its headings made small
    enough to sit inside a notebook."""
    text = RESULTS_MD.read_text(encoding="utf-8")
    return Table(re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 3) + " ", text,
                        flags=re.M))


def live_table(summary, baselines=None):
    """lstm_variants.markdown_table of a live `ablation(...)` summary, as a Table."""
    return Table(markdown_table(summary, baselines))


GREFF = {  # variant: (Greff et al.'s name for it, their finding)
    "no_forget_gate": ("NFG", "significantly worse: one of the two most critical parts"),
    "no_output_activation": ("NOAF", "significantly worse: one of the two most critical parts; "
                             "\"necessary whenever the cell state is unbounded\""),
    "no_input_gate": ("NIG", "significantly worse on speech and handwriting, not on music"),
    "no_output_gate": ("NOG", "significantly worse on speech and handwriting, not on music"),
    "coupled": ("CIFG", "no significant loss"),
    "peepholes": ("NP: their LSTM has peepholes, NP removes them", "no significant loss"),
}


def greff_comparison():
    """Greff et al.'s (2017) findings and the committed ablation side by side, one row per
    variant they report on: a Table. Our numbers come from lstm_classroom/data/ablation.json,
    every seed's: how many solved, and the fewest and most sequences a solved seed took."""
    from lstm_classroom.ablation_seeds import per_seed, spread_text
    seeds = per_seed(json.loads(RESULTS_JSON.read_text(encoding="utf-8")))

    def ours(task, kind):
        return spread_text(seeds[(task, kind)])

    lines = ["| variant | Greff et al. 2017 (speech, handwriting, music) | here: adding, T = 50 "
             "| here: latch, T = 100 |", "|---|---|---|---|",
             f"| LSTM (vanilla here: no peepholes) | reference (with peepholes) | "
             f"{ours('adding', 'vanilla')} | {ours('latch', 'vanilla')} |"]
    for kind, (theirs, found) in GREFF.items():
        lines.append(f"| {kind} ({theirs}) | {found} | {ours('adding', kind)} | "
                     f"{ours('latch', kind)} |")
    return Table("\n".join(lines))
