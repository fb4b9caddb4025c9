"""The LSTM cell as a diagram, after colah's "Understanding LSTM Networks", with one step's numbers.

The cell state runs along the top, C_{t-1} -> x f_t -> + i_t g_t -> C_t; the four gates
(sigma boxes f_t, i_t, o_t and the tanh box g_t = C~_t) read x_t and h_{t-1} from a line
underneath; tanh(C_t) times o_t gives h_t, which leaves to the right and goes up as the output.

`CellDiagram(ax)` draws the fixed parts once and keeps the parts that change with the numbers
(the value texts, the gate boxes' fills and their text colours) in `artists`, so `show(values)`
only sets texts and colours: fast enough to follow a slider. Each gate box is filled by its value,
from a light tint of its palette colour (0) to the full colour (1); the candidate g_t in [-1, 1]
uses (g_t + 1) / 2. The text on a box is dark on a light fill and white on a dark one, at least
4.5:1 against it (WCAG 2.2, 1.4.3; black on the few mid tones where dark grey falls short).

`step_values(trace, t)` reads one step of a one-unit run; `draw_cell(values)` is a static picture;
`diagram_panel()` walks the seed cell through 1, 2, 3 with a time-step slider.
"""
import functools
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_hex, to_rgb, to_rgba
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from lstm_classroom.controls import Controls
from lstm_classroom.live import LiveFigure, Shown
from lstm_classroom.slider import NamedIntSlider
from lstm_classroom.style import GRID, TEXT, color
from lstm_core import seed_lstm

FIGSIZE = (8.0, 4.6)      # inches at 100 dpi: 800 x 460 px, a notebook column without scaling
KEYS = ("t", "x", "h_prev", "c_prev", "f", "i", "g", "c", "o", "h")
EDGE = TEXT               # arrows, box edges and the operators: the palette's dark grey
WHITE, BLACK = "#FFFFFF", "#000000"
CELL = to_hex(0.75 * np.ones(3) + 0.25 * np.array(to_rgb(GRID)))   # the cell's light background
MIN_TEXT_CONTRAST = 4.5

# Positions in units of 0.1 inch (the Axes spans the whole FIGSIZE figure: 80 x 46 units)
TOP, MID, BUS = 33.0, 17.0, 9.0           # heights of the cell-state line, the gates, the h bus
GATES = {  # gate: (centre x, function drawn in its box, symbol)
    "f": (18.0, r"$\sigma$", "f_t"),
    "i": (29.0, r"$\sigma$", "i_t"),
    "g": (40.0, r"$\tanh$", "g_t"),
    "o": (51.0, r"$\sigma$", "o_t"),
}
BOX_W, BOX_H = 9.6, 7.0
R = 1.5                                   # radius of the pointwise operators x and +
X_OUT = 61.0                              # the tanh on C_t and the x with o_t
X_UP = 68.0                               # where h_t goes up, out of the cell
MUL_IG = (40.0, 26.0)                     # the x of i_t and g_t, under the +


# ---- colours of a gate box ----------------------------------------------------------------------
def luminance(hex_colour):
    """WCAG 2.2's relative luminance of a colour."""
    rgb = np.array(to_rgb(hex_colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def contrast(a, b):
    """WCAG 2.2's contrast ratio of two colours, 1 to 21."""
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def gate_fill(gate, value):
    """The fill of gate box `gate` ('f', 'i', 'g', 'o') at `value`: a light tint of the gate's
    colour at 0 (g_t: at -1), the full colour at 1. Returns a hex string."""
    level = (value + 1) / 2 if gate == "g" else value
    level = float(np.clip(level, 0.0, 1.0))
    a = 0.1 + 0.9 * level
    return to_hex((1 - a) * np.ones(3) + a * np.array(to_rgb(color(gate))))


def text_on(fill):
    """Dark text on a light fill, white on a dark one: whichever contrasts more, and black
    where neither reaches 4.5:1 (on mid tones such as the output gate's full colour)."""
    ink = TEXT if contrast(TEXT, fill) >= contrast(WHITE, fill) else WHITE
    return ink if contrast(ink, fill) >= MIN_TEXT_CONTRAST else BLACK


# ---- the words and the numbers ------------------------------------------------------------------
def number(v):
    """A value as the diagram writes it: 3 decimals (3 significant digits from 10^4 on), a true
    minus sign, and no sign on 0.000."""
    s = f"{v:.3f}" if abs(v) < 1e4 else f"{v:.3g}"
    return "0.000" if s == "-0.000" else s.replace("-", "\u2212")


def input_number(v):
    """An input x_t: a whole number as it is typed (2), any other with 3 decimals."""
    v = float(v)
    return str(int(v)).replace("-", "\u2212") if v.is_integer() and abs(v) < 1e4 else number(v)


def describe(values):
    """One sentence with the numbers of one step, in the diagram's order."""
    v = {k: float(values[k]) for k in KEYS}
    v["kept"], v["written"] = v["f"] * v["c_prev"], v["i"] * v["g"]
    n = {k: number(x).replace("\u2212", "-") for k, x in v.items()}
    x = input_number(v["x"]).replace("\u2212", "-")
    return (f"At t = {int(v['t'])}: x_t = {x}, h_{{t-1}} = {n['h_prev']}, "
            f"C_{{t-1}} = {n['c_prev']}; the forget gate f_t = {n['f']} keeps "
            f"f_t·C_{{t-1}} = {n['kept']} of the old cell state, the input gate "
            f"i_t = {n['i']} writes i_t·g_t = {n['written']} of the candidate "
            f"g_t = {n['g']}; C_t = {n['c']}; o_t = {n['o']}; h_t = o_t·tanh(C_t) = {n['h']}.")


def read_values(values, keys):
    """values[k] as a float for each of `keys`, or a KeyError naming the missing ones."""
    missing = [k for k in keys if k not in values]
    if missing:
        raise KeyError(f"values needs the keys {', '.join(keys)}; missing {missing}")
    return {k: float(values[k]) for k in keys}


def step_values(trace, t):
    """The numbers of time step t (1-based) of a one-unit `Trace`, as a dict with keys t, x,
    h_prev, c_prev, f, i, g, c, o, h (floats); h_prev and c_prev are h0 and c0 at t = 1."""
    T = len(trace.h)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 1 <= t <= T:
        raise ValueError(f"t must be a whole time step 1..T = 1..{T}; got {t!r}")
    one = lambda a: float(np.ravel(a)[0]) if np.size(a) == 1 else _not_one_unit(a)
    k = t - 1
    h_prev = trace.h0 if k == 0 else trace.h[k - 1]
    c_prev = trace.c0 if k == 0 else trace.c[k - 1]
    return dict(t=int(t), x=one(trace.x[k]), h_prev=one(h_prev), c_prev=one(c_prev),
                **{s: one(getattr(trace, s)[k]) for s in ("f", "i", "g", "c", "o", "h")})


def _not_one_unit(a):
    raise ValueError(f"the diagram shows a one-unit cell on one sequence (D = H = N = 1); "
                     f"this trace has {np.size(a)} numbers per step")


# ---- a label and its number, fast to redraw -----------------------------------------------------
class ValueText(Text):
    """A Text such as "$C_t$ = 0.123" that draws its mathtext head ("$C_t$ = ", the same at every
    step, so matplotlib parses it once and keeps it) and its number (plain text) separately.

    Drawn as one Text, every new number would make matplotlib parse the whole string as mathtext
    again: about 5 ms a label, most of a slider move on the diagram. Each part is drawn once into
    an image (`_text_image`) that every later draw of the same part at the same place puts in
    place: the same pixels (as_images = False draws their glyphs each time instead, to compare).
    The head is the same at every step; a number comes back when the learner goes back to a
    time step or a weight. It reads and writes like any Text (set_text, get_text, colours); a text
    without a mathtext head and " = " is drawn as usual.
    """
    as_images = True

    def draw(self, renderer):
        head, sep, tail = self.get_text().rpartition(" = ")
        if (not self.get_visible() or not sep or "$" not in head or "$" in tail
                or self.get_rotation() != 0 or self.get_usetex() or self.get_bbox_patch()
                or not isinstance(renderer, RendererAgg)):   # a vector file: one Text, as usual
            return super().draw(renderer)
        # a copy: the caches below keep it as a key, and set_fontsize changes the Text's own
        prop, head, dpi = self.get_fontproperties().copy(), head + sep, self.figure.dpi
        w1, h1, d1 = _text_metrics(head, prop, True, dpi)
        w2, h2, d2 = _text_metrics(tail, prop, False, dpi)
        _, h0, d0 = _text_metrics("lp", prop, False, dpi)
        descent = max(d0, d1, d2)                          # as Text lays out one line
        height = max(h0 - d0, h1 - d1, h2 - d2) + descent
        x, y = self.get_transform().transform(self.get_unitless_position())
        x -= {"left": 0, "center": (w1 + w2) / 2, "right": w1 + w2}[self.get_ha()]
        y += {"baseline": 0, "bottom": descent, "top": descent - height,
              "center": descent - height / 2,
              "center_baseline": -(height - descent) / 2}[self.get_va()]
        if renderer.flipy():
            y = renderer.get_canvas_width_height()[1] - y
        renderer.open_group("text", self.get_gid())
        gc = renderer.new_gc()
        gc.set_foreground(to_rgba(self.get_color()), isRGBA=True)
        gc.set_alpha(self.get_alpha())
        gc.set_antialiased(self.get_antialiased())
        if self.get_clip_on():
            gc.set_clip_rectangle(self.get_clip_box())
            gc.set_clip_path(self.get_clip_path())
        for part, at, ismath in ((head, x, True), (tail, x + w1, False)):
            if not self.as_images:
                renderer.draw_text(gc, at, y, part, prop, 0, ismath=ismath)
                continue
            x0, y0 = math.floor(at), math.floor(y)    # the image goes on whole pixels; the
            image, left, top = _text_image(             # glyphs inside it keep x's and y's
                part, ismath, prop, dpi, gc.get_rgb(), gc.get_antialiased(),
                round(at - x0, 2), round(y - y0, 2))    # fractions
            height_px = renderer.get_canvas_width_height()[1]
            renderer.draw_image(gc, x0 - left, height_px - (y0 - top + image.shape[0]), image)
        gc.restore()
        renderer.close_group("text")
        self.stale = False


@functools.lru_cache(maxsize=1024)
def _text_metrics(text, prop, ismath, dpi):
    """(width, height, descent) in pixels of `text` drawn with font `prop` at `dpi` by Agg, the
    renderer ValueText draws on: what Text's own layout measures, kept for the next draw (the
    head and "lp" are measured again on every draw)."""
    return RendererAgg(1, 1, dpi).get_text_width_height_descent(text, prop, ismath=ismath)


@functools.lru_cache(maxsize=1024)
def _text_image(text, ismath, prop, dpi, rgba, antialiased, dx, dy):
    """A ValueText's head (mathtext) or number (plain text) drawn once, its baseline origin (dx, dy)
    pixels right of and below a whole pixel: (RGBA image, how many pixels its left edge and top
    lie left of and above that pixel). Drawing the same glyphs again on every move costs about
    0.5 ms a label; the image is drawn in a few microseconds."""
    pad = 2
    probe = RendererAgg(1, 1, dpi)
    width, height, descent = probe.get_text_width_height_descent(text, prop, ismath=ismath)
    left, top = pad, pad + math.ceil(height - descent)
    canvas = RendererAgg(math.ceil(width) + 2 * pad, top + math.ceil(descent) + pad, dpi)
    gc = canvas.new_gc()
    gc.set_foreground(rgba, isRGBA=True)
    gc.set_antialiased(antialiased)
    canvas.draw_text(gc, left + dx, top + dy, text, prop, 0, ismath=ismath)
    gc.restore()
    # rows bottom first, as renderer.draw_image takes them
    return np.asarray(canvas.buffer_rgba())[::-1].copy(), left, top


def value_text(ax, x, y, **kw):
    """A `ValueText` at (x, y) in `ax`'s data units, empty until `set_text`; `kw` as for ax.text."""
    return ax.add_artist(ValueText(x, y, "", transform=ax.transData, clip_on=False, **kw))


# ---- the diagram --------------------------------------------------------------------------------
class CellDiagram:
    """One LSTM cell drawn on `ax`, which should span a FIGSIZE figure (8.0 x 4.6 inches).

    The fixed parts (lines, arrows, operators, the cell) are drawn once; `show(values)` writes one
    step's numbers on it and fills the gate boxes. Attributes: ax, texts (key -> the Text that
    shows it: t, x, h_prev, c_prev, f, i, g, c, o, h, and kept = f_t C_{t-1}, written = i_t g_t),
    boxes (gate -> its box), names (gate -> the function written in its box), artists (everything
    `show` changes), values (the last shown), description (its words).
    """

    def __init__(self, ax):
        self.ax = ax
        ax.set_xlim(0, 10 * FIGSIZE[0])
        ax.set_ylim(0, 10 * FIGSIZE[1])
        ax.set_axis_off()
        self._draw_fixed()
        self.texts, self.boxes, self.names = {}, {}, {}
        for gate, (x, function, _) in GATES.items():
            self.boxes[gate] = ax.add_patch(FancyBboxPatch(
                (x - BOX_W / 2, MID - BOX_H / 2), BOX_W, BOX_H,
                boxstyle="round,pad=0,rounding_size=0.8", facecolor=WHITE, edgecolor=EDGE,
                linewidth=1.4, zorder=3))
            size = 14 if gate != "g" else 12
            self.names[gate] = ax.text(x, MID + 1.5, function, ha="center", va="center",
                                       fontsize=size, zorder=4)
            self.texts[gate] = value_text(ax, x, MID - 1.9, ha="center", va="center",
                                          fontsize=10.5, zorder=4)
        label = dict(fontsize=11, color=TEXT, zorder=4)
        self.texts["t"] = value_text(ax, 0.8, 44.6, ha="left", va="center", fontsize=13,
                                     fontweight="bold", color=TEXT)
        self.texts["c_prev"] = value_text(ax, 0.8, TOP + 1.2, ha="left", va="bottom", **label)
        self.texts["h_prev"] = value_text(ax, 0.8, BUS + 1.2, ha="left", va="bottom", **label)
        self.texts["x"] = value_text(ax, 15.8, 1.6, ha="left", va="center", **label)
        self.texts["c"] = value_text(ax, 79.4, TOP + 1.2, ha="right", va="bottom", **label)
        self.texts["h"] = value_text(ax, X_UP, 44.6, ha="center", va="center", **label)
        self.texts["kept"] = value_text(ax, 29.0, TOP + 1.2, ha="center", va="bottom", **label)
        self.texts["written"] = value_text(ax, GATES["g"][0] + 0.8, 29.6, ha="left",
                                           va="center", **label)
        boxes = [a for g in GATES for a in (self.boxes[g], self.names[g], self.texts[g])]
        others = ("t", "c_prev", "h_prev", "x", "kept", "written", "c", "h")
        self.artists = boxes + [self.texts[k] for k in others]
        self.values, self.description = None, ""

    # the fixed parts, drawn once
    def _arrow(self, *points, head=True, lw=1.6, zorder=2):
        """A polyline through `points` (data units), with an arrowhead at the end."""
        ax = self.ax
        xs, ys = zip(*points)
        if len(points) > 2:
            ax.plot(xs[:-1], ys[:-1], color=EDGE, lw=lw, solid_capstyle="butt",
                    solid_joinstyle="miter", zorder=zorder)
        style = "-|>,head_length=5,head_width=2.6" if head else "-"
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle=style, color=EDGE,
                                     lw=lw, shrinkA=0, shrinkB=0, zorder=zorder,
                                     joinstyle="miter", capstyle="butt"))

    def _op(self, x, y, symbol):
        """A pointwise operator: a circle with x or + in it."""
        self.ax.add_patch(Circle((x, y), R, facecolor=WHITE, edgecolor=EDGE, lw=1.4, zorder=3))
        self.ax.text(x, y, symbol, ha="center", va="center_baseline", fontsize=14, color=TEXT,
                     zorder=4)

    def _draw_fixed(self):
        ax, a = self.ax, self._arrow
        xf, xi, xg, xo = (GATES[k][0] for k in "figo")
        ax.add_patch(FancyBboxPatch((12.5, 4.0), 53.0, 36.0, boxstyle="round,pad=0,rounding_size=2",
                                    facecolor=CELL, edgecolor=GRID, lw=1.2, zorder=0))
        # the cell state along the top: C_{t-1} -> x f_t -> + i_t g_t -> C_t
        belt = dict(lw=2.6, zorder=2)
        a((0.5, TOP), (xf - R, TOP), head=False, **belt)
        a((xf + R, TOP), (xg - R, TOP), head=False, **belt)
        a((xg + R, TOP), (79.5, TOP), **belt)
        self._op(xf, TOP, "\u00d7")
        self._op(xg, TOP, "+")
        self._op(*MUL_IG, "\u00d7")
        self._op(X_OUT, MID, "\u00d7")
        # the input and the last hidden state, joined on the bus under the gates
        a((0.5, BUS), (xo, BUS), head=False)
        a((15.0, 0.4), (15.0, BUS), head=False)
        ax.add_patch(Circle((15.0, BUS), 0.45, color=EDGE, zorder=3))
        for x in (xf, xi, xg, xo):
            a((x, BUS), (x, MID - BOX_H / 2))
        # the gates' outputs
        top = MID + BOX_H / 2
        a((xf, top), (xf, TOP - R))
        a((xi, top), (xi, MUL_IG[1]), (xg - R, MUL_IG[1]))
        a((xg, top), (xg, MUL_IG[1] - R))
        a((xg, MUL_IG[1] + R), (xg, TOP - R))
        a((xo + BOX_W / 2, MID), (X_OUT - R, MID))
        # h_t = o_t tanh(C_t): tap the belt, tanh, x with o_t; out to the right and up
        y_tanh = 25.5
        ax.add_patch(Ellipse((X_OUT, y_tanh), 6.4, 3.2, facecolor=WHITE, edgecolor=EDGE, lw=1.4,
                             zorder=3))
        ax.text(X_OUT, y_tanh, r"$\tanh$", ha="center", va="center", fontsize=11, color=TEXT,
                zorder=4)
        ax.add_patch(Circle((X_OUT, TOP), 0.45, color=EDGE, zorder=3))
        a((X_OUT, TOP), (X_OUT, y_tanh + 1.6))
        a((X_OUT, y_tanh - 1.6), (X_OUT, MID + R))
        a((X_OUT, MID - R), (X_OUT, BUS), (79.5, BUS))
        ax.add_patch(Circle((X_UP, BUS), 0.45, color=EDGE, zorder=3))
        a((X_UP, BUS), (X_UP, TOP - 1.0), head=False)      # a gap where it passes under C_t
        a((X_UP, TOP + 1.0), (X_UP, 43.0))
        label = dict(fontsize=11, color=TEXT, zorder=4)
        ax.text(79.4, BUS + 1.2, r"$h_t$", ha="right", va="bottom", **label)
        ax.text(xf + 0.8, 27.0, r"$f_t$", ha="left", va="center", **label)
        ax.text(xi - 0.8, 23.5, r"$i_t$", ha="right", va="center", **label)
        ax.text(xg + 0.8, 22.6, r"$g_t = \tilde{C}_t$", ha="left", va="center", **label)
        ax.text(xo + BOX_W / 2 + 0.3, MID + 0.9, r"$o_t$", ha="left", va="bottom", **label)
        ax.text(79.4, 1.6, "box fill: the gate's value, light at 0, full colour at 1 "
                r"($g_t$: $-1$ to $1$)", ha="right", va="center", fontsize=10, color=TEXT)

    def show(self, values):
        """Write one step's numbers on the diagram and fill the gate boxes by their values.

        values : dict with keys t, x, h_prev, c_prev, f, i, g, c, o, h (numbers), as
                 `step_values` gives. Returns the words that say what it shows (one sentence).
        Only sets texts and colours of existing artists, so it is fast enough for a slider.
        """
        v = read_values(values, KEYS)
        texts = self.texts
        texts["t"].set_text(f"time step $t$ = {int(v['t'])}")
        texts["x"].set_text(f"$x_t$ = {input_number(v['x'])}")
        texts["h_prev"].set_text(f"$h_{{t-1}}$ = {number(v['h_prev'])}")
        texts["c_prev"].set_text(f"$C_{{t-1}}$ = {number(v['c_prev'])}")
        texts["c"].set_text(f"$C_t$ = {number(v['c'])}")
        texts["h"].set_text(f"$h_t$ = {number(v['h'])}")
        texts["kept"].set_text(f"$f_t \\cdot C_{{t-1}}$ = {number(v['f'] * v['c_prev'])}")
        texts["written"].set_text(f"$i_t \\cdot g_t$ = {number(v['i'] * v['g'])}")
        for gate, (_, _, symbol) in GATES.items():
            fill = gate_fill(gate, v[gate])
            ink = text_on(fill)
            self.boxes[gate].set_facecolor(fill)
            self.names[gate].set_color(ink)
            texts[gate].set_color(ink)
            texts[gate].set_text(f"${symbol}$ = {number(v[gate])}")
        self.values = v
        self.description = describe(v)
        return self.description


def draw_cell(values, ax=None):
    """A static picture of the cell at one step (`values` as `step_values` gives); returns the
    Axes. Without `ax`, a new FIGSIZE figure; with one, it should span such a figure."""
    if ax is None:
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=FIGSIZE, dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
    ax.diagram = CellDiagram(ax)
    ax.diagram.show(values)
    return ax


# ---- the interactive diagram --------------------------------------------------------------------
class DiagramPanel(Shown):
    """A time-step slider and the cell diagram at that step: controls + compute + a live figure.

    weights : changes to the seed cell's weights (seed_lstm(**weights));  xs : the input sequence
    Attributes: step (the IntSlider, t = 1..T), controls, cell, trace, live, diagram, values
    (the step shown), description (its words), words (HTML under the figure), widget.
    """

    def __init__(self, weights=None, xs=(1, 2, 3)):
        self.cell = seed_lstm(**(weights or {}))
        self.trace = self.cell.run(np.asarray(xs, float))
        T = len(self.trace.h)
        self.step = NamedIntSlider(1, 1, T, "time step <i>t</i>",
                                   "t, the time step the diagram shows", width="320px",
                                   description_width="6em")
        self.controls = Controls({"t": self.step}, reset_label="back to t = 1")
        self.live = LiveFigure(FIGSIZE)
        self.diagram = CellDiagram(self.live.fig.add_axes((0, 0, 1, 1)))
        self.live.animate(*self.diagram.artists)
        self.words = self.live.words
        self.update()
        self.widget = widgets.VBox([self.step, self.live.view, self.words])
        self.controls.observe(self.update)

    def compute(self, values):
        """The controls' values -> the numbers of the step to show."""
        return step_values(self.trace, values["t"])

    def update(self):
        """Show the step the slider points at: new texts and fills, one fast redraw."""
        self.values = self.compute(self.controls.values)
        self.live.show(self.diagram.show(self.values))

    def __repr__(self):
        return f"DiagramPanel: the LSTM cell at time step t = {self.step.value} of {self.step.max}"


def diagram_panel(weights=None, xs=(1, 2, 3)):
    """The cell diagram with a time-step slider: the seed cell (with `weights` changed, e.g.
    {"b_f": 3.0}) walked through `xs` (default 1, 2, 3, the seed document's), one step at a time.
    """
    return DiagramPanel(weights, xs)
