"""The LSTM cell as a diagram, after colah's "Understanding LSTM Networks", with one step's numbers.

The cell state runs along the top, C_{t-1} -> x f_t -> + i_t g_t -> C_t; the four gates
(sigma boxes f_t, i_t, o_t and the tanh box g_t = C~_t) read x_t and h_{t-1} from a line
underneath; tanh(C_t) times o_t gives h_t, which leaves to the right and goes up as the output.

`CellDiagram(ax)` draws the fixed parts once and keeps the parts that change with the numbers
(the value texts, the gate boxes' fills and their text colours) in `artists`, so `draw(values)`
only sets texts and colours: fast enough to follow a slider. Each gate box is filled by its value,
from a light tint of its palette colour (0) to the full colour (1); the candidate g_t in [-1, 1]
uses (g_t + 1) / 2. The text on a box is dark on a light fill and white on a dark one, at least
4.5:1 against it (WCAG 2.2, 1.4.3; black on the few mid tones where dark grey falls short).

A diagram is data (`DiagramSpec`: its parts, gate boxes and value texts, and what a variant
removes or adds); `CellDiagram(ax, spec)` draws any of them: `LSTM` here, the variants and the
GRU in lstm_classroom.variant_panels. `step_values(trace, t)` reads one step of a one-unit run;
`draw_cell(values)` is a static picture; `diagram_panel()` walks the seed cell through 1, 2, 3
with a time-step slider.
"""
import functools
import math
from dataclasses import dataclass, field, replace

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_hex, to_rgb, to_rgba
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from lstm_classroom.style import GRID, NEUTRAL, TEXT, color, contrast

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
    time step or a weight. It reads and writes like any Text (set_text, get_text, colours). A
    text that is one mathtext formula alone (a gate's "$\\sigma$") is one image; any other text
    without a mathtext head and " = " is drawn as usual.
    """
    as_images = True

    def draw(self, renderer):
        head, sep, tail = self.get_text().rpartition(" = ")
        text = self.get_text()
        if not sep and len(text) > 2 and text[0] == text[-1] == "$" and text.count("$") == 2:
            head, sep, tail = text, "", ""        # mathtext alone, e.g. a gate's sigma: one part
        elif not sep:
            head = ""
        if (not self.get_visible() or not head or "$" not in head or "$" in tail
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
            if not part:
                continue
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


# ---- a diagram as data ------------------------------------------------------------------------
# A diagram is a `DiagramSpec`: the fixed parts it draws once (wires, operators, dots, ovals,
# labels, the cell's frame), its gate boxes, the value texts a step writes on it, and what a
# variant changes (gates it lacks, a box that computes something else, an oval it lacks, parts
# only it has). One class, `CellDiagram`, draws any spec; the LSTM, its variants and the GRU are
# specs. Positions are in units of 0.1 inch on a FIGSIZE Axes.
@dataclass(frozen=True)
class Line:
    """A polyline through `points`, no arrowhead."""
    points: tuple
    color: str = EDGE
    lw: float = 1.6
    dashed: bool = False
    zorder: float = 2


@dataclass(frozen=True)
class Arrow:
    """A straight arrow from `start` to `end` (head "-": a plain segment); sharp: mitred
    corners and butt ends (else matplotlib's defaults for a patch)."""
    start: tuple
    end: tuple
    head: str = "-|>,head_length=5,head_width=2.6"
    color: str = EDGE
    lw: float = 1.6
    dashed: bool = False
    zorder: float = 2
    sharp: bool = True


@dataclass(frozen=True)
class Op:
    """A pointwise operator: a circle of radius R with `symbol` (x or +) in it."""
    x: float
    y: float
    symbol: str


@dataclass(frozen=True)
class Dot:
    """A junction where a wire branches."""
    x: float
    y: float
    color: str = EDGE


@dataclass(frozen=True)
class Oval:
    """An ellipse with a function in it (tanh on C_t); `key` names it for a variant's `plain`."""
    key: str
    x: float
    y: float
    width: float
    height: float
    text: str
    fontsize: float = 11


@dataclass(frozen=True)
class Label:
    """A fixed text."""
    x: float
    y: float
    text: str
    ha: str = "left"
    va: str = "center"
    fontsize: float = 11
    color: str = TEXT
    zorder: float = 4


@dataclass(frozen=True)
class Frame:
    """The cell's light rounded background."""
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Gate:
    """A gate box centred at (x, MID): its function (sigma, tanh) on top, `symbol` = value under
    it; filled by its value in the colour of `palette` ('f', 'i', 'g', 'o')."""
    key: str
    x: float
    function: str
    symbol: str
    palette: str
    fontsize: float = 14


@dataclass(frozen=True)
class NumberText:
    """A value text: `head` = the number `value` computes from the step's values (a key, or a
    function of the dict); form 'number' (3 decimals), 'input' (as typed) or 'whole'."""
    key: str
    x: float
    y: float
    head: str
    value: object
    ha: str = "left"
    va: str = "center"
    form: str = "number"
    fontsize: float = 11
    bold: bool = False


def wire(*points, head=True, **style):
    """The parts of a wire through `points`: a line to the last corner and an arrow (or, with
    head=False, a plain segment) along the last stretch."""
    if len(points) < 2:
        raise ValueError(f"a wire needs at least two points; got {points!r}")
    arrow = Arrow(points[-2], points[-1], **({} if head else {"head": "-"}), **style)
    return ((Line(tuple(points[:-1]), **style),) if len(points) > 2 else ()) + (arrow,)


@dataclass(frozen=True, eq=False)
class DiagramSpec:
    """Everything a cell diagram draws. name, keys (the step values it needs, e.g. KEYS), parts
    (fixed: drawn once, in order), gates, numbers, describe (values -> one sentence), and what a
    variant changes: removed (gates it lacks: dashed, grey, value 1), functions (gate -> (text,
    fontsize) written in its box instead), plain (oval key -> the words in it when the cell
    lacks it), extras (parts only this cell has, drawn over the shared ones), focus (gates a
    notebook is about: drawn with a thick edge)."""
    name: str
    keys: tuple
    parts: tuple
    gates: tuple
    numbers: tuple
    describe: object
    removed: tuple = ()
    functions: dict = field(default_factory=dict)
    plain: dict = field(default_factory=dict)
    extras: tuple = ()
    focus: tuple = ()

    def __post_init__(self):
        gates = [g.key for g in self.gates]
        ovals = [p.key for p in self.parts if isinstance(p, Oval)]
        keys = set(self.keys) | {"kept", "written"}
        for what, names, known in (("removed gate", self.removed, gates),
                                   ("gate in focus", self.focus, gates),
                                   ("function of gate", self.functions, gates),
                                   ("plain oval", self.plain, ovals)):
            unknown = [n for n in names if n not in known]
            if unknown:
                raise ValueError(f"diagram {self.name!r}: {what} {unknown} is not one of its "
                                 f"{'gates' if known is gates else 'ovals'} {known}")
        missing = [g for g in gates if g not in self.keys]
        missing += [r.key for r in self.numbers if isinstance(r.value, str)
                    and r.value not in keys]
        if missing:
            raise ValueError(f"diagram {self.name!r}: {missing} shown but not among its keys "
                             f"{self.keys}")
        bad = [p for p in self.parts + self.extras
               if not isinstance(p, (Line, Arrow, Op, Dot, Oval, Label, Frame))]
        if bad:
            raise ValueError(f"diagram {self.name!r}: a part must be a Line, Arrow, Op, Dot, "
                             f"Oval, Label or Frame; got {bad[0]!r}")

    def but(self, name, **changes):
        """The same diagram as another cell: a variant's spec, e.g.
        LSTM.but("no_forget_gate", removed=("f",), describe=...)."""
        return replace(self, name=name, **changes)

    def same_drawing(self, other):
        """True when `other` draws the same boxes and texts (a variant of this spec)."""
        return (self.parts is other.parts and self.gates is other.gates
                and self.numbers is other.numbers)


# the LSTM, after colah's diagram
_XF, _XI, _XG, _XO = 18.0, 29.0, 40.0, 51.0
_Y_TANH = 25.5
_BELT = dict(lw=2.6)
LSTM = DiagramSpec(
    name="lstm", keys=KEYS, describe=describe,
    parts=(
        Frame(12.5, 4.0, 53.0, 36.0),
        # the cell state along the top: C_{t-1} -> x f_t -> + i_t g_t -> C_t
        *wire((0.5, TOP), (_XF - R, TOP), head=False, **_BELT),
        *wire((_XF + R, TOP), (_XG - R, TOP), head=False, **_BELT),
        *wire((_XG + R, TOP), (79.5, TOP), **_BELT),
        Op(_XF, TOP, "\u00d7"), Op(_XG, TOP, "+"), Op(*MUL_IG, "\u00d7"), Op(X_OUT, MID, "\u00d7"),
        # the input and the last hidden state, joined on the bus under the gates
        *wire((0.5, BUS), (_XO, BUS), head=False),
        *wire((15.0, 0.4), (15.0, BUS), head=False),
        Dot(15.0, BUS),
        *(p for x in (_XF, _XI, _XG, _XO) for p in wire((x, BUS), (x, MID - BOX_H / 2))),
        # the gates' outputs
        *wire((_XF, MID + BOX_H / 2), (_XF, TOP - R)),
        *wire((_XI, MID + BOX_H / 2), (_XI, MUL_IG[1]), (_XG - R, MUL_IG[1])),
        *wire((_XG, MID + BOX_H / 2), (_XG, MUL_IG[1] - R)),
        *wire((_XG, MUL_IG[1] + R), (_XG, TOP - R)),
        *wire((_XO + BOX_W / 2, MID), (X_OUT - R, MID)),
        # h_t = o_t tanh(C_t): tap the belt, tanh, x with o_t; out to the right and up
        Oval("tanh_c", X_OUT, _Y_TANH, 6.4, 3.2, r"$\tanh$"),
        Dot(X_OUT, TOP),
        *wire((X_OUT, TOP), (X_OUT, _Y_TANH + 1.6)),
        *wire((X_OUT, _Y_TANH - 1.6), (X_OUT, MID + R)),
        *wire((X_OUT, MID - R), (X_OUT, BUS), (79.5, BUS)),
        Dot(X_UP, BUS),
        *wire((X_UP, BUS), (X_UP, TOP - 1.0), head=False),      # a gap where it passes under C_t
        *wire((X_UP, TOP + 1.0), (X_UP, 43.0)),
        Label(79.4, BUS + 1.2, r"$h_t$", ha="right", va="bottom"),
        Label(_XF + 0.8, 27.0, r"$f_t$"),
        Label(_XI - 0.8, 23.5, r"$i_t$", ha="right"),
        Label(_XG + 0.8, 22.6, r"$g_t = \tilde{C}_t$"),
        Label(_XO + BOX_W / 2 + 0.3, MID + 0.9, r"$o_t$", va="bottom"),
        Label(79.4, 1.6, "box fill: the gate's value, light at 0, full colour at 1 "
              r"($g_t$: $-1$ to $1$)", ha="right", fontsize=10, zorder=3),
    ),
    gates=tuple(Gate(k, x, fn, sym, k, 14 if k != "g" else 12)
                for k, (x, fn, sym) in GATES.items()),
    numbers=(
        NumberText("t", 0.8, 44.6, "time step $t$", "t", form="whole", fontsize=13, bold=True),
        NumberText("c_prev", 0.8, TOP + 1.2, "$C_{t-1}$", "c_prev", va="bottom"),
        NumberText("h_prev", 0.8, BUS + 1.2, "$h_{t-1}$", "h_prev", va="bottom"),
        NumberText("x", 15.8, 1.6, "$x_t$", "x", form="input"),
        NumberText("kept", 29.0, TOP + 1.2, r"$f_t \cdot C_{t-1}$", lambda v: v["f"] * v["c_prev"],
                ha="center", va="bottom"),
        NumberText("written", GATES["g"][0] + 0.8, 29.6, r"$i_t \cdot g_t$",
                lambda v: v["i"] * v["g"]),
        NumberText("c", 79.4, TOP + 1.2, "$C_t$", "c", ha="right", va="bottom"),
        NumberText("h", X_UP, 44.6, "$h_t$", "h", ha="center"),
    ),
)

GREY_DASH = (0, (4, 2))
FOCUS_LW = 3.4            # the edge of a gate box in focus (1.4 for the others)

# where a gate panel names its rows on the diagram (focus_spec): signal -> (x, y, ha)
TAG_AT = {
    "x": (11.0, 1.6, "right"), "h_prev": (0.8, 6.6, "left"),
    "f": (_XF - BOX_W / 2, MID - BOX_H / 2 - 1.6, "left"),
    "i": (_XI - BOX_W / 2, MID - BOX_H / 2 - 1.6, "left"),
    "g": (_XG - BOX_W / 2, MID - BOX_H / 2 - 1.6, "left"),
    "o": (_XO - BOX_W / 2, MID - BOX_H / 2 - 1.6, "left"),
    "kept": (29.0, TOP + 4.2, "center"), "written": (_XG + 0.8, 31.8, "left"),
    "c": (79.4, TOP + 4.2, "right"), "h": (X_UP - 7.5, 44.6, "right"),
}


def focus_spec(name, focus, tags):
    """The LSTM's diagram for a notebook about `focus` (gate keys, drawn with a thick edge),
    with `tags`: (text, signal) pairs written next to the signal on the diagram (TAG_AT), e.g.
    ("\u2461", "f") to say that the panel's row 2 plots f_t."""
    unknown = [s for _, s in tags if s not in TAG_AT]
    if unknown:
        raise ValueError(f"diagram {name!r}: no place for a tag at {unknown}; the places are "
                         f"{', '.join(TAG_AT)}")
    extras = tuple(Label(x, y, text, ha=ha, va="center", fontsize=15, zorder=5)
                   for text, s in tags for x, y, ha in [TAG_AT[s]])
    return LSTM.but(name, focus=tuple(focus), extras=extras)


class CellDiagram:
    """A cell diagram (`spec`, default the LSTM) drawn on `ax`, which should span a FIGSIZE
    figure (8.0 x 4.6 inches).

    The fixed parts are drawn once; `draw(values)` writes one step's numbers on it and fills the
    gate boxes, only setting texts and colours (fast enough for a slider). `draw(values, spec)`
    shows another cell drawn the same way (a variant: see DiagramSpec.but). Attributes: ax, spec
    (the cell shown), texts (key -> the Text that shows it), boxes (gate -> its box), names
    (gate -> the function written in it), ovals (key -> (ellipse, its text)), extras (spec name
    -> the parts only it has), artists (everything `draw` changes), values (the last drawn),
    description (its words).
    """

    def __init__(self, ax, spec=LSTM):
        self.ax, self.spec = ax, spec
        ax.set_xlim(0, 10 * FIGSIZE[0])
        ax.set_ylim(0, 10 * FIGSIZE[1])
        ax.set_axis_off()
        self.ovals, self.extras = {}, {}
        for part in spec.parts:
            self._put(part)
        self.texts, self.boxes, self.names = {}, {}, {}
        for gate in spec.gates:
            self.boxes[gate.key] = ax.add_patch(FancyBboxPatch(
                (gate.x - BOX_W / 2, MID - BOX_H / 2), BOX_W, BOX_H,
                boxstyle="round,pad=0,rounding_size=0.8", facecolor=WHITE, edgecolor=EDGE,
                linewidth=1.4, zorder=3))
            self.names[gate.key] = value_text(ax, gate.x, MID + 1.5, ha="center",
                                              va="center", fontsize=gate.fontsize, zorder=4)
            self.names[gate.key].set_text(gate.function)
            self.texts[gate.key] = value_text(ax, gate.x, MID - 1.9, ha="center", va="center",
                                              fontsize=10.5, zorder=4)
        for r in spec.numbers:
            extra = dict(fontweight="bold") if r.bold else dict(zorder=4)
            self.texts[r.key] = value_text(ax, r.x, r.y, ha=r.ha, va=r.va, fontsize=r.fontsize,
                                           color=TEXT, **extra)
        self.artists = [a for g in spec.gates
                        for a in (self.boxes[g.key], self.names[g.key], self.texts[g.key])]
        self.artists += [self.texts[r.key] for r in spec.numbers]
        self.values, self.description = None, ""
        self._styled = None
        self._style(spec)

    def _put(self, part):
        """Draw one fixed part; returns its artists."""
        ax = self.ax
        dash = lambda p: dict(linestyle=GREY_DASH) if p.dashed else {}
        if isinstance(part, Line):
            xs, ys = zip(*part.points)
            return ax.plot(xs, ys, color=part.color, lw=part.lw, solid_capstyle="butt",
                           solid_joinstyle="miter", zorder=part.zorder, **dash(part))
        if isinstance(part, Arrow):
            sharp = dict(joinstyle="miter", capstyle="butt") if part.sharp else {}
            return [ax.add_patch(FancyArrowPatch(
                part.start, part.end, arrowstyle=part.head, color=part.color, lw=part.lw,
                shrinkA=0, shrinkB=0, zorder=part.zorder, **sharp, **dash(part)))]
        if isinstance(part, Op):
            return [ax.add_patch(Circle((part.x, part.y), R, facecolor=WHITE, edgecolor=EDGE,
                                        lw=1.4, zorder=3)),
                    ax.text(part.x, part.y, part.symbol, ha="center", va="center_baseline",
                            fontsize=14, color=TEXT, zorder=4)]
        if isinstance(part, Dot):
            return [ax.add_patch(Circle((part.x, part.y), 0.45, color=part.color, zorder=3))]
        if isinstance(part, Oval):
            drawn = (ax.add_patch(Ellipse((part.x, part.y), part.width, part.height,
                                          facecolor=WHITE, edgecolor=EDGE, lw=1.4, zorder=3)),
                     ax.text(part.x, part.y, part.text, ha="center", va="center",
                             fontsize=part.fontsize, color=TEXT, zorder=4))
            self.ovals[part.key] = drawn
            return list(drawn)
        if isinstance(part, Label):
            return [ax.text(part.x, part.y, part.text, ha=part.ha, va=part.va,
                            fontsize=part.fontsize, color=part.color, zorder=part.zorder)]
        if isinstance(part, Frame):
            return [ax.add_patch(FancyBboxPatch(
                (part.x, part.y), part.width, part.height, boxstyle="round,pad=0,rounding_size=2",
                facecolor=CELL, edgecolor=GRID, lw=1.2, zorder=0))]
        raise ValueError(f"cannot draw {part!r}")

    def _style(self, spec):
        """What stays the same from step to step for `spec`: the removed gates' dashed edges,
        the functions in the boxes, the plain ovals, the extra parts (drawn when first needed)."""
        if spec is self._styled:
            return
        if not self.spec.same_drawing(spec):
            raise ValueError(f"diagram {spec.name!r} is not drawn like {self.spec.name!r} (its "
                             "parts, gates or value texts differ): give it a CellDiagram of its "
                             "own")
        for gate in spec.gates:
            box, name = self.boxes[gate.key], self.names[gate.key]
            removed = gate.key in spec.removed
            text, size = spec.functions.get(gate.key, (gate.function, gate.fontsize))
            box.set_edgecolor(NEUTRAL if removed else EDGE)
            box.set_linestyle(GREY_DASH if removed else "-")
            box.set_linewidth(FOCUS_LW if gate.key in spec.focus else 1.4)
            name.set_text("no gate" if removed else text)
            name.set_fontsize(10 if removed else size)
        for part in spec.parts:
            if isinstance(part, Oval):
                ellipse, text = self.ovals[part.key]
                plain = spec.plain.get(part.key)
                ellipse.set_edgecolor(NEUTRAL if plain else EDGE)
                ellipse.set_linestyle(GREY_DASH if plain else "-")
                text.set_text(plain or part.text)
                text.set_fontsize(9 if plain else part.fontsize)
                text.set_color(NEUTRAL if plain else TEXT)
        if spec.extras and spec.name not in self.extras:
            self.extras[spec.name] = [a for p in spec.extras for a in self._put(p)]
        for name, artists in self.extras.items():
            for a in artists:
                a.set_visible(name == spec.name)
        self.spec = self._styled = spec

    def draw(self, values, spec=None):
        """Write one step's numbers on the diagram and fill the gate boxes by their values.

        values : dict with the spec's keys (for the LSTM: t, x, h_prev, c_prev, f, i, g, c, o, h,
                 as `step_values` gives);  spec : another cell drawn the same way (a variant),
                 or None for the one shown. Returns the words that say what it shows.
        Only sets texts and colours of existing artists (and, for a new spec, its styles).
        """
        spec = spec or self.spec
        v = read_values(values, spec.keys)
        self._style(spec)
        for r in spec.numbers:
            x = r.value(v) if callable(r.value) else v[r.value]
            shown = (str(int(x)) if r.form == "whole" else
                     input_number(x) if r.form == "input" else number(x))
            self.texts[r.key].set_text(f"{r.head} = {shown}")
        for gate in spec.gates:
            box, name, text = self.boxes[gate.key], self.names[gate.key], self.texts[gate.key]
            if gate.key in spec.removed:
                box.set_facecolor(WHITE)
                name.set_color(NEUTRAL)
                text.set_color(NEUTRAL)
                text.set_text(f"${gate.symbol}$ = 1")
                continue
            fill = gate_fill(gate.palette, v[gate.key])
            ink = text_on(fill)
            box.set_facecolor(fill)
            name.set_color(ink)
            text.set_color(ink)
            text.set_text(f"${gate.symbol}$ = {number(v[gate.key])}")
        self.values = v
        self.description = spec.describe(v)
        return self.description


def draw_cell(values, ax=None):
    """A static picture of the cell at one step (`values` as `step_values` gives); returns the
    Axes. Without `ax`, a new FIGSIZE figure; with one, it should span such a figure."""
    if ax is None:
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=FIGSIZE, dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
    CellDiagram(ax).draw(values)
    return ax


# ---- the interactive diagram --------------------------------------------------------------------
def diagram_panel(weights=None, xs=(1, 2, 3)):
    """The cell diagram with a time-step slider (lstm_classroom.panels.diagram_panel, a Panel):
    the seed cell (with `weights` changed, e.g. {"b_f": 3.0}) walked through `xs` (default
    1, 2, 3, the seed document's), one step at a time."""
    from lstm_classroom.panels import diagram_panel as panel  # panels draw with this module
    return panel(weights, xs)
