"""Checks for notebook 11, the xLSTM (Beck et al. 2024): the sLSTM's exponential input gate,
its normaliser and stabiliser, and the mLSTM's matrix memory as a key -> value store.

The one-unit sLSTM of the notebook's panel (`slstm_from_scalars`, from twelve named numbers)
lives in lstm_xlstm, so that the checks and the panel compute the same cell.
"""
import numpy as np

from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    near_miss,
    read_array,
    read_number,
    read_weights,
    time_steps,
    within_decimals,
)
from lstm_xlstm import SLSTM_WEIGHTS, SLSTM_XS, mlstm_store_and_read, slstm_from_scalars

H2_XS = np.array([1.0, 4.0])   # exercise 2.1: not the table's first two steps, which print h_2
KEEP_WITHIN = 0.02                             # exercise 2: c_t / n_t within this of the target

# exercise 4: three (key, value) pairs, the first two keys overlapping (k1 . k2 = 0.6)
OVERLAP_KEYS = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [0.0, 0.0, 1.0]])
OVERLAP_VALUES = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])


def _cell_with(weights, moves):
    """slstm_from_scalars(**weights) after checking a learner's weights (`read_weights`) for an
    exercise that moves only the names in `moves`."""
    return slstm_from_scalars(**read_weights(
        weights, moves, SLSTM_WEIGHTS,
        example=f"Give your weights by name, e.g. {moves[0]}=2.0, or pass the panel's: "
                "**panel.weights.",
        back="where the panel started (its reset button does it)"))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


@check
def check_11_h2_by_hand(answer):
    """h_2 of the panel's starting cell on x_1, x_2 = H2_XS (1, 4), by hand, to four
    decimals."""
    value = read_number(answer, "h_2")
    tr = slstm_from_scalars().run(H2_XS)
    truth = float(tr.h[1])
    if within_decimals(value, truth, 4):
        return (f"h_2 = {truth:.4f}, to four decimals: a weighted average of z_1 and z_2 with "
                "weights f_2 e^(i~_1) and e^(i~_2), times o_2. "
                f"The stronger input (x_2 = {H2_XS[1]:g}) takes most of the weight.")
    w = SLSTM_WEIGHTS
    i_pre, z, o = w["W_i"] * H2_XS + w["b_i"], np.tanh(w["W_z"] * H2_XS), \
        _sigmoid(w["b_o"])
    f2 = _sigmoid(w["b_f"])
    mistakes = {   # what a wrong answer most likely left out or put in, by its value
        "c_2 without dividing by n_2: h_t = o_t c_t / n_t, and n_2 = f_2 n_1 + i_2 is the sum "
        "of the weights": o * (f2 * np.exp(i_pre[0]) * z[0] + np.exp(i_pre[1]) * z[1]),
        "the stabilised c_2 without dividing by n_2: h_t = o_t c_t / n_t":
            float(o * tr.c[1]),
        "a sigma input gate: the sLSTM's is exp(i~_t)":
            o * (f2 * _sigmoid(i_pre[0]) * z[0] + _sigmoid(i_pre[1]) * z[1])
            / (f2 * _sigmoid(i_pre[0]) + _sigmoid(i_pre[1])),
        "no forget gate: the weight of z_1 is f_2 e^(i~_1), with f_2 = sigma(b_f)":
            o * (np.exp(i_pre[0]) * z[0] + np.exp(i_pre[1]) * z[1])
            / (np.exp(i_pre[0]) + np.exp(i_pre[1])),
        "no output gate: h_2 = o_2 c_2 / n_2, with o_2 = sigma(b_o)": truth / o,
    }
    for what, wrong in mistakes.items():
        if abs(value - wrong) <= 0.0002:
            raise NotYet(f"{value:.6g} is what you get with {what}.")
    near_miss(value, [truth], 4, f"{value:.6g}")
    raise NotYet(f"{value:.6g} is off. Hint: with h_0 = 0 every pre-activation is W x_t + b; "
                 "without the stabiliser c_2 = f_2 e^(i~_1) z_1 + e^(i~_2) z_2 and "
                 "n_2 = f_2 e^(i~_1) + e^(i~_2), and h_2 = o_2 c_2 / n_2.")


@check
def check_11_keep_the_strongest(**weights):
    """On x = 1, 3, 2, 5, 4, 0: c_t / n_t within 0.02 of z at the largest x so far, at every
    step, moving only the input and forget gates' weights."""
    cell = _cell_with(weights, ("W_i", "R_i", "b_i", "W_f", "R_f", "b_f"))
    tr = cell.run(SLSTM_XS)
    best = np.maximum.accumulate(SLSTM_XS)
    target = np.tanh(SLSTM_WEIGHTS["W_z"] * best + SLSTM_WEIGHTS["b_z"])
    read = tr.c / tr.n
    gap = np.abs(read - target)
    if np.all(gap <= KEEP_WITHIN):
        return (f"c_t / n_t stays within {gap.max():.4f} of the strongest value so far: the "
                "exponential input gate lets a stronger input outweigh what is stored, and a "
                "weaker one hardly counts.")
    t = int(np.flatnonzero(gap > KEEP_WITHIN)[0])
    if SLSTM_XS[t] >= best[t]:
        why = "the older, weaker inputs still count too much next to this stronger one"
    elif abs(read[t] - tr.z[t]) < abs(target[t] - tr.z[t]):
        why = "the newer, weaker input counts too much"
    else:
        why = "what was stored fades"
    raise NotYet(f"At t = {t + 1} (x = {SLSTM_XS[t]:g}, the largest so far {best[t]:g}) "
                 f"c_t / n_t = {read[t]:.3f}, but z of the largest input so far is "
                 f"{target[t]:.3f}: {why} (off by more than {KEEP_WITHIN} at t = "
                 f"{time_steps(gap > KEEP_WITHIN)}). Hint: the weight of a write is e^(i~_t); "
                 "how fast must it grow with x_t for x = 3 to outweigh x = 2 by far? And the "
                 "stored weight shrinks by f_t at every step.")


@check
def check_11_stabiliser_shift(m_change=None, h_change=None):
    """Moving b_i from 0 to 5 (the panel's starting cell otherwise): how much m_6 and h_6 move."""
    if m_change is None or h_change is None:
        raise NotYet("Give both changes, e.g. check_11_stabiliser_shift(m_change=1.0, "
                     "h_change=0.1): m_6 at b_i = 5 minus m_6 at b_i = 0, and the same for h_6.")
    dm, dh = read_number(m_change, "m_change"), read_number(h_change, "h_change")
    before, after = (slstm_from_scalars(b_i=b).run(SLSTM_XS) for b in (0.0, 5.0))
    true_dm, true_dh = float(after.m[-1] - before.m[-1]), float(after.h[-1] - before.h[-1])
    if abs(dm - np.exp(5)) < 0.5 or abs(dm - (np.exp(5) - 1)) < 0.5:
        raise NotYet(f"m_change = {dm:g} is e^5: m_t lives in the exponent, where i~_t does. "
                     "By how much does i~_t move when b_i moves by 5?")
    if not within_decimals(dm, true_dm, 3):
        raise NotYet(f"m_change = {dm:g} is off. Hint: m_t = max(log sigma(f~_t) + m_(t-1), "
                     "i~_t) with m_1 = i~_1; every i~_t moves by the same amount.")
    if not within_decimals(dh, true_dh, 3):
        raise NotYet(f"h_change = {dh:g} is off: m_6 is right, but h_t = o_t c_t / n_t, and "
                     "c_t and n_t both carry the same factor e^(i~) ... e^(-m_t). Run the cell "
                     "twice and compare trace.h[-1].")
    moves = ("not at all (by less than 1e-9)" if abs(true_dh) < 1e-9 else
             f"by only {abs(true_dh):.1e}")
    return (f"m_6 moves by {true_dm:.4f} and h_6 {moves}: a shift of every i~_t multiplies "
            "c_t and n_t by the same e^5, and the stabiliser takes it out of both.")


@check
def check_11_overlapping_read(read):
    """The read C^T q with q = k_1 from the three pairs OVERLAP_KEYS -> OVERLAP_VALUES, to three
    decimals."""
    value = read_array(read, "read")
    if value.shape != (2,):
        raise NotYet(f"read should be the 2 numbers of one value vector, shape (2,); got shape "
                     f"{value.shape}. Hint: C is (3, 2), C^T q is (2,).")
    _, truth = mlstm_store_and_read(OVERLAP_KEYS, OVERLAP_VALUES, OVERLAP_KEYS[0])
    if within_decimals(value, truth, 3):
        return (f"C^T k_1 = ({value[0]:.3f}, {value[1]:.3f}): v_1 plus 0.6 of v_2, because "
                "k_1 . k_2 = 0.6. Overlapping keys leak each other's values.")
    if within_decimals(value, OVERLAP_VALUES[0], 3):
        raise NotYet("That is v_1 exactly, what orthogonal keys would give. Here k_1 . k_2 is "
                     "not 0: read = sum_j (k_1 . k_j) v_j.")
    shown = f"({', '.join(f'{v:.6g}' for v in value)})"
    near_miss(value, [truth], 3, shown)
    raise NotYet(f"{shown} is off. Hint: C = sum_j k_j v_j^T "
                 "(keys.T @ values), and the read is C^T q = sum_j (q . k_j) v_j.")
