"""Checks for notebook 04, the output gate h_t = o_t tanh(C_t), and the read-out y = W_y h + b_y."""
import numpy as np

from lstm_classroom.checks.seed_walkthrough import by_hand
from lstm_classroom.checks.verdict import NotYet, check, read_number, seed_cell_with, time_steps
from lstm_classroom.inputs import input_sequence
from lstm_core import seed_lstm, sigmoid

RAMP = input_sequence("ramp", 6)      # the panel's default input 1, 2, ..., 6
NEAR_FOUR = 0.05   # half the sliders' step of 0.1: b_y alone can always get this close to 4


@check
def check_04_hidden_state_step_1(answer):
    """h_1 on the ramp with b_o = -1 (the rest the seed's), by hand."""
    tr = seed_lstm(b_o=-1.0).run(RAMP)
    slips = [(tr.o[0], "o_1 alone: multiply it by tanh(C_1)"),
             (tr.o[0] * tr.c[0], "o_1 C_1: tanh is missing, h_1 = o_1 tanh(C_1)"),
             (np.tanh(tr.c[0]), "tanh(C_1) alone: multiply it by o_1"),
             (seed_lstm().run(RAMP).h[0], "the seed's h_1, with b_o = 0: add b_o = -1 inside "
              "o_1's sigma")]
    return by_hand(read_number(answer), tr.h[0], "h_1 = o_1 * tanh(C_1); C_1 = 0.390 does not "
                   "depend on b_o, and o_1 = sigma(W_o * 1 + b_o) since h_0 = 0.",
                   printed=[sigmoid(0.8 * 1 - 1.0) * np.tanh(0.390)], slips=slips)


@check
def check_04_hide_the_memory(**weights):
    """|h_t| < 0.05 at every step of the ramp 1..6, moving only W_o, W_ho, b_o."""
    tr = seed_cell_with(weights, ("W_o", "W_ho", "b_o")).run(RAMP)
    if np.all(np.abs(tr.h) < 0.05):
        return (f"|h_t| < 0.05 while C_6 = {tr.c[-1]:.2f}: the memory is there, the output gate "
                "just does not show it.")
    raise NotYet(f"|h_t| >= 0.05 at t = {time_steps(np.abs(tr.h) >= 0.05)} "
                 f"(h_6 = {tr.h[-1]:.3f}). Hint: the memory grows along the ramp and tanh(C_t) "
                 "climbs towards 1, so o_t alone has to keep h_t small; the last step, with "
                 "x_6 = 6, is the hardest.")


@check
def check_04_predict_four(**weights):
    """After 1, 2, 3 the cell predicts 4 (within 0.05, what the sliders' step of 0.1 can reach),
    moving only the read-out W_y, b_y."""
    cell = seed_cell_with(weights, ("W_y", "b_y"))
    y = float(cell.predict(cell.run([1, 2, 3]).h[-1]))
    if abs(y - 4) <= NEAR_FOUR:
        return f"The cell now says ŷ_4 = {y:.3f} after 1, 2, 3. (Try 1, 2, 3, 4: does it say 5?)"
    raise NotYet(f"The cell says ŷ_4 = {y:.3f} after 1, 2, 3, not 4. Hint: "
                 "ŷ_4 = W_y h_3 + b_y with h_3 = 0.871 from the seed's printout; either number "
                 "can close the gap.")


MEMORY_FATES = ("same", "smaller", "zero")   # a prediction's choices: C_6 with b_o = -6


@check
def check_04_predict_hidden_memory(answer):
    """Predict, then see: with b_o = -6 (h_t below 0.25 on the ramp), is C_6 about the "same" as
    the seed's 4.044, much "smaller", or "zero"?"""
    if not isinstance(answer, str) or answer.strip().lower() not in MEMORY_FATES:
        raise NotYet(f"Answer with one of {', '.join(map(repr, MEMORY_FATES))} (a text in quotes).")
    seed_c6 = seed_lstm().run(RAMP).c[-1]
    hidden = seed_lstm(b_o=-6.0).run(RAMP)
    if answer.strip().lower() == "same":
        return (f"C_6 = {hidden.c[-1]:.3f} with b_o = -6 against {seed_c6:.3f}, while h_6 = "
                f"{hidden.h[-1]:.3f}: the output gate hides the memory, it does not erase it. "
                "(Not exactly equal: h_{t-1} feeds every gate.)")
    raise NotYet("o_t appears in one equation only. Hint: look for o_t in "
                 "C_t = f_t C_{t-1} + i_t g_t; what can the output gate change there, and "
                 "what only through h_{t-1}?")


CUE_INPUT = input_sequence("cue", 6)   # 2, 0, 0, 0, 0, -3: a value, four zeros, the cue
HIDDEN, SHOWN = 0.05, 0.4   # |h_t| before the cue, h_6 at it (tanh(C_1) = 0.59 is what is stored)


@check
def check_04_show_on_cue(**weights):
    """The output gate's real job, on 2, 0, 0, 0, 0, -3: |h_t| < 0.05 for t = 1..5 while the
    memory holds the value (C_5 >= C_1 / 2), and h_6 >= 0.4 at the cue, moving only W_o, W_ho,
    b_o and the forget gate's b_f."""
    tr = seed_cell_with(weights, ("W_o", "W_ho", "b_o", "b_f")).run(CUE_INPUT)
    early = np.abs(tr.h[:-1]) >= HIDDEN
    if np.any(early):
        raise NotYet(f"h_t shows the memory before the cue: |h_t| >= {HIDDEN} at t = "
                     f"{time_steps(early)} (o_t up to {tr.o[:-1].max():.3f}). Hint: o_t must be "
                     "near 0 on x_t = 2 and on x_t = 0, and near 1 on x_t = -3 only: a negative "
                     "b_o shuts it on the zeros, and the sign of W_o decides which of 2 and -3 "
                     "opens it.")
    if tr.c[-2] < tr.c[0] / 2:
        raise NotYet(f"The memory fades before the cue: C_1 = {tr.c[0]:.3f} is written, but "
                     f"C_5 = {tr.c[-2]:.3f}. Hint: on the zeros f_t = sigma(W_hf h_{{t-1}} + b_f), "
                     "about sigma(b_f) while h_t is near 0; hold the forget gate open with b_f, "
                     "as in notebook 01.")
    if tr.h[-1] < SHOWN:
        hint = ("o_6 = sigma(-3 W_o + W_ho h_5 + b_o) has to be near 1 while b_o alone keeps the "
                "zeros shut: W_o must be negative and large enough." if tr.o[-1] < 0.9 else
                "the gate is open, but little is left to show: keep more of the memory with a "
                "larger b_f.")
        raise NotYet(f"At the cue h_6 = {tr.h[-1]:.3f}, not yet {SHOWN} or more (o_6 = "
                     f"{tr.o[-1]:.3f}, C_6 = {tr.c[-1]:.3f}). Hint: {hint}")
    return (f"|h_t| < {HIDDEN} until the cue while C_t holds the value (C_5 = {tr.c[-2]:.3f}), and "
            f"at the cue o_6 = {tr.o[-1]:.3f} shows it: h_6 = {tr.h[-1]:.3f}. Stored early, kept "
            "hidden, shown when asked: the output gate's job.")
