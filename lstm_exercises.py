"""Check functions for the notebooks' exercises: each answers right or wrong, with a hint.

A check returns a `Verdict`: it shows as one line in the notebook and is truthy when right,
so the tests can assert on it. The answers are not written here, only what makes one right.
"""
from lstm_core import seed_lstm


class Verdict:
    """The answer to an exercise: `ok` is True when right; the text says why, or gives a hint."""

    def __init__(self, ok, text):
        self.ok, self.text = bool(ok), text

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Right! " if self.ok else "Not yet. ") + self.text


def _number(answer, name="answer"):
    """answer as a float, or a Verdict explaining what was expected."""
    if answer is None:
        return Verdict(False, f"Replace None with your {name}, one number.")
    try:
        return float(answer)
    except (TypeError, ValueError):
        return Verdict(False, f"{name} should be one number, e.g. 0.5; got {answer!r}.")


def _close(answer, truth, tol, hint):
    value = _number(answer)
    if isinstance(value, Verdict):
        return value
    if abs(value - truth) <= tol:
        return Verdict(True, f"{value:.3f} is it (to within {tol}).")
    return Verdict(False, f"{value:.3f} is off. Hint: {hint}")


# ---- 00 the seed walkthrough ----------------------------------------------------------------

def check_00_forget_gate_step_2(answer):
    """f_2 of the seed cell on [1, 2, 3], computed by hand to 3 decimals."""
    f2 = seed_lstm().run([1, 2, 3]).f[1]
    return _close(answer, f2, 0.0015, "f_2 = sigma(W_f * x_2 + W_hf * h_1 + b_f) with x_2 = 2 and h_1 "
                  "from step 1; then sigma(z) = 1 / (1 + e^-z).")


def check_00_cell_state_step_3(answer):
    """C_3 of the seed cell, from the rounded table values f_3, C_2, i_3, g_3."""
    c3 = seed_lstm().run([1, 2, 3]).c[2]
    return _close(answer, c3, 0.005, "C_3 = f_3 * C_2 + i_3 * g_3: what the forget gate keeps of the "
                  "old cell state plus what the input gate writes of the candidate.")


def check_00_prediction_after_four(answer):
    """The seed cell's prediction y after reading [1, 2, 3, 4]."""
    cell = seed_lstm()
    y = cell.predict(cell.run([1, 2, 3, 4]).h[-1])
    return _close(answer, y, 0.0005, "run the cell on [1, 2, 3, 4] and apply cell.predict to the last "
                  "hidden state h_4.")


# ---- 01-05 the gates, one by one, then all at once (helper A) ---------------------------------
# The weight exercises take the weights as keywords, so both check(b_f=3.0) and, after moving a
# panel's sliders, check(**panel.weights) work. Weights an exercise does not ask for must stay
# at the seed's values; their names are the seed's (W_f, W_hf, b_f, ...).
import numpy as np  # noqa: E402

from lstm_core import SEED_WEIGHTS  # noqa: E402

RAMP = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]                # the panels' default input: ramp, T = 6
PULSE = [0.0, 1.0] + [0.0] * 10                      # the single pulse at t = 2, T = 12


def _cell(given, allowed):
    """seed_lstm with the learner's weights, or a Verdict saying what is wrong with them."""
    unknown = sorted(set(given) - set(SEED_WEIGHTS))
    if unknown:
        return Verdict(False, f"Unknown weight name(s) {unknown}; the names are "
                              f"{', '.join(SEED_WEIGHTS)}.")
    if not given:
        return Verdict(False, f"Give your weights by name, e.g. {allowed[0]}=1.0 "
                              f"(this exercise moves {', '.join(allowed)}).")
    values = {}
    for k, v in given.items():
        v = _number(v, k)
        if isinstance(v, Verdict):
            return v
        if not -1e3 <= v <= 1e3:
            return Verdict(False, f"{k} = {v:g} is far outside any slider; try values within +-10.")
        values[k] = v
    moved = sorted(k for k, v in values.items() if k not in allowed and abs(v - SEED_WEIGHTS[k]) > 1e-6)
    if moved:
        return Verdict(False, f"This exercise moves only {', '.join(allowed)}; put {', '.join(moved)} "
                              f"back to the seed's value (the panel's reset button does it).")
    return seed_lstm(**values)


def _steps(mask):
    """'t = 1, 4' for the steps where mask is True."""
    return ", ".join(str(t + 1) for t in np.flatnonzero(mask))


def check_01_forget_gate_step_1(answer):
    """f_1 on the ramp with b_f = 2 and the seed's other weights, by hand (3 decimals)."""
    f1 = seed_lstm(b_f=2.0).run(RAMP).f[0]
    return _close(answer, f1, 0.0015, "at t = 1, h_0 = 0, so z_f = W_f * x_1 + b_f; then "
                  "f_1 = sigma(z_f) = 1 / (1 + e^-z_f).")


def check_01_forget_gate_open(**weights):
    """f_t > 0.95 at every step of the ramp 1..6, moving only W_f, W_hf, b_f."""
    cell = _cell(weights, ("W_f", "W_hf", "b_f"))
    if isinstance(cell, Verdict):
        return cell
    f = cell.run(RAMP).f
    if np.all(f > 0.95):
        return Verdict(True, f"f_t stays above 0.95 (lowest {f.min():.3f}): the cell keeps "
                             "almost all of C_{t-1} at every step.")
    return Verdict(False, f"f_t <= 0.95 at t = {_steps(f <= 0.95)} (lowest {f.min():.3f}). Hint: "
                          "x_1 = 1 is the smallest input, so the first step is the hardest; which of "
                          "the three numbers lifts z_f by the same amount at every step?")


def check_01_forget_the_pulse(**weights):
    """Pulse input (1 at t = 2, T = 12): C_t < 0.01 from t = 4 on, moving only W_f, W_hf, b_f."""
    cell = _cell(weights, ("W_f", "W_hf", "b_f"))
    if isinstance(cell, Verdict):
        return cell
    c = cell.run(PULSE).c
    if np.all(np.abs(c[3:]) < 0.01):
        return Verdict(True, f"Two steps after the pulse C_t is down to {abs(c[3]):.4f}: "
                             "the forget gate wiped the memory.")
    late = np.abs(c) >= 0.01
    late[:3] = False
    return Verdict(False, f"|C_t| >= 0.01 at t = {_steps(late)} (C_4 = {c[3]:.3f}). Hint: after the pulse x_t = 0, so only W_hf h_{{t-1}} "
                          "and b_f are left in z_f; C_t shrinks by the factor f_t at every step.")


def check_02_written_step_1(answer):
    """What is written at t = 1, i_1 g_1, on the ramp with b_i = -1 (the rest the seed's)."""
    tr = seed_lstm(b_i=-1.0).run(RAMP)
    return _close(answer, tr.i[0] * tr.g[0], 0.0015, "at t = 1, h_0 = 0: i_1 = sigma(W_i * 1 + b_i) "
                  "and g_1 = tanh(W_c * 1 + b_c); multiply them.")


def check_02_input_gate_shut(**weights):
    """i_t < 0.05 at every step of the ramp 1..6, moving only W_i, W_hi, b_i."""
    cell = _cell(weights, ("W_i", "W_hi", "b_i"))
    if isinstance(cell, Verdict):
        return cell
    i = cell.run(RAMP).i
    if np.all(i < 0.05):
        return Verdict(True, f"i_t stays below 0.05 (highest {i.max():.3f}): almost nothing is "
                             "written into the cell.")
    return Verdict(False, f"i_t >= 0.05 at t = {_steps(i >= 0.05)} (highest {i.max():.3f}). Hint: "
                          "a negative bias alone loses against a growing input: look at the last "
                          "step, x_6 = 6, and at what W_i does to it.")


def check_02_negative_candidate(**weights):
    """g_t < 0 at every step of the ramp 1..6, moving only W_c, W_hc, b_c."""
    cell = _cell(weights, ("W_c", "W_hc", "b_c"))
    if isinstance(cell, Verdict):
        return cell
    g = cell.run(RAMP).g
    if np.all(g < 0):
        return Verdict(True, f"g_t < 0 at every step (highest {g.max():.3f}): whatever is written "
                             "now pulls C_t down.")
    return Verdict(False, f"g_t >= 0 at t = {_steps(g >= 0)}. Hint: tanh keeps the sign of "
                          "W_c x_t + W_hc h_{t-1} + b_c; with x_t up to 6, which term decides it?")


def check_03_cell_state_step_2(answer):
    """C_2 of the seed cell from the rounded f_2, C_1, i_2, g_2 of its printout."""
    c2 = seed_lstm().run(RAMP).c[1]
    return _close(answer, c2, 0.005, "C_2 = f_2 * C_1 + i_2 * g_2: kept plus written.")


def check_03_conveyor_belt(**weights):
    """Pulse input: C_2 >= 0.25 and C_t within 5 % of C_2 for t = 2..12, moving only the forget
    and input gates' weights."""
    cell = _cell(weights, ("W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i"))
    if isinstance(cell, Verdict):
        return cell
    c = cell.run(PULSE).c
    if c[1] < 0.25:
        return Verdict(False, f"C_2 = {c[1]:.3f}: the pulse is hardly written (it needs C_2 >= 0.25). "
                              "Hint: at t = 2 the input gate must be open.")
    drift = np.abs(c[1:] - c[1]) / c[1]
    if np.all(drift <= 0.05):
        return Verdict(True, f"C_2 = {c[1]:.3f} and C_12 = {c[-1]:.3f}: written once, then carried "
                             "along unchanged, like a box on a conveyor belt.")
    worst = int(np.argmax(drift)) + 2
    return Verdict(False, f"C_{worst} = {c[worst - 1]:.3f} is {100 * drift[worst - 2]:.0f} % away from "
                          f"C_2 = {c[1]:.3f}. Hint: two things change C_t after the pulse: what the "
                          "forget gate drops, and what the input gate still writes while x_t = 0.")


def check_03_no_memory(**weights):
    """Ramp 1..6: kept part f_t C_{t-1} < 0.01 at every step and C_t > 0.5 from t = 2 on,
    moving only the forget and input gates' weights."""
    cell = _cell(weights, ("W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i"))
    if isinstance(cell, Verdict):
        return cell
    tr = cell.run(RAMP)
    kept = tr.f * np.concatenate([[0.0], tr.c[:-1]])
    if np.any(kept >= 0.01):
        return Verdict(False, f"f_t C_{{t-1}} >= 0.01 at t = {_steps(kept >= 0.01)}: the cell still "
                              "remembers. Hint: which gate decides how much of C_{t-1} survives?")
    if np.any(tr.c[1:] <= 0.5):
        low = tr.c <= 0.5
        low[0] = False
        return Verdict(False, f"Nothing is kept, but C_t <= 0.5 at t = {_steps(low)}: the cell "
                              "also stopped writing. Hint: keep the input gate open.")
    return Verdict(True, "C_t = i_t g_t at every step: a cell without memory, it only holds the "
                         "newest write.")


def check_04_hidden_state_step_1(answer):
    """h_1 on the ramp with b_o = -1 (the rest the seed's), by hand."""
    h1 = seed_lstm(b_o=-1.0).run(RAMP).h[0]
    return _close(answer, h1, 0.0015, "h_1 = o_1 * tanh(C_1); C_1 = 0.390 does not depend on b_o, "
                  "and o_1 = sigma(W_o * 1 + b_o) since h_0 = 0.")


def check_04_hide_the_memory(**weights):
    """|h_t| < 0.05 at every step of the ramp 1..6, moving only W_o, W_ho, b_o."""
    cell = _cell(weights, ("W_o", "W_ho", "b_o"))
    if isinstance(cell, Verdict):
        return cell
    tr = cell.run(RAMP)
    if np.all(np.abs(tr.h) < 0.05):
        return Verdict(True, f"|h_t| < 0.05 while C_6 = {tr.c[-1]:.2f}: the memory is there, the output "
                             "gate just does not show it.")
    return Verdict(False, f"|h_t| >= 0.05 at t = {_steps(np.abs(tr.h) >= 0.05)} (h_6 = {tr.h[-1]:.3f})."
                          " Hint: tanh(C_t) is close to 1 here, so o_t alone has to be small; the "
                          "last step, with x_6 = 6, is the hardest.")


def check_04_predict_four(**weights):
    """After 1, 2, 3 the cell predicts 4 (within 0.01), moving only the read-out W_y, b_y."""
    cell = _cell(weights, ("W_y", "b_y"))
    if isinstance(cell, Verdict):
        return cell
    y = float(cell.predict(cell.run([1, 2, 3]).h[-1]))
    if abs(y - 4) <= 0.01:
        return Verdict(True, f"The cell now says {y:.3f} after 1, 2, 3. (Try 1, 2, 3, 4: does it say 5?)")
    return Verdict(False, f"The cell says {y:.3f} after 1, 2, 3, not 4. Hint: y = W_y h_3 + b_y with "
                          "h_3 = 0.871 from the seed's printout; either number can close the gap.")


def check_05_negative_prediction(sequence):
    """A sequence after which the seed cell predicts a negative next value."""
    from lstm_viz import parse_sequence
    try:
        xs = parse_sequence(sequence) if isinstance(sequence, str) else np.asarray(sequence, float)
    except (ValueError, TypeError) as err:
        return Verdict(False, f"Could not read the sequence: {err}")
    if xs.ndim != 1 or xs.size == 0:
        return Verdict(False, "Give the sequence as text, e.g. '1, 2, 3', or as a list of numbers.")
    cell = seed_lstm()
    y = float(cell.predict(cell.run(xs).h[-1]))
    if y < 0:
        return Verdict(True, f"The seed cell predicts {y:.3f} after it.")
    return Verdict(False, f"The seed cell predicts {y:.3f} after it. Hint: the prediction is "
                          "4 h_T, and h_T = o_T tanh(C_T); what sign must C_T have?")


def check_05_predict_four_with_gates(**weights):
    """After 1, 2, 3 the cell predicts 4 (within 0.05) with the read-out fixed at the seed's
    W_y = 4, b_y = 0: only the twelve gate weights may move."""
    cell = _cell(weights, tuple(k for k in SEED_WEIGHTS if k not in ("W_y", "b_y")))
    if isinstance(cell, Verdict):
        return cell
    tr = cell.run([1, 2, 3])
    y = float(cell.predict(tr.h[-1]))
    if abs(y - 4) <= 0.05:
        return Verdict(True, f"The cell says {y:.3f}: h_3 = {tr.h[-1]:.3f}, as close to 1 as it must be.")
    return Verdict(False, f"The cell says {y:.3f} (h_3 = {tr.h[-1]:.3f}). Hint: 4 h_3 = 4 needs "
                          "h_3 = o_3 tanh(C_3) close to 1: both factors must be near 1, and tanh(C) "
                          "is near 1 only when C is large; which gates make C_3 large?")


def check_05_strongest_bias(answer):
    """Which bias, moved from 0 to +2 alone, changes the prediction after 1, 2, 3 the most?"""
    names = ("b_f", "b_i", "b_c", "b_o")
    if answer not in names:
        return Verdict(False, f"Answer with one of {', '.join(map(repr, names))}.")
    cell = seed_lstm()
    base = cell.predict(cell.run([1, 2, 3]).h[-1])
    change = {}
    for b in names:
        c = seed_lstm(**{b: 2.0})
        change[b] = abs(float(c.predict(c.run([1, 2, 3]).h[-1]) - base))
    if answer == max(change, key=change.get):
        return Verdict(True, f"{answer} = 2 moves the prediction by {change[answer]:.3f}, more than "
                             "any other bias: it acts last, directly on h_3.")
    return Verdict(False, f"{answer} = 2 moves the prediction by {change[answer]:.3f}; another bias "
                          "moves it more. Try each on the dashboard (reset between tries).")


# ---- 06 batches and frameworks (helper C) -----------------------------------------------------
# Shapes are compared as tuples; arrays are checked through lstm_core (a right layout gives the
# same outputs), so any correct way of writing an answer is accepted.
from pathlib import Path  # noqa: E402

from lstm_core import LSTMCell  # noqa: E402

TORCH_REFERENCE = Path(__file__).resolve().parent / "tests" / "data" / "torch_reference.npz"


def _tuple(value):
    """value as a tuple of ints (a shape), or None when it is not one."""
    try:
        return tuple(int(n) for n in value)
    except (TypeError, ValueError):
        return None


def _array06(value, name):
    """value as a float array, or a Verdict saying what was expected."""
    if value is None:
        return Verdict(False, f"Replace None with your {name}.")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return Verdict(False, f"{name} should be an array of numbers; got {type(value).__name__}.")


def check_06_forget_rows(rows):
    """The rows of weight_ih (4H, D) that belong to the forget gate when H = 5."""
    if rows is None:
        return Verdict(False, "Replace None with the rows, as a slice like slice(0, 5) or a list.")
    try:
        picked = np.arange(20)[rows].ravel().tolist()
    except (IndexError, TypeError, ValueError):
        return Verdict(False, f"Give the rows as a slice, e.g. slice(0, 5), or a list of row "
                              f"numbers between 0 and 19; got {rows!r}.")
    if picked == list(range(5, 10)):
        return Verdict(True, "Rows 5 to 9: the second block of H = 5 rows, since the order is i, f, g, o.")
    return Verdict(False, "Those are not the forget gate's rows. Hint: the four blocks come in the "
                          "order i, f, g, o, each H = 5 rows long; where does the second one start?")


def check_06_stacked_shapes(weight_ih, weight_hh, bias):
    """The shapes of the stacked weights of an LSTM with D = 16 inputs and H = 64 units."""
    D, H = 16, 64
    got = {"weight_ih": _tuple(weight_ih), "weight_hh": _tuple(weight_hh), "bias": _tuple(bias)}
    bad = [k for k, v in got.items() if v is None]
    if bad:
        return Verdict(False, f"Give each shape as a tuple of numbers, e.g. (3, 2); a one-number "
                              f"shape is written (n,) with a comma. Not a shape: {', '.join(bad)}.")
    want = {"weight_ih": (4 * H, D), "weight_hh": (4 * H, H), "bias": (4 * H,)}
    wrong = [k for k in want if got[k] != want[k]]
    if not wrong:
        return Verdict(True, "All three: one row per gate unit (4H rows), one column per number "
                             "the row multiplies (D for x_t, H for h_{t-1}).")
    return Verdict(False, f"Check {', '.join(wrong)}. Hint: every stacked array has one row "
                          "for each unit of each of the four gates; weight_ih multiplies x_t (D "
                          "numbers), weight_hh multiplies h_{t-1} (H numbers).")


def check_06_batch(batch, seqs):
    """`seqs`, a list of N sequences of shape (T, D), stacked into the (T, N, D) batch lstm_core takes."""
    x = _array06(batch, "batch")
    if isinstance(x, Verdict):
        return x
    seqs = [np.asarray(s, dtype=float) for s in seqs]
    T, D, N = seqs[0].shape[0], seqs[0].shape[1], len(seqs)
    if x.shape == (N, T, D):
        return Verdict(False, f"Shape {x.shape} is (N, T, D), batch first. lstm_core (and PyTorch "
                              "by default) wants time first; which axis of np.stack puts the "
                              "sequences second?")
    if x.shape != (T, N, D):
        return Verdict(False, f"Shape {x.shape} is not (T, N, D) = {(T, N, D)}.")
    if all(np.array_equal(x[:, n], s) for n, s in enumerate(seqs)):
        return Verdict(True, "batch[:, n] is sequence n, and batch[t] holds step t of every sequence.")
    return Verdict(False, "The shape is right but batch[:, n] is not sequence n. Hint: reshape "
                          "never moves numbers between axes; stacking does.")


def check_06_time_major(x, x_batch_first):
    """A batch-first (N, T, D) array, as Keras and batch_first=True take it, turned into (T, N, D)."""
    got = _array06(x, "x")
    if isinstance(got, Verdict):
        return got
    src = np.asarray(x_batch_first, dtype=float)
    N, T, D = src.shape
    if got.shape != (T, N, D):
        return Verdict(False, f"Shape {got.shape}; lstm_core wants (T, N, D) = {(T, N, D)}.")
    if np.array_equal(got, src.transpose(1, 0, 2)):
        return Verdict(True, "x[t, n] is step t of sequence n: the same numbers, time first.")
    return Verdict(False, "The shape is right, the order is not: x[t, n] must be step t of sequence n. "
                          "Hint: reshape keeps the order in memory and mixes sequences; swap the "
                          "first two axes instead.")


def check_06_keras_to_torch(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, keras):
    """PyTorch's four arrays for the cell whose Keras arrays are keras = dict(kernel=...,
    recurrent_kernel=..., bias=...); right when both cells give the same outputs."""
    answer = dict(weight_ih_l0=weight_ih_l0, weight_hh_l0=weight_hh_l0, bias_ih_l0=bias_ih_l0,
                  bias_hh_l0=bias_hh_l0)
    for name, value in answer.items():
        a = _array06(value, name)
        if isinstance(a, Verdict):
            return a
        answer[name] = a
    want = LSTMCell.from_keras(keras["kernel"], keras["recurrent_kernel"], keras["bias"])
    H, D = want.hidden_size, want.input_size
    shapes = dict(weight_ih_l0=(4 * H, D), weight_hh_l0=(4 * H, H), bias_ih_l0=(4 * H,),
                  bias_hh_l0=(4 * H,))
    wrong = [k for k in shapes if answer[k].shape != shapes[k]]
    if wrong:
        return Verdict(False, f"Wrong shape for {', '.join(wrong)}. Hint: PyTorch stores (4H, D) and "
                              "(4H, H), one row per gate unit; Keras stores the transposes.")
    got = LSTMCell.from_torch(*answer.values())
    xs = np.random.default_rng(6).standard_normal((5, 3, D))
    if np.allclose(got.run(xs).h, want.run(xs).h, rtol=0, atol=1e-12):
        return Verdict(True, "Both cells give the same h_t at every step: same gates, same order.")
    if np.allclose(got.weight_ih, want.weight_ih) and np.allclose(got.weight_hh, want.weight_hh):
        return Verdict(False, "The weights are right, the biases are not. Hint: PyTorch adds its "
                              "two biases; together they must equal Keras' one bias.")
    return Verdict(False, "The two cells give different outputs. Hint: Keras' gate order i, f, c, o "
                          "is PyTorch's i, f, g, o (c is the candidate g), so no block moves; "
                          "only the matrices turn round.")


def check_06_tf1_forget_gate(answer):
    """f_t of a TF 1 BasicLSTMCell with stored forget-block bias 0.5, forget_bias=1.0 and
    x_t = 0, h_{t-1} = 0 (three decimals)."""
    cell = LSTMCell(np.zeros((4, 1)), np.zeros((4, 1)), [0.0, 0.5 + 1.0, 0.0, 0.0])
    return _close(answer, cell.run([0.0]).f[0], 0.0015,
                  "with x_t = 0 and h_{t-1} = 0 only the bias is left in z_f, and BasicLSTMCell "
                  "adds forget_bias to the stored bias before the sigmoid.")


def check_06_half_life(b_f):
    """A forget bias b_f for which the cell state halves in 10 steps when x_t = 0, h_{t-1} = 0 and
    nothing new is written (g_t = 0): C_10 = C_0 / 2, within 2 %."""
    value = _number(b_f, "b_f")
    if isinstance(value, Verdict):
        return value
    if not -50 <= value <= 50:
        return Verdict(False, f"b_f = {value:g} is far too large in size; try values within +-10.")
    # every weight 0 but the forget bias: f_t = sigma(b_f) at every step, g_t = tanh(0) = 0
    cell = LSTMCell(np.zeros((4, 1)), np.zeros((4, 1)), [0.0, value, 0.0, 0.0])
    left = float(cell.run(np.zeros(10), c0=1.0).c[-1])
    if abs(left - 0.5) <= 0.01:
        return Verdict(True, f"After 10 steps C_10 = {left:.3f} C_0: f_t = {left ** 0.1:.4f} at "
                             "every step.")
    more = "raise" if left < 0.5 else "lower"
    return Verdict(False, f"After 10 steps C_10 = {left:.3f} C_0, not 0.5 C_0; {more} b_f. "
                          "Hint: C_10 = f^10 C_0, so f = 0.5^(1/10); then invert the sigmoid.")


def check_06_second_sequence(h_last):
    """The last hidden state h_T (H,) of the second sequence of the 'wide' PyTorch reference case,
    run on its own as a (T, D) sequence from its own starting states."""
    got = _array06(h_last, "h_last")
    if isinstance(got, Verdict):
        return got
    with np.load(TORCH_REFERENCE, allow_pickle=False) as ref:
        truth = ref["wide/h"][-1, 1]
    if got.shape != truth.shape:
        return Verdict(False, f"h_last should have shape (H,) = {truth.shape}, one number per unit; "
                              f"got {got.shape}.")
    if np.allclose(got, truth, rtol=0, atol=1e-12):
        return Verdict(True, "Alone or in its batch, the second sequence ends in the same h_T as "
                             "PyTorch's: sequences in a batch never mix.")
    return Verdict(False, "That is not the second sequence's last h_T. Hint: its input is x[:, 1] "
                          "(T, D), its starting states h0[1] and c0[1]; the last step of the "
                          "trace is trace.h[-1].")


# ---- 07 backpropagation through time, 08 training (helper B) ----------------------------------
from lstm_learn import (adding_problem, gradient_by_lag, loss_and_grads, named_scalars,  # noqa: E402
                        numerical_gradient, parameters, relative_error)


def check_07_output_bias_gradient(answer):
    """dL/db_o by hand for the seed cell on the one-step sequence [1] with target 2, L = (y - 2)^2."""
    truth = loss_and_grads(seed_lstm(), [1.0], 2.0)[1]["bias"][3]     # row 3: the output gate
    return _close(answer, truth, 0.0005, "follow the chain from the loss to b_o: dL/dy = 2 (y - 2), "
                  "dy/dh_1 = W_y, dh_1/do_1 = tanh(C_1), do_1/dz_o = o_1 (1 - o_1), dz_o/db_o = 1; "
                  "multiply the five factors, with y, C_1 and o_1 from cell.run([1]).")


def check_07_one_sgd_step(answer):
    """The seed cell's prediction after [1, 2, 3] once every parameter took one step
    p -= 0.1 * dL/dp of L = (y - 4)^2."""
    cell = seed_lstm()
    _, grads = loss_and_grads(cell, [1, 2, 3], 4.0)
    for name, p in parameters(cell).items():
        p -= 0.1 * grads[name]
    truth = cell.predict(cell.run([1, 2, 3]).h[-1])
    return _close(answer, truth, 0.0005, "start from a fresh seed_lstm(), take the gradients from "
                  "loss_and_grads(cell, [1, 2, 3], 4.0), subtract 0.1 times each from "
                  "parameters(cell)[name], then run and predict again. It should move towards 4.")


def _seed_gradient(name, eps, forward):
    """The finite-difference estimate of dL/d(name) for the seed cell on [1, 2, 3] -> 4, and its
    relative error to the backward pass."""
    cell = seed_lstm()
    params = parameters(cell)
    rows = {"W_y": ("W_y", (0, 0)), "b_f": ("bias", (1,))}
    array, k = rows[name]
    exact = loss_and_grads(cell, [1, 2, 3], 4.0)[1][array][k]
    L = lambda: loss_and_grads(cell, [1, 2, 3], 4.0)[0]
    if forward:
        base, old = L(), params[array][k]
        params[array][k] = old + eps
        estimate = (L() - base) / eps
        params[array][k] = old
    else:
        estimate = numerical_gradient(L, params[array], eps)[k]
    return relative_error(estimate, exact)


def check_07_forward_difference_error(answer):
    """The relative error of the forward difference (L(W_y + eps) - L(W_y)) / eps, eps = 1e-4."""
    value = _number(answer, "relative error")
    if isinstance(value, Verdict):
        return value
    truth = _seed_gradient("W_y", 1e-4, forward=True)
    if value > 0 and abs(np.log10(value) - np.log10(truth)) < 0.3:
        return Verdict(True, f"{value:.1e} it is: far above the centred difference's, because the "
                             "forward difference's error shrinks only like eps, not eps^2.")
    return Verdict(False, f"{value:.1e} is not it (the order of magnitude is what counts). Hint: nudge "
                          "only W_y, up by eps, compute (L(W_y + eps) - L(W_y)) / eps, put W_y back, "
                          "and compare with the backward pass using relative_error.")


def check_07_best_epsilon(answer):
    """Which of eps = 1e-1, 1e-4, 1e-8, 1e-12 gives the centred difference of dL/db_f closest to
    the backward pass."""
    value = _number(answer, "eps")
    if isinstance(value, Verdict):
        return value
    candidates = (1e-1, 1e-4, 1e-8, 1e-12)
    if not any(np.isclose(value, e, rtol=1e-6, atol=0) for e in candidates):
        return Verdict(False, "Choose one of 1e-1, 1e-4, 1e-8 and 1e-12.")
    errors = {e: _seed_gradient("b_f", e, forward=False) for e in candidates}
    chosen = next(e for e in candidates if np.isclose(value, e, rtol=1e-6, atol=0))
    if chosen == min(errors, key=errors.get):
        return Verdict(True, f"eps = {chosen:g}: the error of the formula shrinks like eps^2, the "
                             "rounding error of L (about 1e-16 of it) grows like 1/eps; they balance "
                             "near eps ~ (1e-16)^(1/3), about 1e-5.")
    return Verdict(False, f"eps = {chosen:g} gives a relative error of {errors[chosen]:.0e}; another "
                          "choice does better. Too large and the eps^2 term shows; too small and "
                          "rounding wins.")


def check_07_rnn_shrink_factor(answer):
    """The vanilla RNN's average factor per step between lag 10 and lag 50, at the panel's default."""
    rnn = gradient_by_lag()["rnn"]
    truth = (rnn[50] / rnn[10]) ** (1 / 40)
    return _close(answer, truth, 0.005, "take the RNN's curve at the default setting, "
                  "gradient_by_lag()['rnn'], indexed by the lag, and compute "
                  "(value at lag 50 / value at lag 10) ** (1 / 40): 40 steps, one factor each.")


def check_07_smallest_forget_bias(recurrent_scale=1.0, forget_bias=None):
    """The smallest forget bias on the slider's 0.5 grid for which the LSTM's ||dh_T/dx_t|| at lag
    50 is at least 1e-3, at recurrent weight scale 1. Pass the panel's values:
    check_07_smallest_forget_bias(**panel.values)."""
    if forget_bias is None:
        return Verdict(False, "Give a forget bias, e.g. check_07_smallest_forget_bias(forget_bias=1.0), "
                              "or move the panel's slider and pass **panel.values.")
    if recurrent_scale != 1.0:
        return Verdict(False, f"Set the recurrent weight scale back to 1 (it is {recurrent_scale:g}); "
                              "this exercise is about the forget bias alone.")
    b_f = float(forget_bias)
    at_50 = gradient_by_lag(1.0, b_f)["lstm"][50]
    if at_50 < 1e-3:
        return Verdict(False, f"b_f = {b_f:g} leaves {at_50:.1e} at lag 50, below 1e-3. Which way must "
                              "b_f move for f_t = sigma(... + b_f) to stay near 1?")
    if gradient_by_lag(1.0, b_f - 0.5)["lstm"][50] >= 1e-3:
        return Verdict(False, f"b_f = {b_f:g} works ({at_50:.1e} at lag 50), but so does a smaller one. "
                              "How far down can you go?")
    return Verdict(True, f"b_f = {b_f:g}: {at_50:.1e} at lag 50, and half a step lower is not enough. "
                         f"The forget gates start near sigma({b_f:g}) = {1 / (1 + np.exp(-b_f)):.2f}: "
                         "close enough to 1 that f_T ... f_(t+1) shrinks slowly.")


def check_08_largest_prediction(answer, cell):
    """The largest value the trained one-unit `cell` could ever predict, whatever it reads."""
    w = named_scalars(parameters(cell))
    return _close(answer, abs(w["W_y"]) + w["b_y"], 0.01, "the prediction is W_y h_t + b_y, and "
                  "h_t = o_t tanh(C_t) always lies between -1 and 1. Read W_y and b_y with "
                  "named_scalars(parameters(cell)).")


def check_08_falling_ramp(answer, cell):
    """What the trained one-unit `cell` predicts after the falling ramp 5, 4, 3."""
    truth = cell.predict(cell.run([5.0, 4.0, 3.0]).h[-1])
    return _close(answer, truth, 0.005, "run the trained cell on [5, 4, 3] and apply cell.predict to "
                  "the last hidden state. Is it 2, as the pattern would continue?")


def check_08_baseline(answer):
    """The test MSE of always answering 1 on the adding problem."""
    return _close(answer, 1 / 6, 0.003, "always answering 1 scores the mean of (X1 + X2 - 1)^2, the "
                  "variance of X1 + X2; compute it on y_test, or from Var(U[0, 1]) = 1/12.")


def check_08_longer_sequences(answer, lstm):
    """The fraction of 1000 adding-problem sequences of length T = 200 (made with
    np.random.default_rng(7)) that the trained `lstm` answers within 0.08."""
    value = _number(answer, "fraction")
    if isinstance(value, Verdict):
        return value
    if value > 1:
        return Verdict(False, "Give a fraction between 0 and 1, e.g. 0.5 for 50 %.")
    x, y = adding_problem(1000, 200, np.random.default_rng(7), dtype=lstm.dtype)
    truth = float(np.mean(np.abs(lstm.predict(lstm.run(x).h[-1]) - y) < 0.08))
    return _close(value, truth, 0.005, "make the sequences with adding_problem(1000, 200, "
                  "np.random.default_rng(7)), predict from the last hidden state, and count "
                  "|prediction - target| < 0.08.")
