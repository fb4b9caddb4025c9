"""Checks for notebook 05, the dashboard: every weight of the seed cell at once."""
import math

import numpy as np

from lstm_classroom.checks.verdict import NotYet, check, cut, read_array, seed_cell_with
from lstm_classroom.inputs import MAX_ABS_X, MAX_T, parse_sequence
from lstm_core import SEED_WEIGHTS, seed_lstm

GATE_WEIGHTS = tuple(k for k in SEED_WEIGHTS if k not in ("W_y", "b_y"))   # the twelve
BIASES = ("b_f", "b_i", "b_c", "b_o")
LONGEST_TEXT = 1000   # characters: MAX_T numbers fit in far fewer; more is a paste


def read_sequence(sequence):
    """A sequence typed as text ('1, 2, 3') or given as numbers, as a (T,) float array; raises
    NotYet saying what was expected."""
    if sequence is None:
        raise NotYet("Replace None with your sequence, e.g. '1, 2, 3'.")
    if isinstance(sequence, str):
        if len(sequence) > LONGEST_TEXT:
            raise NotYet(f"Could not read the sequence: that is {len(sequence):,} characters; "
                         f"type at most {MAX_T} numbers, e.g. 1, 2, 3.")
        for piece in sequence.replace(",", " ").replace(";", " ").split():
            try:
                finite = math.isfinite(float(piece))
            except ValueError:
                continue
            if not finite:
                raise NotYet(f"Could not read the sequence: {cut(piece)} is not a number the "
                             f"cell can read; type numbers between {-MAX_ABS_X} and {MAX_ABS_X}, "
                             "e.g. 1, 2, 3.")
        try:
            return parse_sequence(sequence)
        except ValueError as err:
            said = str(err) if len(str(err)) <= 200 else str(err)[:197] + "..."
            raise NotYet(f"Could not read the sequence: {said[:1].lower()}{said[1:]}") from None
    xs = read_array(sequence, "the sequence", largest=MAX_ABS_X)
    if xs.ndim != 1 or not 1 <= xs.size <= MAX_T:
        raise NotYet(f"Give the sequence as text, e.g. '1, 2, 3', or as a list of 1 to {MAX_T} "
                     "numbers.")
    return xs


def prediction(cell, xs):
    """What `cell` predicts after reading the sequence xs (T,): y = W_y h_T + b_y."""
    return float(cell.predict(cell.run(xs).h[-1]))


@check
def check_05_negative_prediction(sequence):
    """A sequence after which the seed cell predicts a negative next value."""
    cell = seed_lstm()
    trace = cell.run(read_sequence(sequence))
    y, c_T = float(cell.predict(trace.h[-1])), float(np.ravel(trace.c[-1])[0])
    if y <= -0.0005:
        return f"The seed cell predicts {y:.3f} after it."
    if y < 0:
        return (f"The seed cell predicts {y:.1e} after it: negative, though so small that it "
                "shows as -0.000 at three decimals.")
    if y == 0:
        raise NotYet("The seed cell predicts exactly 0 after it, not a negative value. Hint: the "
                     "prediction is 4 h_T, and h_T = o_T tanh(C_T): C_T must be negative, and "
                     "o_T not 0.")
    shown = f"{y:.3f}" if y >= 0.0005 else f"{y:.1e}"
    if c_T <= 0:
        raise NotYet(f"The seed cell predicts {shown} after it. Hint: the prediction is 4 h_T, "
                     f"and h_T = o_T tanh(C_T); C_T = {c_T:.3f} is already negative or 0, so look "
                     "at the gates: o_T near 0 hides C_T. Try other negative numbers, e.g. -1, "
                     "-2, -3.")
    raise NotYet(f"The seed cell predicts {shown} after it. Hint: the prediction is 4 h_T, and "
                 f"h_T = o_T tanh(C_T); C_T = {c_T:.3f} here: what sign must it have?")


@check
def check_05_predict_four_with_gates(**weights):
    """After 1, 2, 3 the cell predicts 4 (within 0.05) with the read-out fixed at the seed's
    W_y = 4, b_y = 0: only the twelve gate weights may move."""
    cell = seed_cell_with(weights, GATE_WEIGHTS)
    h3 = float(cell.run([1, 2, 3]).h[-1])
    y = prediction(cell, [1, 2, 3])
    if abs(y - 4) <= 0.05:
        return f"The cell says {y:.3f}: h_3 = {h3:.3f}, as close to 1 as it must be."
    raise NotYet(f"The cell says {y:.3f} (h_3 = {h3:.3f}). Hint: 4 h_3 = 4 needs h_3 = o_3 "
                 "tanh(C_3) close to 1: both factors must be near 1, and tanh(C) is near 1 only "
                 "when C is large; which gates make C_3 large?")


@check
def check_05_strongest_bias(answer):
    """Which bias, moved from 0 to +2 alone, changes the prediction after 1, 2, 3 the most?"""
    if isinstance(answer, str):
        answer = answer.strip().lower()
    if not isinstance(answer, str) or answer not in BIASES:
        raise NotYet(f"Answer with one of {', '.join(map(repr, BIASES))}.")
    base = prediction(seed_lstm(), [1, 2, 3])
    change = {b: abs(prediction(seed_lstm(**{b: 2.0}), [1, 2, 3]) - base) for b in BIASES}
    if answer == max(change, key=change.get):
        return (f"{answer} = 2 moves the prediction by {change[answer]:.3f}, more than any other "
                "bias: it acts last, directly on h_3.")
    raise NotYet(f"{answer} = 2 moves the prediction by {change[answer]:.3f}; another bias moves "
                 "it more. Try each on the dashboard (reset between tries).")
