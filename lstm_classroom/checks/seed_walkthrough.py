"""Checks for notebook 00, the seed cell walked through by hand on the input 1, 2, 3 (, 4).

`by_hand` is the number check of notebooks 00-04: an answer to three decimals, by the one rule
(verdict.to_decimals); where the exercise says to use the printout's rounded numbers, the value
they give is right too. It names the commonest slips, as check_step does for my_step.
"""
from lstm_classroom.checks.verdict import check, read_number, to_decimals
from lstm_core import seed_lstm, sigmoid

X_NEGATIVE = [1, -2, 3]   # the seed's input with x_2 = -2: step 1 (and h_1) as printed, f_2 not
DECIMALS = 3              # what notebooks 00-04 ask for


def by_hand(value, truth, hint, *, printed=(), slips=()):
    """to_decimals(value, truth, 3, hint): right to three decimals of `truth` or of `printed`
    (the value from the printout's rounded numbers), with `slips`, (wrong value, what it is)
    pairs, named. Never shows `truth`."""
    return to_decimals(value, truth, DECIMALS, hint, printed=printed, slips=slips)


@check
def check_00_forget_gate_step_2(answer):
    """f_2 of the seed cell on [1, -2, 3] (x_2 = -2; h_1 = 0.256 as printed), by hand, to three
    decimals."""
    trace = seed_lstm().run(X_NEGATIVE)
    h1 = trace.h[0]
    slips = [(0.5 * -2 + 0.1 * h1, "z_f, the pre-activation: sigma is still to be applied"),
             (sigmoid(0.5 * -2), "sigma(W_f x_2 + b_f): the term W_hf h_1 is left out"),
             (sigmoid(0.5 * -2 + 0.1 * trace.c[0]), "f_2 with C_1 in place of h_1: W_hf "
              "multiplies the hidden state h_1, not the cell state"),
             (sigmoid(0.5 * -2 + 0.1 * seed_lstm().run([1, 2, 3]).h[1]), "f_2 with the printout's "
              "h_2 in place of h_1: the gate at step 2 reads the hidden state of step 1"),
             (seed_lstm().run([1, 2, 3]).f[1], "the printout's f_2, with x_2 = +2")]
    return by_hand(read_number(answer), trace.f[1], "f_2 = sigma(W_f * x_2 + W_hf * h_1 + b_f) "
                   "with x_2 = -2 and h_1 from step 1; then sigma(z) = 1 / (1 + e^-z).",
                   printed=[sigmoid(0.5 * -2 + 0.1 * 0.256)], slips=slips)


@check
def check_00_cell_state_step_3(answer):
    """C_3 of step 3 redone with b_f = 1 from the seed's h_2 and C_2, to three decimals: from the
    exact values or, as the exercise says, from the table's rounded h_2, C_2, i_3, g_3."""
    trace = seed_lstm().run([1, 2, 3])
    f3, i3, g3, c3, _, _ = seed_lstm(b_f=1.0).step(3.0, h_prev=trace.h[1], c_prev=trace.c[1])
    slips = [(i3 * g3, "only the written part i_3 g_3: add the kept part f_3 C_2"),
             (f3 * trace.c[1], "only the kept part f_3 C_2: add the written part i_3 g_3"),
             (trace.c[2], "the table's C_3, with b_f = 0: b_f = 1 changes f_3"),
             (sigmoid(0.5 * 3 + 0.1 * trace.c[1] + 1) * trace.c[1] + i3 * g3,
              "C_3 with C_2 in place of h_2 inside f_3: W_hf multiplies the hidden state h_2"),
             (sigmoid(0.5 * 3 + 1) * trace.c[1] + i3 * g3,
              "C_3 with the term W_hf h_2 left out of f_3")]
    return by_hand(read_number(answer), c3, "first f_3 = sigma(W_f * x_3 + W_hf * h_2 + b_f) "
                   "with b_f = 1; then C_3 = f_3 * C_2 + i_3 * g_3, what the forget gate keeps of "
                   "the old cell state plus what the input gate writes of the candidate.",
                   printed=[sigmoid(0.5 * 3 + 0.1 * 0.640 + 1) * 0.988 + 0.873 * 0.980],
                   slips=slips)


@check
def check_00_prediction_after_four(answer):
    """The seed cell's prediction y after reading [1, 2, 3, 4], to three decimals."""
    cell = seed_lstm()
    trace = cell.run([1, 2, 3, 4])
    y = cell.predict(trace.h[-1])
    slips = [(cell.predict(cell.run([1, 2, 3]).h[-1]), "the printout's prediction after 1, 2, 3"),
             (trace.h[-1], "h_4 itself: apply the read-out, cell.predict(h_4)")]
    return by_hand(read_number(answer), y, "run the cell on [1, 2, 3, 4] and apply "
                   "cell.predict to the last hidden state h_4.", slips=slips)
