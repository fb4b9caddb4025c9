"""Checks for notebook 01, the forget gate f_t = sigma(W_f x_t + W_hf h_{t-1} + b_f).

The weight exercises take the weights as keywords, so both check(b_f=3.0) and, after moving the
panel's sliders, check(**panel.weights) work.
"""
import numpy as np

from lstm_classroom.checks.seed_walkthrough import by_hand
from lstm_classroom.checks.verdict import NotYet, check, read_number, seed_cell_with, time_steps
from lstm_classroom.inputs import input_sequence
from lstm_core import seed_lstm, sigmoid

RAMP = input_sequence("ramp", 6)      # 1, 2, ..., 6: the seed's 1, 2, 3 continued
PULSE = input_sequence("pulse", 12)   # 1 at t = 2, else 0: the panel's default input
MOVES = ("W_f", "W_hf", "b_f")


@check
def check_01_forget_gate_step_1(answer):
    """f_1 on the ramp with b_f = 2 and the seed's other weights, by hand (3 decimals)."""
    f1 = seed_lstm(b_f=2.0).run(RAMP).f[0]
    slips = [(0.5 + 2.0, "z_f, the pre-activation: sigma is still to be applied"),
             (sigmoid(0.5), "the seed's f_1, with b_f = 0: add b_f = 2 inside sigma"),
             (sigmoid(2.0), "sigma(b_f) alone: W_f x_1 = 0.5 * 1 belongs inside sigma too")]
    return by_hand(read_number(answer), f1, "at t = 1, h_0 = 0, so z_f = W_f * x_1 + b_f; then "
                   "f_1 = sigma(z_f) = 1 / (1 + e^-z_f).", slips=slips)


@check
def check_01_forget_gate_open(**weights):
    """f_t > 0.95 at every step of the pulse (T = 12, the panel's default input), moving only
    W_f, W_hf, b_f."""
    cell = seed_cell_with(weights, MOVES)
    trace = cell.run(PULSE)
    f = trace.f
    if np.all(f > 0.95):
        lowest = (f"{f.min():.3f}" if 0.95 < round(f.min(), 3) < 1 else f"{f.min():.6f}")
        return (f"f_t stays above 0.95 (lowest {lowest}): the cell keeps almost all of "
                "C_{t-1} at every step, the pulse's memory included.")
    low = f <= 0.95
    head = f"f_t <= 0.95 at t = {time_steps(low)} (lowest {f.min():.3f}). Hint: "
    W_f, W_hf = float(cell.weight_ih[1, 0]), float(cell.weight_hh[1, 0])
    if np.flatnonzero(low).tolist() == [1]:        # only at the pulse, t = 2
        raise NotYet(head + f"only at the pulse x_2 = 1, where W_f x_2 = {W_f:g} pulls z_f down; "
                     "at the other steps x_t = 0 and W_f adds nothing.")
    h_prev = np.concatenate([[0.0], np.ravel(trace.h)[:-1]])
    if W_hf < 0 and np.any(W_hf * h_prev[low] < 0):
        raise NotYet(head + f"W_hf h_{{t-1}} is negative there (W_hf = {W_hf:g}): it pulls z_f "
                     "down after the pulse; which of the three numbers lifts z_f by the same "
                     "amount at every step?")
    raise NotYet(head + "at every step but the pulse x_t = 0, so W_f x_t adds nothing there; "
                 "which of the three numbers lifts z_f by the same amount at every step?")


@check
def check_01_forget_the_pulse(**weights):
    """Pulse input (1 at t = 2, T = 12): C_t < 0.01 from t = 4 on, moving only W_f, W_hf, b_f."""
    c = seed_cell_with(weights, MOVES).run(PULSE).c
    if np.all(np.abs(c[3:]) < 0.01):
        return (f"Two steps after the pulse C_t is down to {abs(c[3]):.4f}: the forget gate "
                "wiped the memory.")
    late = np.abs(c) >= 0.01
    late[:3] = False
    raise NotYet(f"|C_t| >= 0.01 at t = {time_steps(late)} (C_4 = {c[3]:.3f}). Hint: after the "
                 "pulse x_t = 0, so only W_hf h_{t-1} and b_f are left in z_f; C_t shrinks by "
                 "the factor f_t at every step.")


PULSE_FATES = {   # a prediction's choices: what happens to the pulse's C_2 after it
    "kept": "most of it stays on the belt",
    "halved": "about half of it is lost at every step",
    "gone": "almost nothing is left two steps later",
}


@check
def check_01_predict_forget_bias(answer):
    """Predict, then see: on the pulse (T = 12), what b_f = -5 does to C_t after the pulse:
    "kept", "halved" or "gone"."""
    if not isinstance(answer, str) or answer.strip().lower() not in PULSE_FATES:
        raise NotYet(f"Answer with one of {', '.join(map(repr, PULSE_FATES))} (a text in quotes).")
    c = {b_f: seed_lstm(b_f=b_f).run(PULSE).c for b_f in (-5.0, 0.0, 5.0)}
    choice = answer.strip().lower()
    if choice == "gone":
        return (f"With b_f = -5, f_t = sigma(-5 + ...) is about 0.01: C_2 = {c[-5.0][1]:.3f}, "
                f"C_3 = {c[-5.0][2]:.3f}, C_4 = {c[-5.0][3]:.4f}. The figure below shows it.")
    other = {"halved": ("the seed, b_f = 0: f_t = sigma(0) = 0.5 halves the memory at every "
                        f"step (C_4 = {c[0.0][3]:.3f})"),
             "kept": f"b_f = +5: f_t close to 1 keeps the memory (C_4 = {c[5.0][3]:.3f})"}[choice]
    raise NotYet(f"That is what happens for {other}. Hint: with x_t = 0 after the pulse, "
                 "z_f is about b_f; what is sigma(-5)?")
