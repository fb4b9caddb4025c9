"""Figures and interactive panels for the notebooks: written once here, called by name there.

One notation and one colour per signal across every figure, legend and slider label:
f_t forget, i_t input, g_t candidate (C~_t), o_t output, C_t cell state, h_t hidden state.
The colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); each
signal also has its own line style and marker, so the figures read in grayscale as well.

The panels (`gate_panel("f")` in notebooks 01-04, `dashboard()` in 05) put sliders on the seed
cell's weights and redraw the figure on every change. Every number they plot comes from
`lstm_core`: `seed_lstm(**weights).run(xs)`; the weights without a slider keep the seed's values.

How a slider change reaches the screen (the figure lives in the kernel, drawn by ipympl):
the lines are updated in place (`set_data`), and when no axis limit has to move, only the lines
are re-drawn over a saved background ("blitting", ~10 ms); otherwise the whole figure is redrawn
once (`draw_idle`). A panel shown without a kernel (GitHub, nbviewer) falls back to a PNG of the
figure as it was displayed: the panel's display data holds both the widget and that image.
"""
import base64
import io
import re
from contextlib import contextmanager

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lstm_core import SEED_WEIGHTS, seed_lstm

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

# signals made from the ones above; hollow markers tell them apart from their parent signal
DERIVED_STYLE = {
    "h_prev": ("#000000", ":", "P", r"$h_{t-1}$"),
    "kept": ("#0072B2", "--", "o", r"kept $f_t C_{t-1}$"),
    "written": ("#E69F00", "-.", "s", r"written $i_t g_t$"),
    "tanh_c": ("#D55E00", "--", "v", r"$\tanh(C_t)$"),
    "y": ("#56B4E9", "-", "*", r"$\hat{y}_{t+1}$"),
}


def line_style(name):
    """Keyword arguments for ax.plot that draw signal `name`: 'f', 'i', 'g', 'o', 'c', 'h',
    'x', or a derived one: 'h_prev', 'kept', 'written', 'tanh_c', 'y'."""
    if name in STYLE:
        color, ls, marker, label = STYLE[name]
        return dict(color=color, linestyle=ls, marker=marker, label=label, markersize=5, linewidth=2)
    color, ls, marker, label = DERIVED_STYLE[name]
    return dict(color=color, linestyle=ls, marker=marker, label=label, markersize=6, linewidth=2,
                markerfacecolor="white")


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


# ---- inputs ---------------------------------------------------------------------------------
SEQUENCES = {  # kind: label in the panels' drop-down
    "ramp": "ramp 1, 2, 3, …",
    "step": "step 0, …, 0, 1, …, 1",
    "sine": "sine, period 8",
    "pulse": "single pulse at t = 2",
    "noise": "noise (seeded)",
}
MAX_T = 40        # longest sequence a panel shows
MAX_ABS_X = 1000  # largest |x_t| the dashboard accepts


def input_sequence(kind, T):
    """The input x_1..x_T of kind 'ramp' (1, 2, 3, ...), 'step' (0 for t <= T//2, then 1),
    'sine' (sin 2 pi (t-1)/8), 'pulse' (1 at t = 2, else 0; at t = 1 when T = 1) or 'noise'
    (standard normal from np.random.default_rng(0)). Returns a float array (T,)."""
    if kind not in SEQUENCES:
        raise ValueError(f"kind must be one of {', '.join(map(repr, SEQUENCES))}; got {kind!r}")
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be a whole number of time steps >= 1; got {T!r}")
    t = np.arange(1, T + 1)
    if kind == "ramp":
        return t.astype(float)
    if kind == "step":
        return (t > T // 2).astype(float)
    if kind == "sine":
        return np.sin(2 * np.pi * (t - 1) / 8)
    if kind == "pulse":
        return (t == min(2, T)).astype(float)
    return np.random.default_rng(0).standard_normal(T)


def parse_sequence(text):
    """The numbers in `text`, e.g. "1, 2, 3" -> array([1., 2., 3.]) (T,).

    Commas, semicolons and spaces separate the numbers. Raises ValueError with a message for a
    learner when a piece is not a number, when there is none, more than MAX_T of them, or one
    beyond +-MAX_ABS_X.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string such as '1, 2, 3'; got {type(text).__name__}")
    pieces = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not pieces:
        raise ValueError("Type at least one number, e.g. 1, 2, 3.")
    values = []
    for p in pieces:
        try:
            v = float(p)
        except ValueError:
            raise ValueError(f"'{p}' is not a number. Type numbers separated by commas, "
                             f"e.g. 1, 2, 3.") from None
        if not np.isfinite(v) or abs(v) > MAX_ABS_X:
            raise ValueError(f"'{p}' is out of range: use numbers between {-MAX_ABS_X} "
                             f"and {MAX_ABS_X}.")
        values.append(v)
    if len(values) > MAX_T:
        raise ValueError(f"That is {len(values)} numbers; the dashboard shows at most {MAX_T}.")
    return np.array(values)


def signals(cell, trace):
    """Every signal a panel can plot, by name, each a (T,) array, from a one-unit run:
    x, f, i, g, o, c, h as in the trace; h_prev = h_{t-1} and c_prev = C_{t-1} (h0, c0 first);
    kept = f_t C_{t-1} and written = i_t g_t, the two terms of C_t; tanh_c = tanh(C_t);
    y = the read-out after step t, W_y h_t + b_y, i.e. the prediction of x_{t+1}."""
    s = {k: np.ravel(getattr(trace, k)).astype(float) for k in "xfigoch"}
    s["h_prev"] = np.concatenate([np.ravel(trace.h0), s["h"][:-1]])
    s["c_prev"] = np.concatenate([np.ravel(trace.c0), s["c"][:-1]])
    s["kept"] = s["f"] * s["c_prev"]
    s["written"] = s["i"] * s["g"]
    s["tanh_c"] = np.tanh(s["c"])
    s["y"] = np.ravel(cell.predict(trace.h))
    return s


LABELS = {"x": "x_t", "f": "f_t", "i": "i_t", "g": "g_t", "o": "o_t", "c": "C_t", "h": "h_t",
          "h_prev": "h_{t-1}", "c_prev": "C_{t-1}", "kept": "f_t*C_{t-1}", "written": "i_t*g_t",
          "tanh_c": "tanh(C_t)", "y": "y_{t+1}"}


def table(cell, trace, names=("x", "f", "i", "g", "c", "o", "h")):
    """The signals `names` of a one-unit run as a text table, one row per time step, 3 decimals."""
    s = signals(cell, trace)
    widths = [max(8, len(LABELS[n]) + 2) for n in names]
    lines = [" t" + "".join(f"{LABELS[n]:>{w}}" for n, w in zip(names, widths))]
    for t in range(len(s["x"])):
        lines.append(f"{t + 1:2d}" + "".join(f"{s[n][t]:{w}.3f}" for n, w in zip(names, widths)))
    return "\n".join(lines)


def core_code(*names, method="_gates"):
    """The body of lstm_core's LSTMCell.<method> (default: `_gates`, one time step of all four
    gates) as text, with '<-- name' after each line that assigns one of `names` ('f', 'c', ...)."""
    import inspect
    import textwrap
    from lstm_core import LSTMCell
    src = textwrap.dedent(inspect.getsource(getattr(LSTMCell, method)))
    body = src.split('"""')[2].strip("\n") if '"""' in src else src
    out = [f"lstm_core.py, LSTMCell.{method}:"]
    for line in textwrap.dedent(body).splitlines():
        target = line.split("=")[0] if re.match(r"^[\w, ]+=[^=]", line) else ""
        hits = [n for n in names if n in re.findall(r"\w+", target)]
        out.append(f"    {line}    <-- {', '.join(hits)}" if hits else f"    {line}")
    return "\n".join(out)


# ---- sliders --------------------------------------------------------------------------------
def sub_html(letter, sub):
    """letter with a subscript, as widget labels allow it (their HTML has no <sub>): W, hf -> W_hf."""
    return f"<i>{letter}</i><span style='vertical-align:sub;font-size:75%'>{sub}</span>"


def symbol_html(name):
    """The equations' symbol for a weight name as HTML, e.g. 'W_hf' -> W with subscript hf."""
    return sub_html(*name.split("_"))


def slider_range(name):
    """(min, max) of the slider of weight `name`: biases +-8, read-out W_y +-10, b_y +-5,
    the other weights +-5 (enough to open or shut any gate)."""
    if name == "W_y":
        return -10.0, 10.0
    if name == "b_y":
        return -5.0, 5.0
    return (-8.0, 8.0) if name.startswith("b_") else (-5.0, 5.0)


def weight_slider(name, value=None):
    """A FloatSlider for weight `name`, labelled with its symbol, at the seed's value by default."""
    lo, hi = slider_range(name)
    return widgets.FloatSlider(
        value=SEED_WEIGHTS[name] if value is None else value, min=lo, max=hi, step=0.1,
        description=symbol_html(name), description_allow_html=True, readout_format=".2f",
        continuous_update=True, style={"description_width": "2.6em"},
        layout=widgets.Layout(width="250px"))


def _group(title, color, children):
    """A titled column of controls; the title is drawn in the gate's colour."""
    head = widgets.HTML(f"<b style='color:{color}'>{title}</b>")
    return widgets.VBox([head, *children], layout=widgets.Layout(margin="0 12px 4px 0"))


GROUPS = (  # slider columns: (title, colour, weight names)
    ("forget gate <i>f<sub>t</sub></i>", STYLE["f"][0], ("W_f", "W_hf", "b_f")),
    ("input gate <i>i<sub>t</sub></i>", "#B07800", ("W_i", "W_hi", "b_i")),
    ("candidate <i>g<sub>t</sub></i>", STYLE["g"][0], ("W_c", "W_hc", "b_c")),
    ("output gate <i>o<sub>t</sub></i>", STYLE["o"][0], ("W_o", "W_ho", "b_o")),
    ("read-out <i>ŷ</i>", "#1F78B4", ("W_y", "b_y")),
)


# ---- figures --------------------------------------------------------------------------------
def _uses_ipympl():
    """True when the notebook said `%matplotlib widget` (ipympl draws the figures)."""
    backend = matplotlib.get_backend().lower()
    return "ipympl" in backend or backend == "widget"


def _new_figure(figsize):
    """A figure outside pyplot's list (nothing shows it behind the panel's back), on an
    ipympl canvas when the notebook uses ipympl, else on a plain Agg canvas."""
    fig = Figure(figsize=figsize, dpi=100)
    if _uses_ipympl():
        from ipympl.backend_nbagg import Canvas, FigureManager
        canvas = Canvas(fig)
        FigureManager(canvas, 0)
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
    else:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        FigureCanvasAgg(fig)
    return fig


UNIT, SIGNED = (-0.05, 1.05), (-1.08, 1.08)   # y-limits of a sigmoid gate, of a tanh signal


def _set_ylim(ax, ylim):
    """Fixed limits and ticks for UNIT and SIGNED rows; a few round ticks for the others."""
    if ylim is None:
        ax.yaxis.set_major_locator(MaxNLocator(4))
        return
    ax.set_ylim(*ylim)
    ax.set_yticks([0, 0.5, 1] if ylim == UNIT else [-1, -0.5, 0, 0.5, 1])


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi="figure")
    return buf.getvalue()


class Panel:
    """Sliders on the seed cell's weights and a figure of its signals over time, kept in step.

    Subclasses say which sliders, which rows of signals and which input sequence. Attributes:
    sliders (dict name -> FloatSlider), reset (Button), fig, axes, lines (dict signal ->
    Line2D), cell, xs (T,), trace (the latest lstm_core Trace), widget (the whole panel),
    last_redraw ('blit', 'full', 'image' or 'none': how the last change reached the figure).
    """
    def __init__(self, names, rows, figsize):
        self.rows = rows
        self.sliders = {n: weight_slider(n) for n in names}
        self.reset = widgets.Button(description="reset to the seed", icon="undo",
                                    tooltip="every slider back to the seed's value",
                                    layout=widgets.Layout(width="170px"))
        self.message = widgets.HTML("")  # error messages for the learner
        self._holding = False            # True inside hold(): many changes, one redraw
        self._bg = self._bg_key = None   # the background saved for blitting, and its size
        self._displayed = False
        self._T = None
        self.last_redraw = "none"
        self._build_figure(figsize)

    def _finish(self, controls):
        """The subclass's controls exist: compute, assemble the widget, listen to the sliders."""
        self.update()
        if isinstance(self.fig.canvas, widgets.DOMWidget):
            view = self.fig.canvas
        else:                              # no ipympl: a PNG image, refreshed once shown
            view = self._image = widgets.Image(format="png")
        self.widget = widgets.VBox([*controls, self.message, view])
        for s in self.sliders.values():
            s.observe(self.update, names="value")
        self.reset.on_click(self.reset_to_seed)

    # -- the numbers ---------------------------------------------------------------------
    @property
    def weights(self):
        """All fourteen weights of the cell shown: the sliders' values, the seed's elsewhere."""
        return {**SEED_WEIGHTS, **{n: s.value for n, s in self.sliders.items()}}

    @property
    def prediction(self):
        """The predicted next value after the last input, y = W_y h_T + b_y."""
        return float(np.ravel(self.cell.predict(self.trace.h))[-1])

    def update(self, *_):
        """Recompute with lstm_core and move the figure's lines to the new numbers."""
        if self._holding:
            return
        self.cell = seed_lstm(**{n: s.value for n, s in self.sliders.items()})
        self.trace = self.cell.run(self.xs)
        sig = signals(self.cell, self.trace)
        full = self._set_time_axis(len(self.xs))
        for name, line in self.lines.items():
            line.set_data(*self._xy(name, sig))
        self._update_extras(sig)
        full = self._rescale() or full
        self.last_redraw = self._redraw(full)

    @contextmanager
    def hold(self):
        """Change many controls at once (`with panel.hold(): ...`): one recomputation and one
        redraw at the end instead of one per change."""
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
            self._read_inputs()
            self.update()

    def reset_to_seed(self, *_):
        """Every slider and the input back to the seed's setting, redrawn once."""
        with self.hold():
            for n, s in self.sliders.items():
                s.value = SEED_WEIGHTS[n]
            self._reset_inputs()

    def _reset_inputs(self):
        """Subclasses put their input controls back to the default here."""

    def _read_inputs(self):
        """Subclasses read their input controls into self.xs here."""

    # -- the figure ----------------------------------------------------------------------
    def _build_figure(self, figsize):
        self.fig = fig = _new_figure(figsize)
        n, height = len(self.rows), figsize[1]   # margins in inches: 0.35 top, 0.5 bottom, 0.5 between
        fig.subplots_adjust(left=0.075, right=0.74, top=1 - 0.35 / height, bottom=0.5 / height,
                            hspace=0.5 * n / (height - 0.85 - 0.5 * (n - 1)))
        self.axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        self.lines, self._auto = {}, []
        for ax, (title, names, ylim) in zip(self.axes, self.rows):
            for name in names:
                self.lines[name], = ax.plot([], [], animated=True, **line_style(name))
            ax.set_title(title, loc="left", fontsize=10)
            ax.axhline(0, color="#cccccc", linewidth=0.8, zorder=0)
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
            _set_ylim(ax, ylim)
            if ylim is None:
                self._auto.append(ax)
        self.axes[-1].set_xlabel("time step t")
        self.axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
        self._animated = list(self.lines.values())   # drawn by us: blitted, or after a full draw
        self._add_extras()
        fig.canvas.mpl_connect("draw_event", self._on_draw)

    def _add_extras(self):
        pass

    def _update_extras(self, sig):
        pass

    def _xy(self, name, sig):
        """Where signal `name` is plotted: at t = 1..T, the prediction y at t + 1 = 2..T+1."""
        t = np.arange(1, len(sig["x"]) + 1)
        return (t + 1 if name == "y" else t), sig[name]

    @property
    def _shows_next(self):
        return "y" in self.lines

    def _set_time_axis(self, T):
        """x-limits for T steps (T + 1 when the panel shows the prediction); True if moved."""
        if T == self._T:
            return False
        self._T = T
        self.axes[-1].set_xlim(0.5, T + (1.5 if self._shows_next else 0.5))
        return True

    def _rescale(self):
        """Fit each data-following axis when its data left the view or fill less than a
        third of it; True if any limit moved (the whole figure must then be redrawn)."""
        moved = False
        for ax in self._auto:
            ys = [np.asarray(a.get_ydata(), float) for a in self._animated
                  if a.axes is ax and hasattr(a, "get_ydata")]
            ys = np.concatenate(ys) if ys else np.zeros(1)
            lo, hi = float(ys.min()), float(ys.max())
            span = max(hi - lo, 0.2)
            cur_lo, cur_hi = ax.get_ylim()
            if lo >= cur_lo and hi <= cur_hi and cur_hi - cur_lo <= 3.3 * span:
                continue
            pad = 0.12 * span
            ax.set_ylim(lo - pad, hi + pad)
            moved = True
        return moved

    def _on_draw(self, event):
        """After each full draw: keep the background (for blitting), then draw the lines."""
        r = event.renderer
        if hasattr(event.canvas, "copy_from_bbox") and hasattr(r, "buffer_rgba"):
            self._bg = event.canvas.copy_from_bbox(self.fig.bbox)
            self._bg_key = (r.width, r.height, r.dpi)
        for a in self._animated:
            a.draw(r)

    def _redraw(self, full):
        """Show the updated lines: blit them over the saved background when nothing else
        changed, else ask for one full draw. Returns how: 'blit', 'full', 'image' or 'none'."""
        canvas = self.fig.canvas
        if not isinstance(canvas, widgets.DOMWidget):
            if self._displayed:
                self._image.value = _png(self.fig)
                return "image"
            return "none"
        r = canvas.get_renderer()
        if not full and self._bg is not None and (r.width, r.height, r.dpi) == self._bg_key:
            canvas.restore_region(self._bg)
            for a in self._animated:
                self.fig.draw_artist(a)
            canvas.blit(self.fig.bbox)
            return "blit"
        self._bg = None        # stale until the full draw comes back: no blitting over it meanwhile
        canvas.draw_idle()
        return "full"

    # -- display -------------------------------------------------------------------------
    def png(self):
        """The figure as it is now, as PNG bytes."""
        return _png(self.fig)

    def show(self):
        """Display the panel (the same as leaving `panel` as the last line of a cell)."""
        from IPython.display import display
        display(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The live widget for JupyterLab, with a PNG of the figure as it is now for readers
        without a kernel (GitHub, nbviewer): a front end shows one of the two, never both."""
        self._displayed = True
        image = base64.b64encode(self.png()).decode("ascii")
        if isinstance(self.fig.canvas, widgets.DOMWidget):
            self.fig.canvas._data_url = "data:image/png;base64," + image  # as ipympl does
        else:
            self._image.value = base64.b64decode(image)
        data = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data["text/plain"] = repr(self)
        data["image/png"] = image
        return data


def _controls_row(*children):
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap",
                                                              align_items="flex-start"))


# ---- notebooks 01-04: one gate in focus --------------------------------------------------------
FEEDS = (r"what feeds it: the input $x_t$ and the last hidden state $h_{t-1}$", ("x", "h_prev"), None)
FOCUS = {  # focus: (name, slider names, rows of the figure)
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
        (r"what is kept, $f_t C_{t-1}$, and what is written, $i_t g_t$", ("kept", "written"), None),
        (r"the cell state $C_t = f_t C_{t-1} + i_t g_t$", ("c",), None))),
    "o": ("the output gate", ("W_o", "W_ho", "b_o", "W_y", "b_y"), (
        FEEDS,
        (r"output gate $o_t = \sigma(W_o x_t + W_{ho} h_{t-1} + b_o)$", ("o",), UNIT),
        (r"what it feeds: the hidden state $h_t = o_t \tanh(C_t)$", ("tanh_c", "h"), SIGNED),
        (r"the read-out: predicted next input $\hat{y}_{t+1} = W_y h_t + b_y$", ("y",), None))),
    "dashboard": ("the whole cell", tuple(SEED_WEIGHTS), (
        (r"gates: forget $f_t$, input $i_t$, output $o_t$ and the candidate $g_t$",
         ("f", "i", "g", "o"), SIGNED),
        (r"input $x_t$, cell state $C_t$, hidden state $h_t$, prediction $\hat{y}_{t+1}$ of $x_{t+1}$",
         ("x", "c", "h", "y"), None))),
}


class GatePanel(Panel):
    """Notebooks 01-04: sliders for one gate's weights (the rest stay the seed's), a choice of
    input sequence and its length, and that gate over time with what feeds it and what it feeds.

    Extra attributes: focus ('f', 'i', 'g', 'c' or 'o'), sequence (Dropdown of SEQUENCES),
    length (IntSlider, T).
    """

    def __init__(self, focus="f", kind="ramp", T=6):
        if focus not in "figco" or len(focus) != 1:
            raise ValueError(f"focus must be one of 'f', 'i', 'g', 'c', 'o'; got {focus!r}")
        self.focus, self._default = focus, (kind, T)
        self.xs = input_sequence(kind, T)
        self.title, names, rows = FOCUS[focus]
        self.sequence = widgets.Dropdown(
            options=[(label, k) for k, label in SEQUENCES.items()], value=kind,
            description="input " + sub_html("x", "t"), description_allow_html=True,
            style={"description_width": "4.5em"}, layout=widgets.Layout(width="270px"))
        self.length = widgets.IntSlider(
            value=T, min=1, max=MAX_T, description="length <i>T</i>", description_allow_html=True,
            style={"description_width": "4.5em"}, layout=widgets.Layout(width="270px"))
        super().__init__(names, rows, (8, 1.55 * len(rows) + 0.5))
        head = f"{self.title}: its weights (every other weight stays the seed's)"
        self._finish([_controls_row(
            _group(head, "#333333", self.sliders.values()),
            _group("input sequence", "#333333", [self.sequence, self.length, self.reset]))])
        for w in (self.sequence, self.length):
            w.observe(self._on_input, names="value")

    def _on_input(self, change):
        if not self._holding:
            self._read_inputs()
            self.update()

    def _read_inputs(self):
        self.xs = input_sequence(self.sequence.value, self.length.value)

    def _reset_inputs(self):
        self.sequence.value, self.length.value = self._default

    def __repr__(self):
        return (f"GatePanel({self.focus!r}): {self.title}, sliders "
                f"{', '.join(self.sliders)}; input {self.sequence.value}, T = {self.length.value}")


def gate_panel(focus="f", kind="ramp", T=6):
    """The interactive panel of one gate: 'f' (01), 'i' and 'g' (02), 'c' (03, the cell state
    with the forget and input gates' sliders) or 'o' (04, with the read-out's W_y, b_y).
    Starts at the seed's weights on `kind` of length T (default: the ramp 1, ..., 6)."""
    return GatePanel(focus, kind, T)


# ---- notebook 05: the dashboard -------------------------------------------------------------------
class Dashboard(Panel):
    """Notebook 05: sliders for all twelve weights and the read-out, a text box for the input
    sequence, a reset button, and one figure with f, i, g, o, C and h over time and the
    predicted next value at t = T + 1.

    Extra attributes: text (Text box, e.g. "1, 2, 3"; applied on Enter), prediction (float).
    """
    SEED_TEXT = "1, 2, 3"

    def __init__(self, text=SEED_TEXT):
        self.xs = parse_sequence(text)
        self.text = widgets.Text(
            value=text, description="input " + sub_html("x", "t"), description_allow_html=True,
            placeholder="numbers separated by commas, e.g. 1, 2, 3; press Enter",
            continuous_update=False, style={"description_width": "4.5em"},
            layout=widgets.Layout(width="420px"))
        self.readout = widgets.HTML("")
        super().__init__([n for *_, names in GROUPS for n in names], FOCUS["dashboard"][2], (8, 5.2))
        grid = widgets.GridBox(
            [_group(title, color, [self.sliders[n] for n in names]) for title, color, names in GROUPS],
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(262px, 1fr))"))
        self._finish([grid, _controls_row(self.text, self.reset), self.readout])
        self.text.observe(self._on_text, names="value")

    def _add_extras(self):
        ax = self.axes[1]
        self.lines["y_next"], = ax.plot([], [], linestyle="none", marker="*", markersize=15,
                                        color=DERIVED_STYLE["y"][0], markeredgecolor="#000000",
                                        label=r"$\hat{y}_{T+1}$", animated=True)
        self._label = ax.annotate("", (0, 0), xytext=(0, -12), textcoords="offset points", fontsize=10,
                                  ha="center", va="top", animated=True)
        self._animated += [self.lines["y_next"], self._label]
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)

    def _xy(self, name, sig):
        if name == "y_next":
            return [len(sig["x"]) + 1], [sig["y"][-1]]
        return super()._xy(name, sig)

    def _update_extras(self, sig):
        T, y = len(sig["x"]), sig["y"][-1]
        self._label.xy = (T + 1, y)
        self._label.set_text(f"ŷ = {y:.3f}")  # plain text: mathtext would cost ~3 ms a move
        lo, hi = self.axes[1].get_ylim()      # below the star in the upper half, else above it
        below = y > (lo + hi) / 2
        self._label.xyann = (0, -12 if below else 12)
        self._label.set_va("top" if below else "bottom")
        self.readout.value = (f"predicted next value <i>ŷ</i><sub>{T + 1}</sub> = "
                              f"<i>W</i><sub>y</sub> <i>h</i><sub>{T}</sub> + <i>b</i><sub>y</sub>"
                              f" = <b>{y:.3f}</b>")

    def _on_text(self, change):
        if not self._holding and self._read_inputs():
            self.update()

    def _read_inputs(self):
        """Read the text box into self.xs; if it cannot be read, say so and keep the old xs."""
        try:
            xs = parse_sequence(self.text.value)
        except ValueError as err:
            self.message.value = (f"<span style='color:#B00020'>Could not read that input: "
                                  f"{err} The figure still shows the last sequence read.</span>")
            return False
        self.message.value = ""
        self.xs = xs
        return True

    def _reset_inputs(self):
        self.text.value = self.SEED_TEXT

    def __repr__(self):
        return (f"Dashboard: the seed cell with {len(self.sliders)} weight sliders; "
                f"input {self.text.value!r}")


def dashboard(text=Dashboard.SEED_TEXT):
    """The whole cell at once (notebook 05): starts at the seed's weights on "1, 2, 3", where
    it predicts the seed's next value, 3.483."""
    return Dashboard(text)


# ---- static figures for "what to notice" -------------------------------------------------------
def compare(focus, settings, kind="ramp", T=6):
    """A static figure (PNG, visible without a kernel) with the rows of panel `focus` ('f', 'i',
    'g', 'c', 'o' or 'dashboard'), one column per setting of the seed cell's weights:
    settings = {"seed": {}, "b_f = 5": {"b_f": 5.0}, ...}. Returns an IPython.display.Image."""
    from IPython.display import Image
    title, _, rows = FOCUS[focus]
    xs = input_sequence(kind, T)
    n = len(settings)
    fig = Figure(figsize=(2.9 * n + 2.1, 1.45 * len(rows) + 0.7), dpi=100)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(rows), n, sharex=True, sharey="row", squeeze=False)
    fig.subplots_adjust(left=0.06, right=1 - 2.0 / (2.9 * n + 2.1), top=0.9, bottom=0.1,
                        hspace=0.45, wspace=0.08)
    for j, (label, changes) in enumerate(settings.items()):
        cell = seed_lstm(**changes)
        sig = signals(cell, cell.run(xs))
        t = np.arange(1, T + 1)
        for r, (_, names, ylim) in enumerate(rows):
            ax = axes[r, j]
            for name in names:
                ax.plot(t + 1 if name == "y" else t, sig[name], **line_style(name))
            ax.axhline(0, color="#cccccc", linewidth=0.8, zorder=0)
            _set_ylim(ax, ylim)
            if j == n - 1:
                ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False, fontsize=9)
        axes[0, j].set_title(label, fontsize=10)
        axes[-1, j].set_xlabel("time step t")
        axes[-1, j].xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    fig.suptitle(f"{title} on the input '{SEQUENCES[kind]}', T = {T}", fontsize=10)
    return Image(_png(fig))
