"""Checks for notebook 02, the input gate i_t and the candidate g_t; i_t g_t is what is written."""
import numpy as np

from lstm_classroom.checks.seed_walkthrough import by_hand
from lstm_classroom.checks.verdict import NotYet, check, read_number, seed_cell_with, time_steps
from lstm_classroom.inputs import input_sequence
from lstm_core import seed_lstm

RAMP = input_sequence("ramp", 6)      # 1, 2, ..., 6: the seed's 1, 2, 3 continued
PULSE = input_sequence("pulse", 12)   # 1 at t = 2, else 0: the input gate panel's input
SINE = input_sequence("sine", 16)     # two periods: the candidate panel's input
OPEN, SHUT = 0.5, 0.05                 # the input gate at the pulse, and everywhere else


@check
def check_02_written_step_1(answer):
    """What is written at t = 1, i_1 g_1, on the ramp with b_i = -1 (the rest the seed's)."""
    tr = seed_lstm(b_i=-1.0).run(RAMP)
    slips = [(tr.i[0], "i_1 alone: multiply it by the candidate g_1"),
             (tr.g[0], "g_1 alone: multiply it by the input gate i_1"),
             (seed_lstm().run(RAMP).i[0] * tr.g[0], "the seed's i_1 g_1, with b_i = 0: add "
              "b_i = -1 inside i_1's sigma")]
    return by_hand(read_number(answer), tr.i[0] * tr.g[0], "at t = 1, h_0 = 0: "
                   "i_1 = sigma(W_i * 1 + b_i) and g_1 = tanh(W_c * 1 + b_c); multiply them.",
                   slips=slips)


@check
def check_02_write_only_the_pulse(**weights):
    """On the pulse (T = 12): the input gate open at the pulse (i_2 > 0.5, more than half of the
    candidate written) and shut at every other step (i_t < 0.05), moving only W_i, W_hi, b_i."""
    i = seed_cell_with(weights, ("W_i", "W_hi", "b_i")).run(PULSE).i
    elsewhere = np.arange(len(i)) != 1
    open_elsewhere = elsewhere & (i >= SHUT)
    if i[1] > OPEN and not open_elsewhere.any():
        return (f"i_2 = {i[1]:.3f} at the pulse and at most {i[elsewhere].max():.3f} elsewhere: "
                "the cell writes the pulse and nothing else.")
    if open_elsewhere.any():
        raise NotYet(f"i_t >= {SHUT} at t = {time_steps(open_elsewhere)}, where x_t = 0 (highest "
                     f"{i[elsewhere].max():.3f}). Hint: where x_t = 0, W_i x_t adds nothing and "
                     "z_i = W_hi h_{t-1} + b_i; which number shuts the gate at all those steps?")
    shown = (f"{i[1]:.3f} (it must be above {OPEN})" if f"{i[1]:.3f}" != f"{OPEN:.3f}" else
             f"{i[1]:.6f}, just at {OPEN}, not above it")
    raise NotYet(f"The gate is shut where x_t = 0, but not open enough at the pulse: "
                 f"i_2 = {shown}. Hint: a negative bias shuts the "
                 "gate at every step; only one term of z_i is large at t = 2 and zero elsewhere.")


@check
def check_02_negative_candidate(**weights):
    """g_t < 0 at every step of the sine (T = 16, the candidate panel's default input), moving
    only W_c, W_hc, b_c."""
    g = seed_cell_with(weights, ("W_c", "W_hc", "b_c")).run(SINE).g
    if np.all(g < 0):
        return (f"g_t < 0 at every step (highest {g.max():.3f}), whatever the sign of x_t: "
                "whatever is written now pulls C_t down.")
    raise NotYet(f"g_t >= 0 at t = {time_steps(g >= 0)}. Hint: tanh keeps the sign of "
                 "W_c x_t + W_hc h_{t-1} + b_c. On the sine x_t is positive at some steps and "
                 "negative at others, and so is W_c x_t; which term has the same sign at every "
                 "step, and how large must it be, with |x_t| <= 1 and |h_{t-1}| < 1?")
