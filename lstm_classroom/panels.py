"""The notebooks' interactive panels, each a `Panel` (lstm_classroom.panel): controls, one
compute, and the views that show its result.

Every number a panel plots comes from its compute (lstm_core or lstm_learn); the views only move
lines, draw the diagram and write readouts, and say in words what they show. `gate_panel`
(notebooks 01-04), `dashboard` (05) and `gradient_panel` (07) are panels; `LiveLoss` (08) is a
live figure that a training loop feeds.
"""
import time

import ipywidgets as widgets
import numpy as np
from IPython.display import display

from lstm_classroom.controls import (
    Controls,
    group,
    length_slider,
    row,
    sequence_dropdown,
    sequence_text,
    symbol_html,
    weight_slider,
)
from lstm_classroom.diagram import LSTM, TAG_AT, focus_spec, step_values
from lstm_classroom.export import torch_code
from lstm_classroom.figures import PANEL_ROWS, plot_points
from lstm_classroom.inputs import MAX_T, SEQUENCES, input_sequence, parse_sequence
from lstm_classroom.live import LiveDisplay, LiveFigure
from lstm_classroom.panel import DiagramView, HTMLView, LinePlot, Panel, SliderRange, escaped
from lstm_classroom.signals import signals
from lstm_classroom.slider import NamedIntSlider, NamedSlider
from lstm_classroom.style import LABELS, NEUTRAL, color, line_style
from lstm_core import SEED_WEIGHTS, seed_lstm

__all__ = ["Panel", "gate_panel", "dashboard", "gradient_panel", "LiveLoss", "span_words",
           "signal_words"]


def span_words(label, values):
    """Words for one signal over time: 'f_t rises from 0.622 to 0.827'; `label` names it."""
    v = np.asarray(values, float)
    if len(v) == 1:
        return f"{label} = {v[0]:.3f}"
    lo, hi = v.min(), v.max()
    if np.isclose(lo, hi, atol=5e-4):
        return f"{label} stays at {v[0]:.3f}"
    d = np.diff(v)
    how = "rises" if np.all(d >= -1e-12) else "falls" if np.all(d <= 1e-12) else "moves"
    if how == "moves":
        return f"{label} moves between {lo:.3f} and {hi:.3f}, ending at {v[-1]:.3f}"
    return f"{label} {how} from {v[0]:.3f} to {v[-1]:.3f}"


def signal_words(name, values):
    """span_words for signal `name` ('f', 'c', ...), labelled as the equations write it."""
    return span_words(LABELS[name], values)


def seed_cell_compute(weight_names, plotted, read_input):
    """The compute of a panel on the seed cell: values -> the run of seed_lstm with the sliders'
    weights on read_input(values): lines (plot_points of each plotted signal), xs, cell, trace,
    signals, weights (all fourteen) and prediction (W_y h_T + b_y after the last input)."""
    def compute(values):
        xs = read_input(values)
        weights = {n: values[n] for n in weight_names}
        cell = seed_lstm(**weights)
        trace = cell.run(xs)
        sig = signals(cell, trace)
        return dict(lines={n: plot_points(n, sig) for n in plotted}, xs=xs, cell=cell,
                    trace=trace, signals=sig, weights={**SEED_WEIGHTS, **weights},
                    prediction=float(sig["y"][-1]))
    return compute


def seed_cell_words(title, plotted):
    """result -> the words of a seed-cell panel's figure: each plotted signal over time."""
    def describe(result):
        sig, T = result["signals"], len(result["xs"])
        spoken = [signal_words(n, sig[n]) for n in plotted if n in sig and n != "y"]
        prediction = f"the prediction of x_{T + 1} is ŷ_{T + 1} = {sig['y'][-1]:.3f}"
        return (f"Figure: {title} over T = {T} steps. " + "; ".join(spoken)
                + ("; " + prediction if "y" in plotted else "") + ".")
    return describe


def seed_cell_plot(title, rows, figsize):
    """The LinePlot of a seed-cell panel: `rows` over t = 1..T (and T + 1 for a prediction)."""
    plotted = [n for _, names, _ in rows for n in names]
    shows_next = "y" in plotted
    return LinePlot(rows, figsize=figsize, describe=seed_cell_words(title, plotted),
                    xlim=lambda r: (0.5, len(r["xs"]) + (1.5 if shows_next else 0.5)),
                    xlabel=("time step t (the prediction $\\hat{y}_{t+1}$ is drawn at t + 1)"
                            if shows_next else "time step t"))


# ---- notebooks 01-04: one gate in focus ---------------------------------------------------------
ROW_MARKS = "\u2776\u2777\u2778\u2779\u277a"   # 1 2 3 ... in black circles: a row's number,
FOCUS_GATES = {"f": "f", "i": "i", "g": "g", "c": "fi", "o": "o"}   # on its title and the diagram


def gate_diagram(focus, rows):
    """The diagram under gate panel `focus`: the LSTM with the gates the notebook is about drawn
    thick and each row of the panel named on it by its number (next to the first of its signals
    the diagram writes)."""
    return focus_spec(f"lstm, {focus} in focus", FOCUS_GATES[focus], row_tags(rows))


def row_tags(rows):
    """(row mark, signal) for each of `rows` that the diagram shows: its first signal there."""
    tags = []
    for mark, (_, names, _) in zip(ROW_MARKS, rows):
        shown = [n for n in names if n in TAG_AT]
        if shown:
            tags.append((mark, shown[0]))
    return tags


def gate_panel(focus="f", kind="ramp", T=6, setting=None):
    """The interactive panel of one gate: 'f' (01), 'i' and 'g' (02), 'c' (03, the cell state
    with the forget and input gates' sliders) or 'o' (04, with the read-out's W_y, b_y).
    Starts at the seed's weights on `kind` of length T (default: the ramp 1, ..., 6), or where
    `setting` (a line from `panel.setting`) says. Under the curves, the same cell as a diagram
    at one time step t (its own slider, 1..T; the last step at first), the gates in focus drawn
    thick and each row's number written where the diagram shows it.

    Parts: focus, sliders (weight name -> slider), sequence (Dropdown), length (IntSlider, T),
    step (the diagram's time step), reset, diagram (the CellDiagram); and the latest result's
    xs, cell, trace, weights, prediction, t and shown (the diagram's numbers).
    """
    if not isinstance(focus, str) or focus not in ("f", "i", "g", "c", "o"):
        raise ValueError(f"focus must be one of 'f', 'i', 'g', 'c', 'o'; got {focus!r}")
    if kind not in SEQUENCES:
        raise ValueError(f"kind must be one of {', '.join(map(repr, SEQUENCES))}; got {kind!r}")
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or not 1 <= T <= MAX_T:
        raise ValueError(f"T must be a whole number of time steps from 1 to {MAX_T}; got {T!r}")
    title, names, rows = PANEL_ROWS[focus]
    rows = tuple((f"{mark} {row_title}", signals_, ylim)
                 for mark, (row_title, signals_, ylim) in zip(ROW_MARKS, rows))
    sequence, length = sequence_dropdown(kind), length_slider(int(T))
    step = NamedIntSlider(int(T), 1, int(T), "time step <i>t</i>",
                          "t, the time step the cell diagram shows", width="320px",
                          description_width="6em")
    sliders = {n: weight_slider(n, SEED_WEIGHTS[n]) for n in names}
    controls = Controls({**sliders, "kind": sequence, "T": length, "t": step},
                        reset_label="reset to the seed", kind=focus,
                        limits={"t": lambda v: (1, v["T"])})
    plotted = [n for _, row_names, _ in rows for n in row_names]
    seed_compute = seed_cell_compute(names, plotted,
                                     lambda v: input_sequence(v["kind"], v["T"]))

    def compute(values):
        result = seed_compute(values)
        t = min(values["t"], len(result["xs"]))   # a shorter sequence: its last step
        return dict(result, t=t, shown=step_values(result["trace"], t))

    spec = gate_diagram(focus, rows)
    views = {
        "lines": seed_cell_plot(title, rows, (8, 1.55 * len(rows) + 0.5)),
        "diagram": DiagramView(spec, lambda r: (r["shown"], spec)),
        "step_range": SliderRange(step, lambda r: len(r["xs"])),
    }
    head = f"{title}: its weights (every other weight stays the seed's)"
    marks = ", ".join(f"{m} row {ROW_MARKS.index(m) + 1}" for m, _ in row_tags(rows))
    panel = Panel(
        controls, compute, views,
        layout=[row(group(head, sliders.values(), color(focus)),
                    group("input sequence", [sequence, length, controls.reset])),
                "message", "lines",
                widgets.HTML(f"<b>the same cell at one time step</b> (the thick box: "
                             f"{escaped(title)}; {escaped(marks)}: where the diagram shows what "
                             "that row plots)"),
                step, "diagram", "share"],
        parts=dict(focus=focus, sliders=sliders, sequence=sequence, length=length, step=step,
                   reset=controls.reset, diagram=views["diagram"].diagram),
        title=f"{title}, sliders {', '.join(sliders)}", figure="lines")
    if setting is not None:
        panel.restore(setting)
    return panel


# ---- notebook 05: the dashboard -----------------------------------------------------------------
SEED_TEXT = "1, 2, 3"
GROUPS = (  # slider columns of the dashboard: (title, signal whose colour marks it, weights)
    ("forget gate <i>f<sub>t</sub></i>", "f", ("W_f", "W_hf", "b_f")),
    ("input gate <i>i<sub>t</sub></i>", "i", ("W_i", "W_hi", "b_i")),
    ("candidate <i>g<sub>t</sub></i>", "g", ("W_c", "W_hc", "b_c")),
    ("output gate <i>o<sub>t</sub></i>", "o", ("W_o", "W_ho", "b_o")),
    ("read-out <i>ŷ</i>", "y", ("W_y", "b_y")),
)


def prediction_html(result):
    """The dashboard's readout: ŷ_{T+1} = W_y h_T + b_y and its value."""
    T = len(result["xs"])
    return (f"predicted next value <i>ŷ</i><sub>{T + 1}</sub> = "
            f"<i>W</i><sub>y</sub> <i>h</i><sub>{T}</sub> + <i>b</i><sub>y</sub>"
            f" = <b>{result['prediction']:.3f}</b>")


def torch_code_html(result):
    """The few lines of PyTorch that rebuild the cell shown, folded."""
    return ("<details><summary>this cell in PyTorch (copy it into a notebook that has "
            "torch)</summary><pre>" + escaped(torch_code(result["cell"])) + "</pre></details>")


def dashboard(text=SEED_TEXT, setting=None):
    """The whole cell at once (notebook 05): sliders for all twelve weights and the read-out, a
    text box for the input sequence, and f, i, g, o, C and h over time with the prediction at
    T + 1. Starts at the seed's weights on "1, 2, 3", where it predicts the seed's 3.483, or
    where `setting` (a line from `panel.setting`) says. Under the figure: the cell diagram at
    one time step, and the few lines of PyTorch that rebuild the cell shown.

    Parts: sliders, text (the sequence box, applied on Enter), step (the diagram's time step),
    reset, readout and torch_code (HTML), diagram (the CellDiagram), diagram_view (its figure).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a sequence typed as text, e.g. '1, 2, 3'; got "
                        f"{type(text).__name__}")
    parse_sequence(text)          # a ValueError saying what is wrong with it
    title, names, rows = PANEL_ROWS["dashboard"]
    box = sequence_text(text)
    step = NamedIntSlider(3, 1, MAX_T, "time step <i>t</i>",
                          "t, the time step the cell diagram shows", width="320px",
                          description_width="6em")
    sliders = {n: weight_slider(n, SEED_WEIGHTS[n]) for n in names}
    controls = Controls({**sliders, "text": box, "t": step}, reset_label="reset to the seed",
                        kind="dashboard",
                        limits={"t": lambda v: (1, len(parse_sequence(v["text"])))})
    plotted = [n for _, row_names, _ in rows for n in row_names]
    seed_compute = seed_cell_compute(names, plotted, lambda v: parse_sequence(v["text"]))

    def compute(values):
        result = seed_compute(values)
        t = min(values["t"], len(result["xs"]))   # a shorter sequence: its last step
        return dict(result, t=t, shown=step_values(result["trace"], t))

    views = {  # updated in this order after every change: the diagram's pixels first
        "diagram": DiagramView(LSTM, lambda r: (r["shown"], LSTM)),
        "lines": seed_cell_plot(title, rows, (8, 5.2)),
        "readout": HTMLView(prediction_html),
        "torch_code": HTMLView(torch_code_html),
        "step_range": SliderRange(step, lambda r: len(r["xs"])),
    }
    grid = widgets.GridBox(
        [group(head, [sliders[n] for n in group_names], color(signal))
         for head, signal, group_names in GROUPS],
        layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(262px, 1fr))"))
    panel = Panel(
        controls, compute, views,
        layout=[grid, row(box, controls.reset), "readout", "torch_code", "message", "lines",
                widgets.HTML("<b>the cell at one time step</b>"), step, "diagram", "share"],
        parts=dict(sliders=sliders, text=box, step=step, reset=controls.reset,
                   readout=views["readout"].html, torch_code=views["torch_code"].html,
                   diagram=views["diagram"].diagram, diagram_view=views["diagram"].live),
        title=f"{title}, sliders {', '.join(sliders)}", figure="lines")
    if setting is not None:
        panel.restore(setting)
    return panel


# ---- notebook 00: the cell diagram, one time step at a time -------------------------------------
def diagram_panel(weights=None, xs=(1, 2, 3)):
    """A time-step slider and the cell diagram at that step: the seed cell (with `weights`
    changed, e.g. {"b_f": 3.0}) walked through `xs` (default 1, 2, 3, the seed document's).

    Parts: step (the slider, t = 1..T), diagram (the CellDiagram); the latest result's cell,
    trace and step (the numbers shown).
    """
    cell = seed_lstm(**(weights or {}))
    trace = cell.run(np.asarray(xs, float))
    T = len(trace.h)
    step = NamedIntSlider(1, 1, T, "time step <i>t</i>", "t, the time step the diagram shows",
                          width="320px", description_width="6em")
    controls = Controls({"t": step}, reset_label="back to t = 1")
    view = DiagramView(LSTM, lambda r: (r["shown"], LSTM))
    return Panel(controls, lambda v: dict(cell=cell, trace=trace, shown=step_values(trace, v["t"])),
                 {"diagram": view}, layout=[step, "diagram"],
                 parts=dict(step=step, diagram=view.diagram),
                 title=f"the LSTM cell, one time step of T = {T} at a time")


# ---- notebook 07: the gradient against the lag --------------------------------------------------
def gradient_panel(recurrent_scale=1.0, forget_bias=1.0, setting=None):
    """Two sliders (the recurrent weights' scale, the LSTM's forget bias b_f) and |dh_T/dx_t|
    against the lag T - t for a vanilla RNN and an LSTM, with the product of forget gates along
    the cell state; the numbers come from lstm_learn.gradient_by_lag.

    Parts: scale, b_f (the two sliders); values are gradient_by_lag's keywords, and
    result["curves"] its latest numbers.
    """
    from lstm_learn import gradient_by_lag
    scale = NamedSlider(recurrent_scale, 0.25, 4.0, 0.25, "recurrent weight scale",
                        "recurrent weight scale: multiplies both cells' W_hh",
                        width="400px", description_width="12em")
    b_f = NamedSlider(forget_bias, -2.0, 6.0, 0.5, "forget bias " + symbol_html("b_f"),
                      "b_f, the LSTM forget gate's bias", digits=1, width="400px",
                      description_width="12em")
    controls = Controls({"recurrent_scale": scale, "forget_bias": b_f}, kind="gradient")
    curves = {"rnn": ("h", r"vanilla RNN: $\|\partial h_T / \partial x_t\|$"),
              "lstm": ("c", r"LSTM: $\|\partial h_T / \partial x_t\|$"),
              "forget": ("f", r"LSTM: $f_T \cdots f_{t+1}$, the path along $C_t$")}
    styles = {k: {**line_style(s), "label": label, "markevery": 5}
              for k, (s, label) in curves.items()}

    def compute(values):
        c = gradient_by_lag(**values)
        lag = np.arange(len(c["rnn"]))
        return dict(curves=c, values=dict(values),
                    lines={k: (lag, np.maximum(c[k], 1e-300)) for k in curves})

    def describe(result):
        c, v = result["curves"], result["values"]
        said = [f"{label} is {c[k][10]:.1e} at lag 10 and {c[k][50]:.1e} at lag 50"
                for k, label in (("rnn", "the vanilla RNN's gradient"),
                                 ("lstm", "the LSTM's gradient"),
                                 ("forget", "the product of forget gates"))]
        return (f"Figure: gradient size against the lag, on a log scale, for recurrent weight "
                f"scale {v['recurrent_scale']:g} and forget bias b_f = {v['forget_bias']:g}: "
                + "; ".join(said) + ".")

    def setup(axes):
        ax = axes[0]
        ax.set(yscale="log", ylim=(1e-16, 10), xlim=(0, 59), ylabel="gradient size")
        ax.grid(True, which="major", color="#DDDDDD", linewidth=0.6)
        ax.legend(loc="lower left", fontsize=10, frameon=True)

    plot = LinePlot((("how much of x_t reaches h_T", tuple(curves), (1e-16, 10)),),
                    figsize=(8, 4.2), styles=styles, describe=describe, setup=setup,
                    xlabel="lag T - t (steps back from the end)")
    panel = Panel(controls, compute, {"lines": plot},
                  layout=[row(scale, b_f), "message", "lines", "share"],
                  parts=dict(scale=scale, b_f=b_f), title="the gradient against the lag")
    if setting is not None:
        panel.restore(setting)
    return panel


# ---- notebook 08: the loss while training -------------------------------------------------------
class LiveLoss(LiveDisplay):
    """A progress bar and a loss curve redrawn about once a second while a training loop runs:
    pass it as train(..., callback=LiveLoss(steps, name, signal)).

    steps : how many batches;  name : what is trained ("LSTM");  signal : whose colour it takes
    baseline : (value, label) of a reference line, e.g. (1 / 6, "always answering 1 (1/6)")
    ylim : the loss axis' limits (log scale);  ylabel : what the loss is
    """

    def __init__(self, steps, name, signal, every=1.0, *,
                 baseline=(1 / 6, "always answering 1 (1/6)"), ylim=(3e-4, 3),
                 ylabel="mean squared error", smooth=25):
        self.steps, self.every, self.name, self.smooth_n = steps, every, name, smooth
        self.losses, self._last = [], 0.0
        self.live = LiveFigure((8, 3), mode="image")   # images: they update while the kernel works
        ax = self.live.fig.subplots()
        self.live.fig.subplots_adjust(left=0.1, right=0.97, top=0.95, bottom=0.17)
        c = color(signal)
        self.raw = self.live.animate(ax.plot([], [], color=c, linewidth=0.6, alpha=0.35)[0])
        self.smooth = self.live.animate(ax.plot([], [], color=c, linewidth=2,
                                                label=f"{name}: training loss (mean of {smooth} "
                                                      "batches)")[0])
        if baseline:
            ax.axhline(baseline[0], color=NEUTRAL, linestyle=":", label=baseline[1])
        ax.set(xlim=(0, steps), ylim=ylim, yscale="log", xlabel="batch", ylabel=ylabel)
        ax.legend(loc="lower left", frameon=False)
        self.bar = widgets.HTML(self._bar(0, None))
        self.widget = widgets.VBox([self.bar, self.live.view])
        self._describe()
        self._handle = display(self, display_id=True)

    def _bar(self, done, loss):
        text = "" if loss is None else f", last loss {loss:.4f}"
        return (f"<progress value='{done}' max='{self.steps}' style='width:320px' "
                f"aria-label='training progress'></progress> {done} / {self.steps} batches{text}")

    def _describe(self):
        if not self.losses:
            self.live.description = f"Figure: the {self.name}'s training loss (no batch yet)."
            return
        first = np.mean(self.losses[:self.smooth_n])
        last = np.mean(self.losses[-self.smooth_n:])
        self.live.description = (f"Figure: the {self.name}'s training loss over "
                                 f"{len(self.losses)} batches, from {first:.4f} (mean of the "
                                 f"first {self.smooth_n}) to {last:.4f} (mean of the last "
                                 f"{self.smooth_n}).")

    def __call__(self, step, loss):
        self.losses.append(float(loss))
        now = time.perf_counter()
        final = step == self.steps - 1
        if now - self._last >= self.every or final:
            self._last = now
            k = np.arange(1, len(self.losses) + 1)
            self.raw.set_data(k, self.losses)
            n = self.smooth_n
            if len(self.losses) >= n:
                self.smooth.set_data(k[n - 1:], np.convolve(self.losses, np.ones(n) / n, "valid"))
            self.bar.value = self._bar(step + 1, loss)
            self._describe()
            self.live.refresh()
            if final and self._handle is not None:
                self._handle.update(self)    # the stored output: the finished curve
