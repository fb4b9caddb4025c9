"""Notebook 12's reader and figures: the cells of a character model trained on Python source.

    CodeReader         notebook 10's CellReader (a unit picker and a signal picker over the
                       coloured text), describing each unit by its r with the properties of code
    code_unit_words    what one unit's signal does, with its r with every property of code
    best_units         per property, the (signal, unit) that follows it best
    code_ranking_table the units that track one property of code best, as a small text table
    comparison_table   the LSTM's best unit against the RNN's, property by property
    switches           where a 0/1 property turns on (a string opens) or off (it closes)
    gates_at_switch    one unit's mean f_t, i_t, g_t and C_t where a property turns on, off, and
                       while it stays on or off
    switch_picture     one unit's C_t, f_t and i_t around a moment, the characters along the axis
    r_picture          |r| of the LSTM's and the RNN's best unit for each property, as bars
    log_picture        the shipped training logs, the loss against the step

Every number comes from lstm_text.read_cells (a CellReading) and lstm_text.CODE_PROPERTIES.
"""
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lstm_classroom.figures import Picture
from lstm_classroom.live import png_bytes
from lstm_classroom.style import GRID, LABELS, NEUTRAL, TEXT, color, line_style
from lstm_classroom.text_panels import (
    WIDTH,
    CellReader,
    check_pick,
    coloured_text,
    unit_words,
)
from lstm_text import (
    CODE_PROPERTIES,
    LOG_EVERY,
    CellReading,
    code_property,
    rank_units,
)

__all__ = ["CodeReader", "code_unit_words", "best_units", "code_ranking_table",
           "comparison_table", "switches", "gates_at_switch", "switch_picture", "r_picture",
           "log_picture", "coloured_text"]


def _check_reading(reading):
    if not isinstance(reading, CellReading):
        raise TypeError(f"reading must be a CellReading from lstm_text.read_cells(model, text); "
                        f"got {type(reading).__name__}")
    return reading


def _check_lstm(reading):
    if _check_reading(reading).kind != "lstm":
        raise ValueError(f"this needs an LSTM's reading (its gates f_t and i_t); got an "
                         f"{reading.kind.upper()} reading, which has only h_t")
    return reading


def _check_name(name):
    if name not in CODE_PROPERTIES:
        raise ValueError(f"unknown property {name!r}; the properties of code are "
                         f"{', '.join(map(repr, CODE_PROPERTIES))}")
    return name


def code_unit_words(reading, unit, signal="c", properties=tuple(CODE_PROPERTIES)):
    """One sentence: the range of one unit's signal over the text and its Pearson r with each
    property of code, e.g. 'C_t of unit 4 over 400 characters runs from -3.40 to +1.10; its
    Pearson r with inside string +0.93, ...'."""
    return unit_words(reading, unit, signal, properties, digits=2,
                      property_of=lambda text, p: code_property(text, _check_name(p)))


class CodeReader(CellReader):
    """Notebook 10's CellReader over a reading of Python source: pick a unit and a signal, the
    text is coloured by it, and the line above gives its r with every property of code."""

    def update(self):
        """Recolour the text from the pickers' values (called on every change)."""
        self.words.value = code_unit_words(self.reading, self.unit, self.signal)
        self.view.value = coloured_text(self.reading, self.unit, self.signal)


def best_units(reading, properties=tuple(CODE_PROPERTIES), signals=("c", "h")):
    """{property name: UnitMatch}: per property of code, the (signal, unit) with the largest |r|."""
    _check_reading(reading)
    return {p: rank_units(reading, code_property(reading.text, _check_name(p)), signals)[0]
            for p in properties}


def code_ranking_table(reading, name, top=5, signals=("c", "h")):
    """The `top` (signal, unit) pairs whose signal tracks property `name` best (|r|), as text."""
    ranked = rank_units(_check_reading(reading), code_property(reading.text, _check_name(name)),
                        signals)
    lines = [f"{name}: the {top} best of {len(ranked)} (signal, unit) pairs",
             "  rank  signal  unit      r"]
    for k, m in enumerate(ranked[:top], 1):
        lines.append(f"  {k:4d}  {LABELS[m.signal]:>6}  {m.unit:4d}  {m.r:+.2f}")
    return "\n".join(lines)


def comparison_table(lstm_best, rnn_best, threshold=0.8):
    """Property by property, the LSTM's and the RNN's best unit and r (dicts from best_units),
    and whether |r| reaches `threshold`; as text."""
    lines = [f"{'property':<18}{'LSTM best':>12}{'r':>7}   {'RNN best':>10}{'r':>7}"]
    for p in lstm_best:
        a, b = lstm_best[p], rnn_best[p]
        lines.append(f"{p:<18}{LABELS[a.signal] + f'[{a.unit}]':>12}{a.r:+7.2f}"
                     f"{'*' if abs(a.r) >= threshold else ' '}  "
                     f"{LABELS[b.signal] + f'[{b.unit}]':>10}{b.r:+7.2f}"
                     f"{'*' if abs(b.r) >= threshold else ' '}")
    lines.append(f"(* |r| >= {threshold})")
    return "\n".join(lines)


def switches(text, name, direction="on"):
    """The positions t where the 0/1 property `name` ('inside string' or 'inside comment') turns
    on (0 before t, 1 at t: the opening quote or '#') or off (1 before, 0 at t): an int array."""
    if direction not in ("on", "off"):
        raise ValueError(f"direction must be 'on' or 'off'; got {direction!r}")
    p = code_property(text, _check_name(name))
    if not np.isin(p, (0, 1)).all():
        raise ValueError(f"{name!r} is not a 0/1 property; switches needs 'inside string' or "
                         f"'inside comment'")
    before = np.concatenate([[0.0], p[:-1]])
    return np.flatnonzero((before == 0) & (p == 1) if direction == "on" else
                          (before == 1) & (p == 0))


def gates_at_switch(reading, unit, name):
    """One LSTM unit's mean f_t, i_t, g_t and C_t at four kinds of character for a 0/1 property:
    where it turns on, where it turns off, and the others inside and outside. A dict
    {kind: {"n": count, "f": mean, "i": ..., "g": ..., "c": ...}}."""
    unit, _ = check_pick(_check_lstm(reading), unit, "c")
    p = code_property(reading.text, _check_name(name))
    on, off = switches(reading.text, name, "on"), switches(reading.text, name, "off")
    kinds = {"turns on": np.isin(np.arange(len(p)), on),
             "turns off": np.isin(np.arange(len(p)), off)}
    kinds["stays on"] = (p == 1) & ~kinds["turns on"]
    kinds["stays off"] = (p == 0) & ~kinds["turns off"]
    return {k: {"n": int(at.sum()),
                **{s: float(reading.signal(s)[at, unit].mean()) if at.any() else float("nan")
                   for s in ("f", "i", "g", "c")}}
            for k, at in kinds.items()}


def _figure(height):
    fig = Figure(figsize=(WIDTH, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def switch_picture(reading, unit, t0, before=6, after=14, name="inside string"):
    """One LSTM unit around character t0: top, its C_t and the property `name`; bottom, its
    forget gate f_t and input gate i_t; the characters along the x axis. Returns a Picture."""
    unit, _ = check_pick(_check_lstm(reading), unit, "c")
    T = len(reading.text)
    if isinstance(t0, (bool, np.bool_)) or not isinstance(t0, (int, np.integer)) \
            or not 0 <= t0 < T:
        raise ValueError(f"t0 must be a character position from 0 to {T - 1}; got {t0!r}")
    lo, hi = max(0, int(t0) - before), min(T, int(t0) + after + 1)
    t = np.arange(lo, hi)
    chars = ["↵" if ch == "\n" else ("␣" if ch == " " else ch) for ch in reading.text[lo:hi]]
    prop = code_property(reading.text, _check_name(name))[lo:hi]
    c, f, i = (reading.signal(s)[lo:hi, unit] for s in ("c", "f", "i"))
    fig = _figure(4.4)
    top, bottom = fig.subplots(2, 1, sharex=True)
    fig.subplots_adjust(left=0.09, right=0.98, top=0.92, bottom=0.1, hspace=0.3)
    top.plot(t, c, **{**line_style("c"), "label": f"$C_t$ of unit {unit}"})
    top.step(t, prop, where="mid", color=NEUTRAL, linewidth=1.5, label=name)
    top.axhline(0, color=GRID, linewidth=0.8, zorder=0)
    top.legend(loc="upper left", frameon=False, fontsize=9, ncol=2)
    top.set_title(f"unit {unit} around character {t0}", loc="left", fontsize=10, color=TEXT)
    for s, v in (("f", f), ("i", i)):
        bottom.plot(t, v, **{**line_style(s), "label": f"${LABELS[s][0]}_t$ of unit {unit}"})
    bottom.set(ylim=(-0.05, 1.05), xlim=(lo - 0.5, hi - 0.5))
    bottom.legend(loc="center left", frameon=False, fontsize=9)
    for ax in (top, bottom):
        ax.axvline(t0, color=GRID, linewidth=4, zorder=0)
    bottom.set_xticks(t, chars, fontfamily="monospace", fontsize=9)
    k = int(t0) - lo
    prev = f"{c[k - 1]:+.2f}" if k > 0 else "0 (the start)"
    f_rest, i_rest = np.delete(f, k), np.delete(i, k)
    words = (f"Figure: unit {unit} over characters {lo} to {hi - 1} of the text "
             f"({reading.text[lo:hi]!r}), the grey band at character {t0} ({reading.text[t0]!r}). "
             f"Top: C_t and the property {name!r}; C_t goes from {prev} before it to "
             f"{c[k]:+.2f} after it. Bottom: the forget gate f_t is {f[k]:.2f} and the input "
             f"gate i_t {i[k]:.2f} there; elsewhere in the window f_t runs from "
             f"{f_rest.min():.2f} to {f_rest.max():.2f} and i_t from {i_rest.min():.2f} to "
             f"{i_rest.max():.2f}.")
    return Picture(png_bytes(fig), words)


def r_picture(lstm_best, rnn_best, threshold=0.8):
    """Horizontal bars: |r| of the LSTM's (cell-state colour) and the RNN's (hidden-state colour,
    hatched) best unit for each property, with the threshold as a dashed line. Returns a
    Picture."""
    names = list(lstm_best)
    fig = _figure(0.6 + 0.55 * len(names))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.2, right=0.97, top=0.85, bottom=0.12 + 0.2 / len(names))
    y = np.arange(len(names))[::-1]
    a = [abs(lstm_best[p].r) for p in names]
    b = [abs(rnn_best[p].r) for p in names]
    ax.barh(y + 0.2, a, height=0.38, color=color("c"), label="LSTM")
    ax.barh(y - 0.2, b, height=0.38, color="white", edgecolor=color("h"), hatch="///",
            label="vanilla RNN")
    ax.axvline(threshold, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.set_yticks(y, names)
    ax.set(xlim=(0, 1), xlabel="|r| of the best unit on held-out text")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=2, frameon=False, fontsize=9)
    words = ("Figure: bars of |r|, the best unit's correlation with each property on held-out "
             "text, for the LSTM (solid) and the vanilla RNN (hatched), dashed line at "
             f"{threshold}: " + "; ".join(f"{p} LSTM {x:.2f}, RNN {z:.2f}"
                                          for p, x, z in zip(names, a, b)) + ".")
    return Picture(png_bytes(fig), words)


def log_picture(models, every=None):
    """The shipped training logs (model.info['loss_log'], the mean loss of every 100 steps) of
    several models, {name: CharModel}, as lines in the colour of each model's state (C_t for an
    LSTM, h_t for an RNN). Returns a Picture."""
    every = every or LOG_EVERY
    fig = _figure(3.0)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.17)
    said = []
    for name, m in models.items():
        log = np.asarray(m.info["loss_log"], np.float64)
        steps = (np.arange(len(log)) + 1) * every
        s = "c" if m.kind == "lstm" else "h"
        ax.plot(steps, log, **{**line_style(s), "marker": None, "label": name})
        said.append(f"{name} from {log[0]:.2f} (mean of the first {every} steps) to "
                    f"{log[-1]:.2f} (the last {every})")
    ax.set(xlabel="training step", ylabel="cross-entropy (nats/char)", xlim=(0, steps[-1]))
    ax.legend(loc="upper right", frameon=False, fontsize=9)
    ax.set_title(f"training loss, mean of every {every} steps", loc="left", fontsize=10,
                 color=TEXT)
    words = "Figure: the training loss of each model over its steps: " + "; ".join(said) + "."
    return Picture(png_bytes(fig), words)
