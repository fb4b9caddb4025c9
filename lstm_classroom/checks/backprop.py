"""Checks for notebook 07, backpropagation through time: the chain rule by hand, one SGD step,
gradient checks by finite differences, and vanishing gradients."""
import numpy as np

from lstm_classroom.checks.verdict import (
    NotYet,
    check,
    percent,
    read_number,
    to_decimals,
    within_significant,
)
from lstm_core import seed_lstm
from lstm_learn import (
    gradient_by_lag,
    loss_and_grads,
    numerical_gradient,
    parameters,
    relative_error,
)

EPSILONS = (1e-1, 1e-4, 1e-8, 1e-12)   # the choices of exercise 2.2
DIGITS = 2                             # exercise 2.1: "two significant digits are enough"
WITHIN = 0.05                          # ... and an answer within 5 % of it is a near miss


def seed_gradient(name, eps, forward):
    """(estimate, exact): the finite-difference estimate of dL/d(name), name 'W_y' or 'b_f', for
    the seed cell on [1, 2, 3] -> 4 with L = (y - 4)^2, one-sided (forward) or centred, and the
    backward pass's value."""
    cell = seed_lstm()
    params = parameters(cell)
    array, k = {"W_y": ("W_y", (0, 0)), "b_f": ("bias", (1,))}[name]

    def loss():
        return loss_and_grads(cell, [1, 2, 3], 4.0)[0]

    exact = loss_and_grads(cell, [1, 2, 3], 4.0)[1][array][k]
    if forward:
        base, old = loss(), params[array][k]
        params[array][k] = old + eps
        estimate = (loss() - base) / eps
        params[array][k] = old
    else:
        estimate = numerical_gradient(loss, params[array], eps)[k]
    return float(estimate), float(exact)


@check
def check_07_output_bias_gradient(answer):
    """dL/db_o by hand for the seed cell on the one-step sequence [1] with target 2,
    L = (y - 2)^2, to three decimals."""
    truth = loss_and_grads(seed_lstm(), [1.0], 2.0)[1]["bias"][3]     # row 3: the output gate
    value = read_number(answer)
    if abs(value + truth) <= 0.0005 < abs(truth):
        raise NotYet(f"{value:.6g} has the right size and the wrong sign. Hint: the prediction y "
                     "is below the target 2, so dL/dy = 2 (y - 2) is negative.")
    return to_decimals(value, truth, 3, "follow the chain from the loss to b_o: "
                       "dL/dy = 2 (y - 2), dy/dh_1 = W_y, dh_1/do_1 = tanh(C_1), "
                       "do_1/dz_o = o_1 (1 - o_1), dz_o/db_o = 1; multiply the five factors, "
                       "with y, C_1 and o_1 from cell.run([1]).")


@check
def check_07_one_sgd_step(answer):
    """The seed cell's prediction after [1, 2, 3] once every parameter took one step
    p -= 0.1 * dL/dp of L = (y - 4)^2, to three decimals."""
    cell = seed_lstm()
    _, grads = loss_and_grads(cell, [1, 2, 3], 4.0)
    for name, p in parameters(cell).items():
        p -= 0.1 * grads[name]
    truth = cell.predict(cell.run([1, 2, 3]).h[-1])
    return to_decimals(read_number(answer), truth, 3, "start from a fresh seed_lstm(), take the "
                       "gradients from loss_and_grads(cell, [1, 2, 3], 4.0), subtract 0.1 times "
                       "each from parameters(cell)[name], then run and predict again. It should "
                       "move towards 4.")


@check
def check_07_forward_difference_error(answer):
    """The relative error of the forward difference (L(W_y + eps) - L(W_y)) / eps, eps = 1e-4, to
    the backward pass: relative_error's |a - b| / (|a| + |b|) or |a - b| / |b|, to two
    significant digits (verdict.within_significant)."""
    value = read_number(answer, "relative error")
    if value < 0:
        raise NotYet(f"{value:.1e} is negative; a relative error is a size, never below 0.")
    estimate, exact = seed_gradient("W_y", 1e-4, forward=True)
    gap = abs(estimate - exact)
    rights = (relative_error(estimate, exact), gap / abs(exact))
    matched = [right for right in rights if within_significant(value, right, DIGITS)]
    if matched:
        return (f"{matched[0]:.2g} it is, to two significant digits: far above the centred "
                "difference's, because the forward difference's error shrinks only like eps, "
                "not eps^2.")
    if within_significant(value, gap, DIGITS):
        raise NotYet(f"{value:.2g} is the absolute error |estimate - exact|. Hint: a relative "
                     "error divides it by the gradient's size; relative_error(estimate, exact) "
                     "does it for you.")
    if any(abs(value - right) <= WITHIN * right for right in rights):
        raise NotYet(f"{value:.2g} is close, but not right to two significant digits: round "
                     "only the answer, and compare with the backward pass's value.")
    off = min(abs(value - right) / right for right in rights)
    raise NotYet(f"{value:.2g} is {percent(off, WITHIN)} away from it. Hint: nudge only W_y, up "
                 "by eps, compute (L(W_y + eps) - L(W_y)) / eps, put W_y back, and compare with "
                 "the backward pass using relative_error.")


@check
def check_07_best_epsilon(answer):
    """Which of eps = 1e-1, 1e-4, 1e-8, 1e-12 gives the centred difference of dL/db_f closest to
    the backward pass."""
    value = read_number(answer, "eps")
    chosen = [e for e in EPSILONS if np.isclose(value, e, rtol=1e-6, atol=0)]
    if not chosen:
        raise NotYet("Choose one of 1e-1, 1e-4, 1e-8 and 1e-12.")
    chosen = chosen[0]
    errors = {e: relative_error(*seed_gradient("b_f", e, forward=False)) for e in EPSILONS}
    if chosen == min(errors, key=errors.get):
        return (f"eps = {chosen:g}: the error of the formula shrinks like eps^2, the rounding "
                "error of L (about 1e-16 of it) grows like 1/eps; they balance near "
                "eps ~ (1e-16)^(1/3), about 1e-5.")
    raise NotYet(f"eps = {chosen:g} gives a relative error of {errors[chosen]:.0e}; another choice "
                 "does better. Too large and the eps^2 term shows; too small and rounding wins.")


@check
def check_07_rnn_shrink_factor(answer):
    """The vanilla RNN's average factor per step between lag 10 and lag 50, at the panel's
    default, to three decimals."""
    rnn = gradient_by_lag()["rnn"]
    truth = (rnn[50] / rnn[10]) ** (1 / 40)
    return to_decimals(read_number(answer), truth, 3, "take the RNN's curve at the default "
                       "setting, gradient_by_lag()['rnn'], indexed by the lag, and compute "
                       "(value at lag 50 / value at lag 10) ** (1 / 40): 40 steps, one factor "
                       "each.")


@check
def check_07_smallest_forget_bias(recurrent_scale=1.0, forget_bias=None):
    """The smallest forget bias on the slider's 0.5 grid for which the LSTM's ||dh_T/dx_t|| at lag
    50 is at least 1e-3, at recurrent weight scale 1. Pass the panel's values:
    check_07_smallest_forget_bias(**panel.values)."""
    if forget_bias is None:
        raise NotYet("Give a forget bias, e.g. check_07_smallest_forget_bias(forget_bias=1.0), "
                     "or move the panel's slider and pass **panel.values.")
    scale = read_number(recurrent_scale, "recurrent_scale")
    if scale != 1.0:
        raise NotYet(f"Set the recurrent weight scale back to 1 (it is {scale:g}); this exercise "
                     "is about the forget bias alone.")
    b_f = read_number(forget_bias, "forget_bias")
    if abs(b_f * 2 - round(b_f * 2)) > 1e-9 or not -2.0 <= b_f <= 6.0:
        raise NotYet(f"b_f = {b_f:g} is not on the slider: it goes from -2 to 6 in steps of 0.5. "
                     "Give one of its values.")
    at_50 = gradient_by_lag(1.0, b_f)["lstm"][50]
    if at_50 < 1e-3:
        raise NotYet(f"b_f = {b_f:g} leaves {at_50:.1e} at lag 50, below 1e-3. Which way must b_f "
                     "move for f_t = sigma(... + b_f) to stay near 1?")
    if gradient_by_lag(1.0, b_f - 0.5)["lstm"][50] >= 1e-3:
        raise NotYet(f"b_f = {b_f:g} works ({at_50:.1e} at lag 50), but so does a smaller one. "
                     "How far down can you go?")
    return (f"b_f = {b_f:g}: {at_50:.1e} at lag 50, and half a step lower is not enough. The "
            f"forget gates start near sigma({b_f:g}) = {1 / (1 + np.exp(-b_f)):.2f}: close "
            "enough to 1 that f_T ... f_(t+1) shrinks slowly.")
