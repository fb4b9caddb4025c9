"""Checks for notebook 02, the input gate i_t and the candidate g_t; i_t g_t is what is written."""
import numpy as np

from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    close_to,
    read_number,
    seed_cell_with,
    time_steps,
)
from lstm_classroom.inputs import input_sequence
from lstm_core import seed_lstm

RAMP = input_sequence("ramp", 6)      # the panels' default input 1, 2, ..., 6


@check
def check_02_written_step_1(answer):
    """What is written at t = 1, i_1 g_1, on the ramp with b_i = -1 (the rest the seed's)."""
    tr = seed_lstm(b_i=-1.0).run(RAMP)
    return close_to(read_number(answer), tr.i[0] * tr.g[0], "at t = 1, h_0 = 0: "
                    "i_1 = sigma(W_i * 1 + b_i) and g_1 = tanh(W_c * 1 + b_c); multiply them.",
                    tol=0.0015)


@check
def check_02_input_gate_shut(**weights):
    """i_t < 0.05 at every step of the ramp 1..6, moving only W_i, W_hi, b_i."""
    i = seed_cell_with(weights, ("W_i", "W_hi", "b_i")).run(RAMP).i
    if np.all(i < 0.05):
        return (f"i_t stays below 0.05 (highest {i.max():.3f}): almost nothing is written into "
                "the cell.")
    raise NotYet(f"i_t >= 0.05 at t = {time_steps(i >= 0.05)} (highest {i.max():.3f}). Hint: a "
                 "negative bias alone loses against a growing input: look at the last step, "
                 "x_6 = 6, and at what W_i does to it.")


@check
def check_02_negative_candidate(**weights):
    """g_t < 0 at every step of the ramp 1..6, moving only W_c, W_hc, b_c."""
    g = seed_cell_with(weights, ("W_c", "W_hc", "b_c")).run(RAMP).g
    if np.all(g < 0):
        return (f"g_t < 0 at every step (highest {g.max():.3f}): whatever is written now pulls "
                "C_t down.")
    raise NotYet(f"g_t >= 0 at t = {time_steps(g >= 0)}. Hint: tanh keeps the sign of "
                 "W_c x_t + W_hc h_{t-1} + b_c; with x_t up to 6, which term decides it?")
