"""The build-it-yourself checks (lstm_classroom.checks.build): a learner's own forward step
(notebook 00) and backward step (notebook 07).

The learner functions below are written here in plain Python with `math`, the way a learner writes
them, each usual mistake spelled as the formula a learner would type; the right answers come from
lstm_core, never from the checks' own reference implementations.
"""
import inspect
import math

import numpy as np
import pytest

from lstm_classroom.checks import build
from lstm_classroom.checks.build import NAMES, check_step, check_step_backward
from lstm_core import scalar_step
from lstm_learn import relative_error

NAN = float("nan")


def sig(z):
    return 1 / (1 + math.exp(-z))


def no_traceback(verdict):
    """The verdict's text shows no traceback and no file of the check's."""
    assert "Traceback" not in verdict.text and 'File "' not in verdict.text, verdict.text
    assert "build.py" not in verdict.text and "verdict.py" not in verdict.text, verdict.text


# ---- a learner's forward step, with a mistake switched in ----------------------------------------

def learner_step(*, hr=1.0, act_f=sig, act_i=sig, act_g=math.tanh, act_o=sig, swap_fi_weights=False,
                 cell=lambda f, i, g, c_prev: f * c_prev + i * g,
                 out=lambda o, c, c_prev: o * math.tanh(c),
                 order=lambda f, i, g, c, o, h: (f, i, g, c, o, h)):
    """my_step as a learner writes it; each keyword is one place a mistake can go."""
    fw, iw = ("i", "f") if swap_fi_weights else ("f", "i")

    def my_step(x, h_prev, c_prev, w):
        f = act_f(w[f"W_{fw}"] * x + hr * w[f"W_h{fw}"] * h_prev + w[f"b_{fw}"])
        i = act_i(w[f"W_{iw}"] * x + hr * w[f"W_h{iw}"] * h_prev + w[f"b_{iw}"])
        g = act_g(w["W_c"] * x + hr * w["W_hc"] * h_prev + w["b_c"])
        c = cell(f, i, g, c_prev)
        o = act_o(w["W_o"] * x + hr * w["W_ho"] * h_prev + w["b_o"])
        h = out(o, c, c_prev)
        return order(f, i, g, c, o, h)
    return my_step


def test_the_checks_keep_their_names_and_signatures():
    # outside checks call these two by name
    assert str(inspect.signature(check_step)) == "(my_step)"
    assert str(inspect.signature(check_step_backward)) == "(my_step_backward)"


def test_a_right_forward_step_passes():
    verdict = check_step(learner_step())
    assert verdict and repr(verdict).startswith("Right!"), verdict


def test_lstm_cores_own_step_passes():
    assert check_step(scalar_step)


def test_the_cases_cover_the_seed_random_negative_large_and_non_zero_states():
    cases = build._forward_cases()
    labels = " ".join(c[0] for c in cases)
    for word in ("the seed's step 1", "random", "negative", "large"):
        assert word in labels
    assert sum(1 for _, _, h, c, _ in cases if h != 0 and c != 0) >= 5
    assert any(x < 0 and h < 0 and c < 0 for _, x, h, c, _ in cases)


FORWARD_MISTAKES = {
    "h_{t-1} left out": (dict(hr=0.0), "h_{t-1} terms are left out"),
    "f and i swapped in C_t": (dict(cell=lambda f, i, g, c_prev: i * c_prev + f * g),
                               "f_t and i_t are swapped in the cell update"),
    "f and i swapped weights": (dict(swap_fi_weights=True), "f_t and i_t are swapped"),
    "f and i returned swapped": (dict(order=lambda f, i, g, c, o, h: (i, f, g, c, o, h)),
                                 "(f and i swapped)"),
    "sigma for the candidate": (dict(act_g=sig), "candidate g_t goes through sigma"),
    "tanh for the forget gate": (dict(act_f=math.tanh), "forget gate f_t goes through tanh"),
    "tanh for the input gate": (dict(act_i=math.tanh), "input gate i_t goes through tanh"),
    "tanh for the output gate": (dict(act_o=math.tanh), "output gate o_t goes through tanh"),
    "no forget gate": (dict(cell=lambda f, i, g, c_prev: c_prev + i * g),
                       "without the forget gate"),
    "h_t = o_t C_t": (dict(out=lambda o, c, c_prev: o * c), "tanh is missing in h_t"),
    "C_t for C_{t-1}": (dict(cell=lambda f, i, g, c_prev: f * (i * g) + i * g),
                        "C_t is used where C_{t-1} belongs"),
}


@pytest.mark.parametrize("mistake", FORWARD_MISTAKES)
def test_each_usual_forward_mistake_is_named(mistake):
    changes, says = FORWARD_MISTAKES[mistake]
    verdict = check_step(learner_step(**changes))
    assert not verdict and says in verdict.text, verdict.text
    # ... and it still says where: the first wrong output, the case, expected and got
    if "order" not in verdict.text:
        assert "first wrong on case" in verdict.text and "expected" in verdict.text
        assert "got" in verdict.text


def test_a_running_c_kept_between_calls_is_named():
    state = {"C": 0.0}

    def my_step(x, h_prev, c_prev, w):
        f = sig(w["W_f"] * x + w["W_hf"] * h_prev + w["b_f"])
        i = sig(w["W_i"] * x + w["W_hi"] * h_prev + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h_prev + w["b_c"])
        state["C"] = f * state["C"] + i * g          # the C of the last call, not c_prev
        o = sig(w["W_o"] * x + w["W_ho"] * h_prev + w["b_o"])
        return f, i, g, state["C"], o, o * math.tanh(state["C"])

    verdict = check_step(my_step)
    assert not verdict and "C_t used where C_{t-1} belongs" in verdict.text, verdict.text
    assert "second time" in verdict.text


def test_the_c_variable_overwritten_before_the_update_is_named():
    def my_step(x, h_prev, c_prev, w):
        f = sig(w["W_f"] * x + w["W_hf"] * h_prev + w["b_f"])
        i = sig(w["W_i"] * x + w["W_hi"] * h_prev + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h_prev + w["b_c"])
        c = i * g                 # the running variable already holds the new write ...
        c = f * c + i * g         # ... when the update reads it as C_{t-1}
        o = sig(w["W_o"] * x + w["W_ho"] * h_prev + w["b_o"])
        return f, i, g, c, o, o * math.tanh(c)

    verdict = check_step(my_step)
    assert not verdict and "C_t is used where C_{t-1} belongs" in verdict.text


def test_an_unknown_mistake_gets_the_first_wrong_output_its_case_and_both_values():
    verdict = check_step(learner_step(act_o=lambda z: sig(z + 0.1)))   # o_t off, nothing named
    assert not verdict and "It looks like" not in verdict.text
    text = verdict.text
    assert text.startswith("o_t is first wrong on case 1 of 10 (the seed's step 1)"), text
    expected_o = scalar_step(1.0, 0.0, 0.0, {n: build.SEED_WEIGHTS[n] for n in NAMES})[4]
    assert f"expected o_t = {expected_o:.6g}" in text and f"got      o_t = {sig(0.9):.6g}" in text
    assert "x = 1, h_prev = 0, c_prev = 0" in text and "also wrong on this case: h_t" in text
    assert "Hint:" in text


def test_a_mistake_first_seen_on_a_random_case_shows_its_weights():
    verdict = check_step(learner_step(hr=0.0))      # h_0 = 0 hides it at the seed's step 1
    assert "case 2 of 10 (the seed's step 2)" in verdict.text
    verdict = check_step(learner_step(act_f=lambda z: sig(z) if abs(z) < 1.9 else 0.5))
    assert "random weights" in verdict.text and "'W_f': " in verdict.text, verdict.text


# ---- what a learner's function may do instead of returning six numbers -----------------------

def raises_key_error(x, h_prev, c_prev, w):
    f = sig(w["W_fx"] * x)
    return f


def divides_by_zero(x, h_prev, c_prev, w):
    return 1 / 0


def refused_with(says, verdict):
    """The verdict is a "not yet" that says each of `says`, with no traceback in it."""
    assert not verdict, verdict
    for words in says:
        assert words in verdict.text, verdict.text
    no_traceback(verdict)


@pytest.mark.parametrize("fn, says", [
    (raises_key_error, ["stopped with an error", "there is no key 'W_fx'",
                        'at `f = sig(w["W_fx"] * x)`',
                        "w's names are W_f, W_hf"]),
    (divides_by_zero, ["stopped with an error in divides_by_zero", ": division by zero",
                       "on case 1 of 10"]),
    (lambda x, h, c, w: (0.5,) * 5, ["returned 5 values; it should return 6"]),
    (lambda x, h, c, w: None, ["returned None", "return f, i, g, c, o, h"]),
    (lambda x, h, c, w: 0.5, ["returned one float", "6 values"]),
    (lambda x, h, c, w: {"f": 0.5}, ["returned one dict"]),
    (lambda x, h, c, w: (NAN,) * 6, ["f_t is nan", "on case 1 of 10"]),
    (lambda x, h, c, w: ("0.6",) + (0.5,) * 5, ["f_t is the text '0.6'"]),
    (lambda x, h, c, w: ("abc",) * 6, ["f_t should be one number", "'abc'"]),
    (lambda x, h, c, w: (np.zeros(3),) * 6, ["f_t should be one number", "shape (3,)"]),
    (lambda x, h, c, w: (None,) * 6, ["f_t is still None"]),
    (lambda x, h: (0.5,) * 6, ["should take 4 arguments", "(x, h_prev, c_prev, w)"]),
    (None, ["Pass your function itself"]),
    ((0.5,) * 6, ["Pass your function itself"]),
])
def test_a_forward_step_that_does_not_return_six_numbers_gets_a_clear_message(fn, says):
    refused_with(says, check_step(fn))


def test_no_traceback_leaks_from_any_forward_verdict():
    for changes, _ in FORWARD_MISTAKES.values():
        no_traceback(check_step(learner_step(**changes)))


def test_the_check_hands_the_learner_a_copy_of_w():
    def spoils_w(x, h_prev, c_prev, w):
        out = scalar_step(x, h_prev, c_prev, w)
        w.clear()
        return out

    assert check_step(spoils_w)


def test_each_forward_mistake_reference_differs_from_the_right_step_on_the_cases():
    cases = build._forward_cases()
    right = np.array([scalar_step(*c[1:]) for c in cases])
    for changes, _, _ in build._FORWARD_MISTAKES:
        wrong = np.array([build._step(*c[1:], **changes) for c in cases])
        assert not np.allclose(wrong, right, rtol=build.RTOL, atol=build.ATOL), changes
    assert np.allclose([build._step(*c[1:]) for c in cases], right, rtol=0, atol=1e-15)


# ---- a learner's backward step, with a mistake switched in -------------------------------------

def learner_step_backward(*, dC=lambda dh, dc, o, tc: dc + dh * o * (1 - tc * tc),
                          sp=lambda s: s * (1 - s), back=lambda dC, f: dC * f, wh_state="h_prev",
                          f_state="c_prev"):
    """my_step_backward as a learner writes it, from the forward step in plain Python."""
    def my_step_backward(dh, dc, x, h_prev, c_prev, w):
        f = sig(w["W_f"] * x + w["W_hf"] * h_prev + w["b_f"])
        i = sig(w["W_i"] * x + w["W_hi"] * h_prev + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h_prev + w["b_c"])
        c = f * c_prev + i * g
        o = sig(w["W_o"] * x + w["W_ho"] * h_prev + w["b_o"])
        tc = math.tanh(c)
        h = o * tc
        d_c = dC(dh, dc, o, tc)
        dz = {"f": d_c * {"c_prev": c_prev, "c": c}[f_state] * sp(f), "i": d_c * g * sp(i),
              "c": d_c * i * (1 - g * g), "o": dh * tc * sp(o)}
        state = {"h_prev": h_prev, "h": h}[wh_state]
        dw = {}
        for k, d in dz.items():
            dw["W_" + k], dw["W_h" + k], dw["b_" + k] = d * x, d * state, d
        dh_prev = sum(w["W_h" + k] * d for k, d in dz.items())
        return dh_prev, back(d_c, f), dw
    return my_step_backward


def test_a_right_backward_step_passes_both_references():
    verdict = check_step_backward(learner_step_backward())
    assert verdict and "centred differences" in verdict.text, verdict


BACKWARD_MISTAKES = {
    "tanh' missing": (dict(dC=lambda dh, dc, o, tc: dc + dh * o), "tanh' factor through h_t"),
    "dc not added": (dict(dC=lambda dh, dc, o, tc: dh * o * (1 - tc * tc)),
                     "dc from the next step is not added"),
    "dc_prev without f": (dict(back=lambda dC, f: dC), "dc_prev is not multiplied by f_t"),
    "sigma' = s(1 + s)": (dict(sp=lambda s: s * (1 + s)), "sigma' is written as sigma (1 + sigma)"),
    "W_h with h_t": (dict(wh_state="h"), "W_h* weights are taken with h_t instead of h_{t-1}"),
    "df with C_t": (dict(f_state="c"), "C_t is used where C_{t-1} belongs"),
}


@pytest.mark.parametrize("mistake", BACKWARD_MISTAKES)
def test_each_usual_backward_mistake_is_named(mistake):
    changes, says = BACKWARD_MISTAKES[mistake]
    verdict = check_step_backward(learner_step_backward(**changes))
    assert not verdict and says in verdict.text, verdict.text
    assert "first wrong on case" in verdict.text and "expected" in verdict.text
    no_traceback(verdict)


def test_an_unknown_backward_mistake_gets_the_first_wrong_gradient_and_the_centred_difference():
    def off(dh, dc, x, h_prev, c_prev, w):
        dh_prev, dc_prev, dw = learner_step_backward()(dh, dc, x, h_prev, c_prev, w)
        return dh_prev, dc_prev, dict(dw, b_i=dw["b_i"] + 0.01)

    verdict = check_step_backward(off)
    assert not verdict and "It looks like" not in verdict.text
    assert verdict.text.startswith("dw['b_i'] is first wrong on case 1 of 10"), verdict.text
    assert "Centred differences" in verdict.text and "dz_i" in verdict.text


def seed_step_backward(dh, dc, x, h_prev, c_prev, w):
    return learner_step_backward()(dh, dc, x, h_prev, c_prev, w)


def with_dw(change):
    def my_step_backward(dh, dc, x, h_prev, c_prev, w):
        dh_prev, dc_prev, dw = seed_step_backward(dh, dc, x, h_prev, c_prev, w)
        return dh_prev, dc_prev, change(dict(dw))
    return my_step_backward


@pytest.mark.parametrize("fn, says", [
    (with_dw(lambda dw: {k: v for k, v in dw.items() if k != "W_hf"}), ["it has no 'W_hf'"]),
    (with_dw(lambda dw: dict(dw, W_y=0.0)), ["not among the twelve weights: 'W_y'"]),
    (with_dw(lambda dw: list(dw.values())), ["dw should be a dict", "got list"]),
    (with_dw(lambda dw: dict(dw, b_o=NAN)), ["dw['b_o'] is nan"]),
    (with_dw(lambda dw: dict(dw, b_o="0.1")), ["dw['b_o'] is the text '0.1'"]),
    (with_dw(lambda dw: dict(dw, b_o=np.ones((2, 2)))), ["shape (2, 2)"]),
    (lambda *args: seed_step_backward(*args)[:2], ["returned 2 values; it should return 3"]),
    (lambda *args: (None, None, {n: None for n in NAMES}), ["dc_prev is still None"]),
    (lambda dh, dc, x, h_prev, c_prev, w: w["W_q"], ["there is no key 'W_q'"]),
    (lambda dh, dc, x: 0, ["should take 6 arguments"]),
])
def test_a_backward_step_that_does_not_return_its_three_values_gets_a_clear_message(fn, says):
    refused_with(says, check_step_backward(fn))


def test_the_backward_references_agree_with_lstm_core_and_centred_differences():
    for case in build._backward_cases():
        core = build._flat(build._lstm_core_backward(*case[1:]))
        assert np.allclose(build._flat(build._step_backward(*case[1:])), core, rtol=1e-12,
                           atol=1e-14)
        assert relative_error(build._centred_difference(*case[1:]), core) < 1e-7, case[0]


def test_each_backward_mistake_reference_differs_from_the_right_step_on_the_cases():
    cases = build._backward_cases()
    right = np.array([build._flat(build._lstm_core_backward(*c[1:])) for c in cases])
    for changes, _, _ in build._BACKWARD_MISTAKES:
        wrong = np.array([build._flat(build._step_backward(*c[1:], **changes)) for c in cases])
        assert not np.allclose(wrong, right, rtol=build.RTOL, atol=build.ATOL), changes


def test_the_backward_cases_bring_gradients_from_above_and_from_after():
    cases = build._backward_cases()
    assert all(dh != 0 and dc != 0 for _, dh, dc, *_ in cases)
