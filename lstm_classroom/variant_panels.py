"""Notebook 09's figures, panels and tables: the LSTM's variants and the GRU (lstm_variants).

    VariantDiagram, variant_picture   the cell diagram of lstm_classroom.diagram with what a
                                      variant lacks greyed out (f_t = 1, i_t = 1, o_t = 1, no
                                      tanh on C_t), i_t = 1 - f_t written in, or peepholes drawn
    variant_diagram_panel             that diagram, live: a variant and a time step to choose
    GRUDiagram, gru_picture           the GRU drawn the same way: one state h_t, gates r, z, n
    variant_panel                     sliders on a one-unit variant of the seed cell, its
                                      signals over time next to the LSTM's C_t
    variant_code                      the variants' time step as lstm_variants computes it
    forget_gate_picture               Gers et al.'s experiment: C_t over a stream with no reset
    Table, committed_ablation, greff_comparison, live_table   the ablation's tables
"""
import inspect
import json
import re
import textwrap
from pathlib import Path

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from lstm_classroom.checks.variants import PEEPHOLES, gru_from_scalars, seed_variant
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
    BOX_W,
    BUS,
    CELL,
    EDGE,
    FIGSIZE,
    GATES,
    MID,
    TOP,
    WHITE,
    X_OUT,
    CellDiagram,
    gate_fill,
    input_number,
    number,
    read_values,
    step_values,
    text_on,
    value_text,
)
from lstm_classroom.figures import SIGNED, Picture
from lstm_classroom.inputs import input_sequence
from lstm_classroom.live import LiveFigure, Shown
from lstm_classroom.panels import Panel
from lstm_classroom.slider import NamedIntSlider, NamedSlider
from lstm_classroom.style import GRID, NEUTRAL, TEXT, color, line_style
from lstm_core import seed_lstm
from lstm_variants import VARIANTS, markdown_table

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


# ---- the variants' diagram ----------------------------------------------------------------------

class VariantDiagram(CellDiagram):
    """lstm_classroom.diagram's cell on `ax` (which should span a FIGSIZE area), able to show any
    of lstm_variants.VARIANTS: `show(values, name)`. A gate the variant lacks is drawn dashed and
    grey with its value 1; the coupled cell's input gate reads 1 - f_t; without the output
    activation the tanh on C_t is greyed out; the peepholes are dashed lines from the cell state
    into the three gates. Attributes besides CellDiagram's: name (the variant shown), tanh (the
    ellipse and its text), peephole_artists."""

    def __init__(self, ax):
        super().__init__(ax)
        self.name = None
        ellipse = [p for p in ax.patches if isinstance(p, Ellipse)][0]
        label = [t for t in ax.texts if t.get_text() == r"$\tanh$"
                 and abs(t.get_position()[0] - X_OUT) < 1e-9][0]
        self.tanh = (ellipse, label)
        self.peephole_artists = self._draw_peepholes()

    def _draw_peepholes(self):
        """Dashed lines in the cell state's colour: C_{t-1} into f_t and i_t (tapped before the
        x of the forget gate), C_t into o_t (after the +)."""
        ax, c = self.ax, color("c")
        xf, xi, xo = GATES["f"][0], GATES["i"][0], GATES["o"][0]
        top_box = MID + BOX_H / 2
        y_split, x_tap = 23.0, 11.0
        pf, pi, po = xf - 3.3, xi - 3.3, xo + 4.0
        style = dict(color=c, lw=1.5, linestyle=(0, (4, 2)), zorder=2)
        head = "-|>,head_length=4,head_width=2.2"
        arts = [ax.plot([x_tap, x_tap, pi], [TOP, y_split, y_split], **style)[0],
                ax.plot([po, po], [TOP, top_box + 1.5], **style)[0]]
        for x in (pf, pi):
            arts.append(ax.add_patch(FancyArrowPatch((x, y_split), (x, top_box), arrowstyle=head,
                                                     shrinkA=0, shrinkB=0, **style)))
        arts.append(ax.add_patch(FancyArrowPatch((po, top_box + 1.5), (po, top_box),
                                                 arrowstyle=head, shrinkA=0, shrinkB=0, **style)))
        for x in (x_tap, po):
            arts.append(ax.add_patch(Circle((x, TOP), 0.45, color=c, zorder=3)))
        words = dict(fontsize=10, color=c, va="center", zorder=4)
        arts.append(ax.text(pf + 0.5, 21.7, r"$p_f$", ha="left", **words))
        arts.append(ax.text(pi + 0.5, 21.7, r"$p_i$", ha="left", **words))
        arts.append(ax.text(po + 0.5, 24.2, r"$p_o$", ha="left", **words))
        for a in arts:
            a.set_visible(False)
        return arts

    def show(self, values, name="vanilla"):
        """Write one step's numbers (`values` as diagram.step_values gives, from a run of the
        variant `name`) and draw the variant's parts. Returns the words for it."""
        if name not in VARIANTS:
            raise ValueError(f"name must be one of {', '.join(VARIANTS)}; got {name!r}")
        super().show(values)
        v = self.values
        removed = REMOVED.get(name)
        for gate in GATES:
            fn = GATES[gate][1]
            self.boxes[gate].set_edgecolor(EDGE)
            self.boxes[gate].set_linestyle("-")
            self.names[gate].set_text(fn)
            self.names[gate].set_fontsize(14 if gate != "g" else 12)
        if removed:
            sym = GATES[removed][2]
            self.boxes[removed].set_facecolor(WHITE)
            self.boxes[removed].set_edgecolor(NEUTRAL)
            self.boxes[removed].set_linestyle((0, (4, 2)))
            self.names[removed].set_text("no gate")
            self.names[removed].set_fontsize(10)
            self.names[removed].set_color(NEUTRAL)
            self.texts[removed].set_color(NEUTRAL)
            self.texts[removed].set_text(f"${sym}$ = 1")
        if name == "coupled":
            self.names["i"].set_text(r"$1 - f_t$")
            self.names["i"].set_fontsize(12)
        ellipse, label = self.tanh
        plain = name == "no_output_activation"
        ellipse.set_edgecolor(NEUTRAL if plain else EDGE)
        ellipse.set_linestyle((0, (4, 2)) if plain else "-")
        label.set_text("no tanh" if plain else r"$\tanh$")
        label.set_fontsize(9 if plain else 11)
        label.set_color(NEUTRAL if plain else TEXT)
        for a in self.peephole_artists:
            a.set_visible(name == "peepholes")
        self.name = name
        self.description = describe_variant(v, name)
        return self.description


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
    fig, ax, title = _diagram_figure()
    diagram = VariantDiagram(ax)
    title.set_text(_tex(TITLES[name]))
    words = diagram.show(variant_values(name, xs, t, **weights), name)
    return Picture.of(fig, "Figure: " + words)


class VariantDiagramPanel(Shown):
    """A variant to choose, a time-step slider, and the diagram of that variant at that step: the
    seed cell on `xs`. Attributes: variant (Dropdown), step (NamedIntSlider), controls, live,
    diagram, values, description, widget."""

    def __init__(self, name="vanilla", xs=(1.0, 2.0, 3.0)):
        self.xs = np.asarray(xs, float)
        self.variant = widgets.Dropdown(
            options=[(TITLES[k].split(":")[0], k) for k in VARIANTS], value=name,
            description="variant", style={"description_width": "4.5em"},
            layout=widgets.Layout(width="420px"))
        self.step = NamedIntSlider(1, 1, len(self.xs), "time step <i>t</i>",
                                   "t, the time step the diagram shows", width="320px",
                                   description_width="6em")
        self.controls = Controls({"name": self.variant, "t": self.step}, kind="variant diagram")
        self.live = LiveFigure((FIGSIZE[0], FIGSIZE[1] + TITLE_H))
        fig = self.live.fig
        ax = fig.add_axes((0, 0, 1, FIGSIZE[1] / (FIGSIZE[1] + TITLE_H)))
        self.title = fig.text(0.01, 1 - 0.08 / (FIGSIZE[1] + TITLE_H), "", ha="left", va="top",
                              fontsize=12, color=TEXT)
        self.diagram = VariantDiagram(ax)
        self.live.animate(*self.diagram.artists)
        self.words = self.live.words
        self.update()
        self.widget = widgets.VBox([row(self.variant, self.step, self.controls.reset),
                                    self.live.view, self.words])
        self.controls.observe(self.update)

    def compute(self, values):
        """The controls' values -> the numbers of the step to show."""
        return step_values(seed_variant(values["name"]).run(self.xs), values["t"])

    def update(self):
        """Show the chosen variant at the chosen step; a new variant redraws the whole figure."""
        name = self.controls.values["name"]
        full = name != self.diagram.name
        self.values = self.compute(self.controls.values)
        self.title.set_text(_tex(TITLES[name]))
        self.live.show("Figure: " + self.diagram.show(self.values, name), full)

    def __repr__(self):
        return (f"VariantDiagramPanel: {self.variant.value} at time step t = {self.step.value} "
                f"of {self.step.max}")


def variant_diagram_panel(name="vanilla", xs=(1.0, 2.0, 3.0)):
    """The live diagram of any variant of the seed cell on `xs`, one time step at a time."""
    return VariantDiagramPanel(name, xs)


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


class GRUDiagram(CellDiagram):
    """The GRU drawn like the LSTM's diagram: one line along the top, h_{t-1} -> x z_t ->
    + (1 - z_t) n_t -> h_t, and no cell state; gates r_t, z_t and the candidate n_t underneath,
    n_t reading r_t * (W_hn h_{t-1} + b_hn). `show(values)` as CellDiagram's, with the keys
    of `gru_values`."""

    def __init__(self, ax):   # CellDiagram's attributes, drawn as the GRU
        self.ax = ax
        ax.set_xlim(0, 10 * FIGSIZE[0])
        ax.set_ylim(0, 10 * FIGSIZE[1])
        ax.set_axis_off()
        self._draw_gru()
        self.texts, self.boxes, self.names = {}, {}, {}
        for gate, (x, function, _, _) in GRU_GATES.items():
            self.boxes[gate] = ax.add_patch(FancyBboxPatch(
                (x - BOX_W / 2, MID - BOX_H / 2), BOX_W, BOX_H,
                boxstyle="round,pad=0,rounding_size=0.8", facecolor=WHITE, edgecolor=EDGE,
                linewidth=1.4, zorder=3))
            self.names[gate] = ax.text(x, MID + 1.5, function, ha="center", va="center",
                                       fontsize=14 if gate != "n" else 12, zorder=4)
            self.texts[gate] = value_text(ax, x, MID - 1.9, ha="center", va="center",
                                          fontsize=10.5, zorder=4)
        label = dict(fontsize=11, color=TEXT, zorder=4)
        self.texts["t"] = value_text(ax, 0.8, 44.6, ha="left", va="center", fontsize=13,
                                     fontweight="bold", color=TEXT)
        self.texts["h_prev"] = value_text(ax, 0.8, TOP + 1.2, ha="left", va="bottom", **label)
        self.texts["x"] = value_text(ax, 9.8, 1.6, ha="left", va="center", **label)
        self.texts["h"] = value_text(ax, 68.0, 44.6, ha="center", va="center", **label)
        self.texts["kept"] = value_text(ax, 36.0, TOP + 1.2, ha="center", va="bottom", **label)
        self.texts["written"] = value_text(ax, X_JOIN + 2.3, Y_JOIN, ha="left", va="center",
                                           **label)
        boxes = [a for g in GRU_GATES for a in (self.boxes[g], self.names[g], self.texts[g])]
        self.artists = boxes + [self.texts[k] for k in ("t", "h_prev", "x", "h", "kept",
                                                        "written")]
        self.values, self.description = None, ""

    def _draw_gru(self):
        ax, a = self.ax, self._arrow
        xz, xr, xn = (GRU_GATES[k][0] for k in "zrn")
        top_box, R = MID + BOX_H / 2, 1.5
        ax.add_patch(FancyBboxPatch((3.0, 4.0), 62.5, 36.0, boxstyle="round,pad=0,rounding_size=2",
                                    facecolor=CELL, edgecolor=GRID, lw=1.2, zorder=0))
        belt = dict(lw=2.6, zorder=2)     # the one state: h_{t-1} -> x z_t -> + -> h_t
        a((0.5, TOP), (xz - R, TOP), head=False, **belt)
        a((xz + R, TOP), (X_JOIN - R, TOP), head=False, **belt)
        a((X_JOIN + R, TOP), (79.5, TOP), **belt)
        self._op(xz, TOP, "\u00d7")
        self._op(X_JOIN, TOP, "+")
        self._op(X_JOIN, Y_JOIN, "\u00d7")
        self._op(X_RESET, MID, "\u00d7")
        # h_{t-1} and x_t on the bus under the gates
        ax.add_patch(Circle((5.0, TOP), 0.45, color=EDGE, zorder=3))
        a((5.0, TOP), (5.0, BUS), (xn, BUS), head=False)
        a((9.0, 0.4), (9.0, BUS), head=False)
        ax.add_patch(Circle((9.0, BUS), 0.45, color=EDGE, zorder=3))
        for x in (xz, xr, xn):
            a((x, BUS), (x, MID - BOX_H / 2))
        a((X_RESET, BUS), (X_RESET, MID - R))
        # z_t: up to the x on the line; 1 - z_t across to the x with n_t
        a((xz, top_box), (xz, TOP - R))
        ax.add_patch(Circle((xz, Y_JOIN), 0.45, color=EDGE, zorder=3))
        x_one = 33.0
        a((xz, Y_JOIN), (x_one - 3.0, Y_JOIN), head=False)
        ax.add_patch(Ellipse((x_one, Y_JOIN), 6.0, 3.0, facecolor=WHITE, edgecolor=EDGE, lw=1.4,
                             zorder=3))
        ax.text(x_one, Y_JOIN, r"$1 - z_t$", ha="center", va="center", fontsize=10, color=TEXT,
                zorder=4)
        a((x_one + 3.0, Y_JOIN), (X_JOIN - R, Y_JOIN))
        # r_t into the x before n_t; n_t round to the x with 1 - z_t; up to the +
        a((xr + BOX_W / 2, MID), (X_RESET - R, MID))
        a((X_RESET + R, MID), (xn - BOX_W / 2, MID))
        a((xn + BOX_W / 2, MID), (X_JOIN, MID), (X_JOIN, Y_JOIN - R))
        a((X_JOIN, Y_JOIN + R), (X_JOIN, TOP - R))
        ax.add_patch(Circle((68.0, TOP), 0.45, color=EDGE, zorder=3))
        a((68.0, TOP), (68.0, 43.0))
        label = dict(fontsize=11, color=TEXT, zorder=4)
        ax.text(79.4, TOP - 1.2, r"$h_t$", ha="right", va="top", **label)
        ax.text(xz + 0.8, 22.6, r"$z_t$", ha="left", va="center", **label)
        ax.text(xr + BOX_W / 2 + 0.2, MID + 0.6, r"$r_t$", ha="left", va="bottom", **label)
        ax.text(xn + BOX_W / 2 + 0.2, MID + 0.6, r"$n_t$", ha="left", va="bottom", **label)
        ax.text(79.4, 1.6, r"the $\times$ before $n_t$: $r_t \odot (W_{hn} h_{t-1} + b_{hn})$",
                ha="right", va="center", fontsize=10, color=TEXT)

    def show(self, values):
        """Write one step's numbers (`gru_values`) and fill the gate boxes. Returns the words."""
        v = read_values(values, GRU_KEYS)
        t = self.texts
        t["t"].set_text(f"time step $t$ = {int(v['t'])}")
        t["x"].set_text(f"$x_t$ = {input_number(v['x'])}")
        t["h_prev"].set_text(f"$h_{{t-1}}$ = {number(v['h_prev'])}")
        t["h"].set_text(f"$h_t$ = {number(v['h'])}")
        t["kept"].set_text(f"$z_t \\cdot h_{{t-1}}$ = {number(v['z'] * v['h_prev'])}")
        t["written"].set_text(f"$(1 - z_t)\\, n_t$ = {number((1 - v['z']) * v['n'])}")
        for gate, (_, _, symbol, palette) in GRU_GATES.items():
            fill = gate_fill(palette, v[gate])     # n_t in [-1, 1], as g_t
            ink = text_on(fill)
            self.boxes[gate].set_facecolor(fill)
            self.names[gate].set_color(ink)
            t[gate].set_color(ink)
            t[gate].set_text(f"${symbol}$ = {number(v[gate])}")
        self.values = v
        n = {k: number(x).replace("\u2212", "-") for k, x in v.items()}
        x = input_number(v["x"]).replace("\u2212", "-")
        self.description = (
            f"The GRU at t = {int(v['t'])}: x_t = {x}, h_{{t-1}} = {n['h_prev']}; the reset gate "
            f"r_t = {n['r']} scales W_hn h_{{t-1}} + b_hn inside the candidate n_t = {n['n']}; "
            f"the update gate z_t = {n['z']} keeps z_t·h_{{t-1}} = "
            f"{number(v['z'] * v['h_prev'])} and writes (1 - z_t)·n_t = "
            f"{number((1 - v['z']) * v['n'])}; h_t = {n['h']}. There is no cell state and no "
            "output gate: h_t is the memory and the output.")
        return self.description


def gru_picture(xs=(1.0, 2.0, 3.0), t=None, **weights):
    """A `Picture` of the GRU diagram: the one-unit GRU of checks.variants.GRU_WEIGHTS (with
    `weights` changed) at step t (default: the last) of `xs`."""
    trace = gru_from_scalars(**weights).run(np.asarray(xs, float))
    fig, ax, title = _diagram_figure()
    title.set_text("the GRU (Cho et al. 2014), in PyTorch's form: gates r, z, candidate n")
    words = GRUDiagram(ax).show(gru_values(trace, len(trace.h) if t is None else t))
    return Picture.of(fig, "Figure: " + words)


# ---- the variants' code -------------------------------------------------------------------------

def variant_code(*names):
    """The body of lstm_variants.VariantLSTMCell._variant_step (one time step of every variant)
    as text, with '<-- name' after each line that assigns one of `names` ('f', 'i', ...)."""
    from lstm_variants import VariantLSTMCell
    src = textwrap.dedent(inspect.getsource(VariantLSTMCell._variant_step))
    body = src.split('"""')[2].strip("\n")
    out = ["lstm_variants.py, VariantLSTMCell._variant_step:"]
    for line in textwrap.dedent(body).splitlines():
        target = line.split("=")[0] if re.match(r"^\s*[\w, \[\]:*+]+=[^=]", line) else ""
        hits = [n for n in names if n in re.findall(r"\w+", target)]
        out.append(f"    {line}    <-- {', '.join(hits)}" if hits else f"    {line}")
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
        return dict(lines=lines, xs=xs, cell=cell, trace=trace, lstm=lstm)

    def describe(result):
        from lstm_classroom.panels import _span
        v = controls.values
        tr, T_ = result["trace"], len(result["xs"])
        spoken = [_span(s, np.ravel(getattr(tr, s))) for s in "figcoh"]
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

    panel = Panel(controls, compute, VARIANT_ROWS, layout=layout, figsize=(8, 5.2),
                  styles={"c_lstm": LSTM_C, "c": VARIANT_C},
                  describe=describe,
                  xlim=lambda r: (0.5, len(r["xs"]) + 0.5))
    panel.variant, panel.sliders, panel.peepholes = variant_box, sliders, peeps
    panel.sequence, panel.length = sequence, length
    return panel


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
