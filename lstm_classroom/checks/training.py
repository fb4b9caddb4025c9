"""Checks for notebook 08, training: what a trained one-unit cell can say, and the adding
problem."""
import numpy as np

from lstm_classroom.checks.verdict import NotYet, check, close_to, read_number
from lstm_learn import adding_problem, named_scalars, parameters


@check
def check_08_largest_prediction(answer, cell):
    """The largest value the trained one-unit `cell` could ever predict, whatever it reads."""
    value = read_number(answer)
    w = named_scalars(parameters(cell))
    return close_to(value, abs(w["W_y"]) + w["b_y"], "the prediction is "
                    "W_y h_t + b_y, and h_t = o_t tanh(C_t) always lies between -1 and 1. Read W_y "
                    "and b_y with named_scalars(parameters(cell)).", tol=0.01)


@check
def check_08_falling_ramp(answer, cell):
    """What the trained one-unit `cell` predicts after the falling ramp 5, 4, 3."""
    value = read_number(answer)
    truth = float(np.squeeze(cell.predict(cell.run([5.0, 4.0, 3.0]).h[-1])))
    if abs(value - 2) <= 0.05 < abs(truth - 2):
        raise NotYet(f"{value:g} is what the pattern 5, 4, 3 would continue with, a guess; the "
                     "cell may have learned something else. Run the trained cell on [5, 4, 3] "
                     "and apply cell.predict to the last hidden state.")
    if 0.005 < abs(value - truth) <= 0.5:
        raise NotYet(f"{value:g} is close; compute it to 3 decimals: run the trained cell on "
                     "[5, 4, 3] and apply cell.predict to the last hidden state.")
    return close_to(value, truth, "run the trained cell on [5, 4, 3] and apply "
                    "cell.predict to the last hidden state.", tol=0.005)


@check
def check_08_baseline(answer):
    """The test MSE of always answering 1 on the adding problem."""
    value = read_number(answer)
    if abs(value - 1 / 12) <= 0.003:
        raise NotYet(f"{value:.6g} is the variance of one value, Var(U[0, 1]) = 1/12. Hint: the "
                     "target X1 + X2 adds two independent values; what happens to variances?")
    if 0.003 < abs(value - 1 / 6) <= 0.01:
        raise NotYet(f"{value:.6g} is close, not exact. (If you took it from the test set: a test "
                     "set's own value scatters around the theoretical one; this one printed "
                     "0.173.) Hint: compute it exactly from Var(U[0, 1]) = 1/12.")
    return close_to(value, 1 / 6, "always answering 1 scores the mean of (X1 + X2 - 1)^2, the "
                    "variance of X1 + X2; work it out from Var(U[0, 1]) = 1/12.", tol=0.003)


@check
def check_08_longer_sequences(answer, lstm):
    """The fraction of 1000 adding-problem sequences of length T = 200 (made with
    np.random.default_rng(7)) that the trained `lstm` answers within 0.08."""
    value = read_number(answer, "fraction")
    if not 0 <= value <= 1:
        raise NotYet("Give a fraction between 0 and 1, e.g. 0.5 for 50 %.")
    x, y = adding_problem(1000, 200, np.random.default_rng(7), dtype=lstm.dtype)
    truth = float(np.mean(np.abs(lstm.predict(lstm.run(x).h[-1]) - y) < 0.08))
    close_to(value, truth, "make the sequences with adding_problem(1000, 200, "
             "np.random.default_rng(7)), predict from the last hidden state, and count "
             "|prediction - target| < 0.08.", tol=0.005)
    # a trained network's last digits differ from one processor to another, and a prediction
    # may lie a hair from 0.08: say the fraction to the digits that every machine agrees on
    return (f"That is it (to within 0.005): your LSTM answers about {100 * truth:.0f} % of the "
            "200-step sequences within 0.08.")
