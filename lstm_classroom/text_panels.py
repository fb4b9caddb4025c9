"""Notebook 10's control and figures: reading the cells of a trained character model.

    CellReader         a unit picker and a signal picker (C_t, h_t, f_t, i_t, g_t, o_t) over the
                       text coloured character by character (text_html.render_html); displayed,
                       it also carries the current colouring as HTML for readers without a kernel
    coloured_text      one unit's signal as coloured HTML, on the scale that suits the signal
    unit_words         what one unit's signal does, with its correlation with every property
    ranking_table      the units that track a property best, as a small text table
    counter_picture    a counting cell state: C_t against the bracket depth, and its levels
    gate_picture       a saturated forget gate next to one that is not
    compare_picture    the same text: the property, the LSTM's best unit, the RNN's best unit
    bracket_balance    how many lines of a text (a sample) close every bracket they open

Every number comes from lstm_text.read_cells (through a `CellReading`); this module only picks,
colours and describes.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lstm_classroom.controls import Controls, group, row
from lstm_classroom.figures import Picture
from lstm_classroom.live import png_bytes
from lstm_classroom.slider import NamedIntSlider
from lstm_classroom.style import GRID, LABELS, NEUTRAL, TEXT, color, line_style
from lstm_classroom.text_html import render_html
from lstm_text import (
    PROPERTIES,
    CellReading,
    correlations,
    gate_saturation,
    property_values,
    rank_units,
)

WIDTH = 8.2   # inches at 100 dpi: the widest figure a notebook column shows unscaled

# what each signal is called in the picker and in words
SIGNAL_WORDS = {"c": "the cell state", "h": "the hidden state", "f": "the forget gate",
                "i": "the input gate", "g": "the candidate", "o": "the output gate"}


def _check_reading(reading):
    if not isinstance(reading, CellReading):
        raise TypeError(f"reading must be a CellReading from lstm_text.read_cells(model, text); "
                        f"got {type(reading).__name__}")
    return reading


def check_pick(reading, unit, signal):
    """(unit, signal) checked against reading: unit a whole number in [0, H), signal one the
    reading has. Raises ValueError saying what was expected and what arrived."""
    H = reading.h.shape[1]
    if isinstance(unit, (bool, np.bool_)) or not isinstance(unit, (int, np.integer)):
        raise ValueError(f"unit must be a whole number from 0 to {H - 1}; got {unit!r}")
    if not 0 <= unit < H:
        raise ValueError(f"unit must be from 0 to {H - 1} (this {reading.kind.upper()} has "
                         f"H = {H} units); got {unit}")
    if signal not in reading.signals:
        raise ValueError(f"signal must be one of {', '.join(map(repr, reading.signals))} "
                         f"(an {reading.kind.upper()} reading); got {signal!r}")
    return int(unit), signal


def signal_scale(reading, signal, unit):
    """(center, limit) of the colour scale for one unit's signal: a gate (i, f, o) runs from 0 to
    1, so white is 0.5; g_t and h_t lie in (-1, 1); C_t is unbounded, so its scale reaches the
    unit's largest |C_t| on this text."""
    if signal in ("i", "f", "o"):
        return 0.5, 0.5
    if signal in ("g", "h"):
        return 0.0, 1.0
    return 0.0, float(np.max(np.abs(reading.signal(signal)[:, unit]), initial=0.0)) or 1.0


def coloured_text(reading, unit, signal="c"):
    """The reading's text as HTML, each character on a background coloured by `signal` of `unit`
    after reading it (text_html.render_html, inline styles only)."""
    unit, signal = check_pick(_check_reading(reading), unit, signal)
    center, limit = signal_scale(reading, signal, unit)
    return render_html(reading.text, reading.signal(signal)[:, unit], center=center, limit=limit,
                       label=f"{LABELS[signal]} of unit {unit}")


def unit_words(reading, unit, signal="c", properties=tuple(PROPERTIES), *,
               property_of=property_values, digits=3):
    """One sentence: the range of one unit's signal over the text and its Pearson r with each
    named property (property_of(text, name): its values), numbers to `digits` decimals, e.g.
    'C_t of unit 4 over 400 characters runs from -3.400 to +1.100; r with bracket depth
    -0.970, ...'."""
    unit, signal = check_pick(_check_reading(reading), unit, signal)
    v = reading.signal(signal)[:, unit]
    rs = [f"{p} {correlations(v[:, None], property_of(reading.text, p))[0]:+.{digits}f}"
          for p in properties]
    return (f"{LABELS[signal]} ({SIGNAL_WORDS[signal]}) of unit {unit} over "
            f"{len(reading.text)} characters runs from {v.min():+.{digits}f} to "
            f"{v.max():+.{digits}f}; its Pearson r with " + ", ".join(rs) + ".")


def ranking_table(reading, prop, top=5, signals=("c", "h")):
    """The `top` units whose signal tracks prop best (|Pearson r|), as lines of text."""
    ranked = rank_units(_check_reading(reading), prop, signals)
    lines = [f"{prop}: the {top} best of {len(ranked)} (signal, unit) pairs",
             "  rank  signal  unit       r"]
    for k, m in enumerate(ranked[:top], 1):
        lines.append(f"  {k:4d}  {LABELS[m.signal]:>6}  {m.unit:4d}  {m.r:+.3f}")
    return "\n".join(lines)


class CellReader:
    """Pick a unit and a signal; the text is coloured by it, character by character.

    reading : a CellReading (lstm_text.read_cells(model, text));  unit, signal : the first pick
    Attributes: controls (a Controls of "unit" and "signal"), unit_slider, signal_picker, view
    (the HTML widget with the coloured text), words (what the unit does, with its r per
    property), widget (everything, laid out). Displayed, it gives the live widget to a front end
    with a kernel and the current colouring as HTML to one without.
    """

    def __init__(self, reading, unit=0, signal="c"):
        self.reading = _check_reading(reading)
        unit, signal = check_pick(reading, unit, signal)
        H = reading.h.shape[1]
        self.unit_slider = NamedIntSlider(unit, 0, H - 1, "unit", "which hidden unit colours "
                                          "the text", width="420px", description_width="3em")
        self.signal_picker = widgets.Dropdown(
            options=[(f"{LABELS[s]}: {SIGNAL_WORDS[s]}", s) for s in reading.signals],
            value=signal, description="signal", style={"description_width": "3.5em"},
            layout=widgets.Layout(width="300px"))
        self.controls = Controls({"unit": self.unit_slider, "signal": self.signal_picker},
                                 kind="cells")
        self.words = widgets.HTML("", layout=widgets.Layout(max_width="800px"))
        self.view = widgets.HTML("")
        self.message = widgets.HTML("")
        self.widget = widgets.VBox([
            row(group(f"which unit (0 to {H - 1})", [self.unit_slider], color(signal)),
                group("which signal", [self.signal_picker])),
            self.message, self.words, self.view])
        self.controls.observe(self.update)
        self.update()

    @property
    def unit(self):
        return int(self.unit_slider.value)

    @property
    def signal(self):
        return self.signal_picker.value

    @property
    def values(self):
        """The (T,) values the text is coloured by now."""
        return self.reading.signal(self.signal)[:, self.unit]

    @property
    def html(self):
        """The current colouring as HTML (what a reader without a kernel sees)."""
        return self.view.value

    @property
    def description(self):
        return self.words.value

    def pick(self, unit=None, signal=None):
        """Show `unit` and/or `signal`; a pick that does not fit the reading raises ValueError
        and changes nothing."""
        unit = self.unit if unit is None else unit
        signal = self.signal if signal is None else signal
        unit, signal = check_pick(self.reading, unit, signal)
        self.controls.set(unit=unit, signal=signal)
        return self

    def update(self):
        """Recolour the text from the pickers' values (called on every change)."""
        self.words.value = unit_words(self.reading, self.unit, self.signal)
        self.view.value = coloured_text(self.reading, self.unit, self.signal)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = f"<div>{self.words.value}</div>{self.view.value}"
        bundle["text/plain"] = self.words.value
        return bundle

    def __repr__(self):
        return f"CellReader({self.reading.kind}, unit {self.unit}, signal {self.signal})"


# ---- static figures --------------------------------------------------------------------------

def _figure(height):
    fig = Figure(figsize=(WIDTH, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _line_breaks(ax, text):
    for t in [k for k, ch in enumerate(text) if ch == "\n"]:
        ax.axvline(t, color=GRID, linewidth=0.8, zorder=0)


def counter_picture(reading, fit, n=300):
    """C_t of the counting unit and the bracket depth over the first n characters, and the mean
    C_t at each depth with the fitted line. fit is lstm_text.counter_fit(reading, 'bracket depth',
    unit). Returns a Picture."""
    unit, text = fit.unit, reading.text[:n]
    c = reading.c[:n, unit]
    depth = property_values(text, "bracket depth")
    fig = _figure(3.6)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.3, 1]})
    fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.15, wspace=0.3)
    t = np.arange(n)
    left.plot(t, c, **{**line_style("c"), "marker": None, "label": f"$C_t$ of unit {unit}"})
    left.step(t, depth, where="post", color=NEUTRAL, linewidth=1.5, label="bracket depth")
    _line_breaks(left, text)
    left.set(xlabel="character t (grey lines: line breaks)", xlim=(0, n - 1),
             ylim=(min(c.min(), 0) - 0.4, depth.max() + 2))
    left.set_title(f"unit {unit} over the first {n} held-out characters", loc="left",
                   fontsize=10, color=TEXT)
    left.legend(loc="upper left", frameon=False, fontsize=10, ncol=2)
    full = property_values(reading.text, "bracket depth")
    levels = fit.levels.astype(int)
    groups = [reading.c[full == d, unit] for d in levels]
    right.boxplot(groups, positions=levels, widths=0.5, showfliers=False,
                  medianprops=dict(color=color("c")))
    right.plot(levels, fit.slope * levels + fit.intercept, color=NEUTRAL, linestyle="--",
               label=f"{fit.slope:+.2f} per level")
    right.set(xlabel="bracket depth", ylabel=f"$C_t$ of unit {unit}")
    right.set_title(f"all {len(reading.text)} characters", loc="left", fontsize=10, color=TEXT)
    right.legend(loc="upper right", frameon=False, fontsize=10)
    means = ", ".join(f"{m:+.2f}" for m in fit.means)
    words = (f"Figure: left, C_t of unit {unit} and the bracket depth over the first {n} "
             f"held-out characters: C_t falls as brackets open and rises as they close. Right, "
             f"C_t of unit {unit} at each depth {levels.min()} to {levels.max()} over all "
             f"{len(reading.text)} characters (boxes: the middle half), means {means}; the "
             f"straight line falls {abs(fit.slope):.2f} per level and explains "
             f"{100 * fit.r2:.0f} % of the variance.")
    return Picture(png_bytes(fig), words)


def gate_picture(reading, saturated, other, gate="f"):
    """Histograms of one gate for a saturated unit and for another unit, with the share of
    characters within 0.05 of 0 or 1. Returns a Picture."""
    sat = gate_saturation(reading, gate)
    fig = _figure(2.8)
    axes = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.18, wspace=0.08)
    bins = np.linspace(0, 1, 41)
    said = []
    for ax, unit in zip(axes, (saturated, other)):
        v = reading.signal(gate)[:, unit]
        ax.hist(v, bins=bins, color=color(gate), weights=np.full(len(v), 100 / len(v)))
        ax.set_title(f"{LABELS[gate]} of unit {unit}: {100 * sat[unit]:.0f} % within 0.05 of "
                     f"0 or 1", loc="left", fontsize=10, color=TEXT)
        ax.set(xlabel=f"{LABELS[gate]}", xlim=(0, 1))
        said.append(f"unit {unit}: {100 * sat[unit]:.0f} % of the characters within 0.05 of 0 "
                    f"or 1, {100 * np.mean(v > 0.95):.0f} % above 0.95, median {np.median(v):.3f}")
    axes[0].set_ylabel("% of characters")
    words = (f"Figure: histograms of {LABELS[gate]} ({SIGNAL_WORDS[gate]}) over "
             f"{len(reading.text)} characters; " + "; ".join(said) + ".")
    return Picture(png_bytes(fig), words)


def compare_picture(prop, lstm_reading, lstm_best, rnn_reading, rnn_best, n=300):
    """The same n characters: the property, the LSTM's best unit and the RNN's best unit for it
    (UnitMatch from lstm_text.best_unit). Returns a Picture."""
    text = lstm_reading.text[:n]
    fig = _figure(4.2)
    axes = fig.subplots(3, 1, sharex=True)
    fig.subplots_adjust(left=0.09, right=0.98, top=0.93, bottom=0.12, hspace=0.45)
    t = np.arange(n)
    axes[0].step(t, property_values(text, prop), where="post", color=NEUTRAL, linewidth=1.5)
    axes[0].set_title(prop, loc="left", fontsize=10, color=TEXT)
    said = []
    for ax, reading, m, name in ((axes[1], lstm_reading, lstm_best, "LSTM"),
                                 (axes[2], rnn_reading, rnn_best, "vanilla RNN")):
        ax.plot(t, reading.signal(m.signal)[:n, m.unit],
                **{**line_style(m.signal), "marker": None})
        ax.set_title(f"{name}: {LABELS[m.signal]} of unit {m.unit}, r = {m.r:+.3f} over all "
                     f"{len(reading.text)} characters", loc="left", fontsize=10, color=TEXT)
        said.append(f"the {name}'s best unit, {LABELS[m.signal]} of unit {m.unit}, r = {m.r:+.3f}")
    for ax in axes:
        _line_breaks(ax, text)
    axes[-1].set(xlabel="character t (grey lines: line breaks)", xlim=(0, n - 1))
    words = (f"Figure: over the first {n} held-out characters, the {prop} (top), " + "; ".join(
        f"{s} ({where})" for s, where in zip(said, ("middle", "bottom"))) + ".")
    return Picture(png_bytes(fig), words)


def bracket_balance(text):
    """(balanced, total): how many of the text's complete lines (those ending in a line break)
    close every bracket they open and never close one that is not open."""
    lines = text.split("\n")[:-1]
    ok = 0
    for line in lines:
        depth = np.cumsum([(ch == "(") - (ch == ")") for ch in line], dtype=np.int64)
        ok += bool(len(depth) == 0 or (depth.min() >= 0 and depth[-1] == 0))
    return ok, len(lines)
