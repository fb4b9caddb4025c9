"""Checks for notebook 00, the seed cell walked through by hand on the input 1, 2, 3 (, 4)."""
from lstm_classroom.checks.verdict import check, close_to, read_number
from lstm_core import seed_lstm


@check
def check_00_forget_gate_step_2(answer):
    """f_2 of the seed cell on [1, 2, 3], computed by hand to 3 decimals."""
    f2 = seed_lstm().run([1, 2, 3]).f[1]
    return close_to(read_number(answer), f2, "f_2 = sigma(W_f * x_2 + W_hf * h_1 + b_f) with "
                    "x_2 = 2 and h_1 from step 1; then sigma(z) = 1 / (1 + e^-z).", tol=0.0015)


@check
def check_00_cell_state_step_3(answer):
    """C_3 of the seed cell, from the rounded table values f_3, C_2, i_3, g_3."""
    c3 = seed_lstm().run([1, 2, 3]).c[2]
    return close_to(read_number(answer), c3, "C_3 = f_3 * C_2 + i_3 * g_3: what the forget gate "
                    "keeps of the old cell state plus what the input gate writes of the "
                    "candidate.", tol=0.005)


@check
def check_00_prediction_after_four(answer):
    """The seed cell's prediction y after reading [1, 2, 3, 4]."""
    cell = seed_lstm()
    y = cell.predict(cell.run([1, 2, 3, 4]).h[-1])
    return close_to(read_number(answer), y, "run the cell on [1, 2, 3, 4] and apply cell.predict "
                    "to the last hidden state h_4.", tol=0.0005)
