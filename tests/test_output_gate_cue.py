"""Notebook 04's cue exercise: the 'cue' input (a value, zeros, a cue) and check_04_show_on_cue,
which wants h_t ~ 0 while the memory holds the value and h_t showing it at the cue.

The right answer's behaviour is re-derived here with a plain scalar loop (the six equations), not
taken from the check.
"""
import math

import numpy as np
import pytest

from lstm_classroom.checks.output_gate import check_04_show_on_cue
from lstm_classroom.controls import slider_range
from lstm_classroom.inputs import SEQUENCES, input_sequence
from lstm_core import SEED_WEIGHTS

RIGHT = dict(W_o=-3.0, b_o=-4.0, b_f=5.0)   # the notebook's worked solution


def sig(z):
    return 1 / (1 + math.exp(-z))


def scalar_run(xs, **changes):
    """h_t and C_t of the one-unit cell, step by step from the equations."""
    w = {**SEED_WEIGHTS, **changes}
    h = c = 0.0
    hs, cs = [], []
    for x in xs:
        f = sig(w["W_f"] * x + w["W_hf"] * h + w["b_f"])
        i = sig(w["W_i"] * x + w["W_hi"] * h + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h + w["b_c"])
        c = f * c + i * g
        h = sig(w["W_o"] * x + w["W_ho"] * h + w["b_o"]) * math.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


def test_the_cue_input_is_a_value_zeros_and_a_cue():
    assert "cue" in SEQUENCES and "−3" in SEQUENCES["cue"]
    np.testing.assert_array_equal(input_sequence("cue", 6), [2, 0, 0, 0, 0, -3])
    np.testing.assert_array_equal(input_sequence("cue", 2), [2, -3])
    np.testing.assert_array_equal(input_sequence("cue", 1), [2])
    assert input_sequence("cue", 40).dtype == float


def test_the_worked_solution_is_within_the_sliders_and_does_the_job():
    for name, value in RIGHT.items():
        lo, hi = slider_range(name)
        assert lo <= value <= hi and round(value * 10) == value * 10   # a slider's step of 0.1
    h, c = scalar_run([2, 0, 0, 0, 0, -3], **RIGHT)
    assert np.all(np.abs(h[:-1]) < 0.05) and h[-1] >= 0.4 and c[-2] >= c[0] / 2
    verdict = check_04_show_on_cue(**RIGHT)
    assert verdict and f"h_6 = {h[-1]:.3f}" in verdict.text


def test_the_seeds_output_gate_shows_the_memory_too_early():
    h, _ = scalar_run([2, 0, 0, 0, 0, -3], b_f=5.0)
    assert np.abs(h[0]) >= 0.05                  # the premise: the seed's o_t is open at t = 1
    verdict = check_04_show_on_cue(b_f=5.0)
    assert not verdict and "before the cue" in verdict.text and "b_o" in verdict.text


def test_a_shut_gate_that_opens_on_the_cue_but_a_fading_memory_is_only_partly_right():
    h, c = scalar_run([2, 0, 0, 0, 0, -3], W_o=-3.0, b_o=-4.0)   # the seed's b_f = 0
    assert np.all(np.abs(h[:-1]) < 0.05) and c[-2] < c[0] / 2    # hidden, but faded
    verdict = check_04_show_on_cue(W_o=-3.0, b_o=-4.0)
    assert not verdict and "fades" in verdict.text and "b_f" in verdict.text


def test_a_gate_that_stays_shut_at_the_cue_is_told_so():
    h, _ = scalar_run([2, 0, 0, 0, 0, -3], W_o=-1.0, b_o=-4.0, b_f=5.0)
    assert h[-1] < 0.4
    verdict = check_04_show_on_cue(W_o=-1.0, b_o=-4.0, b_f=5.0)
    assert not verdict and "At the cue" in verdict.text and "W_o" in verdict.text


@pytest.mark.parametrize("weights, said", [
    ({}, "Give your weights by name"),
    (dict(W_o="-3"), "without quotes"),
    (dict(W_o=float("nan")), "not a number"),
    (dict(W_o=math.inf), "W_o"),
    (dict(W_o=np.ones(3)), "W_o"),
    (dict(W_o=None), "Replace None"),
    (dict(W_o=1e9), "beyond its slider"),
    (dict(W_i=1.0), "moves only W_o, W_ho, b_o, b_f"),
    (dict(w_o=-3.0), "Unknown weight name"),
])
def test_garbage_gets_a_message_not_a_traceback(weights, said):
    verdict = check_04_show_on_cue(**weights)
    assert not verdict and said in verdict.text, verdict.text


def test_the_gate_panels_drop_down_offers_the_cue():
    from lstm_classroom.controls import sequence_dropdown
    options = dict(sequence_dropdown("cue").options)   # label -> kind
    assert options[SEQUENCES["cue"]] == "cue"
