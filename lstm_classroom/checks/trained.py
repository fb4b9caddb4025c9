"""Checks for notebook 10, inside a trained LSTM: finding the unit that tracks a property, what
the depth counter does on a string deeper than any it was trained on, where its forget gate
wipes it, and how well the vanilla RNN tracks a quote.

Each check recomputes what it needs from the reading or the model it is given, with numpy's own
np.corrcoef for correlations, so a right answer is right by an independent route.
"""
import numpy as np

from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    cut,
    near_miss,
    read_number,
    within_decimals,
)
from lstm_text import (
    CellReading,
    CharModel,
    bracket_depth,
    heldout_text,
    in_quote,
    line_position,
    read_cells,
)

DEEP = "((((((la)))))).\n"   # six brackets deep: the training text never goes beyond four
HELD = 5000                  # the held-out characters on which the depth unit is found
NAMES = {"c": "C_t", "h": "h_t"}


def checked_reading(reading, kind="lstm"):
    """`reading` if it is the `kind` model's CellReading ('lstm', 'rnn'), else NotYet saying
    what to pass."""
    if not isinstance(reading, CellReading):
        raise NotYet(f"Pass the {kind.upper()}'s reading, read_cells(model, text); got "
                     f"{type(reading).__name__}.")
    if reading.kind != kind:
        raise NotYet(f"This is an {reading.kind.upper()}'s reading; the exercise asks about the "
                     f"{kind.upper()}'s (read_cells with the {kind} model).")
    return reading


def checked_unit(unit, H):
    """`unit` as an int from 0 to H - 1 (43 or 43.0), else NotYet saying what is expected."""
    if isinstance(unit, (float, np.floating)) and np.isfinite(unit) and float(unit).is_integer():
        unit = int(unit)
    if isinstance(unit, (bool, np.bool_)) or not isinstance(unit, (int, np.integer)) \
            or not 0 <= unit < H:
        raise NotYet(f"unit should be a whole number from 0 to {H - 1}; got {cut(unit)}.")
    return int(unit)


def unit_correlations(values, prop):
    """Pearson r of every column of values (T, H) with prop (T,), by np.corrcoef; 0 where a
    column never changes."""
    out = np.zeros(values.shape[1])
    for u in range(values.shape[1]):
        if np.ptp(values[:, u]) > 0 and np.ptp(prop) > 0:
            out[u] = np.corrcoef(values[:, u], prop)[0, 1]
    return out


def _depth_unit(reading):
    """The unit whose C_t follows the bracket depth best (largest |r|)."""
    return int(np.argmax(np.abs(unit_correlations(reading.c, bracket_depth(reading.text)))))


@check
def check_10_line_position_unit(signal, unit, reading):
    """The (signal, unit), signal 'c' or 'h', that tracks the line position best in the LSTM's
    `reading` (largest |Pearson r| with lstm_text.line_position)."""
    reading = checked_reading(reading, "lstm")
    if signal not in NAMES:
        raise NotYet(f"signal should be 'c' (the cell state C_t) or 'h' (the hidden state h_t); "
                     f"got {cut(signal)}.")
    H = reading.h.shape[1]
    unit = checked_unit(unit, H)
    pos = line_position(reading.text)
    r = {s: unit_correlations(reading.signal(s), pos) for s in NAMES}
    pairs = [(s, u) for s in NAMES for u in range(H)]
    best_s, best_u = max(pairs, key=lambda p: abs(r[p[0]][p[1]]))
    mine = r[signal][unit]
    if (signal, unit) == (best_s, best_u):
        return (f"{NAMES[signal]} of unit {unit} follows the line position with r = {mine:+.3f}, "
                f"the largest |r| of the {2 * H} (signal, unit) pairs.")
    if unit == best_u:
        raise NotYet(f"Right unit, other signal: {NAMES[signal]} of unit {unit} has r = "
                     f"{mine:+.3f}; the same unit's other signal follows the line position more "
                     f"closely. Compare both signals.")
    depth_r = unit_correlations(reading.signal(signal)[:, [unit]], bracket_depth(reading.text))[0]
    if abs(depth_r) > 0.8:
        raise NotYet(f"{NAMES[signal]} of unit {unit} tracks the bracket depth (r = "
                     f"{depth_r:+.3f}), not the line position (r = {mine:+.3f}). Rank the units "
                     f"by the 'line position' property instead.")
    better = sum(abs(r[s][u]) > abs(mine) for s in NAMES for u in range(H))
    raise NotYet(f"{NAMES[signal]} of unit {unit} has r = {mine:+.3f} with the line position; "
                 f"{better} (signal, unit) pairs do better. Hint: rank by |r|, the size of the "
                 f"correlation whatever its sign (rank_units(reading, 'line position')).")


@check
def check_10_deep_counter(answer, model):
    """C_t of the LSTM's depth unit after reading the sixth '(' of DEEP, to two decimals."""
    value = read_number(answer)
    if not isinstance(model, CharModel) or model.kind != "lstm":
        raise NotYet("Pass the trained LSTM model (lstm) as the second argument.")
    held = read_cells(model, heldout_text()[:HELD])
    unit = _depth_unit(held)
    deep = read_cells(model, DEEP)
    c, h = deep.c[:, unit], deep.h[:, unit]
    truth = c[5]
    if within_decimals(value, truth, 2):
        return (f"{value:.3f} is it, to two decimals: after six open brackets C_t of unit "
                f"{unit} is {truth:+.3f}; it goes on counting past depth 4, the deepest the "
                "training text goes.")
    depth = bracket_depth(held.text)
    level4 = float(held.c[depth == 4, unit].mean()) if np.any(depth == 4) else None
    if abs(value - c[3]) <= 0.01 or (level4 is not None and abs(value - level4) <= 0.01):
        raise NotYet(f"{value:.3f} is the depth-4 level: that is the prediction \"it stops\". "
                     f"Run the model on DEEP and read C_t after the sixth '(' (index 5): does it "
                     f"stay there?")
    if abs(value + truth) <= 0.01:
        raise NotYet(f"{value:.3f} has the wrong sign: C_t of unit {unit} falls as brackets open.")
    if abs(value - h[5]) <= 0.01:
        raise NotYet(f"{value:.3f} is h_t = o_t tanh(C_t), which always lies between -1 and 1; "
                     f"the counter is the cell state C_t (reading.c).")
    for k in (4, 6, 3, 7):
        if abs(value - c[k]) <= 0.01:
            raise NotYet(f"{value:.3f} is C_t after character {k + 1} of the string "
                         f"({DEEP[k]!r}); the sixth '(' is s[5], since Python counts from 0.")
    near_miss(value, [truth], 2, f"{value:.6g}")
    raise NotYet(f"{value:.3f} is off. Hint: run read_cells(lstm, s) and take .c at the sixth "
                 f"character (index 5) for the depth unit ({unit}).")


@check
def check_10_reset_character(answer, reading):
    """The character after which the depth unit's forget gate f_t is smallest on average, in the
    LSTM's `reading`."""
    reading = checked_reading(reading, "lstm")
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        raise NotYet("Give the character itself, in quotes, e.g. '(' - not its position in the "
                     "text.")
    if answer is None:
        raise NotYet("Replace None with your answer, one character in quotes, e.g. '('.")
    if not isinstance(answer, str) or len(answer) != 1:
        raise NotYet(f"Give one character in quotes, e.g. '(' or '\\n'; got {cut(answer)}.")
    unit = _depth_unit(reading)
    chars = np.array(list(reading.text))
    if answer not in set(reading.text):
        raise NotYet(f"{answer!r} never appears in this text; the vocabulary is "
                     f"{''.join(sorted(set(reading.text)))!r}.")
    f = reading.f[:, unit]
    mean = {ch: float(f[chars == ch].mean()) for ch in set(reading.text)}
    low = min(mean, key=mean.get)
    mine = mean[answer]
    if answer == low:
        return (f"After {answer!r} the forget gate of unit {unit} is {mine:.3f} on average: the "
                f"count is wiped at every line break, where the depth is 0 again.")
    if answer in "()":
        raise NotYet(f"After {answer!r} unit {unit}'s f_t is {mine:.3f} on average: it stays open "
                     f"to keep the count, and the bracket is written through i_t g_t. Look for "
                     f"the character with the lowest mean f_t.")
    if mine < 0.8:
        raise NotYet(f"Close: after {answer!r} the mean f_t of unit {unit} is {mine:.3f}, so the "
                     f"gate half-forgets there; one character brings it lower still.")
    raise NotYet(f"After {answer!r} the mean f_t of unit {unit} is {mine:.3f}: the gate stays "
                 f"open. Hint: average reading.f[:, {unit}] over the positions of each "
                 f"character and take the smallest.")


@check
def check_10_rnn_quote(answer, rnn_reading):
    """Pearson r of the vanilla RNN's best unit for 'inside quote' (largest |r|, sign kept), on
    `rnn_reading`, to three decimals."""
    value = read_number(answer, "r")
    if not -1 <= value <= 1:
        raise NotYet(f"{value:g} cannot be a Pearson r: r lies between -1 and 1; give it as a "
                     "fraction (e.g. 0.48, not 48).")
    reading = checked_reading(rnn_reading, "rnn")
    r = unit_correlations(reading.h, in_quote(reading.text))
    best = r[np.argmax(np.abs(r))]
    if within_decimals(value, best, 3):
        return (f"r = {best:+.3f}: the RNN's best unit for 'inside quote' follows it only "
                f"loosely.")
    if within_decimals(value, -best, 3):
        raise NotYet(f"{value:+.3f} has the wrong sign; keep the sign of r.")
    for name, prop in (("bracket depth", bracket_depth), ("line position", line_position)):
        other = unit_correlations(reading.h, prop(reading.text))
        if within_decimals(value, other[np.argmax(np.abs(other))], 3):
            raise NotYet(f"{value:+.3f} is the RNN's best r for the {name}; the exercise asks "
                         f"for 'inside quote'.")
    others = [u for u in range(len(r)) if within_decimals(value, r[u], 3)]
    if others:
        raise NotYet(f"{value:+.3f} is the r of unit {others[0]}, not the best: some unit of the "
                     "RNN follows 'inside quote' more closely. Hint: rank by |r|, "
                     "best_unit(rnn_reading, 'inside quote').")
    # r of the right unit on another stretch of text (all 20,000 held-out characters, say)
    # differs by a few hundredths
    near_miss(value, [best], 3, f"{value:+.3f}", band=0.05,
              advice="compute r on rnn_reading itself, its own text and h_t; on other text, "
                     "e.g. all 20,000 held-out characters, r differs a little.")
    if abs(value) > abs(best):
        raise NotYet(f"No unit of the RNN reaches |r| = {abs(value):.3f} with 'inside quote' on "
                     f"this text. Is it another property, or the LSTM's reading?")
    raise NotYet(f"{value:+.3f} is off. Hint: best_unit(rnn_reading, 'inside quote') finds the "
                 "unit with the largest |r|; give its r with its sign.")
