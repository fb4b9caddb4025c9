"""Checks for notebook 06, batches and the frameworks' weight layouts (PyTorch, Keras).

Shapes are compared as tuples; arrays are checked through lstm_core (a right layout gives the
same outputs), so any correct way of writing an answer is accepted.
"""
import math
from pathlib import Path

import numpy as np

from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    cut,
    near_miss,
    read_array,
    read_number,
    within_decimals,
)
from lstm_core import LSTMCell

TORCH_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "torch_reference.npz"


def _shape_or_none(value):
    """value as a tuple of ints (a shape), or None when it is not one."""
    if isinstance(value, str):
        return None
    try:
        numbers = [float(n) for n in value]
    except (TypeError, ValueError, OverflowError):
        return None
    if not all(np.isfinite(n) and n.is_integer() and n >= 0 for n in numbers):
        return None            # (256.5, 16) is not a shape
    return tuple(int(n) for n in numbers)


@check
def check_06_forget_rows(rows):
    """The rows of weight_ih (4H, D) that belong to the forget gate when H = 5."""
    if rows is None:
        raise NotYet("Replace None with the rows, as a slice like slice(0, 5) or a list.")
    if not isinstance(rows, (slice, str)):     # whole numbers as floats: np.arange(5.0, 10)
        try:
            as_float = np.asarray(rows, dtype=float)
            if (np.all(np.isfinite(as_float)) and np.all(as_float == np.round(as_float))
                    and np.all(np.abs(as_float) < 2 ** 31)):
                rows = as_float.astype(int)
        except (TypeError, ValueError, OverflowError):
            pass
    try:
        picked = np.arange(20)[rows].ravel().tolist()
    except Exception:  # noqa: BLE001 - text, floats, rows beyond 19, too large numbers ...
        raise NotYet(f"Give the rows as a slice, e.g. slice(0, 5), or a list of row numbers "
                     f"between 0 and 19; got {cut(rows)}.") from None
    if picked == list(range(5, 10)):
        return "Rows 5 to 9: the second block of H = 5 rows, since the order is i, f, g, o."
    if set(picked) == set(range(5, 10)):
        how = ("some of them more than once" if len(picked) != len(set(picked)) else
               "in another order")
        raise NotYet(f"Those are the forget gate's rows, but {how}: row 5 + k belongs to unit "
                     "k, so give each row once, in order, e.g. slice(5, 10).")
    if picked and set(picked) < set(range(5, 10)):
        these = "That row is" if len(picked) == 1 else f"All {len(picked)} of those rows are"
        raise NotYet(f"{these} the forget gate's, but it has H = 5. "
                     "Hint: slice(a, b) stops before b.")
    off_by_one = [list(range(a, b)) for a, b in ((4, 9), (6, 11), (4, 10), (5, 11), (6, 10))]
    if picked in off_by_one:
        raise NotYet(f"Rows {picked[0]} to {picked[-1]} ({len(picked)} rows) are off by one at an "
                     "end. Hint: rows are counted from 0, and slice(a, b) takes a, a + 1, ..., "
                     "b - 1: the forget gate's 5 rows come right after the input gate's.")
    raise NotYet("Those are not the forget gate's rows. Hint: the four blocks come in the order "
                 "i, f, g, o, each H = 5 rows long; where does the second one start?")


@check
def check_06_stacked_shapes(weight_ih, weight_hh, bias):
    """The shapes of the stacked weights of an LSTM with D = 16 inputs and H = 64 units."""
    D, H = 16, 64
    got = {"weight_ih": _shape_or_none(weight_ih), "weight_hh": _shape_or_none(weight_hh),
           "bias": _shape_or_none(bias)}
    bad = [k for k, v in got.items() if v is None]
    if bad:
        raise NotYet(f"Give each shape as a tuple of numbers, e.g. (3, 2); a one-number shape is "
                     f"written (n,) with a comma. Not a shape: {', '.join(bad)}.")
    want = {"weight_ih": (4 * H, D), "weight_hh": (4 * H, H), "bias": (4 * H,)}
    wrong = [k for k in want if got[k] != want[k]]
    if not wrong:
        return ("All three: one row per gate unit (4H rows), one column per number the row "
                "multiplies (D for x_t, H for h_{t-1}).")
    raise NotYet(f"Check {', '.join(wrong)}. Hint: every stacked array has one row for each unit "
                 "of each of the four gates; weight_ih multiplies x_t (D numbers), weight_hh "
                 "multiplies h_{t-1} (H numbers).")


@check
def check_06_batch(batch, seqs):
    """`seqs`, a list of N sequences of shape (T, D), stacked into the (T, N, D) batch lstm_core
    takes."""
    x = read_array(batch, "batch")
    seqs = [np.asarray(s, dtype=float) for s in seqs]
    T, D, N = seqs[0].shape[0], seqs[0].shape[1], len(seqs)
    if x.shape == (N, T, D):
        raise NotYet(f"Shape {x.shape} is (N, T, D), batch first. lstm_core (and PyTorch by "
                     "default) wants time first; which axis of np.stack puts the sequences "
                     "second?")
    if x.shape != (T, N, D):
        raise NotYet(f"Shape {x.shape} is not (T, N, D) = {(T, N, D)}.")
    if all(np.array_equal(x[:, n], s) for n, s in enumerate(seqs)):
        return "batch[:, n] is sequence n, and batch[t] holds step t of every sequence."
    raise NotYet("The shape is right but batch[:, n] is not sequence n. Hint: reshape never "
                 "moves numbers between axes; stacking does.")


@check
def check_06_time_major(x, x_batch_first):
    """A batch-first (N, T, D) array, as Keras and batch_first=True take it, turned into
    (T, N, D)."""
    got = read_array(x, "x")
    src = np.asarray(x_batch_first, dtype=float)
    N, T, D = src.shape
    if got.shape != (T, N, D):
        raise NotYet(f"Shape {got.shape}; lstm_core wants (T, N, D) = {(T, N, D)}.")
    if np.array_equal(got, src.transpose(1, 0, 2)):
        return "x[t, n] is step t of sequence n: the same numbers, time first."
    raise NotYet("The shape is right, the order is not: x[t, n] must be step t of sequence n. "
                 "Hint: reshape keeps the order in memory and mixes sequences; swap the first "
                 "two axes instead.")


@check
def check_06_keras_to_torch(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, keras):
    """PyTorch's four arrays for the cell whose Keras arrays are keras = dict(kernel=...,
    recurrent_kernel=..., bias=...); right when both cells give the same outputs."""
    given = {"weight_ih_l0": weight_ih_l0, "weight_hh_l0": weight_hh_l0,
             "bias_ih_l0": bias_ih_l0, "bias_hh_l0": bias_hh_l0}
    answer = {name: read_array(value, name) for name, value in given.items()}
    want = LSTMCell.from_keras(keras["kernel"], keras["recurrent_kernel"], keras["bias"])
    H, D = want.hidden_size, want.input_size
    shapes = {"weight_ih_l0": (4 * H, D), "weight_hh_l0": (4 * H, H), "bias_ih_l0": (4 * H,),
              "bias_hh_l0": (4 * H,)}
    wrong = [k for k in shapes if answer[k].shape != shapes[k]]
    hints = []
    if any(k.startswith("weight") for k in wrong):
        hints.append("PyTorch stores the weights as (4H, D) and (4H, H), one row per gate unit; "
                     "Keras stores their transposes")
    if any(k.startswith("bias") for k in wrong):
        hints.append(f"each of PyTorch's two biases is (4H,) = ({4 * H},), one number per gate "
                     "unit, like Keras' one bias")
    if wrong:
        raise NotYet(f"Wrong shape for {', '.join(wrong)}: "
                     + ", ".join(f"{k} is {answer[k].shape}, not {shapes[k]}" for k in wrong)
                     + f". Hint: {'; '.join(hints)}.")
    got = LSTMCell.from_torch(*answer.values())
    xs = np.random.default_rng(6).standard_normal((5, 3, D))
    # float64 arrays agree to 1e-15; float32 ones (PyTorch's own precision) to about 1e-7
    if np.allclose(got.run(xs).h, want.run(xs).h, rtol=0, atol=1e-6):
        return "Both cells give the same h_t at every step: same gates, same order."
    if np.allclose(got.weight_ih, want.weight_ih) and np.allclose(got.weight_hh, want.weight_hh):
        raise NotYet("The weights are right, the biases are not. Hint: PyTorch adds its two "
                     "biases; together they must equal Keras' one bias.")
    raise NotYet("The two cells give different outputs. Hint: Keras' gate order i, f, c, o is "
                 "PyTorch's i, f, g, o (c is the candidate g), so no block moves; only the "
                 "matrices turn round.")


@check
def check_06_half_life(b_f):
    """A forget bias b_f for which the cell state halves in 10 steps when x_t = 0, h_{t-1} = 0 and
    nothing new is written (g_t = 0): C_10 = C_0 / 2, within 2 %."""
    value = read_number(b_f, "b_f", largest=50, expected="try values within +-10")
    # every weight 0 but the forget bias: f_t = sigma(b_f) at every step, g_t = tanh(0) = 0
    cell = LSTMCell(np.zeros((4, 1)), np.zeros((4, 1)), [0.0, value, 0.0, 0.0])
    left = float(cell.run(np.zeros(10), c0=1.0).c[-1])
    truth = -math.log(1 / 0.5 ** 0.1 - 1)          # sigma(b_f) = 0.5^(1/10)
    if within_decimals(value, truth, 2):
        return f"After 10 steps C_10 = {left:.3f} C_0: f_t = {left ** 0.1:.4f} at every step."
    if abs(left - 0.5) <= 0.01:
        raise NotYet(f"After 10 steps C_10 = {left:.3f} C_0, close to 0.5 C_0 but b_f is not "
                     "right to two decimals: invert the sigmoid exactly, f = 0.5^(1/10).")
    more = "raise" if left < 0.5 else "lower"
    raise NotYet(f"After 10 steps C_10 = {left:.3f} C_0, not 0.5 C_0; {more} b_f. Hint: "
                 "C_10 = f^10 C_0, so f = 0.5^(1/10); then invert the sigmoid.")


@check
def check_06_second_sequence(h_last):
    """The last hidden state h_T (H,) of the second sequence of the 'wide' PyTorch reference case,
    run on its own as a (T, D) sequence from its own starting states; right to four decimals,
    as the notebook prints it (so float32 is right too)."""
    got = read_array(h_last, "h_last")
    with np.load(TORCH_REFERENCE, allow_pickle=False) as ref:
        truth = ref["wide/h"][-1, 1]
        w = {k: ref[f"wide/{k}"] for k in ("x", "h0", "c0", "weight_ih", "weight_hh", "bias_ih",
                                           "bias_hh")}
    if got.shape != truth.shape:
        raise NotYet(f"h_last should have shape (H,) = {truth.shape}, one number per unit; got "
                     f"{got.shape}.")
    if within_decimals(got, truth, 4):
        return ("Alone or in its batch, the second sequence ends in the same h_T as PyTorch's: "
                "sequences in a batch never mix.")
    near_miss(got, [truth], 4, "h_last")
    for kept, dropped in (("bias_ih", "bias_hh"), ("bias_hh", "bias_ih")):
        one_bias = LSTMCell.from_torch(w["weight_ih"], w["weight_hh"], w[kept],
                                       np.zeros_like(w[dropped]))
        if within_decimals(got, one_bias.run(w["x"][:, 1], w["h0"][1], w["c0"][1]).h[-1], 4):
            raise NotYet(f"That is the run with {kept} alone: PyTorch adds its two biases, "
                         "bias_ih + bias_hh; LSTMCell.from_torch takes both.")
    raise NotYet("That is not the second sequence's last h_T. Hint: its input is x[:, 1] (T, D), "
                 "its starting states h0[1] and c0[1]; the last step of the trace is "
                 "trace.h[-1].")
