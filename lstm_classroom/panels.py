"""Interactive panels: controls + a compute function + the rows to plot, kept in step.

A `Panel` is built in one go from three parts and owns nothing else:

    controls  a `Controls` (lstm_classroom.controls): named widgets that only know their values
    compute   values -> {"lines": {name: (x, y)}, ...}: the numbers, from lstm_core or lstm_learn;
              a ValueError (a typed sequence that cannot be read) is shown as a message and
              changes nothing
    rows      (title, line names, y-limits) for each axes of its `LiveFigure`

Every number a panel plots comes from compute; the panel only moves lines and says in words
what they show. `gate_panel` (notebooks 01-04), `dashboard` (05) and `gradient_panel` (07) are
panels; `LiveLoss` (08) is a live figure that a training loop feeds.
"""
import html
import time

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.ticker import MaxNLocator

from lstm_classroom.controls import (
    Controls,
    SettingError,
    group,
    length_slider,
    row,
    sequence_dropdown,
    sequence_text,
    symbol_html,
    weight_slider,
)
from lstm_classroom.diagram import FIGSIZE as DIAGRAM_SIZE
from lstm_classroom.diagram import CellDiagram, step_values
from lstm_classroom.export import torch_code
from lstm_classroom.figures import FOCUS, set_ylim, xy
from lstm_classroom.inputs import MAX_T, input_sequence, parse_sequence
from lstm_classroom.live import LiveFigure, Shown
from lstm_classroom.signals import signals
from lstm_classroom.slider import NamedIntSlider, NamedSlider
from lstm_classroom.style import ERROR, GRID, LABELS, NEUTRAL, TEXT, color, line_style
from lstm_core import SEED_WEIGHTS, seed_lstm


class Panel(Shown):
    """Controls and a live figure of what `compute` makes of their values.

    controls : Controls;  compute : values -> dict with "lines": {name: (x, y)}
    rows     : ((title, names, ylim), ...); ylim UNIT, SIGNED, (lo, hi) fixed, or None to follow
               the data
    layout   : the widget that shows the controls;  figsize : (width, height) in inches
    styles   : name -> keyword arguments for ax.plot (default: the palette's line_style)
    describe : result -> the words that say what the figure shows (kept in step with it)
    xlim     : result -> x-limits, or None to keep them fixed;  setup : axes -> None, for
               fixed decoration (scales, labels) done once;  below : widgets shown under the
               figure (e.g. a second live figure that follows the same controls)
    Attributes: controls, result (the latest compute), lines (name -> Line2D), live, axes,
    message (why an input was refused), words (the figure's description), widget, last_redraw.
    """

    def __init__(self, controls, compute, rows, *, layout, figsize=(8, 4), styles=None,
                 describe=None, xlim=None, setup=None, xlabel="time step t", below=()):
        self.controls, self.compute, self.rows = controls, compute, rows
        self.describe = describe or (lambda result: "")
        self._xlim = xlim
        self.live = live = LiveFigure(figsize)
        fig = live.fig
        n, height = len(rows), figsize[1]   # margins in inches: 0.35 top, 0.5 bottom, 0.5 between
        fig.subplots_adjust(left=0.085, right=0.74, top=1 - 0.35 / height, bottom=0.5 / height,
                            hspace=0.5 * n / max(height - 0.85 - 0.5 * (n - 1), 0.5))
        self.axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        self.lines, self._follow = {}, []
        for ax, (title, names, ylim) in zip(self.axes, rows):
            for name in names:
                style = (styles or {}).get(name) or line_style(name)
                self.lines[name] = live.animate(ax.plot([], [], **style)[0])
            ax.set_title(title, loc="left", fontsize=10, color=TEXT)
            ax.axhline(0, color=GRID, linewidth=0.8, zorder=0)
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
            set_ylim(ax, ylim)
            if ylim is None:
                self._follow.append(ax)
        self.axes[-1].set_xlabel(xlabel)
        self.axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
        if setup:
            setup(self.axes)
        self.message = widgets.HTML("")
        self.words = live.words
        self.share = widgets.Text(
            value="", description="setting", continuous_update=False,
            tooltip="this panel's whole setting: copy it to keep or share it; paste one and "
                    "press Enter to restore it",
            style={"description_width": "4.5em"}, layout=widgets.Layout(width="100%"))
        self.result = None
        self.update()
        self.widget = widgets.VBox([layout, self.message, live.view, self.words, *below,
                                    self.share])
        controls.observe(self.update)
        self.share.observe(self._on_share, names="value")

    @property
    def values(self):
        """The controls' values, by name."""
        return self.controls.values

    # the latest result's input, cell and trace, for panels whose compute returns them
    xs = property(lambda self: self.result["xs"])
    cell = property(lambda self: self.result["cell"])
    trace = property(lambda self: self.result["trace"])

    # -- settings: keep one, share one, restore one ------------------------------------------
    @property
    def setting(self):
        """The panel's whole setting as one line to copy, e.g. for dashboard(setting="...")."""
        return self.controls.setting()

    def restore(self, setting):
        """Put every control where `setting` (a line, a JSON document or a dict) says, redrawn
        once. A setting that cannot be read changes nothing: the panel says why and this
        returns False."""
        try:
            self.controls.restore(setting)
        except SettingError as err:
            self.message.value = (f"<span style='color:{ERROR}'>Could not restore that "
                                  f"setting: {_html(str(err))}. The panel is unchanged.</span>")
            return False
        self.message.value = ""
        return True

    def save(self, path):
        """Write the setting to a small JSON file at `path`."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.controls.setting_json() + "\n")

    def load(self, path):
        """Restore the setting saved in the JSON file at `path` (see `restore`)."""
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read(10_000)
        except OSError as err:
            self.message.value = (f"<span style='color:{ERROR}'>Could not read {_html(str(path))}: "
                                  f"{_html(err.strerror or str(err))}.</span>")
            return False
        return self.restore(text)

    def _on_share(self, change):
        if change["new"] != self.setting and change["new"].strip():
            if not self.restore(change["new"]):
                self.share.value = self.setting

    @property
    def last_redraw(self):
        """How the last change reached the figure: 'blit', 'full', 'image' or 'none'."""
        return self.live.last_redraw

    def hold(self):
        """Change many controls at once (`with panel.hold(): ...`): one recomputation and one
        redraw at the end instead of one per change."""
        return self.controls.hold()

    def update(self):
        """Recompute from the controls' values and move the figure's lines to the new numbers;
        an input that cannot be read leaves everything as it was and says why."""
        try:
            result = self.compute(self.controls.values)
        except ValueError as err:
            self.message.value = (f"<span style='color:{ERROR}'>Could not read that input: "
                                  f"{err} The figure still shows the last input that could be "
                                  "read.</span>")
            return
        self.message.value = ""
        self.result = result
        moved = False       # e.g. the dashboard's time step moves its diagram, not these lines
        for name, line in self.lines.items():
            x, y = result["lines"][name]
            moved = moved or not (np.array_equal(line.get_xdata(), x)
                                  and np.array_equal(line.get_ydata(), y))
            line.set_data(x, y)
        full = self._fit_x(result)
        full = self._fit_y() or full
        with self.live.picture_first(self.share):
            self.live.say(self.describe(result))
            self.share.value = self.controls.setting()
            if moved or full:
                self.live.refresh(full)

    def _fit_x(self, result):
        if self._xlim is None:
            return False
        lim = tuple(self._xlim(result))
        if lim == tuple(self.axes[-1].get_xlim()):
            return False
        self.axes[-1].set_xlim(*lim)
        return True

    def _fit_y(self):
        """Fit each data-following axes when its data left the view or fill less than a third
        of it; True if any limit moved (the whole figure must then be redrawn)."""
        moved = False
        for ax in self._follow:
            ys = [np.asarray(line.get_ydata(), float) for line in self.lines.values()
                  if line.axes is ax]
            ys = np.concatenate(ys) if ys else np.zeros(1)
            lo, hi = float(ys.min()), float(ys.max())
            span = max(hi - lo, 0.2)
            cur_lo, cur_hi = ax.get_ylim()
            if lo >= cur_lo and hi <= cur_hi and cur_hi - cur_lo <= 3.3 * span:
                continue
            ax.set_ylim(lo - 0.12 * span, hi + 0.12 * span)
            moved = True
        return moved


def _html(text):
    return html.escape(text, quote=False)


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


def _span(name, values):
    return span_words(LABELS[name], values)


class CellPanel(Panel):
    """A panel on the seed cell: weight sliders, an input, and the cell's signals over time.

    Attributes besides Panel's: sliders (weight name -> FloatSlider), reset (Button), and,
    read from the latest result: weights (all fourteen, the seed's where no slider is), xs,
    cell, trace, prediction (W_y h_T + b_y after the last input).
    """

    def __init__(self, kind, title, names, rows, inputs, read_input, *, layout, figsize,
                 below=()):
        self.title = title
        self.sliders = {n: weight_slider(n, SEED_WEIGHTS[n]) for n in names}
        self.controls = Controls({**self.sliders, **inputs}, reset_label="reset to the seed",
                                 kind=kind)
        self.reset = self.controls.reset
        plotted = [n for _, row_names, _ in rows for n in row_names]

        def compute(values):
            xs = read_input(values)
            cell = seed_lstm(**{n: values[n] for n in self.sliders})
            trace = cell.run(xs)
            sig = signals(cell, trace)
            return dict(lines={n: xy(n, sig) for n in plotted}, xs=xs, cell=cell, trace=trace,
                        signals=sig)

        def describe(result):
            sig, T = result["signals"], len(result["xs"])
            spoken = [_span(n, sig[n]) for n in plotted if n in sig and n != "y"]
            prediction = f"the prediction of x_{T + 1} is ŷ_{T + 1} = {sig['y'][-1]:.3f}"
            return (f"Figure: {title} over T = {T} steps. " + "; ".join(spoken)
                    + ("; " + prediction if "y" in plotted else "") + ".")

        shows_next = "y" in plotted
        super().__init__(self.controls, compute, rows, layout=layout(self), figsize=figsize,
                         describe=describe, below=below,
                         xlim=lambda r: (0.5, len(r["xs"]) + (1.5 if shows_next else 0.5)))

    @property
    def weights(self):
        """All fourteen weights of the cell shown: the sliders' values, the seed's elsewhere."""
        return {**SEED_WEIGHTS, **{n: s.value for n, s in self.sliders.items()}}

    @property
    def prediction(self):
        """The predicted next value after the last input, y = W_y h_T + b_y."""
        return float(self.result["signals"]["y"][-1])

    def __repr__(self):
        return f"{type(self).__name__}: {self.title}, sliders {', '.join(self.sliders)}"


# ---- notebooks 01-04: one gate in focus ---------------------------------------------------------
def gate_panel(focus="f", kind="ramp", T=6, setting=None):
    """The interactive panel of one gate: 'f' (01), 'i' and 'g' (02), 'c' (03, the cell state
    with the forget and input gates' sliders) or 'o' (04, with the read-out's W_y, b_y).
    Starts at the seed's weights on `kind` of length T (default: the ramp 1, ..., 6), or where
    `setting` (a line from `panel.setting`) says.

    Attributes besides CellPanel's: focus, sequence (Dropdown), length (IntSlider, T).
    """
    if not isinstance(focus, str) or focus not in ("f", "i", "g", "c", "o"):
        raise ValueError(f"focus must be one of 'f', 'i', 'g', 'c', 'o'; got {focus!r}")
    title, names, rows = FOCUS[focus]
    sequence, length = sequence_dropdown(kind), length_slider(T)

    def layout(panel):
        head = f"{title}: its weights (every other weight stays the seed's)"
        return row(group(head, panel.sliders.values(), color(focus)),
                   group("input sequence", [sequence, length, panel.reset]))

    panel = CellPanel(focus, title, names, rows, {"kind": sequence, "T": length},
                      lambda v: input_sequence(v["kind"], v["T"]), layout=layout,
                      figsize=(8, 1.55 * len(rows) + 0.5))
    panel.focus, panel.sequence, panel.length = focus, sequence, length
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


def dashboard(text=SEED_TEXT, setting=None):
    """The whole cell at once (notebook 05): sliders for all twelve weights and the read-out, a
    text box for the input sequence, and f, i, g, o, C and h over time with the prediction at
    T + 1. Starts at the seed's weights on "1, 2, 3", where it predicts the seed's 3.483, or
    where `setting` (a line from `panel.setting`) says. Under the figure: the few lines of
    PyTorch that rebuild the cell shown.

    Attributes besides CellPanel's: text (the sequence box, applied on Enter), readout (HTML).
    """
    title, names, rows = FOCUS["dashboard"]
    box = sequence_text(text)
    readout = widgets.HTML("")
    code = widgets.HTML("")
    # the cell diagram at one time step, driven by the same sliders (and its own time step)
    step = NamedIntSlider(3, 1, MAX_T, "time step <i>t</i>",
                          "t, the time step the cell diagram shows", width="320px",
                          description_width="6em")
    cell_view = LiveFigure(DIAGRAM_SIZE)
    diagram = CellDiagram(cell_view.fig.add_axes((0, 0, 1, 1)))
    cell_view.animate(*diagram.artists)

    def layout(panel):
        grid = widgets.GridBox(
            [group(head, [panel.sliders[n] for n in group_names], color(signal))
             for head, signal, group_names in GROUPS],
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(262px, 1fr))"))
        return widgets.VBox([grid, row(box, panel.reset), readout, code])

    panel = CellPanel("dashboard", title, names, rows, {"text": box, "t": step},
                      lambda v: parse_sequence(v["text"]),
                      layout=layout, figsize=(8, 5.2),
                      below=[widgets.HTML("<b>the cell at one time step</b>"), step,
                             cell_view.view, cell_view.words])
    panel.text, panel.readout, panel.torch_code = box, readout, code
    panel.step, panel.diagram, panel.diagram_view = step, diagram, cell_view

    def show_step():
        T = len(panel.xs)
        if step.max != T:
            step.max = T
        if step.value > T:
            step.value = T        # a shorter sequence: show its last step (one more update)
            return
        values = step_values(panel.trace, min(step.value, T))
        cell_view.show(diagram.show(values))
    show_step()
    panel.controls.observe(show_step)

    def show_prediction():
        T, y = len(panel.xs), panel.prediction
        readout.value = (f"predicted next value <i>ŷ</i><sub>{T + 1}</sub> = "
                         f"<i>W</i><sub>y</sub> <i>h</i><sub>{T}</sub> + <i>b</i><sub>y</sub>"
                         f" = <b>{y:.3f}</b>")
        code.value = ("<details><summary>this cell in PyTorch (copy it into a notebook that has "
                      "torch)</summary><pre>" + _html(torch_code(panel.cell)) + "</pre></details>")
    show_prediction()
    panel.controls.observe(show_prediction)
    if setting is not None:
        panel.restore(setting)
    return panel


# ---- notebook 07: the gradient against the lag --------------------------------------------------
def gradient_panel(recurrent_scale=1.0, forget_bias=1.0, setting=None):
    """Two sliders (the recurrent weights' scale, the LSTM's forget bias b_f) and |dh_T/dx_t|
    against the lag T - t for a vanilla RNN and an LSTM, with the product of forget gates along
    the cell state; the numbers come from lstm_learn.gradient_by_lag.

    Attributes besides Panel's: scale, b_f (the two sliders); values are gradient_by_lag's
    keywords, and result["curves"] its latest numbers.
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
        return dict(curves=c, lines={k: (lag, np.maximum(c[k], 1e-300)) for k in curves})

    def describe(result):
        c = result["curves"]
        said = [f"{label} is {c[k][10]:.1e} at lag 10 and {c[k][50]:.1e} at lag 50"
                for k, label in (("rnn", "the vanilla RNN's gradient"),
                                 ("lstm", "the LSTM's gradient"),
                                 ("forget", "the product of forget gates"))]
        v = controls.values
        return (f"Figure: gradient size against the lag, on a log scale, for recurrent weight "
                f"scale {v['recurrent_scale']:g} and forget bias b_f = {v['forget_bias']:g}: "
                + "; ".join(said) + ".")

    def setup(axes):
        ax = axes[0]
        ax.set(yscale="log", ylim=(1e-16, 10), xlim=(0, 59), ylabel="gradient size")
        ax.grid(True, which="major", color="#DDDDDD", linewidth=0.6)
        ax.legend(loc="lower left", fontsize=10, frameon=True)

    panel = Panel(controls, compute, (("how much of x_t reaches h_T", tuple(curves), (1e-16, 10)),),
                  layout=row(scale, b_f), figsize=(8, 4.2), styles=styles, describe=describe,
                  setup=setup, xlabel="lag T - t (steps back from the end)")
    panel.scale, panel.b_f = scale, b_f
    if setting is not None:
        panel.restore(setting)
    return panel


# ---- notebook 08: the loss while training -------------------------------------------------------
class LiveLoss(Shown):
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
