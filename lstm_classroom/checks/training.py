"""Checks for notebook 08, training: what a trained one-unit cell can say, and the adding
problem. Numbers are right to three decimals, the fraction to two (verdict.to_decimals)."""
import numpy as np

from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    near_miss,
    read_number,
    to_decimals,
    within_decimals,
)
from lstm_core import LSTMCell
from lstm_learn import adding_problem, named_scalars, parameters


def read_cell(cell, name, *, one_unit=False):
    """`cell` when it is an lstm_core LSTMCell (with one unit when `one_unit`); raises NotYet
    naming the notebook's variable `name` otherwise."""
    if not isinstance(cell, LSTMCell):
        raise NotYet(f"Pass the trained LSTM, `{name}`, as the second argument; got "
                     f"{type(cell).__name__}.")
    if one_unit and (cell.hidden_size, cell.input_size) != (1, 1):
        raise NotYet(f"Pass the trained one-unit cell, `{name}`; this one has "
                     f"{cell.hidden_size} units.")
    return cell


@check
def check_08_largest_prediction(answer, cell):
    """The largest value the trained one-unit `cell` could ever predict, whatever it reads, to
    three decimals."""
    value = read_number(answer)
    w = named_scalars(parameters(read_cell(cell, "cell", one_unit=True)))
    return to_decimals(value, abs(w["W_y"]) + w["b_y"], 3, "the prediction is "
                       "W_y h_t + b_y, and h_t = o_t tanh(C_t) always lies between -1 and 1. "
                       "Read W_y and b_y with named_scalars(parameters(cell)).")


@check
def check_08_falling_ramp(answer, cell):
    """What the trained one-unit `cell` predicts after the falling ramp 5, 4, 3, to three
    decimals."""
    value = read_number(answer)
    cell = read_cell(cell, "cell", one_unit=True)
    truth = float(np.squeeze(cell.predict(cell.run([5.0, 4.0, 3.0]).h[-1])))
    if abs(value - 2) <= 0.05 < abs(truth - 2):
        raise NotYet(f"{value:g} is what the pattern 5, 4, 3 would continue with, a guess; the "
                     "cell may have learned something else. Run the trained cell on [5, 4, 3] "
                     "and apply cell.predict to the last hidden state.")
    return to_decimals(value, truth, 3, "run the trained cell on [5, 4, 3] and apply "
                       "cell.predict to the last hidden state.")


@check
def check_08_baseline(answer):
    """The test MSE of always answering 1 on the adding problem, to three decimals."""
    value = read_number(answer)
    if within_decimals(value, 1 / 12, 3):
        raise NotYet(f"{value:.6g} is the variance of one value, Var(U[0, 1]) = 1/12. Hint: the "
                     "target X1 + X2 adds two independent values; what happens to variances?")
    if within_decimals(value, 0.173, 3):
        raise NotYet(f"{value:.6g} is the test set's own value, not the theoretical one: a test "
                     "set's value scatters around it. Hint: compute it exactly from "
                     "Var(U[0, 1]) = 1/12.")
    return to_decimals(value, 1 / 6, 3, "always answering 1 scores the mean of (X1 + X2 - 1)^2, "
                       "the variance of X1 + X2; work it out from Var(U[0, 1]) = 1/12.")


@check
def check_08_longer_sequences(answer, lstm):
    """The fraction of 1000 adding-problem sequences of length T = 200 (made with
    np.random.default_rng(7)) that the trained `lstm` answers within 0.08, to two decimals."""
    value = read_number(answer, "fraction")
    if not 0 <= value <= 1:
        raise NotYet("Give a fraction between 0 and 1, e.g. 0.5 for 50 %.")
    lstm = read_cell(lstm, "lstm")
    x, y = adding_problem(1000, 200, np.random.default_rng(7), dtype=lstm.dtype)
    truth = float(np.mean(np.abs(lstm.predict(lstm.run(x).h[-1]) - y) < 0.08))
    # a trained network's last digits differ from one processor to another, and a prediction
    # may lie a hair from 0.08: the fraction is asked to two decimals, and said as a whole
    # percentage, the digits every machine agrees on
    if within_decimals(value, truth, 2):
        return (f"That is it, to two decimals: your LSTM answers about {100 * truth:.0f} % of "
                "the 200-step sequences within 0.08.")
    near_miss(value, [truth], 2, f"{value:.6g}")
    raise NotYet(f"{value:.6g} is off. Hint: make the sequences with adding_problem(1000, 200, "
                 "np.random.default_rng(7)), predict from the last hidden state, and count "
                 "|prediction - target| < 0.08.")
