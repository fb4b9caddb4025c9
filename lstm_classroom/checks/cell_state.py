"""Checks for notebook 03, the cell state C_t = f_t C_{t-1} + i_t g_t: kept plus written."""
import numpy as np

from lstm_classroom.checks.seed_walkthrough import by_hand
from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    percent,
    read_number,
    seed_cell_with,
    time_steps,
)
from lstm_classroom.inputs import input_sequence
from lstm_core import SEED_WEIGHTS, seed_lstm

RAMP = input_sequence("ramp", 6)      # 1, 2, ..., 6: the seed's 1, 2, 3 continued
PULSE = input_sequence("pulse", 12)   # 1 at t = 2, else 0: the panel's default input
MOVES = ("W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i")   # the forget and input gates
DRIFT = 0.05                          # the conveyor belt: C_t within 5 % of C_2


@check
def check_03_cell_state_step_2(answer):
    """C_2 of the seed cell had it held C_1 = 1 after step 1 (h_1 as printed, so the gates of
    step 2 as printed), from the rounded f_2, i_2, g_2 of its printout, to three decimals."""
    h1 = seed_lstm().run(RAMP).h[0]
    f2, i2, g2, c2, _, _ = seed_lstm().step(2.0, h_prev=h1, c_prev=1.0)
    slips = [(i2 * g2, "only the written part i_2 g_2: add the kept part f_2 C_1"),
             (f2, "only the kept part f_2 C_1: add the written part i_2 g_2"),
             (seed_lstm().run(RAMP).c[1], "the printout's C_2, with C_1 = 0.390: here C_1 = 1")]
    return by_hand(read_number(answer), c2, "C_2 = f_2 * C_1 + i_2 * g_2: kept plus written; the "
                   "gates f_2, i_2, g_2 read x_2 and h_1, not C_1, so they stay as printed.",
                   printed=[0.736 * 1.0 + 0.778 * 0.901], slips=slips)


@check
def check_03_conveyor_belt(**weights):
    """Pulse input: C_2 >= 0.25 and C_t within 5 % of C_2 for t = 2..12, moving only the forget
    and input gates' weights."""
    c = seed_cell_with(weights, MOVES).run(PULSE).c
    if c[1] < 0.25:
        raise NotYet(f"C_2 = {c[1]:.3f}: the pulse is hardly written (it needs C_2 >= 0.25). "
                     "Hint: at t = 2 the input gate must be open.")
    drift = np.abs(c[1:] - c[1]) / c[1]
    if np.all(drift <= DRIFT):
        return (f"C_2 = {c[1]:.3f} and C_12 = {c[-1]:.3f}: written once, then carried along "
                "unchanged, like a box on a conveyor belt.")
    worst = int(np.argmax(drift)) + 2
    why = ("C_t grows after the pulse: the input gate still writes i_t g_t while x_t = 0 "
           "(notebook 02 shut it everywhere but at the pulse)" if c[worst - 1] > c[1] else
           "C_t shrinks after the pulse: the forget gate drops part of it at every step "
           "(notebook 01 kept it)")
    raise NotYet(f"C_{worst} = {c[worst - 1]:.3f} is {percent(drift[worst - 2], DRIFT)} away "
                 f"from C_2 = {c[1]:.3f} (it must stay within {percent(DRIFT, 0)}). Hint: {why}; "
                 "storing one event needs both gates at once.")


@check
def check_03_no_memory(**weights):
    """Ramp 1..6: kept part f_t C_{t-1} < 0.01 at every step and C_t > 0.5 from t = 2 on,
    moving only the forget and input gates' weights."""
    tr = seed_cell_with(weights, MOVES).run(RAMP)
    kept = tr.f * np.concatenate([[0.0], tr.c[:-1]])
    if np.any(kept >= 0.01):
        head = (f"f_t C_{{t-1}} >= 0.01 at t = {time_steps(kept >= 0.01)} (f_t up to "
                f"{tr.f[1:].max():.3f}): the cell still remembers. Hint: the forget gate "
                "decides what survives, and z_f = W_f x_t + W_hf h_{t-1} + b_f. ")
        W_f = float(weights.get("W_f", SEED_WEIGHTS["W_f"]))
        if W_f > 0:
            raise NotYet(head + f"On the ramp W_f x_t grows with x_t ({W_f:g} * 6 = "
                         f"{6 * W_f:g} at t = 6): a negative bias has to beat it at the last "
                         "step too, or W_f must go.")
        raise NotYet(head + f"With W_f = {W_f:g}, W_f x_t no longer grows along the ramp; what "
                     "is missing is a lower b_f: f_t times C_{t-1} (up to about 1) must stay "
                     "below 0.01, so f_t below about 0.01.")
    if np.any(tr.c[1:] <= 0.5):
        low = tr.c <= 0.5
        low[0] = False
        raise NotYet(f"Nothing is kept, but C_t <= 0.5 at t = {time_steps(low)}: the cell also "
                     "stopped writing. Hint: keep the input gate open.")
    return ("At every step C_t is the newest write i_t g_t plus less than 0.01 of the past: a "
            "cell without memory, it only holds the newest write.")
